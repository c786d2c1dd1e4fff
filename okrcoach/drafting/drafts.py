"""A team's draft OKRs: objectives with Why now?, key results, with limits and stale-edit detection."""

import time
from dataclasses import asdict, dataclass
from datetime import date

import sqlite_utils

from okrcoach import text
from okrcoach.content import rules as rulebook
from okrcoach.content.vocabulary import KR_TYPES
from okrcoach.errors import InputError, StaleEdit
from okrcoach.storage import changes, revisions
from okrcoach.storage.store import Store
from okrcoach.workshop import teams
from okrcoach.workshop.engagements import DeploymentParameters
from okrcoach.workshop.teams import Team

STATUSES = ("drafting", "ready")


@dataclass(frozen=True)
class ObjectiveFields:
    """What a team types for an objective."""

    text: str
    why_now: str = ""
    status: str = "drafting"
    contributes_to: tuple[int, ...] = ()


@dataclass(frozen=True)
class KeyResultFields:
    """What a team types for a key result."""

    text: str
    kr_type: str = "metric"
    baseline: float | None = None
    target: float | None = None
    unit: str = ""
    due: date | None = None
    champion: str = ""
    contributors: str = ""
    depends_on: tuple[int, ...] = ()
    shared_with: tuple[int, ...] = ()


@dataclass(frozen=True)
class KeyResult:
    """A saved key result."""

    id: int
    objective_id: int
    fields: KeyResultFields
    version: int
    updated_at: float
    updated_by: str


@dataclass(frozen=True)
class Objective:
    """A saved objective with its key results."""

    id: int
    team_id: int
    fields: ObjectiveFields
    version: int
    updated_at: float
    updated_by: str
    key_results: tuple[KeyResult, ...]


@dataclass(frozen=True)
class Draft:
    """Everything one team has drafted."""

    team: Team
    objectives: tuple[Objective, ...]


def _kr_from_row(row: dict, depends_on: tuple[int, ...], shared_with: tuple[int, ...]) -> KeyResult:
    fields = KeyResultFields(
        text=row["text"], kr_type=row["kr_type"], baseline=row["baseline"], target=row["target"],
        unit=row["unit"], due=date.fromisoformat(row["due"]) if row["due"] else None,
        champion=row["champion"], contributors=row["contributors"], depends_on=depends_on,
        shared_with=shared_with)
    return KeyResult(row["id"], row["objective_id"], fields, row["version"], row["updated_at"], row["updated_by"])


def _load_objectives(db: sqlite_utils.Database, where: str, params: list) -> list[Objective]:
    objective_rows = list(db.query(
        f"SELECT o.* FROM objectives o JOIN teams t ON t.id = o.team_id "
        f"WHERE o.removed_at IS NULL AND {where} ORDER BY o.team_id, o.position, o.id", params))
    if not objective_rows:
        return []
    ids = [row["id"] for row in objective_rows]
    marks = ",".join("?" * len(ids))
    links: dict[int, list[int]] = {}
    for row in db.query(
            f"SELECT c.objective_id, c.top_objective_id FROM contributions c "
            f"JOIN objectives top ON top.id = c.top_objective_id "
            f"WHERE c.objective_id IN ({marks}) ORDER BY top.position, top.id", ids):
        links.setdefault(row["objective_id"], []).append(row["top_objective_id"])
    kr_rows = list(db.query(
        f"SELECT * FROM key_results WHERE removed_at IS NULL AND objective_id IN ({marks}) "
        f"ORDER BY position, id", ids))
    depends: dict[int, list[int]] = {}
    shares: dict[int, list[int]] = {}
    if kr_rows:
        kr_marks = ",".join("?" * len(kr_rows))
        kr_ids = [r["id"] for r in kr_rows]
        for row in db.query(
                f"SELECT key_result_id, to_team_id FROM dependencies WHERE key_result_id IN ({kr_marks}) "
                f"ORDER BY id", kr_ids):
            depends.setdefault(row["key_result_id"], []).append(row["to_team_id"])
        for row in db.query(
                f"SELECT key_result_id, team_id FROM shared_key_results WHERE key_result_id IN ({kr_marks}) "
                f"ORDER BY team_id", kr_ids):
            shares.setdefault(row["key_result_id"], []).append(row["team_id"])
    krs: dict[int, list[KeyResult]] = {}
    for row in kr_rows:
        krs.setdefault(row["objective_id"], []).append(
            _kr_from_row(row, tuple(depends.get(row["id"], ())), tuple(shares.get(row["id"], ()))))
    return [
        Objective(
            id=row["id"], team_id=row["team_id"],
            fields=ObjectiveFields(row["text"], row["why_now"], row["status"], tuple(links.get(row["id"], ()))),
            version=row["version"], updated_at=row["updated_at"], updated_by=row["updated_by"],
            key_results=tuple(krs.get(row["id"], ())))
        for row in objective_rows
    ]


