"""The dashboard pages driven by AppTest: what each page draws on the sample, what it says when
data is missing, the map's click drill-down, own boundaries, filters and search."""

from __future__ import annotations

import base64
import copy
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.shared import DISPLAY_LIMIT
from vawmap.contract import sheet
from vawmap.dataset import SAMPLE_GEOJSON, Dataset, sample_dataset
from vawmap.gaps.coordination import CRITERIA
from vawmap.i18n import label, t
from vawmap.ingest import ingest
from vawmap.synthetic import sample_with_services
from vawmap.vocab import vocabulary

APP = str(Path(__file__).parents[1] / "app.py")
OVERVIEW = "overview"
PAGES = ("overview", "stakeholders", "sectors", "regional_gaps", "coordination", "data")
# The plotly charts (by key) each page draws on the sample; Coordination and Data draw none.
SAMPLE_CHARTS = {
    "overview": ["overview_map"],
    "stakeholders": ["sector_level_matrix", "influence_interest", "network"],
    "sectors": ["sector_bars_minimum", "sector_bars_recommended"],
    "regional_gaps": ["region_map", "service_heatmap", "standard_bars"],
    "coordination": [],
    "data": [],
}
TITLES = {
    "overview": "overview.title",
    "stakeholders": "stakeholders.title",
    "sectors": "sectors.title",
    "regional_gaps": "regional.title",
    "coordination": "coordination.title",
    "data": "data.title",
}
SAMPLE_REGIONS = (
    "Capital District",
    "Northmoor",
    "Saltmarsh",
    "Highcrest",
    "Lowriver",
    "Eastvale",
    "Westreach",
    "Ironhills",
    "Sunplain",
    "Mistwood",
    "Redcliff",
    "Lakeside",
    "Stonebridge",
    "Farhollow",
    "Greenbay",
    "Duskvale",
)
SAMPLE_ACTORS, SAMPLE_SERVICES = 128, 560

# Two actors and nothing else: no scores, links, bodies, regions or services.
TWO_ACTORS_CSV = (
    b"name,actor_id,actor_type,sector,level\n"
    b"Ministry of Health,moh,government,health,national\n"
    b"Police Service,pol,government,police,national\n"
)
# Three regions and nothing else; none of them is on the bundled boundaries.
THREE_REGIONS_CSV = b"region,population\nGrand Bassa,250000\nMontserrado,1500000\nNimba,300000\n"

# What the page says instead of a chart, for the two-actor dataset (message keys in en.toml).
TWO_ACTORS_MESSAGES = {
    "overview": ["regional.no_regions"],
    "stakeholders": ["stakeholders.no_scores", "stakeholders.no_links"],
    "sectors": ["sectors.no_body"],
    "regional_gaps": ["regional.no_regions"],
    "coordination": ["coordination.no_bodies"],
}
# The charts still drawn for two actors: the sector × level matrix needs only actors, and the
# sector bars show every sector as partial or missing.
TWO_ACTORS_CHARTS = {
    "overview": [],
    "stakeholders": ["sector_level_matrix"],
    "sectors": ["sector_bars_minimum", "sector_bars_recommended"],
    "regional_gaps": [],
    "coordination": [],
    "data": [],
}

