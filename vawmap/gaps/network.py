"""The actor network: who is linked to whom, who is left out, who brokers, and whether a
survivor can be referred from health care to police, legal aid and a shelter in each region.

Only links whose source and target both resolved to actors on the actors sheet are edges
(`source_id` / `target_id`); a link with an NA id is left out, never guessed.

Betweenness is normalised and computed on the undirected simple graph (direction and
parallel links ignored). Up to EXACT_BETWEENNESS_MAX_NODES actors it is exact
(`nx.betweenness_centrality`). Above that, exact Brandes is O(V·E), so it is SAMPLED: the
estimate from BETWEENNESS_SAMPLE source actors picked with seed BETWEENNESS_SEED, i.e. the
same numbers as `nx.betweenness_centrality(G, k=256, seed=0)` (a test checks it). networkx's
own loop takes 5-7 s for 5,000 actors and 10,000 links on a 2-core machine, so the same
Brandes passes run here as numpy array operations, a batch of sources at a time
(`_sampled_betweenness`): actor_metrics then takes 0.7-0.9 s for that network.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from vawmap.gaps.regions import ACTIVE, ONE_STOP, region_list
from vawmap.vocab import ONE_STOP_COUNTS_AS

EXACT_BETWEENNESS_MAX_NODES = 500
BETWEENNESS_SAMPLE = 256  # source actors sampled above EXACT_BETWEENNESS_MAX_NODES
BETWEENNESS_SEED = 0
SOURCE_BATCH = 64  # sources handled together by the array Brandes (memory ~ batch × links)
BROKER_TOP_SHARE = 0.9  # quantile of the positive betweenness values a broker must reach
BROKER_MIN_SECTORS = 3  # different sectors among a broker's neighbours

REFERRAL = "referral"
ACTOR_ATTRIBUTES = ("name", "sector", "level", "region")
METRIC_COLUMNS = ("actor_id", "name", "sector", "degree", "neighbour_sectors", "betweenness", "isolated", "broker")
STEPS = ("police", "legal_aid", "safe_accommodation")
PATHWAY_COLUMNS = ("region", "health_entry", *STEPS, "complete", "reason")


def _counting_one_stop(*service_types: str) -> tuple[str, ...]:
    """The service types, plus one_stop_centre when it counts as one of them (vocab rule)."""
    counts = any(service_type in ONE_STOP_COUNTS_AS for service_type in service_types)
    return (*service_types, ONE_STOP) if counts else service_types


@dataclass(frozen=True)
class Role:
    """A place on the referral pathway: the services that qualify an actor for it, and its words."""

    service_types: tuple[str, ...]
    missing: str  # no active service of these types in the region
    unlisted: str  # active services exist, but no provider is on the actors sheet
    no_path: str = ""  # providers exist, none reachable from a health entry point


ENTRY = Role(
    _counting_one_stop("health_first_line_support", "post_rape_care"),
    missing="No health entry point in {region}.",
    unlisted="The health services in {region} that could refer a survivor are run by providers "
             "not in the actors sheet ({providers}), so no referral path can start there.",
)
DESTINATIONS = {
    "police": Role(
        _counting_one_stop("police_response"),
        missing="No active police response in {region}.",
        unlisted="Police response in {region} is run only by providers not in the actors sheet "
                 "({providers}), so it cannot be on a referral path.",
        no_path="No referral path from a health entry point to police.",
    ),
    "legal_aid": Role(
        _counting_one_stop("legal_aid"),
        missing="No active legal aid in {region}.",
        unlisted="Legal aid in {region} is run only by providers not in the actors sheet "
                 "({providers}), so it cannot be on a referral path.",
        no_path="No referral path from a health entry point to legal aid.",
    ),
    "safe_accommodation": Role(
        _counting_one_stop("safe_accommodation"),
        missing="No active safe accommodation in {region}.",
        unlisted="Safe accommodation in {region} is run only by providers not in the actors sheet "
                 "({providers}), so it cannot be on a referral path.",
        no_path="No referral path from a health entry point to safe accommodation.",
    ),
}
COMPLETE = "A survivor can be referred from health to police, legal aid and safe accommodation."


# ----------------------------------------------------------------------------- the graph


def _cells(column: pd.Series) -> list:
    """A column's values as plain Python objects, None for a missing value (networkx-friendly)."""
    return column.to_numpy(dtype=object, na_value=None).tolist()


