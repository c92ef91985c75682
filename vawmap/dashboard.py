"""What the dashboard pages show, as plain tables: headline figures, the stakeholder grid and
matrix, the network drawing, map measures and a region's drill-down (boundaries: vawmap.geo).

No Streamlit here: the pages cache and lay these out. Everything is aggregated before it is
plotted, so a chart's size follows the number of regions or actors, never of services.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

import igraph
import numpy as np
import pandas as pd

from vawmap.gaps.assess import Assessment
from vawmap.gaps.coverage import COVERED, MISSING, PARTIAL
from vawmap.gaps.network import actor_graph
from vawmap.gaps.regions import ACTIVE
from vawmap.privacy import public_view
from vawmap.vocab import vocabulary
from vawmap.rules import MINIMUM_SECTORS

COVERAGE_MEASURE = "coverage_score"
GRID_MIDPOINT = 3  # influence and interest run 1-5: 4 and 5 are high, 1 to 3 low
QUADRANTS = {  # (high influence, high interest) -> quadrant (Mendelow's grid)
    (True, True): "manage_closely",
    (True, False): "keep_satisfied",
    (False, True): "keep_informed",
    (False, False): "monitor",
}
LAYOUT_SEED = 7
_LAYOUT_LOCK = threading.Lock()
DRILLDOWN_SERVICE_COLUMNS = [
    "provider",
    "service_type",
    "region",
    "district",
    "status",
    "capacity",
    "open_24_7",
    "free_of_charge",
    "target_groups",
    "confidential",
]


# ----------------------------------------------------------------------------- headline figures


@dataclass(frozen=True)
class Headline:
    actors: int
    services: int
    active_services: int
    regions: int
    minimum_sectors_missing: list[str]
    regions_below_standard: list[str]
    regions_measured: int
    regions_missing_essential: list[str]


def headline(frames: dict, assessment: Assessment) -> Headline:
    """The five figures at the top of the Overview page."""
    coverage = assessment.sector_coverage
    minimum = coverage[coverage["tier"] == "minimum"]
    results = assessment.results
    measured = results.dropna(subset=["met"])
    below = measured.loc[~measured["met"].astype(bool), "region"]
    status = frames["services"]["status"].fillna(ACTIVE)
    return Headline(
        actors=len(frames["actors"]),
        services=len(frames["services"]),
        active_services=int((status == ACTIVE).sum()),
        regions=len(assessment.people),
        minimum_sectors_missing=minimum.loc[minimum["status"] == MISSING, "sector"].tolist(),
        regions_below_standard=list(dict.fromkeys(below)),
        regions_measured=int(measured["region"].nunique()),
        regions_missing_essential=assessment.scores.index[assessment.scores["coverage_score"] < 1].tolist(),
    )


# ----------------------------------------------------------------------------- stakeholders


def filter_actors(actors: pd.DataFrame, sectors=(), actor_types=(), levels=(), regions=()) -> pd.DataFrame:
    """The actors matching every non-empty filter (an empty filter keeps everyone)."""
    keep = pd.Series(True, index=actors.index)
    for column, wanted in (("sector", sectors), ("actor_type", actor_types), ("level", levels), ("region", regions)):
        if wanted:
            keep &= actors[column].isin(list(wanted)).fillna(False).astype(bool)
    return actors[keep]


def sector_level_matrix(actors: pd.DataFrame) -> pd.DataFrame:
    """Actors per sector (rows, minimum sectors first) and level (columns: national, subnational, local)."""
    levels = list(vocabulary("level").values)
    known = actors.dropna(subset=["sector"])
    table = pd.crosstab(known["sector"], known["level"].fillna("unknown")) if len(known) else pd.DataFrame()
    sectors = list(MINIMUM_SECTORS) + sorted(set(table.index) - set(MINIMUM_SECTORS))
    columns = levels + (["unknown"] if "unknown" in table.columns else [])
    return table.reindex(index=sectors, columns=columns, fill_value=0).astype(int)


def quadrant(influence, interest) -> str | None:
    """Mendelow's quadrant for one actor; None when either score is missing."""
    if influence is None or interest is None or pd.isna(influence) or pd.isna(interest):
        return None
    return QUADRANTS[(influence > GRID_MIDPOINT, interest > GRID_MIDPOINT)]


