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
import posixpath
import re
import zipfile
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CHUNK = 1 << 20
_ROOT_SEARCH = 1000  # the root element opens within the first bytes, after the XML declaration
_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_TEXT_RESULT = re.compile(rb'\bt="str"')


def unsaved_formulas(data: bytes) -> dict[str, frozenset[tuple[int, int]]]:
    """Sheet name -> the (row, column) of each formula cell saved without a value, counted
    from 0 as in RawSheet.cells. Sheets without any are left out. This only names a problem
    better, so a workbook it cannot follow (calamine read it already) gives {}."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = {}
            for name, part in _sheet_parts(archive).items():
                if _has_formulas(archive, part) and (cells := _formulas_without_value(archive.read(part))):
                    found[name] = cells
            return found
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, NotImplementedError, OSError):
        return {}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML in the archive (xl/workbook.xml and its relationships)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {item.get("Id"): item.get("Target", "") for item in relationships.iter(f"{_RELATIONSHIPS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP_ID), "")
        # Relative to xl/, or absolute within the archive ("/xl/worksheets/sheet1.xml").
        if target:
            parts[sheet.get("name", "")] = target[1:] if target.startswith("/") else posixpath.join("xl", target)
    return parts


def _has_formulas(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet's XML holds a formula: every sheet with formulas has a closing </f> (a
    shared formula's first cell holds its text). Read in chunks and searched for that one
    needle, because most sheets have none, and a 100,000-row sheet is some 65 MB of XML."""
    with archive.open(part) as stream:
        chunk = stream.read(_CHUNK)
        root = _ROOT.search(chunk[:_ROOT_SEARCH])
        needle = b"</" + (root[1] if root and root[1] else b"") + b"f>"
        tail = b""
        while chunk:
            if needle in chunk or needle in tail + chunk[: len(needle)]:
                return True
            tail = chunk[-len(needle) :]
            chunk = stream.read(_CHUNK)
    return False


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
            cells.add((int(reference[2]) - 1, _column_index(reference[1])))
    return frozenset(cells)


def _last_cell_start(xml: bytes, before: int) -> int | None:
    """Where the cell that holds position `before` opens ("<c " or a prefixed "<x:c ")."""
    start = max(xml.rfind(b"<c ", 0, before), xml.rfind(b"<c>", 0, before), xml.rfind(b":c ", 0, before))
    if start < 0:
        return None
    return start if xml[start : start + 1] == b"<" else xml.rfind(b"<", 0, start + 1)


def _column_index(letters: bytes) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1
