"""A workspace version as one .xlsx, and back.

Every canonical sheet under its canonical headers, so that the file imports again as it is
(`python -m vawmap workspace import`), a `notes` sheet with the workspace's versions (who,
when, what, from which files), which import leaves aside, and the workshop record and
scorecards (vawmap/data/workshop.toml), which import brings back (read_record_sheets).
Text that could start a formula is written as text (exports.set_text_cell).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook

from vawmap.contract import SHEET_ORDER, sheet
from vawmap.dataset import Dataset
from vawmap.exports import set_text_cell, write_sheet
from vawmap.store.workspaces import VersionInfo
from vawmap.workshop import record_sheets

NOTES_HEADER = ("version", "parent", "author", "saved (UTC)", "note", "files", "rows")


def workbook_bytes(
    dataset: Dataset, versions: list[VersionInfo], records: Mapping[str, pd.DataFrame] | None = None
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in SHEET_ORDER:
        write_sheet(workbook, name, dataset[name][list(sheet(name).columns)])
    for name, frame in (records or {}).items():
        write_sheet(workbook, name, frame)
    notes = workbook.create_sheet("notes")
    notes.append(NOTES_HEADER)
    for version in versions:
        files = "; ".join(f"{file} (sha256 {digest})" for file, digest, _ in version.sources)
        rows = "; ".join(f"{name}: {count}" for name, count in version.rows.items())
        notes.append([version.number, version.parent, "", version.created_at, "", "", rows])
        for column, text in ((3, version.author), (5, version.note), (6, files)):
            set_text_cell(notes.cell(row=notes.max_row, column=column), text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_record_sheets(data: bytes) -> dict[str, pd.DataFrame]:
    """The workshop record sheets of a backup (none when the file is no .xlsx or has none)."""
    if data[:4] != b"PK\x03\x04":
        return {}
    with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as book:
        return {
            name: pd.read_excel(book, sheet_name=name, dtype=object)
            for name in record_sheets()
            if name in book.sheet_names
        }
