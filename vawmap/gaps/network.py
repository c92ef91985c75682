"""The actor network: who is linked to whom, who is left out, who brokers, and whether a
survivor can be referred from health care to police, legal aid and a shelter in each region.

Only links whose source and target both resolved to actors on the actors sheet are edges
(`source_id` / `target_id`); a link with an NA id is left out, never guessed.

Actors are numbered by their position in `ActorGraph.ids`, and every computation runs on
those integer codes rather than on Python objects (for 5,000 actors and 10,000 links,
building a networkx graph alone took 0.2 s, and its betweenness 5-7 s): igraph for the
referral graph's strong components and its topological order, and numba kernels for
betweenness, the groups each group reaches and the pathways' (region, actor) pairs.
igraph's betweenness was as fast but holds the GIL; the kernels do not, so assess() runs
them beside the services.

Betweenness is normalised and computed on the undirected simple graph (direction and
parallel links ignored), with networkx's conventions. Up to EXACT_BETWEENNESS_MAX_NODES
actors it is exact. Above that, exact Brandes is O(V·E), so it is SAMPLED: the estimate from
BETWEENNESS_SAMPLE source actors picked with seed BETWEENNESS_SEED, i.e. the same numbers as
`nx.betweenness_centrality(G, k=256, seed=0)` (a test checks both against networkx).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import igraph
import numba
import numpy as np
import pandas as pd

from vawmap.gaps.regions import (
    ONE_STOP,
    SERVICE_TYPES,
    EncodedServices,
    arrow_text,
    encode_services,
    kind_flags,
    listed_regions,
    positions_in,
)
from vawmap.i18n import t
from vawmap.rules import ONE_STOP_COUNTS_AS

EXACT_BETWEENNESS_MAX_NODES = 500
BETWEENNESS_SAMPLE = 256  # source actors sampled above EXACT_BETWEENNESS_MAX_NODES
BETWEENNESS_SEED = 0
BETWEENNESS_DECIMALS = 12  # far below any difference that matters, far above rounding noise
DENSE_KEY_SPACE = 1 << 24  # key sets in spaces up to this are tables of flags indexed by key (16 MB)
BITMAP_KEY_SPACE = 1 << 29  # keys in spaces up to this are deduplicated with a bitmap (64 MB)
BROKER_TOP_SHARE = 0.9  # quantile of the positive betweenness values a broker must reach
BROKER_MIN_SECTORS = 3  # different sectors among a broker's neighbours

REFERRAL = "referral"
METRIC_COLUMNS = ("actor_id", "name", "sector", "degree", "neighbour_sectors", "betweenness", "isolated", "broker")
STEPS = ("police", "legal_aid", "safe_accommodation")
PATHWAY_COLUMNS = ("region", "health_entry", *STEPS, "complete", "reason")


def _counting_one_stop(*service_types: str) -> tuple[str, ...]:
    """The service types, plus one_stop_centre when it counts as one of them (vocab rule)."""
    counts = any(service_type in ONE_STOP_COUNTS_AS for service_type in service_types)
    return (*service_types, ONE_STOP) if counts else service_types


@dataclass(frozen=True)
class Role:
    """A place on the referral pathway: the services that qualify an actor for it, and its words.

    The words are the catalogue's [pathway.<name>] keys: missing (no active service of these
    types in the region), unlisted (active services exist, but no provider is on the actors
    sheet) and, for a destination, no_path (providers exist, none reachable from a health entry point).
    """

    name: str
    service_types: tuple[str, ...]

    def text(self, problem: str, language: str = "en", **params: object) -> str:
        return t(f"pathway.{self.name}.{problem}", language, **params)


ENTRY = Role("entry", _counting_one_stop("health_first_line_support", "post_rape_care"))
DESTINATIONS = {
    "police": Role("police", _counting_one_stop("police_response")),
    "legal_aid": Role("legal_aid", _counting_one_stop("legal_aid")),
    "safe_accommodation": Role("safe_accommodation", _counting_one_stop("safe_accommodation")),
}
COMPLETE = t("pathway.complete")  # the English reason of a complete pathway, for callers that compare


# ----------------------------------------------------------------------------- the graph


@dataclass(frozen=True)
class ActorGraph:
    """Actors as integer codes and the resolved links between them.

    ids: every distinct actor id in the actors sheet's order (actor code i is ids[i]);
    source, target: the codes at the two ends of each resolved link, as recorded;
    link_type: each of those links' type (None when blank).
    """

    ids: pd.Index
    source: np.ndarray
    target: np.ndarray
    link_type: np.ndarray

    @property
    def size(self) -> int:
        return len(self.ids)

    def codes_of(self, ids: pd.Series | pd.Index) -> np.ndarray:
        """Each id's actor code, -1 for a blank id or one not on the actors sheet."""
        return self.ids.get_indexer(pd.Index(ids, dtype=object))

    def provider_codes(self, services: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
        """The provider of each service at `rows` as an actor code, -1 when its provider_id is
        blank or not an actor's (hashed by Arrow, without the GIL)."""
        return positions_in(arrow_text(services["provider_id"]).take(rows), self.ids)

    def undirected_pairs(self) -> np.ndarray:
        """One (lower code, higher code) row per linked pair of different actors."""
        low, high = np.minimum(self.source, self.target), np.maximum(self.source, self.target)
        keys = np.unique((low * self.size + high)[low != high])  # 1-D: np.unique(axis=0) is 8 times slower
        return np.column_stack([keys // max(self.size, 1), keys % max(self.size, 1)]).astype(np.int64)


def actor_graph(actors: pd.DataFrame, links: pd.DataFrame) -> ActorGraph:
    """Actors by actor_id, and every link whose source_id and target_id are both actors' ids;
    links with an NA id (the name did not resolve) are left out."""
    ids = pd.Index(actors["actor_id"].dropna().unique(), dtype=object)
    graph = ActorGraph(ids, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=object))
    source, target = graph.codes_of(links["source_id"]), graph.codes_of(links["target_id"])
    resolved = (source >= 0) & (target >= 0)
    link_type = links["link_type"].to_numpy(dtype=object, na_value=None)[resolved]
    return replace(graph, source=source[resolved], target=target[resolved], link_type=link_type)


# ----------------------------------------------------------------------------- betweenness


@numba.njit(nogil=True, cache=True, error_model="numpy")  # no zero check per division: 8% faster
def _dependency_sums(indptr: np.ndarray, neighbours: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Brandes' algorithm on an undirected graph in CSR form (node v's neighbours are
    neighbours[indptr[v]:indptr[v + 1]]): for each source, a breadth-first search counting
    shortest paths, then the dependencies accumulated back from the farthest node.
    Returns, per node, the sum over the sources of its dependency (its raw betweenness).

    The search writes down each shortest-path arc (v, w) as it finds it, and the
    accumulation walks those arcs backwards: every arc out of w was found after every arc
    into w, so w's dependency is complete before it is passed on. Scanning all neighbours
    again instead took twice as long. Compiled without the GIL, so it runs on one core while
    the services are tallied on the other (igraph's betweenness holds the GIL)."""
    size = len(indptr) - 1
    total = np.zeros(size)
    paths = np.zeros(size)
    dependency = np.zeros(size)
    distance = np.full(size, -1, np.int32)  # 32-bit codes: less to move than 64-bit, 10% faster
    order = np.empty(size, np.int32)  # nodes in the order the search reaches them
    arc_from = np.empty(len(neighbours), np.int32)
    arc_to = np.empty(len(neighbours), np.int32)
    for source in sources:
        distance[:] = -1
        paths[:] = 0.0
        dependency[:] = 0.0
        distance[source], paths[source], order[0] = 0, 1.0, source
        head, tail, arcs = 0, 1, 0
        while head < tail:
            node = order[head]
            head += 1
            further = distance[node] + 1
            for index in range(indptr[node], indptr[node + 1]):
                neighbour = neighbours[index]
                if distance[neighbour] < 0:
                    distance[neighbour] = further
                    order[tail] = neighbour
                    tail += 1
                if distance[neighbour] == further:
                    paths[neighbour] += paths[node]
                    arc_from[arcs], arc_to[arcs] = node, neighbour
                    arcs += 1
        for arc in range(arcs - 1, -1, -1):  # farthest first; paths[after] >= 1, as after was reached
            before, after = arc_from[arc], arc_to[arc]
            dependency[before] += paths[before] / paths[after] * (1.0 + dependency[after])
        for position in range(1, tail):  # the source itself is left out
            total[order[position]] += dependency[order[position]]
    return total


def _adjacency(size: int, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, neighbours): the undirected graph with edges `pairs` in CSR form."""
    arcs = np.concatenate([pairs, pairs[:, ::-1]])
    arcs = arcs[np.lexsort((arcs[:, 1], arcs[:, 0]))]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(arcs[:, 0], minlength=size))])
    return indptr.astype(np.int32), arcs[:, 1].astype(np.int32)


def betweenness_scores(size: int, pairs: np.ndarray) -> np.ndarray:
    """Normalised betweenness per actor code of the undirected graph with edges `pairs`:
    exact up to EXACT_BETWEENNESS_MAX_NODES actors, sampled like networkx's k above."""
    if size <= 2 or not len(pairs):
        return np.zeros(size)
    indptr, neighbours = _adjacency(size, pairs)
    if size <= EXACT_BETWEENNESS_MAX_NODES:
        # every source: each unordered pair is counted from both ends, as networkx does
        return _dependency_sums(indptr, neighbours, np.arange(size)) / ((size - 1) * (size - 2))
    # networkx picks its k sources with random.Random(seed).sample(list(G), k): same positions.
    sources = random.Random(BETWEENNESS_SEED).sample(range(size), BETWEENNESS_SAMPLE)
    raw = _dependency_sums(indptr, neighbours, np.array(sources, dtype=np.int64))
    # networkx 3.6's rescaling for sampled, normalised, endpoint-free betweenness: a sampled
    # source cannot lie between itself and a target, so it has one source fewer to count.
    scale = np.full(size, 1.0 / (BETWEENNESS_SAMPLE * (size - 2)))
    scale[sources] = 1.0 / ((BETWEENNESS_SAMPLE - 1) * (size - 2))
    return raw * scale


# ----------------------------------------------------------------------------- actor metrics


def _neighbour_sector_counts(graph: ActorGraph, pairs: np.ndarray, actors: pd.DataFrame) -> np.ndarray:
    """Per actor code: how many different (known) sectors its neighbours belong to."""
    codes = graph.codes_of(actors["actor_id"])
    first_row = np.zeros(graph.size, dtype=np.int64)  # of each actor code: its first row on the sheet
    listed = np.flatnonzero(codes >= 0)[::-1]
    first_row[codes[listed]] = listed  # written last to first, so the first row stays
    sector, _ = pd.factorize(actors["sector"].to_numpy(dtype=object, na_value=None)[first_row], use_na_sentinel=True)
    sectors = int(sector.max(initial=0)) + 1
    both_ways = np.concatenate([pairs, pairs[:, ::-1]])
    neighbour_sector = sector[both_ways[:, 1]]
    known = np.flatnonzero(neighbour_sector >= 0)
    distinct = _distinct(both_ways[known, 0] * sectors + neighbour_sector[known], graph.size * sectors)
    return np.bincount(distinct // sectors, minlength=graph.size)


def _broker_flags(betweenness: pd.Series, neighbour_sectors: pd.Series) -> pd.Series:
    """Top decile of positive betweenness AND neighbours in at least BROKER_MIN_SECTORS sectors."""
    positive = betweenness[betweenness > 0]
    if positive.empty:
        return pd.Series(False, index=betweenness.index)
    cutoff = positive.quantile(BROKER_TOP_SHARE)
    return (betweenness > 0) & (betweenness >= cutoff) & (neighbour_sectors >= BROKER_MIN_SECTORS)


def actor_metrics(actors: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One row per actor (actors sheet order) with its place in the network; see metrics_of."""
    return metrics_of(actors, actor_graph(actors, links))


def metrics_of(actors: pd.DataFrame, graph: ActorGraph) -> pd.DataFrame:
    """One row per actor (actors sheet order) with its place in the network.

    Columns: actor_id, name, sector; degree = number of distinct actors it is linked to
    (either direction, any link type, self-links not counted); neighbour_sectors = how many
    different sectors those neighbours belong to; betweenness = normalised betweenness on
    the undirected simple graph (sampled above EXACT_BETWEENNESS_MAX_NODES actors, see the
    module docstring), rounded to BETWEENNESS_DECIMALS places; isolated = linked to no other
    actor.

    The rounding keeps exact ties tied: symmetric actors (a ring, a grid) have the same
    betweenness, but the sums reach it in different orders and differ in the last bit, and
    the broker cutoff below would then pick some of them at random.

    broker: an actor that both sits on many of the network's shortest paths and joins up
    sectors, i.e. its betweenness is positive and at or above the 90th percentile (linear
    interpolation) of all positive betweenness values (the top decile), AND its neighbours
    belong to at least 3 different sectors. Betweenness alone would also pick a chain of
    same-sector offices; the sector condition keeps the actors who bridge sectors.
    """
    pairs = graph.undirected_pairs()
    per_code = {
        "degree": np.bincount(pairs.ravel(), minlength=graph.size),
        "neighbour_sectors": _neighbour_sector_counts(graph, pairs, actors),
        "betweenness": np.round(betweenness_scores(graph.size, pairs), BETWEENNESS_DECIMALS),
    }
    codes = graph.codes_of(actors["actor_id"])
    listed = codes >= 0

    def per_actor(values: np.ndarray) -> np.ndarray:
        return np.where(listed, values[np.where(listed, codes, 0)] if graph.size else 0, 0)

    metrics = pd.DataFrame(
        {
            "actor_id": actors["actor_id"].astype("string").reset_index(drop=True),
            "name": actors["name"].astype("string").reset_index(drop=True),
            "sector": actors["sector"].astype("string").reset_index(drop=True),
            "degree": per_actor(per_code["degree"]).astype("int64"),
            "neighbour_sectors": per_actor(per_code["neighbour_sectors"]).astype("int64"),
            "betweenness": per_actor(per_code["betweenness"]).astype("float64"),
        }
    )
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


class Reach:
    """Who can refer to whom, for every actor at once.

    The referral graph's strongly connected groups form a DAG (the condensation); a compiled
    pass lists, for each group, every group reachable from it (itself included). Reachability
    is then a lookup of (region, group) keys, vectorised over all regions, instead of a
    search per region.
    """

    def __init__(self, graph: ActorGraph) -> None:
        referral = graph.link_type == REFERRAL
        ends = np.column_stack([graph.source[referral], graph.target[referral]])
        directed = igraph.Graph(n=graph.size, edges=ends.tolist(), directed=True)
        self.group = np.array(directed.connected_components(mode="strong").membership, dtype=np.int64)
        self.groups = int(self.group.max(initial=-1)) + 1
        between = self.group[ends]
        between = between[np.flatnonzero(between[:, 0] != between[:, 1])]
        keys = np.unique(between[:, 0] * self.groups + between[:, 1])  # 1-D: sorted by source group, then target
        source, target = keys // max(self.groups, 1), keys % max(self.groups, 1)
        dag = igraph.Graph(n=self.groups, edges=np.column_stack([source, target]).tolist(), directed=True)
        order = np.array(dag.topological_sorting(), dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(source, minlength=self.groups))]).astype(np.int64)
        self.starts, self.reached = _reachable_groups(order, indptr, target, self.groups)

    def reached_from(self, entry: np.ndarray, regions: int) -> "KeySet":
        """Every (region, group) where the group is reachable from one of the region's entry
        points, as keys region * groups + group. `entry` holds (region, actor code) rows."""
        # Entry points repeat (one row per service) and share groups: each distinct
        # (region, group) is expanded once.
        keys = _distinct(entry[:, 0] * self.groups + self.group[entry[:, 1]], regions * self.groups)
        return KeySet(_expanded(keys, self.groups, self.starts, self.reached), regions * self.groups)

    def regions_reaching(self, reached: "KeySet", destinations: np.ndarray, regions: int) -> np.ndarray:
        """Per region: whether some (region, actor code) row of `destinations` is reachable."""
        keys = destinations[:, 0] * self.groups + self.group[destinations[:, 1]]
        return np.bincount(destinations[np.flatnonzero(reached.contains(keys)), 0], minlength=regions) > 0


@numba.njit(nogil=True, cache=True)
def _expanded(keys: np.ndarray, groups: int, starts: np.ndarray, reached: np.ndarray) -> np.ndarray:
    """Each (region, group) key replaced by a key for every group reachable from that group
    (reached[starts[g]:starts[g + 1]]), in the same region: one pass, where numpy needed six
    (repeat, cumsum, arange and gathers)."""
    total = 0
    for key in keys:
        total += starts[key % groups + 1] - starts[key % groups]
    found = np.empty(total, np.int64)
    filled = 0
    for key in keys:
        region, group = key // groups, key % groups
        for position in range(starts[group], starts[group + 1]):
            found[filled] = region * groups + reached[position]
            filled += 1
    return found


@numba.njit(nogil=True, cache=True)
def _reachable_groups(
    order: np.ndarray, indptr: np.ndarray, successors: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each node of a DAG, every node reachable from it, itself first: (starts, reached),
    node v reaching reached[starts[v]:starts[v + 1]]. One pass in reverse topological order
    (`order`), each node's set made of its successors' sets (node v's successors are
    successors[indptr[v]:indptr[v + 1]]); a stamp per node keeps each node once per set."""
    begin, end = np.zeros(size, np.int64), np.zeros(size, np.int64)
    found = np.empty(max(2 * size, 16), np.int64)
    stamp = np.full(size, -1, np.int64)
    used = 0
    for position in range(len(order) - 1, -1, -1):
        node = order[position]
        needed = used + 1
        for index in range(indptr[node], indptr[node + 1]):
            needed += end[successors[index]] - begin[successors[index]]
        if needed > len(found):
            grown = np.empty(max(2 * len(found), needed), np.int64)
            grown[:used] = found[:used]
            found = grown
        begin[node] = used
        stamp[node], found[used] = node, node
        used += 1
        for index in range(indptr[node], indptr[node + 1]):
            successor = successors[index]
            for other in found[begin[successor] : end[successor]]:
                if stamp[other] != node:
                    stamp[other], found[used] = node, other
                    used += 1
        end[node] = used
    starts = np.zeros(size + 1, np.int64)
    starts[1:] = np.cumsum(end - begin)
    reached = np.empty(starts[size], np.int64)
    for node in range(size):
        reached[starts[node] : starts[node + 1]] = found[begin[node] : end[node]]
    return starts, reached


def _distinct(keys: np.ndarray, space: int) -> np.ndarray:
    """The distinct values of `keys` (all in [0, space)): in order of first occurrence, from
    a bitmap of the space when it is at most BITMAP_KEY_SPACE, else sorted."""
    if space > BITMAP_KEY_SPACE:
        return _sorted_distinct(keys)
    return _first_occurrences(keys, space)


@numba.njit(nogil=True, cache=True)
def _first_occurrences(keys: np.ndarray, space: int) -> np.ndarray:
    """Each key the first time it occurs, marked off in a bitmap of the space: one pass, and a
    bitmap of a few million keys stays in cache (np.unique sorted, and a numpy scratch table
    of int32 positions missed the cache on every key)."""
    seen = np.zeros((space + 7) // 8, np.uint8)
    found = np.empty_like(keys)
    count = 0
    for key in keys:
        bit = np.uint8(1 << (key & 7))
        if not seen[key >> 3] & bit:
            seen[key >> 3] |= bit
            found[count] = key
            count += 1
    return found[:count]


def _sorted_distinct(keys: np.ndarray) -> np.ndarray:
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys


class KeySet:
    """Distinct integer keys in [0, space), for membership tests on many keys at once: a table
    of flags when the space is small enough (a million lookups cost one gather, where sorting
    and searchsorted cost ten times more), else the sorted distinct keys."""

    def __init__(self, keys: np.ndarray, space: int) -> None:
        self.dense = space <= DENSE_KEY_SPACE
        if self.dense:
            self.flags = np.zeros(space, dtype=bool)
            self.flags[keys] = True
        else:
            self.sorted = _sorted_distinct(keys)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        if self.dense:
            return self.flags[keys]
        found = np.minimum(np.searchsorted(self.sorted, keys), max(len(self.sorted) - 1, 0))
        return self.sorted[found] == keys if len(self.sorted) else np.zeros(len(keys), dtype=bool)


@dataclass(frozen=True)
class RoleInRegions:
    """Who fills one role, for every region at once (regions as codes into the region list)."""

    listed: np.ndarray  # (region, actor code) rows, one per service whose provider is on the actors sheet
    any_service: np.ndarray  # per region: some active service of the role's types
    unlisted: dict  # region code -> sorted names of providers not on the actors sheet


def _roles_in_regions(
    roles: list[Role], encoded: EncodedServices, graph: ActorGraph, services: pd.DataFrame
) -> list[RoleInRegions]:
    """Each role's providers per region, from one pass over the services: every service gets
    a bit per role its type fills, and the (region, actor) pairs are gathered once for all.
    Only the providers of those services are looked up (a quarter of them in the benchmark)."""
    bits_of_kind = np.zeros(len(SERVICE_TYPES) + 1, dtype=np.uint8)  # the last slot answers kind -1
    for number, role in enumerate(roles):
        bits_of_kind[kind_flags(role.service_types)] |= 1 << number
    bits = bits_of_kind[encoded.kind]
    rows = np.flatnonzero(encoded.active & (encoded.region >= 0) & (bits > 0))
    pairs, starts, unlisted = _pairs_by_role(
        rows, encoded.region, graph.provider_codes(services, rows), bits, len(roles)
    )
    unlisted_bits = bits[unlisted]
    active_by_kind = encoded.counts.by_status[0]  # regions x service types
    found = []
    for number, role in enumerate(roles):
        theirs = unlisted[np.flatnonzero(unlisted_bits & (1 << number))]
        found.append(
            RoleInRegions(
                listed=pairs[starts[number] : starts[number + 1]],
                any_service=active_by_kind[:, kind_flags(role.service_types)[:-1]].sum(axis=1) > 0,
                unlisted=_unlisted_providers(encoded.region[theirs], theirs, services["provider"]),
            )
        )
    return found


@numba.njit(nogil=True, cache=True)
def _pairs_by_role(
    rows: np.ndarray, region: np.ndarray, actors: np.ndarray, bits: np.ndarray, roles: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pairs, starts, unlisted): the (region, actor code) of each of `rows` whose provider is
    an actor (actors[i] is rows[i]'s), grouped by role (role r's are pairs[starts[r]:starts[r + 1]],
    a row once per role its bits name), and the rows whose provider is not. Two passes, where
    numpy picked and gathered four times over (once per role)."""
    starts = np.zeros(roles + 1, np.int64)
    unlisted_count = 0
    for position in range(len(rows)):
        if actors[position] < 0:
            unlisted_count += 1
            continue
        for role in range(roles):
            starts[role + 1] += (bits[rows[position]] >> role) & 1
    starts = np.cumsum(starts)
    pairs = np.empty((starts[roles], 2), np.int64)
    unlisted = np.empty(unlisted_count, np.int64)
    filled = starts[:roles].copy()
    unlisted_count = 0
    for position in range(len(rows)):
        row, actor = rows[position], actors[position]
        if actor < 0:
            unlisted[unlisted_count] = row
            unlisted_count += 1
            continue
        for role in range(roles):
            if (bits[row] >> role) & 1:
                pairs[filled[role], 0], pairs[filled[role], 1] = region[row], actor
                filled[role] += 1
    return pairs, starts, unlisted


def _unlisted_providers(region: np.ndarray, rows: np.ndarray, providers: pd.Series) -> dict:
    """Region code -> sorted names of the providers of the services at `rows`, in `region`."""
    if not len(rows):
        return {}
    names = pd.DataFrame({"region": region, "provider": providers.iloc[rows].to_numpy(object)})
    return names.dropna().groupby("region")["provider"].agg(lambda group: tuple(sorted(set(group)))).to_dict()


def _unavailable(
    role: Role, found: RoleInRegions, code: int, region: str, has_listed: bool, language: str = "en"
) -> str | None:
    """Why no actor in the region can fill the role, or None when one can."""
    if has_listed:
        return None
    if not found.any_service[code]:
        return role.text("missing", language, region=region)
    providers = ", ".join(found.unlisted.get(code, ())) or t("pathway.unnamed", language)
    return role.text("unlisted", language, region=region, providers=providers)


def referral_pathways(
    actors: pd.DataFrame, links: pd.DataFrame, services: pd.DataFrame, regions: pd.DataFrame, language: str = "en"
) -> pd.DataFrame:
    """Per region: can a survivor be referred from health to police, legal aid and a shelter?
    See pathways_of; this form takes the frames as loaded."""
    encoded = encode_services(services, listed_regions(regions))
    return pathways_of(actor_graph(actors, links), encoded, services, language)


def pathways_of(
    graph: ActorGraph,
    encoded: EncodedServices,
    services: pd.DataFrame,
    language: str = "en",
    reach: Reach | None = None,
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

    Regions: the region list's order (the regions sheet's, then any region named only by
    services, sorted). `services` gives the providers' ids and, for those not on the actors
    sheet, their names; `reach` is Reach(graph) when already computed.
    Columns: region, health_entry, police, legal_aid, safe_accommodation (bool: reached),
    complete (all three reached), reason (plain words in `language`; every problem found, in
    pathway order: entry point, police, legal aid, safe accommodation).
    """
    size = len(encoded.regions)
    reach = reach or Reach(graph)
    entry, *destinations = _roles_in_regions([ENTRY, *DESTINATIONS.values()], encoded, graph, services)
    steps = dict(zip(DESTINATIONS, destinations))
    reached = reach.reached_from(entry.listed, size)
    table = {"health_entry": np.bincount(entry.listed[:, 0], minlength=size) > 0}
    table.update({step: reach.regions_reaching(reached, found.listed, size) for step, found in steps.items()})
    has_listed = {step: np.bincount(found.listed[:, 0], minlength=size) > 0 for step, found in steps.items()}
    table["complete"] = np.logical_and.reduce([table[step] for step in STEPS])
    reasons = np.full(size, t("pathway.complete", language), dtype=object)
    for code in np.flatnonzero(~table["complete"]):  # words only where something is missing
        reasons[code] = " ".join(_reasons(code, encoded.regions[code], entry, steps, table, has_listed, language))
    return _pathway_frame(encoded.regions, table, reasons)


def _reasons(
    code: int, region: str, entry: RoleInRegions, steps: dict, table: dict, has_listed: dict, language: str
) -> list[str]:
    """Every problem on one region's pathway, in pathway order."""
    reasons = [] if table["health_entry"][code] else [_unavailable(ENTRY, entry, code, region, False, language)]
    for step, role in DESTINATIONS.items():
        unavailable = _unavailable(role, steps[step], code, region, has_listed[step][code], language)
        if unavailable:
            reasons.append(unavailable)
        elif table["health_entry"][code] and not table[step][code]:
            reasons.append(role.text("no_path", language))
    return reasons


def _pathway_frame(regions: list[str], flags: dict[str, np.ndarray], reasons: np.ndarray) -> pd.DataFrame:
    columns = {
        "region": pd.array(regions, dtype="string"),
        **{name: flags[name].astype(bool) for name in ("health_entry", *STEPS, "complete")},
        "reason": pd.array(reasons, dtype="string"),
    }
    return pd.DataFrame(columns, columns=list(PATHWAY_COLUMNS))