FARHOLLOW = "Farhollow"
FARHOLLOW_POPULATION = "170,385"  # regions sheet of the sample
FARHOLLOW_SERVICES = 8  # 8 services are recorded in Farhollow, none confidential
HIGHCREST = "Highcrest"  # 3 safe_accommodation services, confidential, with district and address
HIGHCREST_SHELTERS = 3
HIGHCREST_SHELTER_ADDRESS = "115 Harbour Road, Caldbrook"
RENAMED = "Far Hollow (old name)"
HEALTH_ACTORS, HEALTH_NATIONAL_ACTORS = 20, 3  # actors of the health sector in the sample; national ones
SAFE_HAVEN_SERVICES = 11  # services of Safe Haven Women's Refuge: no other cell says "safe haven"
BROKEN_GEOJSON = b'{"type": "FeatureCollection", "features": ['
JSON_ARRAY = b"[1, 2, 3]"
# Three sample regions (on the bundled boundaries, so the map is drawn): Farhollow with its
# population, Highcrest with none recorded, Northmoor with 0. No services.
NO_POPULATION_REGIONS = ("Farhollow", "Highcrest", "Northmoor")
NO_POPULATION_CSV = b"region,population\nFarhollow,170385\nHighcrest,\nNorthmoor,0\n"
UNMEASURED_REGIONS = ["Highcrest", "Northmoor"]  # no rate per 10,000 people without people
SHELTER_RATE = "rate:shelter_places"  # the measure key of shelter places per 10,000 people
MONTSERRADO = "Montserrado"  # one of THREE_REGIONS_CSV, drawn as a tile
# Two bodies with the same name and level (a forum in the same region, one meeting weekly, the
# other once a year) and a network with no level or region recorded.
TWIN_BODIES_CSV = (
    b"name,level,region,meeting_frequency\n"
    b"District GBV Forum,local,Farhollow,weekly\n"
    b"District GBV Forum,local,Farhollow,annual\n"
    b"Women's Network,,,monthly\n"
)
# Each body's own meeting reason (criterion_reason.meets.<frequency>), in sheet order.
TWIN_BODIES_MEETINGS = ["Meets weekly", "Meets once a year", "Meets monthly"]
MANY_SERVICES = DISPLAY_LIMIT + 500  # more services than a table sends to the browser


def dataset_of(*files: tuple[str, bytes]) -> Dataset:
    return Dataset().with_upload(ingest(list(files)))


def open_page(page: str, dataset: Dataset | None = None) -> AppTest:
    """The app on `page`, with `dataset` loaded (the sample when None)."""
    app = AppTest.from_file(APP, default_timeout=60)
    if dataset is not None:
        app.session_state["dataset"] = dataset
    return app.switch_page(f"app_pages/{page}.py").run()  # the first run opens the page itself


def chart_keys(app: AppTest) -> list[str]:
    return [chart.key for chart in app.get("plotly_chart")]


def figure(app: AppTest, key: str) -> dict:
    return json.loads(next(chart for chart in app.get("plotly_chart") if chart.key == key).proto.spec)


def click(region: str) -> dict:
    return {"selection": {"points": [{"location": region}], "point_indices": [0], "box": [], "lasso": []}}


def tile_click(region: str) -> dict:
    """A click on the tile grid: the point names its region in `customdata`, not `location`."""
    return {"selection": {"points": [{"customdata": region}], "point_indices": [0], "box": [], "lasso": []}}


def numbers(values) -> list[float]:
    """A trace's numeric array as floats (NaN for a gap): plotly sends numpy arrays as base64
    ({"dtype", "bdata"}) and lists as JSON, a NaN as null."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).astype(float).tolist()
    return [math.nan if value is None else float(value) for value in values]


def title(app: AppTest) -> str:
    return app.title[0].value


def errors_of(app: AppTest) -> list[str]:
    return [exception.message for exception in app.exception]


def infos(app: AppTest) -> list[str]:
    return [info.value for info in app.info]


def captions(app: AppTest) -> list[str]:
    return [caption.value for caption in app.caption]


def services_table(app: AppTest):
    return next(frame.value for frame in app.dataframe if "service_type" in frame.value.columns)


def sample_geojson() -> dict:
    return json.loads(SAMPLE_GEOJSON.read_text(encoding="utf-8"))


def renamed_boundaries() -> bytes:
    """The sample boundaries named by region only (no code), Farhollow's shape renamed."""
    geojson = sample_geojson()
    for feature in geojson["features"]:
        name = feature["properties"]["region"]
        feature["properties"] = {"region": RENAMED if name == FARHOLLOW else name}
    return json.dumps(geojson).encode("utf-8")


def upload_boundaries(app: AppTest, name: str, data: bytes) -> AppTest:
    return app.file_uploader(key="boundaries_upload").set_value((name, data, "application/geo+json")).run()