def load(store: Store, team_id: int) -> Draft:
    """One team's draft as saved now."""
    with store.read() as db:
        return Draft(teams.get_in(db, team_id), tuple(_load_objectives(db, "o.team_id = ?", [team_id])))


def objectives_in(db: sqlite_utils.Database, engagement_id: int) -> list[Objective]:
    """Every objective of the engagement's current teams, on an open connection."""
    return _load_objectives(db, "t.engagement_id = ? AND t.removed_at IS NULL", [engagement_id])


def load_all(store: Store, engagement_id: int) -> list[Draft]:
    """Every team's draft, top-level team first."""
    with store.read() as db:
        team_list = teams.list_in(db, engagement_id)
        objectives = objectives_in(db, engagement_id)
    by_team: dict[int, list[Objective]] = {}
    for objective in objectives:
        by_team.setdefault(objective.team_id, []).append(objective)
    return [Draft(team, tuple(by_team.get(team.id, ()))) for team in team_list]


def top_objectives(store: Store, engagement_id: int) -> list[Objective]:
    """The top-level objectives teams can contribute to."""
    with store.read() as db:
        return _load_objectives(db, "t.engagement_id = ? AND t.kind = 'top' AND t.removed_at IS NULL",
                                [engagement_id])


def _check_objective(db: sqlite_utils.Database, team: Team, fields: ObjectiveFields,
                     objective_id: int | None = None) -> ObjectiveFields:
    if fields.status not in STATUSES:
        raise InputError(f"Status must be one of {', '.join(STATUSES)}.")
    contributes_to = tuple(dict.fromkeys(fields.contributes_to))
    if contributes_to and team.kind == "top":
        raise InputError("Top-level objectives do not contribute to other objectives.")
    if contributes_to:
        marks = ",".join("?" * len(contributes_to))
        valid = {row["id"] for row in db.query(
            f"SELECT o.id FROM objectives o JOIN teams t ON t.id = o.team_id WHERE o.id IN ({marks}) "
            f"AND t.kind = 'top' AND t.engagement_id = ? AND o.removed_at IS NULL",
            [*contributes_to, team.engagement_id])}
        # A link saved before its top-level objective was removed stays (shown as removed); only new links
        # must point at an objective that exists.
        valid |= {r["top_objective_id"] for r in db.query(
            "SELECT top_objective_id FROM contributions WHERE objective_id = ?", [objective_id])}
        if set(contributes_to) - valid:
            raise InputError("A top-level objective you chose under 'Contributes to' no longer exists; "
                             "reload the page and choose again.")
    return ObjectiveFields(
        text=text.clean(fields.text, "The objective", required=True),
        why_now=text.clean(fields.why_now, "Why now?"),
        status=fields.status,
        contributes_to=contributes_to,
    )


