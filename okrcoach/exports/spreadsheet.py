"""The .xlsx workbook for the client's OKR tool: the CSV's rows, one sheet per level, text never a formula."""

import io
import re
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from okrcoach.exports.csv_export import COLUMNS, FORMULA_STARTS, rows
from okrcoach.storage.store import Store
from okrcoach.workshop.engagements import LEVELS, Engagement

SHEET_TITLES = {"top": "Top-level OKRs", "team": "Team OKRs"}
WHOLE_NUMBERS = frozenset({"objective_id", "key_result_id"})
DECIMALS = frozenset({"baseline", "target"})
DATES = frozenset({"due", "cycle_start", "cycle_end"})
WRAPPED = frozenset({"objective", "why_now", "contributes_to", "key_result", "depends_on"})
MIN_WIDTH, MAX_WIDTH = 8, 60
# A workbook is XML: XML 1.0 cannot hold these (lone surrogates, U+FFFE, U+FFFF, controls but tab and line ends).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _typed(column: str, value: str):
    """The cell's value: ids and numbers as numbers (every digit kept), dates as dates, the rest as text."""
    if not value:
        return None
    if column in WHOLE_NUMBERS:
        return int(value)
    if column in DECIMALS:
        return float(value)  # the stored number itself: the CSV's digits read back to it
    if column in DATES:
        return date.fromisoformat(value)
    return XML_FORBIDDEN.sub("", value)


def _width(column: str, values: list[str]) -> float:
    longest = max((len(line) for value in values for line in value.split("\n")), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, max(len(column), longest))) + 2


def build_xlsx(store: Store, engagement: Engagement, team_slug: str | None = None) -> bytes:
    """The workbook's bytes: a sheet per level (top-level, team) with a frozen header row."""
    all_rows = rows(store, engagement, team_slug)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for level in LEVELS:
        level_rows = [row for row in all_rows if row["team_level"] == level]
        if not level_rows and (level not in engagement.params.levels or team_slug is not None):
            continue
        sheet = workbook.create_sheet(SHEET_TITLES[level])
        sheet.append(COLUMNS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for number, row in enumerate(level_rows, start=2):
            for index, column in enumerate(COLUMNS, start=1):
                value = _typed(column, row[column])
                cell = sheet.cell(number, index, value)
                if isinstance(value, str):
                    # openpyxl reads a leading '=' as a formula and '#N/A' as an error: people's text is
                    # neither. The quote prefix keeps it text when someone edits the cell in Excel.
                    cell.data_type = "s"
                    cell.quotePrefix = value.startswith(FORMULA_STARTS)
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                if column in WRAPPED:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, column in enumerate(COLUMNS, start=1):
            letter = sheet.cell(1, index).column_letter
            sheet.column_dimensions[letter].width = _width(column, [row[column] for row in level_rows])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
