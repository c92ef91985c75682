"""Find what a raw sheet is: which canonical sheet, which row holds its headers, which
column is which.

Real uploads put title rows and blank rows above the header, write headers in English,
French or Spanish, add an HXL hashtag row under the header (or use it instead of one).
A sheet is recognised by its name ("Acteurs", "Régions") or, failing that, by its columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from vawmap.contract import SheetSpec, sheets
from vawmap.messages import Message, message
from vawmap.vocab import load_data_file, nearest, text_key
from vawmap.workshop import record_sheets

HEADER_SCAN_ROWS = 30
# No header is longer: a longer cell is data (a 10 MB cell is never matched against every sheet's spellings).
MAX_HEADER_CHARS = 300
# Sheets of our own template, and common notes sheets, that carry no data; and the workshop
# record of a workspace backup (vawmap/data/workshop.toml), which the workspace import reads.
IGNORED_SHEET_KEYS = frozenset(
    {"instructions", "lists", "readme", "read me", "notes", "lisez moi", "instrucciones", "listas", "notas", "help"}
    | {text_key(name) for name in record_sheets()}
)
_PARENTHESES = re.compile(r"\(.*?\)|\[.*?\]")
_APOSTROPHES = re.compile(r"['’`´]")
SURVIVOR_LISTS = ("case", "alone", "person", "personal", "service")


@dataclass(frozen=True)
class SurvivorWords:
    """One language's lists of data/survivor_headers.toml: each a pattern over text keys
    that finds its phrases as whole words, and each phrase's key -> the phrase as written."""

    patterns: dict[str, re.Pattern[str]]
    written: dict[str, str]

    def find(self, name: str, key: str) -> str | None:
        """The phrase of list `name` found in the key, as the data file writes it."""
        found = self.patterns[name].search(key)
        return self.written[found.group(0)] if found else None


