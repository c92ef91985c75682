"""Sector and coordination-function coverage (vawmap.gaps.coverage).

Every expectation below is worked out by hand from the fixture frames; the comment above each
assertion says how.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.gaps_fixtures import actor, actors_frame, bodies_frame
from vawmap.dataset import empty_frame, sample_dataset
from vawmap.gaps.coverage import function_coverage, sector_coverage
from vawmap.messages import render
from vawmap.rules import MINIMUM_SECTORS, RECOMMENDED_SECTORS
from vawmap.vocab import vocabulary

# A small country. Who sits where:
#   national body "National Task Force": chair mog; members moh, wlan
#   subnational body "Northern Forum" (region North): members npc, moe (does NOT count as national)
ACTORS = actors_frame(
    [
        actor(
            "moh", "Ministry of Health", "health", engagement="engaged", functions="policy_development; data_collection"
        ),
        actor(
            "nhd",
            "Northern Health Directorate",
            "health",
            "subnational",
            region="North",
            engagement="committed",
            functions="referral_system",
        ),
        actor("moe", "Ministry of Education", "education", functions="capacity_building"),  # engagement blank
        actor("npc", "Northern Police Command", "police", "subnational", region="North", engagement="resistant"),
        actor(
            "mog",
            "Ministry of Gender",
            "women_gender",
            engagement="committed",
            functions="cross_government_coordination",
        ),
        actor(
            "wlan",
            "Women's Legal Aid Network",
            "womens_organisations",
            "local",
            region="North",
            actor_type="womens_organisation",
            engagement="engaged",
            functions="referral_system",
        ),
        actor("moj", "Ministry of Justice", "justice", engagement="resistant"),
        actor("jud", "Judiciary", "justice", engagement="neutral", actor_type="state_institution"),
        actor(
            "ppo", "Public Prosecutions Office", "prosecution", engagement="not_engaged", actor_type="state_institution"
        ),
    ]
)
NATIONAL_BODY = {
    "name": "National Task Force",
    "level": "national",
    "chair": "Ministry of Gender",
    "chair_id": "mog",
    "members": "MoH; WLAN",
    "member_ids": "moh; wlan",
}
NORTHERN_BODY = {
    "name": "Northern Forum",
    "level": "subnational",
    "region": "North",
    "members": "NPC; MoE",
    "member_ids": "npc; moe",
}
BODIES = bodies_frame([NATIONAL_BODY, NORTHERN_BODY])
ONLY_SUBNATIONAL_BODY = bodies_frame([NORTHERN_BODY])


def row_of(frame: pd.DataFrame, column: str, value: str) -> pd.Series:
    (position,) = frame.index[frame[column] == value]
    return frame.loc[position]


@pytest.fixture(scope="module")
def sectors() -> pd.DataFrame:
    return sector_coverage(ACTORS, BODIES)


@pytest.fixture(scope="module")
def functions() -> pd.DataFrame:
    return function_coverage(ACTORS, BODIES)


# --- sector_coverage -------------------------------------------------------------------------


def test_one_row_per_minimum_then_recommended_sector(sectors):
    # 8 minimum sectors then 11 recommended (data/rules.toml), in that order.
    assert list(sectors["sector"]) == list(MINIMUM_SECTORS) + list(RECOMMENDED_SECTORS)
    assert list(sectors["tier"]) == ["minimum"] * 8 + ["recommended"] * 11
    assert list(sectors.columns) == [
        "sector",
        "tier",
        "status",
        "actors",
        "actor_count",
        "levels",
        "on_national_body",
        "engagement",
        "reason",
    ]


def test_covered_when_a_national_actor_is_a_member_of_the_national_body(sectors):
    # health: moh is national and a member of the National Task Force; nhd is subnational.
    health = row_of(sectors, "sector", "health")
    assert health["status"] == "covered"
    assert render(health["reason"]) == "On the national body."
    assert health["actors"] == ["Ministry of Health", "Northern Health Directorate"]
    assert health["actor_count"] == 2
    assert health["levels"] == ["national", "subnational"]
    assert health["on_national_body"]


def test_the_chair_counts_as_sitting_on_the_national_body(sectors):
    # women_gender: mog is not in member_ids but chairs the national body (chair_id).
    gender = row_of(sectors, "sector", "women_gender")
    assert (gender["status"], gender["on_national_body"]) == ("covered", True)


def test_partial_when_present_at_national_level_but_not_on_the_national_body(sectors):
    # education: moe is national, sits only on the *subnational* Northern Forum -> partial.
    education = row_of(sectors, "sector", "education")
    assert education["status"] == "partial"
    assert not education["on_national_body"]
    assert render(education["reason"]) == "Present (1 actor) but not on the national coordination body."
    # justice: two national actors, neither on the body -> the plural.
    justice = row_of(sectors, "sector", "justice")
    assert render(justice["reason"]) == "Present (2 actors) but not on the national coordination body."


def test_partial_when_present_only_below_national_level(sectors):
    # police: only npc, a subnational command, on no national body.
    police = row_of(sectors, "sector", "police")
    assert police["status"] == "partial"
    assert police["levels"] == ["subnational"]
    assert render(police["reason"]) == "Present only below national level."


def test_partial_when_on_the_national_body_only_through_a_local_actor(sectors):
    # womens_organisations: wlan (local) is a member of the national body, but no national-level
    # actor of the sector exists, so the "some actor at national level" half of covered fails.
    womens = row_of(sectors, "sector", "womens_organisations")
    assert womens["status"] == "partial"
    assert womens["on_national_body"]
    assert render(womens["reason"]) == "On the national body, but only through actors below national level."


def test_missing_when_no_actor_of_the_sector(sectors):
    # interior: nobody in ACTORS.
    interior = row_of(sectors, "sector", "interior")
    assert interior["status"] == "missing"
    assert render(interior["reason"]) == "No actor from this sector is in the data."
    assert (interior["actors"], interior["actor_count"], interior["levels"]) == ([], 0, [])
    assert interior["engagement"] is None
    assert not interior["on_national_body"]


def test_engagement_is_the_most_engaged_value_present(sectors):
    # health: engaged (moh) and committed (nhd) -> committed.
    assert row_of(sectors, "sector", "health")["engagement"] == "committed"
    # justice: resistant (moj) and neutral (jud) -> neutral.
    assert row_of(sectors, "sector", "justice")["engagement"] == "neutral"
    # prosecution: not_engaged only -> not_engaged.
    assert row_of(sectors, "sector", "prosecution")["engagement"] == "not_engaged"
    # education: moe's engagement is blank -> None.
    assert row_of(sectors, "sector", "education")["engagement"] is None


@pytest.mark.parametrize(
    ("engagements", "most_engaged"),
    [
        # committed > engaged > neutral > resistant > not_engaged; blanks ignored.
        (["not_engaged", "resistant", "neutral", "engaged", "committed"], "committed"),
        (["not_engaged", "resistant", "neutral", "engaged"], "engaged"),
        (["not_engaged", "resistant", "neutral"], "neutral"),
        (["not_engaged", "resistant", None], "resistant"),
        (["not_engaged", None], "not_engaged"),
        ([None, None], None),
    ],
)
def test_engagement_ordering(engagements, most_engaged):
    health_actors = actors_frame(
        actor(f"h{number}", f"Health actor {number}", "health", engagement=value)
        for number, value in enumerate(engagements)
    )
    health = row_of(sector_coverage(health_actors, BODIES), "sector", "health")
    assert health["engagement"] == most_engaged


def test_without_a_national_body_national_presence_is_partial():
    # Only the Northern Forum exists. health has a national actor -> partial, no body to sit on;
    # police is subnational only -> still "only below national level"; interior still missing.
    sectors = sector_coverage(ACTORS, ONLY_SUBNATIONAL_BODY)
    health = row_of(sectors, "sector", "health")
    assert (health["status"], render(health["reason"])) == (
        "partial",
        "There is no national coordination body to sit on.",
    )
    assert render(row_of(sectors, "sector", "police")["reason"]) == "Present only below national level."
    assert row_of(sectors, "sector", "interior")["status"] == "missing"
    # Nobody is covered without a national body.
    assert "covered" not in set(sectors["status"])


def test_empty_frames_make_every_sector_missing():
    sectors = sector_coverage(empty_frame("actors"), empty_frame("coordination_bodies"))
    assert len(sectors) == len(MINIMUM_SECTORS) + len(RECOMMENDED_SECTORS)  # 8 + 11 = 19
    assert set(sectors["status"]) == {"missing"}
    assert sectors["actor_count"].sum() == 0
    assert sectors["engagement"].isna().all()


def test_blank_cells_do_not_raise_and_count_as_not_seated():
    # An actor with no id, no level and no engagement is present (1 actor) but cannot be on any
    # body; levels stays empty because the level is blank -> partial, and the reason says why.
    # An actor with a blank sector belongs to no sector row.
    actors = actors_frame(
        [
            {"name": "Anonymous clinic", "sector": "health"},
            {"name": "Sectorless", "actor_id": "x1", "level": "national"},
        ]
    )
    bodies = bodies_frame([{"name": "Blank body"}, {"name": "National", "level": "national"}])
    health = row_of(sector_coverage(actors, bodies), "sector", "health")
    assert (health["status"], health["actor_count"], health["levels"]) == ("partial", 1, [])
    assert render(health["reason"]) == "Present, but no level is recorded for its actors."
    assert sector_coverage(actors, bodies)["actor_count"].sum() == 1


# --- function_coverage -----------------------------------------------------------------------


def test_one_row_per_coordination_function(functions):
    assert list(functions["function"]) == list(vocabulary("coordination_function").values)
    assert list(functions.columns) == ["function", "status", "actors", "actor_count", "reason"]


def test_function_covered_when_performed_by_someone_on_the_national_body(functions):
    # policy_development: moh only, a member -> covered.
    policy = row_of(functions, "function", "policy_development")
    assert (policy["status"], policy["actors"], policy["actor_count"]) == ("covered", ["Ministry of Health"], 1)
    assert render(policy["reason"]) == "Performed by 1 actor, on the national body."
    # cross_government_coordination: mog, the chair -> covered.
    assert row_of(functions, "function", "cross_government_coordination")["status"] == "covered"


def test_function_covered_when_only_some_performers_sit_on_the_body(functions):
    # referral_system: nhd (not seated) and wlan (member) -> covered, 1 of 2 seated.
    referral = row_of(functions, "function", "referral_system")
    assert referral["status"] == "covered"
    assert referral["actors"] == ["Northern Health Directorate", "Women's Legal Aid Network"]
    assert render(referral["reason"]) == "Performed by 2 actors, 1 of them on the national body."


def test_function_partial_when_no_performer_sits_on_the_national_body(functions):
    # capacity_building: moe only, who sits on the subnational forum, not the national body.
    capacity = row_of(functions, "function", "capacity_building")
    assert capacity["status"] == "partial"
    assert render(capacity["reason"]) == "Performed by 1 actor, none of them on the national coordination body."


def test_function_missing_when_nobody_performs_it(functions):
    # research_evaluation: no actor lists it.
    research = row_of(functions, "function", "research_evaluation")
    assert (research["status"], research["actors"], research["actor_count"]) == ("missing", [], 0)
    assert render(research["reason"]) == "No actor performs this function."


def test_function_partial_without_a_national_body():
    # policy_development is performed (moh) but there is no national body to sit on.
    policy = row_of(function_coverage(ACTORS, ONLY_SUBNATIONAL_BODY), "function", "policy_development")
    assert policy["status"] == "partial"
    assert render(policy["reason"]) == "Performed by 1 actor, but there is no national coordination body."


def test_function_coverage_of_empty_frames_is_all_missing():
    functions = function_coverage(empty_frame("actors"), empty_frame("coordination_bodies"))
    assert len(functions) == len(vocabulary("coordination_function").values)  # 13
    assert set(functions["status"]) == {"missing"}


def test_function_coverage_reads_only_ids_names_and_functions():
    # A frame with no sector, level or engagement column gives the same functions.
    narrow = ACTORS[["actor_id", "name", "functions"]]
    pd.testing.assert_frame_equal(function_coverage(narrow, BODIES), function_coverage(ACTORS, BODIES))


# --- the sample country's story --------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_sectors() -> pd.DataFrame:
    sample = sample_dataset()
    return sector_coverage(sample["actors"], sample["coordination_bodies"])


def test_sample_education_is_present_but_not_on_the_national_body(sample_sectors):
    # The national steering committee's notes: "Education was invited but has not joined."
    education = row_of(sample_sectors, "sector", "education")
    assert (education["status"], education["on_national_body"]) == ("partial", False)
    assert education["actors"] == ["Ministry of Education"]


def test_sample_labour_and_transport_are_missing(sample_sectors):
    for sector in ("labour", "transport"):
        assert row_of(sample_sectors, "sector", sector)["status"] == "missing"


def test_sample_interior_is_present_and_resistant(sample_sectors):
    # Ministry of Home Affairs sits on the national body (A008); all three interior actors are resistant.
    interior = row_of(sample_sectors, "sector", "interior")
    assert interior["status"] == "covered"
    assert interior["actor_count"] == 3
    assert interior["engagement"] == "resistant"
