"""Dot voting: tallies, limits, promotion to top-level objectives; nothing is deleted."""

import pytest

from okrcoach.drafting import drafts, executive
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, laptops, teams


@pytest.fixture
def session(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement, _ = engagements.ensure_current(store)
    top = teams.add(store, engagement.id, "Leadership", kind="top")
    ids = [executive.propose(store, engagement.id, f"Candidate {n}", f"why {n}", "CEO") for n in range(1, 6)]
    return store, engagement, top, ids


def test_tally_adds_every_executives_dots_and_ranks_by_them(session):
    store, engagement, _, ids = session
    executive.cast(store, engagement.id, "Ana", {ids[0]: 2, ids[2]: 1})
    executive.cast(store, engagement.id, "Ben", {ids[2]: 3})
    executive.cast(store, engagement.id, "Cleo", {ids[0]: 1, ids[1]: 1, ids[2]: 1})
    ranking = executive.ranking(store, engagement.id)
    assert [(c.id, c.dots, c.voters) for c in ranking[:3]] == [(ids[2], 5, 3), (ids[0], 3, 2), (ids[1], 1, 1)]


def test_voting_again_replaces_your_dots(session):
    store, engagement, _, ids = session
    executive.cast(store, engagement.id, "Ana", {ids[0]: 3})
    executive.cast(store, engagement.id, "Ana", {ids[1]: 3})
    assert executive.ballot(store, engagement.id, "Ana") == {ids[1]: 3}


def test_more_dots_than_allowed_is_refused_and_changes_nothing(session):
    store, engagement, _, ids = session
    executive.cast(store, engagement.id, "Ana", {ids[0]: 1})
    with pytest.raises(InputError, match="each executive has 3"):
        executive.cast(store, engagement.id, "Ana", {ids[0]: 2, ids[1]: 2})
    assert executive.ballot(store, engagement.id, "Ana") == {ids[0]: 1}


def test_a_vote_needs_a_laptop_of_its_own(session):
    store, engagement, _, ids = session
    with pytest.raises(InputError, match="no ballot of its own"):
        executive.cast(store, engagement.id, "  ", {ids[0]: 1})


def test_candidates_keep_the_order_and_number_they_were_proposed_with_whatever_the_dots(session):
    store, engagement, _, ids = session
    executive.cast(store, engagement.id, "laptop-a", {ids[4]: 3})
    listed = executive.candidates(store, engagement.id)
    assert [(c.number, c.id) for c in listed] == [(n, i) for n, i in enumerate(ids, 1)]
    assert executive.ranking(store, engagement.id)[0].id == ids[4]


def test_turnout_counts_laptops_that_opened_the_ballot_and_those_that_voted(session):
    store, engagement, _, ids = session
    for laptop in ("a", "b", "c"):
        executive.open_ballot(store, engagement.id, laptop)
    executive.open_ballot(store, engagement.id, "a")  # opening again counts once
    executive.cast(store, engagement.id, "a", {ids[0]: 1})
    executive.cast(store, engagement.id, "b", {ids[1]: 2})
    assert executive.turnout(store, engagement.id) == executive.Turnout(voted=2, expected=3)
    executive.clear(store, engagement.id, "b")
    assert executive.turnout(store, engagement.id) == executive.Turnout(voted=1, expected=3)
    assert executive.ballot(store, engagement.id, "b") == {}
    assert [v.dots for v in executive.voters(store, engagement.id)] == [1, 0, 0]


def test_voters_are_named_by_the_name_their_laptop_gave(session):
    store, engagement, _, ids = session
    laptops.set_name(store, "b", "Ben")
    executive.open_ballot(store, engagement.id, "a")
    executive.open_ballot(store, engagement.id, "b")
    assert [v.label for v in executive.voters(store, engagement.id)] == ["Laptop 1", "Ben"]


def test_the_tally_is_hidden_until_revealed(session):
    store, engagement, _, _ = session
    assert not executive.revealed(store, engagement.id)
    executive.reveal(store, engagement.id)
    assert executive.revealed(store, engagement.id)
    executive.reveal(store, engagement.id, False)
    assert not executive.revealed(store, engagement.id)


def test_editing_a_candidate_keeps_its_number_and_dots(session):
    store, engagement, _, ids = session
    executive.cast(store, engagement.id, "a", {ids[1]: 2})
    executive.edit(store, engagement.id, ids[1], "Candidate two, reworded", "a better why", "CFO")
    edited = executive.candidates(store, engagement.id)[1]
    assert (edited.number, edited.text, edited.why, edited.proposed_by, edited.dots) == (
        2, "Candidate two, reworded", "a better why", "CFO", 2)
    with pytest.raises(InputError, match="empty"):
        executive.edit(store, engagement.id, ids[1], " ", "", "")


def test_merging_carries_every_executives_dots_to_the_kept_candidate(session):
    store, engagement, _, ids = session
    executive.cast(store, engagement.id, "a", {ids[0]: 1, ids[1]: 2})
    executive.cast(store, engagement.id, "b", {ids[1]: 3})
    executive.merge(store, engagement.id, ids[1], ids[0], "Candidates one and two together")
    listed = executive.candidates(store, engagement.id)
    assert [c.number for c in listed] == [1, 3, 4, 5]
    assert (listed[0].text, listed[0].dots, listed[0].voters) == ("Candidates one and two together", 6, 2)
    assert executive.ballot(store, engagement.id, "a") == {ids[0]: 3}
    executive.cast(store, engagement.id, "a", {ids[0]: 3})  # still within the 3 dots
    with pytest.raises(InputError, match="no longer on the list"):
        executive.merge(store, engagement.id, ids[1], ids[2])


def test_removing_a_candidate_gives_its_dots_back(session):
    store, engagement, _, ids = session
    executive.cast(store, engagement.id, "a", {ids[2]: 3})
    executive.remove(store, engagement.id, ids[2])
    assert ids[2] not in {c.id for c in executive.candidates(store, engagement.id)}
    assert executive.ballot(store, engagement.id, "a") == {}
    executive.cast(store, engagement.id, "a", {ids[0]: 3})
    with pytest.raises(InputError, match="no longer on the list"):
        executive.cast(store, engagement.id, "a", {ids[2]: 1})


def test_dots_per_voter_is_set_by_the_facilitator(session):
    store, engagement, _, ids = session
    executive.set_dots_per_voter(store, engagement.id, 5)
    executive.cast(store, engagement.id, "Ana", {ids[0]: 5})
    with pytest.raises(InputError):
        executive.set_dots_per_voter(store, engagement.id, 0)


def test_promoting_creates_top_level_objectives_up_to_the_maximum(session):
    store, engagement, top, ids = session
    for candidate_id in ids[:3]:
        executive.promote(store, engagement.id, candidate_id, "facilitator")
    with pytest.raises(InputError, match="If you could keep only 3.*in place of"):
        executive.promote(store, engagement.id, ids[3], "facilitator")
    assert [o.fields.text for o in drafts.top_objectives(store, engagement.id)] == [
        "Candidate 1", "Candidate 2", "Candidate 3"]
    ranking = executive.ranking(store, engagement.id)
    assert len(ranking) == 5  # unchosen candidates stay
    assert sum(c.promoted_objective_id is not None for c in ranking) == 3


def test_promoting_in_place_of_a_top_level_objective_removes_it_restorably(session):
    store, engagement, top, ids = session
    replaced = [executive.promote(store, engagement.id, candidate_id, "f") for candidate_id in ids[:3]][1]
    executive.promote(store, engagement.id, ids[3], "f", in_place_of=replaced)
    assert [o.fields.text for o in drafts.top_objectives(store, engagement.id)] == [
        "Candidate 1", "Candidate 3", "Candidate 4"]
    assert executive.candidates(store, engagement.id)[1].promoted_objective_id is None  # back on the list
    assert [r.id for r in drafts.removed(store, top.id)] == [replaced]
    with pytest.raises(InputError, match="no longer there"):
        executive.promote(store, engagement.id, ids[4], "f", in_place_of=replaced)


def test_promoting_twice_or_without_a_top_team_is_refused(tmp_path, session):
    store, engagement, _, ids = session
    executive.promote(store, engagement.id, ids[0], "f")
    with pytest.raises(InputError, match="already"):
        executive.promote(store, engagement.id, ids[0], "f")
    other = Store(tmp_path / "other.db")
    bare, _ = engagements.ensure_current(other)
    candidate = executive.propose(other, bare.id, "X", "", "")
    with pytest.raises(InputError, match="top-level team"):
        executive.promote(other, bare.id, candidate, "f")


def test_empty_candidate_is_refused(session):
    store, engagement, _, _ = session
    with pytest.raises(InputError, match="empty"):
        executive.propose(store, engagement.id, "   ", "", "")
