"""The report as an Excel workbook: each table on its own named sheet, the header row frozen,
ratio columns as percentages with a red-to-blue colour scale, and a bar chart Excel draws
itself where a table has one category and one value.

Every text cell goes through exports.set_text_cell: a name that starts like a formula (=, +,
-, @, a tab, a carriage return) is a string cell with Excel's quote prefix, never a formula.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vawmap.exports import set_text_cell
from vawmap.i18n import t
from vawmap.messages import excel_date_format
from vawmap.report.content import COUNT, DATE, NUMBER, RATIO, TEXT, YES_NO, Report, Table, yes_no_word
from vawmap.xlsx import stable_xlsx

HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
RATIO_SCALE = ColorScaleRule(
    start_type="num", start_value=0, start_color="D73027",
    mid_type="num", mid_value=0.5, mid_color="FEE090",
    end_type="num", end_value=1, end_color="4575B4",
)  # fmt: skip
NUMBER_FORMATS = {RATIO: "0%", COUNT: "#,##0", NUMBER: "#,##0.0"}
WIDEST = 80  # characters: longer texts wrap
SHEET_NAME_LIMIT = 31  # Excel's


def report_xlsx(report: Report) -> bytes:
    """The report's tables as .xlsx bytes, one sheet each, the same bytes for the same report."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in report.tables():
        _sheet(workbook, table, report.language)
    made = dt.datetime.fromisoformat(report.made)
    return stable_xlsx(workbook, creator="vawmap", title=report.title, dated=made)


def _sheet(workbook: Workbook, table: Table, language: str) -> Worksheet:
    worksheet = workbook.create_sheet(_sheet_name(workbook, t(f"report.sheet.{table.key}", language)))
    for column, header in enumerate(table.frame.columns, start=1):
        cell = worksheet.cell(row=1, column=column)
        set_text_cell(cell, str(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(table.frame.itertuples(index=False), start=2):
        for column, (value, kind) in enumerate(zip(row, table.kinds), start=1):
            _write(worksheet.cell(row=row_number, column=column), value, kind, language)
    worksheet.freeze_panes = "A2"
    last_row = len(table.frame) + 1
    for column, kind in enumerate(table.kinds, start=1):
        letter = get_column_letter(column)
        worksheet.column_dimensions[letter].width = _width(table, column - 1)
        if kind == RATIO and last_row > 1:
            worksheet.conditional_formatting.add(f"{letter}2:{letter}{last_row}", RATIO_SCALE)
    if table.chart is not None and last_row > 1:
        _bar_chart(worksheet, table, last_row)
    return worksheet


def _write(cell, value, kind: str, language: str) -> None:
    if kind == TEXT:
        if value is not None and value == value and str(value):
            set_text_cell(cell, str(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return
    if kind == YES_NO:
        word = yes_no_word(value)
        set_text_cell(cell, t(f"report.{word}", language))
        return
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return  # an unknown number or date is an empty cell
    if kind == DATE:
        # A real date cell (it sorts and filters as a date), shown the language's way: 31/03/2026 in French.
        cell.value = value
        cell.number_format = excel_date_format(language)
        return
    cell.value = float(value) if kind != COUNT else round(float(value))
    cell.number_format = NUMBER_FORMATS[kind]


def _width(table: Table, position: int) -> float:
    texts = [str(table.frame.columns[position])] + [str(value) for value in table.frame.iloc[:, position].head(200)]
    return min(WIDEST, max(8, max(len(text) for text in texts) + 2))


def _bar_chart(worksheet: Worksheet, table: Table, last_row: int) -> None:
    category, value = table.chart or (0, 1)
    chart = BarChart()
    chart.type = "bar"  # horizontal: long names stay readable
    chart.title = None
    chart.legend = None
    chart.height = max(7.5, 0.5 * (last_row - 1))
    chart.width = 18
    chart.add_data(Reference(worksheet, min_col=value + 1, min_row=1, max_row=last_row), titles_from_data=True)
    chart.set_categories(Reference(worksheet, min_col=category + 1, min_row=2, max_row=last_row))
    chart.y_axis.numFmt = NUMBER_FORMATS.get(table.kinds[value], "General")
    chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
    worksheet.add_chart(chart, f"{get_column_letter(len(table.kinds) + 2)}2")


def _sheet_name(workbook: Workbook, name: str) -> str:
    """A sheet name Excel accepts and the workbook does not hold yet (names come from the
    catalogues: only their length and a repeat need care)."""
    for forbidden in "[]:*?/\\":
        name = name.replace(forbidden, " ")
    name = name[:SHEET_NAME_LIMIT].strip() or "Sheet"
    candidate, number = name, 2
    while candidate in workbook.sheetnames:
        suffix = f" ({number})"
        candidate, number = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix, number + 1
    return candidate
