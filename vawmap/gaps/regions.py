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
SERVICE_TYPES = vocabulary("service_type").values
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


@dataclass(frozen=True)
class EncodedServices:
    """The services as integer codes, computed once and shared by every tally.

    region: index into the region list (-1 when not in it); kind: index into the service
    types (-1 when unknown); the flags are plain numpy arrays.
    """

    regions: list[str]
    region: np.ndarray
    kind: np.ndarray
    active: np.ndarray
    planned: np.ndarray
    suspended: np.ndarray
    capacity: np.ndarray
    open_24_7: np.ndarray
    free_of_charge: np.ndarray
    target_codes: np.ndarray  # factorize codes of target_groups (-1 blank)
    target_combos: list  # the distinct target_groups cells
    provider_codes: np.ndarray  # factorize codes of provider_id (-1 blank)
    provider_ids: pd.Index  # the distinct provider_id values

    def of_kinds(self, service_types) -> np.ndarray:
        """Per service: whether its type is one of `service_types` (a lookup, not np.isin)."""
        wanted = np.zeros(len(SERVICE_TYPES) + 1, dtype=bool)  # the last slot answers kind -1
        wanted[[SERVICE_TYPES.index(service_type) for service_type in service_types]] = True
        return wanted[self.kind]


def _codes(values: pd.Series, categories) -> np.ndarray:
    """Each value's position in `categories` (-1 when absent or blank), hashing each distinct value once."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    position = {name: index for index, name in enumerate(categories)}
    lookup = np.array([position.get(value, -1) for value in distinct] + [-1], dtype="int64")
    return lookup[codes]


def encode_services(services: pd.DataFrame, regions: list[str]) -> EncodedServices:
    status = _codes(services["status"].fillna(ACTIVE), ("active", "planned", "suspended"))
    target_codes, combos = pd.factorize(services["target_groups"], use_na_sentinel=True)
    provider_codes, provider_ids = pd.factorize(services["provider_id"], use_na_sentinel=True)
    return EncodedServices(
        regions=regions,
        region=_codes(services["region"], regions),
        kind=_codes(services["service_type"], SERVICE_TYPES),
        active=status == 0,
        planned=status == 1,
        suspended=status == 2,
        capacity=services["capacity"].to_numpy(dtype="float64", na_value=0.0),
        open_24_7=services["open_24_7"].to_numpy(dtype=bool, na_value=False),
        free_of_charge=services["free_of_charge"].to_numpy(dtype=bool, na_value=False),
        target_codes=target_codes,
        target_combos=list(combos),
        provider_codes=provider_codes,
        provider_ids=pd.Index(provider_ids, dtype=object),
    )


def _table(encoded: EncodedServices, mask: np.ndarray, weights: np.ndarray | None = None) -> pd.DataFrame:
    """Region × service type sums of `weights` (or counts) over the rows in `mask`."""
    types = SERVICE_TYPES
    mask = mask & (encoded.region >= 0) & (encoded.kind >= 0)
    cells = len(encoded.regions) * len(types)
    flat = np.bincount(encoded.region[mask] * len(types) + encoded.kind[mask],
                       weights=None if weights is None else weights[mask], minlength=cells)
    values = flat.reshape(len(encoded.regions), len(types))
    if weights is None:
        values = values.astype("int64")
    return pd.DataFrame(values, index=pd.Index(encoded.regions, name="region"), columns=list(types))


def tally_services(encoded: EncodedServices) -> ServiceTallies:
    """Counts and capacity per region and service type, by status."""
    recorded = _table(encoded, encoded.active)
    counted = recorded.copy()
    for service_type in ONE_STOP_COUNTS_AS:
        counted[service_type] += recorded[ONE_STOP]
    return ServiceTallies(
        recorded=recorded,
        counted=counted,
        capacity=_table(encoded, encoded.active, encoded.capacity),
        planned=_table(encoded, encoded.planned),
        suspended=_table(encoded, encoded.suspended),
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


def national_results(services: pd.DataFrame, encoded: EncodedServices, standards: StandardsSet) -> pd.DataFrame:
    """National rules (the 24/7 free helpline): how many active services meet every requirement."""
    rows = []
    for standard in standards.by_rule("national"):
        candidates = encoded.active & encoded.of_kinds(standard.service_types)
        meeting = candidates.copy()
        for column in standard.requires:
            meeting &= getattr(encoded, column)
        names = services["provider"][meeting].dropna().unique().tolist()
        rows.append({
            "standard": standard.id, "name": standard.name, "required": standard.minimum,
            "actual": int(meeting.sum()), "candidates": int(candidates.sum()),
            "met": bool(meeting.sum() >= standard.minimum), "providers": sorted(set(names)),
            "requires": list(standard.requires), "source": standard.source,
        })
    return pd.DataFrame(rows, columns=["standard", "name", "required", "actual", "candidates", "met", "providers",
                                       "requires", "source"])


def coverage_scores(tallies: ServiceTallies, standards: StandardsSet) -> pd.DataFrame:
    """Share of the essential service types present (active) in each region, and its rank."""
    essential = list(standards.essential_service_types)
    present = tallies.counted[essential] > 0
    table = pd.DataFrame(index=tallies.counted.index)
    table["coverage_score"] = present.mean(axis=1) if essential else np.nan
    flags = present.to_numpy()
    table["present"] = [[kind for kind, here in zip(essential, row) if here] for row in flags]
    table["missing"] = [[kind for kind, here in zip(essential, row) if not here] for row in flags]
    table["rank"] = table["coverage_score"].rank(method="min", ascending=False).astype("Int64")
    return table


def accessibility(encoded: EncodedServices) -> pd.DataFrame:
    """Per region, among active services: share open 24/7, free of charge, and serving each target group."""
    placed = encoded.active & (encoded.region >= 0)
    codes = encoded.region[placed]
    size = len(encoded.regions)
    total = np.bincount(codes, minlength=size).astype("float64")
    table = pd.DataFrame({"services": total.astype("int64")}, index=pd.Index(encoded.regions, name="region"))
    with np.errstate(invalid="ignore", divide="ignore"):
        for column in ("open_24_7", "free_of_charge"):
            flags = getattr(encoded, column)[placed]
            table[f"share_{column}"] = np.bincount(codes, weights=flags, minlength=size) / total
        groups = encoded.target_codes[placed]
        for group in vocabulary("target_group").values:
            serves = np.array([group in str(combo).split(LIST_JOIN) for combo in encoded.target_combos] + [False])
            table[f"share_{group}"] = np.bincount(codes, weights=serves[groups], minlength=size) / total
    return table
