"""The demo engagement: a fictional client whose drafts are partly good and partly flawed."""

import time
import tomllib
from datetime import date, timedelta
from pathlib import Path

from okrcoach import agendas, drafts, engagements, runs, teams, text
from okrcoach.drafts import KeyResultFields, ObjectiveFields
from okrcoach.engagements import DeploymentParameters, Engagement
from okrcoach.store import Store

DEMO_FILE = Path(__file__).with_name("demo_engagement.toml")
AUTHOR = "demo"
DEMO_AGENDA_KIND = "team-drafting"
# Imported drafts keep what was written, over-limit ones included: the review questions them.
AS_WRITTEN = DeploymentParameters(max_objectives=99, max_key_results=99)


def load_demo(store: Store, code: str | None = None, pin: str | None = None,
              today: date | None = None) -> Engagement:
    """Archive the engagement in use and load the demo; access stays the same unless code or pin is given."""
    # Refuse a bad code or PIN before the engagement in use is archived, not after.
    code = engagements.checked_code(code) if code else None
    pin = engagements.checked_pin(pin) if pin else None
    content = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    setup = content["engagement"]
    start = today or date.today()
    engagement = engagements.start_new(store, setup["name"], today=start)
    if code:
        engagements.set_workshop_code(store, engagement.id, code)
    if pin:
        engagements.set_pin(store, engagement.id, pin)
    engagement = engagements.update(
        store, engagement.id, name=setup["name"], client=setup["client"], facilitator=setup["facilitator"],
        cycle_kind=setup["cycle_kind"], cycle_start=start, cycle_end=None,
        params=DeploymentParameters(
            max_objectives=setup["max_objectives"], min_key_results=setup["min_key_results"],
            max_key_results=setup["max_key_results"], milestones_allowed=setup["milestones_allowed"]))
    team_by_slug = {
        spec["slug"]: teams.add(store, engagement.id, spec["name"], kind=spec["kind"], slug=spec["slug"])
        for spec in content["teams"]
    }
    objective_ids: dict[str, int] = {}
    pending_answers = []
    for spec in content["teams"]:
        team = team_by_slug[spec["slug"]]
        if spec.get("purpose"):
            team = teams.save_purpose(store, team, spec["purpose"], team.purpose_version, AUTHOR)
        for objective_spec in spec.get("objectives", []):
            objective = drafts.add_objective(store, team, ObjectiveFields(
                text=objective_spec["text"], why_now=objective_spec.get("why_now", ""),
                status=objective_spec.get("status", "drafting"),
                contributes_to=tuple(objective_ids[ref] for ref in objective_spec.get("contributes_to", []))),
                AS_WRITTEN, AUTHOR)
            objective_ids[objective_spec["ref"]] = objective.id
            for kr_spec in objective_spec.get("key_results", []):
                depends = kr_spec.get("depends_on", [])
                kr = drafts.add_key_result(store, team, objective.id, KeyResultFields(
                    text=kr_spec["text"], kr_type=kr_spec["kr_type"], baseline=kr_spec.get("baseline"),
                    target=kr_spec.get("target"), unit=kr_spec.get("unit", ""),
                    due=start + timedelta(days=kr_spec["due_in_days"]) if "due_in_days" in kr_spec else None,
                    champion=kr_spec.get("champion", ""), contributors=kr_spec.get("contributors", ""),
                    depends_on=tuple(team_by_slug[d["team"]].id for d in depends)),
                    AS_WRITTEN, engagement.cycle_end, AUTHOR)
                pending_answers += [(kr.id, team_by_slug[d["team"]].id, d) for d in depends
                                    if d.get("status", "requested") != "requested"]
    with store.write() as db:
        for kr_id, team_id, answer in pending_answers:
            db.execute(
                "UPDATE dependencies SET status = ?, comment = ?, answered_at = ?, answered_by = ? "
                "WHERE key_result_id = ? AND to_team_id = ?",
                [answer["status"], text.clean(answer.get("comment", ""), "Comment"), time.time(), AUTHOR,
                 kr_id, team_id])
        for item in content.get("parking_lot", []):
            db["parking_lot"].insert({"engagement_id": engagement.id, "text": item["text"],
                                      "raised_by": item.get("raised_by", ""), "created_at": time.time()})
    shipped, _ = agendas.load_agendas()
    workshop = next((a for a in shipped if a.kind == DEMO_AGENDA_KIND), None)
    if workshop:  # ready to Start on the console, as a coach would find it on the morning
        runs.start_run(store, engagement.id, workshop)
    return engagement
