"""The CSV and the .xlsx for the client's OKR tool re-read to the same values: exact numbers, no formulas."""

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from okrcoach.drafting import demo, drafts
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.exports import csv_export, spreadsheet
from okrcoach.exports import reading as review_export
from okrcoach.storage.store import Store
from okrcoach.workshop import teams
from okrcoach.workshop.engagements import DeploymentParameters
from tests.data.hostile import FORMULA_TEXTS, HOSTILE_TEXTS, LIMIT, fit, stored

BOM = b"\xef\xbb\xbf"
HOSTILE = "=SUM(A1) \u202eevil\u202c 🙂 عربى <b>x</b> **y**, \"quoted\"\nsecond line"
AS_WRITTEN = DeploymentParameters(max_objectives=99, max_key_results=99)
TEXT_COLUMNS = [c for c in csv_export.COLUMNS if c not in csv_export.WRITTEN_BY_US]


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def demo_store(tmp_path):
    store = Store(tmp_path / "okrcoach.db")
    return store, demo.load_demo(store)


@pytest.fixture
def hostile_store(demo_store):
    """The demo plus a team whose every objective and key result holds one hostile or formula text."""
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "=Finance team")
    top = drafts.top_objectives(store, engagement.id)[0]
    texts = [(n, t) for n, t in HOSTILE_TEXTS + FORMULA_TEXTS if len(t) <= LIMIT and stored(t)]
    for number, (_, payload) in enumerate(texts):
        objective = drafts.add_objective(store, team, ObjectiveFields(payload, payload, "ready", (top.id,)),
                                         AS_WRITTEN, "t")
        drafts.add_key_result(store, team, objective.id, KeyResultFields(
            payload, "metric", 1234567 + number, round(0.1 + number / 1000, 6), fit(stored(payload, one_line=True), 40),
            champion=fit(payload, 120), contributors=fit(payload, 500)), AS_WRITTEN, engagement.cycle_end, "t")
    return store, engagement, texts


def test_csv_has_a_bom_the_fixed_header_and_one_row_per_key_result(demo_store):
    store, engagement = demo_store
    data = csv_export.build_csv(store, engagement)
    assert data.startswith(BOM + b"objective_id,key_result_id,team,team_level,")
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert tuple(frame.columns) == csv_export.COLUMNS
    assert len(frame) == 39
    assert frame.to_dict("records") == csv_export.rows(store, engagement)
    stores = frame[frame.team == "Stores team"]
    assert "Supply and warehouse team" in set(stores.depends_on)


def test_csv_carries_ids_status_contributors_level_and_the_cycle(demo_store):
    store, engagement = demo_store
    written = read_csv(csv_export.build_csv(store, engagement))
    by_id = {kr.id: (o, kr) for d in drafts.load_all(store, engagement.id) for o in d.objectives
             for kr in o.key_results}
    assert len(by_id) == len(written)
    for row in written:
        objective, kr = by_id[int(row["key_result_id"])]
        assert int(row["objective_id"]) == objective.id and row["status"] == objective.fields.status
        assert row["contributors"] == kr.fields.contributors
        assert (row["cycle_start"], row["cycle_end"]) == (engagement.cycle_start.isoformat(),
                                                          engagement.cycle_end.isoformat())
    assert {r["team_level"] for r in written if r["team"] == "Leadership team"} == {"top"}
    assert {r["team_level"] for r in written if r["team"] != "Leadership team"} == {"team"}
    assert {r["status"] for r in written} == {"ready", "drafting"}
    assert any(r["contributors"] for r in written)
    # The same export twice gives the same ids: a client's tool can update rather than duplicate.
    assert read_csv(csv_export.build_csv(store, engagement)) == written


@pytest.mark.parametrize("value, written", [
    (1_234_567, "1234567"), (0.1, "0.1"), (1e-7, "0.0000001"), (1e15, "1000000000000000"), (-5, "-5"),
    (123456.789012345, "123456.789012345"), (-0.0, "0"), (None, ""),
])
def test_numbers_are_written_with_every_digit(demo_store, value, written):
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "Finance")
    objective = drafts.add_objective(store, team, ObjectiveFields("Close the books faster"), engagement.params, "t")
    drafts.add_key_result(store, team, objective.id, KeyResultFields("Cut close days", "metric", value, value),
                          engagement.params, engagement.cycle_end, "t")
    row = next(r for r in read_csv(csv_export.build_csv(store, engagement)) if r["team"] == "Finance")
    assert (row["baseline"], row["target"]) == (written, written)
    sheet = load_workbook(io.BytesIO(spreadsheet.build_xlsx(store, engagement, team.slug)))["Team OKRs"]
    assert sheet["K2"].value == sheet["L2"].value == value and sheet["K1"].value == "baseline"


@pytest.mark.parametrize("typed, cell", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("'=1", "''=1"), ("''x", "'''x"), ("'plain", "'plain"), ("'", "'"),
    ("a=1", "a=1"), ("", ""),
])
def test_text_a_spreadsheet_would_run_gets_a_quote_and_reads_back_as_typed(typed, cell):
    assert csv_export.neutralised(typed) == cell
    assert csv_export.as_typed(cell) == typed


