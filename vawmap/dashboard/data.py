"""The Data page: searching a loaded table and downloading it as CSV."""

from __future__ import annotations

import pandas as pd

from vawmap import exports


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
