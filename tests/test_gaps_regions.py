"""Regional gaps against the minimum standards, on small named datasets computed by hand."""

import math

import pandas as pd
import pytest

from vawmap.dataset import empty_frame
from vawmap.gaps.findings import rank, regional_findings
from vawmap.gaps.regions import (
    accessibility,
    coverage_scores,
    encode_services,
    national_results,
    populations,
    region_list,
    standard_results,
    tally_services,
)
from vawmap.gaps.standards import (
    Standard,
    StandardsSet,
    default_standards,
    standards_from_toml,
    standards_to_toml,
)
from vawmap.messages import render


def frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """An empty canonical frame of `sheet` with these rows, dtypes kept."""
    empty = empty_frame(sheet)
    data = pd.DataFrame(rows, columns=list(empty.columns))
    return data.astype(empty.dtypes.to_dict())


# West: 50,000 people, no shelter. East: 250,000 people, 20 family places in two shelters,
# one planned shelter (not counted). Unlisted: a service in a region missing from the sheet.
TWO_REGIONS = frame(
    "regions",
    [
        {"region": "West", "population": 50_000, "population_women": 25_000},
        {"region": "East", "population": 250_000},  # women missing: estimated
    ],
)
SHELTERS = frame(
    "services",
    [
        {"provider": "A", "service_type": "safe_accommodation", "region": "East", "capacity": 12, "status": "active"},
        {
            "provider": "B",
            "service_type": "safe_accommodation",
            "region": "East",
            "capacity": 8,
        },  # blank status = active
        {"provider": "C", "service_type": "safe_accommodation", "region": "East", "capacity": 30, "status": "planned"},
        {"provider": "D", "service_type": "legal_aid", "region": "Unlisted", "status": "active"},
        {"provider": "E", "service_type": "one_stop_centre", "region": "West", "capacity": 5, "status": "active"},
        {"provider": "F", "service_type": "helpline", "region": "West", "status": "suspended"},
    ],
)
SHELTER_STANDARD = StandardsSet(
    (
        Standard(
            "shelter_places",
            "Shelter family places",
            ("safe_accommodation",),
            "per_population",
            "test",
            measure="capacity",
            unit="family places",
            per=10_000,
        ),
        Standard(
            "shelter_in_every_region",
            "A shelter in every region",
            ("safe_accommodation",),
            "per_region",
            "test",
            unit="shelters",
        ),
    ),
    essential_service_types=("safe_accommodation", "legal_aid", "post_rape_care", "police_response"),
)


@pytest.fixture
def assessed():
    names = region_list(TWO_REGIONS, SHELTERS)
    tallies = tally_services(encode_services(SHELTERS, names))
    people = populations(TWO_REGIONS, names)
    return names, tallies, people, standard_results(tallies, people, SHELTER_STANDARD)


def result(results: pd.DataFrame, region: str, standard: str) -> pd.Series:
    return results[(results["region"] == region) & (results["standard"] == standard)].iloc[0]


def test_regions_keep_sheet_order_and_add_regions_named_only_by_services(assessed):
    names, _, people, _ = assessed
    assert names == ["West", "East", "Unlisted"]
    assert people["in_regions_sheet"].tolist() == [True, True, False]


def test_only_active_services_count_and_planned_or_suspended_are_tallied_apart(assessed):
    _, tallies, _, _ = assessed
    assert tallies.recorded.loc["East", "safe_accommodation"] == 2  # the planned one is not counted
    assert tallies.capacity.loc["East", "safe_accommodation"] == 20  # 12 + 8
    assert tallies.planned.loc["East", "safe_accommodation"] == 1
    assert tallies.suspended.loc["West", "helpline"] == 1
    assert tallies.recorded.loc["West", "helpline"] == 0