def build_graph(actors: pd.DataFrame, links: pd.DataFrame) -> nx.MultiDiGraph:
    """Actors as nodes (by actor_id, with name, sector, level, region), resolved links as edges.

    Every link whose source_id and target_id are both actors' ids becomes one directed edge
    with its `link_type`; links with an NA id (the name did not resolve) are left out.
    """
    graph = nx.MultiDiGraph()
    listed = actors.dropna(subset=["actor_id"])
    attributes = zip(*(_cells(listed[name]) for name in ACTOR_ATTRIBUTES))
    ids = _cells(listed["actor_id"])
    graph.add_nodes_from((actor_id, dict(zip(ACTOR_ATTRIBUTES, values))) for actor_id, values in zip(ids, attributes))
    resolved = links.dropna(subset=["source_id", "target_id"])
    ends_and_types = zip(*(_cells(resolved[name]) for name in ("source_id", "target_id", "link_type")))
    graph.add_edges_from(
        (source, target, {"link_type": link_type})
        for source, target, link_type in ends_and_types
        if source in graph and target in graph
    )
    return graph


def undirected_simple_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The same actors, one undirected edge per linked pair; self-links dropped."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    simple.add_edges_from((source, target) for source, target in graph.edges() if source != target)
    return simple


# ----------------------------------------------------------------------------- betweenness


def betweenness_scores(simple: nx.Graph) -> dict:
    """Normalised betweenness: exact up to EXACT_BETWEENNESS_MAX_NODES actors, sampled above."""
    if simple.number_of_nodes() <= EXACT_BETWEENNESS_MAX_NODES:
        return nx.betweenness_centrality(simple, normalized=True)
    return _sampled_betweenness(simple, BETWEENNESS_SAMPLE, BETWEENNESS_SEED)


