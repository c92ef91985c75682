"""Bounded reading: what a workbook asks of the reader is measured before it is parsed, the upload
check runs in a child process with memory and time limits, and its cache holds a bounded number
of bytes. The hostile corpus (tests/hostile_corpus.py) runs through the upload check; the
benchmark (`python -m vawmap.bench hostile`) runs the whole of it, with the big files, and
measures time and memory."""

from __future__ import annotations

import io
import os
import pickle
import signal
import sys
import types
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import python_calamine
from streamlit.testing.v1 import AppTest

from tests.hostile_corpus import (
    CASES,
    LOADS,
    ODS_EMPTY_REST,
    ODS_SERVICES,
    REFUSED,
    SERVICE_ROWS_XML,
    Case,
    bomb,
    far_cell,
    inline_row,
    raw_ods,
    raw_xlsx,
    sheet_xml,
)
from vawmap.dataset import sample_dataset
from vawmap.ingest import ERROR, bounds, ingest, isolated
from vawmap.ingest.isolated import PickledResults, ingest_isolated, upload_digest
from vawmap.ingest.read import UnreadableFile, read_upload
from vawmap.messages import render

APP = str(Path(__file__).parents[1] / "app.py")
FAST_CASES = [case for case in CASES if case.fast]
FAR_CELL = far_cell(None)
FAR_FORMAT_ONLY = far_cell("A1:XFD1048576", '<row r="1048576"><c r="XFD1048576" s="1"/></row>')
LYING_DIMENSION = far_cell("A1:C2")
BOMB = bomb(40, 100_000)
PLAIN_SERVICES = b"Provider,Service type,Region\nMoH,Helpline,Grand Bassa\n"
TEN_MB_CELL_CSV = b"Provider,Service type,Region\n" + b"x" * (10 * 1024 * 1024) + b",Helpline,Grand Bassa\n"


def refusal(data: bytes, name: str = "book.xlsx") -> UnreadableFile:
    with pytest.raises(UnreadableFile) as raised:
        read_upload(name, data)
    return raised.value


def errors_of(result) -> pd.DataFrame:
    return result.problems[result.problems["severity"] == ERROR]


# ── the hostile corpus, through the upload check ─────────────────────────────

UNHURRIED_SECONDS = 120


@pytest.mark.parametrize("case", FAST_CASES, ids=[case.name for case in FAST_CASES])
def test_every_file_of_the_hostile_corpus_gets_its_answer_from_the_upload_check(case: Case, tmp_path):
    data = case.write(tmp_path).read_bytes()

    # The file's own bounds must answer it, whatever the machine's load: the time limit is
    # widened here, and `python -m vawmap.bench hostile` measures each answer against the real one.
    result = ingest_isolated([(case.name, data)], seconds=UNHURRIED_SECONDS)

    if case.expect == REFUSED:
        assert result.unreadable == (case.name,)
        assert [message.key for message in errors_of(result)["message"]] == [case.key]
    elif case.expect == LOADS:
        assert result.unreadable == ()
        assert sum(counts.accepted for counts in result.counts.values()) >= 1
    assert "read.beyond_limits" not in {message.key for message in result.problems["message"]}


def test_survivor_names_of_the_corpus_reach_nothing_the_check_returns(tmp_path):
    case = next(case for case in CASES if case.name == "survivor_headers.csv")
    result = ingest_isolated([(case.name, case.write(tmp_path).read_bytes())])

    assert "A. B." not in pickle.dumps(result).decode("latin-1")


# ── measured before parsing ──────────────────────────────────────────────────


def test_a_cell_at_xfd1048576_is_refused_naming_its_sheet_and_cell_before_the_reader_runs(monkeypatch):
    def never(*_):
        raise AssertionError("the workbook was handed to the reader")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)

    refused = refusal(FAR_CELL)

    assert refused.message.key == "read.too_many_cells"
    said = render(refused.message, "en")
    assert "'services'" in said and "XFD1048576" in said and "5,000,000" in said
    assert "Ctrl+End" in render(refused.suggestion, "en")


