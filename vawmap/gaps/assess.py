"""assess(): the whole gap engine over a dataset's frames, and its JSON and text forms.

Each part is a plain function in its own module (coverage, regions, coordination, graph,
metrics, pathways, findings); this module only runs them in order and bundles the results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from vawmap.cells import json_value
from vawmap.gaps import coordination, coverage, findings, regions
from vawmap.gaps.findings import Finding
from vawmap.gaps.graph import actor_graph
from vawmap.gaps.metrics import actor_metrics, brokers, isolated_actors
from vawmap.gaps.pathways import PATHWAY_COLUMNS, referral_pathways
from vawmap.gaps.standards import StandardsSet, default_standards
from vawmap.i18n import t
from vawmap.messages import described, render_all


def counting_rules(language: str = "en") -> tuple[str, ...]:
    """How services are counted against the standards, one sentence per rule."""
    return (
        t("counting_rule.active_only", language),
        t("counting_rule.one_stop_centre", language),
        t("counting_rule.arithmetic", language),
        t("counting_rule.women_estimated", language),
    )


COUNTING_RULES = counting_rules("en")  # the CLI report and the JSON are in English


@dataclass(frozen=True)
class Assessment:
    standards: StandardsSet
    people: pd.DataFrame  # per region: population, population_women, women_estimated, in_regions_sheet
    tallies: regions.ServiceTallies
    results: pd.DataFrame  # per (region, standard)
    national: pd.DataFrame
    accessibility: pd.DataFrame
    scores: pd.DataFrame  # coverage score and rank per region
    sector_coverage: pd.DataFrame
    function_coverage: pd.DataFrame
    checklist: pd.DataFrame
    body_scores: pd.DataFrame
    regions_without_body: list[str]
    actor_metrics: pd.DataFrame
    pathways: pd.DataFrame
    findings: list[Finding]


def _table_part(actors: pd.DataFrame, bodies: pd.DataFrame, regions_sheet: pd.DataFrame, language: str) -> dict:
    """Who is at the table: sectors, functions and the coordination bodies."""
    checklist = coordination.body_checklist(bodies, actors, language)
    return {
        "sector_coverage": coverage.sector_coverage(actors, bodies, language),
        "function_coverage": coverage.function_coverage(actors, bodies, language),
        "checklist": checklist,
        "body_scores": coordination.body_scores(checklist),
        "regions_without_body": coordination.regions_without_body(regions_sheet, bodies),
    }


def assess(
    frames: Mapping[str, pd.DataFrame], standards: StandardsSet | None = None, language: str = "en"
) -> Assessment:
    standards = standards or default_standards()
    actors, services = frames["actors"], frames["services"]
    table = _table_part(actors, frames["coordination_bodies"], frames["regions"], language)
    encoded = regions.encode_services(services, regions.listed_regions(frames["regions"]))
    tallies = regions.tally_services(encoded)
    people = regions.populations(frames["regions"], encoded.regions)
    results = regions.standard_results(tallies, people, standards)
    national = regions.national_results(services, encoded, standards)
    graph = actor_graph(actors, frames["links"])
    metrics = actor_metrics(actors, graph)
    pathways = referral_pathways(encoded, graph, services)
    # findings.network_findings still takes a pathway's reason as text: worded here until it takes the Message.
    worded_pathways = pathways.assign(reason=render_all(pathways["reason"], language))
    found = (
        findings.national_findings(national, language)
        + findings.sector_findings(table["sector_coverage"], language)
        + findings.regional_findings(results, people, language)
        + findings.population_findings(people, language)
        + findings.coordination_findings(
            table["body_scores"], table["regions_without_body"], len(frames["regions"]), language
        )
        + findings.network_findings(worded_pathways, isolated_actors(metrics), language)
    )
    return Assessment(
        standards=standards,
        people=people,
        tallies=tallies,
        results=results,
        national=national,
        accessibility=regions.accessibility(encoded),
        scores=regions.coverage_scores(tallies, standards),
        **table,
        actor_metrics=metrics,
        pathways=pathways,
        findings=findings.rank(found, tuple(standard.id for standard in standards.standards)),
    )


# ── JSON ──────────────────────────────────────────────────────────────────────


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [json_value(dict(zip(columns, row))) for row in frame[columns].itertuples(index=False)]


def _region_records(assessment: Assessment) -> list[dict]:
    by_region = {region: group for region, group in assessment.results.groupby("region", sort=False)}
    records = []
    for region, person in assessment.people.iterrows():
        recorded = assessment.tallies.recorded.loc[region]
        standards = by_region.get(region, assessment.results.iloc[:0])
        records.append(
            json_value(
                {
                    "region": region,
                    "population": person["population"],
                    "population_women": person["population_women"],
                    "women_estimated": bool(person["women_estimated"]),
                    "in_regions_sheet": bool(person["in_regions_sheet"]),
                    "services": {kind: int(count) for kind, count in recorded.items() if count},
                    "planned": {kind: int(n) for kind, n in assessment.tallies.planned.loc[region].items() if n},
                    "suspended": {kind: int(n) for kind, n in assessment.tallies.suspended.loc[region].items() if n},
                    "standards": _records(standards, ["standard", "required", "actual", "shortfall", "ratio", "met"]),
                    "coverage_score": assessment.scores.loc[region, "coverage_score"],
                    "rank": assessment.scores.loc[region, "rank"],
                }
            )
        )
    return records


def _pathway_records(pathways: pd.DataFrame) -> list[dict]:
    """One record per region; the reason in English, with its key and params for other tools."""
    flags = [column for column in PATHWAY_COLUMNS if column != "reason"]
    return [
        {**record, **described(reason, "reason")}
        for record, reason in zip(_records(pathways, flags), pathways["reason"])
    ]


def to_json(assessment: Assessment) -> dict:
    """The object `python -m vawmap gaps --json` prints."""
    return {
        "counting_rules": list(COUNTING_RULES),
        "standards": [
            json_value(
                {
                    "id": s.id,
                    "name": s.name,
                    "rule": s.rule,
                    "per": s.per,
                    "minimum": s.minimum,
                    "population": s.population,
                    "source": s.source,
                }
            )
            for s in assessment.standards.enabled
        ],
        "sector_coverage": _records(
            assessment.sector_coverage, ["sector", "tier", "status", "actors", "levels", "engagement", "reason"]
        ),
        "function_coverage": _records(assessment.function_coverage, ["function", "status", "actors", "reason"]),
        "regions": _region_records(assessment),
        "national": _records(
            assessment.national, ["standard", "name", "required", "actual", "candidates", "met", "providers", "source"]
        ),
        "coordination": {
            "bodies": _records(
                assessment.body_scores, ["body", "level", "region", "score", "failed", "unknown_criteria"]
            ),
            "regions_without_body": assessment.regions_without_body,
        },
        "network": {
            "isolated": isolated_actors(assessment.actor_metrics),
            "brokers": brokers(assessment.actor_metrics),
            "referral_pathways": _pathway_records(assessment.pathways),
        },
        "findings": [
            json_value(
                {
                    "severity": f.severity,
                    "topic": f.topic,
                    "text": f.text,
                    "region": f.region,
                    "standard": f.standard,
                    "numbers": f.numbers,
                }
            )
            for f in assessment.findings
        ],
    }


# ── text report ───────────────────────────────────────────────────────────────


def report_text(assessment: Assessment, top: int = 25) -> str:
    """A readable report for the terminal."""
    lines = ["FINDINGS (most severe first)"]
    lines += [f"  [{f.severity}] {f.text}" for f in assessment.findings[:top]]
    if len(assessment.findings) > top:
        lines.append(f"  ... and {len(assessment.findings) - top} more (--json lists them all)")
    lines += ["", "SECTORS AT THE TABLE"]
    lines += [f"  {row.status:<8} {row.sector:<22} {row.reason}" for row in assessment.sector_coverage.itertuples()]
    lines += ["", "REGIONS (coverage score of essential services, shelter places per 10,000)"]
    shelters = assessment.results[assessment.results["standard"] == "shelter_places"].set_index("region")
    for region, score in assessment.scores.sort_values("rank").iterrows():
        ratio = shelters["ratio"].get(region) if len(shelters) else None
        shown = "n/a" if ratio is None or pd.isna(ratio) else f"{ratio:.0%} of the standard"
        lines.append(f"  #{score['rank']:<3} {region:<24} score {score['coverage_score']:.0%}   shelters: {shown}")
    lines += ["", "COORDINATION BODIES"]
    for row in assessment.body_scores.itertuples():
        failed = ", ".join(row.failed) or "nothing"
        lines.append(f"  {row.body}: {row.met} criteria met, fails on {failed}")
    if assessment.regions_without_body:
        lines.append("  Regions without a body: " + ", ".join(assessment.regions_without_body))
    lines += ["", "COUNTING RULES"] + [f"  {rule}" for rule in COUNTING_RULES]
    return "\n".join(lines)
