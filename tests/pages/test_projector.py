"""The projector: needs the workshop code; shows the item, prompts or the progress board, and the join link."""

import time

from okrcoach.drafting import drafts, executive
from okrcoach.workshop import agendas, engagements, runs, teams
from tests.pages.conftest import CODE, visit


def open_projector(app, code=CODE):
    return visit(app, "projector", code=code)


def html_bodies(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def run_at_item(store, kind: str):
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(store, engagements.current(store).id, agenda)
    now = time.time()
    runs.act(store, run.id, "start", now)
    index = next(i for i, item in enumerate(agenda.items) if item.kind == kind)
    if index:
        runs.act(store, run.id, "jump", now, index=index)
    return agenda.items[index]


def test_projector_without_code_shows_only_the_code_form(app):
    at = open_projector(app, code=None)
    assert [t.label for t in at.text_input] == ["Workshop code"]
    assert "Fernhollow" not in html_bodies(at)


def test_projector_before_any_run_says_not_started(app, demo_store):
    with demo_store.write() as db:
        db.execute("UPDATE runs SET archived_at = 1")
    at = open_projector(app)
    assert not at.exception
    assert "has not started yet" in html_bodies(at)
    assert f"Code {CODE}" in html_bodies(at)
    assert len(at.get("image")) == 1  # the QR code of the join link


def test_projector_shows_the_talk_prompts(app, demo_store):
    item = run_at_item(demo_store, "talk")
    bodies = html_bodies(open_projector(app))
    assert item.title in bodies
    assert all(prompt.replace("'", "&#x27;").replace('"', "&quot;") in bodies for prompt in item.prompts)


def test_projector_shows_the_progress_board_during_a_breakout(app, demo_store):
    item = run_at_item(demo_store, "breakout")
    bodies = html_bodies(open_projector(app))
    assert item.title.replace("'", "&#x27;") in bodies
    assert 'data-testid="okc-board"' in bodies
    assert "Supply and warehouse team" in bodies


def run_at_executive_item(store, title: str):
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "executive-drafting")
    run = runs.start_run(store, engagements.current(store).id, agenda)
    now = time.time()
    runs.act(store, run.id, "start", now)
    runs.act(store, run.id, "jump", now, index=[item.title for item in agenda.items].index(title))


def test_projector_shows_how_many_have_voted_and_hides_the_tally_until_revealed(app, demo_store):
    engagement = engagements.current(demo_store)
    grow = executive.propose(demo_store, engagement.id, "Grow the north", "", "CEO")
    executive.propose(demo_store, engagement.id, "Keep members", "", "CMO")
    executive.cast(demo_store, engagement.id, "laptop-a", {grow: 3})
    executive.open_ballot(demo_store, engagement.id, "laptop-b")
    run_at_executive_item(demo_store, "Dot vote")
    bodies = html_bodies(open_projector(app))
    assert "1 of 2 have voted" in bodies and 'data-revealed="false"' in bodies
    assert "1. Grow the north" in bodies and "2. Keep members" in bodies and ">3<" not in bodies
    executive.reveal(demo_store, engagement.id)
    bodies = html_bodies(open_projector(app))
    assert 'data-revealed="true"' in bodies and ">3</div>" in bodies


def test_projector_shows_the_candidates_and_the_leadership_draft_for_the_items_naming_them(app, demo_store):
    engagement = engagements.current(demo_store)
    executive.propose(demo_store, engagement.id, "Grow the north", "Stores are empty", "CEO")
    run_at_executive_item(demo_store, "Candidate objectives")
    bodies = html_bodies(open_projector(app))
    assert 'data-view="candidates"' in bodies and "1. Grow the north" in bodies and "Stores are empty" in bodies
    run_at_executive_item(demo_store, "Draft key results")
    bodies = html_bodies(open_projector(app))
    assert 'data-view="leadership"' in bodies and 'data-testid="okc-leadership"' in bodies
    assert "Why now?" in bodies


def test_projector_shows_the_breakout_prompts_beside_the_board(app, demo_store):
    item = run_at_item(demo_store, "breakout")
    bodies = html_bodies(open_projector(app))
    assert 'data-testid="okc-prompts"' in bodies
    assert all(prompt.replace("'", "&#x27;").replace('"', "&quot;") in bodies for prompt in item.prompts)


def test_share_out_shows_each_key_results_champion_and_dependencies(app, demo_store):
    run_at_item(demo_store, "share-out")
    engagement = engagements.current(demo_store)
    online = next(t for t in teams.list_teams(demo_store, engagement.id) if t.slug == "online-store")
    run = runs.current(demo_store, engagement.id)
    page = next(i for i, o in enumerate(drafts.load(demo_store, online.id).objectives)
                if any(kr.fields.depends_on for kr in o.key_results))
    runs.present(demo_store, run.id, online.id, page)
    bodies = html_bodies(open_projector(app))
    assert "Champion: " in bodies or "No champion yet" in bodies
    assert "depends on Stores team (requested)" in bodies


def test_the_projector_flashes_once_when_the_time_runs_out(app, demo_store):
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(demo_store, engagements.current(demo_store).id, agenda)
    runs.act(demo_store, run.id, "start", time.time() - agenda.items[0].minutes * 60 - 1)  # ran out a second ago
    at = open_projector(app)
    assert 'data-testid="okc-flash"' in html_bodies(at) and "#b71c1c" in html_bodies(at)
    assert 'data-testid="okc-flash"' not in html_bodies(at.run())  # once