def influence_interest(actors: pd.DataFrame) -> pd.DataFrame:
    """Actors with both scores, their quadrant, and a small deterministic offset so that actors
    with the same scores do not hide each other on the grid."""
    scored = actors.dropna(subset=["influence", "interest"])
    table = pd.DataFrame(
        {
            "name": scored["name"].astype("string"),
            "sector": scored["sector"].astype("string"),
            "actor_type": scored["actor_type"].astype("string"),
            "influence": scored["influence"].astype(float),
            "interest": scored["interest"].astype(float),
            "engagement": scored["engagement"].astype("string"),
        }
    ).reset_index(drop=True)
    table["quadrant"] = [quadrant(a, b) for a, b in zip(table["influence"], table["interest"])]
    position = table.groupby(["influence", "interest"]).cumcount()
    crowd = table.groupby(["influence", "interest"])["name"].transform("size")
    angle = 2 * np.pi * position / crowd.clip(lower=1)
    spread = np.where(crowd > 1, 0.28, 0.0)
    table["x"] = table["interest"] + spread * np.cos(angle)
    table["y"] = table["influence"] + spread * np.sin(angle)
    return table


def unscored_actors(actors: pd.DataFrame) -> int:
    return int((actors["influence"].isna() | actors["interest"].isna()).sum())


@dataclass(frozen=True)
class NetworkDrawing:
    nodes: pd.DataFrame  # actor_id, name, sector, x, y, degree, isolated, broker
    edges: pd.DataFrame  # source_id, target_id, link_type, x0, y0, x1, y1


def network_drawing(actors: pd.DataFrame, links: pd.DataFrame, metrics: pd.DataFrame) -> NetworkDrawing:
    """Positions for every actor (igraph's Fruchterman-Reingold, fixed seed so the picture
    stays put between reruns) and one segment per resolved link."""
    graph = actor_graph(actors, links)
    pairs = graph.undirected_pairs()
    if graph.size:
        drawn = igraph.Graph(n=graph.size, edges=pairs.tolist())
        # igraph draws from a process-wide generator: give it a seeded one for this layout only,
        # so the picture stays put between reruns; the lock keeps sessions (threads) from
        # swapping generators under each other.
        with _LAYOUT_LOCK:
            igraph.set_random_number_generator(random.Random(LAYOUT_SEED))
            try:
                coords = np.array(drawn.layout_fruchterman_reingold(niter=300).coords).reshape(-1, 2)
            finally:
                igraph.set_random_number_generator(random)
    else:
        coords = np.zeros((0, 2))
    by_id = metrics.drop_duplicates("actor_id").set_index("actor_id")
    nodes = pd.DataFrame({"actor_id": list(graph.ids), "x": coords[:, 0], "y": coords[:, 1]})
    nodes = nodes.join(by_id[["name", "sector", "degree", "isolated", "broker"]], on="actor_id")
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


def drawing_of_actors(drawing: NetworkDrawing, actor_ids) -> NetworkDrawing:
    """The drawing restricted to the given actors and the links between them."""
    wanted = set(actor_ids)
    edges = drawing.edges[drawing.edges["source_id"].isin(wanted) & drawing.edges["target_id"].isin(wanted)]
    return NetworkDrawing(drawing.nodes[drawing.nodes["actor_id"].isin(wanted)], edges)


# ----------------------------------------------------------------------------- regional measures


@dataclass(frozen=True)
class Measure:
    key: str
    standard: str | None  # the standard it comes from, None for the coverage score
    kind: str  # "score" (0-1), "ratio" (share of a standard met) or "rate" (units per N people)
    per: int | None = None


def measures(assessment: Assessment) -> list[Measure]:
    """What the map can colour by: the coverage score, then each per-population standard as a
    rate (e.g. shelter places per 10,000 people), then each regional standard's ratio."""
    found = [Measure(COVERAGE_MEASURE, None, "score")]
    for standard in assessment.standards.by_rule("per_population"):
        found.append(Measure(f"rate:{standard.id}", standard.id, "rate", int(standard.per)))
    for standard in assessment.standards.by_rule("per_population") + assessment.standards.by_rule("per_region"):
        found.append(Measure(f"ratio:{standard.id}", standard.id, "ratio"))
    return found


