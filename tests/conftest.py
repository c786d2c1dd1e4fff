"""Shared fixtures: a fresh store per test, its engagement, a top-level team and two breakout teams."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters, Engagement
from okrcoach.workshop.teams import Team

QUICK_PIN_ROUNDS = 1_000


@contextmanager
def quick_pin_hashes() -> Iterator[None]:
    """PIN hashes take 1,000 rounds, not 100,000, inside; for fixtures wider than one test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(access, "PIN_HASH_ITERATIONS", QUICK_PIN_ROUNDS)
        yield


@pytest.fixture(autouse=True)
def quick_pin_hash(request, monkeypatch):
    """Every test but the e2e ones hashes PINs quickly; e2e servers hash and check with the real count."""
    if "e2e" not in request.node.path.parts:
        monkeypatch.setattr(access, "PIN_HASH_ITERATIONS", QUICK_PIN_ROUNDS)


@pytest.fixture
def store(tmp_path) -> Store:
    """An empty, migrated database of this test's own."""
    return Store(tmp_path / "okrcoach.db")


@pytest.fixture(scope="session")
def ensured_database(tmp_path_factory) -> Path:
    """A database on which ensure_current made its engagement, once per run, its PIN hashed as in every test."""
    store = Store(tmp_path_factory.mktemp("ensured") / "okrcoach.db")
    with quick_pin_hashes():
        engagements.ensure_current(store)
    return store.path


@pytest.fixture
def engagement(store, ensured_database) -> Engagement:
    """The engagement a fresh database starts with, copied from ensured_database; ensure_current returns it."""
    with store.read() as db:
        db.execute("ATTACH DATABASE ? AS ensured", [str(ensured_database)])
        db.execute("INSERT INTO engagements SELECT * FROM ensured.engagements")
        db.execute("DETACH DATABASE ensured")
    engagement, new_pin = engagements.ensure_current(store)
    assert new_pin is None
    return engagement


@pytest.fixture
def params() -> DeploymentParameters:
    """The default deployment parameters: 3 objectives, 2 to 4 key results, milestones allowed."""
    return DeploymentParameters()


@pytest.fixture
def top_team(store, engagement) -> Team:
    """The engagement's top-level team."""
    return teams.add(store, engagement.id, "Leadership team", kind="top")


@pytest.fixture
def team(store, engagement, top_team) -> Team:
    """A breakout team (added after the top-level team, as the set-up page does)."""
    return teams.add(store, engagement.id, "Stores team")


@pytest.fixture
def other_team(store, engagement, team) -> Team:
    """A second breakout team, for dependencies and for what one team must not touch of another's."""
    return teams.add(store, engagement.id, "Online store team")


def pytest_terminal_summary(terminalreporter):
    """Say why each test that was run once more failed its first try: `-rR` names them, nothing says why."""
    for report in terminalreporter.stats.get("rerun", []):
        # A chained failure (raise ... from cause) names its cause first: each link's place and message.
        chain = getattr(report.longrepr, "chain", None) or [(None, getattr(report.longrepr, "reprcrash", None), None)]
        reasons = [f"{crash.path}:{crash.lineno}: {crash.message}" for _, crash, _ in chain if crash]
        reason = " <- ".join(reversed(reasons)) or str(report.longrepr)
        terminalreporter.write_line(f"first try of {report.nodeid} failed: {' '.join(reason.split())[:1200]}")
