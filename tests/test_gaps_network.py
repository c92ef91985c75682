"""The actor network (vawmap.gaps.graph, metrics and pathways): degree, betweenness, isolated
actors, brokers, and referral pathways from health to police, legal aid and shelter.
Expectations are worked out by hand (the arithmetic is in the comments) or by networkx."""

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
from vawmap.gaps.assess import assess, to_json
from vawmap.gaps.graph import actor_graph
from vawmap.gaps.metrics import (
    BETWEENNESS_SAMPLE,
    BETWEENNESS_SEED,
    EXACT_BETWEENNESS_MAX_NODES,
    METRIC_COLUMNS,
    actor_metrics,
    brokers,
    isolated_actors,
)
from vawmap.gaps.pathways import DESTINATIONS, ENTRY, PATHWAY_COLUMNS, referral_pathways
from vawmap.gaps.regions import encode_services, listed_regions
from vawmap.i18n import catalogue
from vawmap.messages import Message, Sentences, keys_in, message, render
from vawmap.synthetic import build_dataset
from vawmap.vocab import vocabulary

COMPLETE = message("pathway.complete")

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


def metrics_of(actors: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    return actor_metrics(actors, actor_graph(actors, links))


def metrics_by_id(actors: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    return metrics_of(actors, links).set_index("actor_id")


def pathways_of(
    actors: pd.DataFrame, links: pd.DataFrame, services: pd.DataFrame, regions: pd.DataFrame
) -> pd.DataFrame:
    """The referral pathways of frames as loaded."""
    encoded = encode_services(services, listed_regions(regions))
    return referral_pathways(encoded, actor_graph(actors, links), services)


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
    metrics = metrics_of(actors, STAR_LINKS)
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
    assert list(metrics_of(STAR_ACTORS, STAR_LINKS).columns) == list(METRIC_COLUMNS)


def test_actors_without_links_are_isolated():
    actors = actors_frame({"H": "health", "P": "police", "Z": "defence_security"})
    metrics = metrics_of(actors, links_frame(("H", "P")))
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
    pathways = pathways_of(actors, links, services, NORTH_ONLY)
    return pathways[pathways["region"] == NORTH].iloc[0].to_dict()


def test_referral_chain_is_complete():
    pathways = pathways_of(CHAIN_ACTORS, CHAIN, CHAIN_SERVICES, NORTH_ONLY)
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
            (
                "No referral path from a health entry point to police. No referral path from a health entry point to "
                "legal aid. No referral path from a health entry point to safe accommodation."
            ),
        ),
        (
            ("P", "L"),
            (True, False, False),
            (
                "No referral path from a health entry point to legal aid. "
                "No referral path from a health entry point to safe accommodation."
            ),
        ),
        (("L", "S"), (True, True, False), "No referral path from a health entry point to safe accommodation."),
    ],
)
def test_referral_chain_broken_at_each_step(missing_link, reached, reason):
    links = links_frame(*(link for link in CHAIN_LINKS if link != missing_link))
    row = north_pathway(links=links)
    assert (row["police"], row["legal_aid"], row["safe_accommodation"]) == reached
    assert row["health_entry"] and not row["complete"]
    assert render(row["reason"]) == reason


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
    assert render(row["reason"]) == "No active police response in North. No active safe accommodation in North."


def test_region_without_health_entry_point():
    services = services_frame(
        service("H", "health_first_line_support", "South"),
        service("P", "police_response", NORTH),
        service("L", "legal_aid", NORTH),
        service("S", "safe_accommodation", NORTH),
    )
    row = north_pathway(services=services)  # "South" (services only) is listed too
    assert not (row["health_entry"] or row["police"] or row["legal_aid"] or row["safe_accommodation"])
    assert render(row["reason"]) == "No health entry point in North."


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
    assert render(row["reason"]) == (
        "Safe accommodation in North is run only by providers not in the actors sheet "
        "(Hope House), so it cannot be on a referral path."
    )


def test_regions_follow_the_regions_sheet_then_service_only_regions_sorted():
    services = services_frame(
        service("H", "health_first_line_support", "East"),
        service("P", "police_response", "Central"),
        service("L", "legal_aid", NORTH),
    )
    pathways = pathways_of(CHAIN_ACTORS, CHAIN, services, regions_frame("South", NORTH))
    assert pathways["region"].tolist() == ["South", NORTH, "Central", "East"]
    assert render(pathways.loc[0, "reason"]) == (
        "No health entry point in South. No active police response in South. "
        "No active legal aid in South. No active safe accommodation in South."
    )


