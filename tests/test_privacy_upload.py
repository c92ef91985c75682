"""An upload's problems and set-aside rows give no confidential service's place away: a bad
coordinate of a shelter is said to be wrong without being repeated, and a row that reads as a
shelter is confidential while set aside, whatever its misspelt type."""

from __future__ import annotations

import json

import pytest

from tests.privacy_fixtures import OPEN_BAD_LATITUDE, SERVICES_CSV, SHELTERS_PLACES
from vawmap.dashboard.data import csv_bytes
from vawmap.dataset import sample_dataset
from vawmap.ingest import ingest, problem_records, render_problems
from vawmap.privacy import public_view

LANGUAGES = ("en", "fr", "es")


@pytest.fixture(scope="module")
def result():
    return ingest([("services.csv", SERVICES_CSV)], {"regions": sample_dataset()["regions"]})


def places_in(text: str) -> list[str]:
    return [place for place in SHELTERS_PLACES if place in text]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_problems_never_repeat_a_shelters_place(result, language):
    shown = render_problems(result.problems, language)
    assert places_in(shown.to_csv()) == []
    assert places_in(csv_bytes(shown).decode("utf-8-sig")) == []
    assert places_in(json.dumps(problem_records(result.problems, language), ensure_ascii=False)) == []


def test_a_shelters_bad_coordinates_are_still_reported_where_they_are(result):
    records = problem_records(result.problems)
    unsaid = [(record["row"], record["column"]) for record in records if record["key"] == "problem.confidential_cell"]
    assert sorted(unsaid) == [(3, "latitude"), (3, "longitude")]
    assert all(record["params"] == {} and record["suggestion"] for record in records if record["row"] == 3)


def test_an_open_services_bad_coordinate_is_still_repeated(result):
    assert any(OPEN_BAD_LATITUDE in text for text in render_problems(result.problems)["message"])


def test_a_misspelt_shelter_is_set_aside_as_confidential(result):
    set_aside = result.set_aside["services"]
    assert set_aside["service_type"].tolist() == ["safe accomodation"]
    assert set_aside["confidential"].tolist() == [True]


def test_the_set_aside_rows_show_no_shelters_place(result):
    assert places_in(result.set_aside["services"].to_csv())  # the rows set aside hold it
    download = csv_bytes(public_view("services", result.set_aside["services"])).decode("utf-8-sig")
    assert "Hidden Refuge" in download and places_in(download) == []


SHELTER_MARKED_OPEN_CSV = (
    b"provider,service_type,region,district,location,confidential\n"
    b"Shelter,Emergency shelter for women,Highcrest,Quietdale,7 Secret Lane,no\n"
)


def test_a_row_that_reads_as_a_shelter_shows_no_place_while_set_aside_even_marked_open():
    result = ingest([("services.csv", SHELTER_MARKED_OPEN_CSV)], {"regions": sample_dataset()["regions"]})
    set_aside = result.set_aside["services"]
    assert set_aside["confidential"].tolist() == [False]  # as the file says
    assert places_in(csv_bytes(public_view("services", set_aside)).decode("utf-8-sig")) == []