def test_a_one_stop_centre_counts_toward_post_rape_care_police_and_legal_aid_but_not_shelter(assessed):
    _, tallies, _, _ = assessed
    west = tallies.counted.loc["West"]
    assert (west["one_stop_centre"], west["post_rape_care"], west["police_response"], west["legal_aid"]) == (1, 1, 1, 1)
    assert west["safe_accommodation"] == 0 and tallies.capacity.loc["West", "safe_accommodation"] == 0


def test_shelter_shortfall_is_population_over_ten_thousand_minus_places(assessed):
    *_, results = assessed
    west = result(results, "West", "shelter_places")
    # 50,000 / 10,000 = 5 places required, 0 actual -> shortfall 5, ratio 0
    assert (west["required"], west["actual"], west["shortfall"], west["ratio"], west["met"]) == (5, 0, 5, 0, False)
    east = result(results, "East", "shelter_places")
    # 250,000 / 10,000 = 25 required, 12 + 8 = 20 actual -> shortfall 5, ratio 0.8
    assert (east["required"], east["actual"], east["shortfall"]) == (25, 20, 5)
    assert east["ratio"] == pytest.approx(0.8)


def test_at_least_one_per_region_rule(assessed):
    *_, results = assessed
    assert not result(results, "West", "shelter_in_every_region")["met"]
    assert result(results, "East", "shelter_in_every_region")["met"]  # 2 shelters >= 1


def test_a_region_missing_from_the_sheet_has_unknown_per_population_results(assessed):
    *_, results = assessed
    unlisted = result(results, "Unlisted", "shelter_places")
    assert pd.isna(unlisted["required"]) and pd.isna(unlisted["met"]) and pd.isna(unlisted["ratio"])


def test_women_are_estimated_with_the_national_share_and_flagged(assessed):
    _, _, people, _ = assessed
    # only West gives both: 25,000 / 50,000 = 0.5 -> East 250,000 * 0.5 = 125,000
    assert people.loc["East", "population_women"] == 125_000
    assert people.loc["East", "women_estimated"] and not people.loc["West", "women_estimated"]


def test_zero_population_needs_nothing_and_has_no_ratio():
    regions = frame("regions", [{"region": "Empty", "population": 0, "population_women": 0}])
    services = frame("services", [])
    names = region_list(regions, services)
    tallies = tally_services(encode_services(services, names))
    results = standard_results(tallies, populations(regions, names), SHELTER_STANDARD)
    empty = result(results, "Empty", "shelter_places")
    assert empty["required"] == 0 and empty["met"] and pd.isna(empty["ratio"])


def test_without_a_regions_sheet_regions_come_from_services():
    services = frame("services", [{"provider": "A", "service_type": "helpline", "region": "North"}])
    names = region_list(empty_frame("regions"), services)
    people = populations(empty_frame("regions"), names)
    assert names == ["North"] and pd.isna(people.loc["North", "population"])


def test_a_standard_with_no_matching_services_has_zero_actual(assessed):
    _, tallies, people, _ = assessed
    centres = StandardsSet(
        (
            Standard(
                "rcc",
                "Rape crisis centres",
                ("rape_crisis_centre",),
                "per_population",
                "t",
                population="women",
                per=200_000,
            ),
        )
    )
    row = result(standard_results(tallies, people, centres), "East", "rcc")
    # 125,000 estimated women / 200,000 = 0.625 centres required, none present
    assert row["required"] == pytest.approx(0.625) and row["actual"] == 0 and not row["met"]


def helpline_result(services: pd.DataFrame) -> pd.Series:
    national = national_results(services, encode_services(services, ["X"]), default_standards())
    return national.set_index("standard").loc["national_helpline"]


def test_national_helpline_needs_free_and_24_7():
    services = frame(
        "services",
        [
            {
                "provider": "Line A",
                "service_type": "helpline",
                "region": "X",
                "open_24_7": True,
                "free_of_charge": False,
            },
            {"provider": "Line B", "service_type": "helpline", "region": "X", "open_24_7": True},  # free unknown
        ],
    )
    national = helpline_result(services)
    assert national["candidates"] == 2 and national["actual"] == 0 and not national["met"]
    services.loc[1, "free_of_charge"] = True
    national = helpline_result(services)
    assert national["actual"] == 1 and national["met"] and national["providers"] == ["Line B"]


