"""Whole-column helpers of the gap engine (vawmap.gaps.columns) give what the plain Python
definitions give, cell by cell: list cells split like vawmap.cells.list_items, text sorted like
sorted(), ids found at their first row, distinct keys like np.unique.

Random cells mix the list separator, every kind of Unicode space (str.strip's set), letters
and blanks, so the Arrow kernels are checked against Python's own rules, not against examples.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from vawmap.cells import list_items
from vawmap.gaps.columns import codes_in, first_positions, list_items_by_row, sorted_unique, text_order

SETTINGS = settings(max_examples=200, deadline=None)

# Every character str.isspace() accepts, a few that look like spaces but are not, the separator.
SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
NOT_SPACES = "\u200b\u180e\ufeff"
PIECES = st.sampled_from([";", "; ", " ;", "a", "b", "Santé", "ß", *SPACES, *NOT_SPACES])
CELLS = st.lists(st.none() | st.lists(PIECES, max_size=12).map("".join), max_size=12)
TEXTS = st.lists(st.none() | st.text(max_size=6), max_size=30)
IDS = st.lists(st.none() | st.sampled_from(["A1", "A2", "B", "b", "Ä", ""]), max_size=15)


def as_column(cells: list) -> pd.Series:
    return pd.Series(cells, dtype="string")


@SETTINGS
@given(CELLS)
def test_list_cells_of_a_column_are_split_as_list_items_splits_each_cell(cells):
    rows, items = list_items_by_row(as_column(cells))
    expected = [(row, item) for row, cell in enumerate(cells) for item in list_items(cell)]
    assert list(zip(rows.tolist(), items.to_pylist())) == expected


@SETTINGS
@given(TEXTS)
def test_text_is_ordered_as_python_sorts_it_blanks_left_out(texts):
    order = text_order(as_column(texts)).tolist()
    assert [texts[position] for position in order] == sorted(text for text in texts if text is not None)


@SETTINGS
@given(IDS, IDS)
def test_each_id_is_found_at_its_first_row(wanted, ids):
    found = first_positions(as_column(wanted), as_column(ids)).tolist()
    first_row = {}
    for row, actor_id in enumerate(ids):
        if actor_id is not None:
            first_row.setdefault(actor_id, row)
    assert found == [-1 if actor_id is None else first_row.get(actor_id, -1) for actor_id in wanted]


@SETTINGS
@given(IDS)
def test_codes_are_positions_among_the_categories_with_their_own_code_for_a_blank(values):
    categories = ["B", "A1", "Ä"]
    codes = codes_in(as_column(values), categories, blank=7).tolist()
    assert codes == [7 if value is None else categories.index(value) if value in categories else -1 for value in values]


@SETTINGS
@given(st.lists(st.integers(-5, 40), max_size=50))
def test_sorted_unique_keys_are_np_uniques(keys):
    values = np.array(keys, dtype=np.int64)
    assert sorted_unique(values).tolist() == np.unique(values).tolist()
