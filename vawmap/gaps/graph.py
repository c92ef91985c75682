"""The actor graph: actors as integer codes and the links between them that resolved to actors.

Only links whose source and target both resolved to actors on the actors sheet are edges
(`source_id` / `target_id`); a link with an NA id is left out, never guessed. Actors are
numbered by their position in `ActorGraph.ids`, so the metrics and the referral pathways run
on integer arrays (numpy, igraph) rather than on Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


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
        """Each id's actor code, -1 for a blank id or one not on the actors sheet. The ids are
        factorised first, so each distinct id is looked up once however often it repeats."""
        codes, distinct = pd.factorize(ids)
        lookup = np.append(self.ids.get_indexer(pd.Index(distinct, dtype=object)), -1)  # the last answers a blank
        return lookup[codes]

    def undirected_pairs(self) -> np.ndarray:
        """One (lower code, higher code) row per linked pair of different actors."""
        low, high = np.minimum(self.source, self.target), np.maximum(self.source, self.target)
        width = max(self.size, 1)
        keys = np.unique((low * width + high)[low != high])  # 1-D keys: np.unique(axis=0) sorts rows far slower
        return np.column_stack([keys // width, keys % width]).astype(np.int64)


def actor_graph(actors: pd.DataFrame, links: pd.DataFrame) -> ActorGraph:
    """Actors by actor_id, and every link whose source_id and target_id are both actors' ids;
    links with an NA id (the name did not resolve) are left out."""
    ids = pd.Index(actors["actor_id"].dropna().unique(), dtype=object)
    no_links = np.empty(0, dtype=np.int64)
    graph = ActorGraph(ids, no_links, no_links, np.empty(0, dtype=object))
    source, target = graph.codes_of(links["source_id"]), graph.codes_of(links["target_id"])
    resolved = (source >= 0) & (target >= 0)
    link_type = links["link_type"].to_numpy(dtype=object, na_value=None)[resolved]
    return ActorGraph(ids, source[resolved], target[resolved], link_type)
