"""Reading a CSV export or a JSON backup for the `review` command, and reviewing its rows."""

import csv
import io
import math
import re
import tempfile
from datetime import date
from pathlib import Path

from okrcoach.content.rules import Question, RuleBook, default_rules
from okrcoach.content.vocabulary import KR_TYPES, TEAM_KINDS
from okrcoach.drafting.drafts import KeyResultFields, ObjectiveFields
from okrcoach.errors import InputError
from okrcoach.exports import backup, csv_export
from okrcoach.exports.csv_export import REVIEW_COLUMNS, as_typed
from okrcoach.review.checks import for_dependencies, for_key_result, for_objective, for_team, for_top_objective
from okrcoach.storage.store import Store
from okrcoach.text import clean
from okrcoach.workshop.engagements import DeploymentParameters

_STATUS_SUFFIX = re.compile(r"^(.*?)\s*\((requested|accepted|declined)\)\s*$", re.IGNORECASE)


def _parsed_number(value, where: str) -> float | None:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if value is None else float(value)
    written = _text(value, where)
    if not written:
        return None
    digits = written.replace(",", "") if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", written) else written
    try:
        number = float(digits)
    except ValueError:
        raise InputError(f"{where}: '{written}' is not a number (write e.g. 22 or 1.8, no units).") from None
    if math.isnan(number) or abs(number) > 1e15:
        raise InputError(f"{where}: '{written}' is not an ordinary number.")
    return number


