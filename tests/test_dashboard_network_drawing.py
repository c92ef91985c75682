"""vawmap.dashboard.network_drawing: the network drawn the same way each time, and restricted to
the actors a filter keeps."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.dashboard_fixtures import frames_of
from tests.network_fixtures import actors_frame, links_frame
from vawmap.dashboard.network_drawing import NetworkDrawing, drawing_of_actors, network_drawing
from vawmap.gaps.assess import assess


def test_network_drawing_stays_put_between_calls():
    actors = actors_frame({"H": "health", "P": "police", "J": "justice", "L": "education"})
    links = links_frame(("H", "P"), ("P", "J"))
    metrics = assess(frames_of(actors=actors, links=links)).actor_metrics
    first = network_drawing(actors, links, metrics)
    second = network_drawing(actors, links, metrics)
    pd.testing.assert_frame_equal(first.nodes, second.nodes)
    assert len(first.nodes) == 4 and len(first.edges) == 2
    assert bool(first.nodes.set_index("actor_id").loc["L", "isolated"])


# ----------------------------------------------------------------------------- network filter

# A chain H - P - J, and L linked to nobody.
CHAIN_ACTORS = actors_frame({"H": "health", "P": "police", "J": "justice", "L": "education"})
CHAIN_LINKS = links_frame(("H", "P"), ("P", "J"))


@pytest.fixture(scope="module")
def chain_drawing():
    metrics = assess(frames_of(actors=CHAIN_ACTORS, links=CHAIN_LINKS)).actor_metrics
    return network_drawing(CHAIN_ACTORS, CHAIN_LINKS, metrics)


def pairs(drawing: NetworkDrawing) -> set[frozenset]:
    return {frozenset(pair) for pair in zip(drawing.edges["source_id"], drawing.edges["target_id"])}


def test_network_drawing_edges_name_both_actors(chain_drawing):
    assert pairs(chain_drawing) == {frozenset("HP"), frozenset("PJ")}


def test_drawing_of_actors_keeps_the_actors_and_the_links_between_them(chain_drawing):
    kept = drawing_of_actors(chain_drawing, ["H", "P", "L"])
    assert sorted(kept.nodes["actor_id"]) == ["H", "L", "P"]
    # P - J loses its J end, so only H - P is left
    assert pairs(kept) == {frozenset("HP")}


def test_drawing_of_actors_matches_links_by_actor_not_by_position(chain_drawing):
    # L drawn exactly where J is: a filter comparing positions would take L's spot for J's and
    # keep the P - J link although J is filtered out.
    nodes = chain_drawing.nodes.set_index("actor_id")
    nodes.loc["L", ["x", "y"]] = nodes.loc["J", ["x", "y"]]
    overlapping = NetworkDrawing(nodes.reset_index(), chain_drawing.edges)
    kept = drawing_of_actors(overlapping, {"H", "P", "L"})
    assert pairs(kept) == {frozenset("HP")}
    assert len(kept.edges) == 1


def test_drawing_of_no_actor_is_empty(chain_drawing):
    kept = drawing_of_actors(chain_drawing, set())
    assert kept.nodes.empty and kept.edges.empty
