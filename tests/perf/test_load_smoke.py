"""The load harness at CI size: 10 sessions against a real server, every save kept and seen on the projector.

Timing is reported by `python -m tests.perf.load`, not asserted here; this test pins what must never
happen at any size: an error, a lost or unacknowledged save, a probe save the projector never shows.
"""

import pytest

from tests.perf import load

pytestmark = pytest.mark.timeout(420)


def test_ten_sessions_save_without_errors_or_losses_and_the_projector_shows_every_probe_save(capsys):
    figures = load.main(["--sessions", "10", "--browsers", "3", "--seconds", "40", "--idle", "5",
                         "--floor-seconds", "0", "--min-interval", "5", "--max-interval", "12"])
    report = capsys.readouterr().out
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["lost"] == 0, figures["lost_samples"]
    assert figures["integrity"] == "ok"
    assert figures["saves"] >= 16, report  # 8 laptops, about 3 saves each in 40 s
    assert figures["browser_saves"] >= 1, report
    assert figures["visible_n"] >= 2 and figures["visible_unseen"] == 0, report
    assert figures["protocol_ticks_per_session_s"] > 0.8, report  # the protocol sessions really tick
