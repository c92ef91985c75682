"""Regions matched by P-code first, else by name with token rules, only when unambiguous: one
matcher for the upload and the boundaries; without a regions sheet, the places the services
name are the regions; without populations, per-capita standards say "population needed"."""

from __future__ import annotations

import pytest

from tests.builders import xlsx
from tests.network_fixtures import filled_frame
from vawmap import geo
from vawmap.dataset import Dataset
from vawmap.gaps.assess import assess
from vawmap.ingest import ingest
from vawmap.places import place_matcher

REGIONS = [
    "Kayes",
    "Nord-Ouest",
    "Saint-Louis",
    "Grand Bassa",
    "Lofa",
    "North Darfur",
    "South Darfur",
    "Nord",
    "Sud-Est",
]
CODES = ["ML01", "HT09", "SN08", "LR01", "LR08", "SD01", "SD02", "HT03", "HT04"]

# How other files write the same regions.
VARIANTS = {
    "Kayes Region": "Kayes",
    "Région de Kayes": "Kayes",
    "KAYES": "Kayes",
    "Nord Ouest": "Nord-Ouest",
    "NordOuest": "Nord-Ouest",
    "St. Louis": "Saint-Louis",
    "St Louis": "Saint-Louis",
    "GrandBassa": "Grand Bassa",
    "Grand Bassa County": "Grand Bassa",
    "Liberia Lofa": "Lofa",
    "Lofa (Liberia)": "Lofa",
    "Lofa County": "Lofa",
    "Sud Est": "Sud-Est",
    "ml01": "Kayes",
}
# Names that could mean two regions, or none: left to the user, never guessed.
NOT_MATCHED = ["Darfur", "Ouest", "Kaye", "Sud", "Upper Lofa"]


@pytest.mark.parametrize(("written", "region"), VARIANTS.items())
def test_region_name_variants_match_their_region(written, region):
    assert place_matcher(REGIONS, CODES).match(written) == region


@pytest.mark.parametrize("written", NOT_MATCHED)
def test_ambiguous_or_unknown_names_match_nothing(written):
    assert place_matcher(REGIONS, CODES).match(written) is None


def test_a_doubled_letter_is_matched_only_when_asked():
    matcher = place_matcher(REGIONS, CODES)
    assert matcher.match("Grand Basa") is None  # an upload suggests the fix; the user accepts it
    assert matcher.match("Grand Basa", spelling=True) == "Grand Bassa"  # boundaries just draw it


def test_the_code_wins_over_the_name():
    assert place_matcher(REGIONS, CODES).match("Kayes", code="LR08") == "Lofa"


SERVICE_HEADER = ["Provider", "Service type", "Region", "Admin1 P-code"]
REGION_ROWS = [["Region", "Region code", "Population"], ["Grand Bassa", "LR01", 293689], ["Lofa", "LR08", 367376]]


def test_services_find_their_region_by_p_code_first_then_by_name_variant():
    services = [
        SERVICE_HEADER,
        ["Org A", "Helpline", "Somewhere else", "LR08"],
        ["Org A", "Helpline", "Grand Bassa County", ""],
        ["Org B", "Legal aid", "Liberia Lofa", ""],
    ]
    result = ingest([("3w.xlsx", xlsx({"services": services, "regions": REGION_ROWS}))])

    assert result.frames["services"]["region"].tolist() == ["Lofa", "Grand Bassa", "Lofa"]
    assert result.frames["services"]["region_code"].tolist()[0] == "LR08"
    assert result.ok


def test_without_a_regions_sheet_the_places_the_services_name_are_the_regions():
    services = [
        SERVICE_HEADER,
        ["Org A", "Helpline", "Lofa", ""],
        ["Org A", "Legal aid", "Lofa County", ""],
        ["Org B", "Helpline", "LOFA", ""],
        ["Org B", "Helpline", "Bong", ""],
    ]
    result = ingest([("3w.xlsx", xlsx({"services": services}))])
    dataset = Dataset().with_upload(result)

    assert sorted(set(dataset["services"]["region"])) == ["Bong", "Lofa"]
    assessment = assess(dataset.frames)
    assert sorted(assessment.people.index) == ["Bong", "Lofa"]
    per_capita = assessment.results[assessment.results["rule"] == "per_population"]
    assert len(per_capita) and (per_capita["status"] == "population_needed").all()
    assert per_capita["met"].isna().all()
    assert not [finding for finding in assessment.findings if finding.standard in set(per_capita["standard"])]


BOUNDARY_REGIONS = filled_frame(
    "regions", {"region": ["Grand Bassa", "Lofa", "Nord-Ouest"], "region_code": ["LR01", "LR08", None]}
)
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def shapes(*names: str) -> dict:
    features = [{"type": "Feature", "properties": {"ADM1_EN": name}, "geometry": SQUARE} for name in names]
    return {"type": "FeatureCollection", "features": features}


def test_boundaries_match_with_the_same_rules_and_can_be_paired_by_hand():
    geojson = shapes("Grand Basa", "Lofa County", "Nord Ouest", "Old Region")
    names = ["Grand Bassa", "Lofa", "Nord-Ouest", "Bong"]

    match = geo.match_boundaries(geojson, "ADM1_EN", BOUNDARY_REGIONS, names)
    assert sorted(match.matched) == ["Grand Bassa", "Lofa", "Nord-Ouest"]
    assert match.regions_without_shape == ["Bong"]
    assert match.shapes_without_region == ["Old Region"]

    paired = geo.match_boundaries(geojson, "ADM1_EN", BOUNDARY_REGIONS, names, paired={"Old Region": "Bong"})
    assert sorted(paired.matched) == ["Bong", "Grand Bassa", "Lofa", "Nord-Ouest"]
    assert paired.regions_without_shape == [] and paired.shapes_without_region == []
