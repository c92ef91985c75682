"""vawmap/privacy.py, the choke point: what a view of the services sends to the browser, byte
for byte, and which services are located by region only."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.privacy_fixtures import PLACING_COLUMNS, arrow_bytes, leaks, secrets_of
from vawmap.dashboard import regional
from vawmap.dataset import sample_dataset
from vawmap.gaps.assess import assess
from vawmap.privacy import confidential_services, public_view, reads_as_shelter


@pytest.fixture(scope="module")
def services() -> pd.DataFrame:
    return sample_dataset()["services"]


def test_the_sample_has_confidential_places_to_hide(services):
    secrets = secrets_of(services)
    assert len(secrets["coordinates"]) >= 2 * 29 - 2 and len(secrets["addresses"]) == 29
    found = leaks(arrow_bytes(services), secrets)
    assert len(found) == len(secrets["coordinates"]) + len(secrets["addresses"])  # the search finds each


def test_the_public_view_of_the_services_sends_no_confidential_coordinate_or_address(services):
    assert leaks(arrow_bytes(public_view("services", services)), secrets_of(services)) == []


def test_a_masked_column_would_still_send_its_hidden_values(services):
    """Why the view is built anew: masking keeps the values under the nulls, and Arrow sends them."""
    secrets = secrets_of(services)
    hidden = services["confidential"].fillna(True).astype(bool)
    masked = services.assign(latitude=services["latitude"].mask(hidden))
    assert masked.loc[hidden, "latitude"].isna().all()
    assert leaks(arrow_bytes(masked[["latitude"]]), secrets)


def test_the_public_view_keeps_every_open_services_place(services):
    public = public_view("services", services)
    open_ = ~services["confidential"].fillna(True).astype(bool)
    assert open_.sum() == 531
    pd.testing.assert_frame_equal(public.loc[open_, PLACING_COLUMNS], services.loc[open_, PLACING_COLUMNS])
    assert public.loc[~open_, PLACING_COLUMNS].isna().all().all()
    assert public[PLACING_COLUMNS].dtypes.tolist() == services[PLACING_COLUMNS].dtypes.tolist()


def test_a_categorical_place_column_sends_no_hidden_category(services):
    """A category list holds every value, those of hidden rows included."""
    categorical = services.assign(location=services["location"].astype("category"))
    sent = arrow_bytes(public_view("services", categorical))
    assert leaks(sent, secrets_of(services)) == []


def test_every_regions_drill_down_sends_no_confidential_place(services):
    assessment = assess(sample_dataset().frames)
    secrets = secrets_of(services)
    for region in services["region"].dropna().unique():
        detail = regional.region_detail(services, assessment, region)
        assert leaks(arrow_bytes(detail.services), secrets) == [], region


SHELTER_DISTRICT, SHELTER_ADDRESS = "Quietdale", "7 Secret Lane"
# What a services sheet may say about confidentiality, one row each: a shelter left blank, a
# shelter the file marks open, a helpline left blank (unknown: confidential), an open helpline,
# and types outside the vocabulary: a misspelt shelter marked open, a refuge in French, a legal
# clinic (not a shelter).
SERVICES_BY_CONFIDENTIALITY = pd.DataFrame(
    {
        "provider": list("ABCDEFG"),
        "service_type": [
            "safe_accommodation",
            "safe_accommodation",
            "helpline",
            "helpline",
            "safe accomodation",
            "Foyer d'hébergement d'urgence",
            "legal clinic",
        ],
        "region": ["North"] * 7,
        "district": [SHELTER_DISTRICT] * 7,
        "location": [SHELTER_ADDRESS] * 7,
        "latitude": pd.array([6.5] * 7, dtype="Float64"),
        "longitude": pd.array([-10.1] * 7, dtype="Float64"),
        "confidential": pd.array([None, False, None, False, False, None, None], dtype="boolean"),
    }
)
HIDDEN_WHEN_BLANK_IS_CONFIDENTIAL = [True, False, True, False, True, True, True]
HIDDEN_WHEN_BLANK_TAKES_THE_DEFAULT = [True, False, False, False, True, True, False]


def test_which_services_are_located_by_region_only():
    assert confidential_services(SERVICES_BY_CONFIDENTIALITY).tolist() == HIDDEN_WHEN_BLANK_IS_CONFIDENTIAL
    during_upload = confidential_services(SERVICES_BY_CONFIDENTIALITY, blank_is_confidential=False)
    assert during_upload.tolist() == HIDDEN_WHEN_BLANK_TAKES_THE_DEFAULT


def test_a_services_view_without_a_confidential_column_locates_nobody():
    public = public_view("services", SERVICES_BY_CONFIDENTIALITY.drop(columns="confidential"))
    assert public[PLACING_COLUMNS].isna().all().all()


def test_each_hidden_service_alone_sends_no_place_and_each_open_one_sends_its_own():
    secrets = {"coordinates": [6.5, -10.1], "addresses": [SHELTER_ADDRESS, SHELTER_DISTRICT]}
    for position, hidden in enumerate(HIDDEN_WHEN_BLANK_IS_CONFIDENTIAL):
        one = SERVICES_BY_CONFIDENTIALITY.iloc[[position]]
        found = leaks(arrow_bytes(public_view("services", one)), secrets)
        assert found == ([] if hidden else ["6.5", "-10.1", SHELTER_ADDRESS, SHELTER_DISTRICT]), position


@pytest.mark.parametrize(
    "service_type",
    [
        "safe_accommodation",
        "Safe accommodation",
        "safe accomodation",
        "Emergency shelter for women",
        "women's sheltre",
        "Refuge",
        "safe house",
        "Foyer pour femmes",
        "Hébergement d'urgence",
        "Albergue temporal",
        "Casa de acogida para mujeres",
    ],
)
def test_a_type_that_reads_as_a_shelter_is_taken_for_one(service_type):
    assert reads_as_shelter(service_type)


@pytest.mark.parametrize(
    "service_type", ["helpline", "legal_aid", "legal aide", "one stop centre", "post rape care", "counselling", None]
)
def test_other_types_are_not_taken_for_a_shelter(service_type):
    assert not reads_as_shelter(service_type)
