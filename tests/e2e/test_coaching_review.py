"""Coaching questions follow what a team types: a task-like key result is questioned until it is measured."""

from playwright.sync_api import expect

from tests.e2e.conftest import CODE
from tests.e2e.laptops import EDITOR

QUESTION = "What is the intended outcome of 'Launch the new website', and how would we measure it?"


def test_task_like_key_result_is_questioned_until_rewritten_as_an_outcome(server, open_page):
    page = open_page(f"{server.url}/team?team=finance&code={CODE}")
    page.get_by_label("Objective", exact=True).filter(visible=True).fill("Be the easiest supplier to pay")
    page.get_by_role("button", name="Add objective").click()
    expect(page.get_by_text("Saved the new objective").first).to_be_visible()
    expander = page.locator("[data-testid='stExpander']").filter(has_text="Add a key result to objective 1")
    expect(expander.get_by_label("Key result", exact=True)).to_be_editable()
    expander.get_by_label("Key result", exact=True).fill("Launch the new website")
    expander.get_by_label("Champion", exact=True).fill("Nadia")
    expander.get_by_role("button", name="Add key result").click()
    expect(page.get_by_text(QUESTION, exact=True)).to_be_visible(timeout=10_000)

    page.get_by_role("button", name="Edit key result").click()
    form = page.locator(EDITOR).filter(has=page.get_by_role("button", name="Save key result"))
    form.get_by_label("Key result", exact=True).fill(
        "Raise the share of invoices paid online from 40 % to 75 % by the end of the quarter")
    form.get_by_label("From", exact=True).fill("40")
    form.get_by_label("To", exact=True).fill("75")
    form.get_by_role("button", name="Save key result").click()
    expect(page.get_by_text("Saved key result 1.1").first).to_be_visible()
    expect(page.get_by_text(QUESTION, exact=True)).to_have_count(0, timeout=10_000)
