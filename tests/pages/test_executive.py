"""The executive page: the tally for everyone with the code; proposing and promoting for the facilitator."""

from okrcoach.drafting import executive
from okrcoach.workshop import engagements
from tests.pages.conftest import CODE, texts, visit


def open_executive(app, token=None, code=CODE):
    return visit(app, "executive", fac=token, code=code)


def test_executive_page_needs_the_code(app):
    at = open_executive(app, code=None)
    assert [t.label for t in at.text_input] == ["Workshop code"]


def test_facilitator_adds_a_candidate_and_executives_vote(app, facilitator_token, demo_store):
    at = open_executive(app, facilitator_token)
    next(t for t in at.text_area if t.label == "Candidate objective").input("Be the <b>region's</b> favourite")
    next(t for t in at.text_input if t.label == "Why (one line)").input("Rivals undercut us")
    next(b for b in at.button if b.label == "Add candidate").click().run()
    assert "Be the &lt;b&gt;region&#x27;s&lt;/b&gt; favourite" in texts(at)
    next(t for t in at.text_input if t.label == "Your name").input("Ana").run()
    at.number_input(key="dots-Ana-1").set_value(2)
    next(b for b in at.button if b.label == "Cast my dots").click().run()
    assert not at.exception
    assert executive.ranking(demo_store, engagements.current(demo_store).id)[0].dots == 2


def test_voters_without_pin_cannot_promote_or_propose(app):
    at = open_executive(app)
    assert not any(b.label in ("Promote", "Add candidate") for b in at.button)


def test_too_many_dots_get_a_message(app, demo_store):
    engagement = engagements.current(demo_store)
    executive.propose(demo_store, engagement.id, "A", "", "")
    executive.propose(demo_store, engagement.id, "B", "", "")
    at = open_executive(app)
    next(t for t in at.text_input if t.label == "Your name").input("Ben").run()
    at.number_input(key="dots-Ben-1").set_value(3)
    at.number_input(key="dots-Ben-2").set_value(3)
    next(b for b in at.button if b.label == "Cast my dots").click().run()
    assert "each executive has 3" in at.error[0].value
