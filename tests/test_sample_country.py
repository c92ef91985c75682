"""The sample country (sample_data/make_sample.py) loads cleanly and tells the story the pages rely on."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from vawmap.contract import SHEET_ORDER, sheet
from vawmap.rules import MINIMUM_SECTORS
from vawmap.vocab import vocabulary

SAMPLE_DIR = Path(__file__).parents[1] / "sample_data"
WORKBOOK = SAMPLE_DIR / "sample_country.xlsx"
GEOJSON = SAMPLE_DIR / "sample_country.geojson"
CAPITAL = "Capital District"


def load_make_sample():
    spec = importlib.util.spec_from_file_location("make_sample", SAMPLE_DIR / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, engine="calamine")


@pytest.fixture(scope="module")
def sheets() -> dict[str, pd.DataFrame]:
    return read_sheets(WORKBOOK)


@pytest.fixture(scope="module")
def actors(sheets) -> pd.DataFrame:
    return sheets["actors"]


@pytest.fixture(scope="module")
def services(sheets) -> pd.DataFrame:
    return sheets["services"]


@pytest.fixture(scope="module")
def regions(sheets) -> pd.DataFrame:
    return sheets["regions"]


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]


def actor_references(actors: pd.DataFrame) -> dict[str, str]:
    """Every way to name an actor (name, acronym, id) -> its name."""
    lookup = {}
    for column in ("name", "acronym", "actor_id"):
        for reference, name in zip(actors[column], actors["name"]):
            if isinstance(reference, str):
                lookup[reference] = name
    return lookup


def split_list(cell) -> list[str]:
    return [part.strip() for part in cell.split(";")] if isinstance(cell, str) else []


def regions_with(services: pd.DataFrame, service_type: str) -> set[str]:
    return set(services.loc[services["service_type"] == service_type, "region"])


# ------------------------------------------------------------------------- geometry


def shoelace_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def contains(ring: list[list[float]], lon: float, lat: float) -> bool:
    """Ray casting to the east."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def segments_cross(a, b, c, d) -> bool:
    def turn(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return turn(a, b, c) * turn(a, b, d) < 0 and turn(c, d, a) * turn(c, d, b) < 0


def exterior_ring(feature: dict) -> list[list[float]]:
    return feature["geometry"]["coordinates"][0]


# ---------------------------------------------------------------------- the workbook


def test_sheets_and_headers_are_canonical(sheets):
    assert list(sheets) == list(SHEET_ORDER)
    for name, frame in sheets.items():
        assert list(frame.columns) == list(sheet(name).columns), name


@pytest.mark.parametrize(
    ("sheet_name", "fewest", "most"),
    [
        ("regions", 16, 16),
        ("actors", 110, 140),
        ("services", 500, 700),
        ("coordination_bodies", 6, 8),
        ("links", 130, 170),
    ],
)
def test_row_counts(sheets, sheet_name, fewest, most):
    assert fewest <= len(sheets[sheet_name]) <= most


def test_vocabulary_cells_hold_canonical_keys(sheets):
    for sheet_name, frame in sheets.items():
        for column_name, column in sheet(sheet_name).columns.items():
            if column.vocab:
                used = {value for cell in frame[column_name].dropna() for value in split_list(cell)}
                assert used <= set(vocabulary(column.vocab).values), (sheet_name, column_name)


def test_yes_no_cells_say_yes_or_no(sheets):
    for sheet_name, frame in sheets.items():
        for column_name, column in sheet(sheet_name).columns.items():
            if column.kind == "yes_no":
                assert set(frame[column_name].dropna()) <= {"yes", "no"}, (sheet_name, column_name)


def test_the_app_ingests_it_without_a_single_problem():
    from vawmap.ingest.pipeline import ingest

    result = ingest([(WORKBOOK.name, WORKBOOK.read_bytes())])
    assert result.problems.empty, result.problems.to_string()
    assert all(count.rejected == 0 for count in result.counts.values())


def test_actor_ids_are_unique(actors):
    assert actors["actor_id"].is_unique
    assert actors["name"].is_unique


def test_regions_named_anywhere_are_in_the_regions_sheet(sheets, regions):
    known = set(regions["region"])
    for sheet_name in ("actors", "services", "coordination_bodies"):
        assert set(sheets[sheet_name]["region"].dropna()) <= known, sheet_name


def test_actors_below_national_level_name_their_region(actors):
    assert actors.loc[actors["level"] != "national", "region"].notna().all()


def test_every_actor_reference_resolves(sheets, actors):
    known = actor_references(actors)
    bodies, links = sheets["coordination_bodies"], sheets["links"]
    members = [m for cell in bodies["members"] for m in split_list(cell)]
    for column, references in {
        "services.provider": sheets["services"]["provider"],
        "links.source": links["source"],
        "links.target": links["target"],
        "coordination_bodies.chair": bodies["chair"],
        "coordination_bodies.members": members,
    }.items():
        assert set(references) <= set(known), column


def test_providers_are_named_by_name_acronym_and_id(services, actors):
    providers = set(services["provider"])
    assert providers & set(actors["name"])
    assert providers & set(actors["acronym"].dropna())
    assert providers & set(actors["actor_id"])


def test_labour_and_transport_are_missing_from_the_table(actors):
    sectors = set(actors["sector"])
    assert not sectors & {"labour", "transport"}
    assert sectors == set(vocabulary("sector").values) - {"labour", "transport"}


def test_actors_cover_every_type_and_level(actors):
    assert set(actors["actor_type"]) == set(vocabulary("actor_type").values)
    assert set(actors["level"]) == {"national", "subnational", "local"}
    assert actors[["influence", "interest"]].isin(range(1, 6)).all().all()


def test_home_affairs_is_resistant(actors):
    assert set(actors.loc[actors["sector"] == "interior", "engagement"]) == {"resistant"}


def test_two_regions_leave_the_number_of_women_blank(regions):
    assert regions["population_women"].isna().sum() == 2
    counted = regions.dropna(subset=["population_women"])
    share = counted["population_women"] / counted["population"]
    assert share.between(0.5, 0.51).all()


def test_rape_crisis_centres_only_in_the_capital_and_the_second_city(services):
    assert regions_with(services, "rape_crisis_centre") == {CAPITAL, "Saltmarsh"}


def test_some_regions_have_no_shelter_and_no_post_rape_care(services, regions):
    covered = (
        regions_with(services, "safe_accommodation")
        | regions_with(services, "post_rape_care")
        | regions_with(services, "one_stop_centre")
    )
    assert len(set(regions["region"]) - covered) >= 3


def test_one_stop_centres_are_in_cities(services):
    assert regions_with(services, "one_stop_centre") <= {CAPITAL, "Saltmarsh", "Highcrest"}


def test_there_is_a_free_national_helpline_open_day_and_night(services, actors):
    national = set(actors.loc[actors["level"] == "national", "name"])
    known = actor_references(actors)
    helplines = services[services["service_type"] == "helpline"]
    national_helplines = helplines[
        helplines["provider"].map(known).isin(national)
        & (helplines["region"] == CAPITAL)
        & (helplines["open_24_7"] == "yes")
        & (helplines["free_of_charge"] == "yes")
    ]
    assert len(national_helplines) >= 1


def test_capital_is_near_the_shelter_standard_and_most_regions_below(services, regions):
    shelters = services[(services["service_type"] == "safe_accommodation") & (services["status"] == "active")]
    places = shelters.groupby("region")["capacity"].sum()
    ratio = places.reindex(regions["region"], fill_value=0) / (regions.set_index("region")["population"] / 10_000)
    assert ratio[CAPITAL] >= 0.9
    assert (ratio < 1).sum() > len(ratio) / 2


def test_shelter_capacities_and_confidentiality(services):
    shelters = services[services["service_type"] == "safe_accommodation"]
    assert shelters["capacity"].between(4, 30).all()
    assert shelters["confidential"].isna().mean() > 0.5
    assert set(services.loc[services["service_type"] != "safe_accommodation", "confidential"]) == {"no"}


def test_most_services_are_active(services):
    share = services["status"].value_counts(normalize=True)
    assert share["active"] > 0.85
    assert 0 < share["planned"] < 0.1
    assert 0 < share["suspended"] < 0.06


def test_national_body_leaves_out_education(sheets, actors):
    bodies = sheets["coordination_bodies"]
    national = bodies[bodies["level"] == "national"]
    assert len(national) == 1
    assert 5 <= (bodies["level"] == "subnational").sum() <= 7
    sector_of = dict(zip(actors["name"], actors["sector"]))
    known = actor_references(actors)
    sectors = {sector_of[known[m]] for m in split_list(national["members"].iloc[0])}
    assert "education" not in sectors
    assert len(sectors & set(MINIMUM_SECTORS)) >= 6
    assert bodies["members"].isna().sum() == 1


def test_some_actors_are_isolated_and_a_few_broker(sheets, actors):
    known = actor_references(actors)
    links = sheets["links"]
    ends = pd.concat([links["source"], links["target"]]).map(known)
    assert 2 <= len(set(actors["name"]) - set(ends)) <= 8
    assert (ends.value_counts() >= 10).sum() >= 2
    assert links["link_type"].value_counts().index[0] == "referral"


def referral_reach(links: pd.DataFrame, known: dict[str, str], start: str) -> set[str]:
    """Every actor a referral starting at `start` can reach."""
    referrals = links[links["link_type"] == "referral"]
    onward: dict[str, set[str]] = {}
    for source, target in zip(referrals["source"].map(known), referrals["target"].map(known)):
        onward.setdefault(source, set()).add(target)
    reached, waiting = set(), [start]
    while waiting:
        for target in onward.get(waiting.pop(), set()) - reached:
            reached.add(target)
            waiting.append(target)
    return reached


@pytest.mark.parametrize(("region", "joined_up"), [(CAPITAL, True), ("Saltmarsh", True), ("Farhollow", False)])
def test_referral_chain_reaches_a_shelter_in_some_regions_only(sheets, actors, region, joined_up):
    known = actor_references(actors)
    services = sheets["services"]
    in_region = services[services["region"] == region]
    reached = referral_reach(sheets["links"], known, f"{region} Health Directorate")
    for service_type in ("police_response", "legal_aid", "safe_accommodation"):
        providers = set(in_region.loc[in_region["service_type"] == service_type, "provider"].map(known))
        assert bool(reached & providers) is joined_up, service_type


# ------------------------------------------------------------------------- the map


def test_every_feature_is_a_closed_counter_clockwise_ring(features):
    for feature in features:
        ring = exterior_ring(feature)
        assert len(ring) >= 4
        assert ring[0] == ring[-1]
        assert shoelace_area(ring) > 0, feature["properties"]["region"]


def test_rings_do_not_cross_themselves(features):
    for feature in features:
        edges = list(zip(exterior_ring(feature), exterior_ring(feature)[1:]))
        for i, (a, b) in enumerate(edges):
            for c, d in edges[i + 2 :]:
                assert not segments_cross(a, b, c, d), feature["properties"]["region"]


def test_features_match_the_regions_sheet(features, regions):
    by_region = {f["properties"]["region"]: f["properties"]["region_code"] for f in features}
    assert by_region == dict(zip(regions["region"], regions["region_code"]))


def test_service_points_lie_inside_their_region(features, services):
    rings = {f["properties"]["region"]: exterior_ring(f) for f in features}
    outside = [
        (region, lon, lat)
        for region, lon, lat in zip(services["region"], services["longitude"], services["latitude"])
        if not contains(rings[region], lon, lat)
    ]
    assert outside == []


# -------------------------------------------------------------------- determinism


def test_main_is_deterministic_and_matches_the_committed_files(tmp_path):
    make_sample = load_make_sample()
    first, second = tmp_path / "first", tmp_path / "second"
    make_sample.main(first)
    make_sample.main(second)
    committed = read_sheets(WORKBOOK)
    for run in (first, second):
        produced = read_sheets(run / WORKBOOK.name)
        assert list(produced) == list(committed)
        for name in committed:
            pd.testing.assert_frame_equal(produced[name], committed[name])
        assert (run / GEOJSON.name).read_bytes() == GEOJSON.read_bytes()
    assert (first / WORKBOOK.name).read_bytes() == (second / WORKBOOK.name).read_bytes()
