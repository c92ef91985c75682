"""vawmap.dashboard.regional: what the map colours by, the region table, required vs actual per
standard, and a region's drill-down (which never locates a confidential service)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.dashboard_fixtures import MEASURE_REGIONS, MEASURE_SERVICES, frames_of, measure_named
from tests.network_fixtures import filled_frame
from vawmap.dashboard import regional
from vawmap.gaps.assess import assess

# ----------------------------------------------------------------------------- map measures

# MEASURE_REGIONS: North has 20,000 people (10,000 women), shelters with 5 family places and
# 1 rape crisis centre; Empty has population 0, Unknown none; each of the last two has one
# shelter of 3 places.


@pytest.fixture(scope="module")
def measured():
    return assess(frames_of(regions=MEASURE_REGIONS, services=MEASURE_SERVICES))


def test_measures_start_with_the_coverage_score_then_rates_then_ratios(measured):
    keys = [found.key for found in regional.measures(measured)]
    assert keys[0] == regional.COVERAGE_MEASURE
    assert "rate:shelter_places" in keys and "ratio:shelter_places" in keys
    assert max(keys.index(key) for key in keys if key.startswith("rate:")) < min(
        keys.index(key) for key in keys if key.startswith("ratio:")
    )
    assert measure_named(measured, "rate:shelter_places").per == 10_000


def test_rate_is_actual_over_population_times_per(measured):
    rate = regional.measure_values(measured, measure_named(measured, "rate:shelter_places"))
    # North: (2 + 3) places / 20,000 people * 10,000 = 2.5 places per 10,000
    assert rate["North"] == pytest.approx(2.5)


def test_rate_is_nan_where_population_is_zero_or_missing(measured):
    rate = regional.measure_values(measured, measure_named(measured, "rate:shelter_places"))
    assert list(rate.index) == ["North", "Empty", "Unknown"]
    assert math.isnan(rate["Empty"]) and math.isnan(rate["Unknown"])


def test_rate_of_a_standard_on_women_divides_by_women(measured):
    rate = regional.measure_values(measured, measure_named(measured, "rate:rape_crisis_centres"))
    # 1 centre / 10,000 women * 200,000 = 20 (dividing by all 20,000 people would give 10)
    assert rate["North"] == pytest.approx(20.0)


def test_ratio_is_share_of_the_standard_met(measured):
    ratio = regional.measure_values(measured, measure_named(measured, "ratio:shelter_places"))
    # North needs 20,000 / 10,000 = 2 places, has 5: ratio 2.5; Empty needs 0: no ratio
    assert ratio["North"] == pytest.approx(2.5)
    assert math.isnan(ratio["Empty"])


def test_coverage_score_measure_is_the_share_of_essential_services(measured):
    score = regional.measure_values(measured, measure_named(measured, regional.COVERAGE_MEASURE))
    essential = len(measured.standards.essential_service_types)
    # North has one of the essential types (safe_accommodation); rape crisis centres are not essential
    assert score["North"] == pytest.approx(1 / essential)


def test_region_table_has_one_row_per_region_with_the_measure(measured):
    table = regional.region_table(measured, measure_named(measured, "rate:shelter_places"))
    assert list(table["region"]) == ["North", "Empty", "Unknown"]
    assert table.loc[0, "value"] == pytest.approx(2.5)
    assert table.loc[0, "population"] == 20_000 and math.isnan(table.loc[2, "population"])


# Shelter family places (1 per 10,000 people): A needs 50 and has 0, B needs 10 and has 9, C
# needs 30 and has 0, D's population is unknown.
SHORTFALL_REGIONS = filled_frame(
    "regions", {"region": ["A", "B", "C", "D"], "population": [500_000, 100_000, 300_000, None]}
)
SHORTFALL_SERVICES = filled_frame(
    "services",
    {"provider": ["Shelter B"], "service_type": ["safe_accommodation"], "region": ["B"], "capacity": [9]},
)


def test_standard_bars_put_the_largest_shortfall_first():
    assessment = assess(frames_of(regions=SHORTFALL_REGIONS, services=SHORTFALL_SERVICES))
    bars = regional.standard_bars(assessment, "shelter_places")
    assert bars["region"].tolist() == ["A", "C", "B", "D"]  # shortfalls 50, 30, 1, then unknown
    assert bars["shortfall"].iloc[:3].tolist() == [50.0, 30.0, 1.0] and pd.isna(bars["shortfall"].iloc[3])


# ----------------------------------------------------------------------------- drill-down

SECRET_DISTRICT, SECRET_ADDRESS, SECRET_EMAIL = "Hidden Hollow", "12 Safe Street", "refuge@example.org"
# North: a confidential shelter, an open helpline and a legal aid office whose confidentiality is unknown
# (unknown counts as confidential). South: one clinic.
DETAIL_SERVICES = filled_frame(
    "services",
    {
        "provider": ["Refuge", "Helpline", "Legal aid", "Clinic"],
        "service_type": ["safe_accommodation", "helpline", "legal_aid", "health_first_line_support"],
        "region": ["North", "North", "North", "South"],
        "district": [SECRET_DISTRICT, "Open District", SECRET_DISTRICT, "South District"],
        "location": [SECRET_ADDRESS, "1 Main Road", SECRET_ADDRESS, "2 Clinic Road"],
        "latitude": [6.5, 6.1, 6.5, 5.0],
        "longitude": [-10.1, -10.2, -10.1, -9.0],
        "confidential": [True, False, None, False],
        "contact_email": [SECRET_EMAIL, "help@example.org", SECRET_EMAIL, "clinic@example.org"],
        "contact_phone": ["+231 555 0100", "+231 555 0101", "+231 555 0102", "+231 555 0103"],
        "status": ["active"] * 4,
    },
)
DETAIL_REGIONS = filled_frame("regions", {"region": ["North", "South"], "population": [20_000, 5_000]})


@pytest.fixture(scope="module")
def north():
    assessment = assess(frames_of(regions=DETAIL_REGIONS, services=DETAIL_SERVICES))
    return regional.region_detail(DETAIL_SERVICES, assessment, "North")


def test_region_detail_lists_only_that_regions_services(north):
    assert list(north.services["provider"]) == ["Refuge", "Helpline", "Legal aid"]
    assert north.population == 20_000


def test_region_detail_never_locates_a_confidential_service(north):
    hidden = north.services[north.services["confidential"].fillna(True).astype(bool)]
    assert list(hidden["provider"]) == ["Refuge", "Legal aid"]
    assert hidden["district"].isna().all()
    assert not {"location", "latitude", "longitude"} & set(north.services.columns)
    cells = set(north.services.astype("string").stack().dropna())
    assert SECRET_DISTRICT not in cells and SECRET_ADDRESS not in cells


def test_region_detail_keeps_the_district_of_an_open_service(north):
    helpline = north.services[north.services["provider"] == "Helpline"].iloc[0]
    assert helpline["district"] == "Open District"


def test_region_detail_has_no_contact_columns(north):
    assert not {"contact_email", "contact_phone"} & set(north.services.columns)
    assert SECRET_EMAIL not in set(north.services.astype("string").stack().dropna())


def test_region_detail_of_a_region_with_no_population():
    services = DETAIL_SERVICES.assign(region=["West"] * 4)
    assessment = assess(frames_of(regions=DETAIL_REGIONS, services=services))
    detail = regional.region_detail(services, assessment, "West")  # named only by services
    assert detail.population is None
    assert len(detail.services) == 4