def test_hostile_text_round_trips_through_the_csv_neutralised_and_exact(hostile_store, tmp_path):
    store, engagement, texts = hostile_store
    data = csv_export.build_csv(store, engagement)
    written, expected = read_csv(data), csv_export.rows(store, engagement)
    assert len(written) == len(expected)
    for cells, row in zip(written, expected, strict=True):
        for column in TEXT_COLUMNS:
            assert not cells[column].startswith(csv_export.FORMULA_STARTS), (column, cells[column])
            assert csv_export.as_typed(cells[column]) == row[column]
        for column in csv_export.WRITTEN_BY_US:
            assert cells[column] == row[column]
    finance = [r for r in written if r["team"] == "'=Finance team"]
    assert [csv_export.as_typed(r["objective"]) for r in finance] == [stored(t) for _, t in texts]
    assert [r["baseline"] for r in finance] == [str(1234567 + n) for n in range(len(texts))]
    assert [float(r["target"]) for r in finance] == [round(0.1 + n / 1000, 6) for n in range(len(texts))]
    # The offline review reads the same file back to the texts as typed.
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    read = [r for r in review_export.read_export(path) if r["team"] == "=Finance team"]
    assert [r["objective"] for r in read] == [stored(t) for _, t in texts]
    assert [r["baseline"] for r in read] == [1234567 + n for n in range(len(texts))]


def test_hostile_text_round_trips_through_the_workbook_as_text_never_a_formula(hostile_store):
    store, engagement, texts = hostile_store
    workbook = load_workbook(io.BytesIO(spreadsheet.build_xlsx(store, engagement)))
    assert workbook.sheetnames == ["Top-level OKRs", "Team OKRs"]
    expected = csv_export.rows(store, engagement)
    read = []
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        header = [c.value for c in sheet[1]]
        assert tuple(header) == csv_export.COLUMNS
        for line in sheet.iter_rows(min_row=2):
            assert all(cell.data_type != "f" for cell in line)
            read.append({column: cell for column, cell in zip(header, line, strict=True)})
    assert len(read) == len(expected)
    for cells, row in zip(read, expected, strict=True):
        for column in TEXT_COLUMNS:
            assert (cells[column].value or "") == spreadsheet.XML_FORBIDDEN.sub("", row[column]), column
            if row[column]:
                assert cells[column].data_type == "s"
                assert cells[column].quotePrefix == row[column].startswith(csv_export.FORMULA_STARTS)
        assert str(cells["key_result_id"].value or "") == row["key_result_id"]
    finance = [r for r in read if r["team"].value == "=Finance team"]
    assert [r["objective"].value for r in finance] == [spreadsheet.XML_FORBIDDEN.sub("", stored(t)) for _, t in texts]
    assert "\ufdd0 end" in finance[[n for n, _ in texts].index("noncharacters")]["objective"].value
    assert [r["baseline"].value for r in finance] == [1234567 + n for n in range(len(texts))]
    assert [r["target"].value for r in finance] == [round(0.1 + n / 1000, 6) for n in range(len(texts))]
    assert finance[0]["due"].value.date() == engagement.cycle_end


def test_workbook_has_one_sheet_per_level_with_readable_column_widths(demo_store):
    store, engagement = demo_store
    workbook = load_workbook(io.BytesIO(spreadsheet.build_xlsx(store, engagement)))
    top, team = workbook["Top-level OKRs"], workbook["Team OKRs"]
    assert {c.value for c in top["C"][1:]} == {"Leadership team"}
    assert "Leadership team" not in {c.value for c in team["C"][1:]}
    assert top.max_row + team.max_row - 2 == len(csv_export.rows(store, engagement))
    widths = {c: team.column_dimensions[c].width for c in "ABCEI"}
    assert widths["E"] == widths["I"] == spreadsheet.MAX_WIDTH + 2  # long texts: capped and wrapped
    assert widths["A"] == len("objective_id") + 2
    assert team["E2"].alignment.wrap_text


def test_one_team_only(demo_store):
    store, engagement = demo_store
    written = read_csv(csv_export.build_csv(store, engagement, "stores"))
    assert written and {r["team"] for r in written} == {"Stores team"}
    workbook = load_workbook(io.BytesIO(spreadsheet.build_xlsx(store, engagement, "stores")))
    assert workbook.sheetnames == ["Team OKRs"]
    with pytest.raises(InputError, match="no team with the link name 'nobody' in this engagement; its teams are lead"):
        csv_export.build_csv(store, engagement, "nobody")


def test_objective_without_key_results_still_gets_a_row(demo_store):
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "Legal")
    drafts.add_objective(store, team, ObjectiveFields("Make contracts boring"), engagement.params, "t")
    legal = [r for r in csv_export.rows(store, engagement) if r["team"] == "Legal"]
    assert len(legal) == 1 and legal[0]["key_result"] == "" and legal[0]["key_result_id"] == ""


def test_lists_are_joined(demo_store):
    store, engagement = demo_store
    team = teams.add(store, engagement.id, "Finance")
    tops = drafts.top_objectives(store, engagement.id)
    drafts.add_objective(store, team, ObjectiveFields(HOSTILE, HOSTILE, "drafting", (tops[0].id, tops[1].id)),
                         engagement.params, "t")
    row = next(r for r in read_csv(csv_export.build_csv(store, engagement)) if r["team"] == "Finance")
    assert row["contributes_to"] == f"{tops[0].fields.text}; {tops[1].fields.text}"
    assert row["objective"] == "'" + HOSTILE
