"""The demo engagement: a fictional client whose drafts are partly good and partly flawed."""

import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

from pydantic import model_validator

from okrcoach import text
from okrcoach.content import loader as content
from okrcoach.content.loader import Count, Flag, Known, NonEmptyText, Number, Text, one_of
from okrcoach.content.vocabulary import KR_TYPES, TEAM_KINDS
from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.storage.store import Store
from okrcoach.workshop import agendas, engagements, runs, teams
from okrcoach.workshop.engagements import DeploymentParameters, Engagement

DEMO_FILE = Path(__file__).with_name("demo_engagement.toml")
AUTHOR = "demo"
DEMO_AGENDA_KIND = "team-drafting"
# Imported drafts keep what was written, over-limit ones included: the review questions them.
AS_WRITTEN = DeploymentParameters(max_objectives=99, max_key_results=99)


@dataclass(frozen=True)
class DemoSetup(Known):
    """The demo engagement's name, people and deployment parameters."""

    name: NonEmptyText
    client: Text
    facilitator: Text
    cycle_kind: Annotated[str, one_of(engagements.CYCLE_KINDS)]
    max_objectives: Count
    min_key_results: Count
    max_key_results: Count
    milestones_allowed: Flag


@dataclass(frozen=True)
class DemoRequest(Known):
    """A key result's request for another team's help, and how that team answered."""

    team: NonEmptyText
    status: Annotated[str, one_of(("requested", "accepted", "declined"))] = "requested"
    comment: Text = ""


@dataclass(frozen=True)
class DemoKeyResult(Known):
    """A key result as the demo team wrote it; due a number of days after the demo is loaded."""

    text: NonEmptyText
    kr_type: Annotated[str, one_of(KR_TYPES)]
    baseline: Number | None = None
    target: Number | None = None
    unit: Text = ""
    due_in_days: Count | None = None
    champion: Text = ""
    contributors: Text = ""
    depends_on: tuple[DemoRequest, ...] = ()


@dataclass(frozen=True)
class DemoObjective(Known):
    """An objective with the ref other objectives use to say they contribute to it."""

    ref: NonEmptyText
    text: NonEmptyText
    why_now: Text = ""
    status: Annotated[str, one_of(drafts.STATUSES)] = "drafting"
    contributes_to: tuple[Text, ...] = ()
    key_results: tuple[DemoKeyResult, ...] = ()


@dataclass(frozen=True)
class DemoTeam(Known):
    """A demo team and its draft."""

    slug: NonEmptyText
    name: NonEmptyText
    kind: Annotated[str, one_of(TEAM_KINDS)]
    purpose: Text = ""
    objectives: tuple[DemoObjective, ...] = ()


@dataclass(frozen=True)
class DemoParked(Known):
    """A parking lot item."""

    text: NonEmptyText
    raised_by: Text = ""


@dataclass(frozen=True)
class DemoFile(Known):
    """okrcoach/drafting/demo_engagement.toml: the engagement, its teams' drafts in order, the parking lot."""

    engagement: DemoSetup
    teams: tuple[DemoTeam, ...]
    parking_lot: tuple[DemoParked, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self):
        slugs, refs = {team.slug for team in self.teams}, set()
        for team in self.teams:
            for objective in team.objectives:
                for ref in objective.contributes_to:
                    if ref not in refs:
                        raise ValueError(f"objective {objective.ref!r} contributes to {ref!r}, which no earlier "
                                         f"objective has as its ref")
                refs.add(objective.ref)
                for request in (r for kr in objective.key_results for r in kr.depends_on):
                    if request.team not in slugs:
                        raise ValueError(f"objective {objective.ref!r} depends on team {request.team!r}, "
                                         f"which is not among the teams")
        return self


def load_demo(store: Store, code: str | None = None, pin: str | None = None,
              today: date | None = None) -> Engagement:
    """Archive the engagement in use and load the demo; access stays the same unless code or pin is given."""
    # Refuse a bad code or PIN, or a broken demo file, before the engagement in use is archived, not after.
    code = engagements.checked_code(code) if code else None
    pin = engagements.checked_pin(pin) if pin else None
    demo = content.load(DEMO_FILE, DemoFile)
    setup = demo.engagement
    start = today or date.today()
    engagement = engagements.start_new(store, setup.name, today=start)
    if code:
        engagements.set_workshop_code(store, engagement.id, code)
    if pin:
        engagements.set_pin(store, engagement.id, pin)
    engagement = engagements.update(
        store, engagement.id, name=setup.name, client=setup.client, facilitator=setup.facilitator,
        cycle_kind=setup.cycle_kind, cycle_start=start, cycle_end=None,
        params=DeploymentParameters(
            max_objectives=setup.max_objectives, min_key_results=setup.min_key_results,
            max_key_results=setup.max_key_results, milestones_allowed=setup.milestones_allowed))
    team_by_slug = {spec.slug: teams.add(store, engagement.id, spec.name, kind=spec.kind, slug=spec.slug)
                    for spec in demo.teams}
    objective_ids: dict[str, int] = {}
    pending_answers = []
    for spec in demo.teams:
        team = team_by_slug[spec.slug]
        if spec.purpose:
            team = teams.save_purpose(store, team, spec.purpose, team.purpose_version, AUTHOR)
        for objective_spec in spec.objectives:
            objective = drafts.add_objective(store, team, ObjectiveFields(
                text=objective_spec.text, why_now=objective_spec.why_now, status=objective_spec.status,
                contributes_to=tuple(objective_ids[ref] for ref in objective_spec.contributes_to)),
                AS_WRITTEN, AUTHOR)
            objective_ids[objective_spec.ref] = objective.id
            for kr_spec in objective_spec.key_results:
                kr = drafts.add_key_result(store, team, objective.id, KeyResultFields(
                    text=kr_spec.text, kr_type=kr_spec.kr_type, baseline=kr_spec.baseline, target=kr_spec.target,
                    unit=kr_spec.unit,
                    due=start + timedelta(days=kr_spec.due_in_days) if kr_spec.due_in_days is not None else None,
                    champion=kr_spec.champion, contributors=kr_spec.contributors,
                    depends_on=tuple(team_by_slug[d.team].id for d in kr_spec.depends_on)),
                    AS_WRITTEN, engagement.cycle_end, AUTHOR)
                pending_answers += [(kr.id, team_by_slug[d.team].id, d) for d in kr_spec.depends_on
                                    if d.status != "requested"]
    with store.write() as db:
        for kr_id, team_id, answer in pending_answers:
            db.execute(
                "UPDATE dependencies SET status = ?, comment = ?, answered_at = ?, answered_by = ? "
                "WHERE key_result_id = ? AND to_team_id = ?",
                [answer.status, text.clean(answer.comment, "Comment"), time.time(), AUTHOR, kr_id, team_id])
        for item in demo.parking_lot:
            db["parking_lot"].insert({"engagement_id": engagement.id, "text": item.text,
                                      "raised_by": item.raised_by, "created_at": time.time()})
    shipped, _ = agendas.load_agendas()
    workshop = next((a for a in shipped if a.kind == DEMO_AGENDA_KIND), None)
    if workshop:  # ready to Start on the console, as a coach would find it on the morning
        runs.start_run(store, engagement.id, workshop)
    return engagement
