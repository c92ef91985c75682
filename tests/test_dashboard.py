"""vawmap.dashboard: the plain tables behind the pages, on small frames worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.network_fixtures import actors_frame, filled_frame, links_frame
from vawmap import charts, dashboard, geo
from vawmap.dataset import empty_frame, sample_dataset
from vawmap.gaps.assess import assess
from vawmap.privacy import LOCATING_COLUMNS, personal_columns
from vawmap.rules import MINIMUM_SECTORS

UTF8_BOM = b"\xef\xbb\xbf"


def frames_of(**given: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The five sheets, empty unless given."""
    names = ("actors", "services", "regions", "coordination_bodies", "links")
    return {name: given.get(name, empty_frame(name)) for name in names}


# ----------------------------------------------------------------------------- quadrant


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [
        (3, 3, "monitor"),  # 3 is still low on both scores
        (4, 4, "manage_closely"),  # 4 is the first high score
        (4, 3, "keep_satisfied"),  # high influence, low interest
        (3, 4, "keep_informed"),  # low influence, high interest
        (5, 1, "keep_satisfied"),
        (1, 5, "keep_informed"),
        (1, 1, "monitor"),
        (5, 5, "manage_closely"),
    ],
)
def test_quadrant_puts_three_low_and_four_high(influence, interest, expected):
    assert dashboard.quadrant(influence, interest) == expected


@pytest.mark.parametrize(
    ("influence", "interest"),
    [
        (None, 4),
        (4, None),
        (pd.NA, 4),
        (4, pd.NA),
        (float("nan"), 2),
        (None, None),
    ],
)
def test_quadrant_is_none_when_a_score_is_missing(influence, interest):
    assert dashboard.quadrant(influence, interest) is None


# ----------------------------------------------------------------------------- influence / interest grid

# A and B share (influence 4, interest 4); C stands alone at (2, 5); D has no interest score.
GRID_ACTORS = filled_frame(
    "actors",
    {
        "actor_id": ["A", "B", "C", "D"],
        "name": ["Actor A", "Actor B", "Actor C", "Actor D"],
        "sector": ["health", "police", "justice", "education"],
        "actor_type": ["government"] * 4,
        "level": ["national"] * 4,
        "influence": [4, 4, 2, 5],
        "interest": [4, 4, 5, None],
    },
)
GRID_SPREAD = 0.28  # the offset radius in dashboard.influence_interest


def test_influence_interest_leaves_out_actors_without_both_scores():
    grid = dashboard.influence_interest(GRID_ACTORS)
    assert list(grid["name"]) == ["Actor A", "Actor B", "Actor C"]
    assert dashboard.unscored_actors(GRID_ACTORS) == 1  # D


def test_influence_interest_names_each_actors_quadrant():
    grid = dashboard.influence_interest(GRID_ACTORS).set_index("name")
    assert grid.loc["Actor A", "quadrant"] == "manage_closely"
    assert grid.loc["Actor C", "quadrant"] == "keep_informed"  # influence 2 (low), interest 5 (high)


def test_influence_interest_keeps_actors_with_equal_scores_apart():
    grid = dashboard.influence_interest(GRID_ACTORS).set_index("name")
    a, b = grid.loc["Actor A"], grid.loc["Actor B"]
    # Two actors at (4, 4) sit on a circle of radius 0.28 around it, opposite each other:
    # A at angle 0 -> (4.28, 4), B at angle pi -> (3.72, 4): 0.56 apart.
    assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) == pytest.approx(2 * GRID_SPREAD)
    for row in (a, b):
        assert math.dist((row["x"], row["y"]), (4, 4)) == pytest.approx(GRID_SPREAD)
        # still in the high/high quadrant (past the midpoint line at 3.5)
        assert row["x"] > dashboard.GRID_MIDPOINT + 0.5 and row["y"] > dashboard.GRID_MIDPOINT + 0.5


