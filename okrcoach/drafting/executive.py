"""The executive drafting session: candidate objectives, one dot-vote ballot per laptop, promoting the chosen few."""

import time
from dataclasses import dataclass

import sqlite_utils

from okrcoach import text
from okrcoach.content import rules as rulebook
from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.storage import changes
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams

MAX_LAPTOP_ID_CHARS = 40


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
    number: int = 0  # its place in the order proposed: the label ballots and the projector share


@dataclass(frozen=True)
class Voter:
    """One executive laptop that opened the ballot, and how many dots it has placed."""

    laptop_id: str
    label: str
    dots: int


@dataclass(frozen=True)
class Turnout:
    """How many of the executive laptops have voted."""

    voted: int
    expected: int


_CANDIDATES = (
    "SELECT c.id, c.number, c.text, c.why, c.proposed_by, coalesce(sum(v.dots), 0) AS dots, "
    "count(v.voter) AS voters, c.promoted_objective_id FROM candidates c "
    "LEFT JOIN votes v ON v.candidate_id = c.id WHERE c.engagement_id = ? AND c.removed_at IS NULL "
    "GROUP BY c.id ORDER BY {order}")


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


def _checked(objective: str, why: str, proposed_by: str) -> tuple[str, str, str]:
    return (text.clean(objective, "The candidate objective", required=True, max_chars=500),
            text.one_line(why, "Why", max_chars=300), text.one_line(proposed_by, "Proposed by", max_chars=100))


def propose(store: Store, engagement_id: int, objective: str, why: str, proposed_by: str) -> int:
    """Add a candidate objective with a one-line why; it keeps its number for the whole session."""
    objective, why, proposed_by = _checked(objective, why, proposed_by)
    with store.write() as db:
        number = db.execute("SELECT coalesce(max(number), 0) + 1 FROM candidates WHERE engagement_id = ?",
                            [engagement_id]).fetchone()[0]
        candidate_id = db["candidates"].insert({
            "engagement_id": engagement_id, "number": number, "text": objective, "why": why,
            "proposed_by": proposed_by, "created_at": time.time()}).last_pk
        changes.engagement_changed(db, engagement_id)
        return candidate_id


def candidates(store: Store, engagement_id: int) -> list[Candidate]:
    """The candidates in the order proposed (stable: ballots and the projector number them alike)."""
    with store.read() as db:
        return [Candidate(**row) for row in db.query(_CANDIDATES.format(order="c.number, c.id"), [engagement_id])]


def ranking(store: Store, engagement_id: int) -> list[Candidate]:
    """The candidates, most dots first (ties in the order proposed); removed and merged ones are left out."""
    with store.read() as db:
        return [Candidate(**row) for row in db.query(_CANDIDATES.format(order="dots DESC, c.number, c.id"),
                                                     [engagement_id])]


def _live(db: sqlite_utils.Database, engagement_id: int, candidate_id: int) -> dict:
    rows = list(db.query("SELECT * FROM candidates WHERE id = ? AND engagement_id = ? AND removed_at IS NULL",
                         [candidate_id, engagement_id]))
    if not rows:
        raise InputError("That candidate is no longer on the list; the page shows the current one.")
    return rows[0]


def edit(store: Store, engagement_id: int, candidate_id: int, objective: str, why: str, proposed_by: str) -> None:
    """Reword a candidate; its number and its dots stay."""
    objective, why, proposed_by = _checked(objective, why, proposed_by)
    with store.write() as db:
        _live(db, engagement_id, candidate_id)
        db.execute("UPDATE candidates SET text = ?, why = ?, proposed_by = ? WHERE id = ?",
                   [objective, why, proposed_by, candidate_id])
        changes.engagement_changed(db, engagement_id)


def merge(store: Store, engagement_id: int, merged_id: int, into_id: int, objective: str | None = None) -> None:
    """Fold one candidate into another: its dots go with it, and the kept one may take a new wording."""
    if merged_id == into_id:
        raise InputError("Choose another candidate to merge with.")
    with store.write() as db:
        merged, kept = _live(db, engagement_id, merged_id), _live(db, engagement_id, into_id)
        if merged["promoted_objective_id"]:
            raise InputError("That candidate is already a top-level objective; merge the other one into it.")
        if objective is not None and objective.strip():
            db.execute("UPDATE candidates SET text = ? WHERE id = ?",
                       [text.clean(objective, "The merged wording", required=True, max_chars=500), into_id])
        # One executive's dots on both end up on the kept candidate, added together.
        db.execute("INSERT INTO votes (candidate_id, voter, dots, voted_at) "
                   "SELECT ?, voter, dots, voted_at FROM votes WHERE candidate_id = ? "
                   "ON CONFLICT (candidate_id, voter) DO UPDATE SET dots = dots + excluded.dots",
                   [into_id, merged_id])
        db.execute("DELETE FROM votes WHERE candidate_id = ?", [merged_id])
        db.execute("UPDATE candidates SET removed_at = ?, removed_note = ? WHERE id = ?",
                   [time.time(), f"merged into {kept['number']}", merged_id])
        changes.engagement_changed(db, engagement_id)