def _check_key_result(db: sqlite_utils.Database, team: Team, fields: KeyResultFields,
                      params: DeploymentParameters, cycle_end: date, kr_id: int | None = None) -> KeyResultFields:
    if fields.kr_type not in KR_TYPES:
        raise InputError(f"Type must be one of {', '.join(KR_TYPES)}.")
    if fields.kr_type == "milestone" and not params.milestones_allowed:
        raise InputError("This engagement does not use milestone key results. What measurable outcome "
                         "would tell you the milestone did its job? Write that as a metric key result.")
    depends_on = tuple(dict.fromkeys(fields.depends_on))
    shared_with = tuple(dict.fromkeys(fields.shared_with))
    for label, chosen in (("Depends on", depends_on), ("Shared with", shared_with)):
        if team.id in chosen:
            raise InputError(f"Choose other teams under '{label}', not your own.")
        if chosen:
            marks = ",".join("?" * len(chosen))
            valid = {row["id"] for row in db.query(
                f"SELECT id FROM teams WHERE id IN ({marks}) AND engagement_id = ? AND removed_at IS NULL",
                [*chosen, team.engagement_id])}
            valid |= {r["to_team_id"] for r in db.query(  # kept, like a link to a removed top-level objective
                "SELECT to_team_id FROM dependencies WHERE key_result_id = ? UNION "
                "SELECT team_id FROM shared_key_results WHERE key_result_id = ?", [kr_id, kr_id])}
            if set(chosen) - valid:
                raise InputError(f"A team you chose under '{label}' is no longer in the workshop; choose again.")
    for name, value in (("From", fields.baseline), ("To", fields.target)):
        if value is not None and (value != value or abs(value) > 1e15):
            raise InputError(f"{name} must be an ordinary number.")
    return KeyResultFields(
        text=text.clean(fields.text, "The key result", required=True),
        kr_type=fields.kr_type,
        baseline=fields.baseline if fields.kr_type == "metric" else None,
        target=fields.target if fields.kr_type == "metric" else None,
        unit=text.one_line(fields.unit, "Unit", max_chars=40) if fields.kr_type == "metric" else "",
        due=fields.due or cycle_end,
        champion=text.one_line(fields.champion, "Champion", max_chars=120),
        contributors=text.one_line(fields.contributors, "Contributors", max_chars=500),
        depends_on=depends_on,
        shared_with=shared_with,
    )


def _owned_objective(db: sqlite_utils.Database, team: Team, objective_id: int) -> dict:
    rows = list(db.query("SELECT * FROM objectives WHERE id = ?", [objective_id]))
    if not rows or rows[0]["team_id"] != team.id:
        raise InputError("That objective belongs to another team; a team page edits only its own drafts.")
    if rows[0]["removed_at"] is not None:
        raise InputError("That objective was removed on another laptop.")
    return rows[0]


def _owned_key_result(db: sqlite_utils.Database, team: Team, kr_id: int) -> dict:
    rows = list(db.query(
        "SELECT k.*, o.team_id FROM key_results k JOIN objectives o ON o.id = k.objective_id WHERE k.id = ?",
        [kr_id]))
    if not rows or rows[0]["team_id"] != team.id:
        raise InputError("That key result belongs to another team; a team page edits only its own drafts.")
    if rows[0]["removed_at"] is not None:
        raise InputError("That key result was removed on another laptop.")
    return rows[0]


def _changed(db: sqlite_utils.Database, team: Team, other_teams: set[int] = frozenset(),
             card: str | None = None) -> None:
    """Redraw the team's pages (only `card` of them, for an edit of one card) and the other teams' pages."""
    changes.teams_changed(db, {team.id}, card)
    changes.teams_changed(db, set(other_teams) - {team.id})
    changes.engagement_changed(db, team.engagement_id)


def _body(fields: ObjectiveFields | KeyResultFields) -> dict:
    return asdict(fields)


