"""The executive session as a facilitator runs it: laptops vote, the tally is revealed, the chosen reach the teams."""

import time

from playwright.sync_api import Page, expect

from okrcoach.drafting import drafts, executive
from okrcoach.storage.store import Store
from okrcoach.workshop import access, agendas, engagements, runs, screens, teams
from tests.e2e.conftest import CODE, PIN, pick_option, screenshot, wait_idle
from tests.e2e.laptops import EDITOR

PROJECTOR, LAPTOP = {"width": 1920, "height": 1080}, {"width": 1366, "height": 768}
CANDIDATES = [("Be the outdoor advisor people trust first", "Price comparison sites win our customers"),
              ("Turn members into a community", "Members who meet twice a year stay"),
              ("Make every store pay its way", "")]


def executive_run(store: Store, at: str | None = None) -> runs.Run:
    """A fresh run of the executive session (started, at the item titled `at`)."""
    engagement = engagements.current(store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "executive-drafting")
    run = runs.start_run(store, engagement.id, agenda)
    if at:
        runs.act(store, run.id, "start", time.time())
        runs.act(store, run.id, "jump", time.time(), index=[i.title for i in agenda.items].index(at))
    return run


def candidates(store: Store) -> list[executive.Candidate]:
    engagement = engagements.current(store)
    if not executive.candidates(store, engagement.id):
        for text, why in CANDIDATES:
            executive.propose(store, engagement.id, text, why, "CEO")
    return executive.candidates(store, engagement.id)


def empty_ballot(store: Store) -> None:
    """No laptop has opened the ballot or voted yet: a run of the test once more starts from "0 of 3"."""
    with store.write() as db:
        db.execute("DELETE FROM votes")
        db.execute("DELETE FROM ballot_laptops")
    executive.reveal(store, engagements.current(store).id, shown=False)


def vote(laptop: Page, dots: dict[int, int]) -> None:
    laptop.bring_to_front()  # its person looks at it: a tab behind another draws two frames a second
    for number, count in dots.items():
        laptop.get_by_label(f"Dots for {number}", exact=True).fill(str(count))
    laptop.get_by_role("button", name="Cast my dots").click()
    expect(laptop.get_by_text(f"Your {sum(dots.values())} dots are in.").first).to_be_visible()