def test_influence_interest_does_not_move_an_actor_alone_on_its_scores():
    grid = dashboard.influence_interest(GRID_ACTORS).set_index("name")
    # C: x = interest 5, y = influence 2, no offset
    assert (grid.loc["Actor C", "x"], grid.loc["Actor C", "y"]) == (5.0, 2.0)


# ----------------------------------------------------------------------------- sector × level matrix

MATRIX_ACTORS = filled_frame(
    "actors",
    {
        "actor_id": ["H1", "H2", "P1", "S1", "X1", "U1"],
        "name": ["Health ministry", "District clinic", "Police HQ", "Social welfare", "No sector", "Health NGO"],
        "sector": ["health", "health", "police", "social_welfare", None, "health"],
        "level": ["national", "local", "subnational", "national", "national", None],
    },
)


def test_sector_level_matrix_lists_minimum_sectors_first_then_the_others_sorted():
    matrix = dashboard.sector_level_matrix(MATRIX_ACTORS)
    # the 8 minimum sectors in their fixed order (even those nobody represents), then social_welfare
    assert list(matrix.index) == [*MINIMUM_SECTORS, "social_welfare"]


def test_sector_level_matrix_counts_actors_per_sector_and_level():
    matrix = dashboard.sector_level_matrix(MATRIX_ACTORS)
    # health: national 1 (H1), local 1 (H2), unknown 1 (U1); police: subnational 1; no sector: left out
    assert list(matrix.columns) == ["national", "subnational", "local", "unknown"]
    assert matrix.loc["health"].tolist() == [1, 0, 1, 1]
    assert matrix.loc["police"].tolist() == [0, 1, 0, 0]
    assert matrix.loc["social_welfare"].tolist() == [1, 0, 0, 0]
    assert matrix.loc["education"].tolist() == [0, 0, 0, 0]
    assert int(matrix.to_numpy().sum()) == 5  # six actors, one without a sector


def test_sector_level_matrix_has_no_unknown_column_when_every_level_is_known():
    known = MATRIX_ACTORS[MATRIX_ACTORS["level"].notna()]
    assert list(dashboard.sector_level_matrix(known).columns) == ["national", "subnational", "local"]


def test_sector_level_matrix_of_no_actors_is_all_zeros():
    matrix = dashboard.sector_level_matrix(empty_frame("actors"))
    assert list(matrix.index) == list(MINIMUM_SECTORS)
    assert int(matrix.to_numpy().sum()) == 0


# ----------------------------------------------------------------------------- filters

FILTER_ACTORS = filled_frame(
    "actors",
    {
        "actor_id": ["MOH", "CLINIC", "POLICE", "NGO"],
        "name": ["Ministry of Health", "North clinic", "Police", "Women's NGO"],
        "sector": ["health", "health", "police", "womens_organisations"],
        "actor_type": ["government", "government", "government", "womens_organisation"],
        "level": ["national", "local", "national", "local"],
        "region": [None, "North", None, "North"],
    },
)


def names(frame: pd.DataFrame) -> list[str]:
    return list(frame["name"])


def test_filter_actors_with_no_filter_keeps_everyone():
    assert names(dashboard.filter_actors(FILTER_ACTORS)) == names(FILTER_ACTORS)
    assert names(dashboard.filter_actors(FILTER_ACTORS, [], [], [], [])) == names(FILTER_ACTORS)


def test_filter_actors_by_one_sector():
    assert names(dashboard.filter_actors(FILTER_ACTORS, sectors=["health"])) == ["Ministry of Health", "North clinic"]


def test_filter_actors_combines_filters_with_and():
    # health AND local -> only the clinic
    assert names(dashboard.filter_actors(FILTER_ACTORS, sectors=["health"], levels=["local"])) == ["North clinic"]
    # two sectors (OR within a filter) AND national
    assert names(dashboard.filter_actors(FILTER_ACTORS, sectors=["health", "police"], levels=["national"])) == [
        "Ministry of Health",
        "Police",
    ]


