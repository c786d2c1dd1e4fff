"""Nothing a team types or saves is lost: the eight losses of issue 14, each with several Chromium laptops of one team.

A field is left with Tab before another laptop acts (as in the issue: "unsaved, field left"); the server then
keeps that typing for the laptop, and nothing another laptop or the facilitator does may take it off the screen.
"""

import json

import pytest
from playwright.sync_api import Page, expect

from okrcoach.drafting import dependencies, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams
from tests.e2e.conftest import pick_option
from tests.e2e.laptops import (card, editor, fresh_team, jump, new_laptop_id, settle, team_url, type_and_leave,
                               wait_kept)

pytestmark = pytest.mark.timeout(240)
REDRAW = 10_000  # ms: a teammate's save reaches another laptop within 1.5 s; generous for a loaded CI machine


@pytest.fixture(scope="module")
def room(breakout_server):
    """The worker's server in its demo's first breakout; this module restarts it once."""
    return breakout_server


def store_of(room) -> Store:
    return Store(room.db_path)


def params(room):
    return engagements.current(store_of(room))


def laptops(open_page, room, slug: str, count: int = 2) -> list[tuple[Page, str]]:
    opened = []
    for _ in range(count):
        laptop = new_laptop_id()
        page = open_page(team_url(room.url, slug, laptop))
        settle(page)
        opened.append((page, laptop))
    return opened


def objective_field(scope, label: str = "Objective"):
    return scope.get_by_label(label, exact=True)


def test_1_a_teammates_save_never_closes_an_open_add_form(room, open_page):
    team = fresh_team(room.db_path, "Integrity one")
    (a, a_id), (b, _) = laptops(open_page, room, team.slug)
    adding_a = editor(a, f"add-objective-{team.id}")
    type_and_leave(objective_field(adding_a), "Laptop A's objective, typed and left")
    type_and_leave(objective_field(adding_a, "Why now?"), "Because A says so.")
    wait_kept(room.db_path, a_id, f"add-objective-{team.id}", "why_now", "Because A says so.")
    adding_b = editor(b, f"add-objective-{team.id}")
    objective_field(adding_b).fill("Laptop B's objective, saved first")
    adding_b.get_by_role("button", name="Add objective").click()
    expect(b.get_by_text("Saved the new objective").first).to_be_visible()
    expect(a.get_by_text("Laptop B's objective, saved first")).to_be_visible(timeout=REDRAW)  # A redrew
    expect(objective_field(adding_a)).to_have_value("Laptop A's objective, typed and left")
    expect(objective_field(adding_a, "Why now?")).to_have_value("Because A says so.")
    settle(a)

    # The same for 'Add a key result' when a teammate's key result brings the count to the minimum.
    objective = drafts.load(store_of(room), team.id).objectives[0]
    drafts.add_key_result(store_of(room), team, objective.id, KeyResultFields("First key result, from 1 to 2"),
                          params(room).params, params(room).cycle_end, "setup")
    expect(a.get_by_text("First key result, from 1 to 2")).to_be_visible(timeout=REDRAW)
    expect(b.get_by_text("First key result, from 1 to 2")).to_be_visible(timeout=REDRAW)
    kr_a, kr_b = editor(a, f"add-kr-{objective.id}"), editor(b, f"add-kr-{objective.id}")
    type_and_leave(kr_a.get_by_label("Key result", exact=True), "A's key result, typed and left")
    wait_kept(room.db_path, a_id, f"add-kr-{objective.id}", "text", "A's key result, typed and left")
    kr_b.get_by_label("Key result", exact=True).fill("B's key result, saved: the second")
    kr_b.get_by_role("button", name="Add key result").click()
    expect(a.get_by_text("B's key result, saved: the second")).to_be_visible(timeout=REDRAW)
    expect(kr_a.get_by_label("Key result", exact=True)).to_have_value("A's key result, typed and left")
    kr_a.get_by_role("button", name="Add key result").click()
    expect(b.get_by_text("A's key result, typed and left")).to_be_visible(timeout=REDRAW)
    settle(a)
    settle(b)