@pytest.fixture(scope="module")
def two_actors() -> Dataset:
    return dataset_of(("actors.csv", TWO_ACTORS_CSV))


@pytest.fixture(scope="module")
def three_regions() -> Dataset:
    return dataset_of(("regions.csv", THREE_REGIONS_CSV))


@pytest.fixture(scope="module")
def no_population() -> Dataset:
    return dataset_of(("regions.csv", NO_POPULATION_CSV))


@pytest.fixture(scope="module")
def many_services() -> Dataset:
    """The sample country with MANY_SERVICES services (sample services repeated)."""
    return sample_with_services(MANY_SERVICES)


# ----------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_its_charts_on_the_sample(page):
    app = open_page(page)
    assert not errors_of(app)
    assert title(app) == t(TITLES[page])
    assert chart_keys(app) == SAMPLE_CHARTS[page]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_two_actors_says_what_is_missing_instead_of_a_chart(page, two_actors):
    app = open_page(page, two_actors)
    assert not errors_of(app)
    assert title(app) == t(TITLES[page])
    for key in TWO_ACTORS_MESSAGES.get(page, []):
        assert t(key) in infos(app), key
    assert chart_keys(app) == TWO_ACTORS_CHARTS[page]


def test_data_page_on_two_actors_says_which_sheets_are_empty(two_actors):
    app = open_page("data", two_actors)
    # actors: both rows shown; services, regions, bodies and links: "No rows."
    assert "2 of 2 rows." in captions(app)
    assert captions(app).count(t("data.empty_sheet")) == 4


@pytest.mark.parametrize("page", ["stakeholders", "sectors"])
def test_actor_pages_without_actors_say_so(page, three_regions):
    app = open_page(page, three_regions)
    assert not errors_of(app)
    assert t("stakeholders.no_actors") in infos(app)
    assert chart_keys(app) == []


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_dataset_runs_without_error(page):
    app = open_page(page, Dataset())
    assert not errors_of(app)
    assert chart_keys(app) == []


# ----------------------------------------------------------------------------- the regional map


def test_regional_map_draws_every_sample_region_without_tiles_or_network():
    spec = figure(open_page("regional_gaps"), "region_map")
    assert spec["layout"]["map"]["style"] == "white-bg"
    assert "mapbox" not in spec["layout"]
    # The one layer is the region names, drawn here into an image (no glyphs, no tiles to fetch).
    (names,) = spec["layout"]["map"]["layers"]
    assert names["sourcetype"] == "image" and names["source"].startswith("data:image/png;base64,")
    choropleth = spec["data"][0]
    assert choropleth["type"] == "choroplethmap"
    assert sorted(choropleth["locations"]) == sorted(SAMPLE_REGIONS)
    assert len(choropleth["geojson"]["features"]) == len(SAMPLE_REGIONS)
    text = json.dumps(spec)
    assert "http" not in text and "accesstoken" not in text.lower()


def test_overview_map_draws_every_sample_region_on_white():
    spec = figure(open_page(OVERVIEW), "overview_map")
    assert spec["layout"]["map"]["style"] == "white-bg"
    assert sorted(spec["data"][0]["locations"]) == sorted(SAMPLE_REGIONS)
    assert "http" not in json.dumps(spec)


def test_a_click_on_the_regional_map_opens_the_regions_drill_down():
    app = open_page("regional_gaps")
    app.session_state["region_map"] = click(FARHOLLOW)
    app.run()
    assert not errors_of(app)
    assert app.session_state["selected_region"] == FARHOLLOW
    assert app.subheader[0].value == FARHOLLOW
    metrics = {metric.label: metric for metric in app.metric}
    population = metrics[t("home.population")]
    # shown in full, or abbreviated (170k) with the full figure in the metric's help
    assert FARHOLLOW_POPULATION in (population.value, population.proto.help)
    assert metrics[t("home.services")].value == str(FARHOLLOW_SERVICES)
    assert len(services_table(app)) == FARHOLLOW_SERVICES
    assert set(services_table(app)["region"]) == {FARHOLLOW}


