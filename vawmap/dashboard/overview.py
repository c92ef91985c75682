"""The headline figures at the top of the Overview page."""

from __future__ import annotations

from dataclasses import dataclass

from vawmap.gaps.assess import Assessment
from vawmap.gaps.coverage import MISSING
from vawmap.gaps.regions import ACTIVE


@dataclass(frozen=True)
class Headline:
    actors: int
    services: int
    active_services: int
    regions: int
    minimum_sectors_missing: list[str]
    regions_below_standard: list[str]
    regions_measured: int
    regions_missing_essential: list[str]


def headline(frames: dict, assessment: Assessment) -> Headline:
    """The five figures at the top of the Overview page."""
    coverage = assessment.sector_coverage
    minimum = coverage[coverage["tier"] == "minimum"]
    results = assessment.results
    measured = results.dropna(subset=["met"])
    below = measured.loc[~measured["met"].astype(bool), "region"]
    status = frames["services"]["status"].fillna(ACTIVE)
    return Headline(
        actors=len(frames["actors"]),
        services=len(frames["services"]),
        active_services=int((status == ACTIVE).sum()),
        regions=len(assessment.people),
        minimum_sectors_missing=minimum.loc[minimum["status"] == MISSING, "sector"].tolist(),
        regions_below_standard=list(dict.fromkeys(below)),
        regions_measured=int(measured["region"].nunique()),
        regions_missing_essential=assessment.scores.index[assessment.scores["coverage_score"] < 1].tolist(),
    )