def test_filter_actors_by_region_leaves_out_actors_without_a_region():
    assert names(dashboard.filter_actors(FILTER_ACTORS, regions=["North"])) == ["North clinic", "Women's NGO"]
    assert names(dashboard.filter_actors(FILTER_ACTORS, actor_types=["womens_organisation"], regions=["North"])) == [
        "Women's NGO"
    ]


def test_filter_actors_matching_nobody_is_empty():
    assert dashboard.filter_actors(FILTER_ACTORS, sectors=["police"], levels=["local"]).empty


# ----------------------------------------------------------------------------- map measures

# North: 20,000 people (10,000 women), shelters with 5 family places, 1 rape crisis centre.
# Empty: population 0.  Unknown: no population.  Each of the last two has one shelter of 3 places.
MEASURE_REGIONS = filled_frame(
    "regions",
    {
        "region": ["North", "Empty", "Unknown"],
        "population": [20_000, 0, None],
        "population_women": [10_000, 0, None],
    },
)
MEASURE_SERVICES = filled_frame(
    "services",
    {
        "provider": ["Shelter N1", "Shelter N2", "Crisis centre N", "Shelter E", "Shelter U"],
        "service_type": [
            "safe_accommodation",
            "safe_accommodation",
            "rape_crisis_centre",
            "safe_accommodation",
            "safe_accommodation",
        ],
        "region": ["North", "North", "North", "Empty", "Unknown"],
        "capacity": [2, 3, None, 3, 3],
        "status": ["active"] * 5,
    },
)


@pytest.fixture(scope="module")
def measured():
    return assess(frames_of(regions=MEASURE_REGIONS, services=MEASURE_SERVICES))


def measure(assessment, key: str) -> dashboard.Measure:
    return next(found for found in dashboard.measures(assessment) if found.key == key)


def test_measures_start_with_the_coverage_score_then_rates_then_ratios(measured):
    keys = [found.key for found in dashboard.measures(measured)]
    assert keys[0] == dashboard.COVERAGE_MEASURE
    assert "rate:shelter_places" in keys and "ratio:shelter_places" in keys
    assert max(keys.index(key) for key in keys if key.startswith("rate:")) < min(
        keys.index(key) for key in keys if key.startswith("ratio:")
    )
    assert measure(measured, "rate:shelter_places").per == 10_000


def test_rate_is_actual_over_population_times_per(measured):
    rate = dashboard.measure_values(measured, measure(measured, "rate:shelter_places"))
    # North: (2 + 3) places / 20,000 people * 10,000 = 2.5 places per 10,000
    assert rate["North"] == pytest.approx(2.5)


def test_rate_is_nan_where_population_is_zero_or_missing(measured):
    rate = dashboard.measure_values(measured, measure(measured, "rate:shelter_places"))
    assert list(rate.index) == ["North", "Empty", "Unknown"]
    assert math.isnan(rate["Empty"]) and math.isnan(rate["Unknown"])


def test_rate_of_a_standard_on_women_divides_by_women(measured):
    rate = dashboard.measure_values(measured, measure(measured, "rate:rape_crisis_centres"))
    # 1 centre / 10,000 women * 200,000 = 20 (dividing by all 20,000 people would give 10)
    assert rate["North"] == pytest.approx(20.0)


def test_ratio_is_share_of_the_standard_met(measured):
    ratio = dashboard.measure_values(measured, measure(measured, "ratio:shelter_places"))
    # North needs 20,000 / 10,000 = 2 places, has 5: ratio 2.5; Empty needs 0: no ratio
    assert ratio["North"] == pytest.approx(2.5)
    assert math.isnan(ratio["Empty"])


