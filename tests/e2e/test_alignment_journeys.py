"""Across laptops: a dependency asked and accepted; a candidate promoted under the limit reaches team pages."""

from playwright.sync_api import expect

from okrcoach.drafting import drafts, executive
from okrcoach.storage.store import Store
from okrcoach.workshop import access, engagements, teams
from tests.e2e.conftest import CODE, PIN, pick_option, screenshot
from tests.e2e.laptops import EDITOR, new_laptop_id


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


def test_a_candidate_promoted_under_the_limit_reaches_contributes_to(server, open_page):
    # Three executives' dots, cast here as their laptops would: tests/e2e/test_executive_session.py votes from
    # three laptops and promotes a winner in place of an objective; this one promotes one into a free place.
    store = Store(server.db_path)
    engagement = engagements.current(store)
    first = executive.propose(store, engagement.id, "Be the region's most trusted outdoor advisor", "Price war", "CEO")
    second = executive.propose(store, engagement.id, "Turn members into a community", "Churn", "CMO")
    numbers = {c.id: c.number for c in executive.candidates(store, engagement.id)}
    for dots in ({first: 2, second: 1}, {first: 3}, {second: 2}):
        executive.cast(store, engagement.id, new_laptop_id(), dots)
    executive.reveal(store, engagement.id)

    projected = open_page(f"{server.url}/executive?code={CODE}")
    expect(projected.get_by_text(f"{numbers[first]}. Be the region's most trusted outdoor advisor · 5 dots")
           ).to_be_visible()
    expect(projected.get_by_text(f"{numbers[second]}. Turn members into a community · 3 dots")).to_be_visible()
    screenshot(projected, "executive-tally")

    token = access.sign_in(store, PIN)
    # The demo's leadership team is full (3 objectives); make room, as a coach would, then promote.
    top = teams.by_slug(store, engagement.id, "leadership")
    drafts.remove_objective(store, top, drafts.load(store, top.id).objectives[-1].id, "facilitator")
    facilitator = open_page(f"{server.url}/executive?code={CODE}&fac={token}")
    facilitator.locator(f".st-key-promote-{first}").get_by_role("button").click()  # the 5-dot candidate's
    expect(facilitator.get_by_text("Promoted to a top-level objective.").first).to_be_visible()

    team = open_page(f"{server.url}/team?team=stores&code={CODE}")
    team.get_by_role("button", name="Edit objective").first.click()
    form = team.locator(EDITOR).filter(has=team.get_by_role("button", name="Save objective"))
    pick_option(team, form.get_by_role("combobox", name="Contributes to"),
                "Be the region's most trusted outdoor advisor")
