"""Findings: what a donor can paste into a brief, ranked by severity.

Each finding is a Message (finding.* in vawmap/locales) that the edges put into words, and
carries the numbers it rests on, so a sentence can always be checked:
"Duskvale has no family places: 0 of the 20 its 198,798 people need (Shelter family places)."

Severity: critical — an essential service or a minimum sector is absent altogether;
major — present but far below the standard (under half), or a coordination gap;
minor — below the standard but at least half way, or a data gap. Within a severity,
findings that concern more people come first.
"""

from __future__ import annotations

import math
from collections import namedtuple
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from vawmap.messages import Message, Percent, Quantity, Term, message

SEVERITIES = ("critical", "major", "minor")
FAR_BELOW = 0.5  # a ratio under this is a major gap


@dataclass(frozen=True)
class Finding:
    severity: str
    topic: str  # national | sector | region | coordination | network | data
    message: Message  # what the finding says, put into words by the edges
    region: str | None = None
    standard: str | None = None
    numbers: dict = field(default_factory=dict)
    weight: float = 0.0  # people concerned, to rank within a severity


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows as named tuples, like itertuples(index=False), with each column read once:
    itertuples boxes Arrow-backed text one value at a time (2 microseconds each)."""
    row = namedtuple("Row", frame.columns, rename=True)  # type: ignore[misc]  # fields known only at run time
    return map(row._make, zip(*(frame[column].to_numpy(dtype=object) for column in frame.columns)))


def regional_findings(results: pd.DataFrame, people: pd.DataFrame) -> list[Finding]:
    """Shortfalls against each regional standard, one finding per (region, standard) not met."""
    findings = []
    absent: set[tuple[str, str]] = set()  # (region, service types) already reported as absent
    bases = {"women": people["population_women"].to_dict(), "all": people["population"].to_dict()}
    unmet = results[results["met"].eq(False).fillna(False).astype(bool)]
    for row in _rows(unmet.sort_values("rule", key=lambda rule: rule != "per_population", kind="stable")):
        women = row.population_base == "women"
        base = bases["women" if women else "all"][row.region]
        numbers = {
            "required": row.required,
            "actual": row.actual,
            "shortfall": row.shortfall,
            "ratio": None if pd.isna(row.ratio) else row.ratio,
            "population": None if pd.isna(base) else base,
        }
        unit = row.unit
        if row.rule == "per_region":
            if (row.region, row.service_types) in absent:
                continue
            said = message("finding.none_in_region", region=row.region, unit=unit, name=row.name)
            findings.append(Finding("critical", "region", said, row.region, row.standard, numbers, _weight(base)))
            continue
        params = {
            "region": row.region,
            "unit": unit,
            "actual": Quantity(row.actual),
            "required": Quantity(row.required),
            "population": Quantity(base),
            "people": message("finding.women" if women else "finding.people"),
            "name": row.name,
            "percent": Percent(0.0 if pd.isna(row.ratio) else row.ratio),
        }
        if row.actual == 0:
            absent.add((row.region, row.service_types))
            # under one unit required, the gap is real but not the region's most urgent
            severity = "critical" if row.required >= 1 else "major"
            key = "finding.absent" if row.required >= 1 else "finding.absent_fraction"
        else:
            severity = "major" if row.ratio < FAR_BELOW else "minor"
            key = "finding.below"
        findings.append(
            Finding(
                severity,
                "region",
                Message(key, params),
                row.region,
                row.standard,
                numbers,
                _weight(base) * (1 - (numbers["ratio"] or 0)),
            )
        )
    return findings


def _weight(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def population_findings(people: pd.DataFrame) -> list[Finding]:
    """Regions that cannot be measured, or are measured on an estimate."""
    findings = []
    share = Percent(people.attrs.get("share_of_women", 0.5), digits=1)  # 50.6%, as written before
    for row in _rows(people.reset_index()):
        if not row.in_regions_sheet:
            said = message("finding.region_not_in_sheet", region=row.region)
            findings.append(Finding("minor", "data", said, row.region))
        elif pd.isna(row.population):
            said = message("finding.population_unknown", region=row.region)
            findings.append(Finding("minor", "data", said, row.region))
        elif row.women_estimated:
            women = row.population_women
            said = message("finding.women_estimated", region=row.region, women=Quantity(women), share=share)
            findings.append(Finding("minor", "data", said, row.region, numbers={"population_women": women}))
    return findings


def national_findings(national: pd.DataFrame) -> list[Finding]:
    findings = []
    for row in _rows(national):
        if not row.met:
            said = message("finding.national_missing", name=row.name, candidates=row.candidates)
            findings.append(
                Finding(
                    "critical",
                    "national",
                    said,
                    standard=row.standard,
                    numbers={"actual": row.actual, "candidates": row.candidates},
                    weight=math.inf,
                )
            )
    return findings


def sector_findings(coverage: pd.DataFrame) -> list[Finding]:
    findings = []
    for row in _rows(coverage):
        if row.status == "covered":
            continue
        if row.tier == "minimum":
            severity = "critical" if row.status == "missing" else "major"
        else:
            severity = "minor"
        key = "finding.sector_missing" if row.status == "missing" else "finding.sector_partial"
        tier = message(f"finding.tier_{row.tier}")
        said = message(key, sector=Term("sector", row.sector), tier=tier, reason=row.reason)
        findings.append(Finding(severity, "sector", said, numbers={"actors": row.actor_count}))
    return findings


def coordination_findings(scores: pd.DataFrame, without_body: list[str], region_count: int) -> list[Finding]:
    findings = []
    for row in _rows(scores):
        if not row.failed:
            continue
        severity = "major" if row.level == "national" else "minor"
        said = message(
            "finding.body_fails",
            body=row.body,
            met=row.met,
            total=row.met + len(row.failed) + row.unknown,
            failed=[message(f"criterion.{criterion}") for criterion in row.failed],
        )
        findings.append(
            Finding(
                severity,
                "coordination",
                said,
                row.region if pd.notna(row.region) else None,
                numbers={"score": row.score},
            )
        )
    if without_body:
        said = message(
            "finding.regions_without_body", count=len(without_body), total=region_count, regions=list(without_body)
        )
        findings.append(Finding("major", "coordination", said, numbers={"regions": len(without_body)}))
    return findings


def network_findings(pathways: pd.DataFrame, isolated: list[str]) -> list[Finding]:
    findings = []
    for row in _rows(pathways):
        if not row.complete:
            said = message("finding.referral_broken", region=row.region, reason=row.reason)
            findings.append(Finding("major", "network", said, row.region))
    if isolated:
        said = message("finding.isolated", count=len(isolated), actors=list(isolated))
        findings.append(Finding("minor", "network", said, numbers={"isolated": len(isolated)}))
    return findings


TOPICS = ("national", "sector", "region", "coordination", "network", "data")


def rank(findings: list[Finding], standard_order: tuple[str, ...] = ()) -> list[Finding]:
    """Critical first, then major, then minor; within each, by topic, then by standard in the
    standards file's order (shelters first), then the most people first."""

    def key(finding: Finding):
        standard = standard_order.index(finding.standard) if finding.standard in standard_order else len(standard_order)
        return SEVERITIES.index(finding.severity), TOPICS.index(finding.topic), standard, -finding.weight

    return sorted(findings, key=key)
