"""The Data page: searching a loaded table and downloading it as CSV."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from vawmap import exports
from vawmap.cells import LIST_JOIN, list_items
from vawmap.contract import SHEET_ORDER, ColumnSpec, sheet
from vawmap.gaps.standards import standard_word
from vawmap.i18n import catalogue, label, t
from vawmap.messages import date_text, render


def search_rows(frame: pd.DataFrame, text: str, regions: list[str]) -> pd.DataFrame:
    """Rows whose region is chosen (when any is) and that contain `text` in some cell (case ignored)."""
    if regions:
        frame = frame[frame["region"].isin(regions).fillna(False).astype(bool)]
    if text.strip():
        found = pd.Series(False, index=frame.index)
        for column in frame.columns:
            found |= frame[column].astype("string").str.contains(text.strip(), case=False, regex=False).fillna(False)
        frame = frame[found]
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a byte-order mark, so that Excel reads accents right, and no cell a spreadsheet
    would run as a formula (vawmap/exports.py)."""
    return exports.csv_bytes(frame)


def worded_values(sheet_name: str, frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """The rows with vocabulary values and dates as a reader of `language` reads them (Safe
    accommodation, not safe_accommodation; each item of a list; 7 déc. 2026, not 2026-12-07).
    For the eye only: downloads keep the codes and ISO dates, which upload again."""
    columns = {name: spec for name, spec in sheet(sheet_name).columns.items() if name in frame}
    return _worded(frame, columns, language)


def _worded(frame: pd.DataFrame, columns: dict[str, ColumnSpec], language: str) -> pd.DataFrame:
    worded = {}
    for name, spec in columns.items():
        if spec.kind not in ("vocab", "vocab_list", "date"):
            continue
        values = frame[name].astype(object)
        distinct = values.dropna().unique()
        if spec.kind == "date":
            labels = {value: date_text(value, language) for value in distinct}
        elif spec.kind == "vocab":
            labels = {value: label(spec.vocabulary, value, language) for value in distinct}
        else:
            labels = {
                value: LIST_JOIN.join(label(spec.vocabulary, item, language) for item in list_items(value))
                for value in distinct
            }
        worded[name] = values.map(labels)
    return frame.assign(**worded)


@lru_cache(maxsize=1)
def _contract_columns() -> dict[str, ColumnSpec]:
    """Every column of the contract by name (the first sheet's, for a name several sheets share)."""
    columns: dict[str, ColumnSpec] = {}
    for sheet_name in SHEET_ORDER:
        for name, spec in sheet(sheet_name).columns.items():
            columns.setdefault(name, spec)
    return columns


def worded_table(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """Any table the pages show (a network's metrics, what changed between versions) with the
    values of a column named like a vocabulary column of the contract (sector, level,
    service_type...) by their labels in `language`, and the names and units of the shipped
    standards in it (a `standard` id column beside `name` and `unit`) in that language."""
    columns = {name: spec for name, spec in _contract_columns().items() if name in frame}
    worded = _worded(frame, columns, language)
    if "standard" in frame:
        for field in ("name", "unit"):
            if field in frame:
                words = [
                    render(standard_word(str(standard), field, str(text)), language) if isinstance(text, str) else text
                    for standard, text in zip(frame["standard"], frame[field])
                ]
                worded = worded.assign(**{field: words})
    return worded


def table_headers(columns: list[str] | pd.Index, language: str) -> dict[str, str]:
    """Each column of a table the pages show under a header in `language`: the catalogue's
    `column.<name>` when it has one, else the template's header of the contract column of that
    name, else the name as it is."""
    headers = {}
    contract = _contract_columns()
    for name in columns:
        key = f"column.{name}"
        if key in catalogue("en"):
            headers[name] = t(key, language)
        elif name in contract:
            headers[name] = contract[name].label_in(language)
        else:
            headers[name] = str(name)
    return headers


def worded_changes(changes: pd.DataFrame, language: str) -> pd.DataFrame:
    """What changed about actors (compare.Comparison.actors_changed: field, before, after) as a
    reader of `language` reads it: the field under its header, a vocabulary field's values by
    their labels (each item of a list)."""
    contract = sheet("actors").columns
    fields, before, after = [], [], []
    for field, was, now in zip(changes["field"], changes["before"], changes["after"]):
        spec = contract.get(field)
        fields.append(spec.label_in(language) if spec else field)
        before.append(_value_words(spec, was, language))
        after.append(_value_words(spec, now, language))
    return changes.assign(field=fields, before=before, after=after)


def _value_words(spec: ColumnSpec | None, value: object, language: str) -> object:
    if spec is None or spec.kind not in ("vocab", "vocab_list") or not isinstance(value, str):
        return value
    if spec.kind == "vocab":
        return label(spec.vocabulary, value, language)
    return LIST_JOIN.join(label(spec.vocabulary, item, language) for item in list_items(value))


def column_headers(sheet_name: str, language: str) -> dict[str, str]:
    """Each column of the sheet under its header in `language` (the template's headers)."""
    return {name: spec.label_in(language) for name, spec in sheet(sheet_name).columns.items()}
