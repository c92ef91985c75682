"""The actor network (vawmap.gaps.network): degree, betweenness, isolated actors, brokers,
and referral pathways from health to police, legal aid and shelter. Expectations are worked
out by hand; the arithmetic is in the comments."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from tests.network_fixtures import (
    actors_frame,
    links_frame,
    regions_frame,
    service,
    services_frame,
)
from vawmap.dataset import empty_frame, sample_dataset
from vawmap.gaps.network import (
    BETWEENNESS_SAMPLE,
    BETWEENNESS_SEED,
    COMPLETE,
    EXACT_BETWEENNESS_MAX_NODES,
    METRIC_COLUMNS,
    PATHWAY_COLUMNS,
    actor_graph,
    actor_metrics,
    brokers,
    isolated_actors,
    referral_pathways,
)

# ----------------------------------------------------------------------------- network fixtures

# Star: centre C linked to four leaves in four other sectors.
STAR_ACTORS = actors_frame({"C": "women_gender", "H": "health", "P": "police", "J": "justice", "W": "social_welfare"})
STAR_LINKS = links_frame(
    ("C", "H", "coordination"), ("C", "P", "coordination"), ("C", "J", "coordination"), ("C", "W", "coordination")
)

# Path A - B - C - D.
PATH_ACTORS = actors_frame({"A": "health", "B": "health", "C": "health", "D": "health"})
PATH_LINKS = links_frame(("A", "B", "coordination"), ("B", "C", "coordination"), ("C", "D", "coordination"))

# Two hubs: X joins A, B, C and Y; Y joins D and E.
#   A   B   C
#    \  |  /
#       X ---- Y ---- D
#              |
#              E
TWO_HUBS_ACTORS = actors_frame(
    {
        "X": "women_gender",
        "A": "health",
        "B": "police",
        "C": "justice",
        "Y": "social_welfare",
        "D": "health",
        "E": "police",
    }
)
TWO_HUBS_LINKS = links_frame(("X", "A"), ("X", "B"), ("X", "C"), ("X", "Y"), ("Y", "D"), ("Y", "E"))

# A star whose centre P links four actors of only two sectors.
TWO_SECTOR_STAR_ACTORS = actors_frame({"P": "police", "H1": "health", "H2": "health", "J1": "justice", "J2": "justice"})
TWO_SECTOR_STAR_LINKS = links_frame(("P", "H1"), ("P", "H2"), ("P", "J1"), ("P", "J2"))


def metrics_by_id(actors: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    return actor_metrics(actors, links).set_index("actor_id")


# ----------------------------------------------------------------------------- graph and metrics


def test_actor_graph_keeps_every_resolved_link_with_its_type():
    links = links_frame(("C", "H", "referral"), ("H", "C", "funding"), ("C", "H", "coordination"))
    graph = actor_graph(STAR_ACTORS, links)
    assert list(graph.ids) == ["C", "H", "P", "J", "W"]
    assert sorted(zip(graph.ids[graph.source], graph.ids[graph.target], graph.link_type)) == [
        ("C", "H", "coordination"),
        ("C", "H", "referral"),
        ("H", "C", "funding"),
    ]


def test_actor_graph_numbers_a_repeated_actor_id_once():
    actors = pd.concat([STAR_ACTORS, STAR_ACTORS.iloc[[0]]], ignore_index=True)
    metrics = actor_metrics(actors, STAR_LINKS)
    assert actor_graph(actors, STAR_LINKS).size == 5
    assert metrics["degree"].tolist() == [4, 1, 1, 1, 1, 4]


def test_star_centre_has_every_neighbour_and_full_betweenness():
    metrics = metrics_by_id(STAR_ACTORS, STAR_LINKS)
    # C has 4 neighbours. The 4 leaves make C(4,2) = 6 pairs, every shortest path goes
    # through C: 6 of 6 pairs -> normalised betweenness 6 / 6 = 1.0.
    assert metrics.loc["C", "degree"] == 4
    assert metrics.loc["C", "betweenness"] == pytest.approx(1.0)
    # A leaf has 1 neighbour and lies between nobody.
    assert metrics.loc[["H", "P", "J", "W"], "degree"].tolist() == [1, 1, 1, 1]
    assert metrics.loc[["H", "P", "J", "W"], "betweenness"].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_path_middle_actors_lie_on_two_of_three_paths():
    metrics = metrics_by_id(PATH_ACTORS, PATH_LINKS)
    # A - B - C - D: the pairs without B are (A,C), (A,D), (C,D); B is on A-C and A-D:
    # 2 of 3 pairs -> 2/3. C is on B-D and A-D of (A,B), (A,D), (B,D) -> 2/3. Ends: 0.
    assert metrics["degree"].to_dict() == {"A": 1, "B": 2, "C": 2, "D": 1}
    assert metrics["betweenness"].tolist() == pytest.approx([0.0, 2 / 3, 2 / 3, 0.0])


# A 4 x 4 torus: 16 actors, each linked to its 4 neighbours on a grid that wraps around, all
# alike; five sectors in turn.
TORUS_SECTORS = ("health", "police", "justice", "social_welfare", "education")
TORUS_ACTORS = actors_frame({f"Q{node:02d}": TORUS_SECTORS[node % 5] for node in range(16)})
TORUS_LINKS = links_frame(
    *[
        (f"Q{4 * row + column:02d}", f"Q{4 * ((row + down) % 4) + (column + right) % 4:02d}", "coordination")
        for row in range(4)
        for column in range(4)
        for down, right in ((0, 1), (1, 0))
    ]
)


def test_actors_placed_alike_tie_on_betweenness_and_are_brokers_alike():
    # Every actor of a torus lies on as many shortest paths as every other, so all tie at the
    # top decile. Summed in different orders, their values differed in the last bit, and the
    # broker cutoff picked some of them by chance. Brokers are exactly those with 3+ neighbour sectors.
    metrics = metrics_by_id(TORUS_ACTORS, TORUS_LINKS)
    assert metrics["betweenness"].nunique() == 1 and metrics["betweenness"].iloc[0] > 0
    joiners = metrics.index[metrics["neighbour_sectors"] >= 3]
    assert len(joiners) >= 2
    assert sorted(metrics.index[metrics["broker"]]) == sorted(joiners)


def test_degree_counts_distinct_neighbours_whatever_the_direction_or_type():
    # H -> C, C -> H twice (three links, one neighbour each way); C -> C is a self-link.
    links = links_frame(
        ("H", "C", "referral"), ("C", "H", "funding"), ("C", "H", "coordination"), ("C", "C", "reporting")
    )
    metrics = metrics_by_id(STAR_ACTORS, links)
    assert metrics.loc["C", "degree"] == 1
    assert metrics.loc["H", "degree"] == 1


def test_columns_are_the_documented_ones():
    assert list(actor_metrics(STAR_ACTORS, STAR_LINKS).columns) == list(METRIC_COLUMNS)


def test_actors_without_links_are_isolated():
    actors = actors_frame({"H": "health", "P": "police", "Z": "defence_security"})
    metrics = actor_metrics(actors, links_frame(("H", "P")))
    assert metrics["isolated"].tolist() == [False, False, True]
    assert isolated_actors(metrics) == ["Actor Z"]


def test_a_link_with_an_unresolved_end_is_ignored():
    actors = actors_frame({"H": "health", "P": "police", "Z": "defence_security"})
    # Z's only links name an organisation the actors sheet does not have (id NA).
    links = links_frame(("H", "P"), ("Z", None), (None, "Z"), (None, None))
    assert len(actor_graph(actors, links).source) == 1
    metrics = metrics_by_id(actors, links)
    assert metrics.loc["Z", "degree"] == 0
    assert isolated_actors(metrics.reset_index()) == ["Actor Z"]


# ----------------------------------------------------------------------------- brokers


def test_star_centre_linking_four_sectors_is_the_broker():
    # C: betweenness 1.0, the only positive value, so the top decile; neighbours in 4 sectors.
    metrics = metrics_by_id(STAR_ACTORS, STAR_LINKS)
    assert metrics.loc["C", "neighbour_sectors"] == 4
    assert brokers(metrics.reset_index()) == ["Actor C"]


def test_a_broker_must_reach_the_top_decile_of_betweenness():
    metrics = metrics_by_id(TWO_HUBS_ACTORS, TWO_HUBS_LINKS)
    # 7 actors: C(6,2) = 15 pairs not involving a given actor.
    # X lies between the pairs of {A,B,C} (3) and {A,B,C} x {Y,D,E} (9): 12/15 = 0.8.
    # Y lies between D-E (1) and {D,E} x {X,A,B,C} (8): 9/15 = 0.6.
    assert metrics.loc["X", "betweenness"] == pytest.approx(0.8)
    assert metrics.loc["Y", "betweenness"] == pytest.approx(0.6)
    # Positive values [0.6, 0.8]; 90th percentile = 0.6 + 0.9 * (0.8 - 0.6) = 0.78.
    # Y links 3 sectors (women_gender, health, police) but 0.6 < 0.78: not a broker.
    assert metrics.loc["Y", "neighbour_sectors"] == 3
    assert metrics["broker"].to_dict() == {
        "X": True,
        "A": False,
        "B": False,
        "C": False,
        "Y": False,
        "D": False,
        "E": False,
    }


def test_a_broker_must_link_at_least_three_sectors():
    # P: betweenness 1.0 (every pair of its 4 neighbours goes through it), but health and
    # justice are only 2 sectors.
    metrics = metrics_by_id(TWO_SECTOR_STAR_ACTORS, TWO_SECTOR_STAR_LINKS)
    assert metrics.loc["P", "betweenness"] == pytest.approx(1.0)
    assert metrics.loc["P", "neighbour_sectors"] == 2
    assert brokers(metrics.reset_index()) == []


def test_brokers_are_listed_by_betweenness_then_name():
    metrics = pd.DataFrame(
        {
            "name": ["Low", "High", "Tie B", "Tie A", "Not a broker"],
            "betweenness": [0.2, 0.9, 0.5, 0.5, 1.0],
            "broker": [True, True, True, True, False],
        }
    )
    assert brokers(metrics) == ["High", "Tie A", "Tie B", "Low"]


def random_network(size: int, seed: int) -> tuple[nx.Graph, pd.DataFrame, pd.DataFrame]:
    """A random graph with twice as many links as actors, and the same network as frames."""
    random_graph = nx.gnm_random_graph(size, 2 * size, seed=seed)
    actors = actors_frame({f"N{node}": "health" for node in random_graph})
    links = links_frame(*((f"N{u}", f"N{v}", "coordination") for u, v in random_graph.edges()))
    return nx.relabel_nodes(random_graph, {node: f"N{node}" for node in random_graph}), actors, links


def test_betweenness_is_exact_like_networkx_up_to_the_limit():
    graph, actors, links = random_network(EXACT_BETWEENNESS_MAX_NODES - 300, seed=5)
    expected = nx.betweenness_centrality(graph, normalized=True)
    metrics = metrics_by_id(actors, links)
    assert metrics["betweenness"].tolist() == pytest.approx([expected[node] for node in metrics.index], abs=1e-12)


def test_betweenness_is_sampled_like_networkx_above_the_exact_limit():
    graph, actors, links = random_network(EXACT_BETWEENNESS_MAX_NODES + 100, seed=3)
    expected = nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLE, seed=BETWEENNESS_SEED)
    metrics = metrics_by_id(actors, links)
    assert metrics["betweenness"].tolist() == pytest.approx([expected[node] for node in metrics.index], abs=1e-12)


# ----------------------------------------------------------------------------- referral pathways

NORTH = "North"
# The chain H (health) -> P (police) -> L (legal aid) -> S (shelter), all in North.
CHAIN_ACTORS = actors_frame(
    {"H": "health", "P": "police", "L": "justice", "S": "womens_organisations"}, level="subnational"
)
CHAIN_SERVICES = services_frame(
    service("H", "health_first_line_support", NORTH),
    service("P", "police_response", NORTH),
    service("L", "legal_aid", NORTH),
    service("S", "safe_accommodation", NORTH),
)
CHAIN_LINKS = (("H", "P"), ("P", "L"), ("L", "S"))
CHAIN = links_frame(*CHAIN_LINKS)
NORTH_ONLY = regions_frame(NORTH)


def north_pathway(actors=CHAIN_ACTORS, links=CHAIN, services=CHAIN_SERVICES) -> dict:
    """North's row (a region named only by services is listed too, after North)."""
    pathways = referral_pathways(actors, links, services, NORTH_ONLY)
    return pathways[pathways["region"] == NORTH].iloc[0].to_dict()