def remove(store: Store, engagement_id: int, candidate_id: int) -> None:
    """Take a candidate off the list (kept in the database); the dots on it go back to their executives."""
    with store.write() as db:
        row = _live(db, engagement_id, candidate_id)
        if row["promoted_objective_id"]:
            raise InputError("That candidate is a top-level objective now; remove the objective on the "
                             "leadership team's page instead.")
        db.execute("DELETE FROM votes WHERE candidate_id = ?", [candidate_id])
        db.execute("UPDATE candidates SET removed_at = ?, removed_note = 'removed' WHERE id = ?",
                   [time.time(), candidate_id])
        changes.engagement_changed(db, engagement_id)


def _checked_laptop(laptop_id: str | None) -> str:
    laptop_id = (laptop_id or "").strip()
    if not laptop_id or len(laptop_id) > MAX_LAPTOP_ID_CHARS:
        raise InputError("This laptop has no ballot of its own; open the link again from the join page.")
    return laptop_id


def open_ballot(store: Store, engagement_id: int, laptop_id: str) -> None:
    """Count this laptop among the executives voting (once; the projector's 'N of M' changes)."""
    laptop_id = _checked_laptop(laptop_id)
    with store.read() as db:
        if db.execute("SELECT 1 FROM ballot_laptops WHERE engagement_id = ? AND laptop_id = ?",
                      [engagement_id, laptop_id]).fetchone():
            return
    with store.write() as db:
        added = db.execute("INSERT OR IGNORE INTO ballot_laptops (engagement_id, laptop_id, opened_at) "
                           "VALUES (?, ?, ?)", [engagement_id, laptop_id, time.time()]).rowcount
        if added:
            changes.engagement_changed(db, engagement_id)


def ballot(store: Store, engagement_id: int, laptop_id: str) -> dict[int, int]:
    """Where one laptop's executive has placed their dots so far."""
    with store.read() as db:
        return {row["candidate_id"]: row["dots"] for row in db.query(
            "SELECT v.candidate_id, v.dots FROM votes v JOIN candidates c ON c.id = v.candidate_id "
            "WHERE c.engagement_id = ? AND c.removed_at IS NULL AND v.voter = ?", [engagement_id, laptop_id])}


def cast(store: Store, engagement_id: int, laptop_id: str, dots: dict[int, int]) -> None:
    """Replace this laptop's dots; refused if they place more than they have."""
    laptop_id = _checked_laptop(laptop_id)
    if any(int(n) < 0 for n in dots.values()):
        raise InputError("Dots cannot be negative.")
    placed = {candidate: int(n) for candidate, n in dots.items() if int(n) > 0}
    with store.write() as db:
        allowed = db.execute("SELECT dots_per_voter FROM engagements WHERE id = ?", [engagement_id]).fetchone()[0]
        if sum(placed.values()) > allowed:
            raise InputError(f"You placed {sum(placed.values())} dots; each executive has {allowed}. "
                             f"Which candidates matter most?")
        valid = {r["id"] for r in db.query("SELECT id FROM candidates WHERE engagement_id = ? AND removed_at IS NULL",
                                           [engagement_id])}
        if set(placed) - valid:
            raise InputError("A candidate you voted for is no longer on the list; the ballot shows the current one.")
        db.execute("INSERT OR IGNORE INTO ballot_laptops (engagement_id, laptop_id, opened_at) VALUES (?, ?, ?)",
                   [engagement_id, laptop_id, time.time()])
        db.execute("DELETE FROM votes WHERE voter = ? AND candidate_id IN "
                   "(SELECT id FROM candidates WHERE engagement_id = ?)", [laptop_id, engagement_id])
        for candidate_id, count in placed.items():
            db.execute("INSERT INTO votes (candidate_id, voter, dots, voted_at) VALUES (?, ?, ?, ?)",
                       [candidate_id, laptop_id, count, time.time()])
        changes.engagement_changed(db, engagement_id)