def test_coverage_score_measure_is_the_share_of_essential_services(measured):
    score = dashboard.measure_values(measured, measure(measured, dashboard.COVERAGE_MEASURE))
    essential = len(measured.standards.essential_service_types)
    # North has one of the essential types (safe_accommodation); rape crisis centres are not essential
    assert score["North"] == pytest.approx(1 / essential)


def test_region_table_has_one_row_per_region_with_the_measure(measured):
    table = dashboard.region_table(measured, measure(measured, "rate:shelter_places"))
    assert list(table["region"]) == ["North", "Empty", "Unknown"]
    assert table.loc[0, "value"] == pytest.approx(2.5)
    assert table.loc[0, "population"] == 20_000 and math.isnan(table.loc[2, "population"])


# ----------------------------------------------------------------------------- drill-down

SECRET_DISTRICT, SECRET_ADDRESS, SECRET_EMAIL = "Hidden Hollow", "12 Safe Street", "refuge@example.org"
# North: a confidential shelter, an open helpline and a legal aid office whose confidentiality is unknown
# (unknown counts as confidential). South: one clinic.
DETAIL_SERVICES = filled_frame(
    "services",
    {
        "provider": ["Refuge", "Helpline", "Legal aid", "Clinic"],
        "service_type": ["safe_accommodation", "helpline", "legal_aid", "health_first_line_support"],
        "region": ["North", "North", "North", "South"],
        "district": [SECRET_DISTRICT, "Open District", SECRET_DISTRICT, "South District"],
        "location": [SECRET_ADDRESS, "1 Main Road", SECRET_ADDRESS, "2 Clinic Road"],
        "latitude": [6.5, 6.1, 6.5, 5.0],
        "longitude": [-10.1, -10.2, -10.1, -9.0],
        "confidential": [True, False, None, False],
        "contact_email": [SECRET_EMAIL, "help@example.org", SECRET_EMAIL, "clinic@example.org"],
        "contact_phone": ["+231 555 0100", "+231 555 0101", "+231 555 0102", "+231 555 0103"],
        "status": ["active"] * 4,
    },
)
DETAIL_REGIONS = filled_frame("regions", {"region": ["North", "South"], "population": [20_000, 5_000]})


@pytest.fixture(scope="module")
def north():
    assessment = assess(frames_of(regions=DETAIL_REGIONS, services=DETAIL_SERVICES))
    return dashboard.region_detail(DETAIL_SERVICES, assessment, "North")


def test_region_detail_lists_only_that_regions_services(north):
    assert list(north.services["provider"]) == ["Refuge", "Helpline", "Legal aid"]
    assert north.population == 20_000


def test_region_detail_never_locates_a_confidential_service(north):
    hidden = north.services[north.services["confidential"].fillna(True).astype(bool)]
    assert list(hidden["provider"]) == ["Refuge", "Legal aid"]
    for column in LOCATING_COLUMNS:  # district, location, latitude, longitude
        if column in hidden:
            assert hidden[column].isna().all(), column
    cells = set(north.services.astype("string").stack().dropna())
    assert SECRET_DISTRICT not in cells and SECRET_ADDRESS not in cells


def test_region_detail_keeps_the_district_of_an_open_service(north):
    helpline = north.services[north.services["provider"] == "Helpline"].iloc[0]
    assert helpline["district"] == "Open District"


def test_region_detail_has_no_contact_columns(north):
    assert not set(personal_columns("services")) & set(north.services.columns)
    assert SECRET_EMAIL not in set(north.services.astype("string").stack().dropna())


def test_region_detail_of_a_region_with_no_population():
    services = DETAIL_SERVICES.assign(region=["West"] * 4)
    assessment = assess(frames_of(regions=DETAIL_REGIONS, services=services))
    detail = dashboard.region_detail(services, assessment, "West")  # named only by services
    assert detail.population is None
    assert len(detail.services) == 4


# ----------------------------------------------------------------------------- Data page search

