"""Dot voting: tallies, limits, promotion to top-level objectives; nothing is deleted."""

import pytest

from okrcoach.drafting import drafts, executive
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams


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


def test_a_vote_needs_a_name(session):
    store, engagement, _, ids = session
    with pytest.raises(InputError, match="Your name"):
        executive.cast(store, engagement.id, "  ", {ids[0]: 1})


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
    with pytest.raises(InputError, match="If you could keep only 3"):
        executive.promote(store, engagement.id, ids[3], "facilitator")
    assert [o.fields.text for o in drafts.top_objectives(store, engagement.id)] == [
        "Candidate 1", "Candidate 2", "Candidate 3"]
    ranking = executive.ranking(store, engagement.id)
    assert len(ranking) == 5  # unchosen candidates stay
    assert sum(c.promoted_objective_id is not None for c in ranking) == 3


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