def test_referral_chain_is_complete():
    pathways = referral_pathways(CHAIN_ACTORS, CHAIN, CHAIN_SERVICES, NORTH_ONLY)
    assert pathways.to_dict("records") == [
        {
            "region": NORTH,
            "health_entry": True,
            "police": True,
            "legal_aid": True,
            "safe_accommodation": True,
            "complete": True,
            "reason": COMPLETE,
        }
    ]


@pytest.mark.parametrize(
    ("missing_link", "reached", "reason"),
    [
        (
            ("H", "P"),
            (False, False, False),
            "No referral path from a health entry point to police. No referral path from a health entry point to "
            "legal aid. No referral path from a health entry point to safe accommodation.",
        ),
        (
            ("P", "L"),
            (True, False, False),
            "No referral path from a health entry point to legal aid. "
            "No referral path from a health entry point to safe accommodation.",
        ),
        (("L", "S"), (True, True, False), "No referral path from a health entry point to safe accommodation."),
    ],
)
def test_referral_chain_broken_at_each_step(missing_link, reached, reason):
    links = links_frame(*(link for link in CHAIN_LINKS if link != missing_link))
    row = north_pathway(links=links)
    assert (row["police"], row["legal_aid"], row["safe_accommodation"]) == reached
    assert row["health_entry"] and not row["complete"]
    assert row["reason"] == reason


