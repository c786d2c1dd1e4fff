"""The breakout drafting page: access, the draft as saved, validation, limits, plain text."""

import dataclasses
import html
import time

from okrcoach.drafting import drafts, executive
from okrcoach.drafting.drafts import ObjectiveFields
from okrcoach.workshop import agendas, engagements, laptops, runs, teams
from tests.pages.conftest import CODE, texts, visit


def open_team(app, slug: str, code: str | None = CODE):
    return visit(app, "team", team=slug, code=code)


def text_area(at, label: str):
    return next(t for t in at.text_area if t.label == label)


def submit(at, label: str):
    return next(b for b in at.button if b.label == label)


def shows_success(at, words: str) -> bool:
    """Whether the page shows a confirmation box with these words."""
    return any('data-testid="okc-success"' in h.proto.body and words in h.proto.body for h in at.get("html"))


def open_adding_objective(at, store, slug: str):
    """Open the 'Add an objective' expander, as a click on it does (its form is drawn only while open)."""
    team = teams.by_slug(store, engagements.current(store).id, slug)
    at.session_state[f"add-open-add-objective-{team.id}"] = True
    return at.run()


def test_team_page_without_code_shows_no_drafts(app):
    at = open_team(app, "stores", code=None)
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Workshop code"]
    assert "Clear the back rooms" not in texts(at)


def test_team_page_shows_the_team_draft(app):
    at = open_team(app, "stores")
    assert not at.exception
    shown = texts(at)
    assert "Stores team" in shown
    assert "Clear the back rooms before the spring range arrives" in shown
    assert "Key result 1.1" in shown


def test_unknown_team_gets_a_way_back_to_the_join_page(app):
    at = open_team(app, "nobody")
    assert at.title[0].value == "Team not found"


def test_empty_objective_is_refused_with_a_message(app, demo_store):
    at = open_team(app, "customer-care")
    assert not any(b.label == "Add objective" for b in at.button)  # a closed expander draws no form
    at = open_adding_objective(at, demo_store, "customer-care")
    submit(at, "Add objective").click().run()
    assert "The objective is empty" in at.error[0].value
    at.run()  # a redraw (a teammate's save) keeps the answer until the person acts on the form
    assert "The objective is empty" in at.error[0].value
    engagement = engagements.current(demo_store)
    team = teams.by_slug(demo_store, engagement.id, "customer-care")
    assert len(drafts.load(demo_store, team.id).objectives) == 2


def test_new_objective_is_saved_and_confirmed(app, demo_store):
    at = open_adding_objective(open_team(app, "customer-care"), demo_store, "customer-care")
    text_area(at, "Objective").input("Make every complaint a reason to come back")
    text_area(at, "Why now?").input("Complaints doubled after the system change. Each one costs a customer.")
    submit(at, "Add objective").click().run()
    assert not at.exception
    assert shows_success(at, "Saved the new objective")
    assert "Make every complaint a reason to come back" in texts(at)
    assert len(at.toast) == 1
    at.run()  # a teammate's save redraws the page: the confirmation stays, its toast is not popped up again
    assert any("Saved the new objective" in h.proto.body for h in at.get("html"))
    assert not at.toast


def test_team_over_the_objective_limit_is_asked_which_to_keep(app):
    at = open_team(app, "online-store")
    assert any("If you could keep only 3" in i.value for i in at.info)
    assert not any(b.label == "Add objective" for b in at.button)


def test_typed_markup_is_escaped_in_what_the_page_shows(app, demo_store):
    engagement = engagements.current(demo_store)
    team = teams.by_slug(demo_store, engagement.id, "customer-care")
    drafts.add_objective(demo_store, team, ObjectiveFields(text="<b>Bold</b> **stars** [x](http://e.invalid)"),
                         engagement.params, "test")
    at = open_team(app, "customer-care")
    bodies = [e.proto.body for e in at.get("html")]
    assert any("&lt;b&gt;Bold&lt;/b&gt; **stars** [x](http://e.invalid)" in b for b in bodies)
    assert not any("<b>Bold</b>" in b for b in bodies)


def test_edit_form_opens_with_the_saved_text(app):
    at = open_team(app, "stores")
    next(b for b in at.button if b.label == "Edit objective").click().run()
    assert text_area(at, "Objective").value == "Make every store visit feel like advice from a friend who has been there"


def test_a_saved_edit_is_confirmed_on_its_card_with_the_text_read_back(app, demo_store):
    at = open_team(app, "stores")
    next(b for b in at.button if b.label == "Edit objective").click().run()
    text_area(at, "Objective").input("Make every store visit feel like expert advice")
    submit(at, "Save objective").click().run()
    assert not at.exception
    assert shows_success(at, "Saved objective 1 at")
    assert "Make every store visit feel like expert advice" in texts(at)
    assert not any(t.label == "Objective" for t in at.text_area)  # the editor closed
    team = teams.by_slug(demo_store, engagements.current(demo_store).id, "stores")
    assert drafts.load(demo_store, team.id).objectives[0].fields.text == "Make every store visit feel like expert advice"


