"""vawmap.xlsx: one workbook, one set of bytes, whatever the day and the machine that saves it."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook, load_workbook

from tests.clock_fixtures import ANOTHER_DAY, another_day
from vawmap.xlsx import stable_xlsx

DATED = datetime(2026, 3, 8, 9, 30, 0)
CREATOR, TITLE = "the tests", "A small workbook"
ROWS = [["region", "population"], ["Nord", 120_000], ["Sud", 80_500]]


def small_workbook() -> Workbook:
    workbook = Workbook()
    for row in ROWS:
        workbook.active.append(row)
    return workbook


def saved(workbook: Workbook) -> bytes:
    return stable_xlsx(workbook, creator=CREATOR, title=TITLE, dated=DATED)


def test_the_same_workbook_gives_the_same_bytes_on_another_day():
    today = saved(small_workbook())
    with another_day():
        other_day = saved(small_workbook())
    assert other_day == today


def test_the_clock_really_moves_for_openpyxl_and_zipfile():
    # Without the pinning, the day would show: so the test above can fail.
    buffer = io.BytesIO()
    with another_day():
        workbook = small_workbook()
        workbook.save(buffer)
    assert workbook.properties.modified == ANOTHER_DAY
    with zipfile.ZipFile(buffer) as archive:
        # (entries openpyxl writes from temporary files carry those files' times instead)
        assert ANOTHER_DAY.timetuple()[:6] in {entry.date_time for entry in archive.infolist()}


def test_every_entry_is_dated_and_marked_the_same_way():
    with zipfile.ZipFile(io.BytesIO(saved(small_workbook()))) as archive:
        entries = archive.infolist()
    assert {entry.date_time for entry in entries} == {(2026, 3, 8, 9, 30, 0)}
    assert {entry.create_system for entry in entries} == {3}  # Unix, whatever the platform
    assert {entry.external_attr for entry in entries} == {0o600 << 16}
    assert {entry.compress_type for entry in entries} == {zipfile.ZIP_DEFLATED}


def test_the_properties_say_who_made_it_and_when():
    properties = load_workbook(io.BytesIO(saved(small_workbook()))).properties
    assert (properties.creator, properties.title) == (CREATOR, TITLE)
    assert properties.created == properties.modified == DATED


def test_the_cells_are_kept():
    sheet = load_workbook(io.BytesIO(saved(small_workbook()))).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == ROWS


def test_a_write_only_workbook_is_saved_the_same_way():
    # make_sample.py streams its sheets through a write-only workbook
    def streamed() -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("regions")
        for row in ROWS:
            sheet.append(row)
        return saved(workbook)

    today = streamed()
    with another_day():
        assert streamed() == today
    assert [list(row) for row in load_workbook(io.BytesIO(today))["regions"].iter_rows(values_only=True)] == ROWS
