"""The Regional gaps page as plain tables: what the map can colour by and its value per region,
the ranking table, the region × service matrix, required vs actual per standard, and the
drill-down into one region."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vawmap.gaps.assess import Assessment
from vawmap.privacy import public_view

COVERAGE_MEASURE = "coverage_score"
DRILLDOWN_SERVICE_COLUMNS = [
    "provider",
    "service_type",
    "region",
    "district",
    "status",
    "capacity",
    "open_24_7",
    "free_of_charge",
    "target_groups",
    "confidential",
]


# ----------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    key: str
    standard: str | None  # the standard it comes from, None for the coverage score
    kind: str  # "score" (0-1), "ratio" (share of a standard met) or "rate" (units per N people)
    per: int | None = None


def measures(assessment: Assessment) -> list[Measure]:
    """What the map can colour by: the coverage score, then each per-population standard as a
    rate (e.g. shelter places per 10,000 people), then each regional standard's ratio."""
    found = [Measure(COVERAGE_MEASURE, None, "score")]
    for standard in assessment.standards.by_rule("per_population"):
        assert standard.per is not None  # a per_population standard is refused without one
        found.append(Measure(f"rate:{standard.id}", standard.id, "rate", int(standard.per)))
    for standard in assessment.standards.by_rule("per_population") + assessment.standards.by_rule("per_region"):
        found.append(Measure(f"ratio:{standard.id}", standard.id, "ratio"))
    return found


def measure_values(assessment: Assessment, measure: Measure) -> pd.Series:
    """One value per region (region list order); NaN where it cannot be measured."""
    regions = assessment.people.index
    if measure.kind == "score":
        return assessment.scores["coverage_score"].reindex(regions).astype(float)
    rows = assessment.results[assessment.results["standard"] == measure.standard].set_index("region")
    if measure.kind == "ratio":
        return rows["ratio"].reindex(regions).astype(float)
    women = rows["population_base"].eq("women").any()
    base = assessment.people["population_women" if women else "population"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = rows["actual"].reindex(regions).astype(float) / base * measure.per
    return rate.where(base > 0)


def region_table(assessment: Assessment, measure: Measure) -> pd.DataFrame:
    """Per region: the measure, its rank, the coverage score and the number of unmet standards."""
    unmet = assessment.results[assessment.results["met"].eq(False).fillna(False).astype(bool)]
    return pd.DataFrame(
        {
            "region": assessment.people.index,
            "value": measure_values(assessment, measure).to_numpy(),
            "coverage_score": assessment.scores["coverage_score"].reindex(assessment.people.index).to_numpy(),
            "population": assessment.people["population"].to_numpy(dtype=float, na_value=np.nan),
            "unmet_standards": unmet.groupby("region").size().reindex(assessment.people.index, fill_value=0).to_numpy(),
        }
    )


# ----------------------------------------------------------------------------- below the map


def service_matrix(assessment: Assessment) -> pd.DataFrame:
    """Region × service type counts of active services (one-stop centres as recorded), only the
    service types that appear somewhere."""
    recorded = assessment.tallies.recorded
    return recorded.loc[:, recorded.sum(axis=0) > 0]


def standard_bars(assessment: Assessment, standard_id: str) -> pd.DataFrame:
    """Required vs actual for one standard, per region, largest shortfall first."""
    rows = assessment.results[assessment.results["standard"] == standard_id]
    return rows[["region", "required", "actual", "shortfall", "ratio", "met", "status"]].sort_values(
        "shortfall", ascending=False, kind="stable"
    )


def population_needed(assessment: Assessment, standard_id: str) -> list[str]:
    """The regions a standard cannot be measured in until their population is given."""
    rows = assessment.results[assessment.results["standard"] == standard_id]
    return rows.loc[rows["status"] == "population_needed", "region"].tolist()


# ----------------------------------------------------------------------------- drill-down


@dataclass(frozen=True)
class RegionDetail:
    region: str
    population: float | None
    coverage_score: float | None
    services: pd.DataFrame  # public view: confidential services without district or location
    shortfalls: pd.DataFrame  # standard (its id), name, unit, required, actual, shortfall, ratio
    findings: list
    pathway: dict | None


def region_detail(services: pd.DataFrame, assessment: Assessment, region: str) -> RegionDetail:
    """Everything the drill-down shows for one region. Services go through public_view, and
    the columns that could place a service below region level are dropped for confidential ones."""
    here = services[services["region"] == region]
    shown = public_view("services", here)[DRILLDOWN_SERVICE_COLUMNS].reset_index(drop=True)
    results = assessment.results[assessment.results["region"] == region]
    shortfalls = results[results["met"].eq(False).fillna(False).astype(bool)]
    people = assessment.people
    pathways = assessment.pathways.set_index("region")
    return RegionDetail(
        region=region,
        population=None
        if region not in people.index or pd.isna(people.loc[region, "population"])
        else float(people.loc[region, "population"]),
        coverage_score=float(assessment.scores.loc[region, "coverage_score"])
        if region in assessment.scores.index
        else None,
        services=shown,
        shortfalls=shortfalls[["standard", "name", "unit", "required", "actual", "shortfall", "ratio"]].reset_index(
            drop=True
        ),
        findings=[finding for finding in assessment.findings if finding.region == region],
        pathway=pathways.loc[region].to_dict() if region in pathways.index else None,
    )