def test_2_typing_in_add_forms_survives_a_break_and_back(room, open_page):
    team = fresh_team(room.db_path, "Integrity two")
    drafts.add_objective(store_of(room), team, ObjectiveFields("Objective with no key results yet"),
                         params(room).params, "setup")
    ((a, a_id),) = laptops(open_page, room, team.slug, count=1)
    objective = drafts.load(store_of(room), team.id).objectives[0]
    adding_objective, adding_kr = editor(a, f"add-objective-{team.id}"), editor(a, f"add-kr-{objective.id}")
    a.get_by_text("Add an objective").click()
    type_and_leave(objective_field(adding_objective), "A second objective, typed before the break")
    type_and_leave(adding_kr.get_by_label("Key result", exact=True), "A key result typed before the break")
    wait_kept(room.db_path, a_id, f"add-kr-{objective.id}", "text", "A key result typed before the break")
    wait_kept(room.db_path, a_id, f"add-objective-{team.id}", "text", "A second objective, typed before the break")
    try:
        jump(room.db_path, "break")
        expect(a.locator(".st-key-agenda-view-break")).to_be_attached(timeout=REDRAW)
        expect(objective_field(adding_objective)).to_have_value("A second objective, typed before the break")
        jump(room.db_path, "breakout", 1)
        expect(a.locator(".st-key-agenda-view-drafting")).to_be_attached(timeout=REDRAW)
    finally:
        jump(room.db_path, "breakout", 0)
    settle(a)
    expect(objective_field(adding_objective)).to_have_value("A second objective, typed before the break")
    expect(adding_kr.get_by_label("Key result", exact=True)).to_have_value("A key result typed before the break")


def test_3_removing_under_an_open_editor_keeps_the_typing_and_offers_the_choice(room, open_page):
    team = fresh_team(room.db_path, "Integrity three")
    objective = drafts.add_objective(store_of(room), team, ObjectiveFields("Keep customers"), params(room).params, "s")
    kr = drafts.add_key_result(store_of(room), team, objective.id, KeyResultFields("Churn from 9 to 5 %"),
                               params(room).params, params(room).cycle_end, "setup")
    (a, a_id), (b, _) = laptops(open_page, room, team.slug)
    for page in (a, b):
        card(page, "kr", kr.id).get_by_role("button", name="Edit key result").click()
    type_and_leave(editor(a, f"kr-{kr.id}").get_by_label("Key result", exact=True), "Churn from 9 to 4 %, A's text")
    wait_kept(room.db_path, a_id, f"kr-{kr.id}", "text", "Churn from 9 to 4 %, A's text")

    # B's Remove applies only to the version B saw: A saves first, so B's removal is refused.
    editor(a, f"kr-{kr.id}").get_by_role("button", name="Save key result").click()
    expect(a.get_by_text("Saved key result 1.1").first).to_be_visible()
    editor(b, f"kr-{kr.id}").get_by_role("button", name="Remove key result 1.1").click()
    b.get_by_role("button", name="Yes, remove key result 1.1").click()
    expect(b.get_by_text("Nothing was removed")).to_be_visible()
    assert [k.fields.text for k in drafts.load(store_of(room), team.id).objectives[0].key_results] == [
        "Churn from 9 to 4 %, A's text"]

    # A edits again; B, now on the current version, removes it: A keeps the text and chooses.
    editor(b, f"kr-{kr.id}").get_by_role("button", name="Discard").click()
    expect(b.get_by_text("Churn from 9 to 4 %, A's text")).to_be_visible(timeout=REDRAW)
    card(a, "kr", kr.id).get_by_role("button", name="Edit key result").click()
    type_and_leave(editor(a, f"kr-{kr.id}").get_by_label("Key result", exact=True), "Churn from 9 to 3 %, A again")
    wait_kept(room.db_path, a_id, f"kr-{kr.id}", "text", "Churn from 9 to 3 %, A again")
    card(b, "kr", kr.id).get_by_role("button", name="Edit key result").click()
    editor(b, f"kr-{kr.id}").get_by_role("button", name="Remove key result 1.1").click()
    b.get_by_role("button", name="Yes, remove key result 1.1").click()
    expect(b.get_by_text("Removed key result 1.1").first).to_be_visible()
    expect(a.get_by_text("The key result you were editing was removed")).to_be_visible(timeout=REDRAW)
    kept = editor(a, f"kr-{kr.id}").get_by_label("Key result", exact=True)
    expect(kept).to_have_value("Churn from 9 to 3 %, A again")
    a.get_by_role("button", name="Restore it with my text").click()
    expect(a.get_by_text("Restored the key result with your text").first).to_be_visible()
    expect(b.get_by_text("Churn from 9 to 3 %, A again")).to_be_visible(timeout=REDRAW)
    with store_of(room).read() as db:
        log = [(r["outcome"], json.loads(r["body"]).get("text")) for r in db.query(
            "SELECT outcome, body FROM revisions WHERE entity = 'key_result' AND entity_id = ? ORDER BY id", [kr.id])]
    assert ("removed", "Churn from 9 to 4 %, A's text") in log and log[-1] == ("saved", "Churn from 9 to 3 %, A again")

    # A removed objective is listed for the team and can be restored.
    card(b, "objective", objective.id).get_by_role("button", name="Edit objective").click()
    editor(b, f"objective-{objective.id}").get_by_role("button", name="Remove objective 1").click()
    b.get_by_role("button", name="Yes, remove objective 1").click()
    expect(b.get_by_text("Removed objective 1").first).to_be_visible()
    expect(card(a, "objective", objective.id)).to_have_count(0, timeout=REDRAW)  # A's page has redrawn, so
    settle(a)  # A's clicks land on the list of removed items, not on one a redraw is about to replace
    a.get_by_text("Removed objectives and key results").click()
    a.get_by_role("button", name="Restore").first.click()
    expect(a.get_by_text("Restored the objective").first).to_be_visible()
    expect(b.get_by_text("Churn from 9 to 3 %, A again")).to_be_visible(timeout=REDRAW)
    settle(a)
    settle(b)


