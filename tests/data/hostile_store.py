"""A store holding every hostile text the app accepts, in every field; and the texts a backup carries."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from okrcoach.drafting import comments, dependencies, drafts, executive, exercise
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, runs, teams
from okrcoach.workshop.engagements import DeploymentParameters
from tests.data.hostile import CORPUS, HOSTILE_TEXTS, fit

AS_WRITTEN = DeploymentParameters(max_objectives=99, max_key_results=99)


def corpus_store(path: Path, name: str = "Hostile corpus", skip: tuple[str, ...] = ()) -> tuple[Store, dict]:
    """A store holding every corpus text the app accepts in every field; returns it and the refusals."""
    store = Store(path)
    engagement, _ = engagements.ensure_current(store)
    engagement = engagements.update(
        store, engagement.id, name=name, client=fit(CORPUS["bidi-overrides"], 200),
        facilitator=fit(CORPUS["markdown"], 200), cycle_kind="quarter", cycle_start=date(2026, 1, 5),
        cycle_end=None, params=DeploymentParameters())
    teams.add(store, engagement.id, "Leadership team", kind="top")
    asking = teams.add(store, engagement.id, "Stores team", slug="stores")
    asked = teams.add(store, engagement.id, "Online store team", slug="online-store")
    refused = {}

    def attempt(what: str, action: Callable[[], object]) -> object:
        try:
            return action()
        except InputError as error:
            refused[what] = str(error)
            return None

    for label, payload in HOSTILE_TEXTS:
        if label in skip:
            continue
        asking = teams.by_slug(store, engagement.id, "stores")
        attempt(f"purpose {label}", lambda: teams.save_purpose(store, asking, payload, asking.purpose_version,
                                                                "corpus"))
        objective = attempt(f"objective {label}", lambda: drafts.add_objective(
            store, asking, ObjectiveFields(text=payload, why_now=payload), AS_WRITTEN, fit(payload, 60)))
        if objective:
            kr = attempt(f"key result {label}", lambda: drafts.add_key_result(
                store, asking, objective.id, KeyResultFields(
                    text=payload, unit=fit(payload, 40), champion=fit(payload, 120),
                    contributors=fit(payload, 500), baseline=1, target=2, depends_on=(asked.id,)),
                AS_WRITTEN, engagement.cycle_end, "corpus"))
            attempt(f"comment {label}", lambda: comments.add(store, asked, objective.id, None, fit(payload, 1000)))
            if kr:
                request = next(r for r in dependencies.asked_of(store, asked.id) if r.key_result_id == kr.id)
                attempt(f"answer {label}", lambda: dependencies.answer(
                    store, asked, request.id, "accepted", fit(payload, 500), "corpus"))
        attempt(f"parked {label}", lambda: runs.add_parked(store, engagement.id, fit(payload, 500), fit(payload, 100)))
        attempt(f"candidate {label}", lambda: executive.propose(
            store, engagement.id, fit(payload, 500), fit(payload, 300), fit(payload, 100)))
        attempt(f"sorted {label}", lambda: exercise.add(store, asking, fit(payload, 300), "candidate"))
    return store, refused


TEXT_COLUMNS = {"engagement": ("name", "client", "facilitator"), "teams": ("name", "purpose"),
                "objectives": ("text", "why_now", "updated_by"),
                "key_results": ("text", "unit", "champion", "contributors"),
                "dependencies": ("comment", "status"), "parking_lot": ("text", "raised_by"),
                "candidates": ("text", "why", "proposed_by"), "comments": ("text",), "sorted_metrics": ("text",),
                "revisions": ("body", "author", "outcome")}


def texts_of(content: dict) -> dict:
    """Every text a backup carries, table by table, in order (ids and times left out)."""
    result = {"engagement": [tuple(content["engagement"][c] for c in TEXT_COLUMNS["engagement"])]}
    for table, columns in TEXT_COLUMNS.items():
        if table != "engagement":
            result[table] = [tuple(row[c] for c in columns) for row in content[table]]
    return result
