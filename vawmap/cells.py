"""Cells: what a blank is, the items of a list cell, rows and values as plain Python.

One home for the small questions every module asks of a cell, so they get one answer:
a blank is None, pd.NA, pd.NaT or NaN (and, in raw uploads, a string of spaces); a list
cell holds items joined by LIST_JOIN once ingest has tidied it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

LIST_JOIN = "; "  # how ingest writes a cell of several values


def is_missing(value: object) -> bool:
    """A blank cell of a clean frame: None, pd.NA, pd.NaT or NaN; never a list.
    (pd.isna on a scalar gives the same answer at ten times the cost.)"""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def is_blank(value: object) -> bool:
    """A blank cell of a raw upload: missing, or text of spaces only."""
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def list_items(cell: object) -> list[str]:
    """Items of a list cell joined by LIST_JOIN; [] when blank."""
    if is_missing(cell):
        return []
    return [item for item in (part.strip() for part in str(cell).split(LIST_JOIN.strip())) if item]


def plain_value(value: object) -> object:
    """A cell as a plain Python value: None for a blank."""
    return None if is_missing(value) else value


def plain_columns(frame: pd.DataFrame, columns: Sequence[str], rows: np.ndarray | None = None) -> list[np.ndarray]:
    """Each column (at positions `rows`, when given) as an array of plain Python values, None
    for a blank and for a column the frame lacks. A column at a time: reading Arrow-backed
    text row by row boxes each value on its own."""
    cells = [
        frame[column].to_numpy(dtype=object, na_value=None)
        if column in frame.columns
        else np.full(len(frame), None, dtype=object)
        for column in columns
    ]
    return cells if rows is None else [column[rows] for column in cells]


def plain_records(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values, None for a blank."""
    names = list(frame.columns if columns is None else columns)
    return [dict(zip(names, row)) for row in zip(*plain_columns(frame, names))]


def json_value(value: Any) -> Any:
    """A JSON-ready value: NA and NaN become None, numpy numbers Python numbers; lists and
    dicts are converted item by item."""
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return json_value(value.item())
    return value