def test_referral_links_are_followed_in_their_direction():
    # S -> L -> P -> H: every link points back towards health.
    row = north_pathway(links=links_frame(("S", "L"), ("L", "P"), ("P", "H")))
    assert (row["police"], row["legal_aid"], row["safe_accommodation"]) == (False, False, False)


def test_only_referral_links_make_a_pathway():
    links = links_frame(("H", "P", "coordination"), ("P", "L", "information_sharing"), ("L", "S", "funding"))
    row = north_pathway(links=links)
    assert row["health_entry"] and not (row["police"] or row["legal_aid"] or row["safe_accommodation"])


def test_one_stop_centre_is_entry_point_police_and_legal_aid_at_once():
    # O runs a one-stop centre: it is a health entry point AND a police and legal aid
    # provider (path of length 0); one referral link O -> S reaches the shelter.
    actors = actors_frame({"O": "health", "S": "womens_organisations"})
    services = services_frame(service("O", "one_stop_centre", NORTH), service("S", "safe_accommodation", NORTH))
    row = north_pathway(actors=actors, links=links_frame(("O", "S")), services=services)
    assert row["complete"] and row["reason"] == COMPLETE


def test_planned_and_suspended_services_do_not_count():
    services = services_frame(
        service("H", "health_first_line_support", NORTH),
        service("P", "police_response", NORTH, status="planned"),
        service("L", "legal_aid", NORTH),
        service("S", "safe_accommodation", NORTH, status="suspended"),
    )
    row = north_pathway(services=services)
    # P still passes referrals on (H -> P -> L) although its own police service is only planned.
    assert (row["police"], row["legal_aid"], row["safe_accommodation"]) == (False, True, False)
    assert row["reason"] == "No active police response in North. No active safe accommodation in North."