def add_objective(store: Store, team: Team, fields: ObjectiveFields, params: DeploymentParameters,
                  author: str) -> Objective:
    """Add an objective, refused beyond the engagement's maximum."""
    with store.write() as db:
        fields = _check_objective(db, team, fields)
        count = db.execute("SELECT count(*) FROM objectives WHERE team_id = ? AND removed_at IS NULL",
                           [team.id]).fetchone()[0]
        if count >= params.max_objectives:
            raise InputError(
                f"This engagement sets at most {params.max_objectives} objectives per team, and you have "
                f"{count}. {rulebook.question('too_many_objectives', params)}")
        objective_id = db["objectives"].insert({
            "team_id": team.id, "text": fields.text, "why_now": fields.why_now, "status": fields.status,
            "position": _next_position(db, "objectives", "team_id", team.id), "version": 1,
            "updated_at": time.time(), "updated_by": author}).last_pk
        _write_links(db, objective_id, fields.contributes_to)
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="objective",
                         entity_id=objective_id, version=1, body=_body(fields), author=author)
        _changed(db, team)
        return _load_objectives(db, "o.id = ?", [objective_id])[0]


def _next_position(db: sqlite_utils.Database, table: str, parent: str, parent_id: int) -> int:
    """After every item the parent ever had, removed ones included: a new item never sorts ahead of an old one.

    (Counting only the live items gave a new objective the place of a removed one, ahead of the objective
    a laptop was editing as "objective 1", which was then saved and shown as objective 2: issue 14, case 7.)
    """
    row = db.execute(f"SELECT max(position) FROM {table} WHERE {parent} = ?", [parent_id]).fetchone()
    return 0 if row[0] is None else row[0] + 1


def _write_links(db: sqlite_utils.Database, objective_id: int, contributes_to: tuple[int, ...]) -> None:
    db.execute("DELETE FROM contributions WHERE objective_id = ?", [objective_id])
    for top_id in contributes_to:
        db.execute("INSERT INTO contributions (objective_id, top_objective_id) VALUES (?, ?)",
                   [objective_id, top_id])


def save_objective(store: Store, team: Team, objective_id: int, fields: ObjectiveFields,
                   base_version: int, author: str) -> Objective:
    """Save an edited objective; if someone saved since base_version, raise StaleEdit and change nothing."""
    with store.write() as db:
        _owned_objective(db, team, objective_id)
        fields = _check_objective(db, team, fields, objective_id)
        changed = db.execute(
            "UPDATE objectives SET text = ?, why_now = ?, status = ?, version = version + 1, "
            "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
            [fields.text, fields.why_now, fields.status, time.time(), author, objective_id, base_version]
        ).rowcount
        if changed:
            _write_links(db, objective_id, fields.contributes_to)
            _changed(db, team, _teams_asked_by(db, objective_id), card=f"objective-{objective_id}")
        current = _load_objectives(db, "o.id = ?", [objective_id])[0]
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="objective",
                         entity_id=objective_id, version=current.version if changed else base_version,
                         body=_body(fields), author=author, outcome="saved" if changed else "conflict")
    if not changed:
        raise StaleEdit("This objective", _body(fields), _body(current.fields), current.version, current.updated_by)
    return current


def add_key_result(store: Store, team: Team, objective_id: int, fields: KeyResultFields,
                   params: DeploymentParameters, cycle_end: date, author: str) -> KeyResult:
    """Add a key result to an objective, refused beyond the engagement's maximum."""
    with store.write() as db:
        _owned_objective(db, team, objective_id)
        fields = _check_key_result(db, team, fields, params, cycle_end)
        count = db.execute("SELECT count(*) FROM key_results WHERE objective_id = ? AND removed_at IS NULL",
                           [objective_id]).fetchone()[0]
        if count >= params.max_key_results:
            raise InputError(
                f"This engagement sets at most {params.max_key_results} key results per objective. "
                f"{rulebook.question('too_many_key_results', params)}")
        kr_id = db["key_results"].insert({
            **_kr_columns(fields), "objective_id": objective_id,
            "position": _next_position(db, "key_results", "objective_id", objective_id), "version": 1,
            "updated_at": time.time(), "updated_by": author}).last_pk
        others = _write_dependencies(db, kr_id, fields.depends_on) | _write_shares(db, kr_id, fields.shared_with)
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="key_result",
                         entity_id=kr_id, version=1, body=_body(fields), author=author)
        _changed(db, team, others)
        return _load_key_result(db, kr_id)


