"""vawmap.dashboard.overview: the headline figures, on small frames and on the sample country."""

from __future__ import annotations

import pytest

from tests.dashboard_fixtures import frames_of
from tests.network_fixtures import actors_frame, filled_frame
from vawmap.dashboard import overview
from vawmap.dataset import sample_dataset
from vawmap.gaps.assess import assess
from vawmap.rules import MINIMUM_SECTORS

# Three services: active, planned, and one with no status (counted as active).
HEADLINE_SERVICES = filled_frame(
    "services",
    {
        "provider": ["Refuge", "Clinic", "Helpline"],
        "service_type": ["safe_accommodation", "health_first_line_support", "helpline"],
        "region": ["North", "North", "South"],
        "capacity": [30, None, None],
        "status": ["active", "planned", None],
    },
)
HEADLINE_REGIONS = filled_frame("regions", {"region": ["North", "South"], "population": [20_000, 10_000]})
HEADLINE_ACTORS = actors_frame({"H": "health", "P": "police"})


def test_headline_on_small_frames():
    frames = frames_of(actors=HEADLINE_ACTORS, services=HEADLINE_SERVICES, regions=HEADLINE_REGIONS)
    figures = overview.headline(frames, assess(frames))
    assert (figures.actors, figures.services, figures.active_services, figures.regions) == (2, 3, 2, 2)
    # only health and police of the 8 minimum sectors are present
    assert figures.minimum_sectors_missing == [s for s in MINIMUM_SECTORS if s not in ("health", "police")]
    # both regions have a population, so both are measured. South has no shelter at all (needs 1
    # place); North has 30 places for 2 needed but no rape crisis centre (needs 0.05 for its
    # 10,000 estimated women): both are below a standard
    assert figures.regions_measured == 2
    assert sorted(figures.regions_below_standard) == ["North", "South"]
    # neither region has every essential service type
    assert figures.regions_missing_essential == ["North", "South"]


SAMPLE_ACTORS, SAMPLE_SERVICES, SAMPLE_REGIONS = 128, 560, 16
SAMPLE_ACTIVE = 522  # 560 services less 26 planned and 12 suspended
SAMPLE_REGIONS_WITHOUT_SHELTER = ["Ironhills", "Mistwood", "Farhollow", "Duskvale"]


@pytest.fixture(scope="module")
def sample_headline():
    dataset = sample_dataset()
    return overview.headline(dataset.frames, assess(dataset.frames))


def test_headline_on_the_sample_counts(sample_headline):
    assert (
        sample_headline.actors,
        sample_headline.services,
        sample_headline.active_services,
        sample_headline.regions,
    ) == (SAMPLE_ACTORS, SAMPLE_SERVICES, SAMPLE_ACTIVE, SAMPLE_REGIONS)


def test_headline_on_the_sample_gaps(sample_headline):
    # every minimum sector has an actor in the sample country
    assert sample_headline.minimum_sectors_missing == []
    # every region has a population; even the capital has 2 rape crisis centres for 5.6 needed
    assert sample_headline.regions_measured == SAMPLE_REGIONS
    assert "Capital District" in sample_headline.regions_below_standard
    assert len(set(sample_headline.regions_below_standard)) == len(sample_headline.regions_below_standard)
    # a region without a shelter lacks an essential service; the capital has all of them
    assert set(SAMPLE_REGIONS_WITHOUT_SHELTER) <= set(sample_headline.regions_missing_essential)
    assert "Capital District" not in sample_headline.regions_missing_essential