def test_4_chosen_links_survive_their_options_changing(room, open_page):
    store = store_of(room)
    engagement = engagements.current(store)
    team = fresh_team(room.db_path, "Integrity four")
    objective = drafts.add_objective(store, team, ObjectiveFields("Serve the north"), engagement.params, "setup")
    kr = drafts.add_key_result(store, team, objective.id, KeyResultFields("Deals from 4 to 10"), engagement.params,
                               engagement.cycle_end, "setup")
    top = drafts.top_objectives(store, engagement.id)
    ((a, a_id),) = laptops(open_page, room, team.slug, count=1)
    card(a, "objective", objective.id).get_by_role("button", name="Edit objective").click()
    editing = editor(a, f"objective-{objective.id}")
    chosen = drafts.load(store, top[0].team_id).objectives[0]
    pick_option(a, editing.get_by_role("combobox", name="Contributes to"), " ".join(chosen.fields.text.split())[:40])
    a.keyboard.press("Escape")
    settle(a)
    other = top[1]  # leadership rewords another top-level objective
    leadership = next(t for t in teams.list_teams(store, engagement.id) if t.id == other.team_id)
    reworded = ObjectiveFields(other.fields.text + " (reworded)", other.fields.why_now, other.fields.status)
    drafts.save_objective(store, leadership, other.id, reworded, other.version, "CEO")
    type_and_leave(objective_field(editing), "Serve the north, reworded by A")
    settle(a)
    editing.get_by_role("button", name="Save objective").click()
    expect(a.get_by_text("Saved objective 1").first).to_be_visible()
    assert drafts.load(store, team.id).objectives[0].fields.contributes_to == (chosen.id,)

    # 'Depends on' while the facilitator renames a team.
    card(a, "kr", kr.id).get_by_role("button", name="Edit key result").click()
    editing = editor(a, f"kr-{kr.id}")
    finance = next(t for t in teams.list_teams(store, engagement.id) if t.slug == "supply")
    pick_option(a, editing.get_by_role("combobox", name="Depends on"), finance.name)
    a.keyboard.press("Escape")
    settle(a)
    teams.rename(store, finance.id, finance.name + " (renamed)")
    type_and_leave(editing.get_by_label("Key result", exact=True), "Deals from 4 to 12")
    settle(a)
    editing.get_by_role("button", name="Save key result").click()
    expect(a.get_by_text("Saved key result 1.1").first).to_be_visible()
    assert drafts.load(store, team.id).objectives[0].key_results[0].fields.depends_on == (finance.id,)


