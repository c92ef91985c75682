"""vawmap.dashboard.stakeholders: Mendelow's quadrants, the influence/interest grid, the sector ×
level matrix and the actor filters, on small frames worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.network_fixtures import filled_frame
from vawmap.dashboard import stakeholders
from vawmap.dataset import empty_frame
from vawmap.rules import MINIMUM_SECTORS

# ----------------------------------------------------------------------------- quadrant


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (3, 3, "monitor"),  # 3 is still low on both scores
        (4, 4, "manage_closely"),  # 4 is the first high score
        (4, 3, "keep_satisfied"),  # high influence, low interest
        (3, 4, "keep_informed"),  # low influence, high interest
        (5, 1, "keep_satisfied"),
        (1, 5, "keep_informed"),
        (1, 1, "monitor"),
        (5, 5, "manage_closely"),
    ],
)
def test_quadrant_puts_three_low_and_four_high(influence, interest, expected):
    assert stakeholders.quadrant(influence, interest) == expected


@pytest.mark.parametrize(
    ("influence", "interest"),
    [
        (None, 4),
        (4, None),
        (pd.NA, 4),
        (4, pd.NA),
        (float("nan"), 2),
        (None, None),
    ],
)
def test_quadrant_is_none_when_a_score_is_missing(influence, interest):
    assert stakeholders.quadrant(influence, interest) is None


# ----------------------------------------------------------------------------- influence / interest grid

# A and B share (influence 4, interest 4); C stands alone at (2, 5); D has no interest score.
GRID_ACTORS = filled_frame(
    "actors",
    {
        "actor_id": ["A", "B", "C", "D"],
        "name": ["Actor A", "Actor B", "Actor C", "Actor D"],
        "sector": ["health", "police", "justice", "education"],
        "actor_type": ["government"] * 4,
        "level": ["national"] * 4,
        "influence": [4, 4, 2, 5],
        "interest": [4, 4, 5, None],
    },
)
GRID_SPREAD = 0.28  # the offset radius in influence_interest


def test_influence_interest_leaves_out_actors_without_both_scores():
    grid = stakeholders.influence_interest(GRID_ACTORS)
    assert list(grid["name"]) == ["Actor A", "Actor B", "Actor C"]
    assert stakeholders.unscored_actors(GRID_ACTORS) == 1  # D


def test_influence_interest_names_each_actors_quadrant():
    grid = stakeholders.influence_interest(GRID_ACTORS).set_index("name")
    assert grid.loc["Actor A", "quadrant"] == "manage_closely"
    assert grid.loc["Actor C", "quadrant"] == "keep_informed"  # influence 2 (low), interest 5 (high)


def test_influence_interest_keeps_actors_with_equal_scores_apart():
    grid = stakeholders.influence_interest(GRID_ACTORS).set_index("name")
    a, b = grid.loc["Actor A"], grid.loc["Actor B"]
    # Two actors at (4, 4) sit on a circle of radius 0.28 around it, opposite each other:
    # A at angle 0 -> (4.28, 4), B at angle pi -> (3.72, 4): 0.56 apart.
    assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) == pytest.approx(2 * GRID_SPREAD)
    for row in (a, b):
        assert math.dist((row["x"], row["y"]), (4, 4)) == pytest.approx(GRID_SPREAD)
        # still in the high/high quadrant (past the midpoint line at 3.5)
        assert row["x"] > stakeholders.GRID_MIDPOINT + 0.5 and row["y"] > stakeholders.GRID_MIDPOINT + 0.5


def test_influence_interest_does_not_move_an_actor_alone_on_its_scores():
    grid = stakeholders.influence_interest(GRID_ACTORS).set_index("name")
    # C: x = interest 5, y = influence 2, no offset
    assert (grid.loc["Actor C", "x"], grid.loc["Actor C", "y"]) == (5.0, 2.0)


# ----------------------------------------------------------------------------- sector × level matrix

MATRIX_ACTORS = filled_frame(
    "actors",
    {
        "actor_id": ["H1", "H2", "P1", "S1", "X1", "U1"],
        "name": ["Health ministry", "District clinic", "Police HQ", "Social welfare", "No sector", "Health NGO"],
        "sector": ["health", "health", "police", "social_welfare", None, "health"],
        "level": ["national", "local", "subnational", "national", "national", None],
    },
)


def test_sector_level_matrix_lists_minimum_sectors_first_then_the_others_sorted():
    matrix = stakeholders.sector_level_matrix(MATRIX_ACTORS)
    # the 8 minimum sectors in their fixed order (even those nobody represents), then social_welfare,
    # then the actors whose sector is not given (shown, never hidden)
    assert list(matrix.index) == [*MINIMUM_SECTORS, "social_welfare", stakeholders.SECTOR_NOT_GIVEN]


def test_sector_level_matrix_counts_actors_per_sector_and_level():
    matrix = stakeholders.sector_level_matrix(MATRIX_ACTORS)
    # health: national 1 (H1), local 1 (H2), unknown 1 (U1); police: subnational 1; no sector: its own row
    assert list(matrix.columns) == ["national", "subnational", "local", "unknown"]
    assert matrix.loc["health"].tolist() == [1, 0, 1, 1]
    assert matrix.loc["police"].tolist() == [0, 1, 0, 0]
    assert matrix.loc["social_welfare"].tolist() == [1, 0, 0, 0]
    assert matrix.loc["education"].tolist() == [0, 0, 0, 0]
    assert matrix.loc[stakeholders.SECTOR_NOT_GIVEN].tolist() == [1, 0, 0, 0]
    assert int(matrix.to_numpy().sum()) == 6  # six actors, one without a sector, none hidden


def test_sector_level_matrix_has_no_unknown_column_when_every_level_is_known():
    known = MATRIX_ACTORS[MATRIX_ACTORS["level"].notna()]
    assert list(stakeholders.sector_level_matrix(known).columns) == ["national", "subnational", "local"]


def test_sector_level_matrix_of_no_actors_is_all_zeros():
    matrix = stakeholders.sector_level_matrix(empty_frame("actors"))
    assert list(matrix.index) == list(MINIMUM_SECTORS)
    assert int(matrix.to_numpy().sum()) == 0


# ----------------------------------------------------------------------------- filters

FILTER_ACTORS = filled_frame(
    "actors",
    {
        "actor_id": ["MOH", "CLINIC", "POLICE", "NGO"],
        "name": ["Ministry of Health", "North clinic", "Police", "Women's NGO"],
        "sector": ["health", "health", "police", "womens_organisations"],
        "actor_type": ["government", "government", "government", "womens_organisation"],
        "level": ["national", "local", "national", "local"],
        "region": [None, "North", None, "North"],
    },
)


def names(frame: pd.DataFrame) -> list[str]:
    return list(frame["name"])


def test_filter_actors_with_no_filter_keeps_everyone():
    assert names(stakeholders.filter_actors(FILTER_ACTORS)) == names(FILTER_ACTORS)
    assert names(stakeholders.filter_actors(FILTER_ACTORS, [], [], [], [])) == names(FILTER_ACTORS)


def test_filter_actors_by_one_sector():
    assert names(stakeholders.filter_actors(FILTER_ACTORS, sectors=["health"])) == [
        "Ministry of Health",
        "North clinic",
    ]


def test_filter_actors_combines_filters_with_and():
    # health AND local -> only the clinic
    assert names(stakeholders.filter_actors(FILTER_ACTORS, sectors=["health"], levels=["local"])) == ["North clinic"]
    # two sectors (OR within a filter) AND national
    assert names(stakeholders.filter_actors(FILTER_ACTORS, sectors=["health", "police"], levels=["national"])) == [
        "Ministry of Health",
        "Police",
    ]


def test_filter_actors_by_region_leaves_out_actors_without_a_region():
    assert names(stakeholders.filter_actors(FILTER_ACTORS, regions=["North"])) == ["North clinic", "Women's NGO"]
    assert names(stakeholders.filter_actors(FILTER_ACTORS, actor_types=["womens_organisation"], regions=["North"])) == [
        "Women's NGO"
    ]


def test_filter_actors_matching_nobody_is_empty():
    assert stakeholders.filter_actors(FILTER_ACTORS, sectors=["police"], levels=["local"]).empty
