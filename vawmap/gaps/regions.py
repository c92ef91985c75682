"""Regional gaps: every region against the essential services and the minimum standards.

Counting rules, stated once here and shown in the app:
- only ACTIVE services count; planned and suspended ones are tallied apart, never counted;
- a one_stop_centre counts as itself AND toward post_rape_care, police_response and
  legal_aid (rules.toml [one_stop_centre], after Bangladesh's One-Stop Crisis Centres in
  UN Women, coordination structures); its capacity is not shelter capacity;
- a per-population standard needs `required = population / per` units in a region;
  `shortfall = max(0, required - actual)`, `ratio = actual / required`;
- where a region's population of women is missing it is estimated from its population
  with the national share of women (0.5 when no region gives both), and flagged.

Each text column of the services is turned once into integer codes (EncodedServices): the
known values (service types, statuses, regions) are looked up in one Arrow hash table each,
the target-group cells dictionary-encoded. Every table is then a count of those codes
(np.bincount), never a groupby per table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from vawmap.cells import LIST_JOIN
from vawmap.gaps.columns import arrow_text, codes_in, first_positions, text_column
from vawmap.gaps.standards import Standard, StandardsSet
from vawmap.rules import ONE_STOP_COUNTS_AS
from vawmap.vocab import vocabulary

ACTIVE = "active"
STATUSES = (ACTIVE, "planned", "suspended")  # status codes 0, 1, 2 (a blank status counts as active)
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

    regions: the region list (the listed regions in their order, then any region named only by
    services, sorted); region: index into it (-1 when blank); kind: index into the service
    types (-1 when unknown); the flags are plain numpy arrays.
    """

    regions: list[str]
    region: np.ndarray
    kind: np.ndarray
    status: np.ndarray  # 0 active (or blank), 1 planned, 2 suspended, -1 any other value
    capacity: np.ndarray
    open_24_7: np.ndarray
    free_of_charge: np.ndarray
    target_codes: np.ndarray  # index into target_combos, len(target_combos) for a blank
    target_combos: list  # the distinct target_groups cells

    @cached_property
    def active(self) -> np.ndarray:
        return self.status == 0

    @cached_property
    def _index(self) -> pd.Index:
        return pd.Index(self.regions, name="region")

    def index(self) -> pd.Index:
        """The regions as the index of a per-region table: a shallow copy of one built once
        (pandas turns the names into an Arrow array each time), so that renaming one table's
        index leaves the others alone."""
        return self._index.copy()

    @cached_property
    def counts(self) -> ServiceCounts:
        """The services counted by status, region and type (computed on first use, then kept)."""
        return count_services(self)

    def of_kinds(self, service_types) -> np.ndarray:
        """Per service: whether its type is one of `service_types` (a lookup, not np.isin)."""
        return kind_flags(service_types)[self.kind]


def kind_flags(service_types) -> np.ndarray:
    """Per kind code: whether it is one of `service_types`; the last slot answers kind -1 (False)."""
    wanted = np.zeros(len(SERVICE_TYPES) + 1, dtype=bool)
    wanted[[SERVICE_TYPES.index(service_type) for service_type in service_types]] = True
    return wanted


def _region_codes(values: pd.Series, listed: list[str]) -> tuple[np.ndarray, list[str]]:
    """(codes, region list): the listed regions, then the others the values name (sorted);
    each value's position in that list, -1 when blank."""
    names = list(dict.fromkeys(listed))
    text = arrow_text(values)
    codes = first_positions(text, names)
    unlisted = (codes < 0) & text.is_valid().to_numpy(zero_copy_only=False)
    if not unlisted.any():
        return codes, names
    named = text.filter(unlisted)
    others = sorted(set(pc.unique(named).to_pylist()))
    codes = codes.copy()
    codes[unlisted] = first_positions(named, others) + len(names)
    return codes, names + others


