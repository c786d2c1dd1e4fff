"""The executive page: one ballot per laptop, a tally hidden until revealed, the facilitator's candidate tools."""

from okrcoach.drafting import drafts, executive
from okrcoach.workshop import engagements, teams
from tests.pages.conftest import CODE, texts, visit


def open_executive(app, token=None, code=CODE, laptop=None):
    return visit(app, "executive", fac=token, code=code, laptop=laptop)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_executive_page_needs_the_code(app):
    at = open_executive(app, code=None)
    assert [t.label for t in at.text_input] == ["Workshop code"]


def test_facilitator_adds_a_candidate_and_has_no_ballot_of_their_own(app, facilitator_token, demo_store):
    at = open_executive(app, facilitator_token)
    next(t for t in at.text_area if t.label == "Candidate objective").input("Be the <b>region's</b> favourite")
    next(t for t in at.text_input if t.label == "Why (one line)").input("Rivals undercut us")
    button(at, "Add candidate").click().run()
    assert "1. Be the &lt;b&gt;region&#x27;s&lt;/b&gt; favourite" in texts(at)
    assert not any(b.label == "Cast my dots" for b in at.button)
    assert executive.voters(demo_store, engagements.current(demo_store).id) == []


def test_a_laptop_votes_under_its_own_id_and_the_tally_stays_hidden(app, demo_store):
    engagement = engagements.current(demo_store)
    first = executive.propose(demo_store, engagement.id, "Grow the north", "Stores are empty", "CEO")
    second = executive.propose(demo_store, engagement.id, "Keep members", "", "CMO")
    at = open_executive(app, laptop="laptop-ana")
    assert "1. Grow the north" in texts(at) and "2. Keep members" in texts(at)
    assert [n.label for n in at.number_input] == ["Dots for 1", "Dots for 2"]
    at.number_input(key=f"dots-laptop-ana-{second}").set_value(2)
    button(at, "Cast my dots").click().run()
    assert not at.exception
    assert executive.ballot(demo_store, engagement.id, "laptop-ana") == {second: 2}
    assert "1 of 1 have voted" in texts(at)
    assert "Keep members · 2 dots" not in texts(at)  # hidden until the facilitator reveals it
    assert first not in executive.ballot(demo_store, engagement.id, "laptop-ana")


def test_facilitator_reveals_the_tally_and_clears_one_laptop(app, facilitator_token, demo_store):
    engagement = engagements.current(demo_store)
    candidate = executive.propose(demo_store, engagement.id, "Grow the north", "", "CEO")
    executive.cast(demo_store, engagement.id, "laptop-ana", {candidate: 3})
    executive.open_ballot(demo_store, engagement.id, "laptop-ben")
    at = open_executive(app, facilitator_token)
    assert "1 of 2 have voted" in texts(at)
    assert "Laptop 1: voted (3 dots)" in texts(at) and "Laptop 2: not voted yet" in texts(at)
    button(at, "Reveal the tally").click().run()
    assert "1. Grow the north · 3 dots" in texts(at)
    button(at, "Clear").click().run()
    assert executive.turnout(demo_store, engagement.id) == executive.Turnout(0, 2)


def test_too_many_dots_get_a_message(app, demo_store):
    engagement = engagements.current(demo_store)
    a = executive.propose(demo_store, engagement.id, "A", "", "")
    b = executive.propose(demo_store, engagement.id, "B", "", "")
    at = open_executive(app, laptop="laptop-ben")
    at.number_input(key=f"dots-laptop-ben-{a}").set_value(3)
    at.number_input(key=f"dots-laptop-ben-{b}").set_value(3)
    button(at, "Cast my dots").click().run()
    assert "each executive has 3" in at.error[0].value


def test_voters_without_pin_cannot_promote_or_propose(app, demo_store):
    executive.propose(demo_store, engagements.current(demo_store).id, "A", "", "")
    at = open_executive(app, laptop="laptop-cleo")
    assert not any(b.label in ("Promote", "Add candidate", "Reveal the tally", "Promote in place of…")
                   for b in at.button)


def test_at_the_maximum_a_candidate_is_promoted_in_place_of_a_top_level_objective(app, facilitator_token, demo_store):
    engagement = engagements.current(demo_store)
    executive.propose(demo_store, engagement.id, "Be the outdoor advisor people trust", "", "CEO")
    top = next(t for t in teams.list_teams(demo_store, engagement.id) if t.kind == "top")
    replaced = drafts.load(demo_store, top.id).objectives[-1]
    at = open_executive(app, facilitator_token)
    assert not any(b.label == "Promote" for b in at.button)  # the demo's leadership team is full
    next(s for s in at.selectbox if s.label == "In place of").set_value(replaced.id)
    button(at, "Promote in place of…").click().run()
    assert not at.exception
    texts_now = [o.fields.text for o in drafts.load(demo_store, top.id).objectives]
    assert "Be the outdoor advisor people trust" in texts_now and replaced.fields.text not in texts_now


def test_facilitator_merges_two_candidates_and_the_dots_follow(app, facilitator_token, demo_store):
    engagement = engagements.current(demo_store)
    kept = executive.propose(demo_store, engagement.id, "Grow the north", "", "CEO")
    merged = executive.propose(demo_store, engagement.id, "Open northern stores", "", "COO")
    executive.cast(demo_store, engagement.id, "laptop-ana", {merged: 2})
    at = open_executive(app, facilitator_token)
    at.selectbox(key=f"merge-into-{merged}").set_value(kept)
    at.text_area(key=f"merge-wording-{merged}").input("Grow in the north")
    [b for b in at.button if b.label == "Merge (dots carried)"][1].click().run()
    assert not at.exception
    listed = executive.candidates(demo_store, engagement.id)
    assert [(c.text, c.dots) for c in listed] == [("Grow in the north", 2)]
