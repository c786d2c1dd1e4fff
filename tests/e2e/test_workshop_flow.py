"""The agenda drives the screens: each item kind puts the right view on the projector and team laptops."""

from playwright.sync_api import expect

from okrcoach.drafting import executive
from okrcoach.storage.store import Store
from okrcoach.workshop import access, agendas, engagements, runs, screens
from tests.e2e.conftest import CODE, PIN, field_values, screenshot, wait_idle

KINDS = ["talk", "exercise", "breakout", "share-out", "vote", "review", "break"]


def test_stepping_through_every_kind_switches_every_screen(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    template = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagement.id, template)
    runs.adapt(store, run.id, [
        {"title": f"The {kind} item", "minutes": 10, "kind": kind, "prompts": [f"A prompt for the {kind}"],
         "notes": "", "instructions": "Sort each metric." if kind == "exercise" else ""} for kind in KINDS])
    executive.propose(store, engagement.id, "Win the loyalty of core customers", "", "CEO")
    token = access.sign_in(store, PIN)
    mapping = screens.load()

    console = open_page(f"{server.url}/console?fac={token}")
    projector = open_page(f"{server.url}/projector?code={CODE}", width=1280, height=720)
    stores = open_page(f"{server.url}/team?team=stores&code={CODE}")
    care = open_page(f"{server.url}/team?team=customer-care&code={CODE}")
    # Each laptop's tab is brought to the front before it is used, as its person looks at it: a tab behind
    # another draws two frames a second, and each Playwright click there waits for a steady frame.
    console.bring_to_front()
    console.get_by_role("button", name="Start").click()

    for kind in KINDS:
        expected = mapping.for_item(kind)
        expect(projector.locator(f"[data-testid='okc-item'][data-view='{expected.projector}']")).to_have_text(
            f"The {kind} item", timeout=10_000)
        for team_page in (stores, care):
            expect(team_page.locator(f".st-key-agenda-view-{expected.team}")).to_be_attached(timeout=10_000)
        if kind == "breakout":
            stores.bring_to_front()
            stores.get_by_role("button", name="Edit objective").first.click()
            stores.get_by_label("Why now?", exact=True).filter(visible=True).fill("Typed, not saved, before Next")
        if kind == "share-out":
            assert "Typed, not saved, before Next" in field_values(stores)  # survived the item change
            console.bring_to_front()
            console.get_by_role("combobox", name="Team presenting").click()
            console.get_by_role("option", name="Customer care team").click()
            console.get_by_role("button", name="Show on the projector").click()
            expect(projector.get_by_text("Customer care team · objective 1 of")).to_be_visible(timeout=10_000)
            console.get_by_role("button", name="Next objective").click()  # no number typed
            expect(projector.get_by_text("Customer care team · objective 2 of")).to_be_visible(timeout=10_000)
            expect(projector.get_by_text("Champion: ").first).to_be_visible()
            expect(stores.get_by_text("Presenting now")).to_be_visible(timeout=10_000)
        if kind == "exercise":
            care.bring_to_front()
            care.get_by_label("Metric or task you already track", exact=True).fill("Average phone wait time")
            care.get_by_role("button", name="Add").click()
            expect(projector.get_by_text("Average phone wait time — Customer care team")).to_be_visible(
                timeout=10_000)
        wait_idle(projector)
        if expected.projector == "alignment":  # in room type: every team objective written out
            expect(projector.locator("[data-testid='okc-alignment-room']")).to_contain_text("Not linked yet")
        screenshot(projector, f"projector-{kind}")
        if kind != KINDS[-1]:
            console.bring_to_front()
            console.get_by_role("button", name="Next", exact=True).click()

    assert "Typed, not saved, before Next" in field_values(stores)


def test_facilitator_pins_the_projector_and_releases_it(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    run = runs.current(store, engagement.id)
    token = access.sign_in(store, PIN)
    console = open_page(f"{server.url}/console?fac={token}")
    projector = open_page(f"{server.url}/projector?code={CODE}", width=1280, height=720)
    console.bring_to_front()
    console.get_by_text("Alignment view").click()
    console.get_by_role("button", name="Apply to the projector").click()
    expect(projector.locator("[data-testid='okc-item'][data-view='alignment']")).to_be_attached(timeout=10_000)
    wait_idle(console)  # the pin's radio is drawn anew once the console has redrawn
    console.get_by_text("Follow the agenda").click()
    console.get_by_role("button", name="Apply to the projector").click()
    following = screens.load().for_item(run.items[runs.current(store, engagement.id).state.current].kind).projector
    expect(projector.locator(f"[data-testid='okc-item'][data-view='{following}']")).to_be_attached(timeout=10_000)