SEARCH_ROWS = pd.DataFrame(
    {
        "provider": ["Safe Haven Refuge", "safe haven annex", "Police Station", "Safe Haven Mobile", "A.B Clinic"],
        "region": pd.array(["North", "South", "North", None, "South"], dtype="string"),
        "capacity": pd.array([10, 4, None, 2, None], dtype="Int64"),
    }
)


def test_search_rows_filters_by_region_and_text_ignoring_case():
    found = dashboard.search_rows(SEARCH_ROWS, "SAFE haven", ["North"])
    assert list(found["provider"]) == ["Safe Haven Refuge"]


def test_search_rows_by_text_alone_includes_rows_without_a_region():
    found = dashboard.search_rows(SEARCH_ROWS, "haven", [])
    assert list(found["provider"]) == ["Safe Haven Refuge", "safe haven annex", "Safe Haven Mobile"]


def test_search_rows_by_region_alone():
    assert list(dashboard.search_rows(SEARCH_ROWS, "", ["South"])["provider"]) == ["safe haven annex", "A.B Clinic"]


def test_search_rows_with_blank_text_and_no_region_keeps_everything():
    assert len(dashboard.search_rows(SEARCH_ROWS, "   ", [])) == len(SEARCH_ROWS)


def test_search_rows_matches_numbers_and_takes_text_literally():
    assert list(dashboard.search_rows(SEARCH_ROWS, "10", [])["provider"]) == ["Safe Haven Refuge"]
    # "." is not a regex wildcard: "a.b" matches "A.B Clinic" only
    assert list(dashboard.search_rows(SEARCH_ROWS, "a.b", [])["provider"]) == ["A.B Clinic"]
    assert dashboard.search_rows(SEARCH_ROWS, "(", []).empty


def test_csv_bytes_start_with_the_utf8_bom_and_keep_accents():
    data = dashboard.csv_bytes(pd.DataFrame({"provider": ["Ministère de la Santé"]}))
    assert data.startswith(UTF8_BOM)
    assert data[len(UTF8_BOM) :].decode("utf-8") == "provider\nMinistère de la Santé\n"


# ----------------------------------------------------------------------------- headline figures

# Three services: active, planned, and one with no status (counted as active).
HEADLINE_SERVICES = filled_frame(
    "services",
    {
        "provider": ["Refuge", "Clinic", "Helpline"],
        "service_type": ["safe_accommodation", "health_first_line_support", "helpline"],
        "region": ["North", "North", "South"],
        "capacity": [30, None, None],
        "status": ["active", "planned", None],
    },
)
HEADLINE_REGIONS = filled_frame("regions", {"region": ["North", "South"], "population": [20_000, 10_000]})
HEADLINE_ACTORS = actors_frame({"H": "health", "P": "police"})


def test_headline_on_small_frames():
    frames = frames_of(actors=HEADLINE_ACTORS, services=HEADLINE_SERVICES, regions=HEADLINE_REGIONS)
    figures = dashboard.headline(frames, assess(frames))
    assert (figures.actors, figures.services, figures.active_services, figures.regions) == (2, 3, 2, 2)
    # only health and police of the 8 minimum sectors are present
    assert figures.minimum_sectors_missing == [s for s in MINIMUM_SECTORS if s not in ("health", "police")]
    # both regions have a population, so both are measured. South has no shelter at all (needs 1
    # place); North has 30 places for 2 needed but no rape crisis centre (needs 0.05 for its
    # 10,000 estimated women): both are below a standard
    assert figures.regions_measured == 2
    assert sorted(figures.regions_below_standard) == ["North", "South"]
    # neither region has every essential service type
    assert figures.regions_missing_essential == ["North", "South"]


SAMPLE_ACTORS, SAMPLE_SERVICES, SAMPLE_REGIONS = 128, 560, 16
SAMPLE_ACTIVE = 522  # 560 services less 26 planned and 12 suspended
SAMPLE_REGIONS_WITHOUT_SHELTER = ["Ironhills", "Mistwood", "Farhollow", "Duskvale"]