def _kr_columns(fields: KeyResultFields) -> dict:
    return {
        "text": fields.text, "kr_type": fields.kr_type, "baseline": fields.baseline, "target": fields.target,
        "unit": fields.unit, "due": fields.due.isoformat() if fields.due else None,
        "champion": fields.champion, "contributors": fields.contributors,
    }


def _load_key_result(db: sqlite_utils.Database, kr_id: int) -> KeyResult:
    row = db["key_results"].get(kr_id)
    depends = tuple(r["to_team_id"] for r in db.query(
        "SELECT to_team_id FROM dependencies WHERE key_result_id = ? ORDER BY id", [kr_id]))
    shares = tuple(r["team_id"] for r in db.query(
        "SELECT team_id FROM shared_key_results WHERE key_result_id = ? ORDER BY team_id", [kr_id]))
    return _kr_from_row(row, depends, shares)


def _write_shares(db: sqlite_utils.Database, kr_id: int, shared_with: tuple[int, ...]) -> set[int]:
    """Replace the teams a key result is shared with; return the teams affected."""
    before = {r["team_id"] for r in db.query(
        "SELECT team_id FROM shared_key_results WHERE key_result_id = ?", [kr_id])}
    db.execute("DELETE FROM shared_key_results WHERE key_result_id = ?", [kr_id])
    for team_id in shared_with:
        db.execute("INSERT INTO shared_key_results (key_result_id, team_id) VALUES (?, ?)", [kr_id, team_id])
    return before | set(shared_with)


def _write_dependencies(db: sqlite_utils.Database, kr_id: int, depends_on: tuple[int, ...]) -> set[int]:
    """Keep answered requests, add new ones, drop the ones no longer asked; return every team involved."""
    existing = {r["to_team_id"] for r in db.query(
        "SELECT to_team_id FROM dependencies WHERE key_result_id = ?", [kr_id])}
    wanted = set(depends_on)
    for team_id in existing - wanted:
        db.execute("DELETE FROM dependencies WHERE key_result_id = ? AND to_team_id = ?", [kr_id, team_id])
    for team_id in depends_on:
        if team_id not in existing:
            db.execute("INSERT INTO dependencies (key_result_id, to_team_id, requested_at) VALUES (?, ?, ?)",
                       [kr_id, team_id, time.time()])
    return existing | wanted


def save_key_result(store: Store, team: Team, kr_id: int, fields: KeyResultFields, base_version: int,
                    params: DeploymentParameters, cycle_end: date, author: str) -> KeyResult:
    """Save an edited key result; if someone saved since base_version, raise StaleEdit and change nothing."""
    with store.write() as db:
        _owned_key_result(db, team, kr_id)
        fields = _check_key_result(db, team, fields, params, cycle_end, kr_id)
        columns = _kr_columns(fields)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        changed = db.execute(
            f"UPDATE key_results SET {assignments}, version = version + 1, updated_at = ?, updated_by = ? "
            f"WHERE id = ? AND version = ?",
            [*columns.values(), time.time(), author, kr_id, base_version]).rowcount
        others = (_write_dependencies(db, kr_id, fields.depends_on) | _write_shares(db, kr_id, fields.shared_with)
                  if changed else set())
        current = _load_key_result(db, kr_id)
        if changed:
            _changed(db, team, others, card=f"objective-{current.objective_id}")
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="key_result",
                         entity_id=kr_id, version=current.version if changed else base_version,
                         body=_body(fields), author=author, outcome="saved" if changed else "conflict")
    if not changed:
        raise StaleEdit("This key result", _body(fields), _body(current.fields), current.version,
                        current.updated_by)
    return current