def test_the_clicked_region_is_outlined_on_the_map():
    app = open_page("regional_gaps")
    app.session_state["region_map"] = click(FARHOLLOW)
    app.run()
    traces = figure(app, "region_map")["data"]
    assert len(traces) == 2 and traces[1]["locations"] == [FARHOLLOW]
    # the outline carries Farhollow's shape alone, not a second copy of all 16
    assert [feature["id"] for feature in traces[1]["geojson"]["features"]] == [FARHOLLOW]


def test_picking_a_region_in_the_list_overrides_an_earlier_click():
    app = open_page("regional_gaps")
    app.session_state["region_map"] = click(FARHOLLOW)
    app.run()
    app.selectbox(key=f"region_pick_{FARHOLLOW}").set_value(HIGHCREST).run()
    app.run()  # the old click, still in the map's state, is not applied again
    assert app.session_state["selected_region"] == HIGHCREST
    assert app.subheader[0].value == HIGHCREST


def test_drill_down_never_shows_where_a_shelter_is():
    raw = sample_dataset()["services"]
    shelters = raw[(raw["region"] == HIGHCREST) & (raw["service_type"] == "safe_accommodation")]
    assert len(shelters) == HIGHCREST_SHELTERS and shelters["district"].notna().all()  # the data has them
    app = open_page("regional_gaps")
    app.session_state["region_map"] = click(HIGHCREST)
    app.run()
    services = services_table(app)
    hidden = services[services["confidential"].fillna(True).astype(bool)]
    assert len(hidden) == HIGHCREST_SHELTERS
    for column in ("district", "location", "latitude", "longitude"):
        if column in hidden:
            assert hidden[column].isna().all(), column
    assert services.loc[~services["confidential"].astype(bool), "district"].notna().all()
    assert not {"contact_email", "contact_phone"} & set(services.columns)


def test_a_click_on_the_overview_map_opens_that_region_on_regional_gaps():
    app = open_page(OVERVIEW)
    app.session_state["overview_map"] = click(FARHOLLOW)
    app.run()
    assert not errors_of(app)
    assert app.session_state["selected_region"] == FARHOLLOW
    assert title(app) == t("regional.title")
    assert app.subheader[0].value == FARHOLLOW


def test_regions_without_boundaries_are_drawn_as_tiles(three_regions):
    app = open_page("regional_gaps", three_regions)
    assert not errors_of(app)
    assert t("regional.boundaries_none_matched") in [warning.value for warning in app.warning]
    assert t("regional.no_services") in infos(app)  # no heatmap without services
    tiles = figure(app, "region_map")["data"][0]
    assert tiles["type"] == "scatter"
    assert tiles["customdata"] == ["Grand Bassa", "Montserrado", "Nimba"]


def test_a_click_on_a_tile_opens_the_regions_drill_down(three_regions):
    app = open_page("regional_gaps", three_regions)
    app.session_state["region_map"] = tile_click(MONTSERRADO)
    app.run()
    assert not errors_of(app)
    assert app.session_state["selected_region"] == MONTSERRADO
    assert app.subheader[0].value == MONTSERRADO
    # the clicked tile gets the thick outline, the others a thin one
    tiles = figure(app, "region_map")["data"][0]
    widths = dict(zip(tiles["customdata"], tiles["marker"]["line"]["width"]))
    assert widths == {"Grand Bassa": 1, MONTSERRADO: 4, "Nimba": 1}


def test_closing_the_drill_down_brings_the_ranking_back():
    # A Streamlit selectbox with a value cannot be emptied, so the drill-down has a close button.
    app = open_page("regional_gaps")
    app.session_state["region_map"] = click(FARHOLLOW)
    app.run()
    app.button(key="close_region").click().run()
    app.run()  # the old click, still in the map's state, is not applied again
    assert not errors_of(app)
    assert app.session_state["selected_region"] is None
    assert FARHOLLOW not in [subheader.value for subheader in app.subheader]
    assert t("regional.ranking_help") in captions(app)  # the ranking is back in the drill-down's place
    assert len(figure(app, "region_map")["data"]) == 1  # and the map has no outline


