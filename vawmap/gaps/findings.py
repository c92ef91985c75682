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
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from vawmap.cells import is_missing
from vawmap.gaps.standards import standard_word
from vawmap.messages import Message, Percent, Quantity, Term, message

SEVERITIES = ("critical", "major", "minor")
FAR_BELOW = 0.5  # a ratio under this is a major gap

# The kinds of finding and the sheets each is drawn from. Drawn from a sheet that is empty or
# mostly set aside, a finding would report what the upload lost as a gap in the response ("no
# shelter is listed" when the shelters' rows were set aside), so it is withheld (caveats.py).
SERVICES, POPULATION, SECTORS, COORDINATION, REFERRAL, ISOLATION = (
    "services",
    "population",
    "sectors",
    "coordination",
    "referral",
    "isolation",
)
FINDING_NEEDS: dict[str, tuple[str, ...]] = {
    SERVICES: ("services", "regions"),  # regions against the standards, national standards
    POPULATION: ("regions",),
    SECTORS: ("actors",),
    COORDINATION: ("coordination_bodies",),
    REFERRAL: ("services", "actors", "links"),
    ISOLATION: ("actors", "links"),
}


@dataclass(frozen=True)
class Finding:
    severity: str
    topic: str  # national | sector | region | coordination | network | data
    message: Message  # what the finding says, put into words by the edges
    region: str | None = None
    standard: str | None = None
    numbers: dict = field(default_factory=dict)
    weight: float = 0.0  # people concerned, to rank within a severity
    kind: str = SERVICES  # which sheets it is drawn from: FINDING_NEEDS[kind]


def _rows(frame: pd.DataFrame, rows: np.ndarray | None = None) -> Iterator[Any]:
    """The rows (those at positions `rows`, when given) as named tuples, like
    itertuples(index=False), with each column read once: itertuples boxes Arrow-backed text one
    value at a time."""
    row = _row_type(tuple(frame.columns))
    columns = [frame[column].to_numpy(dtype=object) for column in frame.columns]
    if rows is not None:
        columns = [column[rows] for column in columns]
    return map(row._make, zip(*(column.tolist() for column in columns)))


@lru_cache(maxsize=16)
def _row_type(columns: tuple[str, ...]) -> Any:
    """The named tuple of a frame's rows, one class per set of columns: making a class is slow."""
    return namedtuple("Row", columns, rename=True)  # fields known only at run time


def regional_findings(results: pd.DataFrame, people: pd.DataFrame) -> list[Finding]:
    """Shortfalls against each regional standard, one finding per (region, standard) not met.

    A per-region standard whose service types a per-population one already reported absent
    in the region is not repeated. Severities, keys and weights are decided for all the rows
    at once; only the findings themselves are built one by one."""
    unmet = np.flatnonzero(results["met"].eq(False).to_numpy(dtype=bool, na_value=False))
    per_region = results["rule"].to_numpy(dtype=object)[unmet] == "per_region"
    rows = unmet[np.argsort(per_region, kind="stable")]  # the per-population standards first

    def column(name: str, dtype: str = "object") -> np.ndarray:
        return results[name].to_numpy(dtype=dtype)[rows]

    region, per_region, women = column("region"), column("rule") == "per_region", column("population_base") == "women"
    actual, required, ratio = column("actual", "float64"), column("required", "float64"), column("ratio", "float64")
    population = _population_base(people, region, women)
    absent = ~per_region & (actual == 0)
    said_absent = _pairs(region, column("service_types"))
    keep = np.flatnonzero(~(per_region & np.isin(said_absent, said_absent[absent])))  # absent: said once
    columns = [
        region,
        column("standard"),
        column("name"),
        column("unit"),
        women,
        *_key_and_severity(per_region, absent, required, ratio),
        required,
        actual,
        column("shortfall", "float64"),
        _known(ratio),
        _known(population),
        _weights(per_region, population, ratio),
    ]
    quantities: dict[float | None, Quantity] = {}  # findings showing the same number share its Quantity
    return [_regional_finding(quantities, *values) for values in zip(*(values[keep].tolist() for values in columns))]