def remove_objective(store: Store, team: Team, objective_id: int, author: str,
                     base_version: int | None = None) -> None:
    """Remove an objective and its key results from the draft; the revision log keeps them.

    With base_version, a removal of a version someone has since changed raises StaleEdit and removes nothing.
    """
    with store.write() as db:
        row = _owned_objective(db, team, objective_id)
        objective = _load_objectives(db, "o.id = ?", [objective_id])[0]
        if base_version is not None and row["version"] != base_version:
            raise StaleEdit("This objective", {}, _body(objective.fields), row["version"], row["updated_by"])
        body = {**_body(objective.fields), "key_results": [_body(kr.fields) for kr in objective.key_results]}
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="objective",
                         entity_id=objective_id, version=row["version"], body=body, author=author,
                         outcome="removed")
        now = time.time()
        db.execute("UPDATE objectives SET removed_at = ? WHERE id = ?", [now, objective_id])
        db.execute("UPDATE key_results SET removed_at = ? WHERE objective_id = ? AND removed_at IS NULL",
                   [now, objective_id])
        _changed(db, team, _teams_pointing_at(db, objective_id) | _teams_asked_by(db, objective_id))


def _teams_asked_by(db: sqlite_utils.Database, objective_id: int) -> set[int]:
    """Teams whose pages show requests from this objective's key results."""
    return {r["to_team_id"] for r in db.query(
        "SELECT d.to_team_id FROM dependencies d JOIN key_results k ON k.id = d.key_result_id "
        "WHERE k.objective_id = ?", [objective_id])}


def _teams_pointing_at(db: sqlite_utils.Database, objective_id: int) -> set[int]:
    return {r["team_id"] for r in db.query(
        "SELECT o.team_id FROM contributions c JOIN objectives o ON o.id = c.objective_id "
        "WHERE c.top_objective_id = ?", [objective_id])}


def remove_key_result(store: Store, team: Team, kr_id: int, author: str, base_version: int | None = None) -> None:
    """Remove a key result from the draft; the revision log keeps it. Version-checked like remove_objective."""
    with store.write() as db:
        row = _owned_key_result(db, team, kr_id)
        kr = _load_key_result(db, kr_id)
        if base_version is not None and row["version"] != base_version:
            raise StaleEdit("This key result", {}, _body(kr.fields), row["version"], row["updated_by"])
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="key_result",
                         entity_id=kr_id, version=row["version"], body=_body(kr.fields), author=author,
                         outcome="removed")
        db.execute("UPDATE key_results SET removed_at = ? WHERE id = ?", [time.time(), kr_id])
        _changed(db, team, set(kr.fields.depends_on))


@dataclass(frozen=True)
class Removed:
    """An objective or key result taken out of the draft, which the team can restore."""

    entity: str
    id: int
    text: str
    objective_id: int
    removed_at: float
    removed_by: str


def removed(store: Store, team_id: int) -> list[Removed]:
    """The team's removed objectives, and removed key results of objectives still in the draft, newest first."""
    with store.read() as db:
        rows = db.query(
            "SELECT 'objective' AS entity, o.id, o.text, o.id AS objective_id, o.removed_at FROM objectives o "
            "WHERE o.team_id = :t AND o.removed_at IS NOT NULL "
            "UNION ALL SELECT 'key_result', k.id, k.text, k.objective_id, k.removed_at FROM key_results k "
            "JOIN objectives o ON o.id = k.objective_id "
            "WHERE o.team_id = :t AND o.removed_at IS NULL AND k.removed_at IS NOT NULL "
            "ORDER BY removed_at DESC, id DESC", {"t": team_id})
        found = []
        for row in rows:
            who = db.execute("SELECT author FROM revisions WHERE entity = ? AND entity_id = ? AND outcome = 'removed' "
                             "ORDER BY id DESC LIMIT 1", [row["entity"], row["id"]]).fetchone()
            found.append(Removed(**row, removed_by=who[0] if who else ""))
        return found