def clear(store: Store, engagement_id: int, laptop_id: str) -> None:
    """Take back one laptop's dots (the facilitator's call): it counts as not voted yet."""
    with store.write() as db:
        db.execute("DELETE FROM votes WHERE voter = ? AND candidate_id IN "
                   "(SELECT id FROM candidates WHERE engagement_id = ?)", [laptop_id, engagement_id])
        changes.engagement_changed(db, engagement_id)


def voters(store: Store, engagement_id: int) -> list[Voter]:
    """Every laptop that opened the ballot (or voted), in the order they came, with the dots each placed."""
    with store.read() as db:
        rows = list(db.query(
            "SELECT b.laptop_id, coalesce(l.name, '') AS name, "
            "(SELECT coalesce(sum(v.dots), 0) FROM votes v JOIN candidates c ON c.id = v.candidate_id "
            " WHERE v.voter = b.laptop_id AND c.engagement_id = b.engagement_id AND c.removed_at IS NULL) AS dots "
            "FROM (SELECT laptop_id, engagement_id, opened_at FROM ballot_laptops WHERE engagement_id = :e "
            "      UNION SELECT DISTINCT v.voter, c.engagement_id, min(v.voted_at) FROM votes v "
            "      JOIN candidates c ON c.id = v.candidate_id WHERE c.engagement_id = :e "
            "      AND v.voter NOT IN (SELECT laptop_id FROM ballot_laptops WHERE engagement_id = :e) "
            "      GROUP BY v.voter) b "
            "LEFT JOIN laptops l ON l.id = b.laptop_id ORDER BY b.opened_at, b.laptop_id", {"e": engagement_id}))
    return [Voter(row["laptop_id"], row["name"] or f"Laptop {number}", row["dots"])
            for number, row in enumerate(rows, 1)]


def turnout(store: Store, engagement_id: int) -> Turnout:
    """'3 of 4 have voted': laptops that placed dots, of the laptops that opened the ballot."""
    counted = voters(store, engagement_id)
    return Turnout(sum(1 for v in counted if v.dots), len(counted))


def revealed(store: Store, engagement_id: int) -> bool:
    """Whether the facilitator has revealed the tally (hidden until then, so nobody anchors on early votes)."""
    with store.read() as db:
        return bool(db.execute("SELECT tally_revealed FROM engagements WHERE id = ?", [engagement_id]).fetchone()[0])


def reveal(store: Store, engagement_id: int, shown: bool = True) -> None:
    """Show the tally on every screen, or hide it again."""
    with store.write() as db:
        db.execute("UPDATE engagements SET tally_revealed = ? WHERE id = ?", [int(shown), engagement_id])
        changes.engagement_changed(db, engagement_id)


def promote(store: Store, engagement_id: int, candidate_id: int, author: str,
            in_place_of: int | None = None) -> int:
    """Make a candidate a top-level objective; at the maximum, in place of an existing one (removed, restorable)."""
    engagement = engagements.current(store)
    top = next((t for t in teams.list_teams(store, engagement_id) if t.kind == "top"), None)
    if top is None:
        raise InputError("Add the top-level team in set-up first: promoted objectives belong to it.")
    candidate = next((c for c in candidates(store, engagement_id) if c.id == candidate_id), None)
    if candidate is None:
        raise InputError("That candidate is not in this session.")
    if candidate.promoted_objective_id:
        raise InputError("That candidate is already a top-level objective.")
    existing = drafts.load(store, top.id).objectives
    if in_place_of is not None:
        if in_place_of not in {o.id for o in existing}:
            raise InputError("The top-level objective to replace is no longer there; the page shows the current ones.")
        drafts.remove_objective(store, top, in_place_of, author)
        with store.write() as db:
            db.execute("UPDATE candidates SET promoted_objective_id = NULL WHERE promoted_objective_id = ?",
                       [in_place_of])
    elif len(existing) >= engagement.params.max_objectives:
        raise InputError(f"The leadership team already has {len(existing)} top-level objectives, the most this "
                         f"engagement allows. {rulebook.question('too_many_objectives', engagement.params)} "
                         f"Promote this one in place of one of them.")
    objective = drafts.add_objective(store, top, ObjectiveFields(text=candidate.text, why_now=candidate.why),
                                     engagement.params, author)
    with store.write() as db:
        db.execute("UPDATE candidates SET promoted_objective_id = ? WHERE id = ?", [objective.id, candidate_id])
        changes.engagement_changed(db, engagement_id)
    return objective.id
