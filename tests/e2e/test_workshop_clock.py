"""One clock for every screen: console, projector and a team laptop show the same time, across a restart."""

import re
import time

from playwright.sync_api import Page, expect

from okrcoach.storage.store import Store
from okrcoach.workshop import access, agendas, engagements, runs, timer
from tests.e2e.conftest import CODE, PIN, assert_no_exception, screenshot, wait_idle


def seconds_shown(page: Page) -> int:
    text = page.locator("[data-testid='okc-clock']").first.inner_text().strip()
    sign = 1 if not text.startswith("+") else -1
    parts = [int(p) for p in re.findall(r"\d+", text)]
    value = 0
    for part in parts:
        value = value * 60 + part
    return sign * value


def wait_for_agreement(pages: list[Page], timeout: float = 8.0) -> list[int]:
    """Poll until every screen shows the same time within one second; return what they showed."""
    deadline = time.monotonic() + timeout
    while True:
        shown = [seconds_shown(page) for page in pages]
        if max(shown) - min(shown) <= 1 or time.monotonic() > deadline:
            return shown
        pages[0].wait_for_timeout(100)


def stored_state(store: Store) -> timer.RunState:
    return runs.current(store, engagements.current(store).id).state


def test_console_projector_and_team_share_one_clock_across_a_restart(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    team_drafting = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, team_drafting)
    token = access.sign_in(store, PIN)
    console = open_page(f"{server.url}/console?fac={token}")
    projector = open_page(f"{server.url}/projector?code={CODE}", width=1280, height=720)
    team = open_page(f"{server.url}/team?team=stores&code={CODE}")
    screens = [console, projector, team]

    console.get_by_role("button", name="Start").click()
    expect(projector.get_by_text("Not started")).to_have_count(0, timeout=10_000)
    shown = wait_for_agreement(screens)
    assert max(shown) - min(shown) <= 1, shown
    assert abs(shown[0] - team_drafting.items[0].minutes * 60) <= 5

    console.get_by_role("button", name="Pause").click()
    expect(projector.get_by_text("Paused")).to_be_visible(timeout=10_000)
    expect(team.get_by_text("Paused")).to_be_visible(timeout=10_000)
    paused = stored_state(store).remaining
    for page in screens:  # frozen: every screen shows exactly the stored remaining time
        expect(page.locator("[data-testid='okc-clock']").first).to_have_text(timer.format_clock(paused))

    console.get_by_role("button", name="+5 min").click()
    for page in screens:
        expect(page.locator("[data-testid='okc-clock']").first).to_have_text(
            timer.format_clock(paused + 300), timeout=10_000)

    console.get_by_role("button", name="Resume").click()
    console.get_by_role("button", name="Next", exact=True).click()
    second = team_drafting.items[1].title
    expect(projector.get_by_text(second, exact=True).first).to_be_visible(timeout=10_000)
    expect(team.get_by_text(second, exact=True)).to_be_visible(timeout=10_000)
    screenshot(projector, "projector-talk")
    screenshot(console, "console")

    ends_at = stored_state(store).ends_at
    server.stop()
    down = [page.locator("[data-testid='okc-clock']").first.inner_text() for page in screens]
    for page, before in zip(screens, down, strict=True):  # the browsers count on while the server is away
        expect(page.locator("[data-testid='okc-clock']").first).not_to_have_text(before)
    server.start()  # same port and file: the open pages reconnect by themselves, nobody reloads
    shown = wait_for_agreement(screens)
    assert max(shown) - min(shown) <= 1, shown
    expected = ends_at - time.time()
    assert all(abs(value - expected) <= 3 for value in shown), (shown, expected)
    assert stored_state(store).ends_at == ends_at and stored_state(store).status == "running"
    assert runs.current(store, engagement.id).id == run.id
    runs.act(store, run.id, "pause", time.time())  # the restarted server still redraws every screen
    paused = timer.format_clock(stored_state(store).remaining)
    for page in screens:
        expect(page.locator("[data-testid='okc-clock']").first).to_have_text(paused, timeout=30_000)


def test_the_browser_counts_every_face_as_the_server_would_on_a_laptop_whose_clock_is_wrong(server, open_page,
                                                                                           room_context):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    runs.act(store, run.id, "start", time.time())
    team = open_page(f"{server.url}/team?team=stores&code={CODE}")
    faces = [0, 0.4, -0.4, -1, 0.0004, 59.2, 299.0000001, 3599, 3600, 3900.5, -192, -3600, 86_399]
    team.wait_for_function("() => window.okcClock && window.okcClock.face")  # the clock's script has run
    assert team.evaluate("left => left.map(okcClock.face)", faces) == [timer.format_clock(f) for f in faces]
    # A laptop whose own clock runs 95 s fast still shows the room's time: the server's time corrects it.
    fast = room_context.new_page()  # a tab of its own: no later test inherits its clock
    try:
        fast.add_init_script("{ const now = Date.now; Date.now = () => now() + 95_000; }")
        fast.goto(f"{server.url}/team?team=stores&code={CODE}")
        wait_idle(fast)
        shown = wait_for_agreement([team, fast])
        assert max(shown) - min(shown) <= 1, shown
        assert abs(shown[0] - (stored_state(store).ends_at - time.time())) <= 2, shown
        assert_no_exception(fast)
    finally:
        fast.close()


def test_ticking_clock_never_disturbs_typing_in_the_form(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    runs.act(store, run.id, "start", time.time())
    breakout = next(i for i, item in enumerate(agenda.items) if item.kind == "breakout")
    runs.act(store, run.id, "jump", time.time(), index=breakout)  # the draft is editable in a breakout
    team = open_page(f"{server.url}/team?team=customer-care&code={CODE}")
    team.get_by_role("button", name="Edit objective").first.click()
    box = team.get_by_label("Why now?", exact=True).filter(visible=True)
    box.fill("Typed while the clock ticks, not saved yet")
    first = team.locator("[data-testid='okc-clock']").inner_text()
    expect(team.locator("[data-testid='okc-clock']")).not_to_have_text(first, timeout=5_000)
    second = team.locator("[data-testid='okc-clock']").inner_text()
    expect(team.locator("[data-testid='okc-clock']")).not_to_have_text(second, timeout=5_000)
    assert box.input_value() == "Typed while the clock ticks, not saved yet"


def test_times_up_flashes_the_projector_once_turns_its_clock_red_and_asks_the_console(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    runs.act(store, run.id, "start", time.time() - agenda.items[0].minutes * 60 + 10)  # 10 s left
    console = open_page(f"{server.url}/console?fac={access.sign_in(store, PIN)}")
    projector = open_page(f"{server.url}/projector?code={CODE}", width=1920, height=1080)
    flash = projector.locator("[data-testid='okc-flash']")
    expect(flash).to_be_attached(timeout=15_000)
    assert flash.evaluate("e => getComputedStyle(e).animationName") == "okc-flash"  # the style reached the page
    expect(flash).to_have_css("opacity", "0")  # one flash, faded out
    clock = projector.locator("[data-testid='okc-clock']")
    expect(clock).to_have_css("color", "rgb(183, 28, 28)")
    expect(console.get_by_text("Time's up — +1 min, +5 min or Next?")).to_be_visible(timeout=10_000)
    for _ in range(2):  # the clock counts the overrun on
        shown = clock.inner_text()
        expect(clock).not_to_have_text(shown, timeout=5_000)
        assert shown.startswith("+") or shown == "00:00", shown
    runs.add_parked(store, engagement.id, "A question for later")  # a change: the projector redraws, no flash
    expect(flash).not_to_be_attached()