def test_regions_without_population_stay_on_the_map_for_a_rate(no_population):
    app = open_page("regional_gaps", no_population)
    app.selectbox(key="measure_en").set_value(SHELTER_RATE).run()
    assert not errors_of(app)
    assert app.selectbox(key="measure_en").value.startswith("rate:")
    traces = figure(app, "region_map")["data"]
    drawn = {location: z for trace in traces for location, z in zip(trace["locations"], numbers(trace["z"]))}
    # every region listed once across the traces...
    assert sorted(location for trace in traces for location in trace["locations"]) == sorted(NO_POPULATION_REGIONS)
    # ...and each with a number to fill it: plotly leaves a hole where the colour is NaN
    assert all(math.isfinite(z) for z in drawn.values()), drawn
    assert sorted(traces[-1]["locations"]) == UNMEASURED_REGIONS  # the grey "no value" trace


# ----------------------------------------------------------------------------- own boundaries


def test_uploaded_boundaries_list_the_region_left_without_a_shape():
    app = upload_boundaries(open_page("regional_gaps"), "renamed.geojson", renamed_boundaries())
    assert not errors_of(app)
    warnings = [warning.value for warning in app.warning]
    assert t("regional.regions_without_shape", count=1, regions=FARHOLLOW) in warnings
    assert t("regional.shapes_without_region", count=1, shapes=RENAMED) in captions(app)
    assert app.session_state["boundaries"]["property"] == "region"
    locations = figure(app, "region_map")["data"][0]["locations"]
    assert len(locations) == len(SAMPLE_REGIONS) - 1 and FARHOLLOW not in locations


def test_boundaries_matching_no_region_fall_back_to_tiles():
    geojson = sample_geojson()
    for number, feature in enumerate(geojson["features"]):
        feature["properties"] = {"name": f"Atlantis {number}"}
    app = upload_boundaries(open_page("regional_gaps"), "atlantis.geojson", json.dumps(geojson).encode())
    assert not errors_of(app)
    assert t("regional.boundaries_none_matched") in [warning.value for warning in app.warning]
    assert figure(app, "region_map")["data"][0]["type"] == "scatter"


def test_a_broken_geojson_upload_names_the_file_and_keeps_the_map():
    app = upload_boundaries(open_page("regional_gaps"), "districts_broken.geojson", BROKEN_GEOJSON)
    assert not errors_of(app)
    assert any("districts_broken.geojson" in error.value for error in app.error)
    assert "boundaries" not in app.session_state
    assert sorted(figure(app, "region_map")["data"][0]["locations"]) == sorted(SAMPLE_REGIONS)


def test_a_geojson_upload_that_is_a_json_array_names_the_file_and_keeps_the_map():
    app = upload_boundaries(open_page("regional_gaps"), "array.geojson", JSON_ARRAY)
    assert not errors_of(app)
    assert any("array.geojson" in error.value for error in app.error)
    assert sorted(figure(app, "region_map")["data"][0]["locations"]) == sorted(SAMPLE_REGIONS)


def test_a_geojson_feature_with_text_for_coordinates_is_named_and_the_map_kept():
    geojson = sample_geojson()
    geojson["features"][0]["geometry"]["coordinates"] = "not coordinates"
    app = upload_boundaries(open_page("regional_gaps"), "districts.geojson", json.dumps(geojson).encode())
    assert not errors_of(app)
    assert any("districts.geojson" in error.value and "feature 1" in error.value for error in app.error)
    assert "boundaries" not in app.session_state
    assert sorted(figure(app, "region_map")["data"][0]["locations"]) == sorted(SAMPLE_REGIONS)


