"""Files a spreadsheet will open: every CSV the app writes, and the names the Excel template lists.

Uploaded text is written back out (names, file names, set-aside rows), and a spreadsheet runs a
cell that starts with `=`, `+`, `-` or `@` as a formula: `=HYPERLINK(...)` leaks data when
clicked, `+cmd|' /C calc'!A0` starts a program. Following OWASP's guidance on CSV injection,
such a text cell is written with a `'` in front, which spreadsheets show as text. Number columns
are left as they are, so -16.49 stays a number.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from vawmap.cells import is_blank

# The characters that make a spreadsheet read a cell as a formula: OWASP's list (=, +, -, @,
# tab, carriage return), the line feed and the null character OWASP's ASVS adds, and the
# full-width forms an input method may type in place of the first four.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")
QUOTE = "'"


def starts_a_formula(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula: it starts with one of
    FORMULA_LEADS, perhaps after spaces (some spreadsheets drop leading spaces)."""
    return text.lstrip(" ").startswith(FORMULA_LEADS)


def defused(value: object) -> object:
    """A text that could start a formula, with a `'` in front; any other value as it is."""
    return QUOTE + value if isinstance(value, str) and starts_a_formula(value) else value


def defused_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell, and every header, that could start a formula defused;
    number, yes/no and date columns unchanged."""
    columns = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        columns[position] = column.map(defused, na_action="ignore") if _holds_text(column) else column
    table = pd.DataFrame(columns, index=frame.index)
    table.columns = [defused(name) for name in frame.columns]
    return table


def _holds_text(column: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(column.dtype)
        or pd.api.types.is_bool_dtype(column.dtype)
        or pd.api.types.is_datetime64_any_dtype(column.dtype)
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV, safe to open in a spreadsheet, with a byte-order mark so that Excel
    reads accents right. Lines end in CRLF as RFC 4180 has it, which also makes the writer quote
    a cell holding a carriage return: unquoted, a spreadsheet starts a new row there, and
    "x\r=1+1" would put a formula at the start of it."""
    return defused_table(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def set_text_cell(cell, value: str) -> None:
    """Write a name that stays text, even when it starts with '=': a string cell, marked with
    Excel's quote prefix when it could start a formula (starts_a_formula), so that
    editing it does not turn it into one. The name itself is kept as written, so that a value
    picked from the dropdown matches the loaded one on upload; the control characters a
    worksheet cannot hold become spaces (names are matched on their words)."""
    text = ILLEGAL_CHARACTERS_RE.sub(" ", value)
    cell.value = text
    cell.data_type = "s"
    if starts_a_formula(text):
        cell.quotePrefix = True


def write_sheet(workbook: Workbook, name: str, frame: pd.DataFrame) -> None:
    """The frame as a new sheet of the workbook, header frozen; blank cells left empty, dates as
    dates, text as text that no spreadsheet runs as a formula (set_text_cell)."""
    worksheet = workbook.create_sheet(name)
    worksheet.append(list(frame.columns))
    worksheet.freeze_panes = "A2"
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        for column_number, value in enumerate(row, start=1):
            if is_blank(value):
                continue
            cell = worksheet.cell(row=row_number, column=column_number)
            if isinstance(value, str):
                set_text_cell(cell, value)
            elif isinstance(value, pd.Timestamp | dt.date):
                cell.value = pd.Timestamp(value).date()
            else:
                cell.value = value.item() if hasattr(value, "item") else value
