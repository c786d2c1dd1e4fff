"""The executive drafting session: candidate objectives, dot voting, promoting the chosen few."""

import time
from dataclasses import dataclass

from okrcoach import text
from okrcoach.content import rules as rulebook
from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.storage import changes
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams


@dataclass(frozen=True)
class Candidate:
    """A proposed top-level objective with its one-line why and the dots it has received."""

    id: int
    text: str
    why: str
    proposed_by: str
    dots: int
    voters: int
    promoted_objective_id: int | None


def dots_per_voter(store: Store, engagement_id: int) -> int:
    """How many dots each executive may place."""
    with store.read() as db:
        return db.execute("SELECT dots_per_voter FROM engagements WHERE id = ?", [engagement_id]).fetchone()[0]


def set_dots_per_voter(store: Store, engagement_id: int, dots: int) -> None:
    """Set the number of dots per executive (1 to 10)."""
    if not 1 <= int(dots) <= 10:
        raise InputError("Each executive gets between 1 and 10 dots.")
    with store.write() as db:
        db.execute("UPDATE engagements SET dots_per_voter = ? WHERE id = ?", [int(dots), engagement_id])
        changes.engagement_changed(db, engagement_id)


def propose(store: Store, engagement_id: int, objective: str, why: str, proposed_by: str) -> int:
    """Add a candidate objective with a one-line why."""
    objective = text.clean(objective, "The candidate objective", required=True, max_chars=500)
    why = text.one_line(why, "Why", max_chars=300)
    with store.write() as db:
        candidate_id = db["candidates"].insert({
            "engagement_id": engagement_id, "text": objective, "why": why,
            "proposed_by": text.one_line(proposed_by, "Proposed by", max_chars=100),
            "created_at": time.time()}).last_pk
        changes.engagement_changed(db, engagement_id)
        return candidate_id


def ranking(store: Store, engagement_id: int) -> list[Candidate]:
    """Every candidate, most dots first (ties in the order proposed); nothing is ever deleted."""
    with store.read() as db:
        rows = db.query(
            "SELECT c.id, c.text, c.why, c.proposed_by, coalesce(sum(v.dots), 0) AS dots, "
            "count(v.voter) AS voters, c.promoted_objective_id FROM candidates c "
            "LEFT JOIN votes v ON v.candidate_id = c.id WHERE c.engagement_id = ? "
            "GROUP BY c.id ORDER BY dots DESC, c.id", [engagement_id])
        return [Candidate(**row) for row in rows]


def ballot(store: Store, engagement_id: int, voter: str) -> dict[int, int]:
    """Where one executive has placed their dots so far."""
    with store.read() as db:
        return {row["candidate_id"]: row["dots"] for row in db.query(
            "SELECT v.candidate_id, v.dots FROM votes v JOIN candidates c ON c.id = v.candidate_id "
            "WHERE c.engagement_id = ? AND v.voter = ?", [engagement_id, voter])}


def cast(store: Store, engagement_id: int, voter: str, dots: dict[int, int]) -> None:
    """Replace one executive's dots; refused if they place more than they have."""
    voter = text.one_line(voter, "Your name", required=True, max_chars=60)
    placed = {candidate: int(n) for candidate, n in dots.items() if int(n) > 0}
    if any(int(n) < 0 for n in dots.values()):
        raise InputError("Dots cannot be negative.")
    with store.write() as db:
        allowed = db.execute("SELECT dots_per_voter FROM engagements WHERE id = ?", [engagement_id]).fetchone()[0]
        if sum(placed.values()) > allowed:
            raise InputError(f"You placed {sum(placed.values())} dots; each executive has {allowed}. "
                             f"Which candidates matter most?")
        valid = {r["id"] for r in db.query("SELECT id FROM candidates WHERE engagement_id = ?", [engagement_id])}
        if set(placed) - valid:
            raise InputError("A candidate you voted for is not in this session.")
        db.execute("DELETE FROM votes WHERE voter = ? AND candidate_id IN "
                   "(SELECT id FROM candidates WHERE engagement_id = ?)", [voter, engagement_id])
        for candidate_id, count in placed.items():
            db.execute("INSERT INTO votes (candidate_id, voter, dots, voted_at) VALUES (?, ?, ?, ?)",
                       [candidate_id, voter, count, time.time()])
        changes.engagement_changed(db, engagement_id)


def promote(store: Store, engagement_id: int, candidate_id: int, author: str) -> int:
    """Make a candidate a top-level objective of the top-level team; at most the engagement's maximum."""
    engagement = engagements.current(store)
    top = next((t for t in teams.list_teams(store, engagement_id) if t.kind == "top"), None)
    if top is None:
        raise InputError("Add the top-level team in set-up first: promoted objectives belong to it.")
    chosen = [c for c in ranking(store, engagement_id) if c.promoted_objective_id]
    candidate = next((c for c in ranking(store, engagement_id) if c.id == candidate_id), None)
    if candidate is None:
        raise InputError("That candidate is not in this session.")
    if candidate.promoted_objective_id:
        raise InputError("That candidate is already a top-level objective.")
    if len(chosen) >= engagement.params.max_objectives:
        raise InputError(f"{len(chosen)} candidates are already top-level objectives, the most this engagement "
                         f"allows. {rulebook.question('too_many_objectives', engagement.params)}")
    objective = drafts.add_objective(store, top, ObjectiveFields(text=candidate.text, why_now=candidate.why),
                                     engagement.params, author)
    with store.write() as db:
        db.execute("UPDATE candidates SET promoted_objective_id = ? WHERE id = ?", [objective.id, candidate_id])
        changes.engagement_changed(db, engagement_id)
    return objective.id