def test_5_two_answers_to_one_request_never_corrupt_it(room, open_page):
    store = store_of(room)
    engagement = engagements.current(store)
    asking, asked = fresh_team(room.db_path, "Integrity five asks"), fresh_team(room.db_path, "Integrity five helps")
    objective = drafts.add_objective(store, asking, ObjectiveFields("Open the north"), engagement.params, "setup")
    drafts.add_key_result(store, asking, objective.id, KeyResultFields("Two depots open", depends_on=(asked.id,)),
                          engagement.params, engagement.cycle_end, "setup")
    request = dependencies.asked_of(store, asked.id)[0]
    (a, a_id), (b, b_id) = laptops(open_page, room, asked.slug)
    box_a, box_b = a.locator(f".st-key-request-{request.id}"), b.locator(f".st-key-request-{request.id}")
    type_and_leave(box_a.get_by_label("Comment"), "A: we can lend a driver")
    type_and_leave(box_b.get_by_label("Comment"), "B: no driver this quarter")
    wait_kept(room.db_path, b_id, f"answer-{request.id}", "comment", "B: no driver this quarter")
    box_a.get_by_role("button", name="Accept").click()
    expect(a.get_by_text("Answered Integrity five asks: accepted").first).to_be_visible()
    expect(box_b.get_by_text("answered by", exact=False)).to_be_visible(timeout=REDRAW)
    expect(box_b.get_by_label("Comment")).to_have_value("B: no driver this quarter")  # B's typing stays
    box_b.get_by_role("button", name="Decline").click()
    expect(b.get_by_text("Your answer was not applied")).to_be_visible()
    expect(box_b.get_by_label("Comment")).to_have_value("B: no driver this quarter")
    now = dependencies.asked_of(store, asked.id)[0]
    assert (now.status, now.comment) == ("accepted", "A: we can lend a driver")
    box_b.get_by_role("button", name="Decline").click()  # B has seen A's answer and replaces it
    expect(b.get_by_text("Answered Integrity five asks: declined").first).to_be_visible()
    now = dependencies.asked_of(store, asked.id)[0]
    assert (now.status, now.comment) == ("declined", "B: no driver this quarter")
    with store.read() as db:
        log = [(json.loads(r["body"])["status"], r["outcome"]) for r in db.query(
            "SELECT body, outcome FROM revisions WHERE entity = 'dependency' AND entity_id = ? ORDER BY id",
            [request.id])]
    assert log == [("accepted", "saved"), ("declined", "conflict"), ("declined", "saved")]
    settle(a)
    settle(b)


