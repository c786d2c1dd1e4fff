"""The CSV for the client's OKR tool re-reads with pandas to the same values."""

import io

import pandas as pd

from okrcoach.drafting import demo, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.exports import csv_export
from okrcoach.storage.store import Store
from okrcoach.workshop import teams

HOSTILE = "=SUM(A1) \u202eevil\u202c 🙂 عربى <b>x</b> **y**, \"quoted\"\nsecond line"


def test_csv_has_the_fixed_header_and_one_row_per_key_result(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    data = csv_export.build_csv(store, engagement)
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    assert tuple(frame.columns) == csv_export.COLUMNS
    assert len(frame) == 39
    assert frame.to_dict("records") == csv_export.rows(store, engagement)
    stores = frame[frame.team == "Stores team"]
    assert "Supply and warehouse team" in set(stores.depends_on)


def test_lists_are_joined_and_hostile_text_round_trips(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    team = teams.add(store, engagement.id, "Finance")
    tops = drafts.top_objectives(store, engagement.id)
    objective = drafts.add_objective(store, team, ObjectiveFields(HOSTILE, HOSTILE, "drafting",
                                                                  (tops[0].id, tops[1].id)), engagement.params, "t")
    drafts.add_key_result(store, team, objective.id, KeyResultFields(HOSTILE, "metric", 1.5, 3, "%"),
                          engagement.params, engagement.cycle_end, "t")
    frame = pd.read_csv(io.BytesIO(csv_export.build_csv(store, engagement)), dtype=str, keep_default_na=False)
    row = frame[frame.team == "Finance"].iloc[0]
    assert row.objective == HOSTILE and row.key_result == HOSTILE
    assert row.contributes_to == f"{tops[0].fields.text}; {tops[1].fields.text}"
    assert (row.baseline, row.target, row.unit, row.due) == ("1.5", "3", "%", engagement.cycle_end.isoformat())


def test_objective_without_key_results_still_gets_a_row(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    engagement = demo.load_demo(store)
    team = teams.add(store, engagement.id, "Legal")
    drafts.add_objective(store, team, ObjectiveFields("Make contracts boring"), engagement.params, "t")
    legal = [r for r in csv_export.rows(store, engagement) if r["team"] == "Legal"]
    assert len(legal) == 1 and legal[0]["key_result"] == ""
