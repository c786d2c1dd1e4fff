"""Shared fixtures: a fresh store per test, its engagement, a top-level team and two breakout teams."""

from pathlib import Path

import pytest

from okrcoach import engagements, teams
from okrcoach.engagements import DeploymentParameters, Engagement
from okrcoach.store import Store
from okrcoach.teams import Team


@pytest.fixture
def store(tmp_path) -> Store:
    """An empty, migrated database of this test's own."""
    return Store(tmp_path / "okrcoach.db")


@pytest.fixture(scope="session")
def ensured_database(tmp_path_factory) -> Path:
    """A database on which ensure_current made its engagement, once per run (hashing the PIN takes ~50 ms)."""
    store = Store(tmp_path_factory.mktemp("ensured") / "okrcoach.db")
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