def _key_and_severity(
    per_region: np.ndarray, absent: np.ndarray, required: np.ndarray, ratio: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each unmet result's message key and severity: no service in the region at all is
    critical (a fraction of a unit missing is major), under half the standard major, else minor."""
    whole = absent & (required >= 1)
    severity = np.select([per_region | whole, absent | (ratio < FAR_BELOW)], ["critical", "major"], "minor")
    key = np.select([per_region, whole, absent], [_NONE_IN_REGION, _ABSENT, _ABSENT_FRACTION], _BELOW)
    return key, severity


def _weights(per_region: np.ndarray, population: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """People concerned (0 when unknown); below a per-population standard, only the share the
    services do not reach."""
    known = np.where(np.isnan(population), 0.0, population)
    return np.where(per_region, known, known * (1 - np.where(np.isnan(ratio), 0.0, ratio)))


def _population_base(people: pd.DataFrame, region: np.ndarray, women: np.ndarray) -> np.ndarray:
    """The population each result is measured on: the region's women or all its people (NaN
    when unknown or the region is not in the people table)."""
    place = people.index.get_indexer(pd.Index(region, dtype=object))
    return np.where(women, _per_region(people, "population_women")[place], _per_region(people, "population")[place])


_NONE_IN_REGION, _ABSENT, _ABSENT_FRACTION, _BELOW = (
    "finding.none_in_region",
    "finding.absent",
    "finding.absent_fraction",  # under one unit required: a real gap, but not the region's most urgent
    "finding.below",
)
_PEOPLE = {True: message("finding.women"), False: message("finding.people")}


def _known(values: np.ndarray) -> np.ndarray:
    """The numbers as Python objects, None where unknown (NaN), as the JSON gives them."""
    known = values.astype(object)
    known[np.isnan(values)] = None
    return known


def _per_region(people: pd.DataFrame, column: str) -> np.ndarray:
    """The people table's column as floats, NaN where unknown, and a NaN past the end for a
    region it does not list."""
    return np.append(people[column].to_numpy(dtype="float64", na_value=np.nan), np.nan)


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One integer per distinct (first, second) pair of the two columns."""
    first_code, _ = pd.factorize(first)
    second_code, seconds = pd.factorize(second)
    return first_code.astype(np.int64) * (len(seconds) + 1) + second_code


def _regional_finding(
    quantities: dict[float | None, Quantity],
    region: str,
    standard: str,
    name: str,
    unit: str,
    women: bool,
    key: str,
    severity: str,
    required: float,
    actual: float,
    shortfall: float,
    ratio: float | None,
    population: float | None,
    weight: float,
) -> Finding:
    numbers = {"required": required, "actual": actual, "shortfall": shortfall, "ratio": ratio, "population": population}
    name_word, unit_word = standard_word(standard, "name", name), standard_word(standard, "unit", unit)
    if key == _NONE_IN_REGION:
        said = Message(key, {"region": region, "unit": unit_word, "name": name_word})
    else:
        params = {
            "region": region,
            "unit": unit_word,
            "actual": quantities.get(actual) or quantities.setdefault(actual, Quantity(actual)),
            "required": Quantity(required),
            "population": quantities.get(population) or quantities.setdefault(population, Quantity(population)),
            "people": _PEOPLE[women],
            "name": name_word,
            "percent": Percent(0.0 if ratio is None else ratio),
        }
        said = Message(key, params)
    return Finding(severity, "region", said, region, standard, numbers, weight, SERVICES)


def population_findings(people: pd.DataFrame) -> list[Finding]:
    """Regions that cannot be measured, or are measured on an estimate."""
    findings: list[Finding] = []
    share = Percent(people.attrs.get("share_of_women", 0.5), digits=1)  # 50.6%, as written before
    flagged = ~people["in_regions_sheet"].to_numpy(dtype=bool) | people["population"].isna().to_numpy(dtype=bool)
    flagged |= people["women_estimated"].to_numpy(dtype=bool)
    if not flagged.any():
        return findings
    for row in _rows(people.reset_index(), np.flatnonzero(flagged)):
        if not row.in_regions_sheet:
            said = message("finding.region_not_in_sheet", region=row.region)
            findings.append(Finding("minor", "data", said, row.region, kind=POPULATION))
        elif pd.isna(row.population):
            said = message("finding.population_unknown", region=row.region)
            findings.append(Finding("minor", "data", said, row.region, kind=POPULATION))
        elif row.women_estimated:
            women = row.population_women
            said = message("finding.women_estimated", region=row.region, women=Quantity(women), share=share)
            numbers = {"population_women": women}
            findings.append(Finding("minor", "data", said, row.region, numbers=numbers, kind=POPULATION))
    return findings


