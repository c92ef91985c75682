"""Read uploaded bytes into raw grids of cells, one per sheet.

Workbooks (XLSX, XLSM, XLS, ODS) go through python-calamine, which reads formulas as their
cached values and is about 15x faster than openpyxl. CSV files are decoded (UTF-8, UTF-8
with BOM, UTF-16, then Windows-1252/Latin-1) and their delimiter is sniffed. Anything that
cannot be read raises `UnreadableFile` with a message a person can act on (a `Message`,
worded by the edges).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd
import python_calamine

from vawmap.ingest.bounds import CellBudget, OutOfBounds, UsedRange, check_sheet_count, check_workbook
from vawmap.ingest.problems import plain_number
from vawmap.messages import Message, message

# Keep in step with server.maxUploadSize in .streamlit/config.toml (tests check it).
UPLOAD_LIMIT_MB = 50
CSV_DELIMITERS = (",", ";", "\t", "|")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_SPREADSHEETS = {  # leading bytes -> what the file really is (keys of [read.file_kind])
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"%PDF": "pdf",
    b"\x1f\x8b": "gzip",
    b"Rar!": "rar",
    b"7z\xbc\xaf": "seven_zip",
}


class UnreadableFile(Exception):
    """The file cannot be read at all; `message` and `suggestion` say why and what to do."""

    def __init__(self, message: Message, suggestion: Message | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True)
class RawSheet:
    """The cells of one sheet. Row i of `cells` is Excel row i + 1; column j is column j + 1."""

    file: str
    name: str
    cells: pd.DataFrame
    hidden: bool = False


def read_upload(file_name: str, data: bytes) -> list[RawSheet]:
    """Every sheet of an uploaded file, or UnreadableFile."""
    if len(data) == 0:
        raise UnreadableFile(message("read.empty"), message("read.empty_fix"))
    if len(data) > UPLOAD_LIMIT_MB * 1024 * 1024:
        size = math.ceil(len(data) / 1024 / 1024 * 10) / 10  # rounded up: never "50 MB, over the 50 MB limit"
        raise UnreadableFile(
            message("read.too_large", size=plain_number(size), limit=plain_number(UPLOAD_LIMIT_MB)),
            message("read.too_large_fix"),
        )
    for magic, kind in NOT_SPREADSHEETS.items():
        if data.startswith(magic):
            raise UnreadableFile(
                message("read.not_spreadsheet", what=message(f"read.file_kind.{kind}")), message("read.save_as_fix")
            )
    if data.startswith((b"PK\x03\x04", _OLE_MAGIC)):
        return _read_workbook(file_name, data)
    return [_read_csv(file_name, data)]


def _read_workbook(file_name: str, data: bytes) -> list[RawSheet]:
    is_xls = data.startswith(_OLE_MAGIC)
    if is_xls and "EncryptionInfo".encode("utf-16-le") in data:
        raise UnreadableFile(message("read.password"), message("read.password_fix"))
    try:
        check_workbook(data, is_xls)  # before parsing: what the workbook asks for (vawmap/ingest/bounds.py)
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        check_sheet_count(len(workbook.sheets_metadata))
        budget = CellBudget()
        return [_read_sheet(file_name, workbook, meta, budget) for meta in workbook.sheets_metadata]
    except OutOfBounds as refusal:
        raise UnreadableFile(refusal.message, refusal.suggestion) from None
    except python_calamine.PasswordError:
        raise UnreadableFile(message("read.password"), message("read.password_fix")) from None
    except Exception as error:  # calamine raises several kinds for broken files
        raise UnreadableFile(
            message("read.broken_workbook", detail=_short(error)), message("read.broken_workbook_fix")
        ) from None


def _read_sheet(file_name: str, workbook, meta, budget: CellBudget) -> RawSheet:
    sheet = workbook.get_sheet_by_name(meta.name)
    if sheet.end is not None:  # the grid from A1 to the last cell, counted before it becomes Python objects
        budget.spend(UsedRange(meta.name, sheet.end[0] + 1, sheet.end[1] + 1))
    rows = sheet.to_python(skip_empty_area=False)
    cells = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
    _fill_merged_cells(cells, sheet.merged_cell_ranges or [])
    hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
    return RawSheet(file_name, meta.name, cells, hidden)


def _fill_merged_cells(cells: pd.DataFrame, merged_ranges) -> None:
    """Give every cell of a merged range the value of its top-left cell, as a reader sees it."""
    height, width = cells.shape
    for (top, left), (bottom, right) in merged_ranges:
        if top >= height or left >= width:
            continue
        bottom, right = min(bottom, height - 1), min(right, width - 1)
        cells.iloc[top : bottom + 1, left : right + 1] = cells.iat[top, left]


def _read_csv(file_name: str, data: bytes) -> RawSheet:
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(message("read.binary"), message("read.save_as_fix"))
    try:
        delimiter = _sniff_delimiter(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:  # a cell over csv's size limit: a quote never closed swallowed the rest of the file
        raise UnreadableFile(message("read.broken_csv", detail=_short(error)), message("read.broken_csv_fix")) from None
    width = max((len(row) for row in rows), default=0)
    padded = [row + [""] * (width - len(row)) for row in rows]
    cells = pd.DataFrame(padded, dtype=object) if padded else pd.DataFrame(dtype=object)
    return RawSheet(file_name, PurePath(file_name).stem, cells)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # a UTF-16 mark on bytes that are not UTF-16 (odd length, lone surrogates): try the others
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Excel's "CSV" on Windows in Western Europe and the Americas
    except UnicodeDecodeError:
        return data.decode("latin-1")  # never fails: every byte is a character


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (',' when in doubt)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", 0
    for delimiter in CSV_DELIMITERS:
        counts = [next(csv.reader([line], delimiter=delimiter)).__len__() - 1 for line in lines]
        counts = [count for count in counts if count > 0]
        score = min(counts) * len(counts) if counts else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _short(error: Exception) -> str:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return detail[:160]
