"""The drawing of the network of links on the Stakeholders page: a position for every actor
(igraph's Fruchterman-Reingold layout) and one segment per resolved link."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

import igraph
import numpy as np
import pandas as pd

from vawmap.gaps.graph import actor_graph

LAYOUT_SEED = 7
_LAYOUT_LOCK = threading.Lock()


@dataclass(frozen=True)
class NetworkDrawing:
    nodes: pd.DataFrame  # actor_id, name, sector, x, y, degree, isolated, broker, betweenness
    edges: pd.DataFrame  # source_id, target_id, link_type, x0, y0, x1, y1


def network_drawing(actors: pd.DataFrame, links: pd.DataFrame, metrics: pd.DataFrame) -> NetworkDrawing:
    """Positions for every actor (fixed seed, so the picture stays put between reruns) and one
    segment per resolved link."""
    graph = actor_graph(actors, links)
    coords = _layout(graph.size, graph.undirected_pairs().tolist())
    by_id = metrics.drop_duplicates("actor_id").set_index("actor_id")
    nodes = pd.DataFrame({"actor_id": list(graph.ids), "x": coords[:, 0], "y": coords[:, 1]})
    nodes = nodes.join(by_id[["name", "sector", "degree", "isolated", "broker", "betweenness"]], on="actor_id")
    edges = pd.DataFrame(
        {
            "source_id": graph.ids[graph.source],
            "target_id": graph.ids[graph.target],
            "link_type": graph.link_type,
            "x0": coords[graph.source, 0] if graph.size else [],
            "y0": coords[graph.source, 1] if graph.size else [],
            "x1": coords[graph.target, 0] if graph.size else [],
            "y1": coords[graph.target, 1] if graph.size else [],
        }
    )
    return NetworkDrawing(nodes, edges)


def _layout(size: int, pairs: list) -> np.ndarray:
    """One (x, y) row per actor, the same for the same graph."""
    if not size:
        return np.zeros((0, 2))
    drawn = igraph.Graph(n=size, edges=pairs)
    # igraph draws from a process-wide generator: give it a seeded one for this layout only,
    # so the picture stays put between reruns; the lock keeps sessions (threads) from
    # swapping generators under each other.
    with _LAYOUT_LOCK:
        igraph.set_random_number_generator(random.Random(LAYOUT_SEED))
        try:
            return np.array(drawn.layout_fruchterman_reingold(niter=300).coords).reshape(-1, 2)
        finally:
            igraph.set_random_number_generator(random)


def drawing_of_actors(drawing: NetworkDrawing, actor_ids) -> NetworkDrawing:
    """The drawing restricted to the given actors and the links between them."""
    wanted = set(actor_ids)
    edges = drawing.edges[drawing.edges["source_id"].isin(wanted) & drawing.edges["target_id"].isin(wanted)]
    return NetworkDrawing(drawing.nodes[drawing.nodes["actor_id"].isin(wanted)], edges)
