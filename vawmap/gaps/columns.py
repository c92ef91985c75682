"""Columns in and out of the engine: list cells split for a whole column at once, and result
frames built from numpy columns.

The engine reads each column once, computes on arrays, and builds each result frame once at
the end. pandas 3 reads an object array of text as a str column, while the pages and the JSON
expect plain Python values (None for a blank, lists as lists): such columns stay object columns.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from vawmap.cells import LIST_JOIN


def column_of(frame: pd.DataFrame, name: str) -> pd.Series:
    """The frame's column, or a column of blanks when the frame lacks it."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def arrow_text(values: pd.Series | pd.Index | np.ndarray | pa.Array | list | tuple) -> pa.Array:
    """The values as one Arrow text array (blanks as nulls): ingest's text columns already are
    Arrow text, and a list of names (the categories looked up) converts directly."""
    if isinstance(values, pa.Array):
        return values
    if isinstance(values, list | tuple) and all(isinstance(value, str) for value in values):
        return pa.array(values, pa.large_string())
    if not (isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype)):
        values = pd.Series(values, copy=False).astype("string")
    text = pa.array(values)
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def list_items_by_row(column: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """(rows, items): the items of every list cell of the column, as vawmap.cells.list_items
    gives them (split on the separator, stripped, empty items left out; none for a blank), with
    the position of the row each comes from. Arrow's trim strips exactly what str.strip does."""
    parts = pc.split_pattern(arrow_text(column), LIST_JOIN.strip())
    items = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    kept = pc.not_equal(items, "")
    return pc.list_parent_indices(parts).filter(kept).to_numpy().astype(np.int64), items.filter(kept)


def first_positions(values, among) -> np.ndarray:
    """For each value, the position of the first equal value in `among` (-1 when there is none,
    and for a blank), as int32: text compared as text, in one Arrow hash table of `among`."""
    found = pc.index_in(arrow_text(values), value_set=arrow_text(among), skip_nulls=True)
    return found.fill_null(-1).to_numpy()


def codes_in(values, categories, blank: int = -1) -> np.ndarray:
    """Each value's position in `categories` (-1 when absent, `blank` when blank), as int32."""
    text = arrow_text(values)
    codes = first_positions(text, categories)
    if blank == -1 or not text.null_count:
        return codes
    return np.where(text.is_null().to_numpy(zero_copy_only=False), np.int32(blank), codes)


def text_order(values) -> np.ndarray:
    """Positions of the non-blank values, sorted as Python sorts text (Arrow compares UTF-8
    bytes, which orders text by code point, as Python does)."""
    text = arrow_text(values)
    order = pc.array_sort_indices(text, null_placement="at_end").to_numpy().astype(np.int64)
    return order[: len(text) - text.null_count]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, sorted (np.unique's answer): numpy 2's np.unique
    builds a hash table before it sorts, a plain sort costs a fraction of that on integers."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


def lists_by_group(values: np.ndarray, groups: np.ndarray, count: int) -> list[list]:
    """For each group 0 .. count-1, its values in their order, given the values sorted by
    group (`groups`, ascending): one list per group, empty when the group has none."""
    bounds = np.searchsorted(groups, np.arange(count + 1)).tolist()
    flat = values.tolist()
    return [flat[start:end] for start, end in zip(bounds[:-1], bounds[1:])]


def text_column(values, rows: np.ndarray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """values[rows] as pandas 3 makes a column of an object array of text: its text dtype
    ("str"; object when there are no rows). Built in Arrow: pandas converts one string at a time."""
    if not len(rows):
        return np.empty(0, dtype=object)
    return pd.array(arrow_text(values).take(rows), dtype="str")


def objects(values: Collection) -> np.ndarray:
    """A 1-D object array of the values as they are: np.array would turn a list of equal-length
    lists into a 2-D array."""
    return np.fromiter(values, dtype=object, count=len(values))


def frame(columns: Mapping[str, np.ndarray], order: Sequence[str], index: pd.Index | None = None) -> pd.DataFrame:
    """A frame of the columns, in `order` (the result's documented columns); an object array
    stays an object column."""
    return pd.DataFrame(
        {
            name: pd.Series(values, index=index, dtype=object, copy=False) if values.dtype == object else values
            for name, values in columns.items()
        },
        index=index,
        columns=list(order),
        copy=False,
    )
