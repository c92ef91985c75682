"""Find what a raw sheet is: which canonical sheet, which row holds its headers, which
column is which.

Real uploads put title rows and blank rows above the header, write headers in English,
French or Spanish, add an HXL hashtag row under the header (or use it instead of one).
A sheet is recognised by its name ("Acteurs", "Régions") or, failing that, by its columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from vawmap.contract import SheetSpec, sheets
from vawmap.vocab import nearest, text_key

HEADER_SCAN_ROWS = 30
# Sheets of our own template, and common notes sheets, that carry no data.
IGNORED_SHEET_KEYS = frozenset(
    {"instructions", "lists", "readme", "read me", "notes", "lisez moi", "instrucciones", "listas", "notas", "help"}
)
_PARENTHESES = re.compile(r"\(.*?\)|\[.*?\]")
# Headers that announce survivor-level (case) data, which vawmap refuses: it maps services, never cases.
_SURVIVOR_HEADER = re.compile(
    r"\b(survivor|survivors|victim|victims|victime|victimes|victima|victimas|sobreviviente|superviviente)\b"
    r".*\b(name|names|nom|nombre|id|age|edad|address|adresse|direccion|birth|naissance|nacimiento)\b"
    r"|\b(name|names|nom|nombre|age|edad)\b.*\b(survivor|victim|victime|victima|sobreviviente|superviviente)\b"
    r"|\bcase (number|no|num|id|file|ref|reference)\b|\b(numero|no|n) (de )?(dossier|caso|expediente)\b"
    r"|\b(date of birth|dob|date de naissance|fecha de nacimiento)\b|^(age|edad|ages)$|\bclient name\b"
)


@dataclass
class HeaderMatch:
    """Where the data of a raw sheet is and what its columns mean."""

    sheet: str  # canonical sheet name
    header_row: int  # index in the raw cells of the last header row (text or HXL)
    columns: dict[str, int]  # canonical column -> raw column index
    labels: dict[str, str]  # canonical column -> header as the user wrote it
    unknown: list[tuple[int, str, str | None]] = field(default_factory=list)  # (index, header, suggestion)
    survivor_columns: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)  # (index, header, canonical)


def is_ignored_sheet(name: str) -> bool:
    return text_key(name) in IGNORED_SHEET_KEYS


def sheet_from_name(name: str) -> str | None:
    """The canonical sheet a sheet or file name stands for, if any."""
    key = text_key(name)
    for spec in sheets().values():
        if key in spec.name_keys:
            return spec.name
    return None


def looks_like_survivor_data(header: str) -> bool:
    return bool(_SURVIVOR_HEADER.search(text_key(header)))


def match_header(spec: SheetSpec, header: str) -> str | None:
    """The canonical column a header cell means in this sheet, if any."""
    header = str(header)
    if header.lstrip().startswith("#"):
        return _match_hxl(spec, header)
    for key in (text_key(header), text_key(_PARENTHESES.sub(" ", header))):
        for column in spec.columns.values():
            if key and key in column.header_keys:
                return column.name
    return None


def _hxl_parts(tag: str) -> tuple[str, frozenset[str]]:
    parts = tag.strip().lower().replace(" ", "").split("+")
    return parts[0], frozenset(part for part in parts[1:] if part)


def _match_hxl(spec: SheetSpec, tag: str) -> str | None:
    """The most specific column whose hashtag the cell's tag carries (#adm1+name+x → region)."""
    base, attributes = _hxl_parts(tag)
    best, best_size = None, -1
    for column in spec.columns.values():
        for candidate in column.hxl:
            candidate_base, candidate_attributes = _hxl_parts(candidate)
            if candidate_base == base and candidate_attributes <= attributes and len(candidate_attributes) > best_size:
                best, best_size = column.name, len(candidate_attributes)
    return best


def _is_hxl_row(values: list[str]) -> bool:
    filled = [value for value in values if value]
    return bool(filled) and sum(value.startswith("#") for value in filled) * 2 >= len(filled)


def _row_texts(cells: pd.DataFrame, index: int) -> list[str]:
    return ["" if value is None or pd.isna(value) else str(value).strip() for value in cells.iloc[index].tolist()]


def _score(spec: SheetSpec, texts: list[str]) -> int:
    return len({match_header(spec, text) for text in texts if text} - {None})


def locate(cells: pd.DataFrame, sheet_name: str) -> HeaderMatch | None:
    """The best (sheet, header row) for a raw grid, or None when nothing looks like a header."""
    named = sheet_from_name(sheet_name)
    candidates = [sheets()[named]] if named else list(sheets().values())
    best: tuple[int, int, SheetSpec] | None = None  # (score, row, spec)
    for index in range(min(HEADER_SCAN_ROWS, len(cells))):
        texts = _row_texts(cells, index)
        for spec in candidates:
            score = _score(spec, texts)
            if best is None or score > best[0]:
                best = (score, index, spec)
    if best is None or best[0] == 0 or (best[0] < 2 and not named):
        return None
    _, row, spec = best
    return _map_columns(cells, row, spec)


def _map_columns(cells: pd.DataFrame, row: int, spec: SheetSpec) -> HeaderMatch:
    texts = _row_texts(cells, row)
    hxl = _row_texts(cells, row + 1) if row + 1 < len(cells) else []
    header_row = row + 1 if _is_hxl_row(hxl) else row
    match = HeaderMatch(spec.name, header_row, {}, {})
    for index, text in enumerate(texts):
        tag = hxl[index] if header_row > row and index < len(hxl) else ""
        shown = text or tag
        if not shown:
            continue
        if looks_like_survivor_data(text):
            match.survivor_columns.append((index, text))
            continue
        canonical = (match_header(spec, text) if text else None) or (match_header(spec, tag) if tag else None)
        if canonical is None:
            match.unknown.append((index, shown, suggest_column(spec, shown)))
        elif canonical in match.columns:
            match.duplicates.append((index, shown, canonical))
        else:
            match.columns[canonical] = index
            match.labels[canonical] = shown
    return match


def suggest_column(spec: SheetSpec, header: str) -> str | None:
    """The canonical column a misspelt header probably means ('Servce type' → service_type)."""
    return nearest(header, {key: column.name for column in spec.columns.values() for key in column.header_keys})
