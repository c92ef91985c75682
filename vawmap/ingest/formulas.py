"""Formula cells saved without a value, in an .xlsx or .xlsm workbook.

Excel saves every formula with the value it last computed, and readers (python-calamine
included) read that value. Programs that write formulas without computing them (openpyxl,
many export scripts) leave the value out: such a cell reads as empty, and calling it empty
would send people looking for a blank that is not there. python-calamine does not tell
formulas apart, so the sheet XML is searched: a cell (`<c>`) holding a formula (`<f>`) and
no value (`<v>`), or an empty one that is not a text result.
"""

from __future__ import annotations

import io
import re
import zipfile

from vawmap.ingest.bounds import column_number, sheet_parts

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_TEXT_RESULT = re.compile(rb'\bt="str"')


def unsaved_formulas(data: bytes, sheets: frozenset[str]) -> dict[str, frozenset[tuple[int, int]]]:
    """Sheet name -> the (row, column) of each formula cell saved without a value, counted
    from 0 as in RawSheet.cells, looked for in `sheets` (those whose XML holds a formula, as
    vawmap/ingest/bounds.py found them). Sheets without any are left out. This only names a
    problem better, so a workbook it cannot follow (calamine read it already) gives {}."""
    if not sheets:
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = {}
            for name, part in sheet_parts(archive):
                if name in sheets and (cells := _formulas_without_value(archive.read(part))):
                    found[name] = cells
            return found
    except (zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, OSError):
        return {}


def _formulas_without_value(xml: bytes) -> frozenset[tuple[int, int]]:
    cells = set()
    # Only the cells: formulas also appear after them (data validation lists, conditional formats).
    first, last = xml.find(b"sheetData"), xml.rfind(b"sheetData")
    for formula in _FORMULA.finditer(xml, first, last):
        start = _last_cell_start(xml, formula.start())
        end = _CELL_END.search(xml, formula.end())
        if start is None or end is None:
            continue
        opening = xml[start : xml.index(b">", start)]
        body = xml[start : end.start()]
        if _VALUE.search(body) or _TEXT_RESULT.search(opening):
            continue  # a saved value, or a formula whose saved result is the empty text
        if reference := _REFERENCE.search(opening):
            cells.add((int(reference[2]) - 1, column_number(reference[1]) - 1))
    return frozenset(cells)


def _last_cell_start(xml: bytes, before: int) -> int | None:
    """Where the cell that holds position `before` opens ("<c " or a prefixed "<x:c ")."""
    start = max(xml.rfind(b"<c ", 0, before), xml.rfind(b"<c>", 0, before), xml.rfind(b":c ", 0, before))
    if start < 0:
        return None
    return start if xml[start : start + 1] == b"<" else xml.rfind(b"<", 0, start + 1)