@dataclass(frozen=True)
class _Adjacency:
    """The undirected graph as arrays (compressed sparse rows): node i's neighbours are
    neighbours[starts[i]:starts[i + 1]]. Arrays over (node, source) are node-major."""

    size: int
    starts: np.ndarray
    neighbours: np.ndarray

    @classmethod
    def of(cls, simple: nx.Graph, position: dict) -> "_Adjacency":
        pairs = np.array([(position[u], position[v]) for u, v in simple.edges()], dtype=np.int64).reshape(-1, 2)
        nodes = np.concatenate([pairs[:, 0], pairs[:, 1]])
        others = np.concatenate([pairs[:, 1], pairs[:, 0]])
        order = np.argsort(nodes, kind="stable")
        starts = np.concatenate([[0], np.cumsum(np.bincount(nodes, minlength=len(position)))])
        return cls(len(position), starts, others[order])

    def expand(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every neighbour of every entry of `nodes`, and which entry it came from."""
        counts = self.starts[nodes + 1] - self.starts[nodes]
        entry = np.repeat(np.arange(len(nodes)), counts)
        offset = np.arange(entry.size) - np.repeat(np.cumsum(counts) - counts, counts)
        return self.neighbours[self.starts[nodes][entry] + offset], entry

    def spread(self, nodes: np.ndarray, columns: np.ndarray, distance: np.ndarray, wanted: int):
        """Each (node, column) entry's neighbours at distance `wanted` in that column:
        (neighbour, column, index of the entry it came from)."""
        reached, entry = self.expand(nodes)
        reached_columns = columns[entry]
        keep = distance[reached, reached_columns] == wanted
        return reached[keep], reached_columns[keep], entry[keep]

    def add_up(self, nodes: np.ndarray, columns: np.ndarray, weights: np.ndarray, width: int) -> np.ndarray:
        """A (node, column) array holding the sum of `weights` at each (node, column) pair."""
        flat = np.bincount(nodes * width + columns, weights=weights, minlength=self.size * width)
        return flat.reshape(self.size, width)


def _shortest_path_counts(adjacency: _Adjacency, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Breadth-first from each source at once: distance (-1 unreached) and number of shortest paths."""
    width = len(sources)
    distance = np.full((adjacency.size, width), -1, dtype=np.int64)
    paths = np.zeros((adjacency.size, width))
    nodes, columns = sources, np.arange(width)
    distance[nodes, columns], paths[nodes, columns] = 0, 1.0
    level = 0
    while nodes.size:
        reached, reached_columns, entry = adjacency.spread(nodes, columns, distance, wanted=-1)
        arriving = adjacency.add_up(reached, reached_columns, paths[nodes, columns][entry], width)
        level += 1
        nodes, columns = np.nonzero(arriving > 0)
        distance[nodes, columns], paths[nodes, columns] = level, arriving[nodes, columns]
    return distance, paths


def _dependency_sums(adjacency: _Adjacency, sources: np.ndarray) -> np.ndarray:
    """Brandes' accumulation, summed over the sources: each node's share of their shortest paths."""
    distance, paths = _shortest_path_counts(adjacency, sources)
    width = len(sources)
    dependency = np.zeros_like(paths)
    for level in range(int(distance.max(initial=0)), 0, -1):
        nodes, columns = np.nonzero(distance == level)
        share = (1.0 + dependency[nodes, columns]) / paths[nodes, columns]
        before, before_columns, entry = adjacency.spread(nodes, columns, distance, wanted=level - 1)
        weights = paths[before, before_columns] * share[entry]
        dependency += adjacency.add_up(before, before_columns, weights, width)
    dependency[sources, np.arange(width)] = 0.0
    return dependency.sum(axis=1)


def _sampled_betweenness(simple: nx.Graph, sample: int, seed: int) -> dict:
    """nx.betweenness_centrality(simple, k=sample, seed=seed), as array operations.

    Same sources (random.Random(seed).sample of the nodes), same Brandes dependencies, and
    networkx 3.6's rescaling for sampled, normalised, endpoint-free betweenness.
    """
    nodes = list(simple)
    position = {node: index for index, node in enumerate(nodes)}
    adjacency = _Adjacency.of(simple, position)
    sources = np.array([position[node] for node in random.Random(seed).sample(nodes, sample)], dtype=np.int64)
    raw = sum(_dependency_sums(adjacency, sources[start:start + SOURCE_BATCH])
              for start in range(0, len(sources), SOURCE_BATCH))
    scale = np.full(len(nodes), 1.0 / (sample * (len(nodes) - 2)))
    scale[sources] = 1.0 / ((sample - 1) * (len(nodes) - 2))
    return dict(zip(nodes, (raw * scale).tolist()))


# ----------------------------------------------------------------------------- actor metrics


def _neighbour_sector_counts(simple: nx.Graph) -> dict:
    """Actor id -> how many different (known) sectors its neighbours belong to."""
    sector = nx.get_node_attributes(simple, "sector")
    return {node: len({sector.get(other) for other in simple[node]} - {None}) for node in simple}


def _per_actor(ids: pd.Series, values: dict, default) -> list:
    return [values.get(actor_id, default) if pd.notna(actor_id) else default for actor_id in ids]


def _broker_flags(betweenness: pd.Series, neighbour_sectors: pd.Series) -> pd.Series:
    """Top decile of positive betweenness AND neighbours in at least BROKER_MIN_SECTORS sectors."""
    positive = betweenness[betweenness > 0]
    if positive.empty:
        return pd.Series(False, index=betweenness.index)
    cutoff = positive.quantile(BROKER_TOP_SHARE)
    return (betweenness > 0) & (betweenness >= cutoff) & (neighbour_sectors >= BROKER_MIN_SECTORS)


def actor_metrics(actors: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One row per actor (actors sheet order) with its place in the network.

    Columns: actor_id, name, sector; degree = number of distinct actors it is linked to
    (either direction, any link type, self-links not counted); neighbour_sectors = how many
    different sectors those neighbours belong to; betweenness = normalised betweenness on
    the undirected simple graph (sampled above EXACT_BETWEENNESS_MAX_NODES actors, see the
    module docstring); isolated = linked to no other actor.

    broker: an actor that both sits on many of the network's shortest paths and joins up
    sectors, i.e. its betweenness is positive and at or above the 90th percentile (linear
    interpolation) of all positive betweenness values (the top decile), AND its neighbours
    belong to at least 3 different sectors. Betweenness alone would also pick a chain of
    same-sector offices; the sector condition keeps the actors who bridge sectors.
    """
    simple = undirected_simple_graph(build_graph(actors, links))
    ids = actors["actor_id"].astype("string").reset_index(drop=True)
    metrics = pd.DataFrame({
        "actor_id": ids,
        "name": actors["name"].astype("string").reset_index(drop=True),
        "sector": actors["sector"].astype("string").reset_index(drop=True),
        "degree": pd.Series(_per_actor(ids, dict(simple.degree()), 0), dtype="int64"),
        "neighbour_sectors": pd.Series(_per_actor(ids, _neighbour_sector_counts(simple), 0), dtype="int64"),
        "betweenness": pd.Series(_per_actor(ids, betweenness_scores(simple), 0.0), dtype="float64"),
    })
    metrics["isolated"] = metrics["degree"] == 0
    metrics["broker"] = _broker_flags(metrics["betweenness"], metrics["neighbour_sectors"])
    return metrics[list(METRIC_COLUMNS)]


def isolated_actors(metrics: pd.DataFrame) -> list[str]:
    """Names of the actors linked to nobody, in the actors sheet's order."""
    return metrics.loc[metrics["isolated"], "name"].dropna().tolist()


def brokers(metrics: pd.DataFrame) -> list[str]:
    """Names of the brokers (see actor_metrics), highest betweenness first, then by name."""
    chosen = metrics[metrics["broker"]].sort_values(["betweenness", "name"], ascending=[False, True])
    return chosen["name"].dropna().tolist()


# ----------------------------------------------------------------------------- referral pathways


def _referral_graph(actors: pd.DataFrame, links: pd.DataFrame) -> nx.DiGraph:
    """Actors and the referral links between them (direction kept, parallel links merged)."""
    graph = nx.DiGraph()
    for source, target, link_type in build_graph(actors, links).edges(data="link_type"):
        if link_type == REFERRAL:
            graph.add_edge(source, target)
    return graph


class Reach:
    """Who can refer to whom, for every actor at once.

    Each strongly connected group of the referral graph gets a bit; walking the groups in
    reverse topological order, a group's bitset is its own bit OR the bitsets of the groups it
    refers to. Reachability from a set of actors is then the OR of their bitsets: one pass
    over the graph, then a few integer ORs per region instead of a search per region.
    """

    def __init__(self, graph: nx.DiGraph) -> None:
        condensed = nx.condensation(graph)
        self._group = condensed.graph["mapping"]  # actor id -> group
        self._reach: dict[int, int] = {}
        for group in reversed(list(nx.topological_sort(condensed))):
            bits = 1 << group
            for successor in condensed.successors(group):
                bits |= self._reach[successor]
            self._reach[group] = bits

    def from_actors(self, actors) -> int:
        bits = 0
        for actor in actors:
            group = self._group.get(actor)
            bits |= self._reach[group] if group is not None else 0
        return bits

    def reaches_any(self, reached: int, starts, actors) -> bool:
        """Whether a referral from `starts` (whose reach is `reached`) gets to one of `actors`;
        an actor with no referral links reaches only itself."""
        for actor in actors:
            group = self._group.get(actor)
            if (group is not None and reached >> group & 1) or actor in starts:
                return True
        return False


def _active_services(services: pd.DataFrame) -> pd.DataFrame:
    """Active services with a region (a blank status means active, as the contract says),
    narrowed to the columns a pathway needs and the service types some role needs."""
    needed = {kind for role in (ENTRY, *DESTINATIONS.values()) for kind in role.service_types}
    keep = (services["status"].fillna(ACTIVE) == ACTIVE) & services["region"].notna()
    keep &= services["service_type"].isin(needed)
    return services.loc[keep.to_numpy(dtype=bool), ["region", "service_type", "provider_id", "provider"]]


@dataclass(frozen=True)
class RoleInRegion:
    """Who fills one role in one region: actor ids, and names of providers not on the actors sheet."""

    providers: frozenset
    unlisted: tuple[str, ...]
    any_service: bool


NOBODY = RoleInRegion(frozenset(), (), False)


def _role_by_region(active: pd.DataFrame, role: Role) -> dict[str, RoleInRegion]:
    """For one role, who fills it in each region (grouped, so a million services stay cheap)."""
    serving = active.loc[active["service_type"].isin(role.service_types), ["region", "provider_id", "provider"]]
    listed = serving.dropna(subset=["provider_id"]).groupby("region", sort=False)["provider_id"].unique()
    unlisted = serving[serving["provider_id"].isna()].dropna(subset=["provider"])
    unlisted = unlisted.groupby("region", sort=False)["provider"].unique()
    return {
        region: RoleInRegion(frozenset(listed.get(region, ())), tuple(sorted(unlisted.get(region, ()))), True)
        for region in serving["region"].unique()
    }


def _unavailable(role: Role, found: RoleInRegion, region: str) -> str | None:
    """Why no actor in the region can fill the role, or None when one can."""
    if found.providers:
        return None
    if not found.any_service:
        return role.missing.format(region=region)
    return role.unlisted.format(region=region, providers=", ".join(found.unlisted) or "unnamed")


def _region_pathway(region: str, roles: dict[str, dict[str, RoleInRegion]], reach: Reach) -> dict:
    entry = roles["entry"].get(region, NOBODY)
    reached = reach.from_actors(entry.providers)
    row, reasons = {"region": region, "health_entry": bool(entry.providers)}, []
    if not entry.providers:
        reasons.append(_unavailable(ENTRY, entry, region))
    for step, role in DESTINATIONS.items():
        found = roles[step].get(region, NOBODY)
        row[step] = reach.reaches_any(reached, entry.providers, found.providers)
        unavailable = _unavailable(role, found, region)
        if unavailable:
            reasons.append(unavailable)
        elif entry.providers and not row[step]:
            reasons.append(role.no_path)
    row["complete"] = all(row[step] for step in STEPS)
    row["reason"] = COMPLETE if row["complete"] else " ".join(reasons)
    return row


def referral_pathways(
    actors: pd.DataFrame, links: pd.DataFrame, services: pd.DataFrame, regions: pd.DataFrame
) -> pd.DataFrame:
    """Per region: can a survivor be referred from a health entry point to police, legal aid
    and safe accommodation through referral links?

    Definitions:
    - only ACTIVE services count (a blank status means active); services without a region
      are left out;
    - health entry points: actors providing an active health_first_line_support,
      post_rape_care or one_stop_centre service in the region;
    - destinations: police = providers of active police_response or one_stop_centre in the
      region; legal_aid = providers of active legal_aid or one_stop_centre; safe_accommodation
      = providers of active safe_accommodation. A national-level actor providing a service in
      the region counts there like any other provider;
    - a step is reached when a directed path along referral links (link_type "referral",
      followed in their direction, through any actors) leads from some entry point to some
      provider of that step. An actor that is both entry point and provider reaches it with a
      path of length 0 (a one-stop centre covers health, police and legal aid at once);
    - a service whose provider is not on the actors sheet (provider_id NA) cannot be on a
      path; when such services are the only ones, the reason says so instead of "No ...".

    Regions: the regions sheet's order, then any region named only by services, sorted.
    Columns: region, health_entry, police, legal_aid, safe_accommodation (bool: reached),
    complete (all three reached), reason (plain English; every problem found, in pathway
    order: entry point, police, legal aid, safe accommodation).
    """
    reach = Reach(_referral_graph(actors, links))
    active = _active_services(services)
    roles = {"entry": _role_by_region(active, ENTRY)}
    roles.update({step: _role_by_region(active, role) for step, role in DESTINATIONS.items()})
    rows = [_region_pathway(region, roles, reach) for region in region_list(regions, services)]
    return _pathway_frame(rows)


def _pathway_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(PATHWAY_COLUMNS))
    flags = ["health_entry", *STEPS, "complete"]
    frame[flags] = frame[flags].astype(bool)
    return frame.astype({"region": "string", "reason": "string"})
