"""AppTest fixtures: the app on a demo engagement of its own."""

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from okrcoach.drafting import demo
from okrcoach.storage.store import Store
from okrcoach.workshop import access
from tests.conftest import quick_pin_hashes

CODE, PIN = "DEMO42", "4242"
APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo engagement loaded once per run (its PIN hashed as in every test), copied for each test."""
    path = tmp_path_factory.mktemp("demo") / "okrcoach.db"
    with quick_pin_hashes():
        demo.load_demo(Store(path), code=CODE, pin=PIN)
    return path


@pytest.fixture
def demo_store(tmp_path, monkeypatch, demo_database) -> Store:
    """A store with the demo engagement of this test's own, used by the app through OKRCOACH_DB."""
    path = tmp_path / "okrcoach.db"
    with sqlite3.connect(demo_database) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    monkeypatch.setenv("OKRCOACH_DB", str(path))
    return Store(path)


@pytest.fixture
def app(demo_store) -> AppTest:
    """The whole app (router and pages), not yet run."""
    return AppTest.from_file(APP, default_timeout=30)


@pytest.fixture
def facilitator_token(demo_store) -> str:
    """A signed-in facilitator's token, as a link would carry it."""
    return access.sign_in(demo_store, PIN)


def texts(at: AppTest) -> str:
    """Everything the page shows as text, markdown and HTML blocks included."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.proto.body for e in at.get("html")]
    return "\n".join(str(p) for p in parts)


def visit(app: AppTest, page: str, **query: str | None) -> AppTest:
    """Run the app on pages/<page>.py with the given query parameters (None ones left out)."""
    for name, value in query.items():
        if value:
            app.query_params[name] = value
    app.switch_page(f"pages/{page}.py")
    return app.run()