def test_region_without_health_entry_point():
    services = services_frame(
        service("H", "health_first_line_support", "South"),
        service("P", "police_response", NORTH),
        service("L", "legal_aid", NORTH),
        service("S", "safe_accommodation", NORTH),
    )
    row = north_pathway(services=services)  # "South" (services only) is listed too
    assert not (row["health_entry"] or row["police"] or row["legal_aid"] or row["safe_accommodation"])
    assert row["reason"] == "No health entry point in North."


def test_national_actor_serving_the_region_counts_there():
    # L is a national organisation (no region of its own) giving legal aid in North.
    actors = pd.concat(
        [
            actors_frame({"H": "health", "P": "police", "S": "womens_organisations"}, level="subnational"),
            actors_frame({"L": "justice"}, level="national"),
        ],
        ignore_index=True,
    )
    assert north_pathway(actors=actors)["complete"]


def test_shelter_whose_provider_is_not_on_the_actors_sheet_cannot_be_reached():
    services = services_frame(
        service("H", "health_first_line_support", NORTH),
        service("P", "police_response", NORTH),
        service("L", "legal_aid", NORTH),
        service("Hope House", "safe_accommodation", NORTH, listed=False),
    )
    row = north_pathway(services=services)
    assert (row["police"], row["legal_aid"], row["safe_accommodation"]) == (True, True, False)
    assert row["reason"] == (
        "Safe accommodation in North is run only by providers not in the actors sheet "
        "(Hope House), so it cannot be on a referral path."
    )


