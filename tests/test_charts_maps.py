"""vawmap.charts' maps: the choropleth and the tile grid that stands in without boundaries draw
every region, grey where there is no value, and outline the selected one."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.dashboard_fixtures import MEASURE_REGIONS, MEASURE_SERVICES, SQUARE, frames_of, measure_named
from vawmap import charts
from vawmap.dashboard.regional import region_table
from vawmap.gaps.assess import assess
from vawmap.geo import tile_grid

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
def shelter_rate_table():
    measured = assess(frames_of(regions=MEASURE_REGIONS, services=MEASURE_SERVICES))
    return region_table(measured, measure_named(measured, "rate:shelter_places"))


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
    grid = tile_grid(VALUED + UNVALUED)
    traces = charts.tile_map(shelter_rate_table, grid, "places", "rate").data
    by_regions = {tuple(trace.customdata): trace for trace in traces}
    assert set(by_regions) == {tuple(VALUED), tuple(UNVALUED)}
    assert by_regions[tuple(UNVALUED)].marker.color == charts.NO_DATA
    assert list(by_regions[tuple(VALUED)].marker.color) == [pytest.approx(2.5)]


def test_tile_map_outlines_the_selected_tile_even_without_a_value(shelter_rate_table):
    grid = tile_grid(VALUED + UNVALUED)
    traces = charts.tile_map(shelter_rate_table, grid, "places", "rate", selected="Unknown").data
    grey = next(trace for trace in traces if "Unknown" in trace.customdata)
    widths = dict(zip(grey.customdata, grey.marker.line.width))
    assert widths == {"Empty": 1, "Unknown": 4}
