"""Read from the back of the room: every text on the projector's views is at least 28 px at 1920×1080."""

import time

from playwright.sync_api import Page, expect

from okrcoach.drafting import drafts, executive
from okrcoach.storage.store import Store
from okrcoach.workshop import agendas, engagements, laptops, runs, teams
from tests.e2e.conftest import ARTIFACTS, CODE, pick_option, wait_idle

MIN_PX, CLOCK_PX, TITLE_PX = 28, 100, 40
SHOTS = ARTIFACTS / "legibility"

# Every text node the browser draws, with its element's computed font size.
TEXTS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!node.textContent.trim() || !element || element.closest('script, style, noscript')) continue;
    const box = element.getBoundingClientRect(), style = getComputedStyle(element);
    if (box.width < 2 || box.height < 2 || style.visibility === 'hidden') continue;
    let hidden = false;
    for (let e = element; e; e = e.parentElement) { if (getComputedStyle(e).opacity === '0') { hidden = true; break; } }
    if (hidden) continue;
    const marked = element.closest('[data-testid]');
    found.push({text: node.textContent.trim().slice(0, 50), px: parseFloat(style.fontSize),
                where: marked ? marked.getAttribute('data-testid') : ''});
  }
  return found;
}"""
# The computed font size, in px, of the first element a selector finds (an error when there is none).
FONT_PX = "selector => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"


def connected(store: Store, team_id: int) -> int:
    """How many laptops the store counts as connected to the team now."""
    with store.read() as db:
        return db.execute("SELECT count(*) FROM laptops WHERE team_id = ? AND seen_at >= ?",
                          [team_id, time.time() - laptops.CONNECTED_SECONDS]).fetchone()[0]


def too_small(page: Page) -> list[dict]:
    return [t for t in page.evaluate(TEXTS) if t["px"] < MIN_PX]


def test_every_text_on_the_projectors_alignment_board_tally_and_clock_is_readable_from_5_m(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    for text, why in (("Be the outdoor advisor people trust first", "Price comparison sites win our customers"),
                      ("Turn members into a community", "")):
        executive.propose(store, engagement.id, text, why, "CEO")
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    runs.act(store, run.id, "start", time.time())
    open_page(f"{server.url}/team?team=stores&code={CODE}", width=1366, height=768)  # one laptop connected
    projector = open_page(f"{server.url}/projector?code={CODE}", width=1920, height=1080)
    SHOTS.mkdir(parents=True, exist_ok=True)
    measured = {}
    for view, reveal in (("prompts", False), ("alignment", False), ("board", False), ("tally", False),
                         ("tally", True)):
        executive.reveal(store, engagement.id, reveal)
        runs.pin_projector(store, run.id, "" if view == "prompts" else view)
        expect(projector.locator(f"[data-testid='okc-item'][data-view='{view}']")).to_be_attached(timeout=10_000)
        if view == "board":  # who is here: laptops connected now, per team (a rerun of this test adds its own)
            here = connected(store, teams.by_slug(store, engagement.id, "stores").id)
            assert here >= 1
            expect(projector.locator("[data-testid='okc-board'] tr", has_text="Stores team").locator("td").last
                   ).to_have_text(str(here), timeout=10_000)
        if view == "tally":
            expect(projector.locator(f"[data-testid='okc-tally'][data-revealed='{str(reveal).lower()}']")
                   ).to_be_attached(timeout=10_000)
        wait_idle(projector)
        name = f"{view}-revealed" if reveal else view
        projector.screenshot(path=str(SHOTS / f"projector-{name}.png"))
        small = too_small(projector)
        assert not small, f"{name}: text under {MIN_PX} px: {small[:8]}"
        sizes = projector.evaluate(TEXTS)
        measured[name] = min(t["px"] for t in sizes)
        # Found and measured in one script: the clock is drawn anew every tick, and an element found first
        # and measured after could be one the tick has just taken off the page (no style: NaN).
        assert projector.evaluate(FONT_PX, "[data-testid='okc-clock']") >= CLOCK_PX, name
        assert projector.evaluate(FONT_PX, "[data-testid='okc-item']") >= TITLE_PX, name
    print("smallest text per view (px):", measured)


def test_alignment_in_projector_mode_writes_out_every_label_and_key_results_when_zoomed(server, open_page):
    store = Store(server.db_path)
    top = drafts.top_objectives(store, engagements.current(store).id)[0]
    page = open_page(f"{server.url}/alignment?code={CODE}", width=1920, height=1080)
    page.get_by_text("Projector mode").click()
    room = page.locator("[data-testid='okc-alignment-room']")
    expect(room).to_contain_text("Not linked yet")
    pick_option(page, page.get_by_role("combobox", name="Zoom into"), top.fields.text)
    expect(room).to_contain_text("• ")
    wait_idle(page)
    page.screenshot(path=str(SHOTS / "alignment-projector-mode-zoomed.png"))
    sizes = room.evaluate("r => [...r.querySelectorAll('div')].filter(d => [...d.childNodes].some("
                          "n => n.nodeType === 3 && n.textContent.trim())).map(d => parseFloat(getComputedStyle(d).fontSize))")
    assert sizes and min(sizes) >= MIN_PX
    page.get_by_role("tab", name="Horizontal").click()
    table = page.locator("[data-testid='okc-room-table']").first
    expect(table).to_contain_text("Team asking")
    assert float(table.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")) >= MIN_PX
    page.screenshot(path=str(SHOTS / "alignment-projector-mode-horizontal.png"), full_page=True)