def test_a_region_split_over_two_features_is_drawn_once():
    # Farhollow's shape and an island beside it, as two features both named Farhollow.
    geojson = sample_geojson()
    farhollow = next(feature for feature in geojson["features"] if feature["properties"]["region"] == FARHOLLOW)
    island = copy.deepcopy(farhollow)
    island["geometry"]["coordinates"] = [
        [[lon + 0.5, lat] for lon, lat in ring] for ring in island["geometry"]["coordinates"]
    ]
    geojson["features"].append(island)
    app = upload_boundaries(open_page("regional_gaps"), "islands.geojson", json.dumps(geojson).encode())
    assert not errors_of(app)
    (choropleth,) = figure(app, "region_map")["data"]
    assert choropleth["locations"].count(FARHOLLOW) == 1
    (shape,) = [feature for feature in choropleth["geojson"]["features"] if feature["id"] == FARHOLLOW]
    assert len(shape["geometry"]["coordinates"]) == 2  # both polygons, in one shape
    # nothing is left unmatched: no warning, and the "all matched" note instead of a list
    assert not app.warning
    assert t("regional.boundaries_all_matched", count=len(SAMPLE_REGIONS)) in captions(app)


def test_a_geojson_with_an_infinite_coordinate_is_named_and_the_map_kept():
    # 1e400 is read as float("inf") (json.dumps writes it as Infinity, which json.loads accepts).
    geojson = sample_geojson()
    geojson["features"][0]["geometry"]["coordinates"][0][0] = [1e400, 0]
    app = upload_boundaries(open_page("regional_gaps"), "infinite.geojson", json.dumps(geojson).encode())
    assert not errors_of(app)
    assert any("infinite.geojson" in error.value and "feature 1" in error.value for error in app.error)


# ----------------------------------------------------------------------------- filters and search


def test_stakeholder_filters_narrow_the_actors_shown():
    app = open_page("stakeholders")
    assert t("stakeholders.showing", shown=SAMPLE_ACTORS, total=SAMPLE_ACTORS) in captions(app)
    app.multiselect(key="filter_sector").set_value(["health"]).run()
    assert t("stakeholders.showing", shown=HEALTH_ACTORS, total=SAMPLE_ACTORS) in captions(app)
    app.multiselect(key="filter_level").set_value(["national"]).run()
    assert not errors_of(app)
    assert t("stakeholders.showing", shown=HEALTH_NATIONAL_ACTORS, total=SAMPLE_ACTORS) in captions(app)


def test_stakeholder_filters_matching_nobody_say_so_instead_of_charts():
    actors = sample_dataset()["actors"]
    assert not ((actors["sector"] == "education") & (actors["level"] == "local")).any()
    app = open_page("stakeholders")
    app.multiselect(key="filter_sector").set_value(["education"]).run()
    app.multiselect(key="filter_level").set_value(["local"]).run()
    assert not errors_of(app)
    assert t("stakeholders.filtered_out") in infos(app)
    assert chart_keys(app) == []


def test_data_page_search_narrows_the_services_shown():
    app = open_page("data")
    app.text_input(key="search_services").input("SAFE HAVEN").run()
    assert not errors_of(app)
    assert t("data.rows_shown", shown=str(SAFE_HAVEN_SERVICES), total=f"{SAMPLE_SERVICES:,}") in captions(app)
    shown = services_table(app)
    assert len(shown) == SAFE_HAVEN_SERVICES
    assert shown["provider"].str.contains("Safe Haven").all()


def test_data_page_region_filter_narrows_the_services_shown():
    app = open_page("data")
    app.multiselect(key="filter_region_services").set_value([FARHOLLOW]).run()
    assert t("data.rows_shown", shown=str(FARHOLLOW_SERVICES), total=f"{SAMPLE_SERVICES:,}") in captions(app)
    assert set(services_table(app)["region"]) == {FARHOLLOW}


def test_data_page_search_does_not_find_a_shelter_by_its_hidden_address():
    raw = sample_dataset()["services"]
    at_address = raw[raw["location"] == HIGHCREST_SHELTER_ADDRESS]
    assert len(at_address) == 1 and bool(at_address["confidential"].iloc[0])  # the data has it
    app = open_page("data")
    app.text_input(key="search_services").input(HIGHCREST_SHELTER_ADDRESS).run()
    assert t("data.rows_shown", shown="0", total=f"{SAMPLE_SERVICES:,}") in captions(app)
    assert services_table(app).empty


