"""Join, draft on one laptop, watch it arrive on another, reload, and resolve a stale edit."""

import json

from playwright.sync_api import Page, expect

from okrcoach.storage.store import Store
from tests.e2e.conftest import CODE, field_values, screenshot, wait_idle

OBJECTIVE = "Close every month's books faster and with fewer surprises"
WHY_NOW = ("The board now asks for results within five days. Last quarter it took twelve. "
           "Two late corrections cost us credibility with the bank. The new system goes live in March.")
KEY_RESULTS = [
    ("Cut the month-end close from 12 to 5 working days by the end of the quarter", "12", "5", "days"),
    ("Reduce post-close correcting entries from 30 to 5 a month", "30", "5", "entries"),
    ("Raise the share of invoices matched automatically from 40 to 85 %", "40", "85", "%"),
]


def visible(page: Page, label: str):
    return page.get_by_label(label, exact=True).filter(visible=True)


def join_as_team(page: Page, team_name: str) -> None:
    visible(page, "Workshop code").fill(CODE)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("combobox", name="Team").click()
    page.get_by_role("option", name=team_name).click()
    page.get_by_role("button", name="Join").click()
    page.wait_for_url("**/team?**")
    wait_idle(page)


def add_key_result(page: Page, text: str, start: str, target: str, unit: str) -> None:
    expander = page.locator("[data-testid='stExpander']").filter(has_text="Add a key result to objective 1")
    expect(expander).to_be_visible()
    if expander.locator("[data-testid='stExpanderDetails']").get_attribute("inert") is not None:
        expander.locator("summary").click()  # collapsed: its content is inert until opened
    expect(expander.get_by_label("Key result", exact=True)).to_be_editable()
    expander.get_by_label("Key result", exact=True).fill(text)
    expander.get_by_label("From", exact=True).fill(start)
    expander.get_by_label("To", exact=True).fill(target)
    expander.get_by_label("Unit", exact=True).fill(unit)
    expander.get_by_label("Champion", exact=True).fill("Nadia (Controller)")
    expander.get_by_role("button", name="Add key result").click()


def test_team_drafts_on_one_laptop_appear_on_another_and_survive_reload(server, open_page):
    laptop_a = open_page(f"{server.url}/")
    expect(visible(laptop_a, "Workshop code")).to_be_visible()
    expect(laptop_a.get_by_role("combobox", name="Team")).to_have_count(0)  # no teams before the code
    join_as_team(laptop_a, "Finance team")
    assert "team=finance" in laptop_a.url and f"code={CODE}" in laptop_a.url
    laptop_b = open_page(laptop_a.url)
    expect(laptop_b.get_by_text("Finance team", exact=True)).to_be_visible()

    visible(laptop_a, "Objective").fill(OBJECTIVE)
    visible(laptop_a, "Why now?").fill(WHY_NOW)
    laptop_a.get_by_role("button", name="Add objective").click()
    expect(laptop_a.get_by_text("Saved the new objective").first).to_be_visible()
    for number, (text, start, target, unit) in enumerate(KEY_RESULTS, 1):
        add_key_result(laptop_a, text, start, target, unit)
        expect(laptop_a.get_by_text(f"Key result 1.{number}", exact=True)).to_be_visible()
        wait_idle(laptop_a)
    screenshot(laptop_a, "team-drafting")

    for page in (laptop_a, laptop_b):  # laptop B gets it live, without a reload
        expect(page.get_by_text(OBJECTIVE)).to_be_visible(timeout=10_000)
        for text, *_ in KEY_RESULTS:
            expect(page.get_by_text(text)).to_be_visible(timeout=10_000)
    for page in (laptop_a, laptop_b):
        page.reload()
        wait_idle(page)
        expect(page.get_by_text(WHY_NOW)).to_be_visible()
        expect(page.get_by_text("from 12 to 5 days")).to_be_visible()


def test_stale_edit_offers_both_versions_and_keeps_unsaved_typing(server, open_page):
    url = f"{server.url}/team?team=stores&code={CODE}"
    laptop_a, laptop_b = open_page(url), open_page(url)
    for page in (laptop_a, laptop_b):
        page.get_by_role("button", name="Edit objective").first.click()
        expect(visible(page, "Objective")).to_be_visible()
    visible(laptop_a, "Objective").fill("Version typed on laptop A")
    visible(laptop_b, "Objective").fill("Version saved from laptop B")
    laptop_b.get_by_role("button", name="Save objective").click()
    expect(laptop_b.get_by_text("Saved objective 1").first).to_be_visible()

    expect(laptop_a.get_by_text("Another laptop saved a newer version")).to_be_visible(timeout=10_000)
    assert "Version typed on laptop A" in field_values(laptop_a)  # the live redraw kept the typing
    laptop_a.get_by_role("button", name="Save objective").click()
    expect(laptop_a.get_by_role("button", name="Keep my version")).to_be_visible()
    expect(laptop_a.get_by_text("Version saved from laptop B")).to_be_visible()
    screenshot(laptop_a, "stale-edit-choice")
    laptop_a.get_by_role("button", name="Keep my version").click()
    expect(laptop_a.get_by_text("Saved objective 1").first).to_be_visible()
    expect(laptop_b.get_by_text("Version typed on laptop A")).to_be_visible(timeout=10_000)

    with Store(server.db_path).read() as db:
        logged = [(json.loads(r["body"])["text"], r["outcome"]) for r in db.query(
            "SELECT body, outcome FROM revisions WHERE entity = 'objective' ORDER BY id DESC LIMIT 3")]
    assert ("Version saved from laptop B", "saved") in logged
    assert ("Version typed on laptop A", "conflict") in logged
    assert ("Version typed on laptop A", "saved") in logged

    laptop_b.get_by_role("button", name="History").nth(1).click()  # objective 1 (after the purpose); read when opened
    history = laptop_b.locator("[data-testid='stPopoverBody']")
    expect(history.get_by_text("not applied (stale edit)").first).to_be_visible()
    expect(history.get_by_text("Version saved from laptop B", exact=True)).to_be_visible()
    expect(history.get_by_text("Version typed on laptop A", exact=True).first).to_be_visible()


def test_team_link_without_the_code_shows_only_the_code_form(server, open_page):
    page = open_page(f"{server.url}/team?team=stores")
    expect(visible(page, "Workshop code")).to_be_visible()
    expect(page.get_by_text("Stores", exact=False)).to_have_count(0)
    visible(page, "Workshop code").fill(CODE)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Stores team", exact=True)).to_be_visible()
    assert "team=stores" in page.url


def test_code_link_fills_the_join_form(server, open_page):
    page = open_page(f"{server.url}/?code={CODE}")
    expect(page.get_by_role("combobox", name="Team")).to_be_visible()


def test_typed_markup_is_shown_as_text_not_rendered(server, open_page):
    page = open_page(f"{server.url}/team?team=supply&code={CODE}")
    page.get_by_role("button", name="Edit purpose").click()
    hostile = "<b>bold</b> <script>window.owned=1</script> **stars** [link](http://example.invalid) # head"
    visible(page, "Why does our team exist?").fill(hostile)
    page.get_by_role("button", name="Save purpose").click()
    expect(page.get_by_text("Saved team purpose").first).to_be_visible()
    expect(page.get_by_text(hostile)).to_be_visible()
    injected = page.eval_on_selector_all(
        "main b, main script:not([data-okc-count]), a[href='http://example.invalid']", "els => els.map(e => e.outerHTML)")
    assert injected == [], injected
    assert page.evaluate("window.owned") is None
