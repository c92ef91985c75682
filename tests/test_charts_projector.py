"""vawmap.charts on a projector: no text under 14 px and none in light grey, legends and hovers
in labels (never a vocabulary code), sectors coloured by family with distinct hues, colour bars
in % for shares, the tile grid's names readable on their tiles, region names on the map."""

from __future__ import annotations

import colorsys
from collections.abc import Iterator

import pandas as pd
import pytest
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb

from tests.dashboard_fixtures import MEASURE_REGIONS, MEASURE_SERVICES, SQUARE, frames_of, measure_named
from tests.network_fixtures import actors_frame, links_frame
from vawmap import charts
from vawmap.dashboard.network_drawing import network_drawing
from vawmap.dashboard.regional import region_table
from vawmap.dashboard.stakeholders import influence_interest, sector_level_matrix
from vawmap.gaps.assess import assess
from vawmap.geo import tile_grid
from vawmap.rules import SECTOR_FAMILIES, SECTOR_FAMILY
from vawmap.vocab import vocabularies

DARK_TEXT = {"#222222", "#333333"}
# Sectors and link types whose codes read badly on a slide, with the scores of the grid.
GRID_ACTORS = pd.DataFrame(
    {
        "name": ["Office of the President", "UN Women", "Ministry of Health", "Shelter <b>network</b>"],
        "sector": ["head_of_government", "un_international", "health", "womens_organisations"],
        "actor_type": ["government", "un_agency", "government", "ngo"],
        "influence": [5.0, 4.0, 4.0, 2.0],
        "interest": [3.0, 5.0, 4.0, 5.0],
        "engagement": ["committed", "engaged", "not_engaged", None],
    }
)
NETWORK_ACTORS = actors_frame({"P": "head_of_government", "U": "un_international", "H": "health", "L": "education"})
NETWORK_LINKS = links_frame(("P", "U", "information_sharing"), ("U", "H", "coordination"), ("P", "H"))
LONG_REGION = "Région autonome de Bougainville-Nord-et-Îles"
TILE_REGIONS = ["North", "Empty", "Unknown"]
MAP_GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "North", "properties": {}, "geometry": SQUARE},
        {
            "type": "Feature",
            "id": "Empty",
            "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [[[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]]},
        },
    ],
}


@pytest.fixture(scope="module")
def measured():
    return assess(frames_of(regions=MEASURE_REGIONS, services=MEASURE_SERVICES))


@pytest.fixture(scope="module")
def coverage_table(measured):
    return region_table(measured, measure_named(measured, "coverage_score"))


def tile_figure(coverage_table, regions=TILE_REGIONS):
    table = coverage_table.assign(region=regions, value=[0.1, 0.55, None])
    return charts.tile_map(table, tile_grid(regions), "Coverage", "score")


@pytest.fixture(scope="module", params=["en", "fr", "es"])
def figures(request, measured, coverage_table):
    """Every figure of vawmap.charts, in one language."""
    language = request.param
    drawing = network_drawing(
        NETWORK_ACTORS, NETWORK_LINKS, assess(frames_of(actors=NETWORK_ACTORS, links=NETWORK_LINKS)).actor_metrics
    )
    bars = measured.results[measured.results["standard"] == "shelter_places"]
    coverage = pd.DataFrame(
        {"sector": ["health", "head_of_government"], "actor_count": [2, 0], "status": ["covered", "missing"]}
    )
    return language, {
        "choropleth": charts.choropleth(
            coverage_table[coverage_table["region"].isin(["North", "Empty"])],
            MAP_GEOJSON,
            {"lat": 0.5, "lon": 1.5},
            6.0,
            "Coverage",
            "score",
            language=language,
        ),
        "tile_map": charts.tile_map(
            coverage_table.assign(value=[0.1, 0.9, None]),
            tile_grid(TILE_REGIONS),
            "Coverage",
            "score",
            language=language,
        ),
        "service_heatmap": charts.service_heatmap(measured.tallies.recorded, language),
        "standard_bars": charts.standard_bars(bars, "places", language),
        "sector_level_heatmap": charts.sector_level_heatmap(sector_level_matrix(NETWORK_ACTORS), language),
        "influence_interest_grid": charts.influence_interest_grid(influence_interest(GRID_ACTORS), language),
        "network_chart": charts.network_chart(drawing, language),
        "status_bars": charts.status_bars(coverage, "sector", "sector", language),
    }


def figure_fonts(figure) -> Iterator[tuple[str, dict]]:
    """Every font the figure sets (plotly's default template aside: Streamlit applies its own)."""
    drawn = figure.to_plotly_json()
    drawn["layout"].pop("template", None)
    return fonts(drawn)


