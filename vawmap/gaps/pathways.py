"""Referral pathways: in each region, can a survivor be referred from a health entry point to
police, legal aid and safe accommodation through referral links?

The roles (the entry point and the destinations, with their service types) are data, in
data/pathways.toml; the one-stop rule comes from rules.toml. Every region is answered at once:
the referral graph's strongly connected groups form a DAG (igraph), each entry point's group
is expanded to every group it reaches, and the destinations are looked up among the
(region, group) keys reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import igraph
import numpy as np
import pandas as pd

from vawmap.gaps.columns import arrow_text, objects
from vawmap.gaps.graph import ActorGraph, edge_pairs
from vawmap.gaps.regions import ONE_STOP, EncodedServices, kind_flags
from vawmap.messages import Message, Sentences, message
from vawmap.rules import ONE_STOP_COUNTS_AS
from vawmap.vocab import load_data_file


@dataclass(frozen=True)
class Role:
    """A place on the referral pathway and the service types that qualify an actor for it.

    Its problems are the catalogue's [pathway.<name>] keys: missing (no active service of these
    types in the region), unlisted (active services exist, but no provider is on the actors
    sheet) and, for a destination, no_path (providers exist, none reachable from a health entry point).
    """

    name: str
    service_types: tuple[str, ...]

    def problem(self, problem: str, **params: object) -> Message:
        return message(f"pathway.{self.name}.{problem}", **params)


def _role(raw: dict) -> Role:
    """A role of pathways.toml, plus one_stop_centre when it counts as one of its types."""
    service_types = tuple(raw["service_types"])
    if any(service_type in ONE_STOP_COUNTS_AS for service_type in service_types):
        service_types += (ONE_STOP,)
    return Role(raw["name"], service_types)


@lru_cache(maxsize=1)
def _pathway_rules() -> dict:
    return load_data_file("pathways.toml")


REFERRAL: str = _pathway_rules()["referral_link_type"]
ENTRY = _role(_pathway_rules()["entry"])
DESTINATIONS: tuple[Role, ...] = tuple(_role(raw) for raw in _pathway_rules()["destinations"])
STEPS = tuple(role.name for role in DESTINATIONS)
PATHWAY_COLUMNS = ("region", "health_entry", *STEPS, "complete", "reason")
_COMPLETE = message("pathway.complete")
_NO_PATH = {role.name: role.problem("no_path") for role in DESTINATIONS}


@dataclass(frozen=True)
class RoleInRegions:
    """Who fills one role, for every region at once (regions as codes into the region list)."""

    region: np.ndarray  # with actor: one (region, actor code) pair per service whose provider is on the actors sheet
    actor: np.ndarray
    any_service: np.ndarray  # per region: some active service of the role's types
    unlisted: dict  # region code -> sorted names of providers not on the actors sheet

    def in_region(self, regions: int) -> np.ndarray:
        """Per region: whether some actor on the actors sheet fills the role there."""
        return np.bincount(self.region, minlength=regions) > 0


def _roles_in_regions(
    roles: tuple[Role, ...], encoded: EncodedServices, graph: ActorGraph, services: pd.DataFrame
) -> list[RoleInRegions]:
    """Each role's providers per region: the active services with a region whose type fills
    some role are picked once, and only their providers are looked up."""
    wanted = kind_flags(sorted({service_type for role in roles for service_type in role.service_types}))
    rows = np.flatnonzero(encoded.active & (encoded.region >= 0) & wanted[encoded.kind])
    region, kind = encoded.region[rows], encoded.kind[rows]
    provider = graph.codes_of(arrow_text(services["provider_id"]).take(rows))
    # positions, then takes: a boolean mask with scattered hits indexes several times slower
    listed, unlisted = np.flatnonzero(provider >= 0), np.flatnonzero(provider < 0)
    listed_kind, unlisted_kind = kind[listed], kind[unlisted]
    active_by_kind = encoded.counts.by_status[0]  # regions x service types
    found = []
    for role in roles:
        flags = kind_flags(role.service_types)
        chosen = listed[np.flatnonzero(flags[listed_kind])]
        missing = unlisted[np.flatnonzero(flags[unlisted_kind])]
        found.append(
            RoleInRegions(
                region=region[chosen],
                actor=provider[chosen],
                any_service=active_by_kind[:, flags[:-1]].sum(axis=1) > 0,
                unlisted=_unlisted_providers(region[missing], rows[missing], services["provider"]),
            )
        )
    return found


def _unlisted_providers(region: np.ndarray, rows: np.ndarray, providers: pd.Series) -> dict:
    """Region code -> sorted names of the providers of the services at `rows`, in `region`."""
    if not len(rows):
        return {}
    names = pd.DataFrame({"region": region, "provider": providers.iloc[rows].to_numpy(object)})
    # Each (region, provider) once, sorted, before grouping: a million services name a few hundred.
    names = names.dropna().drop_duplicates().sort_values(["region", "provider"])
    return names.groupby("region")["provider"].agg(lambda group: tuple(group.tolist())).to_dict()


@dataclass(frozen=True)
class Reach:
    """Which (region, referral group) pairs a region's entry points reach.

    group: each actor code's strongly connected group in the referral graph (actors that can
    all refer to one another); groups: how many (at least 1, the width of a key); reached:
    the keys region * groups + group of every group
    reachable, along referral links, from one of the region's entry points (its own group
    included), some of them more than once.
    """

    group: np.ndarray
    groups: int
    reached: np.ndarray

    def regions_reaching(self, roles: list[RoleInRegions], regions: int) -> list[np.ndarray]:
        """For each role, per region: whether some provider of the role there is reached."""
        keys = [role.region.astype(np.int64) * self.groups + self.group[role.actor] for role in roles]
        hits = np.split(_is_in(np.concatenate(keys), self.reached), np.cumsum([len(key) for key in keys[:-1]]))
        return [np.bincount(role.region[hit], minlength=regions) > 0 for role, hit in zip(roles, hits)]


LOOKUP_TABLE_LIMIT = 1 << 26  # keys: np.isin's table of every possible key takes a byte each


def _is_in(keys: np.ndarray, reached: np.ndarray) -> np.ndarray:
    """Per key: whether it is among the reached keys. A table of every possible key (a region
    times a group) answers by lookup when it fits in memory; else one hash table of the reached
    keys (pandas'; np.isin would sort both sides, far slower on this many keys)."""
    if not len(reached) or int(reached.max()) < LOOKUP_TABLE_LIMIT:
        return np.isin(keys, reached, kind="table")
    return pd.Index(keys).isin(reached)


def reach_from(graph: ActorGraph, entry: RoleInRegions) -> Reach:
    """Every (region, group) reached from the region's entry points (see Reach)."""
    referral = graph.link_type == REFERRAL
    source, target = graph.source[referral], graph.target[referral]
    directed = igraph.Graph(n=graph.size, edges=edge_pairs(source, target), directed=True)
    # GraphBase's method gives the membership list itself; Graph's wraps it in a clustering
    # whose constructor loops over it in Python.
    group = np.array(igraph.GraphBase.connected_components(directed, mode="strong"), dtype=np.int64)
    groups = int(group.max(initial=-1)) + 1
    width = max(groups, 1)
    between = np.flatnonzero(group[source] != group[target])
    referring, referred = group[source[between]], group[target[between]]
    condensed = igraph.Graph(n=groups, edges=edge_pairs(referring, referred), directed=True)
    # Each distinct group's descendants are listed once. Most groups refer to no other: they
    # reach only themselves, without asking igraph.
    starts = entry.region.astype(np.int64) * width + group[entry.actor]
    refers = np.bincount(referring, minlength=width)[starts % width] > 0
    expanded = starts[np.flatnonzero(refers)]
    which, start_group = pd.factorize(expanded % width)
    descendants = condensed.neighborhood(start_group.tolist(), order=groups, mode="out")  # each group first
    lengths = np.fromiter(map(len, descendants), dtype=np.int64, count=len(descendants))
    flat = np.fromiter(chain.from_iterable(descendants), dtype=np.int64, count=lengths.sum())
    further = np.repeat(expanded - expanded % width, lengths[which]) + flat[_ragged_positions(lengths, which)]
    reached = np.concatenate([starts[np.flatnonzero(~refers)], further])
    return Reach(group, width, reached)


def _ragged_positions(lengths: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Positions into the concatenated lists (list i of length lengths[i]) of the lists
    `which` names, one after the other: a vectorised [range(start[i], end[i]) for i in which]."""
    ends = np.cumsum(lengths)
    taken = lengths[which]
    shift = (ends - lengths)[which] - (np.cumsum(taken) - taken)  # list start minus output start
    return np.repeat(shift, taken) + np.arange(taken.sum())


def referral_pathways(encoded: EncodedServices, graph: ActorGraph, services: pd.DataFrame) -> pd.DataFrame:
    """Per region: can a survivor be referred from a health entry point to police, legal aid
    and safe accommodation through referral links?

    `encoded` is encode_services(services, ...) (its region list is the table's), `graph` the
    actor_graph of the actors and links, and `services` gives the providers' ids and, for
    those not on the actors sheet, their names.

    Definitions:
    - only ACTIVE services count (a blank status means active); services without a region
      are left out;
    - health entry points: actors providing an active health_first_line_support,
      post_rape_care or one_stop_centre service in the region;
    - destinations: police = providers of active police_response or one_stop_centre in the
      region; legal_aid = providers of active legal_aid or one_stop_centre; safe_accommodation
      = providers of active safe_accommodation (the roles are in data/pathways.toml). A
      national-level actor providing a service in the region counts there like any other provider;
    - a step is reached when a directed path along referral links (link_type "referral",
      followed in their direction, through any actors) leads from some entry point to some
      provider of that step. An actor that is both entry point and provider reaches it with a
      path of length 0 (a one-stop centre covers health, police and legal aid at once);
    - a service whose provider is not on the actors sheet (provider_id NA) cannot be on a
      path; when such services are the only ones, the reason says so instead of "No ...".

    Regions: the region list's order (the regions sheet's, then any region named only by
    services, sorted).
    Columns: region, health_entry, police, legal_aid, safe_accommodation (bool: reached),
    complete (all three reached), reason: a Message, pathway.complete when
    complete, else pathway.incomplete whose `problems` parameter is Sentences of every
    problem found, in pathway order (entry point, police, legal aid, safe accommodation).
    """
    size = len(encoded.regions)
    entry, *destinations = _roles_in_regions((ENTRY, *DESTINATIONS), encoded, graph, services)
    reach = reach_from(graph, entry)
    table = {"health_entry": entry.in_region(size)}
    table.update(zip(STEPS, reach.regions_reaching(destinations, size)))
    table["complete"] = np.logical_and.reduce([table[step] for step in STEPS])
    has_provider = [found.in_region(size) for found in destinations]
    incomplete = ~table["complete"]
    every_role_filled = np.logical_and.reduce([table["health_entry"], *has_provider])
    reasons = np.full(size, _COMPLETE, dtype=object)
    # Where a role cannot be filled at all, the problems name the region: each is worded apart.
    for code in np.flatnonzero(incomplete & ~every_role_filled).tolist():
        problems = _problems(code, encoded.regions[code], entry, destinations, has_provider, table)
        reasons[code] = message("pathway.incomplete", problems=Sentences(tuple(problems)))
    # Elsewhere only paths are missing: regions missing the same paths share one reason.
    only_paths = np.flatnonzero(incomplete & every_role_filled)
    unreached = np.column_stack([~table[step][only_paths] for step in STEPS])
    which, patterns = pd.factorize(unreached @ (1 << np.arange(len(STEPS))))  # a bit per step
    reasons[only_paths] = objects([_missing_paths(int(pattern)) for pattern in patterns])[which]
    return _pathway_frame(encoded.regions, table, reasons)


def _missing_paths(steps: int) -> Message:
    """The reason of a pathway that lacks only the paths to the steps whose bits are set."""
    problems = tuple(_NO_PATH[step] for bit, step in enumerate(STEPS) if steps >> bit & 1)
    return message("pathway.incomplete", problems=Sentences(problems))


def _unavailable(role: Role, found: RoleInRegions, code: int, region: str) -> Message:
    """Why no actor in the region can fill the role: no such active service, or only
    providers missing from the actors sheet."""
    if not found.any_service[code]:
        return role.problem("missing", region=region)
    return role.problem("unlisted", region=region, providers=found.unlisted.get(code) or message("pathway.unnamed"))


def _problems(
    code: int,
    region: str,
    entry: RoleInRegions,
    destinations: list[RoleInRegions],
    has_provider: list[np.ndarray],
    table: dict,
) -> list[Message]:
    """Every problem on one region's pathway, in pathway order."""
    has_entry = table["health_entry"][code]
    problems = [] if has_entry else [_unavailable(ENTRY, entry, code, region)]
    for role, found, provided in zip(DESTINATIONS, destinations, has_provider):
        if not provided[code]:
            problems.append(_unavailable(role, found, code, region))
        elif has_entry and not table[role.name][code]:
            problems.append(_NO_PATH[role.name])
    return problems


def _pathway_frame(regions: list[str], flags: dict[str, np.ndarray], reasons: np.ndarray) -> pd.DataFrame:
    columns = {
        "region": pd.array(regions, dtype="string"),
        **{name: flags[name].astype(bool) for name in ("health_entry", *STEPS, "complete")},
        "reason": reasons,
    }
    return pd.DataFrame(columns, columns=list(PATHWAY_COLUMNS))