def test_regions_follow_the_regions_sheet_then_service_only_regions_sorted():
    services = services_frame(
        service("H", "health_first_line_support", "East"),
        service("P", "police_response", "Central"),
        service("L", "legal_aid", NORTH),
    )
    pathways = referral_pathways(CHAIN_ACTORS, CHAIN, services, regions_frame("South", NORTH))
    assert pathways["region"].tolist() == ["South", NORTH, "Central", "East"]
    assert pathways.loc[0, "reason"] == (
        "No health entry point in South. No active police response in South. "
        "No active legal aid in South. No active safe accommodation in South."
    )


@pytest.mark.parametrize("country", ["sample", "synthetic"])
def test_pathways_are_the_same_when_the_pairs_are_too_many_for_a_table(monkeypatch, country):
    # Up to DENSE_KEY_SPACE (region, group) keys are looked up through a table indexed by
    # key, and up to BITMAP_KEY_SPACE deduplicated with a bitmap; above them, by sorting.
    # Both ways must give the same pathways.
    from vawmap.bench import build_dataset
    from vawmap.gaps import network

    data = sample_dataset() if country == "sample" else build_dataset(5_000, 40, 600, seed=2)
    frames = (data["actors"], data["links"], data["services"], data["regions"])
    with_table = referral_pathways(*frames)
    monkeypatch.setattr(network, "DENSE_KEY_SPACE", 0)
    monkeypatch.setattr(network, "BITMAP_KEY_SPACE", 0)
    assert with_table["complete"].any() and not with_table["complete"].all()  # both outcomes occur
    pd.testing.assert_frame_equal(referral_pathways(*frames), with_table)


