"""The map of change between two versions: each region's mean change in its standards' ratios
(vawmap/compare.py region_change), drawn on the Data page's comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from vawmap import charts
from vawmap.compare import region_change

REGIONS = pd.Index(["North", "South", "East"], name="region")
# North: one standard from 0.2 to 0.6 and one from 0.5 to 0.3 (mean +0.1); South: exceeding a
# standard further is no gain (1.5 -> 2.0 counts 1 -> 1), a shelter ratio from 0.4 to 1.2 (+0.6);
# East moved nowhere.
MOVED = pd.DataFrame(
    {
        "region": ["North", "North", "South", "South", "South"],
        "standard": ["shelter", "helpline", "helpline", "shelter", "legal"],
        "before": [0.2, 0.5, 1.5, 0.4, None],
        "after": [0.6, 0.3, 2.0, 1.2, 0.5],
    }
)


def test_each_region_changes_by_the_mean_of_its_capped_ratios():
    change = region_change(MOVED, REGIONS)

    assert change.to_dict() == pytest.approx({"North": 0.1, "South": 0.3, "East": 0.0})


def test_a_map_of_change_is_centred_on_no_change_and_reads_in_points_of_percent():
    assert charts._value_range(pd.Series([-0.2, 0.5]), charts.CHANGE) == (-0.5, 0.5)
    assert charts._value_format(charts.CHANGE) == ":+.0%"
