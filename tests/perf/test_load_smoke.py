"""The load harness at CI size: 10 sessions against a real server, every save kept and seen on the projector.

Timing is reported by `python -m tests.perf.load`, not asserted here; this test pins what must never
happen at any size: an error, a lost save, an objective save the projector never shows.
"""

import json
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT

# Like the browser tests, run once more if it fails: the summary names every rerun, so none goes unseen.
pytestmark = [pytest.mark.timeout(480), pytest.mark.flaky(reruns=1)]


def test_ten_sessions_save_without_errors_or_losses_and_the_projector_shows_every_objective_save(tmp_path):
    figures_path = tmp_path / "load.json"
    # Its own process: the harness drives Chromium with Playwright's sync API, as the e2e tests here do.
    # A short window with a save every 2-4 s per team gives as many saves as a long one at the room's pace;
    # no bare-clock floor and a one-second idle: their figures are the benchmark's, not asserted here.
    run = subprocess.run([sys.executable, "-m", "tests.perf.load", "--sessions", "10", "--browsers", "3",
                          "--seconds", "12", "--idle", "1", "--floor-seconds", "0", "--min-interval", "2",
                          "--max-interval", "4", "--json", str(figures_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=420)
    assert run.returncode == 0, run.stderr[-3000:]
    figures, report = json.loads(figures_path.read_text()), run.stdout
    assert figures["errors"] == 0, report
    assert figures["lost"] == 0, report
    assert figures["integrity"] == "ok"
    assert figures["saves"] >= 16, report  # 8 teams of one laptop, a save every 2-4 s for 12 s: about 4 each
    assert figures["browser_saves"] >= 1, report
    assert figures["visible_n"] >= 2 and figures["visible_unseen"] == 0, report
    assert figures["protocol_ticks_per_session_s"] == 0, report  # no page asks the server every second
    assert figures["pushed_runs"] > 0, report  # the server wakes the sessions itself


def test_the_protocol_client_refuses_a_streamlit_release_it_was_not_checked_against():
    from tests.perf import protocol
    protocol.check_version(protocol.STREAMLIT_VERSION)
    with pytest.raises(RuntimeError, match=f"speaks the websocket protocol of Streamlit {protocol.STREAMLIT_VERSION}"):
        protocol.check_version("9.9.9")