@pytest.mark.parametrize("shape", ["random", "chain"])
def test_reachable_groups_are_networkx_descendants(shape):
    # A chain of 120 groups reaches 7,260 (group, group) pairs: more than the first buffer holds.
    from vawmap.gaps import network

    rng = np.random.default_rng(4)
    size = 120
    if shape == "chain":
        edges = [(node, node + 1) for node in range(size - 1)]
    else:
        edges = sorted({(int(a), int(b)) for a, b in rng.integers(0, size, (300, 2)) if a < b})
    dag = nx.DiGraph(edges)
    dag.add_nodes_from(range(size))
    source = np.array([a for a, _ in edges], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(source, minlength=size))]).astype(np.int64)
    order = np.array(list(nx.topological_sort(dag)), dtype=np.int64)
    starts, reached = network._reachable_groups(order, indptr, np.array([b for _, b in edges], dtype=np.int64), size)
    for node in range(size):
        found = reached[starts[node] : starts[node + 1]].tolist()
        assert found[0] == node and len(found) == len(set(found))
        assert set(found) == nx.descendants(dag, node) | {node}


def test_distinct_keys_are_each_key_once_either_way(monkeypatch):
    from vawmap.gaps import network

    keys = np.array([9, 3, 9, 0, 3, 3, 17, 0], dtype=np.int64)
    assert network._distinct(keys, 18).tolist() == [9, 3, 0, 17]  # bitmap: order of first occurrence
    monkeypatch.setattr(network, "BITMAP_KEY_SPACE", 0)
    assert network._distinct(keys, 18).tolist() == [0, 3, 9, 17]  # sorted
    assert network._distinct(np.empty(0, dtype=np.int64), 18).tolist() == []


# ----------------------------------------------------------------------------- empty frames


def test_empty_frames_give_empty_results():
    actors, links = empty_frame("actors"), empty_frame("links")
    assert actor_graph(actors, links).size == 0
    metrics = actor_metrics(actors, links)
    assert list(metrics.columns) == list(METRIC_COLUMNS) and metrics.empty
    assert isolated_actors(metrics) == [] and brokers(metrics) == []
    pathways = referral_pathways(actors, links, empty_frame("services"), empty_frame("regions"))
    assert list(pathways.columns) == list(PATHWAY_COLUMNS) and pathways.empty


def test_actors_without_links_or_services():
    metrics = actor_metrics(STAR_ACTORS, empty_frame("links"))
    assert metrics["isolated"].all() and not metrics["broker"].any()
    assert metrics["betweenness"].tolist() == [0.0] * 5
    pathways = referral_pathways(STAR_ACTORS, empty_frame("links"), empty_frame("services"), NORTH_ONLY)
    assert not pathways.loc[0, "complete"]


# ----------------------------------------------------------------------------- the sample country


@pytest.fixture(scope="module")
def sample():
    return sample_dataset()


def test_sample_isolated_actors_include_the_ministry_of_defence(sample):
    isolated = isolated_actors(actor_metrics(sample["actors"], sample["links"]))
    assert "Ministry of Defence" in isolated


def test_sample_brokers_include_the_helpline_the_womens_ministry_and_un_women(sample):
    found = brokers(actor_metrics(sample["actors"], sample["links"]))
    assert {
        "Lifeline Veldora",
        "Ministry of Gender, Women and Children's Affairs",
        "United Nations Entity for Gender Equality and the Empowerment of Women",
    } <= set(found)


def test_sample_referral_chains(sample):
    pathways = referral_pathways(sample["actors"], sample["links"], sample["services"], sample["regions"])
    by_region = pathways.set_index("region")
    assert by_region.loc["Capital District", "complete"]
    for remote in ("Farhollow", "Mistwood"):  # no referral links at all: the chain does not start
        assert not by_region.loc[remote, "complete"]
        assert "No referral path from a health entry point to police." in by_region.loc[remote, "reason"]
    joined_up = {"Capital District", "Saltmarsh", "Highcrest", "Lowriver", "Greenbay", "Eastvale", "Stonebridge"}
    assert set(by_region.index[by_region["complete"]]) == joined_up