def _words_pattern(keys: list[str], whole: bool) -> re.Pattern[str]:
    # Longest first, so "case number" is reported rather than a shorter phrase inside it.
    alternatives = "|".join(re.escape(key) for key in sorted(set(keys), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"^(?:{alternatives})$" if whole else rf"\b(?:{alternatives})\b")


@lru_cache(maxsize=1)
def survivor_words() -> dict[str, SurvivorWords]:
    """data/survivor_headers.toml, language -> its lists, read once."""
    words = {}
    for language, lists in load_data_file("survivor_headers.toml").items():
        written = {text_key(phrase): phrase for name in SURVIVOR_LISTS for phrase in lists[name]}
        patterns = {
            name: _words_pattern([text_key(phrase) for phrase in lists[name]], whole=name == "alone")
            for name in SURVIVOR_LISTS
        }
        words[language] = SurvivorWords(patterns, written)
    return words


@dataclass
class HeaderMatch:
    """Where the data of a raw sheet is and what its columns mean."""

    sheet: str  # canonical sheet name
    header_row: int  # index in the raw cells of the last header row (text or HXL)
    columns: dict[str, int]  # canonical column -> raw column index
    labels: dict[str, str]  # canonical column -> header as the user wrote it
    unknown: list[tuple[int, str, str | None]] = field(default_factory=list)  # (index, header, suggestion)
    survivor_columns: list[tuple[int, str, Message]] = field(default_factory=list)  # (index, header, why)
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


def survivor_reason(header: str) -> Message | None:
    """Why a header announces survivor-level (case) data, or None for a header that does not
    (the rules are described at the top of data/survivor_headers.toml)."""
    key = text_key(header)
    if not key:
        return None
    for words in survivor_words().values():
        if found := words.find("case", key):
            return message("problem.survivor_reason_case", words=found)
        if found := words.find("alone", key):
            return message("problem.survivor_reason_alone", words=found)
        person, detail = words.find("person", key), words.find("personal", key)
        if person and detail and not words.find("service", key):
            return message("problem.survivor_reason_person", person=person, detail=detail)
    return None


def looks_like_survivor_data(header: str) -> bool:
    return survivor_reason(header) is not None


def header_keys(text: str) -> tuple[str, ...]:
    """The keys a header or spelling matches by: an apostrophe dropped ("l'organisation" →
    "lorganisation") and read as a space ("l organisation"), so that either way of writing
    it (straight or typographic) meets either way of listing it."""
    return tuple(dict.fromkeys((text_key(text), text_key(_APOSTROPHES.sub(" ", text)))))


def match_header(spec: SheetSpec, header: str) -> str | None:
    """The canonical column a header cell means in this sheet, if any."""
    header = str(header)
    if len(header) > MAX_HEADER_CHARS:
        return None
    if header.lstrip().startswith("#"):
        return _match_hxl(spec, header)
    for key in (*header_keys(header), *header_keys(_PARENTHESES.sub(" ", header))):
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


def row_texts(cells: pd.DataFrame, index: int) -> list[str]:
    """The cells of a row as stripped text, a blank one as ""."""
    return ["" if value is None or pd.isna(value) else str(value).strip() for value in cells.iloc[index].tolist()]


def _score(spec: SheetSpec, texts: list[str]) -> int:
    return len({match_header(spec, text) for text in texts if text} - {None})


def locate(cells: pd.DataFrame, sheet_name: str, specs: dict[str, SheetSpec] | None = None) -> HeaderMatch | None:
    """The best (sheet, header row) for a raw grid, or None when nothing looks like a header.

    The role is decided by the columns: a sheet's name ("Services", "3W") wins unless its
    columns make another table complete while the named one lacks a required column, so the
    CSV and the workbook of one table get the same role. `specs` are the sheets to match
    against (the contract's, or the contract's with the spellings of data/mapping.toml)."""
    specs = specs or sheets()
    named = sheet_from_name(sheet_name)
    best: dict[str, tuple[int, int]] = {}  # sheet -> (score, row), the best row of each
    for index in range(min(HEADER_SCAN_ROWS, len(cells))):
        texts = row_texts(cells, index)
        for spec in specs.values():
            score = _score(spec, texts)
            if score > best.get(spec.name, (0, 0))[0]:
                best[spec.name] = (score, index)
    if not best:
        return None
    complete = {name for name, (_, row) in best.items() if _is_complete(specs[name], row_texts(cells, row))}
    # Most columns first; a complete table before an incomplete one; the who-what-where
    # reading (services) before others of the same score; then the contract's order.
    ranked = sorted(best, key=lambda name: (-best[name][0], name not in complete, name != "services"))
    choice = ranked[0]
    if named in best and (named in complete or choice not in complete):
        choice = named
    score, row = best[choice]
    if score < 2 and choice != named:
        return None
    return _map_columns(cells, row, specs[choice])


def first_row_match(cells: pd.DataFrame, spec: SheetSpec) -> HeaderMatch | None:
    """The first filled row read as the header of a table the user named, when no row looks like
    one: its columns are then the user's to map."""
    for index in range(min(HEADER_SCAN_ROWS, len(cells))):
        if any(row_texts(cells, index)):
            return _map_columns(cells, index, spec)
    return None


def _is_complete(spec: SheetSpec, texts: list[str]) -> bool:
    found = {match_header(spec, text) for text in texts if text}
    return all(name in found for name in spec.required)


def _map_columns(cells: pd.DataFrame, row: int, spec: SheetSpec) -> HeaderMatch:
    texts = row_texts(cells, row)
    hxl = row_texts(cells, row + 1) if row + 1 < len(cells) else []
    header_row = row + 1 if _is_hxl_row(hxl) else row
    match = HeaderMatch(spec.name, header_row, {}, {})
    for index, text in enumerate(texts):
        tag = hxl[index] if header_row > row and index < len(hxl) else ""
        shown = text or tag
        if not shown:
            continue
        survivor = survivor_reason(text) or survivor_reason(tag)
        if survivor:
            match.survivor_columns.append((index, shown, survivor))
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