# What a survivor's pathway needs, written out independently of vawmap/data/pathways.toml.
ORACLE_ROLES = {
    "health_entry": {"health_first_line_support", "post_rape_care", "one_stop_centre"},
    "police": {"police_response", "one_stop_centre"},
    "legal_aid": {"legal_aid", "one_stop_centre"},
    "safe_accommodation": {"safe_accommodation"},
}


def pathways_by_networkx(actors, links, services) -> dict[str, dict[str, bool]]:
    """Per region named by an active service: whether it has a health entry point on the actors
    sheet and whether each destination is reachable from one, by nx.descendants."""
    referrals = nx.DiGraph()
    referrals.add_nodes_from(actors["actor_id"].dropna())
    referral = links[links["link_type"].eq("referral").fillna(False)]
    referrals.add_edges_from(
        (source, target)
        for source, target in zip(referral["source_id"], referral["target_id"])
        if source in referrals and target in referrals
    )
    active = services[services["status"].fillna("active").eq("active") & services["region"].notna()]
    found = {}
    for region, rows in active.groupby("region"):
        providers = {
            role: {actor for actor in rows.loc[rows["service_type"].isin(types), "provider_id"] if actor in referrals}
            for role, types in ORACLE_ROLES.items()
        }
        reached = set().union(*(nx.descendants(referrals, actor) | {actor} for actor in providers["health_entry"]))
        found[region] = {"health_entry": bool(providers["health_entry"])} | {
            step: bool(providers[step] & reached) for step in ("police", "legal_aid", "safe_accommodation")
        }
    return found


def random_referrals(actors: int, links: int, regions: int, services: int, seed: int) -> tuple:
    """(actors, links, services): a dense random referral graph (cycles, long chains and
    unrelated links alike) and random services, some of them planned or without a listed provider."""
    rng = np.random.default_rng(seed)
    ids = [f"R{number}" for number in range(actors)]
    sector = {actor: "health" for actor in ids}
    ends = rng.integers(0, actors, (links, 2))
    types = rng.choice(["referral", "referral", "referral", "coordination"], links)
    region_names = [f"Region {number}" for number in range(regions)]
    kinds = sorted(set().union(*ORACLE_ROLES.values())) + ["helpline"]
    rows = [
        service(
            ids[int(rng.integers(actors))] if rng.random() < 0.9 else f"Unlisted {rng.integers(5)}",
            str(rng.choice(kinds)),
            str(rng.choice(region_names)),
            status=str(rng.choice(["active", "active", "active", "planned"])),
            listed=bool(rng.random() < 0.9),
        )
        for _ in range(services)
    ]
    links_rows = [(ids[a], ids[b], kind) for (a, b), kind in zip(ends, types)]
    return actors_frame(sector), links_frame(*links_rows), services_frame(*rows)


def assert_pathways_match_networkx(actors, links, services, regions) -> pd.DataFrame:
    pathways = pathways_of(actors, links, services, regions).set_index("region")
    expected = pathways_by_networkx(actors, links, services)
    assert expected, "the oracle found no region with an active service"
    for region, flags in expected.items():
        assert pathways.loc[region, list(flags)].to_dict() == flags, region
    without_services = pathways.drop(index=list(expected))
    assert not without_services[["health_entry", *STEP_COLUMNS]].to_numpy().any()
    return pathways


STEP_COLUMNS = ("police", "legal_aid", "safe_accommodation")


@pytest.mark.parametrize("seed", range(6))
def test_pathways_follow_referral_links_like_networkx_on_random_graphs(seed):
    # 40 actors and 70 links, three in four of them referrals: cycles and long chains occur.
    actors, links, services = random_referrals(40, 70, 6, 60, seed)
    pathways = assert_pathways_match_networkx(actors, links, services, regions_frame("Region 0", "Region 9"))
    assert pathways.index[:2].tolist() == ["Region 0", "Region 9"]


def test_pathways_of_the_synthetic_country_are_networkx_descendants():
    data = build_dataset(5_000, 40, 600, seed=2)
    pathways = assert_pathways_match_networkx(data["actors"], data["links"], data["services"], data["regions"])
    assert pathways["complete"].any() and not pathways["complete"].all()  # both outcomes occur


def test_pathways_of_the_sample_country_are_networkx_descendants(sample):
    assert_pathways_match_networkx(sample["actors"], sample["links"], sample["services"], sample["regions"])


def test_a_referral_cycle_reaches_every_actor_on_it():
    # H -> P -> L -> S -> H: every actor of the cycle reaches every other.
    row = north_pathway(links=links_frame(*CHAIN_LINKS, ("S", "H")))
    assert row["complete"]
    # S -> H -> P -> L -> S written backwards from L: H still reaches S through the cycle.
    row = north_pathway(links=links_frame(("L", "S"), ("S", "H"), ("H", "P"), ("P", "L")))
    assert row["complete"]