def test_coverage_score_is_the_share_of_essential_types_present(assessed):
    _, tallies, _, _ = assessed
    scores = coverage_scores(tallies, SHELTER_STANDARD)
    # West: one-stop gives legal_aid, post_rape_care, police_response (3 of 4); East: shelter (1 of 4)
    assert scores.loc["West", "coverage_score"] == 0.75 and scores.loc["East", "coverage_score"] == 0.25
    assert scores.loc["West", "rank"] == 1 and scores.loc["West", "missing"] == ["safe_accommodation"]


def test_accessibility_shares_among_active_services():
    services = frame(
        "services",
        [
            {
                "provider": "A",
                "service_type": "helpline",
                "region": "R",
                "open_24_7": True,
                "free_of_charge": True,
                "target_groups": "women; children",
            },
            {"provider": "B", "service_type": "legal_aid", "region": "R", "open_24_7": False, "target_groups": "women"},
            {"provider": "C", "service_type": "legal_aid", "region": "R", "open_24_7": True, "status": "planned"},
        ],
    )
    shares = accessibility(encode_services(services, ["R"])).loc["R"]
    # 2 active services: 1 open 24/7, 1 free (unknown counts as not free), both serve women, 1 serves children
    assert shares["services"] == 2
    assert (shares["share_open_24_7"], shares["share_free_of_charge"]) == (0.5, 0.5)
    assert (shares["share_women"], shares["share_children"]) == (1.0, 0.5)


def test_findings_say_what_is_missing_with_the_numbers(assessed):
    _, _, people, results = assessed
    findings = rank(regional_findings(results, people))
    first = findings[0]
    assert first.severity == "critical" and first.region == "West"
    assert (
        render(first.message)
        == "No family places are listed for West: 0 of the 5 its 50,000 people need (Shelter family places)."
    )
    assert first.numbers["required"] == 5
    # the per-region shelter rule for West says the same thing, so it is not repeated
    assert [f.standard for f in findings if f.region == "West"] == ["shelter_places"]
    east = next(f for f in findings if f.region == "East")
    east_text = render(east.message)
    assert east.severity == "minor" and "20 of the 25 family places" in east_text and "80%" in east_text


def test_edited_standards_round_trip_and_name_themselves():
    edited = default_standards()
    national = Standard(
        "national_shelters",
        "National shelter rule",
        ("safe_accommodation",),
        "per_population",
        "National Action Plan 2026",
        measure="capacity",
        per=7_500,
    )
    edited = StandardsSet(edited.standards + (national,), edited.essential_service_types, edited.essential_source)
    assert standards_from_toml(standards_to_toml(edited)) == edited
    names = ["West", "East", "Unlisted"]
    tallies = tally_services(encode_services(SHELTERS, names))
    results = standard_results(tallies, populations(TWO_REGIONS, names), edited)
    row = result(results, "West", "national_shelters")
    assert row["source"] == "National Action Plan 2026" and row["required"] == pytest.approx(50_000 / 7_500)


def test_a_standard_that_cannot_be_applied_is_refused_with_its_reason():
    with pytest.raises(ValueError, match="per_population standard needs per > 0"):
        standards_from_toml(
            '[[standard]]\nid = "x"\nname = "X"\nservice_types = ["helpline"]\nrule = "per_population"\nsource = "s"\n'
        )


