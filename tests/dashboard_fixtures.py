"""Small frames shared by the dashboard tests: the five sheets, and three regions to measure."""

from __future__ import annotations

import pandas as pd

from tests.network_fixtures import filled_frame
from vawmap.dashboard.regional import Measure, measures
from vawmap.dataset import empty_frame
from vawmap.gaps.assess import Assessment

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def frames_of(**given: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The five sheets, empty unless given."""
    names = ("actors", "services", "regions", "coordination_bodies", "links")
    return {name: given.get(name, empty_frame(name)) for name in names}


# North: 20,000 people (10,000 women), shelters with 5 family places, 1 rape crisis centre.
# Empty: population 0.  Unknown: no population.  Each of the last two has one shelter of 3 places.
MEASURE_REGIONS = filled_frame(
    "regions",
    {
        "region": ["North", "Empty", "Unknown"],
        "population": [20_000, 0, None],
        "population_women": [10_000, 0, None],
    },
)
MEASURE_SERVICES = filled_frame(
    "services",
    {
        "provider": ["Shelter N1", "Shelter N2", "Crisis centre N", "Shelter E", "Shelter U"],
        "service_type": [
            "safe_accommodation",
            "safe_accommodation",
            "rape_crisis_centre",
            "safe_accommodation",
            "safe_accommodation",
        ],
        "region": ["North", "North", "North", "Empty", "Unknown"],
        "capacity": [2, 3, None, 3, 3],
        "status": ["active"] * 5,
    },
)


def measure_named(assessment: Assessment, key: str) -> Measure:
    """The measure with this key (e.g. "rate:shelter_places")."""
    return next(found for found in measures(assessment) if found.key == key)