# ----------------------------------------------------------------------------- reasons as messages


def test_a_reason_is_a_message_with_every_problem_as_a_sentence():
    services = services_frame(
        service("H", "health_first_line_support", NORTH),
        service("L", "legal_aid", NORTH),
        service("Hope House", "safe_accommodation", NORTH, listed=False),
    )
    reason = north_pathway(links=links_frame(("L", "S")), services=services)["reason"]
    assert isinstance(reason, Message) and reason.key == "pathway.incomplete"
    assert reason.params["problems"] == Sentences(
        (
            message("pathway.police.missing", region=NORTH),
            message("pathway.legal_aid.no_path"),
            message("pathway.safe_accommodation.unlisted", region=NORTH, providers=("Hope House",)),
        )
    )
    assert render(reason, "fr").startswith("Aucun service de police actif dans la région North.")


def test_every_pathway_role_names_known_service_types_and_has_its_texts():
    english = catalogue("en")
    known = set(vocabulary("service_type").values)
    for role in (ENTRY, *DESTINATIONS):
        assert role.service_types and set(role.service_types) <= known, role.name
        problems = ("missing", "unlisted") + (("no_path",) if role in DESTINATIONS else ())
        keys = keys_in([role.problem(problem) for problem in problems])
        assert sorted(keys - set(english)) == [], role.name
    assert tuple(role.name for role in DESTINATIONS) == STEP_COLUMNS
    assert {"pathway.complete", "pathway.incomplete", "pathway.unnamed"} <= set(english)


# ----------------------------------------------------------------------------- empty frames


def test_empty_frames_give_empty_results():
    actors, links = empty_frame("actors"), empty_frame("links")
    assert actor_graph(actors, links).size == 0
    metrics = metrics_of(actors, links)
    assert list(metrics.columns) == list(METRIC_COLUMNS) and metrics.empty
    assert isolated_actors(metrics) == [] and brokers(metrics) == []
    pathways = pathways_of(actors, links, empty_frame("services"), empty_frame("regions"))
    assert list(pathways.columns) == list(PATHWAY_COLUMNS) and pathways.empty


def test_actors_without_links_or_services():
    metrics = metrics_of(STAR_ACTORS, empty_frame("links"))
    assert metrics["isolated"].all() and not metrics["broker"].any()
    assert metrics["betweenness"].tolist() == [0.0] * 5
    pathways = pathways_of(STAR_ACTORS, empty_frame("links"), empty_frame("services"), NORTH_ONLY)
    assert not pathways.loc[0, "complete"]


# ----------------------------------------------------------------------------- the sample country


@pytest.fixture(scope="module")
def sample():
    return sample_dataset()


def test_sample_isolated_actors_include_the_ministry_of_defence(sample):
    isolated = isolated_actors(metrics_of(sample["actors"], sample["links"]))
    assert "Ministry of Defence" in isolated


def test_sample_brokers_include_the_helpline_the_womens_ministry_and_un_women(sample):
    found = brokers(metrics_of(sample["actors"], sample["links"]))
    assert {
        "Lifeline Veldora",
        "Ministry of Gender, Women and Children's Affairs",
        "United Nations Entity for Gender Equality and the Empowerment of Women",
    } <= set(found)


def test_sample_referral_chains(sample):
    pathways = pathways_of(sample["actors"], sample["links"], sample["services"], sample["regions"])
    by_region = pathways.set_index("region")
    assert by_region.loc["Capital District", "complete"]
    for remote in ("Farhollow", "Mistwood"):  # no referral links at all: the chain does not start
        assert not by_region.loc[remote, "complete"]
        assert "No referral path from a health entry point to police." in render(by_region.loc[remote, "reason"])
    joined_up = {"Capital District", "Saltmarsh", "Highcrest", "Lowriver", "Greenbay", "Eastvale", "Stonebridge"}
    assert set(by_region.index[by_region["complete"]]) == joined_up


def test_json_pathways_give_the_english_reason_with_its_key_and_params(sample):
    records = {record["region"]: record for record in to_json(assess(sample.frames))["network"]["referral_pathways"]}
    capital, farhollow = records["Capital District"], records["Farhollow"]
    assert (capital["reason_key"], capital["reason_params"]) == ("pathway.complete", {})
    assert capital["reason"] == render(COMPLETE)
    assert farhollow["reason_key"] == "pathway.incomplete"
    problems = farhollow["reason_params"]["problems"]
    assert {"key": "pathway.police.no_path", "params": {}} in problems
    assert farhollow["reason"] == " ".join(render(Message(problem["key"], problem["params"])) for problem in problems)