def _due(value, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = _text(value, where)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: '{text}' is not a date; write it as YYYY-MM-DD.") from None


def _text(value, where: str) -> str:
    """The value as the app would store it: control characters out, within the app's length limit."""
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise InputError(f"{where}: expected text.")
    return clean(str(value), f"{where}:")


def _list(value, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if isinstance(value, (list, tuple)):
        return [part for part in (_text(v, where) for v in value) if part]
    raise InputError(f"{where}: expected a list joined with '; '.")


def _row(raw: dict, where) -> dict:
    """One row in the export format with typed values; where(field) names the place for messages."""
    row = {name: _text(raw.get(name), where(name)) for name in
           ("team", "team_level", "objective", "why_now", "key_result", "unit", "champion")}
    for name in ("team", "objective"):
        if not row[name]:
            raise InputError(f"{where(name)}: is empty.")
    if row["team_level"] and row["team_level"] not in TEAM_KINDS:
        raise InputError(f"{where('team_level')}: '{row['team_level']}' is not one of {', '.join(TEAM_KINDS)}.")
    written = _text(raw.get("kr_type"), where("kr_type"))
    kr_type = written.lower() or "metric"
    if kr_type not in KR_TYPES:
        raise InputError(f"{where('kr_type')}: '{written}' is not one of {', '.join(KR_TYPES)}.")
    row["kr_type"] = kr_type
    row["baseline"] = _parsed_number(raw.get("baseline"), where("baseline"))
    row["target"] = _parsed_number(raw.get("target"), where("target"))
    row["due"] = _due(raw.get("due"), where("due"))
    row["cycle"] = (_due(raw.get("cycle_start"), where("cycle_start")), _due(raw.get("cycle_end"), where("cycle_end")))
    row["contributes_to"] = _list(raw.get("contributes_to"), where("contributes_to"))
    row["depends_on"] = _list(raw.get("depends_on"), where("depends_on"))
    return row


def _read_csv(path: Path, content: str) -> list[dict]:
    # newline="" as the csv module asks: only \r and \n end a record, so a value holding U+2028, a form
    # feed or a quoted line break stays one value (str.splitlines would cut the row there).
    reader = csv.reader(io.StringIO(content, newline=""))
    header = [name.strip() for name in next((values for values in reader if values), [])]
    if not header:
        raise InputError(f"{path.name}: the file is empty; the first line must name the columns "
                         f"({','.join(REVIEW_COLUMNS)}).")
    missing = [name for name in REVIEW_COLUMNS if name not in header]
    if missing:
        raise InputError(f"{path.name}, line {reader.line_num}: missing column(s) {', '.join(missing)}; "
                         f"the header must name {','.join(REVIEW_COLUMNS)}.")
    rows, start = [], reader.line_num + 1
    for values in reader:
        # reader.line_num is the line a record ends on; a quoted value with line breaks spans several.
        line, start = start, reader.line_num + 1
        if len(values) > len(header):
            raise InputError(f"{path.name}, line {line}: more values than columns; quote values that "
                             f"contain commas.")
        if not any(value.strip() for value in values):
            continue
        # The export puts a quote before text a spreadsheet would run as a formula; the review reads the text.
        rows.append(_row({name: as_typed(value) for name, value in zip(header, values)},
                         lambda name, line=line: f"{path.name}, line {line}, field '{name}'"))
    return rows


def _read_backup(path: Path, content: str) -> tuple[list[dict], DeploymentParameters]:
    """Restore the backup into a scratch store and read it as the CSV export would, answers included."""
    checked = backup.read_backup(content.encode("utf-8"), path.name)
    with tempfile.TemporaryDirectory(prefix="okrcoach-review-") as folder:
        scratch = Store(Path(folder) / "review.db")
        engagement = backup.restore(scratch, checked, path.name)
        rows = csv_export.rows(scratch, engagement, with_answers=True)
    where = lambda n: lambda name: f"{path.name}, row {n}, field '{name}'"  # noqa: E731
    return [_row(row, where(n)) for n, row in enumerate(rows, start=1)], engagement.params


def read_export_with_params(path) -> tuple[list[dict], DeploymentParameters | None]:
    """Rows from a CSV export or a JSON backup, and the deployment parameters if the backup carries them."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:  # line ends as written, for the csv module
            content = file.read()
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text; save it as CSV UTF-8 and try again.") from None
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror or error}).") from None
    if path.suffix.lower() == ".json" or content.lstrip().startswith("{"):
        return _read_backup(path, content)
    return _read_csv(path, content), None


def read_export(path) -> list[dict]:
    """Rows (one per key result, or per objective without key results) from a CSV export or JSON backup."""
    return read_export_with_params(path)[0]


def _dependency_answer(entry: str) -> tuple[str, str]:
    match = _STATUS_SUFFIX.match(entry)
    # An export that does not say how the other team answered is treated as not answered yet.
    return (match.group(1).strip(), match.group(2).lower()) if match else (entry, "requested")


def review_rows(rows: list[dict], params: DeploymentParameters, *, rules: RuleBook | None = None) -> list[dict]:
    """Review export rows: one item per team, per objective and per key result row, with its questions."""
    book = rules or default_rules()
    rows = [_row(raw, lambda name, n=n: f"row {n}, field '{name}'") for n, raw in enumerate(rows, start=1)]
    teams: dict[str, dict] = {}
    for row in rows:
        team = teams.setdefault(row["team"], {"kind": "", "objectives": {}})
        team["kind"] = team["kind"] or row["team_level"]
        objective = team["objectives"].setdefault(
            row["objective"], {"why_now": "", "contributes_to": [], "key_results": []})
        objective["why_now"] = objective["why_now"] or row["why_now"]
        objective["contributes_to"] += [c for c in row["contributes_to"] if c not in objective["contributes_to"]]
        if row["key_result"]:
            objective["key_results"].append(row)
    # An older CSV has no team level: a team whose objectives others contribute to is a top-level team.
    supported = {text for team in teams.values() for o in team["objectives"].values() for text in o["contributes_to"]}
    for team in teams.values():
        if not team["kind"]:
            team["kind"] = "top" if supported & set(team["objectives"]) else "team"
    has_team_objectives = any(t["kind"] != "top" and t["objectives"] for t in teams.values())
    # An export that carries the cycle's dates lets the review question a due date outside it.
    cycle = next((row["cycle"] for row in rows if all(row["cycle"])), None)
    items = []

    def item(team: str, objective: str | None, key_result: str | None, questions: list[Question]) -> None:
        items.append({"team": team, "objective": objective, "key_result": key_result,
                      "questions": [{"rule": q.rule, "question": q.question} for q in questions]})

    for team_name, team in teams.items():
        item(team_name, None, None, for_team(len(team["objectives"]), params, rules=book))
        for text, objective in team["objectives"].items():
            krs = [KeyResultFields(text=r["key_result"], kr_type=r["kr_type"], baseline=r["baseline"],
                                   target=r["target"], unit=r["unit"], due=r["due"], champion=r["champion"])
                   for r in objective["key_results"]]
            fields = ObjectiveFields(text=text, why_now=objective["why_now"],
                                     contributes_to=tuple(range(1, len(objective["contributes_to"]) + 1)))
            found = for_objective(fields, krs, params, team["kind"], rules=book)
            if team["kind"] == "top" and has_team_objectives:
                found += for_top_objective(int(text in supported), params, rules=book)
            item(team_name, text, None, found)
            for row, kr in zip(objective["key_results"], krs, strict=True):
                answers = [_dependency_answer(entry) for entry in row["depends_on"]]
                item(team_name, text, row["key_result"],
                     for_key_result(kr, krs, params, rules=book, cycle=cycle) + for_dependencies(answers, params, rules=book))
    return items
