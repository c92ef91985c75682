"""Regional gaps: every region against the essential services and the minimum standards.

Counting rules (DOMAIN.md), stated once here and shown in the app:
- only ACTIVE services count; planned and suspended ones are tallied apart, never counted;
- a one_stop_centre counts as itself AND toward post_rape_care, police_response and
  legal_aid (seed 001, Bangladesh's OSCCs); its capacity is not shelter capacity;
- a per-population standard needs `required = population / per` units in a region;
  `shortfall = max(0, required - actual)`, `ratio = actual / required`;
- where a region's population of women is missing it is estimated from its population
  with the national share of women (0.5 when no region gives both), and flagged.

Speed: one factorisation of (region, service type) and np.bincount per measure, so a
million services cost about as much as one groupby.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vawmap.gaps.standards import Standard, StandardsSet
from vawmap.ingest.normalise import LIST_JOIN
from vawmap.vocab import ONE_STOP_COUNTS_AS, vocabulary

ACTIVE = "active"
ONE_STOP = "one_stop_centre"
DEFAULT_SHARE_OF_WOMEN = 0.5


@dataclass(frozen=True)
class ServiceTallies:
    """Region × service type tables (regions as index, every service type as a column)."""

    recorded: pd.DataFrame  # active services as recorded
    counted: pd.DataFrame  # active services with the one-stop rule applied
    capacity: pd.DataFrame  # summed capacity of active services
    planned: pd.DataFrame
    suspended: pd.DataFrame


def _table(region_codes, type_codes, regions, types, weights=None) -> pd.DataFrame:
    cells = len(regions) * len(types)
    flat = np.bincount(region_codes * len(types) + type_codes, weights=weights, minlength=cells)
    values = flat.reshape(len(regions), len(types))
    if weights is None:
        values = values.astype("int64")
    return pd.DataFrame(values, index=pd.Index(regions, name="region"), columns=list(types))


def tally_services(services: pd.DataFrame, regions: list[str]) -> ServiceTallies:
    """Counts and capacity per region and service type, by status."""
    types = vocabulary("service_type").values
    region_codes = pd.Categorical(services["region"], categories=regions).codes.astype("int64")
    type_codes = pd.Categorical(services["service_type"], categories=types).codes.astype("int64")
    status = services["status"].fillna(ACTIVE).to_numpy(dtype=object)
    placed = (region_codes >= 0) & (type_codes >= 0)

    def table(mask, weights=None) -> pd.DataFrame:
        mask = mask & placed
        return _table(region_codes[mask], type_codes[mask], regions, types,
                      None if weights is None else weights[mask])

    active = status == ACTIVE
    capacity = services["capacity"].fillna(0).to_numpy(dtype="float64")
    recorded = table(active)
    counted = recorded.copy()
    for service_type in ONE_STOP_COUNTS_AS:
        counted[service_type] += recorded[ONE_STOP]
    return ServiceTallies(
        recorded=recorded,
        counted=counted,
        capacity=table(active, capacity),
        planned=table(status == "planned"),
        suspended=table(status == "suspended"),
    )


def region_list(regions: pd.DataFrame, services: pd.DataFrame) -> list[str]:
    """Regions of the regions sheet in its order, then any region named only by services."""
    listed = list(dict.fromkeys(regions["region"].dropna()))
    extra = sorted(set(services["region"].dropna().unique()) - set(listed))
    return listed + extra


def populations(regions: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Population and women per region; women estimated (and flagged) where missing."""
    known = regions.dropna(subset=["region"]).drop_duplicates("region").set_index("region")
    table = pd.DataFrame(index=pd.Index(names, name="region"))
    table["in_regions_sheet"] = table.index.isin(known.index)
    table["population"] = known["population"].reindex(table.index).astype("Float64")
    women = known["population_women"].reindex(table.index).astype("Float64")
    both = known.dropna(subset=["population", "population_women"])
    both = both[both["population"] > 0]
    share = float(both["population_women"].sum() / both["population"].sum()) if len(both) else DEFAULT_SHARE_OF_WOMEN
    table["women_estimated"] = (women.isna() & table["population"].notna()).to_numpy(dtype=bool)
    table["population_women"] = women.fillna(table["population"] * share)
    table.attrs["share_of_women"] = share
    return table


def _measure(tallies: ServiceTallies, standard: Standard) -> pd.Series:
    table = tallies.capacity if standard.measure == "capacity" else tallies.counted
    return table[list(standard.service_types)].sum(axis=1)