def test_a_dimension_that_lies_is_not_trusted():
    assert refusal(LYING_DIMENSION).message.key == "read.too_many_cells"


def test_a_sheet_formatted_far_away_is_read_by_the_cells_that_hold_something():
    result = ingest([("formatted.xlsx", FAR_FORMAT_ONLY)])

    assert result.frames["services"]["provider"].tolist() == ["MoH"]


def test_a_zip_bomb_is_refused_from_the_zip_directory_without_unpacking(monkeypatch):
    def never(*_args, **_kwargs):
        raise AssertionError("a part was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)

    refused = refusal(BOMB)

    assert refused.message.key == "read.zip_bomb"
    assert refused.message.params["part"] == "xl/worksheets/sheet1.xml"


def test_a_workbook_that_unpacks_past_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_UNPACKED_MB", 1)
    big = raw_xlsx({"services": sheet_xml(SERVICE_ROWS_XML + "<!--" + "x" * 2 * 1024 * 1024 + "-->")})

    assert refusal(big).message.key == "read.unpacks_too_large"


def test_the_cells_of_all_sheets_together_are_bounded(monkeypatch):
    # Each sheet is within the limit; together they are not.
    monkeypatch.setattr(bounds, "MAX_CELLS", 10)
    two_sheets = raw_xlsx({"services": sheet_xml(SERVICE_ROWS_XML), "more": sheet_xml(SERVICE_ROWS_XML)})

    assert refusal(two_sheets).message.key == "read.workbook_too_many_cells"


def test_an_ods_sheet_of_repeated_empty_rows_uses_nothing():
    result = ingest([("table.ods", raw_ods(ODS_SERVICES + ODS_EMPTY_REST))])

    assert result.frames["services"]["provider"].tolist() == ["MoH"]


def scanned(rows_xml: str, quick: bool) -> tuple[int, int]:
    archive = zipfile.ZipFile(io.BytesIO(raw_xlsx({"services": sheet_xml(rows_xml)})))
    [(_, part)] = bounds.sheet_parts(archive)
    scan = bounds._scan_cells(archive, part, quick=quick)
    return scan.rows, scan.columns


def test_a_big_sheet_is_bounded_by_z99999_then_read_cell_by_cell_from_its_first_far_reference():
    rows_xml = "".join(inline_row(number, ["MoH", "Helpline", "Grand Bassa"]) for number in range(1, 20_001))
    rows_xml += inline_row(150_000, ["MoH", "Helpline", "Grand Bassa"])  # past row 99,999

    assert scanned(rows_xml, quick=True) == (150_000, 26)
    assert scanned(rows_xml, quick=False) == (150_000, 3)


def test_a_cell_is_counted_at_the_row_it_names_whatever_row_holds_it():
    assert scanned('<row r="1"><c r="B90000"><v>1</v></c></row>', quick=True) == (90_000, 2)


# ── the child process ────────────────────────────────────────────────────────


def test_a_check_past_its_time_is_stopped_and_named():
    result = ingest_isolated([("slow.csv", TEN_MB_CELL_CSV)], seconds=0.05)

    [error] = errors_of(result)["message"]
    assert error.key == "read.beyond_limits"
    assert error.params["why"].key == "read.limit_reason.time"
    assert result.unreadable == ("slow.csv",) and result.frames == {}


def test_a_check_past_its_memory_is_stopped_and_named():
    result = ingest_isolated([("big.csv", TEN_MB_CELL_CSV)], memory_mb=64)

    [error] = errors_of(result)["message"]
    assert error.key == "read.beyond_limits"
    assert error.params["why"].key in ("read.limit_reason.memory", "read.limit_reason.stopped")


def test_a_check_whose_answer_is_too_large_to_show_is_named():
    result = ingest_isolated([("services.csv", PLAIN_SERVICES)], answer_mb=0.001)

    [error] = errors_of(result)["message"]
    assert error.params["why"].key == "read.limit_reason.answer"
    assert "python -m vawmap validate" in render(error, "en")


def test_several_files_past_the_limits_are_named_together():
    result = ingest_isolated([("a.csv", TEN_MB_CELL_CSV), ("b.csv", PLAIN_SERVICES)], seconds=0.05)

    [error] = errors_of(result)["message"]
    assert error.key == "read.beyond_limits_files"
    assert result.unreadable == ("a.csv", "b.csv")


def test_the_isolated_check_gives_what_ingest_gives():
    known = {name: sample_dataset()[name] for name in ("regions", "actors")}
    uploads = [("services.csv", PLAIN_SERVICES + b"Nobody,helpline,Northmor\n")]

    isolated, direct = ingest_isolated(uploads, known), ingest(uploads, known)

    pd.testing.assert_frame_equal(isolated.frames["services"], direct.frames["services"])
    pd.testing.assert_frame_equal(isolated.problems, direct.problems)


# ── the cache of checks ──────────────────────────────────────────────────────


def test_the_cache_of_checks_holds_at_most_its_bytes_the_least_recently_used_out_first():
    cache = PickledResults(max_bytes=100)
    cache.put("a", b"x" * 40)
    cache.put("b", b"y" * 40)
    assert cache.get("a") == b"x" * 40  # now the most recently used

    cache.put("c", b"z" * 40)
    cache.put("huge", b"!" * 101)

    assert (cache.get("a"), cache.get("b"), cache.get("c"), cache.get("huge")) == (b"x" * 40, None, b"z" * 40, None)
    assert cache.held_bytes() <= 100


def test_a_check_is_keyed_on_the_names_bytes_and_known_frames():
    known = {"regions": pd.DataFrame({"region": ["Grand Bassa"]})}
    key = upload_digest([("a.csv", PLAIN_SERVICES)], known)

    assert key == upload_digest([("a.csv", PLAIN_SERVICES)], {"regions": known["regions"].copy()})
    assert key != upload_digest([("b.csv", PLAIN_SERVICES)], known)
    assert key != upload_digest([("a.csv", PLAIN_SERVICES + b"\n")], known)
    assert key != upload_digest([("a.csv", PLAIN_SERVICES)], {})
    # The bytes are not split differently between files to give the same key.
    assert upload_digest([("a", b"xy"), ("b", b"")]) != upload_digest([("a", b"x"), ("b", b"y")])


# ── the page ─────────────────────────────────────────────────────────────────


def test_the_data_page_refuses_a_far_cell_and_keeps_what_is_loaded():
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = app.switch_page("app_pages/data.py").run()
    regions_before = app.session_state["dataset"]["regions"].copy()

    app = app.file_uploader(key="upload").set_value(("far.xlsx", FAR_CELL, "application/octet-stream")).run()

    assert not app.exception
    problems = next(frame.value for frame in app.dataframe if "far.xlsx" in frame.value.iloc[:, 0].tolist())
    assert problems.map(lambda cell: "XFD1048576" in str(cell)).any().any()
    pd.testing.assert_frame_equal(app.session_state["dataset"]["regions"], regions_before)


def test_a_child_that_dies_without_answering_is_said_to_have_stopped():
    # As a reader aborting, or the kernel killing the child, leaves it.
    def kill(pid: int) -> None:
        os.kill(pid, signal.SIGKILL)

    result = pickle.loads(isolated.pickled_ingest([("services.csv", PLAIN_SERVICES)], on_start=kill))

    [error] = errors_of(result)["message"]
    assert error.params["why"].key == "read.limit_reason.stopped"


def test_the_helper_that_forks_the_checks_is_started_again_when_it_has_ended():
    ingest_isolated([("services.csv", PLAIN_SERVICES)])
    helper = isolated._FORK_SERVER._process
    assert helper is not None
    helper.kill()
    helper.wait()

    result = ingest_isolated([("services.csv", PLAIN_SERVICES)])

    assert result.frames["services"]["provider"].tolist() == ["MoH"]


def test_a_check_never_runs_the_parents_main_script(monkeypatch, tmp_path):
    # Streamlit runs each page as sys.modules["__main__"]; multiprocessing's forkserver would run
    # that page again in every child.
    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)

    result = ingest_isolated([("services.csv", PLAIN_SERVICES)])

    assert result.frames["services"]["provider"].tolist() == ["MoH"]
    assert not marker.exists()
