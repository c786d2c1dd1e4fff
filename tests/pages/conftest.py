"""AppTest fixtures: the app on a demo engagement of its own."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from okrcoach import access, demo
from okrcoach.store import Store

CODE, PIN = "DEMO42", "4242"
APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def demo_store(tmp_path, monkeypatch) -> Store:
    """A store with the demo engagement, used by the app through OKRCOACH_DB."""
    store = Store(tmp_path / "okrcoach.db")
    demo.load_demo(store, code=CODE, pin=PIN)
    monkeypatch.setenv("OKRCOACH_DB", str(store.path))
    return store


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