RESULT_COLUMNS = ["region", "standard", "name", "rule", "measure", "unit", "service_types", "population_base", "required", "actual",
                  "shortfall", "ratio", "met", "source"]


def standard_results(tallies: ServiceTallies, people: pd.DataFrame, standards: StandardsSet) -> pd.DataFrame:
    """One row per (region, regional standard): required, actual, shortfall, ratio, met."""
    frames = []
    for standard in standards.by_rule("per_population") + standards.by_rule("per_region"):
        actual = _measure(tallies, standard).astype("float64")
        if standard.rule == "per_population":
            base = people["population_women" if standard.population == "women" else "population"]
            required = (base / standard.per).astype("Float64")
        else:
            required = pd.Series(float(standard.minimum), index=actual.index, dtype="Float64")
        shortfall = (required - actual).clip(lower=0)
        ratio = (actual / required).where(required > 0)
        frames.append(pd.DataFrame({
            "region": actual.index,
            "standard": standard.id,
            "name": standard.name,
            "rule": standard.rule,
            "measure": standard.measure,
            "unit": standard.unit,
            "service_types": LIST_JOIN.join(standard.service_types),
            "population_base": standard.population if standard.rule == "per_population" else None,
            "required": required.to_numpy(),
            "actual": actual.to_numpy(),
            "shortfall": shortfall.to_numpy(),
            "ratio": ratio.to_numpy(),
            "met": (actual >= required).to_numpy(),  # NA where the population is unknown
            "source": standard.source,
        }))
    if not frames:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def national_results(services: pd.DataFrame, standards: StandardsSet) -> pd.DataFrame:
    """National rules (the 24/7 free helpline): how many active services meet every requirement."""
    rows = []
    active = services[services["status"].fillna(ACTIVE) == ACTIVE]
    for standard in standards.by_rule("national"):
        candidates = active[active["service_type"].isin(standard.service_types)]
        meeting = pd.Series(True, index=candidates.index)
        for column in standard.requires:
            meeting &= candidates[column].fillna(False).astype(bool)
        names = sorted(candidates.loc[meeting, "provider"].dropna().unique())
        rows.append({
            "standard": standard.id, "name": standard.name, "required": standard.minimum,
            "actual": int(meeting.sum()), "candidates": len(candidates), "met": bool(meeting.sum() >= standard.minimum),
            "providers": names, "requires": list(standard.requires), "source": standard.source,
        })
    return pd.DataFrame(rows, columns=["standard", "name", "required", "actual", "candidates", "met", "providers",
                                       "requires", "source"])


def coverage_scores(tallies: ServiceTallies, standards: StandardsSet) -> pd.DataFrame:
    """Share of the essential service types present (active) in each region, and its rank."""
    essential = list(standards.essential_service_types)
    present = tallies.counted[essential] > 0
    table = pd.DataFrame(index=tallies.counted.index)
    table["coverage_score"] = present.mean(axis=1) if essential else np.nan
    table["present"] = [[t for t in essential if row[t]] for _, row in present.iterrows()]
    table["missing"] = [[t for t in essential if not row[t]] for _, row in present.iterrows()]
    table["rank"] = table["coverage_score"].rank(method="min", ascending=False).astype("Int64")
    return table


def accessibility(services: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Per region, among active services: share open 24/7, free of charge, and serving each target group."""
    active = services[services["status"].fillna(ACTIVE) == ACTIVE]
    codes = pd.Categorical(active["region"], categories=names).codes.astype("int64")
    placed = codes >= 0
    codes = codes[placed]
    total = np.bincount(codes, minlength=len(names)).astype("float64")
    table = pd.DataFrame({"services": total.astype("int64")}, index=pd.Index(names, name="region"))
    with np.errstate(invalid="ignore", divide="ignore"):
        for column in ("open_24_7", "free_of_charge"):
            flags = active[column].fillna(False).to_numpy(dtype=bool)[placed]
            table[f"share_{column}"] = np.bincount(codes, weights=flags, minlength=len(names)) / total
        group_codes, combos = pd.factorize(active["target_groups"].to_numpy()[placed], use_na_sentinel=True)
        for group in vocabulary("target_group").values:
            serves = np.array([group in str(combo).split(LIST_JOIN) for combo in combos] + [False])
            table[f"share_{group}"] = np.bincount(codes, weights=serves[group_codes], minlength=len(names)) / total
    return table