# ----------------------------------------------------------------------------- coordination


def test_bodies_sharing_a_name_or_without_a_level_each_show_their_own_checklist():
    app = open_page("coordination", dataset_of(("coordination_bodies.csv", TWIN_BODIES_CSV)))
    assert not errors_of(app)
    assert len(app.expander) == len(TWIN_BODIES_MEETINGS)
    for expander, meeting in zip(app.expander, TWIN_BODIES_MEETINGS):
        lines = [markdown.value for markdown in expander.markdown]
        # one line per criterion, in checklist order: not the twin's rows as well (18), nor none
        assert len(lines) == len(CRITERIA), expander.label
        for line, criterion in zip(lines, CRITERIA):
            assert f"**{t(f'criterion.{criterion}')}**" in line
        # and the lines are the body's own: its meeting frequency, not its twin's
        (meeting_line,) = [line for line in lines if t("criterion.meets_quarterly") in line]
        assert meeting in meeting_line, expander.label


# ----------------------------------------------------------------------------- large tables


def test_data_page_sends_at_most_the_display_limit_of_services(many_services):
    app = open_page("data", many_services)
    assert not errors_of(app)
    assert len(services_table(app)) == DISPLAY_LIMIT
    assert t("data.rows_shown", shown=f"{MANY_SERVICES:,}", total=f"{MANY_SERVICES:,}") in captions(app)
    assert t("data.display_limit", limit=f"{DISPLAY_LIMIT:,}") in captions(app)


def test_drill_down_sends_at_most_the_display_limit_of_services(many_services):
    # every service moved to Farhollow, so its drill-down has more than the limit
    services = many_services["services"]
    services = services.assign(region=pd.array([FARHOLLOW] * len(services), dtype="string"))
    crowded = replace(many_services, frames=dict(many_services.frames, services=services), token="all-in-farhollow")
    app = open_page("regional_gaps", crowded)
    app.session_state["region_map"] = click(FARHOLLOW)
    app.run()
    assert not errors_of(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics[t("home.services")] == f"{MANY_SERVICES:,}"  # the count is of every service...
    assert len(services_table(app)) == DISPLAY_LIMIT  # ...the table only the first DISPLAY_LIMIT
    assert t("data.display_limit", limit=f"{DISPLAY_LIMIT:,}") in captions(app)


def test_data_page_shows_vocabulary_values_and_headers_in_the_language_and_downloads_codes():
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "fr"
    app = app.switch_page("app_pages/data.py").run()

    shown = services_table(app)
    codes = set(sample_dataset()["services"]["service_type"].dropna())
    assert set(shown["service_type"].dropna()) == {label("service_type", code, "fr") for code in codes}
    assert "safe_accommodation" in codes and not set(shown["service_type"]) & codes
    table = next(frame for frame in app.dataframe if "service_type" in frame.value.columns)
    headers = json.loads(table.proto.columns)  # the column configuration the browser gets
    assert headers["service_type"]["label"] == sheet("services").columns["service_type"].labels["fr"]


def test_a_regions_services_are_listed_in_the_language():
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "es"
    app = app.switch_page("app_pages/regional_gaps.py").run()
    app.session_state["region_map"] = click(FARHOLLOW)
    app.run()

    shown = services_table(app)
    assert len(shown) == FARHOLLOW_SERVICES
    statuses = {label("service_status", code, "es") for code in vocabulary("service_status").values}
    assert shown["status"].notna().all() and set(shown["status"]) <= statuses
    assert "active" not in statuses  # the codes are not Spanish words
    headers = json.loads(next(frame for frame in app.dataframe if "service_type" in frame.value.columns).proto.columns)
    assert headers["provider"]["label"] == sheet("services").columns["provider"].labels["es"]
