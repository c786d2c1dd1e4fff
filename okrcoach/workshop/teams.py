"""Breakout teams and the top-level team, each with a short slug for its link."""

import re
import time
import unicodedata
from dataclasses import dataclass

import sqlite_utils

from okrcoach import text
from okrcoach.content.vocabulary import TEAM_KINDS
from okrcoach.errors import InputError, StaleEdit
from okrcoach.storage import changes, revisions
from okrcoach.storage.store import Store


@dataclass(frozen=True)
class Team:
    """A team drafting OKRs; kind 'top' holds the top-level objectives."""

    id: int
    engagement_id: int
    name: str
    slug: str
    kind: str
    purpose: str
    purpose_version: int
    position: int


def slugify(name: str) -> str:
    """A link-friendly slug: lower-case letters, digits and hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40]


def _from_row(row: dict) -> Team:
    return Team(**{field: row[field] for field in Team.__dataclass_fields__})


def list_in(db: sqlite_utils.Database, engagement_id: int) -> list[Team]:
    """The engagement's teams on an open connection, top-level team first."""
    rows = db.query(
        "SELECT * FROM teams WHERE engagement_id = ? AND removed_at IS NULL "
        "ORDER BY kind = 'team', position, id", [engagement_id])
    return [_from_row(row) for row in rows]


def list_teams(store: Store, engagement_id: int) -> list[Team]:
    """The engagement's teams, top-level team first."""
    with store.read() as db:
        return list_in(db, engagement_id)


def by_slug(store: Store, engagement_id: int, slug: str | None) -> Team | None:
    """The team a link names, or None."""
    with store.read() as db:
        rows = list(db.query(
            "SELECT * FROM teams WHERE engagement_id = ? AND slug = ? AND removed_at IS NULL",
            [engagement_id, (slug or "").strip().lower()]))
    return _from_row(rows[0]) if rows else None


def get_in(db: sqlite_utils.Database, team_id: int) -> Team:
    """One team by id on an open connection."""
    # Plain SQL rather than sqlite-utils' table.get(), which reads the schema first: this runs on every page.
    rows = list(db.query("SELECT * FROM teams WHERE id = ?", [team_id]))
    if not rows:
        raise sqlite_utils.db.NotFoundError(f"No team {team_id}")
    return _from_row(rows[0])


def add(store: Store, engagement_id: int, name: str, kind: str = "team", slug: str | None = None) -> Team:
    """Add a team; its slug comes from the name unless given."""
    name = text.one_line(name, "Team name", required=True, max_chars=60)
    slug = slugify(slug or name)
    if not slug and not any(c.isalnum() for c in name):
        raise InputError("The team name needs at least one letter or digit.")
    if kind not in TEAM_KINDS:
        raise InputError(f"Team kind must be one of {', '.join(TEAM_KINDS)}.")
    with store.write() as db:
        taken = {t.slug: t for t in list_in(db, engagement_id)}
        if not slug:  # a name in a script links cannot carry (Arabic, Greek, CJK…): number the link
            slug = next(f"team-{n}" for n in range(len(taken) + 1, len(taken) + 1000) if f"team-{n}" not in taken)
        if slug in taken:
            raise InputError(f"A team with the link name '{slug}' exists already; choose another name.")
        if kind == "top" and any(t.kind == "top" for t in taken.values()):
            raise InputError("There is already a top-level team; an engagement has exactly one.")
        team_id = db["teams"].insert({
            "engagement_id": engagement_id, "name": name, "slug": slug, "kind": kind,
            "position": len(taken)}).last_pk
        changes.engagement_changed(db, engagement_id)
        return get_in(db, team_id)


def rename(store: Store, team_id: int, name: str, seen_name: str | None = None, author: str = "") -> Team:
    """Give a team a new display name (its link stays the same), only if it still has the name the person saw."""
    name = text.one_line(name, "Team name", required=True, max_chars=60)
    with store.write() as db:
        before = get_in(db, team_id)
        if seen_name is not None and before.name != seen_name:
            raise InputError(f"'{seen_name}' was renamed to '{before.name}' meanwhile, so it was not renamed "
                             "again. Check the name and rename it if you still want to.")
        renames = db.execute("SELECT count(*) FROM revisions WHERE entity = 'team_name' AND entity_id = ?",
                             [team_id]).fetchone()[0]
        db["teams"].update(team_id, {"name": name})
        revisions.record(db, engagement_id=before.engagement_id, team_id=team_id, entity="team_name",
                         entity_id=team_id, version=renames + 1, body={"name": name, "was": before.name},
                         author=author)
        team = get_in(db, team_id)
        changes.engagement_changed(db, team.engagement_id)
        return team


def draft_count(store: Store, team_id: int) -> int:
    """How many objectives the team has drafted (asked before removing it)."""
    with store.read() as db:
        return db.execute(
            "SELECT count(*) FROM objectives WHERE team_id = ? AND removed_at IS NULL", [team_id]
        ).fetchone()[0]


def remove(store: Store, team_id: int, author: str) -> None:
    """Remove a team from the workshop; its drafts stay in the database and the revision log."""
    with store.write() as db:
        team = get_in(db, team_id)
        drafts = list(db.query(
            "SELECT id, text, why_now FROM objectives WHERE team_id = ? AND removed_at IS NULL", [team_id]))
        revisions.record(db, engagement_id=team.engagement_id, team_id=team_id, entity="team",
                         entity_id=team_id, version=team.purpose_version,
                         body={"name": team.name, "slug": team.slug, "purpose": team.purpose,
                               "objectives": drafts}, author=author, outcome="removed")
        db["teams"].update(team_id, {"removed_at": time.time()})
        involved = {r["team_id"] for r in db.query(
            "SELECT d.to_team_id AS team_id FROM dependencies d JOIN key_results k ON k.id = d.key_result_id "
            "JOIN objectives o ON o.id = k.objective_id WHERE o.team_id = :t "
            "UNION SELECT o.team_id FROM dependencies d JOIN key_results k ON k.id = d.key_result_id "
            "JOIN objectives o ON o.id = k.objective_id WHERE d.to_team_id = :t", {"t": team_id})}
        changes.teams_changed(db, involved)
        changes.engagement_changed(db, team.engagement_id)


def save_purpose(store: Store, team: Team, purpose: str, base_version: int, author: str) -> Team:
    """Save 'Why does our team exist?'; a stale edit raises StaleEdit and changes nothing."""
    purpose = text.clean(purpose, "Team purpose")
    with store.write() as db:
        changed = db.execute(
            "UPDATE teams SET purpose = ?, purpose_version = purpose_version + 1 "
            "WHERE id = ? AND purpose_version = ?", [purpose, team.id, base_version]).rowcount
        current = get_in(db, team.id)
        outcome = "saved" if changed else "conflict"
        revisions.record(db, engagement_id=team.engagement_id, team_id=team.id, entity="purpose",
                         entity_id=team.id, version=current.purpose_version if changed else base_version,
                         body={"purpose": purpose}, author=author, outcome=outcome)
        if changed:
            changes.teams_changed(db, {team.id}, card="purpose")
            changes.engagement_changed(db, team.engagement_id)
    if not changed:
        raise StaleEdit("The team purpose", {"purpose": purpose}, {"purpose": current.purpose},
                        current.purpose_version, "")
    return current


def stamp(store: Store, team_id: int) -> int:
    """A number that changes whenever anything on the team's page changes."""
    with store.read() as db:
        row = db.execute("SELECT stamp FROM teams WHERE id = ?", [team_id]).fetchone()
    return row[0] if row else -1
