"""The hostile corpus without a browser: stored in every field or refused with a message, every export
still valid, a JSON backup round trip, and the CSV export read back by `python -m okrcoach review`.
"""

import csv
import io
import json
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest
from docx import Document

from okrcoach import text
from okrcoach.cli.commands import main as cli
from okrcoach.drafting import drafts
from okrcoach.errors import InputError
from okrcoach.exports import backup, csv_export, handout, pack
from okrcoach.exports import reading as review_export
from okrcoach.storage.store import Store
from okrcoach.workshop import engagements, teams
from tests.data.hostile import CORPUS, HOSTILE_TEXTS, LIMIT, stored
from tests.data.hostile_store import corpus_store, texts_of


def assert_exports_valid(store: Store) -> None:
    engagement = engagements.current(store)
    Document(io.BytesIO(pack.build_pack(store, engagement)))
    for slug in (None, *[t.slug for t in teams.list_teams(store, engagement.id)]):
        Document(io.BytesIO(handout.build_handout(store, engagement, slug)))
    table = pd.read_csv(io.BytesIO(csv_export.build_csv(store, engagement)), dtype=str, keep_default_na=False)
    assert table.to_dict("records") == csv_export.rows(store, engagement)
    backup.read_backup(backup.backup_bytes(store, engagement))


def test_corpus_is_stored_or_refused_with_a_message_and_every_export_stays_valid(tmp_path):
    store, refused = corpus_store(tmp_path / "corpus.db")
    assert set(refused) == {"purpose 10001-chars", "objective 10001-chars", "objective whitespace-only",
                            "parked whitespace-only", "candidate whitespace-only", "sorted whitespace-only"}
    assert "is 10,001 characters long; the limit is 10,000" in refused["objective 10001-chars"]
    assert "is empty" in refused["objective whitespace-only"]
    engagement = engagements.current(store)
    kept = [o.fields.text for o in drafts.load(store, teams.by_slug(store, engagement.id, "stores").id).objectives]
    assert kept == [stored(t) for n, t in HOSTILE_TEXTS if n not in ("10001-chars", "whitespace-only")]
    assert_exports_valid(store)


def test_json_backup_of_the_corpus_round_trips(tmp_path):
    source, _ = corpus_store(tmp_path / "corpus.db")
    data = backup.backup_bytes(source, engagements.current(source))
    target = Store(tmp_path / "restored.db")
    restored = backup.restore(target, backup.read_backup(data, "corpus.json"), "corpus.json")
    again = backup.build_backup(target, restored)
    assert texts_of(again) == texts_of(json.loads(data))
    assert_exports_valid(target)


def test_hand_edited_backup_with_raw_corpus_is_stored_or_refused_with_a_message(tmp_path):
    source, _ = corpus_store(tmp_path / "corpus.db")
    content = backup.build_backup(source, engagements.current(source))
    for number, row in enumerate(content["objectives"]):  # raw texts: control characters, 10,001 characters
        row["text"] = HOSTILE_TEXTS[number % len(HOSTILE_TEXTS)][1]
        row["why_now"] = HOSTILE_TEXTS[(number + 3) % len(HOSTILE_TEXTS)][1]
    content["parking_lot"][0]["text"] = CORPUS["terminal-escapes"]
    target = Store(tmp_path / "raw.db")
    engagements.ensure_current(target)
    name = "raw.json"
    try:
        backup.restore(target, backup.read_backup(json.dumps(content).encode(), name), name)
    except InputError as error:
        assert str(error).startswith((f"{name}:", f"{name}, ")), error  # the file, then the row at fault
    else:
        assert_exports_valid(target)

    content["objectives"][0]["text"] = "lone \ud800 surrogate"  # valid JSON, not storable text
    before = engagements.current(target)
    with pytest.raises(InputError, match="Nothing was changed"):
        backup.restore(target, backup.read_backup(json.dumps(content).encode(), name), name)
    assert engagements.current(target) == before


