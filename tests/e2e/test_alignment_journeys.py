"""Across laptops: a dependency asked and accepted; executives vote; a promoted candidate reaches team pages."""

from playwright.sync_api import Page, expect

from okrcoach.drafting import executive
from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements
from tests.e2e.conftest import CODE, PIN, pick_option, screenshot, wait_idle
from tests.e2e.laptops import EDITOR


def visible(page: Page, label: str):
    return page.get_by_label(label, exact=True).filter(visible=True)


def test_dependency_request_is_accepted_and_the_asking_team_sees_it(server, open_page):
    asking = open_page(f"{server.url}/team?team=customer-care&code={CODE}")
    asked = open_page(f"{server.url}/team?team=finance&code={CODE}")
    expect(asked.get_by_text("No team depends on you yet.")).to_be_visible()

    asking.get_by_role("button", name="Edit key result").first.click()
    form = asking.locator(EDITOR).filter(has=asking.get_by_role("button", name="Save key result"))
    pick_option(asking, form.get_by_role("combobox", name="Depends on"), "Finance team")
    asking.keyboard.press("Escape")
    form.get_by_role("button", name="Save key result").click()
    expect(asking.get_by_text("Saved key result 1.1").first).to_be_visible()
    expect(asking.get_by_text("depends on Finance team (requested)")).to_be_visible()

    expect(asked.get_by_text("1 request, 1 waiting for your answer.")).to_be_visible(timeout=10_000)
    expect(asked.get_by_text("Customer care team asks for help with")).to_be_visible()
    asked.get_by_label("Comment", exact=True).fill("We will send the refund data weekly")
    asked.get_by_role("button", name="Accept").click()
    expect(asked.get_by_text("Answered Customer care team: accepted").first).to_be_visible()

    expect(asking.get_by_text("depends on Finance team (accepted: We will send the refund data weekly)")
           ).to_be_visible(timeout=10_000)

    view = open_page(f"{server.url}/alignment?code={CODE}", width=1280, height=720)
    pick_option(view, view.get_by_role("combobox", name="Team"), "Finance team")
    view.get_by_role("tab", name="Horizontal").click()
    expect(view.locator(".js-plotly-plot text").filter(has_text="1✓").first).to_be_visible(timeout=10_000)
    screenshot(view, "alignment-horizontal")


def test_three_executives_vote_and_a_promoted_candidate_reaches_contributes_to(server, open_page):
    store = Store(server.db_path)
    engagement = engagements.current(store)
    first = executive.propose(store, engagement.id, "Be the region's most trusted outdoor advisor", "Price war", "CEO")
    second = executive.propose(store, engagement.id, "Turn members into a community", "Churn", "CMO")
    numbers = {c.id: c.number for c in executive.candidates(store, engagement.id)}
    url = f"{server.url}/executive?code={CODE}"
    votes = [{first: 2, second: 1}, {first: 3}, {second: 2}]
    for dots in votes:
        laptop = open_page(url)
        for candidate_id, count in dots.items():
            visible(laptop, f"Dots for {numbers[candidate_id]}").fill(str(count))
        laptop.get_by_role("button", name="Cast my dots").click()
        expect(laptop.get_by_text(f"Your {sum(dots.values())} dots are in.").first).to_be_visible()
    executive.reveal(store, engagement.id)

    projected = open_page(f"{server.url}/executive?code={CODE}")
    expect(projected.get_by_text(f"{numbers[first]}. Be the region's most trusted outdoor advisor · 5 dots")
           ).to_be_visible()
    expect(projected.get_by_text(f"{numbers[second]}. Turn members into a community · 3 dots")).to_be_visible()
    screenshot(projected, "executive-tally")

    token = access.sign_in(store, PIN)
    facilitator = open_page(f"{server.url}/executive?code={CODE}&fac={token}")
    # The demo's leadership team is full (3 objectives); make room, as a coach would, then promote.
    from okrcoach.drafting import drafts
    from okrcoach.workshop import teams
    top = teams.by_slug(store, engagement.id, "leadership")
    drafts.remove_objective(store, top, drafts.load(store, top.id).objectives[-1].id, "facilitator")
    facilitator.reload()
    wait_idle(facilitator)
    facilitator.locator(f".st-key-promote-{first}").get_by_role("button").click()  # the 5-dot candidate's
    expect(facilitator.get_by_text("Promoted to a top-level objective.").first).to_be_visible()

    team = open_page(f"{server.url}/team?team=stores&code={CODE}")
    team.get_by_role("button", name="Edit objective").first.click()
    team.get_by_role("combobox", name="Contributes to").click()
    expect(team.get_by_role("option", name="Be the region's most trusted outdoor advisor")).to_be_visible()