def test_sample_country_story():
    from vawmap.dataset import sample_dataset

    data = sample_dataset()
    names = region_list(data["regions"], data["services"])
    tallies = tally_services(encode_services(data["services"], names))
    people = populations(data["regions"], names)
    results = standard_results(tallies, people, default_standards())
    shelters = results[results["standard"] == "shelter_places"].set_index("region")
    assert shelters.loc["Capital District", "met"]
    assert not shelters.drop("Capital District")["met"].any()
    assert set(shelters.index[shelters["actual"] == 0]) >= {"Farhollow", "Mistwood", "Ironhills", "Duskvale"}
    assert math.isclose(people.attrs["share_of_women"], 0.506, abs_tol=0.01)


def messy_services(rows: int, seed: int) -> pd.DataFrame:
    """Random services with every kind of blank and stray value the counting must survive."""
    import numpy as np

    rng = np.random.default_rng(seed)

    def pick(values):
        return [values[i] for i in rng.integers(0, len(values), rows)]

    return frame(
        "services",
        [
            {
                "provider": f"P{i}",
                "service_type": kind,
                "region": region,
                "capacity": capacity,
                "status": status,
                "open_24_7": open_24_7,
                "free_of_charge": free,
                "target_groups": targets,
            }
            for i, (kind, region, capacity, status, open_24_7, free, targets) in enumerate(
                zip(
                    pick(["safe_accommodation", "legal_aid", "one_stop_centre", "helpline", "not_a_type", None]),
                    pick(["North", "South", "Nowhere", None]),
                    pick([0, 3, 12, None]),
                    pick(["active", "planned", "suspended", "closed", None]),
                    pick([True, False, None]),
                    pick([True, False, None]),
                    pick(["women", "women; children", "adolescent_girls", None]),
                )
            )
        ],
    )


def test_each_regional_table_has_an_index_of_its_own():
    # The tables share the region names, built once; renaming one table's index must not rename the others.
    encoded = encode_services(messy_services(50, seed=1), ["North", "South"])
    tallies, shares = tally_services(encoded), accessibility(encoded)
    tallies.planned.index.name = "renamed"
    assert [table.index.name for table in (tallies.recorded, tallies.suspended, shares)] == ["region"] * 3
    assert encoded.index().name == "region"


def test_tallies_and_accessibility_match_a_pandas_count_of_random_services():
    # The oracle counts with pandas what the engine counts with np.bincount over codes.
    services = messy_services(2_000, seed=3)
    encoded = encode_services(services, ["North", "South"])
    assert encoded.regions == ["North", "South", "Nowhere"]  # a region named only by services comes after
    tallies, shares = tally_services(encoded), accessibility(encoded)
    status = services["status"].fillna("active")  # a blank status means active
    placed = services["region"].notna()
    typed = services["service_type"].isin(list(tallies.recorded.columns)).fillna(False).astype(bool)
    for name, table in (("active", tallies.recorded), ("planned", tallies.planned), ("suspended", tallies.suspended)):
        rows = services[placed & typed & status.eq(name)]
        expected = rows.groupby(["region", "service_type"]).size()
        for (region, kind), count in expected.items():
            assert table.loc[region, kind] == count, (name, region, kind)
        assert table.to_numpy().sum() == len(rows)
    active = services[placed & status.eq("active")]
    capacity = services[placed & typed & status.eq("active")].groupby(["region", "service_type"])["capacity"].sum()
    for (region, kind), total in capacity.items():
        assert tallies.capacity.loc[region, kind] == total
    for region, rows in active.groupby("region"):
        assert shares.loc[region, "services"] == len(rows)
        assert shares.loc[region, "share_open_24_7"] == pytest.approx(rows["open_24_7"].fillna(False).mean())
        assert shares.loc[region, "share_free_of_charge"] == pytest.approx(rows["free_of_charge"].fillna(False).mean())
        groups = rows["target_groups"].fillna("").str.split("; ")
        for group in ("women", "children", "adolescent_girls", "older_women"):
            assert shares.loc[region, f"share_{group}"] == pytest.approx(
                groups.map(lambda cell, group=group: group in cell).mean()
            )
