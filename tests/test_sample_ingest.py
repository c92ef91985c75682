"""The bundled sample workbook goes through ingest like any upload: no error, no warning, and
every row of every sheet accepted."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from vawmap.contract import SHEET_ORDER, sheet
from vawmap.dataset import SAMPLE_WORKBOOK, sample_dataset
from vawmap.ingest import ingest


@pytest.fixture(scope="module")
def result():
    return ingest([(SAMPLE_WORKBOOK.name, SAMPLE_WORKBOOK.read_bytes())])


@pytest.fixture(scope="module")
def data_rows() -> dict[str, int]:
    """Rows below the header that hold anything, per sheet, counted with openpyxl."""
    workbook = load_workbook(SAMPLE_WORKBOOK, read_only=True)
    return {
        worksheet.title: sum(
            any(value not in (None, "") for value in row) for row in worksheet.iter_rows(min_row=2, values_only=True)
        )
        for worksheet in workbook.worksheets
    }


def test_sample_has_no_errors(result):
    assert result.ok
    assert result.problems[result.problems["severity"] == "error"].empty


def test_sample_has_no_warnings(result):
    assert result.problems.empty, result.problems.head(10).to_dict("records")


def test_sample_is_readable(result):
    assert result.unreadable == ()
    assert result.sources == (SAMPLE_WORKBOOK.name,)


def test_sample_has_all_five_sheets(result):
    assert list(result.frames) == list(SHEET_ORDER)
    assert list(result.counts) == list(SHEET_ORDER)


@pytest.mark.parametrize("sheet_name", SHEET_ORDER)
def test_sample_counts_match_the_rows_of_each_sheet(result, data_rows, sheet_name):
    counts = result.counts[sheet_name]

    assert counts.rows == data_rows[sheet_name] > 0
    assert counts.accepted == counts.rows
    assert counts.rejected == 0
    assert len(result.frames[sheet_name]) == data_rows[sheet_name]


def test_sample_sets_nothing_aside(result):
    assert result.set_aside == {}


@pytest.mark.parametrize("sheet_name", SHEET_ORDER)
def test_sample_frames_have_every_canonical_column(result, sheet_name):
    assert set(sheet(sheet_name).columns) <= set(result.frames[sheet_name].columns)


def test_every_sample_service_provider_resolves_to_an_actor(result):
    services = result.frames["services"]

    assert services["provider_id"].notna().all()
    assert set(services["provider_id"]) <= set(result.frames["actors"]["actor_id"])


def test_every_sample_link_resolves_to_actors(result):
    links = result.frames["links"]

    assert links["source_id"].notna().all() and links["target_id"].notna().all()


def test_sample_dataset_holds_the_ingested_rows(result):
    dataset = sample_dataset()

    assert dataset.is_sample
    assert dataset.counts() == {name: len(result.frames[name]) for name in SHEET_ORDER}