class Reviewed(NamedTuple):
    """What `python -m okrcoach review` gave: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def _review(capsys, path: Path, *extra: str) -> Reviewed:
    """The review command, run in this process (as `python -m okrcoach review` runs it)."""
    capsys.readouterr()
    status = cli(["review", str(path), *extra])
    return Reviewed(status, *capsys.readouterr())


def test_review_reads_back_the_csv_export_of_the_corpus(tmp_path, capsys):
    store, _ = corpus_store(tmp_path / "corpus.db")
    path = tmp_path / "export.csv"
    path.write_bytes(csv_export.build_csv(store, engagements.current(store)))
    result = _review(capsys, path, "--format", "json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    engagement = engagements.current(store)
    objectives = {o.fields.text for d in drafts.load_all(store, engagement.id) for o in d.objectives}
    key_results = {k.fields.text for d in drafts.load_all(store, engagement.id) for o in d.objectives
                   for k in o.key_results}
    assert {i["objective"] for i in items if i["objective"] is not None} == objectives
    assert {i["key_result"] for i in items if i["key_result"] is not None} == key_results


def _one_row_csv(path: Path, **values: str) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_export.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({**dict.fromkeys(csv_export.COLUMNS, ""), "team": "Stores team", "objective": "Grow",
                     "key_result": "Raise repeat purchases from 22% to 30%", **values})
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("column", ["objective", "why_now", "key_result", "champion", "unit"])
def test_review_of_a_csv_with_the_corpus_reads_each_row_or_names_line_and_field(tmp_path, column):
    for name, payload in HOSTILE_TEXTS:
        path = _one_row_csv(tmp_path / f"{column}.csv", **{column: payload})
        want = stored(payload)  # what the app would have kept, or refused as it would
        try:
            rows = review_export.read_export(path)
        except InputError as error:
            assert f"{path.name}, line 2, field '{column}'" in str(error), (name, error)
            assert len(want) > LIMIT or not want and column == "objective", (name, error)
        else:
            assert len(rows) == 1 and rows[0][column] == want, name


def test_review_command_refuses_a_csv_naming_line_and_field(tmp_path, capsys):
    result = _review(capsys, _one_row_csv(tmp_path / "empty.csv", objective="  "))
    assert result.returncode == 2 and "empty.csv, line 2, field 'objective'" in result.stderr


def test_c1_control_characters_are_removed_from_typed_text() -> None:
    assert text.clean(CORPUS["c1-controls"], "Text") == "C1 controls here31m end"


def test_one_line_fields_never_keep_a_line_break() -> None:
    assert "\n" not in text.one_line("Stores\rteam", "Team name")


def test_review_reads_back_text_with_unicode_line_breaks(tmp_path):
    store, _ = corpus_store(tmp_path / "corpus.db", skip=tuple(n for n, _ in HOSTILE_TEXTS
                                                               if n not in ("line-separators", "c1-controls")))
    path = tmp_path / "export.csv"
    path.write_bytes(csv_export.build_csv(store, engagements.current(store)))
    rows = review_export.read_export(path)
    assert {r["objective"] for r in rows} == {stored(CORPUS["line-separators"]), stored(CORPUS["c1-controls"])}


def test_review_prints_no_control_characters(tmp_path, capsys):
    path = _one_row_csv(tmp_path / "escapes.csv", objective=CORPUS["terminal-escapes"],
                        champion=CORPUS["nul-and-controls"])
    result = _review(capsys, path)
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\x00\x07\x08\x1b\x7f")


def test_review_names_the_line_a_row_starts_on(tmp_path):
    path = _one_row_csv(tmp_path / "multiline.csv", why_now="First line\nsecond line", objective="  ")
    with pytest.raises(InputError, match=r"multiline\.csv, line 2, field 'objective'"):
        review_export.read_export(path)


def test_review_refuses_text_over_the_apps_limit_naming_line_and_field(tmp_path):
    path = _one_row_csv(tmp_path / "long.csv", objective=CORPUS["10001-chars"])
    with pytest.raises(InputError, match=r"long\.csv, line 2, field 'objective'"):
        review_export.read_export(path)