def test_three_laptops_vote_the_tally_is_revealed_and_a_promoted_candidate_reaches_a_team(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    listed = candidates(store)
    run = executive_run(store, at="Dot vote")
    empty_ballot(store)
    projector = open_page(f"{server.url}/projector?code={CODE}", **PROJECTOR)
    laptops = [open_page(f"{server.url}/executive?code={CODE}", **LAPTOP) for _ in range(3)]
    tally = projector.locator("[data-testid='okc-tally']")
    expect(tally).to_contain_text("0 of 3 have voted", timeout=10_000)
    # Every laptop sees the same candidates in the same order, with their own text, whatever the votes.
    for laptop in laptops:
        for candidate in listed:
            expect(laptop.locator(f".st-key-ballot-candidate-{candidate.number}")).to_contain_text(
                f"{candidate.number}. {candidate.text}")

    vote(laptops[0], {1: 2, 2: 1})
    expect(tally).to_contain_text("1 of 3 have voted", timeout=10_000)
    vote(laptops[1], {1: 3})
    vote(laptops[2], {2: 2, 3: 1})
    expect(projector.locator("[data-testid='okc-tally'][data-revealed='false']")).to_contain_text(
        "3 of 3 have voted", timeout=10_000)
    for candidate in listed:  # named as on the ballots, no dots shown yet
        expect(tally).to_contain_text(f"{candidate.number}. {candidate.text}")
    assert "5" not in tally.inner_text()
    expect(laptops[0].locator(".st-key-ballot-candidate-1 input")).to_have_value("2")  # numbers did not move
    screenshot(projector, "executive-tally-hidden")

    token = access.sign_in(store, PIN)
    facilitator = open_page(f"{server.url}/executive?fac={token}", **LAPTOP)
    facilitator.get_by_text("Who has voted").click()
    for number in (1, 2, 3):
        expect(facilitator.get_by_text(f"Laptop {number}: voted (3 dots)")).to_be_visible()
    facilitator.get_by_role("button", name="Reveal the tally").click()
    revealed = projector.locator("[data-testid='okc-tally'][data-revealed='true']")
    expect(revealed).to_be_visible(timeout=10_000)
    expect(revealed).to_contain_text(f"1. {listed[0].text}")
    expect(revealed.get_by_text("5", exact=True)).to_be_visible()
    screenshot(projector, "executive-tally-revealed")

    # The demo's leadership team is full: the winner goes in place of an existing top-level objective.
    top = next(t for t in teams.list_teams(store, engagement.id) if t.kind == "top")
    replaced = drafts.load(store, top.id).objectives[-1]
    wait_idle(facilitator)
    pick_option(facilitator, facilitator.get_by_role("combobox", name="In place of").first, replaced.fields.text)
    facilitator.get_by_role("button", name="Promote in place of…").first.click()
    expect(facilitator.get_by_text("Promoted to a top-level objective.").first).to_be_visible(timeout=10_000)
    tops = [o.fields.text for o in drafts.top_objectives(store, engagement.id)]
    assert listed[0].text in tops and replaced.fields.text not in tops

    # Later (here: the session's drafting items, where laptops may draft) a team links its objective to it.
    runs.act(store, run.id, "jump", time.time(), index=[i.title for i in run.items].index("Draft Why now?"))
    team = open_page(f"{server.url}/team?team=stores&code={CODE}", **LAPTOP)
    team.get_by_role("button", name="Edit objective").first.click()
    form = team.locator(EDITOR).filter(has=team.get_by_role("button", name="Save objective"))
    pick_option(team, form.get_by_role("combobox", name="Contributes to"), listed[0].text)
    team.keyboard.press("Escape")
    # Leave the open multiselect first: it shrinks when it loses focus, which moves the Save button.
    form.get_by_text("Status", exact=True).click()
    wait_idle(team)
    form.get_by_role("button", name="Save objective").click()
    expect(team.get_by_text("Saved objective 1").first).to_be_visible()
    stores = teams.by_slug(store, engagement.id, "stores")
    promoted = next(o.id for o in drafts.top_objectives(store, engagement.id) if o.fields.text == listed[0].text)
    assert promoted in drafts.load(store, stores.id).objectives[0].fields.contributes_to


def test_the_executive_agenda_item_by_item_shows_the_view_each_item_names(server, open_page):
    store = Store(server.db_path)
    listed = candidates(store)
    run = executive_run(store)
    mapping = screens.load()
    token = access.sign_in(store, PIN)
    console = open_page(f"{server.url}/console?fac={token}", **LAPTOP)
    projector = open_page(f"{server.url}/projector?code={CODE}", **PROJECTOR)
    leadership = open_page(f"{server.url}/team?team=leadership&code={CODE}", **LAPTOP)
    console.bring_to_front()  # a tab behind another draws two frames a second: each click there waits for one
    console.get_by_role("button", name="Start").click()
    seen = []
    for number, item in enumerate(run.items):
        expected = mapping.for_item(item.kind, view=item.view)
        expect(projector.locator(f"[data-testid='okc-item'][data-view='{expected.projector}']")).to_have_text(
            item.title, timeout=10_000)
        expect(leadership.locator(f".st-key-agenda-view-{expected.team}")).to_be_attached(timeout=10_000)
        if expected.projector == "candidates":
            expect(projector.locator("[data-testid='okc-candidates']")).to_contain_text(f"1. {listed[0].text}")
            expect(leadership.locator(f".st-key-agenda-view-{expected.team}")).to_contain_text(
                f"2. {listed[1].text}")
        if expected.projector == "tally":
            expect(leadership.get_by_label("Dots for 1", exact=True)).to_be_visible()
        if expected.projector == "leadership":
            expect(projector.locator("[data-testid='okc-leadership']")).to_contain_text("Why now?")
            expect(leadership.get_by_role("button", name="Edit objective").first).to_be_visible()
        assert not projector.get_by_text("Health metric (").count(), item.title  # never the sorting exercise
        seen.append((item.title, expected.projector, expected.team))
        if number < len(run.items) - 1:
            console.get_by_role("button", name="Next", exact=True).click()
    assert {(title, shown) for title, shown, _ in seen} >= {
        ("Review the pre-work", "candidates"), ("Candidate objectives", "candidates"), ("Dot vote", "tally"),
        ("Draft Why now?", "leadership"), ("Draft key results", "leadership")}
