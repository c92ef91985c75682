"""assess(): the whole gap engine over a dataset's frames, and its JSON and text forms.

Each part is a plain function in its own module (coverage, regions, coordination, graph,
metrics, pathways, findings); this module only runs them in order and bundles the results. The
assessment holds no words: reasons and findings are Messages, and only to_json and report_text
put them into a language, so one assessment serves every language.
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
from vawmap.i18n import DEFAULT_LANGUAGE, label, t
from vawmap.messages import Message, Term, described, message, percent_text, quantity_text, render
from vawmap.rules import ONE_STOP_COUNTS_AS

# How services are counted against the standards: one sentence each (counting_rule.<rule>), in this order.
COUNTING_RULES = ("active_only", "one_stop_centre", "arithmetic", "women_estimated")


def counting_rules() -> tuple[Message, ...]:
    """How services are counted against the standards, one Message per rule; the service types
    a one-stop centre counts toward named by their labels (rules.toml)."""
    one_stop = {
        "centre": Term("service_type", "one_stop_centre"),
        "services": [Term("service_type", service) for service in ONE_STOP_COUNTS_AS],
    }
    return tuple(
        message(f"counting_rule.{rule}", **(one_stop if rule == "one_stop_centre" else {})) for rule in COUNTING_RULES
    )


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


def _table_part(actors: pd.DataFrame, bodies: pd.DataFrame, regions_sheet: pd.DataFrame) -> dict:
    """Who is at the table: sectors, functions and the coordination bodies."""
    checklist = coordination.body_checklist(bodies, actors)
    return {
        "sector_coverage": coverage.sector_coverage(actors, bodies),
        "function_coverage": coverage.function_coverage(actors, bodies),
        "checklist": checklist,
        "body_scores": coordination.body_scores(checklist),
        "regions_without_body": coordination.regions_without_body(regions_sheet, bodies),
    }


def assess(frames: Mapping[str, pd.DataFrame], standards: StandardsSet | None = None) -> Assessment:
    standards = standards or default_standards()
    actors, services = frames["actors"], frames["services"]
    table = _table_part(actors, frames["coordination_bodies"], frames["regions"])
    encoded = regions.encode_services(services, regions.listed_regions(frames["regions"]))
    tallies = regions.tally_services(encoded)
    people = regions.populations(frames["regions"], encoded.regions)
    results = regions.standard_results(tallies, people, standards)
    national = regions.national_results(services, encoded, standards)
    graph = actor_graph(actors, frames["links"])
    metrics = actor_metrics(actors, graph)
    pathways = referral_pathways(encoded, graph, services)
    found = (
        findings.national_findings(national)
        + findings.sector_findings(table["sector_coverage"])
        + findings.regional_findings(results, people)
        + findings.population_findings(people)
        + findings.coordination_findings(table["body_scores"], table["regions_without_body"], len(frames["regions"]))
        + findings.network_findings(pathways, isolated_actors(metrics))
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


def _described_records(frame: pd.DataFrame, columns: list[str], language: str) -> list[dict]:
    """The records of `columns`, then the reason (a Message) as reason, reason_key and reason_params."""
    reasons = [described(reason, "reason", language) for reason in frame["reason"]]
    return [record | json_value(reason) for record, reason in zip(_records(frame, columns), reasons)]


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


def _finding_record(finding: Finding, language: str) -> dict:
    """A finding in `language` (text), with its key and params for tools that translate themselves."""
    return json_value(
        {
            "severity": finding.severity,
            "topic": finding.topic,
            **described(finding.message, "", language),
            "region": finding.region,
            "standard": finding.standard,
            "numbers": finding.numbers,
        }
    )


def _pathway_records(pathways: pd.DataFrame, language: str) -> list[dict]:
    """One record per region; the reason in `language`, with its key and params for other tools."""
    flags = [column for column in PATHWAY_COLUMNS if column != "reason"]
    return [
        {**record, **described(reason, "reason", language)}
        for record, reason in zip(_records(pathways, flags), pathways["reason"])
    ]


def to_json(assessment: Assessment, language: str = DEFAULT_LANGUAGE) -> dict:
    """The object `python -m vawmap gaps --json` prints, its words in `language`."""
    return {
        "counting_rules": [render(rule, language) for rule in counting_rules()],
        "counting_rule_keys": [rule.key for rule in counting_rules()],
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
        "sector_coverage": _described_records(
            assessment.sector_coverage, ["sector", "tier", "status", "actors", "levels", "engagement"], language
        ),
        "function_coverage": _described_records(
            assessment.function_coverage, ["function", "status", "actors"], language
        ),
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
            "referral_pathways": _pathway_records(assessment.pathways, language),
        },
        "findings": [_finding_record(finding, language) for finding in assessment.findings],
    }


# ── text report ───────────────────────────────────────────────────────────────


# The words of the text report, keys of [cli.text] in the catalogues.
TEXT_REPORT_WORDS = (
    "findings", "more", "sectors", "regions", "region", "not_measured", "of_standard", "bodies", "body", "nothing",
    "without_body", "rules",
)  # fmt: skip


def report_text(assessment: Assessment, language: str = DEFAULT_LANGUAGE, top: int = 25) -> str:
    """A readable report for the terminal, every word and number in `language`."""

    def words(key: str, **params) -> str:
        assert key in TEXT_REPORT_WORDS, key
        return t(f"cli.text.{key}", language, **params)

    lines = [words("findings")]
    lines += [
        f"  [{t(f'severity.{f.severity}', language)}] {render(f.message, language)}" for f in assessment.findings[:top]
    ]
    if len(assessment.findings) > top:
        lines.append("  " + words("more", count=quantity_text(len(assessment.findings) - top, language)))
    lines += ["", words("sectors")]
    lines += [
        f"  {t(f'coverage.status.{row.status}', language):<10} {label('sector', row.sector, language):<28} "
        + render(row.reason, language)
        for row in assessment.sector_coverage.itertuples()
    ]
    lines += ["", words("regions")]
    shelters = assessment.results[assessment.results["standard"] == "shelter_places"].set_index("region")
    for region, score in assessment.scores.sort_values("rank").iterrows():
        ratio = shelters["ratio"].get(region) if len(shelters) else None
        shown = (
            words("not_measured")
            if ratio is None or pd.isna(ratio)
            else words("of_standard", share=percent_text(ratio, language=language))
        )
        score_text = percent_text(score["coverage_score"], language=language)
        lines.append("  " + words("region", rank=int(score["rank"]), region=region, score=score_text, shelters=shown))
    lines += ["", words("bodies")]
    for row in assessment.body_scores.itertuples():
        failed = ", ".join(t(f"criterion.{criterion}", language) for criterion in row.failed) or words("nothing")
        lines.append("  " + words("body", body=row.body, met=row.met, failed=failed))
    if assessment.regions_without_body:
        lines.append("  " + words("without_body", regions=", ".join(assessment.regions_without_body)))
    lines += ["", words("rules")] + [f"  {render(rule, language)}" for rule in counting_rules()]
    return "\n".join(lines)