@pytest.fixture(scope="module")
def sample_headline():
    dataset = sample_dataset()
    return dashboard.headline(dataset.frames, assess(dataset.frames))


def test_headline_on_the_sample_counts(sample_headline):
    assert (
        sample_headline.actors,
        sample_headline.services,
        sample_headline.active_services,
        sample_headline.regions,
    ) == (SAMPLE_ACTORS, SAMPLE_SERVICES, SAMPLE_ACTIVE, SAMPLE_REGIONS)


def test_headline_on_the_sample_gaps(sample_headline):
    # every minimum sector has an actor in the sample country
    assert sample_headline.minimum_sectors_missing == []
    # every region has a population; even the capital has 2 rape crisis centres for 5.6 needed
    assert sample_headline.regions_measured == SAMPLE_REGIONS
    assert "Capital District" in sample_headline.regions_below_standard
    assert len(set(sample_headline.regions_below_standard)) == len(sample_headline.regions_below_standard)
    # a region without a shelter lacks an essential service; the capital has all of them
    assert set(SAMPLE_REGIONS_WITHOUT_SHELTER) <= set(sample_headline.regions_missing_essential)
    assert "Capital District" not in sample_headline.regions_missing_essential


# ----------------------------------------------------------------------------- small helpers


def test_status_counts_counts_each_status_including_absent_ones():
    coverage = pd.DataFrame({"status": ["covered", "missing", "missing"]})
    assert dashboard.status_counts(coverage) == {"covered": 1, "partial": 0, "missing": 2}


def test_standard_bars_put_the_largest_shortfall_first(measured):
    bars = dashboard.standard_bars(measured, "shelter_places")
    # North needs 2 and has 5 (shortfall 0); Empty needs 0 (shortfall 0); Unknown has no population (NA)
    assert set(bars["region"]) == {"North", "Empty", "Unknown"}
    assert bars["shortfall"].dropna().is_monotonic_decreasing


def test_network_drawing_stays_put_between_calls():
    actors = actors_frame({"H": "health", "P": "police", "J": "justice", "L": "education"})
    links = links_frame(("H", "P"), ("P", "J"))
    metrics = assess(frames_of(actors=actors, links=links)).actor_metrics
    first = dashboard.network_drawing(actors, links, metrics)
    second = dashboard.network_drawing(actors, links, metrics)
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
    return dashboard.network_drawing(CHAIN_ACTORS, CHAIN_LINKS, metrics)


def pairs(drawing: dashboard.NetworkDrawing) -> set[frozenset]:
    return {frozenset(pair) for pair in zip(drawing.edges["source_id"], drawing.edges["target_id"])}


def test_network_drawing_edges_name_both_actors(chain_drawing):
    assert pairs(chain_drawing) == {frozenset("HP"), frozenset("PJ")}


def test_drawing_of_actors_keeps_the_actors_and_the_links_between_them(chain_drawing):
    kept = dashboard.drawing_of_actors(chain_drawing, ["H", "P", "L"])
    assert sorted(kept.nodes["actor_id"]) == ["H", "L", "P"]
    # P - J loses its J end, so only H - P is left
    assert pairs(kept) == {frozenset("HP")}


def test_drawing_of_actors_matches_links_by_actor_not_by_position(chain_drawing):
    # L drawn exactly where J is: a filter comparing positions would take L's spot for J's and
    # keep the P - J link although J is filtered out.
    nodes = chain_drawing.nodes.set_index("actor_id")
    nodes.loc["L", ["x", "y"]] = nodes.loc["J", ["x", "y"]]
    overlapping = dashboard.NetworkDrawing(nodes.reset_index(), chain_drawing.edges)
    kept = dashboard.drawing_of_actors(overlapping, {"H", "P", "L"})
    assert pairs(kept) == {frozenset("HP")}
    assert len(kept.edges) == 1