def fonts(node, path="") -> Iterator[tuple[str, dict]]:
    """Every font of a figure's JSON: (where, font dict)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict):
                yield f"{path}.{key}", value
            yield from fonts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from fonts(value, f"{path}[{i}]")


def as_list(value) -> list:
    """A scalar or an array of a figure as a list."""
    return [value] if value is None or isinstance(value, (str, int, float, dict)) else list(value)


def test_no_chart_text_is_under_14_px(figures):
    _, drawn = figures
    for name, figure in drawn.items():
        found = list(figure_fonts(figure))
        assert figure.layout.font.size >= charts.MIN_FONT_PX, name
        # Streamlit's chart theme writes these at 12 px unless the figure sets them.
        assert figure.layout.legend.font.size >= charts.MIN_FONT_PX, name
        assert figure.layout.hoverlabel.font.size >= charts.MIN_FONT_PX, name
        small = [(where, font) for where, font in found for size in as_list(font.get("size")) if size and size < 14]
        assert small == [], name


def test_chart_text_is_dark_not_light_grey(figures):
    _, drawn = figures
    for name, figure in drawn.items():
        assert figure.layout.font.color in DARK_TEXT, name
        for where, font in figure_fonts(figure):
            colours = [colour for colour in as_list(font.get("color")) if colour]
            if ".textfont" in where and name == "tile_map":
                continue  # dark or white by contrast with the tile: tested below
            assert all(colour in DARK_TEXT for colour in colours), (name, where, colours)


def codes() -> set[str]:
    return {value for vocabulary in vocabularies().values() for value in vocabulary.values if "_" in value}


def test_legends_and_hovers_show_labels_never_codes(figures):
    language, drawn = figures
    known_codes = codes()
    for name, figure in drawn.items():
        for trace in figure.data:
            shown = [trace.name or "", (trace.legendgrouptitle.text or "") if "legendgrouptitle" in trace else ""]
            shown += [
                str(item) for row in (trace.customdata if trace.customdata is not None else []) for item in as_list(row)
            ]
            shown += [str(text) for text in as_list(trace.text) if text is not None]
            shown += [str(text) for text in as_list(getattr(trace, "hovertext", None)) if text is not None]
            assert not known_codes & set(shown), (name, language, known_codes & set(shown))
            assert "head_of_government" not in (trace.hovertemplate or ""), name


def test_the_grid_legend_names_sectors_under_their_families(figures):
    language, drawn = figures
    traces = drawn["influence_interest_grid"].data
    titles = {trace.legendgrouptitle.text for trace in traces}
    assert charts.shown(charts.t("charts.family.international", language)) in titles
    assert charts.shown(charts.label("sector", "un_international", language)) in {trace.name for trace in traces}


def hue(colour: str) -> float:
    rgb = hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)
    return colorsys.rgb_to_hsv(*(channel / 255 for channel in rgb))[0] * 360


def test_every_sector_has_a_family_and_its_own_colour():
    sectors = vocabularies()["sector"].values
    assert sorted(SECTOR_FAMILY) == sorted(sectors)
    colours = charts.sector_colours(sectors)
    assert len(set(colours.values())) == len(sectors)


def test_families_have_hues_far_apart_and_their_sectors_share_one():
    colours = charts.sector_colours(vocabularies()["sector"].values)
    hues = {family: [hue(colours[s]) for s, f in SECTOR_FAMILY.items() if f == family] for family in SECTOR_FAMILIES}
    middle = {family: sorted(values)[len(values) // 2] for family, values in hues.items()}
    for family, values in hues.items():
        assert max(abs((h - middle[family] + 180) % 360 - 180) for h in values) <= 30, family
    families = list(middle)
    for i, first in enumerate(families):
        for second in families[i + 1 :]:
            gap = abs((middle[first] - middle[second] + 180) % 360 - 180)
            assert gap >= 40, (first, second, gap)


def test_shares_are_coloured_on_a_percent_scale(figures):
    _, drawn = figures
    assert drawn["choropleth"].layout.coloraxis.colorbar.tickformat == ".0%"
    coloured = next(trace for trace in drawn["tile_map"].data if trace.marker.showscale)
    assert coloured.marker.colorbar.tickformat == ".0%"


def test_tile_names_stand_out_on_their_tile(coverage_table):
    for trace in tile_figure(coverage_table).data:
        values = as_list(trace.marker.color)
        if trace.marker.colorscale is None:
            backgrounds = [charts.NO_DATA] * len(trace.text)
        else:
            low, high = trace.marker.cmin, trace.marker.cmax
            backgrounds = sample_colorscale(charts.TILE_SCALE, [(v - low) / (high - low) for v in values])
        for text_colour, background in zip(trace.textfont.color, backgrounds):
            assert charts.contrast(text_colour, background) >= 4.5, (text_colour, background)


def test_the_text_colour_follows_the_tile():
    assert charts.text_colour_on("#2166ac") == "#ffffff"
    assert charts.text_colour_on("#f4d35e") == charts.TEXT_COLOUR


def test_a_long_region_name_is_wrapped_not_cut_off_its_tile(coverage_table):
    figure = tile_figure(coverage_table, ["North", LONG_REGION, "Unknown"])
    written = next(text for trace in figure.data for text in trace.text if "Bougainville" in text or "Région" in text)
    lines = written.split("<br>")
    assert 1 < len(lines) <= charts.TILE_LINES
    assert all(len(line) <= charts.TILE_LINE_CHARACTERS for line in lines), lines
    hover = [text for trace in figure.data for text in as_list(trace.hovertext)]
    assert charts.shown(LONG_REGION) in hover  # the whole name on hover


def test_the_map_names_its_regions_in_an_image_layer(figures):
    _, drawn = figures
    figure = drawn["choropleth"]
    (layer,) = figure.layout.map.layers
    assert layer.sourcetype == "image" and layer.source.startswith("data:image/png;base64,")
    assert sorted(figure.layout.meta["region_names"]) == ["Empty", "North"]


def test_grid_names_every_actor_and_network_too(figures):
    _, drawn = figures
    written = {text for trace in drawn["influence_interest_grid"].data for text in trace.text if text}
    assert written == {charts.shown(name) for name in GRID_ACTORS["name"]}
    named = {text for trace in drawn["network_chart"].data if trace.text is not None for text in trace.text if text}
    assert named == {f"Actor {actor}" for actor in "PUHL"}
