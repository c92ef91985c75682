"""CSV at any size (vawmap/ingest/read.py): Arrow reads CSV cells and the csv module takes
over for what Arrow refuses; both give the same grid, the same frames and the same problems.
The CLI reads local files over the browser's upload limit, and says why a file cannot be read.
Problems on many rows are logged in bulk, and duplicate rows are found as before."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vawmap.ingest.bounds as bounds
import vawmap.ingest.read as read
from vawmap.bench import build_services_csv
from vawmap.cli import main
from vawmap.contract import sheet
from vawmap.ingest import ingest, normalise, parallel, pipeline, problem_records
from vawmap.ingest.normalise import _Bad, _plain_numbers, normalise_column, to_number
from vawmap.ingest.problems import UnreadableFile
from vawmap.messages import message, render

HEADER = "Provider,Service type,Region,District,Capacity,Latitude\n"
ROWS = (
    "MoH,Helpline,Grand Bassa,Buchanan,12,6.5\n"
    "WLAN,Legal aid,Montserrado,,abc,6.31\n"
    "MoH,Refuge,Grand Basa,Upper,7,95\n"
    "Police,police,Bong,Gbarnga,1 000,7.0\n"
)
SERVICES = HEADER + ROWS

# name -> file bytes: the odd shapes real CSV files come in.
ODD_CSVS = {
    "comma.csv": SERVICES.encode(),
    "semicolon.csv": SERVICES.replace(",", ";").encode(),
    "tab.csv": SERVICES.replace(",", "\t").encode(),
    "crlf.csv": SERVICES.replace("\n", "\r\n").encode(),
    "latin1.csv": (HEADER + "Ministère,Refuge,Région Nord,Kakata,3,6.1\n").encode("latin-1"),
    "cp1252.csv": (HEADER + "Ministère – Santé,Refuge,Grand Bassa,,3,6.1\n").encode("cp1252"),
    "utf8_bom.csv": SERVICES.encode("utf-8-sig"),
    "utf16_bom.csv": SERVICES.encode("utf-16"),
    "utf16_le_no_bom.csv": SERVICES.encode("utf-16-le"),
    "utf16_be_no_bom.csv": SERVICES.encode("utf-16-be"),
    "quoted_newlines.csv": (HEADER + '"MoH, central",Helpline,Grand Bassa,"Upper\nBuchanan",2,6\n' + ROWS).encode(),
    "doubled_quotes.csv": (HEADER + 'MoH,Helpline,Grand Bassa,"the ""old"" town",2,6\n').encode(),
    "stray_quotes.csv": (HEADER + 'MoH "central",Help"line,Grand Bassa,,2,6\n').encode(),
    "blank_lines.csv": (HEADER + "\n" + ROWS + "\n\n,,,,,\n").encode(),
    "no_final_newline.csv": SERVICES.rstrip("\n").encode(),
    "title_rows.csv": ("Service mapping 2026\nAll regions;\n\n" + SERVICES).encode(),
    "title_rows_padded.csv": ("Service mapping 2026,,,,,\n,,,,,\n" + SERVICES).encode(),
    "hxl_row.csv": (HEADER + "#org,#service+type,#adm1,#adm2,,#geo+lat\n" + ROWS).encode(),
    "ragged_rows.csv": (HEADER + ROWS + "MoH,Helpline,Grand Bassa\nWLAN,Legal aid,Bong,Kakata,4,6.2,extra\n").encode(),
    "wider_title.csv": ("a,b,c,d,e,f,g,h\n" + SERVICES).encode(),
    "duplicates.csv": (HEADER + ROWS + ROWS.splitlines(keepends=True)[0] * 2).encode(),
}
# The files the csv module reads instead of Arrow: rows of another width below the header, and
# a title row wider than the header.
FALLBACK = {"ragged_rows.csv", "wider_title.csv"}


def without_arrow(monkeypatch) -> None:
    monkeypatch.setattr(read, "_arrow_grid", lambda *arguments: None)


@pytest.mark.parametrize("name", sorted(ODD_CSVS))
def test_arrow_and_the_csv_module_read_the_same_grid(name):
    data = ODD_CSVS[name]
    text = read._decode(data)
    delimiter, width = read._sniff(text)
    assert (read._arrow_grid(text, delimiter, width) is None) == (name in FALLBACK)  # the text, encoded again
    by_arrow = read.read_csv(name, data)
    by_csv = read.read_csv(name, data, use_arrow=False)
    pd.testing.assert_frame_equal(by_arrow.cells.astype(object), by_csv.cells, check_column_type=False)


@pytest.mark.parametrize("name", sorted(ODD_CSVS))
def test_arrow_and_the_csv_module_give_the_same_frames_and_problems(name, monkeypatch):
    by_arrow = ingest([(name, ODD_CSVS[name])])
    without_arrow(monkeypatch)
    by_csv = ingest([(name, ODD_CSVS[name])])
    assert by_arrow.frames.keys() == by_csv.frames.keys()
    for sheet_name, frame in by_arrow.frames.items():
        pd.testing.assert_frame_equal(frame, by_csv.frames[sheet_name])
    assert problem_records(by_arrow.problems) == problem_records(by_csv.problems)
    assert by_arrow.counts == by_csv.counts


def test_a_quote_never_closed_is_named_whichever_reader_meets_it():
    data = (HEADER + 'MoH,"Helpline,Grand Bassa,,1,6\n' + "MoH,Helpline,Grand Bassa,,1,6\n" * 50).encode()
    with pytest.raises(UnreadableFile) as by_arrow:
        read.read_csv("quote.csv", data)
    with pytest.raises(UnreadableFile) as by_csv:
        read.read_csv("quote.csv", data, use_arrow=False)
    assert by_arrow.value.message == by_csv.value.message == message("read.unclosed_quote", line=2)


def test_duplicate_rows_are_set_aside_and_named_as_before():
    result = ingest([("duplicates.csv", ODD_CSVS["duplicates.csv"])])
    duplicates = [record for record in problem_records(result.problems) if record["key"] == "problem.duplicate_row"]
    assert [(record["row"], record["params"]) for record in duplicates] == [(6, {"row": 2}), (7, {"row": 2})]
    assert result.counts["services"].rejected == 2


def big_csv(rows: int) -> bytes:
    """A services CSV of `rows` distinct rows, each with a long unknown column (so few rows
    make many megabytes, and the test stays fast)."""
    notes = "n" * 1000
    lines = ["Provider,Service type,Region,District,Notes\n"]
    lines += [f"MoH,Helpline,Grand Bassa,District {number},{notes}\n" for number in range(rows)]
    return "".join(lines).encode()


def test_the_cli_reads_a_local_csv_over_the_upload_limit(capsys, tmp_path):
    data = big_csv(52_000)
    assert len(data) > read.UPLOAD_LIMIT_MB * 1024 * 1024
    path = tmp_path / "services.csv"
    path.write_bytes(data)
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "Services: 52,000 rows, 52,000 accepted, 0 set aside" in out
    assert err == ""
    # A browser upload of the same bytes is still refused, before anything is read.
    uploaded = ingest([("services.csv", data)])
    assert uploaded.unreadable == ("services.csv",)
    assert uploaded.problems["message"].iloc[0].key == "read.too_large"


@pytest.mark.parametrize(
    ("data", "limit", "said"),
    [
        (
            (HEADER + 'MoH,"Helpline,Grand Bassa,,1,6\n').encode(),
            None,
            message("read.unclosed_quote", line=2),
        ),
        (b"Provider,Region\x00\x00\x01\n", None, message("read.binary")),
        (SERVICES.encode(), 10, None),  # over the cell budget of a local CSV
    ],
)
def test_gaps_says_why_a_csv_cannot_be_read(capsys, tmp_path, monkeypatch, data, limit, said):
    if limit is not None:
        monkeypatch.setattr(bounds, "CSV_LOCAL_MAX_CELLS", limit)
        said = message("read.csv_too_many_cells", rows=5, columns=6, cells=30, limit=10)
    path = tmp_path / "services.csv"
    path.write_bytes(data)
    assert main(["gaps", str(path)]) == 2
    _, err = capsys.readouterr()
    assert "services.csv" in err
    assert render(said, "en") in err


@pytest.mark.parametrize("whole", [True, False])
def test_plain_numbers_read_by_arrow_are_what_to_number_gives(whole):
    values = ["12", "12.5", "-0", "+.5", "5.", "1e3", "1e999", "99999999999999999999", "12.0", "007"]
    values += ["30.415", "12,5", " 3", "1_0", "abc", "1 000", None, 3.0]  # left to to_number
    fast = _plain_numbers(values, whole)
    for value, result in zip(values, fast):
        if isinstance(value, str) and value in ("30.415", "12,5", " 3", "1_0", "abc", "1 000"):
            assert not isinstance(result, (int, float, _Bad)), value
            continue
        if not isinstance(value, str):
            continue
        expected = to_number(value, whole)
        if isinstance(expected, _Bad):
            assert isinstance(result, _Bad) and result.why == expected.why, value
        else:
            assert result == expected and type(result) is type(expected), value


NUMBER_CELLS = [
    "12",
    "",
    "12.5",
    "30.415",
    "1 000",
    "abc",
    "1e999",
    "-0",
    "12,5",
    "7",
    "abc",
    " 3",
    "99999999999999999999",
]


# Columns every cell of which one Arrow cast reads (the fast path), with the cells where Arrow
# and to_number could part: infinities, NaN, signs, exponents, leading zeros, a point group.
CLEAN_DECIMAL_CELLS = ["12", "", "12.5", "-18.828", "30.415", "+.5", "5.", "1e3", "1e999", "inf", "-Infinity", "nan"]
CLEAN_WHOLE_CELLS = ["12", "", "007", "-0", "1e3", "1e999", "99999999999999999999", "inf", "nan", "+4"]


def _assert_converts_as_value_by_value(column: str, cells: list[str]) -> None:
    spec = sheet("services").columns[column]
    texts = pd.Series(cells, dtype="str")
    by_row, unparsed_by_row = normalise_column(texts, spec)
    by_value, unparsed_by_value = normalise._by_distinct_value(texts.astype(object), spec)
    pd.testing.assert_series_equal(by_row, by_value)
    assert sorted((str(item.value), item.positions.tolist(), item.why) for item in unparsed_by_row) == sorted(
        (str(item.value), item.positions.tolist(), item.why) for item in unparsed_by_value
    )


@pytest.mark.parametrize(("column", "cells"), [("latitude", CLEAN_DECIMAL_CELLS), ("capacity", CLEAN_WHOLE_CELLS)])
def test_a_clean_number_column_cast_at_once_converts_as_value_by_value(column, cells):
    _assert_converts_as_value_by_value(column, cells * 3)


@settings(max_examples=300, deadline=None)
@given(
    column=st.sampled_from(["latitude", "capacity"]),
    cells=st.lists(st.text(alphabet="0123456789.,+-eE infa_ ", max_size=8), min_size=1, max_size=12),
)
def test_any_number_column_of_text_converts_as_value_by_value(column, cells):
    _assert_converts_as_value_by_value(column, cells)


@pytest.mark.parametrize("column", ["capacity", "latitude"])
def test_a_number_column_read_by_arrow_converts_as_value_by_value(column):
    spec = sheet("services").columns[column]
    cells = pd.Series(NUMBER_CELLS * 3, dtype="str")
    assert normalise._arrow_text(cells)
    by_row, unparsed_by_row = normalise_column(cells, spec)
    by_value, unparsed_by_value = normalise._by_distinct_value(cells.astype(object), spec)
    pd.testing.assert_series_equal(by_row, by_value)
    assert [(item.value, item.positions.tolist(), item.why) for item in unparsed_by_row] == [
        (item.value, item.positions.tolist(), item.why) for item in unparsed_by_value
    ]
    assert unparsed_by_row  # the test has bad cells to name


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from([1.5, 2.0, None]), st.sampled_from(["x", ""])),
        max_size=30,
    )
)
def test_rows_in_doubt_narrowed_column_by_column_are_every_repeated_row(rows):
    content = pd.DataFrame(rows, columns=["name", "number", "note"]).astype(
        {"name": "string", "number": "Float64", "note": "string"}
    )
    in_doubt = set(pipeline._maybe_repeated(content).tolist())
    assert in_doubt == set(np.flatnonzero(content.duplicated(keep=False)).tolist())


# A row with a bad cell of four kinds, after a generated CSV: problems are named from threads too.
BAD_ROW = b"Org 1,shelter,Region 01,,,north,,12.5,maybe,,,,31/02/2026\n"


def test_columns_converted_on_threads_give_what_one_thread_gives(monkeypatch):
    data = [("services.csv", build_services_csv(3_000) + BAD_ROW)]
    monkeypatch.setattr(parallel, "ROWS_WORTH_THREADS", 10**9)
    one_thread = ingest(data)
    pools = []
    monkeypatch.setattr(parallel, "ROWS_WORTH_THREADS", 0)
    monkeypatch.setattr(parallel, "ThreadPoolExecutor", lambda *a, **k: pools.append(a) or ThreadPoolExecutor(*a, **k))
    on_threads = ingest(data)
    assert pools  # the columns were converted on threads
    pd.testing.assert_frame_equal(on_threads.frames["services"], one_thread.frames["services"])
    assert problem_records(on_threads.problems) == problem_records(one_thread.problems)
    named = {record["column"] for record in problem_records(one_thread.problems)}
    assert {"Latitude", "Capacity", "Open 24/7", "Last verified"} <= named  # bad cells of four kinds, named


def test_a_byte_order_mark_after_title_rows_is_read_as_before():
    # Arrow strips a mark at the start of what it reads: it must read the rows below the titles as one stream.
    assert read.read_csv("f.csv", b"T\n\xef\xbb\xbfa,b").cells.values.tolist() == [["T", ""], ["a", "b"]]


def test_rows_set_aside_name_their_file_and_sheet_as_text():
    result = ingest([("duplicates.csv", ODD_CSVS["duplicates.csv"])])
    aside = result.set_aside["services"]
    assert str(aside[pipeline.FILE].dtype) == str(aside[pipeline.SHEET].dtype) == "str"
    assert set(aside[pipeline.FILE]) == {"duplicates.csv"}