def was_removed(store: Store, entity: str, item_id: int) -> Removed | None:
    """The removed objective or key result with this id (its objective may be removed too), or None."""
    table = "objectives" if entity == "objective" else "key_results"
    with store.read() as db:
        row = db.execute(f"SELECT text, removed_at, {'id' if entity == 'objective' else 'objective_id'} "
                         f"FROM {table} WHERE id = ? AND removed_at IS NOT NULL", [item_id]).fetchone()
        if not row:
            return None
        who = db.execute("SELECT author FROM revisions WHERE entity = ? AND entity_id = ? AND outcome = 'removed' "
                         "ORDER BY id DESC LIMIT 1", [entity, item_id]).fetchone()
    return Removed(entity, item_id, row[0], row[2], row[1], who[0] if who else "")


def restore_objective(store: Store, team: Team, objective_id: int, params: DeploymentParameters,
                      author: str) -> Objective:
    """Put a removed objective back, with the key results removed along with it; logged as a new version."""
    with store.write() as db:
        rows = list(db.query("SELECT * FROM objectives WHERE id = ? AND team_id = ?", [objective_id, team.id]))
        if not rows:
            raise InputError("That objective belongs to another team; a team page edits only its own drafts.")
        if rows[0]["removed_at"] is None:
            raise InputError("That objective is in the draft already; another laptop restored it.")
        count = db.execute("SELECT count(*) FROM objectives WHERE team_id = ? AND removed_at IS NULL",
                           [team.id]).fetchone()[0]
        if count >= params.max_objectives:
            raise InputError(f"This engagement sets at most {params.max_objectives} objectives per team, and you "
                             f"have {count}. Remove one first if this one matters more.")
        db.execute("UPDATE key_results SET removed_at = NULL WHERE objective_id = ? AND removed_at = ?",
                    [objective_id, rows[0]["removed_at"]])
        db.execute("UPDATE objectives SET removed_at = NULL, version = version + 1, updated_at = ?, updated_by = ? "
                   "WHERE id = ?", [time.time(), author, objective_id])
        restored = _load_objectives(db, "o.id = ?", [objective_id])[0]
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="objective",
                         entity_id=objective_id, version=restored.version, body=_body(restored.fields),
                         author=author)
        _changed(db, team, _teams_pointing_at(db, objective_id) | _teams_asked_by(db, objective_id))
        return restored


def restore_key_result(store: Store, team: Team, kr_id: int, params: DeploymentParameters,
                       author: str) -> KeyResult:
    """Put a removed key result back under its objective; logged as a new version."""
    with store.write() as db:
        rows = list(db.query(
            "SELECT k.removed_at, o.team_id, o.removed_at AS objective_removed_at, k.objective_id "
            "FROM key_results k JOIN objectives o ON o.id = k.objective_id WHERE k.id = ?", [kr_id]))
        if not rows or rows[0]["team_id"] != team.id:
            raise InputError("That key result belongs to another team; a team page edits only its own drafts.")
        if rows[0]["objective_removed_at"] is not None:
            raise InputError("Its objective was removed; restore the objective first.")
        if rows[0]["removed_at"] is None:
            raise InputError("That key result is in the draft already; another laptop restored it.")
        count = db.execute("SELECT count(*) FROM key_results WHERE objective_id = ? AND removed_at IS NULL",
                           [rows[0]["objective_id"]]).fetchone()[0]
        if count >= params.max_key_results:
            raise InputError(f"This engagement sets at most {params.max_key_results} key results per objective. "
                             f"Remove one first if this one matters more.")
        db.execute("UPDATE key_results SET removed_at = NULL, version = version + 1, updated_at = ?, "
                   "updated_by = ? WHERE id = ?", [time.time(), author, kr_id])
        kr = _load_key_result(db, kr_id)
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="key_result",
                         entity_id=kr_id, version=kr.version, body=_body(kr.fields), author=author)
        _changed(db, team, set(kr.fields.depends_on))
        return kr