def test_coaching_questions_appear_beside_the_draft_and_can_be_marked_discussed(app, demo_store):
    at = open_team(app, "online-store")
    bodies = "\n".join(h.proto.body for h in at.get("html"))
    assert "If you could keep only 3 objectives, which would they be?" in bodies
    assert "Is this a key result in disguise?" in bodies
    # the team's own words are quoted as plain text (escaped in the page's HTML)
    assert html.escape("What is the intended outcome of 'Launch the new click-and-collect booking page'") in bodies
    tick = next(b for b in at.button if b.key and b.key.startswith("discussed-team-"))
    tick.click().run()
    assert not at.exception
    bodies = "\n".join(h.proto.body for h in at.get("html"))
    assert "Discussed: If you could keep only 3 objectives" in bodies


def test_the_laptops_name_fills_the_sidebar_and_the_ballot(app, demo_store):
    engagement = engagements.current(demo_store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "executive-drafting")
    run = runs.start_run(demo_store, engagement.id, agenda)
    runs.act(demo_store, run.id, "start", time.time())
    runs.act(demo_store, run.id, "jump", time.time(), index=[i.kind for i in run.items].index("vote"))
    executive.propose(demo_store, engagement.id, "Grow the north", "", "CEO")
    laptops.set_name(demo_store, "laptop-one", "Priya Lee")
    at = visit(app, "team", team="stores", code=CODE, laptop="laptop-one")
    assert not at.exception
    assert [t.value for t in at.text_input if t.label in ("Your name (optional)", "Your name")] == ["Priya Lee"] * 2
    assert at.query_params["laptop"] in ("laptop-one", ["laptop-one"])


def test_a_team_page_gives_a_laptop_without_an_id_one_in_its_link(app):
    at = open_team(app, "stores")
    assert len(str(at.query_params["laptop"])) >= 12


def start_at(store, slug: str, kind: str):
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == slug)
    run = runs.start_run(store, engagements.current(store).id, agenda)
    runs.act(store, run.id, "start", time.time())
    index = [i.kind for i in agenda.items].index(kind)
    if index:
        runs.act(store, run.id, "jump", time.time(), index=index)
    return agenda.items[index]


def test_a_breakout_shows_its_prompts_on_team_laptops_and_a_title_ending_in_a_question_keeps_it(app, demo_store):
    engagement = engagements.current(demo_store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(demo_store, engagement.id, agenda)
    runs.adapt(demo_store, run.id, [{"title": "Draft Why now?", "minutes": 20, "kind": "breakout",
                                     "prompts": ["Why is it so important right now?"], "notes": ""}])
    runs.act(demo_store, run.id, "start", time.time())
    shown = texts(open_team(app, "stores"))
    assert "Breakout: Draft Why now? Draft together" in shown and "Why now?." not in shown
    assert "Questions for your team" in shown and "• Why is it so important right now?" in shown


def test_candidate_items_show_the_candidates_on_team_laptops(app, demo_store):
    engagement = engagements.current(demo_store)
    executive.propose(demo_store, engagement.id, "Grow the north", "Stores are empty", "CEO")
    item = start_at(demo_store, "executive-drafting", "exercise")  # "Candidate objectives", kind exercise
    assert item.view == "candidates"
    at = open_team(app, "leadership")
    assert not at.exception
    assert "1. Grow the north" in texts(at) and "Metric or task you already track" not in [
        t.label for t in at.text_input]


def test_an_open_team_page_counts_as_a_connected_laptop_on_the_board(app, demo_store):
    from okrcoach.workshop import progress
    visit(app, "team", team="stores", code=CODE, laptop="laptop-one")
    board = progress.board(demo_store, engagements.current(demo_store).id)
    assert {row.slug: row.laptops for row in board}["stores"] == 1
    assert {row.slug: row.laptops for row in board}["supply"] == 0


def test_leaving_a_field_sends_the_kept_text_back_so_a_field_drawn_anew_meanwhile_shows_it(app, demo_store):
    at = open_adding_objective(open_team(app, "customer-care"), demo_store, "customer-care")
    text_area(at, "Objective").input("Make every complaint a reason to come back").run()
    field = text_area(at, "Objective")
    assert field.proto.set_value and field.proto.value == "Make every complaint a reason to come back"
    at.run()  # a redraw with nothing left: the field is not set again (typing under way in it stays put)
    assert not text_area(at, "Objective").proto.set_value


def test_two_top_level_objectives_worded_alike_stay_two_choices_to_contribute_to(app, demo_store):
    engagement = engagements.current(demo_store)
    top = teams.by_slug(demo_store, engagement.id, "leadership")
    first, second = drafts.load(demo_store, top.id).objectives[:2]
    drafts.save_objective(demo_store, top, second.id, dataclasses.replace(second.fields, text=first.fields.text),
                          second.version, "facilitator")
    at = open_team(app, "stores")
    next(b for b in at.button if b.label == "Edit objective").click().run()
    links = next(m for m in at.multiselect if m.label == "Contributes to")
    assert len(set(links.options)) == len(links.options), links.options
    links.set_value([second.id])
    submit(at, "Save objective").click().run()
    assert not at.exception
    stores = teams.by_slug(demo_store, engagement.id, "stores")
    assert drafts.load(demo_store, stores.id).objectives[0].fields.contributes_to == (second.id,)
