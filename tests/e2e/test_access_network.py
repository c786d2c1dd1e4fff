"""Access on a shared network and offline use: real Chromium against `streamlit run` on the demo engagement.

A laptop without the workshop code sees no engagement data; without the facilitator PIN there are no timer
controls, no set-up, export or restore; wrong PINs are slowed down; no secret reaches any page; Streamlit's
XSRF protection refuses an upload without its token; and with every page open no request leaves 127.0.0.1.
"""

import re
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from okrcoach.drafting import drafts, executive
from okrcoach.storage.store import Store
from okrcoach.workshop import access, agendas, engagements, runs, screens, teams
from tests.e2e.conftest import CODE, PIN, wait_idle
from tests.e2e.laptops import EDITOR, visit

PAGES = ("/", "/setup", "/console", "/projector", "/team?team=stores", "/executive", "/alignment", "/export")
FACILITATOR_PAGES = ("/setup", "/console", "/export")
TIMER_CONTROLS = ("Start", "Pause", "Resume", "+1 min", "+5 min", "Next", "Back")


@pytest.fixture(scope="module")
def db(server) -> Store:
    """The store the module's server runs on, with an agenda running so every screen has something to show."""
    store = Store(server.db_path)
    engagement = engagements.current(store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    runs.act(store, run.id, "start", time.time())
    breakout = next(number for number, item in enumerate(agenda.items) if item.kind == "breakout")
    runs.act(store, run.id, "jump", time.time(), index=breakout)  # team laptops can edit their drafts
    runs.add_parked(store, engagement.id, "Budget cycle does not match the OKR cycle", raised_by="Stores team")
    return store


def engagement_data(store: Store) -> list[str]:
    """Every piece of this engagement's data a page could leak: names, drafts, candidates, parked items."""
    engagement = engagements.current(store)
    found = [engagement.name, engagement.workshop_code]
    found += [team.name for team in teams.list_teams(store, engagement.id)]
    for draft in drafts.load_all(store, engagement.id):
        found.append(draft.team.purpose)
        for objective in draft.objectives:
            found += [objective.fields.text, objective.fields.why_now]
            found += [kr.fields.text for kr in objective.key_results]
    found += [candidate.text for candidate in executive.ranking(store, engagement.id)]
    found += [item.text for item in runs.parked(store, engagement.id)]
    return [value for value in found if value and len(value.strip()) >= 4]


def secrets_of(store: Store) -> list[str]:
    """What must never be printed into a page: the PIN, its salted hash, and live facilitator tokens."""
    with store.read() as db:
        pin_hash = db.execute("SELECT pin_hash FROM engagements WHERE archived_at IS NULL").fetchone()[0]
        tokens = [row[0] for row in db.execute("SELECT token FROM facilitator_sessions")]
    salt, _, digest = pin_hash.partition("$")
    return [PIN, pin_hash, salt, digest, *tokens]


def page_words(page: Page) -> str:
    """What a person can read on the page and what its HTML carries."""
    wait_idle(page)
    return page.locator("body").inner_text() + "\n" + page.content()


def assert_no_secret(store: Store, page: Page, where: str, *, own_token: str = "") -> None:
    """The page prints no secret (the facilitator's own link carries their token, so that one may show)."""
    shown = page_words(page)
    for secret in secrets_of(store):
        # A secret standing on its own, not digits inside a longer id: the browser's widget library numbers its
        # elements at random ("react-aria4242940854-:r1i:"), and the demo PIN 4242 turned up inside one.
        printed = re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", shown)
        assert secret == own_token or not printed, \
            f"{where} prints a secret: {shown[max(0, printed.start() - 60):printed.end() + 60]!r}"


def test_a_page_without_the_workshop_code_sees_no_engagement_data(server, db, open_page):
    data = engagement_data(db)
    assert len(data) > 40, "the demo engagement should give plenty to look for"
    page = None
    for path in PAGES:
        for suffix in ("", "&code=WRONG1" if "?" in path else "?code=WRONG1"):
            page = visit(open_page, page, f"{server.url}{path}{suffix}")
            expect(page.get_by_label(re.compile("Workshop code|Facilitator PIN")).first).to_be_visible()
            shown = page_words(page)
            leaked = [value[:60] for value in data if value in shown]
            assert not leaked, f"{path}{suffix} shows engagement data without the code: {leaked}"
    visit(open_page, page, f"{server.url}/team?team=stores&code={CODE}")
    expect(page.get_by_text("Stores team", exact=True)).to_be_visible()
    with_code = page_words(page)
    assert sum(value in with_code for value in data) >= 5, "with the code, the same check finds the data"


def test_facilitator_pages_and_timer_controls_refuse_without_the_pin(server, db, open_page):
    access.sign_in(db, PIN)  # a live facilitator token, which no page may print
    page = None
    for path in FACILITATOR_PAGES:
        page = visit(open_page, page, f"{server.url}{path}?code={CODE}")
        expect(page.get_by_label("Facilitator PIN", exact=True)).to_be_visible()
        for label in TIMER_CONTROLS + ("Save engagement", "Restore", "Download the draft pack"):
            expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
        expect(page.locator("input[type='file']")).to_have_count(0)
        expect(page.locator("[data-testid='stDownloadButton']")).to_have_count(0)
        assert_no_secret(db, page, f"{path} with the code")
    for path in ("/", "/projector", "/team?team=stores", "/team?team=finance", "/executive", "/alignment"):
        visit(open_page, page, f"{server.url}{path}{'&' if '?' in path else '?'}code={CODE}")  # the room's pages
        for label in TIMER_CONTROLS:
            expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
        assert_no_secret(db, page, f"{path} with the code")


def test_a_forged_facilitator_token_in_the_link_is_refused(server, db, open_page):
    page = open_page(f"{server.url}/console?code={CODE}&fac=forged-token-aaaaaaaaaaaaaaaaaaaaaa")
    expect(page.get_by_label("Facilitator PIN", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Pause", exact=True)).to_have_count(0)


def test_a_team_link_saves_only_into_its_own_teams_draft(server, db, open_page):
    engagement = engagements.current(db)
    stores = teams.by_slug(db, engagement.id, "stores")
    others = {t.id: drafts.load(db, t.id) for t in teams.list_teams(db, engagement.id) if t.id != stores.id}
    page = open_page(f"{server.url}/team?team=stores&code={CODE}")
    page.get_by_role("button", name="Edit objective").first.click()
    form = page.locator(EDITOR).filter(has=page.get_by_role("button", name="Save objective"))
    form.get_by_label("Objective", exact=True).fill("Stores saves this into its own draft only")
    form.get_by_role("button", name="Save objective").click()
    expect(page.get_by_text("Saved objective 1").first).to_be_visible()
    assert drafts.load(db, stores.id).objectives[0].fields.text == "Stores saves this into its own draft only"
    for team_id, before in others.items():
        assert drafts.load(db, team_id) == before, "a save on the Stores page changed another team's draft"


def test_a_room_laptop_guessing_pins_waits_alone_and_the_coachs_laptop_signs_in_at_once(server, db, browser):
    # The server trusts a forwarding header only from the loopback address (Uvicorn's default), which lets
    # this test speak as a laptop on the room's network; a real laptop cannot set its address this way.
    laptop = browser.new_context(extra_http_headers={"X-Forwarded-For": "192.168.1.31"})
    coach = browser.new_context()
    try:
        page = laptop.new_page()
        page.goto(f"{server.url}/console?code={CODE}")
        wait_idle(page)
        for attempt in range(access.FAILURES_PER_WINDOW):
            page.get_by_label("Facilitator PIN", exact=True).fill(f"99999{attempt}")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("That PIN is not right.")).to_be_visible()
            wait_idle(page)
        page.get_by_label("Facilitator PIN", exact=True).fill(PIN)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text(re.compile(r"Too many wrong PINs from this laptop\. Try again in \d+ seconds\.")))\
            .to_be_visible()
        expect(page.get_by_role("button", name="Pause", exact=True)).to_have_count(0)
        own = coach.new_page()
        own.goto(f"{server.url}/console?code={CODE}")
        wait_idle(own)
        own.get_by_label("Facilitator PIN", exact=True).fill(PIN)
        own.get_by_role("button", name="Sign in").click()
        expect(own.get_by_role("heading", name="Console")).to_be_visible()
    finally:
        laptop.close()
        coach.close()
        with db.write() as conn:  # let the wait pass, as the clock would, so the next tests can sign in
            conn.execute("DELETE FROM sign_in_attempts")


def test_streamlit_refuses_an_upload_without_its_xsrf_token(server, db):
    request = urllib.request.Request(f"{server.url}/_stcore/upload_file/some-session/some-widget",
                                     data=b"--x--\r\n", method="PUT",
                                     headers={"Content-Type": "multipart/form-data; boundary=x"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_no_page_prints_a_secret_or_makes_a_request_beyond_this_machine(server, db, browser):
    token = access.sign_in(db, PIN)
    # A context of its own starts with an empty cache: whatever a page asks for is requested, and recorded,
    # at least once (a cache shared with other tests could serve a CDN font unseen).
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.on("websocket", lambda socket: requested.append(socket.url))
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        # The facilitator's link opens every page with all it can show; the room's links, the PIN form on the
        # facilitator's pages included, are read for secrets in the test above (they ask for nothing more).
        for path in PAGES + ("/team?team=finance",):
            page.goto(f"{server.url}{path}{'&' if '?' in path else '?'}fac={token}")
            assert_no_secret(db, page, f"{path} with the facilitator's link", own_token=token)
            page.wait_for_load_state("networkidle")
        run = runs.current(db, engagements.current(db).id)
        # The projector through every kind of agenda item: what it draws follows the item's kind and view,
        # so the first item of each kind and view stands for the others. It redraws itself as the run moves on.
        first = {(item.kind, item.view): index for index, item in reversed(list(enumerate(run.items)))}
        mapping = screens.load()
        page.goto(f"{server.url}/projector?code={CODE}")
        for index in sorted(first.values()):
            runs.act(db, run.id, "jump", time.time(), index=index)
            view = mapping.for_item(run.items[index].kind, view=run.items[index].view).projector
            expect(page.locator(f"[data-testid='okc-item'][data-view='{view}']")).to_have_text(run.items[index].title)
            wait_idle(page)  # every element of the view is drawn: whatever it loads has been asked for
    finally:
        context.close()
    assert requested, "the recorder saw no request at all"
    outside = sorted({url for url in requested
                      if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname != "127.0.0.1"})
    assert not outside, f"requests left the machine: {outside}"
