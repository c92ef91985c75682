"""Each actor's place in the network: degree, the sectors of its neighbours, betweenness, and
from them who is isolated and who brokers between sectors.

Betweenness is normalised and computed on the undirected simple graph (direction and
parallel links ignored), with networkx's conventions, by igraph. Up to
EXACT_BETWEENNESS_MAX_NODES actors it is exact. Above that, exact Brandes is O(V·E), so it is
SAMPLED: the estimate from BETWEENNESS_SAMPLE source actors picked with seed
BETWEENNESS_SEED, i.e. the same numbers as `nx.betweenness_centrality(G, k=256, seed=0)`
(a test checks both against networkx).
"""

from __future__ import annotations

import random

import igraph
import numpy as np
import pandas as pd

from vawmap.gaps.columns import first_positions, frame
from vawmap.gaps.graph import ActorGraph, edge_pairs

EXACT_BETWEENNESS_MAX_NODES = 500
BETWEENNESS_SAMPLE = 256  # source actors sampled above EXACT_BETWEENNESS_MAX_NODES
BETWEENNESS_SEED = 0
BETWEENNESS_DECIMALS = 12  # far below any difference that matters, far above rounding noise
BROKER_TOP_SHARE = 0.9  # quantile of the positive betweenness values a broker must reach
BROKER_MIN_SECTORS = 3  # different sectors among a broker's neighbours

METRIC_COLUMNS = ("actor_id", "name", "sector", "degree", "neighbour_sectors", "betweenness", "isolated", "broker")


def betweenness_scores(size: int, pairs: np.ndarray) -> np.ndarray:
    """Normalised betweenness per actor code of the undirected graph with edges `pairs`:
    exact up to EXACT_BETWEENNESS_MAX_NODES actors, sampled like networkx's k above.

    igraph counts each unordered pair of an undirected graph once, so its values are half the
    dependency sums networkx scales (networkx counts a pair from both ends); the same holds
    for its betweenness from a subset of sources."""
    if size <= 2 or not len(pairs):
        return np.zeros(size)
    undirected = igraph.Graph(n=size, edges=edge_pairs(pairs[:, 0], pairs[:, 1]), directed=False)
    if size <= EXACT_BETWEENNESS_MAX_NODES:
        return 2 * np.array(undirected.betweenness(directed=False)) / ((size - 1) * (size - 2))
    # networkx picks its k sources with random.Random(seed).sample(list(G), k): same positions.
    sources = random.Random(BETWEENNESS_SEED).sample(range(size), BETWEENNESS_SAMPLE)
    dependency_sums = 2 * np.array(undirected.betweenness(directed=False, sources=sources))
    # networkx 3.6's rescaling for sampled, normalised, endpoint-free betweenness: a sampled
    # source cannot lie between itself and a target, so it has one source fewer to count.
    scale = np.full(size, 1.0 / (BETWEENNESS_SAMPLE * (size - 2)))
    scale[sources] = 1.0 / ((BETWEENNESS_SAMPLE - 1) * (size - 2))
    return dependency_sums * scale


def _neighbour_sector_counts(graph: ActorGraph, pairs: np.ndarray, actors: pd.DataFrame) -> np.ndarray:
    """Per actor code: how many different (known) sectors its neighbours belong to (an actor
    listed twice has the sector of its first row)."""
    first_rows = first_positions(graph.id_text, actors["actor_id"])
    sector = pd.factorize(actors["sector"])[0][first_rows]
    sectors = int(sector.max(initial=0)) + 1
    actor, neighbour = np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]])
    known = np.flatnonzero(sector[neighbour] >= 0)
    distinct = pd.unique(actor[known] * sectors + sector[neighbour[known]])
    return np.bincount(distinct // sectors, minlength=graph.size)


def _broker_flags(betweenness: np.ndarray, neighbour_sectors: np.ndarray) -> np.ndarray:
    """Top decile of positive betweenness AND neighbours in at least BROKER_MIN_SECTORS sectors."""
    positive = betweenness[betweenness > 0]
    if not len(positive):
        return np.zeros(len(betweenness), dtype=bool)
    cutoff = np.quantile(positive, BROKER_TOP_SHARE)  # linear interpolation, as pandas' quantile
    return (betweenness > 0) & (betweenness >= cutoff) & (neighbour_sectors >= BROKER_MIN_SECTORS)


def actor_metrics(actors: pd.DataFrame, graph: ActorGraph) -> pd.DataFrame:
    """One row per actor (actors sheet order) with its place in `graph` (actor_graph of the
    same actors).

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
    codes = graph.codes_of(actors["actor_id"])  # -1 for a row without an actor_id: no links, nothing between

    def per_actor(values: np.ndarray, dtype: str) -> np.ndarray:
        return np.append(values, 0)[codes].astype(dtype)

    degree = per_actor(np.bincount(pairs.ravel(), minlength=graph.size), "int64")
    neighbour_sectors = per_actor(_neighbour_sector_counts(graph, pairs, actors), "int64")
    betweenness = per_actor(np.round(betweenness_scores(graph.size, pairs), BETWEENNESS_DECIMALS), "float64")
    return frame(
        {
            "actor_id": actors["actor_id"].astype("string").array,
            "name": actors["name"].astype("string").array,
            "sector": actors["sector"].astype("string").array,
            "degree": degree,
            "neighbour_sectors": neighbour_sectors,
            "betweenness": betweenness,
            "isolated": degree == 0,
            "broker": _broker_flags(betweenness, neighbour_sectors),
        },
        METRIC_COLUMNS,
    )


def isolated_actors(metrics: pd.DataFrame) -> list[str]:
    """Names of the actors linked to nobody, in the actors sheet's order."""
    names = metrics["name"].to_numpy(dtype=object, na_value=None)[metrics["isolated"].to_numpy(dtype=bool)]
    return [name for name in names.tolist() if name is not None]


def brokers(metrics: pd.DataFrame) -> list[str]:
    """Names of the brokers (see actor_metrics), highest betweenness first, then by name."""
    chosen = metrics[metrics["broker"]].sort_values(["betweenness", "name"], ascending=[False, True])
    return chosen["name"].dropna().tolist()
