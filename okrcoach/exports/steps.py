"""The pack's next steps: dated from the workshop day and the cycle, naming who acts; the facilitator may edit them."""

from datetime import date, timedelta

from okrcoach.drafting.dependencies import Request
from okrcoach.drafting.drafts import Draft
from okrcoach.exports.prose import Prose, load_prose
from okrcoach.review import alignment
from okrcoach.storage import revisions
from okrcoach.storage.store import Store
from okrcoach.workshop import runs
from okrcoach.workshop.engagements import Engagement, NextStep

NAMES_SHOWN = 6
REFINE_DAYS = 7        # a week to refine drafts and answer requests
REVIEW_DAYS = 14       # leadership reads the drafts two weeks after the workshop, before the cycle starts
PUBLISH_DAYS = 3       # when the cycle has already begun
FIRST_CHECK_IN_DAYS = 14


def workshop_day(store: Store, engagement: Engagement, prose: Prose, now: float, agenda: list[dict]) -> date:
    """The day the workshop ran: its agenda's first start, else the first draft saved, else today."""
    started = [item["started"] for item in agenda if item["started"]]
    moment = min(started) if started else revisions.first_saved(store, engagement.id)
    return prose.formats.day_of(now if moment is None else moment)


def _names(prose: Prose, names: list[str]) -> str:
    names = [name for name in dict.fromkeys(names) if name]
    if len(names) <= NAMES_SHOWN:
        return ", ".join(names)
    return prose("pack.summary.more_teams", teams=", ".join(names[:NAMES_SHOWN]), count=len(names) - NAMES_SHOWN)


def derived(engagement: Engagement, day: date, prose: Prose, all_drafts: list[Draft], requests: list[Request],
            parked: list[runs.ParkedItem]) -> list[NextStep]:
    """Next steps for this engagement, dated from the workshop day and the cycle, naming the teams that act."""
    p, when = prose, prose.formats.long_date
    start, end = engagement.cycle_start, engagement.cycle_end
    refine_by = day + timedelta(days=REFINE_DAYS)
    before_start = start - timedelta(days=1)
    review_on = min(day + timedelta(days=REVIEW_DAYS), before_start) if before_start > refine_by \
        else refine_by + timedelta(days=REFINE_DAYS)
    publish_by = start if start > review_on else review_on + timedelta(days=PUBLISH_DAYS)
    first_check_in = publish_by + timedelta(days=FIRST_CHECK_IN_DAYS)
    tops = [d for d in all_drafts if d.team.kind == "top"]
    leadership = _names(p, [d.team.name for d in tops]) or p("pack.next_steps.leadership")
    every_team = p("pack.next_steps.every_team")
    steps = [NextStep(p("pack.next_steps.refine"), every_team, when(refine_by))]
    waiting = [r for r in requests if r.status not in ("accepted", "declined") and not r.to_team_removed]
    declined = [r for r in requests if r.status == "declined"]
    if waiting or declined:
        steps.append(NextStep(p("pack.next_steps.answer"),
                              _names(p, [r.to_team for r in waiting] + [r.from_team for r in declined]),
                              when(refine_by)))
    baseline = [(d.team.name, kr.fields.champion) for d in all_drafts for o in d.objectives for kr in o.key_results
                if kr.fields.kr_type == "baseline"]
    if baseline:
        steps.append(NextStep(p("pack.next_steps.baseline"),
                              _names(p, [champion or team for team, champion in baseline]), when(review_on)))
    still_open = [item for item in parked if not item.done]
    if still_open:
        steps.append(NextStep(p("pack.next_steps.parking_lot"),
                              _names(p, [item.raised_by for item in still_open]) or p("pack.next_steps.facilitator"),
                              when(review_on)))
    if tops:
        steps.append(NextStep(p("pack.next_steps.review"), leadership, when(review_on)))
    steps += [
        NextStep(p("pack.next_steps.publish"), p("pack.next_steps.facilitator") if engagement.facilitator
                 else p("pack.next_steps.leadership"), when(publish_by)),
        NextStep(p("pack.next_steps.checkin"), every_team, when(first_check_in)),
        NextStep(p("pack.next_steps.reflect"), every_team, when(end)),
    ]
    return steps


def for_pack(engagement: Engagement, day: date, prose: Prose, all_drafts: list[Draft], requests: list[Request],
             parked: list[runs.ParkedItem]) -> list[NextStep]:
    """The facilitator's edited next steps if there are any, else the derived ones."""
    return list(engagement.next_steps) or derived(engagement, day, prose, all_drafts, requests, parked)


def suggested(store: Store, engagement: Engagement, now: float) -> list[NextStep]:
    """The derived next steps for the engagement as it is now, for the facilitator to start editing from."""
    prose = load_prose(engagement)
    data = alignment.load(store, engagement)
    run = runs.current(store, engagement.id)
    day = workshop_day(store, engagement, prose, now, runs.as_run(store, run.id, now) if run else [])
    return derived(engagement, day, prose, data.drafts, data.requests, runs.parked(store, engagement.id))


def table_rows(steps: list[NextStep]) -> list[dict]:
    """The steps as the rows of the export page's table."""
    return [{"Step": step.what, "Who": step.who, "By": step.when} for step in steps]


def from_table(rows: list[dict]) -> list[NextStep]:
    """The steps an edited table describes; rows left empty are dropped (a table editor gives None or NaN)."""
    def cell(value: object) -> str:
        return value.strip() if isinstance(value, str) else ""

    return [NextStep(cell(row.get("Step")), cell(row.get("Who")), cell(row.get("By")))
            for row in rows if cell(row.get("Step"))]