def measure_values(assessment: Assessment, measure: Measure) -> pd.Series:
    """One value per region (region list order); NaN where it cannot be measured."""
    regions = assessment.people.index
    if measure.kind == "score":
        return assessment.scores["coverage_score"].reindex(regions).astype(float)
    rows = assessment.results[assessment.results["standard"] == measure.standard].set_index("region")
    if measure.kind == "ratio":
        return rows["ratio"].reindex(regions).astype(float)
    women = rows["population_base"].eq("women").any()
    base = assessment.people["population_women" if women else "population"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = rows["actual"].reindex(regions).astype(float) / base * measure.per
    return rate.where(base > 0)


def region_table(assessment: Assessment, measure: Measure) -> pd.DataFrame:
    """Per region: the measure, its rank, the coverage score and the number of unmet standards."""
    unmet = assessment.results[assessment.results["met"].eq(False).fillna(False).astype(bool)]
    table = pd.DataFrame(
        {
            "region": assessment.people.index,
            "value": measure_values(assessment, measure).to_numpy(),
            "coverage_score": assessment.scores["coverage_score"].reindex(assessment.people.index).to_numpy(),
            "population": assessment.people["population"].to_numpy(dtype=float, na_value=np.nan),
            "unmet_standards": unmet.groupby("region").size().reindex(assessment.people.index, fill_value=0).to_numpy(),
        }
    )
    return table


def service_matrix(assessment: Assessment) -> pd.DataFrame:
    """Region × service type counts of active services (one-stop centres as recorded), only the
    service types that appear somewhere."""
    recorded = assessment.tallies.recorded
    return recorded.loc[:, recorded.sum(axis=0) > 0]


def standard_bars(assessment: Assessment, standard_id: str) -> pd.DataFrame:
    """Required vs actual for one standard, per region, largest shortfall first."""
    rows = assessment.results[assessment.results["standard"] == standard_id]
    return rows[["region", "required", "actual", "shortfall", "ratio", "met"]].sort_values(
        "shortfall", ascending=False, kind="stable"
    )


# ----------------------------------------------------------------------------- drill-down


@dataclass(frozen=True)
class RegionDetail:
    region: str
    population: float | None
    coverage_score: float | None
    services: pd.DataFrame  # public view: confidential services without district or location
    shortfalls: pd.DataFrame
    findings: list
    pathway: dict | None


def region_detail(services: pd.DataFrame, assessment: Assessment, region: str) -> RegionDetail:
    """Everything the drill-down shows for one region. Services go through public_view, and
    the columns that could place a service below region level are dropped for confidential ones."""
    here = services[services["region"] == region]
    shown = public_view("services", here)[DRILLDOWN_SERVICE_COLUMNS].reset_index(drop=True)
    results = assessment.results[assessment.results["region"] == region]
    shortfalls = results[results["met"].eq(False).fillna(False).astype(bool)]
    people = assessment.people
    pathways = assessment.pathways.set_index("region")
    return RegionDetail(
        region=region,
        population=None
        if region not in people.index or pd.isna(people.loc[region, "population"])
        else float(people.loc[region, "population"]),
        coverage_score=float(assessment.scores.loc[region, "coverage_score"])
        if region in assessment.scores.index
        else None,
        services=shown,
        shortfalls=shortfalls[["name", "unit", "required", "actual", "shortfall", "ratio"]].reset_index(drop=True),
        findings=[finding for finding in assessment.findings if finding.region == region],
        pathway=pathways.loc[region].to_dict() if region in pathways.index else None,
    )


def status_counts(coverage: pd.DataFrame) -> dict[str, int]:
    """How many rows are covered, partial and missing."""
    counts = coverage["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in (COVERED, PARTIAL, MISSING)}


# ----------------------------------------------------------------------------- the Data page


def search_rows(frame: pd.DataFrame, text: str, regions: list[str]) -> pd.DataFrame:
    """Rows whose region is chosen (when any is) and that contain `text` in some cell (case ignored)."""
    if regions:
        frame = frame[frame["region"].isin(regions).fillna(False).astype(bool)]
    if text.strip():
        found = pd.Series(False, index=frame.index)
        for column in frame.columns:
            found |= frame[column].astype("string").str.contains(text.strip(), case=False, regex=False).fillna(False)
        frame = frame[found]
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with a byte-order mark, so that Excel reads accents right."""
    return frame.to_csv(index=False).encode("utf-8-sig")