def test_6_unsaved_typing_outlives_a_server_restart_and_a_laptop_away(room, open_page):
    team = fresh_team(room.db_path, "Integrity six")
    objective = drafts.add_objective(store_of(room), team, ObjectiveFields("Ship faster"), params(room).params, "s")
    ((a, a_id),) = laptops(open_page, room, team.slug, count=1)
    card(a, "objective", objective.id).get_by_role("button", name="Edit objective").click()
    type_and_leave(objective_field(editor(a, f"objective-{objective.id}")), "Ship every week, typed before the restart")
    wait_kept(room.db_path, a_id, f"objective-{objective.id}", "text", "Ship every week, typed before the restart")
    room.stop()
    room.start()
    a.reload()
    settle(a)
    editing = editor(a, f"objective-{objective.id}")
    expect(objective_field(editing)).to_have_value("Ship every week, typed before the restart")
    expect(editing.get_by_text("Not saved yet", exact=False)).to_be_visible()
    a.close()  # the lid closes for an hour: the session is gone; the link (with its laptop id) is not
    again = open_page(team_url(room.url, team.slug, a_id))
    settle(again)
    editing = editor(again, f"objective-{objective.id}")
    expect(objective_field(editing)).to_have_value("Ship every week, typed before the restart")
    editing.get_by_role("button", name="Save objective").click()
    expect(again.get_by_text("Saved objective 1").first).to_be_visible()
    assert drafts.load(store_of(room), team.id).objectives[0].fields.text == "Ship every week, typed before the restart"
    again.reload()
    settle(again)
    expect(editor(again, f"objective-{objective.id}")).to_have_count(0)  # saved: nothing left to bring back


def test_7_an_editor_saves_into_its_own_item_whatever_moves_around_it(room, open_page):
    """The cause of case 7: a new objective took the place of a removed one, ahead of the one being edited."""
    store = store_of(room)
    team = fresh_team(room.db_path, "Integrity seven")
    first, second, third = (drafts.add_objective(store, team, ObjectiveFields(f"Objective {n}"), params(room).params,
                                                 "setup") for n in ("one", "two", "three"))
    (a, a_id), (b, _) = laptops(open_page, room, team.slug)
    card(a, "objective", third.id).get_by_role("button", name="Edit objective").click()
    type_and_leave(objective_field(editor(a, f"objective-{third.id}")), "Typed into the third objective's editor")
    wait_kept(room.db_path, a_id, f"objective-{third.id}", "text", "Typed into the third objective's editor")
    card(b, "objective", first.id).get_by_role("button", name="Edit objective").click()  # cards above move away
    editor(b, f"objective-{first.id}").get_by_role("button", name="Remove objective 1").click()
    b.get_by_role("button", name="Yes, remove objective 1").click()
    drafts.remove_objective(store, team, second.id, "another laptop")
    expect(a.get_by_text("Objective two")).to_have_count(0, timeout=REDRAW)
    drafts.add_objective(store, team, ObjectiveFields("Added on another laptop"), params(room).params, "B")
    expect(a.get_by_text("Added on another laptop")).to_be_visible(timeout=REDRAW)
    editing = editor(a, f"objective-{third.id}")  # the same editor, now objective 1, the new one after it
    expect(objective_field(editing)).to_have_value("Typed into the third objective's editor")
    editing.get_by_role("button", name="Save objective").click()
    expect(a.get_by_text("Saved objective 1").first).to_be_visible()
    live = drafts.load(store, team.id).objectives
    assert [o.fields.text for o in live] == ["Typed into the third objective's editor", "Added on another laptop"]
    assert [o.id for o in live][0] == third.id
    settle(a)


def test_8_the_participants_name_is_kept_per_laptop(room, open_page):
    team = fresh_team(room.db_path, "Integrity eight")
    ((a, a_id),) = laptops(open_page, room, team.slug, count=1)
    type_and_leave(a.get_by_label("Your name (optional)", exact=True), "Nadia")
    adding = editor(a, f"add-objective-{team.id}")
    settle(a)
    a.reload()
    settle(a)
    expect(a.get_by_label("Your name (optional)", exact=True)).to_have_value("Nadia")
    assert f"laptop={a_id}" in a.url
    objective_field(adding).fill("Saved by a named laptop")
    adding.get_by_role("button", name="Add objective").click()
    expect(a.get_by_text("Saved the new objective").first).to_be_visible()
    assert drafts.load(store_of(room), team.id).objectives[0].updated_by == "Nadia (Integrity eight)"
    other = open_page(team_url(room.url, team.slug, a_id))  # the same laptop, a new session
    settle(other)
    expect(other.get_by_label("Your name (optional)", exact=True)).to_have_value("Nadia")