def encode_services(services: pd.DataFrame, regions: list[str]) -> EncodedServices:
    """The services as codes; `regions` are the listed regions (e.g. the regions sheet's, as
    listed_regions gives them), and any region named only by services is added after them."""
    region, names = _region_codes(services["region"], regions)
    cells = pc.dictionary_encode(arrow_text(services["target_groups"]))  # the distinct cells are not known beforehand
    return EncodedServices(
        regions=names,
        region=region,
        kind=codes_in(services["service_type"], SERVICE_TYPES),
        status=codes_in(services["status"], STATUSES, blank=0),  # a blank status means active
        capacity=services["capacity"].to_numpy(dtype="float64", na_value=0.0),
        open_24_7=services["open_24_7"].to_numpy(dtype=bool, na_value=False),
        free_of_charge=services["free_of_charge"].to_numpy(dtype=bool, na_value=False),
        target_codes=cells.indices.fill_null(len(cells.dictionary)).to_numpy(),
        target_combos=cells.dictionary.to_pylist(),
    )


@dataclass(frozen=True)
class ServiceCounts:
    """What every regional table is summed from.

    by_status[s, region, type]: services of status s (0 active, 1 planned, 2 suspended);
    capacity[region, type]: summed capacity of the active ones; and among active services per
    region, by_flags[region, 2 * open_24_7 + free_of_charge] and by_targets[region, cell]
    (cell indexes target_combos, the last column counts blank cells).
    """

    by_status: np.ndarray
    capacity: np.ndarray
    by_flags: np.ndarray
    by_targets: np.ndarray


def count_services(encoded: EncodedServices) -> ServiceCounts:
    """ServiceCounts, each table one np.bincount of a key made of the codes it is counted by
    (sums in row order). Services without a region or with an unknown status are counted in
    none of them, services of an unknown type only per region; a row left out is sent to one
    extra bin past the end, which is dropped: cheaper than picking the rows first."""
    regions, types, cells = len(encoded.regions), len(SERVICE_TYPES), len(encoded.target_combos)
    placed = (encoded.region >= 0) & (encoded.status >= 0)
    cube = 3 * regions * types  # status x region x type
    key = np.where(
        placed & (encoded.kind >= 0), (encoded.status * regions + encoded.region) * types + encoded.kind, cube
    )
    by_status = np.bincount(key, minlength=cube + 1)[:cube]
    capacity = np.bincount(key, weights=encoded.capacity, minlength=cube + 1)[: regions * types]  # status 0: active
    active_region = np.where(placed & encoded.active, encoded.region, regions)
    flags = (encoded.open_24_7.view(np.uint8) << 1) | encoded.free_of_charge.view(np.uint8)  # 2 * open + free
    by_flags = np.bincount(active_region * 4 + flags, minlength=(regions + 1) * 4)[: regions * 4]
    by_targets = np.bincount(active_region * (cells + 1) + encoded.target_codes, minlength=(regions + 1) * (cells + 1))
    return ServiceCounts(
        by_status=by_status.reshape(3, regions, types),
        capacity=capacity.reshape(regions, types),
        by_flags=by_flags.reshape(regions, 4),
        by_targets=by_targets[: regions * (cells + 1)].reshape(regions, cells + 1),
    )


def tally_services(encoded: EncodedServices) -> ServiceTallies:
    """Counts and capacity per region and service type, by status."""
    counts = encoded.counts

    def table(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=encoded.index(), columns=list(SERVICE_TYPES))

    counted = counts.by_status[0].copy()
    counted[:, kind_flags(ONE_STOP_COUNTS_AS)[:-1]] += counts.by_status[0][:, [SERVICE_TYPES.index(ONE_STOP)]]
    return ServiceTallies(
        recorded=table(counts.by_status[0]),
        counted=table(counted),
        capacity=table(counts.capacity),
        planned=table(counts.by_status[1]),
        suspended=table(counts.by_status[2]),
    )


def listed_regions(regions: pd.DataFrame) -> list[str]:
    """The regions sheet's regions in its order, each once."""
    return list(dict.fromkeys(regions["region"].dropna().tolist()))


