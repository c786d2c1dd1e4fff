"""Benchmarks measured on real servers, not by timed tests. Run: python -m tests.perf.bench

Live-page cost: server CPU per page-second of an open projector and team page (their clocks count in
the browser; the server redraws them when something changes), as a ratio against a bare Streamlit page
that only shows a clock in a run_every fragment (one rerun a second), all measured in the same run with
the same number of headless Chromium pages. Pack export: seconds to build the Word draft pack
for 12 and for 100 teams (3 objectives x 4 key results each), median of 3.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from okrcoach.drafting import demo
from okrcoach.storage.store import Store
from tests.e2e.conftest import CHROMIUM_ARGS, CODE, PIN, ROOT, Server, first_breakout, wait_idle
from tests.perf.bench_pack import pack_benchmark

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def demo_store(folder: Path) -> Store:
    """A demo engagement whose run is in its first breakout, timer running."""
    store = Store(folder / "okrcoach.db")
    first_breakout(store, demo.load_demo(store, code=CODE, pin=PIN))
    return store


def page_cost(browser, script: str, path: str, db: Path, pages: int, seconds: float) -> float:
    """Server CPU milliseconds per page-second while `pages` browsers show `path`."""
    server = Server(db, db.parent / f"{Path(script).stem}.log", script=script)
    server.start()
    contexts = []
    try:
        for _ in range(pages):
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            contexts.append(context)
            page = context.new_page()
            page.goto(server.url + path)
            wait_idle(page)
        time.sleep(3)  # let every page settle (the bare clock into its steady one-second tick)
        cpu_before, wall_before = cpu_seconds(server.process.pid), time.monotonic()
        time.sleep(seconds)
        cpu_used, wall = cpu_seconds(server.process.pid) - cpu_before, time.monotonic() - wall_before
    finally:
        for context in contexts:
            context.close()
        server.stop()
    return cpu_used * 1000 / (pages * wall)


def main() -> None:
    """Run the benchmarks and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6, help="browser pages per measurement")
    parser.add_argument("--seconds", type=float, default=20, help="measuring window per target")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="okrcoach-bench-"))
    db = demo_store(folder).path
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        bare = page_cost(browser, str(ROOT / "tests" / "perf" / "bare_clock.py"), "/", db, args.pages, args.seconds)
        projector = page_cost(browser, "app.py", f"/projector?code={CODE}", db, args.pages, args.seconds)
        team = page_cost(browser, "app.py", f"/team?team=stores&code={CODE}", db, args.pages, args.seconds)
        browser.close()
    print(f"Live-page cost, server CPU per page-second ({args.pages} pages, {args.seconds:.0f} s each):")
    print("| page | ms per page-second | ratio to bare run_every clock |\n|---|---|---|")
    for name, cost in (("bare run_every clock", bare), ("projector (breakout, board)", projector),
                       ("team page (demo draft)", team)):
        print(f"| {name} | {cost:.2f} | {cost / bare:.2f}x |")
    print("\nDraft pack export (3 objectives × 4 key results per team) and the coaching review:\n"
          "| engagement | first, s | median of 3, s | target |\n|---|---|---|---|")
    figures = pack_benchmark()
    for teams, target in ((12, 1), (100, 2)):
        print(f"| pack, {teams} teams | {figures[f'pack_{teams}_teams_first_s']:.2f} | "
              f"{figures[f'pack_{teams}_teams_s']:.2f} | {target} s |")
    print(f"| review 100 teams × 3 objectives × 4 key results (CPU s) | | {figures['review_100_teams_s']:.2f} | 0.5 s |")


if __name__ == "__main__":
    main()
