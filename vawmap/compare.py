"""Two versions of a dataset side by side: who joined or left the table, what changed about
them, which services appeared or went, how each region's standards moved, and which findings
were resolved or are new.

Actors are matched by their id; services, which have none, by what they are (type, region,
provider), counted, so two identical rows are two services. Nothing here names a place: what
changed about services is said per region, like everything shown about them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from vawmap.gaps.assess import Assessment
from vawmap.gaps.findings import Finding
from vawmap.messages import plain

# What a person reads to know an actor changed (contacts and notes are not compared: personal data).
ACTOR_FIELDS = (
    "name",
    "acronym",
    "actor_type",
    "sector",
    "level",
    "region",
    "influence",
    "interest",
    "engagement",
    "functions",
)
SERVICE_KEY = ["service_type", "region", "provider"]
RATIO_COLUMNS = ["region", "standard", "name", "before", "after", "change"]


@dataclass(frozen=True)
class Comparison:
    actors_added: pd.DataFrame  # actor_id, name, sector, level
    actors_removed: pd.DataFrame
    actors_changed: pd.DataFrame  # actor_id, name, field, before, after
    services_added: pd.DataFrame  # service_type, region, provider, services
    services_removed: pd.DataFrame
    ratios: pd.DataFrame  # region, standard, name, before, after, change (where it moved)
    findings_resolved: list[Finding]
    findings_new: list[Finding]


def compare(
    before: Mapping[str, pd.DataFrame],
    after: Mapping[str, pd.DataFrame],
    before_assessment: Assessment,
    after_assessment: Assessment,
) -> Comparison:
    added, removed, changed = _actors(before["actors"], after["actors"])
    services_added, services_removed = _services(before["services"], after["services"])
    resolved, new = _findings(before_assessment.findings, after_assessment.findings)
    return Comparison(
        added,
        removed,
        changed,
        services_added,
        services_removed,
        _ratios(before_assessment.results, after_assessment.results),
        resolved,
        new,
    )


def _actors(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    shown = ["actor_id", "name", "sector", "level"]
    old, new = before.set_index("actor_id", drop=False), after.set_index("actor_id", drop=False)
    added = new.loc[new.index.difference(old.index), shown].reset_index(drop=True)
    removed = old.loc[old.index.difference(new.index), shown].reset_index(drop=True)
    both = old.index.intersection(new.index)
    changes = []
    for field in ACTOR_FIELDS:
        was, now = old.loc[both, field].astype("string"), new.loc[both, field].astype("string")
        moved = ~((was == now).fillna(False) | (was.isna() & now.isna()))
        for actor_id in both[moved.to_numpy()]:
            changes.append((actor_id, new.at[actor_id, "name"], field, was.at[actor_id], now.at[actor_id]))
    changed = pd.DataFrame(changes, columns=["actor_id", "name", "field", "before", "after"])
    return added, removed, changed


def _service_counts(services: pd.DataFrame) -> pd.Series:
    return services[SERVICE_KEY].astype("string").fillna("").value_counts()


def _services(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    old, new = _service_counts(before), _service_counts(after)
    difference = new.sub(old, fill_value=0)

    def table(counts: pd.Series) -> pd.DataFrame:
        frame = counts.rename("services").astype(int).reset_index()
        return frame.sort_values(SERVICE_KEY, ignore_index=True)

    return table(difference[difference > 0]), table(-difference[difference < 0])


def _ratios(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["region", "standard"]
    merged = before[[*keys, "name", "ratio"]].merge(
        after[[*keys, "name", "ratio"]], on=keys, how="outer", suffixes=("_before", "_after")
    )
    merged["name"] = merged["name_after"].fillna(merged["name_before"])
    merged = merged.rename(columns={"ratio_before": "before", "ratio_after": "after"})
    merged["change"] = merged["after"] - merged["before"]
    moved = ~((merged["before"] == merged["after"]) | (merged["before"].isna() & merged["after"].isna()))
    return merged.loc[moved, RATIO_COLUMNS].sort_values(keys, ignore_index=True)


def finding_identity(finding: Finding) -> str:
    """What a finding is about, without its numbers: the same gap in two versions is the same
    finding even when its shortfall changed."""
    said = plain(finding.message)
    about = {name: value for name, value in said["params"].items() if not isinstance(value, int | float)}
    return json.dumps(
        [finding.topic, finding.region, finding.standard, said["key"], about], sort_keys=True, default=str
    )


def _findings(before: list[Finding], after: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    old = {finding_identity(finding) for finding in before}
    new = {finding_identity(finding) for finding in after}
    return [f for f in before if finding_identity(f) not in new], [f for f in after if finding_identity(f) not in old]


def region_change(ratios: pd.DataFrame, regions: pd.Index) -> pd.Series:
    """Each region's mean change in its standards' ratios, from `Comparison.ratios` (the places
    that moved): a ratio counts up to 1, so exceeding a standard further is no gain; a standard
    measured on one side only is left out; a region where nothing moved changed by 0."""
    capped = ratios.assign(before=ratios["before"].clip(upper=1), after=ratios["after"].clip(upper=1))
    moved = (capped["after"] - capped["before"]).groupby(capped["region"]).mean()
    return moved.reindex(regions).fillna(0.0).rename("change")