def region_list(regions: pd.DataFrame, services: pd.DataFrame) -> list[str]:
    """Regions of the regions sheet in its order, then any region named only by services
    (sorted): the list EncodedServices.regions holds."""
    return _region_codes(services["region"], listed_regions(regions))[1]


def populations(regions: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Population and women per region; women estimated (and flagged) where missing."""
    first_row: dict[str, int] = {}  # a region listed twice is read from its first row
    for row, name in enumerate(regions["region"].to_numpy(dtype=object, na_value=None).tolist()):
        if name is not None:
            first_row.setdefault(name, row)
    known = np.array(list(first_row.values()), dtype=np.int64)
    population = regions["population"].to_numpy(dtype="float64", na_value=np.nan)
    women = regions["population_women"].to_numpy(dtype="float64", na_value=np.nan)
    both = ~np.isnan(population[known]) & ~np.isnan(women[known]) & (population[known] > 0)
    share = float(women[known][both].sum() / population[known][both].sum()) if both.any() else DEFAULT_SHARE_OF_WOMEN
    rows = np.array([first_row.get(name, -1) for name in names], dtype=np.int64)
    listed = rows >= 0
    region_population = np.where(listed, population[rows] if len(population) else np.nan, np.nan)
    region_women = np.where(listed, women[rows] if len(women) else np.nan, np.nan)
    table = pd.DataFrame(
        {
            "in_regions_sheet": listed,
            "population": pd.array(region_population, dtype="Float64"),
            "women_estimated": np.isnan(region_women) & ~np.isnan(region_population),
            "population_women": pd.array(
                np.where(np.isnan(region_women), region_population * share, region_women), dtype="Float64"
            ),
        },
        index=pd.Index(names, name="region"),
    )
    table.attrs["share_of_women"] = share
    return table


RESULT_COLUMNS = [
    "region",
    "standard",
    "name",
    "rule",
    "measure",
    "unit",
    "service_types",
    "population_base",
    "required",
    "actual",
    "shortfall",
    "ratio",
    "met",
    "source",
    "status",  # met, below, or population_needed (a per-population standard where the population is unknown)
]
STANDARD_STATUSES = ("met", "below", "population_needed")  # words: [regional.status] of the catalogues


def _required(standard: Standard, people: pd.DataFrame) -> np.ndarray:
    """Units each region needs (NaN where its population is unknown)."""
    if standard.rule == "per_region":
        return np.full(len(people), float(standard.minimum))
    base = people["population_women" if standard.population == "women" else "population"]
    return base.to_numpy(dtype="float64", na_value=np.nan) / standard.per


def standard_results(tallies: ServiceTallies, people: pd.DataFrame, standards: StandardsSet) -> pd.DataFrame:
    """One row per (region, regional standard): required, actual, shortfall, ratio, met.

    Plain numpy per standard and one frame at the end: a frame per standard would be mostly
    pandas' overhead."""
    chosen = standards.by_rule("per_population") + standards.by_rule("per_region")
    if not chosen:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    position = {service_type: number for number, service_type in enumerate(tallies.counted.columns)}
    tables = {"capacity": tallies.capacity.to_numpy(dtype="float64"), "count": tallies.counted.to_numpy()}
    required = np.concatenate([_required(standard, people) for standard in chosen])
    actual = np.concatenate(
        [
            tables["capacity" if standard.measure == "capacity" else "count"][
                :, [position[service_type] for service_type in standard.service_types]
            ]
            .sum(axis=1)
            .astype("float64")
            for standard in chosen
        ]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(required > 0, actual / required, np.nan)
    met = actual >= required
    if np.isnan(required).any():  # met is unknown (NA) where the population is
        met = np.where(np.isnan(required), pd.NA, met.astype(object))

    standard_of_row = np.repeat(np.arange(len(chosen)), len(people))
    region_of_row = np.tile(np.arange(len(people)), len(chosen))

    def each(attribute: str) -> pd.api.extensions.ExtensionArray:
        return text_column([getattr(standard, attribute) for standard in chosen], standard_of_row)

    return pd.DataFrame(
        {
            "region": text_column(tallies.counted.index, region_of_row),
            "standard": each("id"),
            "name": each("name"),
            "rule": each("rule"),
            "measure": each("measure"),
            "unit": each("unit"),
            "service_types": text_column(
                [LIST_JOIN.join(standard.service_types) for standard in chosen], standard_of_row
            ),
            "population_base": pd.Series(
                np.array(
                    [standard.population if standard.rule == "per_population" else None for standard in chosen],
                    dtype=object,
                )[standard_of_row],
                dtype=object,
            ),
            "required": required,
            "actual": actual,
            "shortfall": np.maximum(required - actual, 0.0),
            "ratio": ratio,
            "met": met,
            "source": each("source"),
            # Without a population nothing can be said against a per-capita standard: no
            # finding, and the region says what it needs instead.
            "status": np.where(np.isnan(required), "population_needed", np.where(actual >= required, "met", "below")),
        },
        columns=RESULT_COLUMNS,
    )


def national_results(services: pd.DataFrame, encoded: EncodedServices, standards: StandardsSet) -> pd.DataFrame:
    """National rules (the 24/7 free helpline): how many active services meet every requirement."""
    rows = []
    for standard in standards.by_rule("national"):
        candidates = encoded.active & encoded.of_kinds(standard.service_types)
        meeting = candidates.copy()
        for column in standard.requires:
            meeting &= getattr(encoded, column)
        chosen = np.flatnonzero(meeting)
        names = pc.unique(arrow_text(services["provider"]).take(chosen)).drop_null().to_pylist()
        rows.append(
            {
                "standard": standard.id,
                "name": standard.name,
                "required": standard.minimum,
                "actual": len(chosen),
                "candidates": int(np.count_nonzero(candidates)),
                "met": bool(len(chosen) >= standard.minimum),
                "providers": sorted(names),
                "requires": list(standard.requires),
                "source": standard.source,
            }
        )
    return pd.DataFrame(
        rows, columns=["standard", "name", "required", "actual", "candidates", "met", "providers", "requires", "source"]
    )


def coverage_scores(tallies: ServiceTallies, standards: StandardsSet) -> pd.DataFrame:
    """Share of the essential service types present (active) in each region, and its rank."""
    essential = list(standards.essential_service_types)
    flags = tallies.counted[essential].to_numpy() > 0
    # Regions share a handful of patterns of present types: each pattern's lists are made once.
    which, patterns = pd.factorize(flags @ (1 << np.arange(len(essential), dtype=np.int64)))
    present = [[kind for number, kind in enumerate(essential) if pattern >> number & 1] for pattern in patterns]
    missing = [[kind for number, kind in enumerate(essential) if not pattern >> number & 1] for pattern in patterns]
    table = pd.DataFrame({"coverage_score": flags.mean(axis=1) if essential else np.nan}, index=tallies.counted.index)
    table["present"] = [list(present[pattern]) for pattern in which.tolist()]
    table["missing"] = [list(missing[pattern]) for pattern in which.tolist()]
    table["rank"] = table["coverage_score"].rank(method="min", ascending=False).astype("Int64")
    return table


def accessibility(encoded: EncodedServices) -> pd.DataFrame:
    """Per region, among active services: share open 24/7, free of charge, and serving each target group."""
    by_flags, by_targets = encoded.counts.by_flags, encoded.counts.by_targets
    total = by_flags.sum(axis=1).astype("float64")
    columns = {"services": total.astype("int64")}
    with np.errstate(invalid="ignore", divide="ignore"):
        columns["share_open_24_7"] = by_flags[:, 2:].sum(axis=1) / total
        columns["share_free_of_charge"] = by_flags[:, 1::2].sum(axis=1) / total
        for group in vocabulary("target_group").values:
            serves = np.array([group in str(combo).split(LIST_JOIN) for combo in encoded.target_combos] + [False])
            columns[f"share_{group}"] = by_targets[:, serves].sum(axis=1) / total
    return pd.DataFrame(columns, index=encoded.index())