def national_findings(national: pd.DataFrame) -> list[Finding]:
    findings = []
    for row in _rows(national):
        if not row.met:
            name = standard_word(row.standard, "name", row.name)
            said = message("finding.national_missing", name=name, candidates=row.candidates)
            findings.append(
                Finding(
                    "critical",
                    "national",
                    said,
                    standard=row.standard,
                    numbers={"actual": row.actual, "candidates": row.candidates},
                    weight=math.inf,
                    kind=SERVICES,
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
        findings.append(Finding(severity, "sector", said, numbers={"actors": row.actor_count}, kind=SECTORS))
    return findings


def coordination_findings(scores: pd.DataFrame, without_body: list[str], region_count: int) -> list[Finding]:
    findings = []
    failing = np.flatnonzero([bool(failed) for failed in scores["failed"].tolist()])
    criterion_names: dict[str, Message] = {}  # one Message per criterion, shared by the findings naming it
    for body, level, region, met, unknown, score, failed in zip(
        *(
            scores[column].to_numpy()[failing].tolist()
            for column in ("body", "level", "region", "met", "unknown", "score", "failed")
        )
    ):
        said = message(
            "finding.body_fails",
            body=body,
            met=met,
            total=met + len(failed) + unknown,
            failed=[criterion_names.setdefault(criterion, message(f"criterion.{criterion}")) for criterion in failed],
        )
        severity = "major" if level == "national" else "minor"
        place = None if is_missing(region) else region
        findings.append(Finding(severity, "coordination", said, place, numbers={"score": score}, kind=COORDINATION))
    if without_body:
        said = message(
            "finding.regions_without_body", count=len(without_body), total=region_count, regions=list(without_body)
        )
        numbers = {"regions": len(without_body)}
        findings.append(Finding("major", "coordination", said, numbers=numbers, kind=COORDINATION))
    return findings


def network_findings(pathways: pd.DataFrame, isolated: list[str]) -> list[Finding]:
    broken = np.flatnonzero(~pathways["complete"].to_numpy(dtype=bool))
    regions = pathways["region"].to_numpy(dtype=object)[broken].tolist()
    reasons = pathways["reason"].to_numpy(dtype=object)[broken].tolist()
    findings = [
        Finding(
            "major", "network", message("finding.referral_broken", region=region, reason=reason), region, kind=REFERRAL
        )
        for region, reason in zip(regions, reasons)
    ]
    if isolated:
        said = message("finding.isolated", count=len(isolated), actors=list(isolated))
        findings.append(Finding("minor", "network", said, numbers={"isolated": len(isolated)}, kind=ISOLATION))
    return findings


TOPICS = ("national", "sector", "region", "coordination", "network", "data")


def rank(findings: list[Finding], standard_order: tuple[str, ...] = ()) -> list[Finding]:
    """Critical first, then major, then minor; within each, by topic, then by standard in the
    standards file's order (shelters first), then the most people first (ties keep their order)."""
    severity = {name: number for number, name in enumerate(SEVERITIES)}
    topic = {name: number for number, name in enumerate(TOPICS)}
    # a standard listed twice ranks by its first place, as list.index would give it
    standard: dict[str | None, int] = {name: number for number, name in reversed(list(enumerate(standard_order)))}
    keys = [
        np.array([severity[finding.severity] for finding in findings], dtype=np.int64),
        np.array([topic[finding.topic] for finding in findings], dtype=np.int64),
        np.array([standard.get(finding.standard, len(standard_order)) for finding in findings], dtype=np.int64),
        -np.array([finding.weight for finding in findings], dtype=np.float64),
    ]
    return [findings[position] for position in np.lexsort(keys[::-1]).tolist()]  # lexsort sorts by the last key first
