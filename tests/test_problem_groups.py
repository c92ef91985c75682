"""Grouped problems: one line per file, sheet, column, severity, message and suggestion, with the
first Excel row, the count and the rows (vawmap/ingest/problems.py group_problems); the CLI
prints one line per group ("rows 3–12, 14 … (665 rows)"), validate --json gives each group's
row, count and rows, and the Data page shows one row per group while its CSV lists every row.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.three_w_fixtures import (
    CASE_MANAGEMENT_ROWS,
    DIGNITY_KIT_ROWS,
    THREE_W_REGIONS_CSV,
    THREE_W_ROW_COUNT,
    THREE_W_SERVICES_CSV,
    run_cli_on_three_w,
)
from vawmap.ingest import ERROR, WARNING, group_problems, ingest, problem_records, rows_text
from vawmap.ingest.problems import RANGES_SHOWN, ProblemLog, row_list_text, row_runs
from vawmap.messages import message

APP = str(Path(__file__).parents[1] / "app.py")
MESSAGES = [message("problem.not_number", value=value) for value in ("12a", "lots", "x")]
FIX = message("problem.did_you_mean", value="12")


def three_w_groups():
    result = ingest([("services.csv", THREE_W_SERVICES_CSV), ("regions.csv", THREE_W_REGIONS_CSV)])
    return result, group_problems(result.problems)


# ── group_problems ────────────────────────────────────────────────────────────

# A chunk of problems as ingest logs them: which message, severity and column, and its rows.
chunks = st.lists(
    st.tuples(
        st.integers(0, len(MESSAGES) - 1),
        st.sampled_from([ERROR, WARNING]),
        st.sampled_from(["Capacity", "Region"]),
        st.lists(st.integers(2, 60), max_size=30) | st.none(),
    ),
    min_size=1,
    max_size=8,
)


def logged(found_chunks) -> ProblemLog:
    log = ProblemLog()
    for which, severity, column, rows in found_chunks:
        # A fresh but equal Message per chunk: grouping must not depend on the object.
        said = message(MESSAGES[which].key, **MESSAGES[which].params)
        log.add("f.xlsx", "services", severity, said, rows=rows, column=column, suggestion=FIX)
    return log


@given(chunks)
def test_group_counts_sum_to_the_problems_and_each_groups_rows_are_sorted_and_unique(found_chunks):
    problems = logged(found_chunks).frame()

    groups = group_problems(problems)

    assert groups["count"].sum() == len(problems)
    for rows in groups["rows"]:
        assert list(rows) == sorted(set(rows))
    for group in groups.itertuples():
        same = problems[
            (problems["severity"] == group.severity)
            & (problems["column"] == group.column)
            & (problems["message"] == group.message)
        ]
        assert len(same) == group.count
        assert set(group.rows) == set(same["row"].dropna())
        assert (group.row if group.rows else None) == (min(group.rows) if group.rows else None)
    keys = list(zip(groups["severity"], groups["column"], [said.key + str(said.params) for said in groups["message"]]))
    assert len(keys) == len(set(keys))  # one group per problem


@given(st.lists(st.integers(2, 200), min_size=1, max_size=60, unique=True))
def test_printed_ranges_cover_exactly_the_rows(rows):
    rows = sorted(rows)

    printed = row_list_text(rows, len(rows))

    covered = [
        row
        for part in printed.removesuffix(" …").split(", ")
        for first, _, last in [part.partition("–")]
        for row in range(int(first), int(last or first) + 1)
    ]
    if printed.endswith(" …"):
        assert len(row_runs(rows)) > RANGES_SHOWN
        assert covered == rows[: len(covered)] and len(covered) < len(rows)
    else:
        assert covered == rows


def test_rows_text_names_one_row_or_the_ranges_and_the_count():
    assert rows_text([7], 1) == "row 7"
    assert rows_text([3, 4, 5, 9], 4) == "rows 3–5, 9 (4 rows)"
    assert rows_text([3, 4, 5, 9], 4, "fr") == "lignes 3–5, 9 (4 lignes)"
    assert rows_text([2, 4, 6, 8, 10, 12, 14], 1_500) == "rows 2, 4, 6, 8, 10 … (1,500 rows)"
    assert rows_text([2, 3], 1_500, "es") == "filas 2–3 … (1.500 filas)"  # rows beyond those kept


def test_a_group_keeps_at_most_the_rows_asked_for_and_counts_them_all():
    log = ProblemLog()
    log.add("f.xlsx", "services", ERROR, MESSAGES[0], rows=range(2, 2_502), column="Capacity")

    [group] = group_problems(log.frame(), rows_kept=1_000).itertuples()

    assert group.count == 2_500
    assert group.rows == tuple(range(2, 1_002))
    assert group.row == 2


def test_a_problem_about_a_whole_file_is_a_group_without_rows():
    log = ProblemLog()
    log.add("photo.xlsx", "", ERROR, message("read.binary"))
    log.add("f.xlsx", "services", ERROR, MESSAGES[0], rows=[4], column="Capacity")

    groups = group_problems(log.frame())

    assert list(groups["file"]) == ["f.xlsx", "photo.xlsx"]
    assert groups["rows"].tolist() == [(4,), ()]
    assert groups["row"].isna().tolist() == [False, True]
    assert row_list_text((), 1) == ""


def test_the_3w_table_gives_one_group_per_unknown_service_type_in_row_order():
    result, groups = three_w_groups()

    assert result.counts["services"].rejected == len(CASE_MANAGEMENT_ROWS) + len(DIGNITY_KIT_ROWS)
    assert groups["rows"].tolist() == [CASE_MANAGEMENT_ROWS, DIGNITY_KIT_ROWS]
    assert groups["count"].tolist() == [len(CASE_MANAGEMENT_ROWS), len(DIGNITY_KIT_ROWS)]
    assert [said.params["value"] for said in groups["message"]] == ["Case management", "Dignity kits"]


# ── the CLI ───────────────────────────────────────────────────────────────────


def validate(capsys, tmp_path, *options: str) -> tuple[int, str]:
    return run_cli_on_three_w(capsys, tmp_path, "validate", *options)


def test_validate_prints_one_line_per_group_with_its_ranges_and_count(capsys, tmp_path):
    code, out = validate(capsys, tmp_path)

    problem_lines = [line for line in out.splitlines() if line.startswith("error:")]
    assert code == 1
    assert problem_lines == [
        "error: services.csv, services, rows 2–19, 21–22 (20 rows), column 'Service type': "
        "'Case management' is not a known service type. Use one of: " + problem_lines[0].split("Use one of: ")[1],
        "error: services.csv, services, rows 23–24 (2 rows), column 'Service type': "
        "'Dignity kits' is not a known service type. " + problem_lines[1].split("service type. ")[1],
    ]
    assert f"Services: {THREE_W_ROW_COUNT} rows, 3 accepted, 22 set aside" in out


def test_validate_words_the_rows_in_the_language_asked_for(capsys, tmp_path):
    _, out = validate(capsys, tmp_path, "--language", "es")

    assert "services.csv, services, filas 2–19, 21–22 (20 filas), columna 'Service type'" in out


def test_validate_json_gives_each_group_its_first_row_count_and_rows(capsys, tmp_path):
    code, out = validate(capsys, tmp_path, "--json")

    problems = json.loads(out)["problems"]
    assert code == 1
    assert [(p["row"], p["count"], p["rows"]) for p in problems] == [
        (2, len(CASE_MANAGEMENT_ROWS), list(CASE_MANAGEMENT_ROWS)),
        (23, len(DIGNITY_KIT_ROWS), list(DIGNITY_KIT_ROWS)),
    ]
    assert problems == problem_records(three_w_groups()[1])


# ── the Data page ─────────────────────────────────────────────────────────────


def test_the_data_page_shows_one_row_per_group_and_downloads_every_row(served):
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = app.switch_page("app_pages/data.py").run()
    app = app.file_uploader(key="upload").set_value(("services.csv", THREE_W_SERVICES_CSV, "text/csv")).run()

    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "Rows affected" in frame.value.columns)
    errors = table[table["Severity"] == "error"]
    assert errors[["Row", "Rows", "Rows affected"]].values.tolist() == [[2, "2–19, 21–22", 20], [23, "23–24", 2]]
    csv_rows = pd.read_csv(io.BytesIO(served[app.download_button(key="download_problems").proto.url]))
    assert len(csv_rows) == table["Rows affected"].sum() > len(table)  # the download lists every row
    assert sorted(csv_rows.loc[csv_rows["severity"] == "error", "row"]) == sorted(
        CASE_MANAGEMENT_ROWS + DIGNITY_KIT_ROWS
    )
