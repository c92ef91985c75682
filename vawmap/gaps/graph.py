"""The actor graph: actors as integer codes and the links between them that resolved to actors.

Only links whose source and target both resolved to actors on the actors sheet are edges
(`source_id` / `target_id`); a link with an NA id is left out, never guessed. Actors are
numbered by their position in `ActorGraph.ids`, so the metrics and the referral pathways run
on integer arrays (numpy, igraph) rather than on Python objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from vawmap.gaps.columns import arrow_text, first_positions, sorted_unique


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

    @cached_property
    def id_text(self) -> pa.Array:
        """The ids as Arrow text, to look ids up in."""
        return arrow_text(self.ids)

    def codes_of(self, ids) -> np.ndarray:
        """Each id's actor code (int32), -1 for a blank id or one not on the actors sheet: one
        lookup in an Arrow hash table of the actors' ids per id."""
        return first_positions(ids, self.id_text)

    def undirected_pairs(self) -> np.ndarray:
        """One (lower code, higher code) row per linked pair of different actors."""
        low, high = np.minimum(self.source, self.target), np.maximum(self.source, self.target)
        width = max(self.size, 1)
        keys = sorted_unique((low * width + high)[low != high])  # 1-D keys: np.unique(axis=0) sorts rows far slower
        return np.column_stack([keys // width, keys % width]).astype(np.int64)


def edge_pairs(source: np.ndarray, target: np.ndarray) -> Iterator[tuple[int, int]]:
    """The edges as igraph reads them, (source, target) pairs, made one at a time as it reads:
    a list of thousands of small lists would all be tracked by the garbage collector at once."""
    return zip(source.tolist(), target.tolist())


def actor_graph(actors: pd.DataFrame, links: pd.DataFrame) -> ActorGraph:
    """Actors by actor_id, and every link whose source_id and target_id are both actors' ids;
    links with an NA id (the name did not resolve) are left out."""
    id_text = pc.unique(arrow_text(actors["actor_id"])).drop_null()
    source, target = first_positions(links["source_id"], id_text), first_positions(links["target_id"], id_text)
    ids = pd.Index(id_text.to_numpy(zero_copy_only=False), dtype=object)
    resolved = (source >= 0) & (target >= 0)
    link_type = links["link_type"].to_numpy(dtype=object, na_value=None)[resolved]
    return ActorGraph(ids, source[resolved].astype(np.int64), target[resolved].astype(np.int64), link_type)