def test_drawing_of_no_actor_is_empty(chain_drawing):
    kept = dashboard.drawing_of_actors(chain_drawing, set())
    assert kept.nodes.empty and kept.edges.empty


# ----------------------------------------------------------------------------- maps

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
# One square per MEASURE_REGIONS region, the feature id being the region name (as match_boundaries gives).
MAP_GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": name, "properties": {"region": name}, "geometry": SQUARE}
        for name in ("North", "Empty", "Unknown")
    ],
}
MAP_CENTER, MAP_ZOOM = {"lat": 0.5, "lon": 0.5}, 6.0
# For shelter places per 10,000 people: North 2.5; Empty (population 0) and Unknown (no population) none.
VALUED, UNVALUED = ["North"], ["Empty", "Unknown"]


@pytest.fixture(scope="module")
def shelter_rate_table(measured):
    return dashboard.region_table(measured, measure(measured, "rate:shelter_places"))


def map_of(table: pd.DataFrame, selected: str | None = None):
    return charts.choropleth(table, MAP_GEOJSON, MAP_CENTER, MAP_ZOOM, "places", "rate", selected)


def test_choropleth_draws_regions_without_a_value_grey_instead_of_a_hole(shelter_rate_table):
    coloured, grey = map_of(shelter_rate_table).data
    assert list(coloured.locations) == VALUED
    assert list(grey.locations) == UNVALUED
    # Plotly draws nothing for a NaN colour: the grey trace gives these regions a number
    # and a one-colour scale, so they are filled (and still hoverable and clickable).
    assert all(math.isfinite(z) for z in grey.z)
    assert {colour for _, colour in grey.colorscale} == {charts.NO_DATA}
    assert not any(math.isnan(z) for z in coloured.z)


def test_choropleth_lists_every_region_once(shelter_rate_table):
    drawn = [location for trace in map_of(shelter_rate_table).data for location in trace.locations]
    assert sorted(drawn) == sorted(VALUED + UNVALUED)


def test_choropleth_with_every_value_has_no_grey_trace(shelter_rate_table):
    (trace,) = map_of(shelter_rate_table.assign(value=[0.5, 1.0, 2.0])).data
    assert list(trace.locations) == VALUED + UNVALUED


def test_choropleth_outlines_only_the_selected_shape(shelter_rate_table):
    outline = map_of(shelter_rate_table, selected="Empty").data[-1]
    assert list(outline.locations) == ["Empty"]
    # the outline trace carries that region's shape alone, not a second copy of every shape
    assert [feature["id"] for feature in outline.geojson["features"]] == ["Empty"]
    assert outline.marker.line.width == charts.SELECTED_LINE["width"]


def test_choropleth_outlines_nothing_for_a_region_not_on_the_map(shelter_rate_table):
    assert len(map_of(shelter_rate_table, selected="Atlantis").data) == 2  # coloured and grey only


def test_tile_map_puts_regions_without_a_value_in_a_grey_trace(shelter_rate_table):
    grid = geo.tile_grid(VALUED + UNVALUED)
    traces = charts.tile_map(shelter_rate_table, grid, "places", "rate").data
    by_regions = {tuple(trace.customdata): trace for trace in traces}
    assert set(by_regions) == {tuple(VALUED), tuple(UNVALUED)}
    assert by_regions[tuple(UNVALUED)].marker.color == charts.NO_DATA
    assert list(by_regions[tuple(VALUED)].marker.color) == [pytest.approx(2.5)]


def test_tile_map_outlines_the_selected_tile_even_without_a_value(shelter_rate_table):
    grid = geo.tile_grid(VALUED + UNVALUED)
    traces = charts.tile_map(shelter_rate_table, grid, "places", "rate", selected="Unknown").data
    grey = next(trace for trace in traces if "Unknown" in trace.customdata)
    widths = dict(zip(grey.customdata, grey.marker.line.width))
    assert widths == {"Empty": 1, "Unknown": 4}
