"""The model-based room (tests/e2e/room.py) for a few fixed seeds: random steps, invariants after every one.

A long soak with any seed: `python -m tests.e2e.room --seed N --steps M`; a failing seed replays the same steps.
"""

import pytest

from tests.e2e import room

pytestmark = pytest.mark.timeout(180)
SEEDS, STEPS = (1, 2, 3), 7


@pytest.fixture(scope="module")
def tabs(browser):
    """The seeds' browser context: each seed's laptops load their links in the tabs the last seed left."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context
    context.close()


@pytest.mark.parametrize("seed", SEEDS)
def test_random_steps_from_a_seed_keep_every_invariant(browser, breakout_server, tabs, seed):
    steps: list[str] = []
    try:
        room.run(browser, breakout_server, seed, STEPS, log=steps.append, context=tabs)
    except AssertionError as failure:
        raise AssertionError(f"seed {seed} failed after: {'; '.join(steps)} "
                             f"(replay: python -m tests.e2e.room --seed {seed} --steps {STEPS})") from failure
