"""Benchmark of the Word draft pack and of the coaching review. Run: python -m tests.perf.bench_pack

Builds synthetic engagements of 12 and 100 teams (3 objectives × 4 key results each, one dependency
per objective, every team objective contributing to a top-level one) and reports the seconds of the
first build_pack (nothing read or reviewed before) and the median over three runs each (at most 2 s at
100 teams); then reviews 100 teams × 3 objectives × 4 key results whose texts all differ (varied wordings
from the labelled set), with the review's text caches emptied before each run, and reports the median CPU
seconds of for_engagement.
"""

import statistics
import tempfile
import time
import tomllib
from datetime import date
from pathlib import Path

from okrcoach.drafting import drafts
from okrcoach.drafting.drafts import (
    Draft,
    KeyResult,
    KeyResultFields,
    Objective,
    ObjectiveFields,
)
from okrcoach.exports import pack
from okrcoach.review import checks, english
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams
from okrcoach.workshop.engagements import DeploymentParameters, Engagement
from okrcoach.workshop.teams import Team

RELAXED = DeploymentParameters(max_objectives=99, max_key_results=99)
OBJECTIVES_PER_TEAM = 3
KEY_RESULTS_PER_OBJECTIVE = 4
RUNS = 3


def synthetic_engagement(store: Store, team_count: int, objectives: int = OBJECTIVES_PER_TEAM,
                         key_results: int = KEY_RESULTS_PER_OBJECTIVE) -> Engagement:
    """An engagement with a top-level team and team_count breakout teams, each with a full draft."""
    engagement = engagements.ensure_current(store, today=date(2026, 1, 5))[0]
    engagement = engagements.update(
        store, engagement.id, name="Synthetic engagement", client="Example Client Ltd",
        facilitator="Sam Coach", cycle_kind="quarter", cycle_start=date(2026, 1, 5), cycle_end=None,
        params=DeploymentParameters())
    top = teams.add(store, engagement.id, "Leadership team", kind="top")
    top_ids = [drafts.add_objective(store, top, ObjectiveFields(
        f"Top-level objective {n}: become the obvious choice for customers in segment {n}",
        why_now="The market moved this year. Waiting another cycle would cost us our best customers."),
        RELAXED, "bench").id for n in range(1, 4)]
    breakout = [teams.add(store, engagement.id, f"Team {n:03d}") for n in range(1, team_count + 1)]
    for index, team in enumerate(breakout):
        helper = breakout[(index + 1) % len(breakout)]
        for o in range(1, objectives + 1):
            objective = drafts.add_objective(store, team, ObjectiveFields(
                f"Objective {o} of {team.name}: make our service something customers recommend",
                why_now="Customers told us what gets in their way. Two rivals fixed it first. "
                        "The busy season starts soon, so it matters right now.",
                contributes_to=(top_ids[(index + o) % len(top_ids)],)), RELAXED, "bench")
            for k in range(1, key_results + 1):
                drafts.add_key_result(store, team, objective.id, KeyResultFields(
                    f"Raise measure {k} of objective {o} from {10 * k}% to {10 * k + 15}% by the end of the cycle",
                    kr_type="metric", baseline=10.0 * k, target=10.0 * k + 15, unit="%",
                    champion=f"Champion {k} ({team.name})", contributors="Two colleagues",
                    depends_on=(helper.id,) if k == 1 and helper.id != team.id else ()),
                    RELAXED, engagement.cycle_end, "bench")
    return engagements.current(store)


def build_seconds(store: Store, engagement: Engagement, runs: int = RUNS) -> tuple[float, float]:
    """The wall-clock seconds of the first build_pack, and the median over a few runs."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        pack.build_pack(store, engagement)
        timings.append(time.perf_counter() - started)
    return timings[0], statistics.median(timings)


LABELLED = Path(__file__).resolve().parents[1] / "data" / "review_labelled.toml"


def review_drafts(team_count: int = 100) -> list[Draft]:
    """team_count teams of 3 objectives × 4 key results, every text different (labelled wordings, numbered)."""
    labelled = tomllib.loads(LABELLED.read_text(encoding="utf-8"))
    krs = [(e["text"], e["kr_type"] or "metric") for e in labelled["key_results"]]
    objectives = [e["text"] for e in labelled["objectives"]]
    found, next_id = [], iter(range(1, 10**6))
    for n in range(team_count):
        team = Team(n + 1, 1, f"Team {n:03d}", f"team-{n:03d}", "team", "", 1, n + 1)
        items = []
        for o in range(OBJECTIVES_PER_TEAM):
            objective_id = next(next_id)
            fields = [KeyResultFields(f"{text} (team {n} line {k})", kr_type, champion="Sam")
                      for k in range(KEY_RESULTS_PER_OBJECTIVE)
                      for text, kr_type in [krs[(n * 12 + o * 4 + k) % len(krs)]]]
            items.append(Objective(objective_id, team.id, ObjectiveFields(
                f"{objectives[(n * 3 + o) % len(objectives)]} for team {n}", "Why. Now. Really.", contributes_to=(1,)),
                1, 0.0, "bench", tuple(KeyResult(next(next_id), objective_id, f, 1, 0.0, "bench") for f in fields)))
        found.append(Draft(team, tuple(items)))
    return found


def median_review_seconds(team_count: int = 100, runs: int = RUNS) -> float:
    """The median CPU seconds of reviewing every draft, with the review's text caches emptied (CPU time:
    the review runs in one thread, and on a shared machine wall-clock time measures the neighbours)."""
    all_drafts, timings = review_drafts(team_count), []
    checks.for_engagement(review_drafts(1), RELAXED)  # the lemmatizer's tables load once per process
    for _ in range(runs):
        english.forget_texts()
        started = time.process_time()
        checks.for_engagement(all_drafts, RELAXED)
        timings.append(time.process_time() - started)
    return statistics.median(timings)


def pack_benchmark() -> dict[str, float]:
    """First and median build_pack seconds for a 12-team and a 100-team engagement."""
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for team_count in (12, 100):
            store = Store(Path(folder) / f"teams-{team_count}.db")
            engagement = synthetic_engagement(store, team_count)
            first, median = build_seconds(store, engagement)
            results[f"pack_{team_count}_teams_first_s"] = first
            results[f"pack_{team_count}_teams_s"] = median
    results["review_100_teams_s"] = median_review_seconds(100)
    return results


if __name__ == "__main__":
    for name, seconds in pack_benchmark().items():
        print(f"{name}: {seconds:.2f}")
