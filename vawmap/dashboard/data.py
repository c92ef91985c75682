"""The Data page: searching a loaded table and downloading it as CSV."""

from __future__ import annotations

import pandas as pd

from vawmap import exports
from vawmap.cells import LIST_JOIN, list_items
from vawmap.contract import sheet
from vawmap.i18n import label
from vawmap.messages import date_text


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
    worded = {}
    for name, spec in sheet(sheet_name).columns.items():
        if name not in frame or spec.kind not in ("vocab", "vocab_list", "date"):
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


def column_headers(sheet_name: str, language: str) -> dict[str, str]:
    """Each column of the sheet under its header in `language` (the template's headers)."""
    return {name: spec.labels.get(language, spec.labels["en"]) for name, spec in sheet(sheet_name).columns.items()}
