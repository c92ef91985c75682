"""vawmap.geo: reading and checking a boundaries GeoJSON (its problems as message keys with their
parameters, rendered in any language), matching shapes to regions, framing them, and the tile grid."""

from __future__ import annotations

import json

import pytest

from tests.dashboard_fixtures import SQUARE
from tests.network_fixtures import filled_frame
from vawmap import geo
from vawmap.dataset import SAMPLE_GEOJSON
from vawmap.i18n import catalogue
from vawmap.messages import Message, message, render
from vawmap.vocab import LANGUAGES

BOUNDARY_REGIONS = filled_frame(
    "regions",
    {
        "region": ["Grand Bassa", "Montserrado", "Nimba"],
        "region_code": ["LR-GB", "LR-MO", "LR-NI"],
    },
)
BOUNDARY_NAMES = ["Grand Bassa", "Montserrado", "Nimba"]
GOOD_FEATURE = {"type": "Feature", "properties": {"name": "Nimba"}, "geometry": SQUARE}


def collection(*properties: dict) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": SQUARE} for props in properties],
    }


def encoded(features: list) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def problem_of(data: bytes) -> Message:
    """The message of the BoundaryProblem that read_geojson raises on `data`."""
    with pytest.raises(geo.BoundaryProblem) as caught:
        geo.read_geojson(data)
    return caught.value.message


# ----------------------------------------------------------------------------- reading and checking


@pytest.mark.parametrize(
    "feature, key, english",
    [
        ("not a feature", "feature_not_object", "feature 2 is not an object"),
        (
            {"type": "Feature", "properties": ["a"], "geometry": None},
            "feature_properties_not_object",
            "feature 2 has properties that are not an object",
        ),
        (
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
            "feature_not_polygon",
            "feature 2 is not a Polygon or MultiPolygon",
        ),
        (
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": "abc"}},
            "feature_not_degrees",
            "feature 2 has coordinates that are not lists of [longitude, latitude] points in degrees",
        ),
        (
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[["x", 1]]]}},
            "feature_not_degrees",
            "feature 2 has coordinates",
        ),
        # metres of a projected system (UTM), not degrees: GeoJSON must be EPSG:4326
        (
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[[500000, 4000000], [500100, 4000000]]]},
            },
            "feature_not_degrees",
            "(export the boundaries in EPSG:4326)",
        ),
    ],
)
def test_read_geojson_names_the_broken_feature(feature, key, english):
    # the first feature is fine: the problem names the second, counting from 1
    problem = problem_of(encoded([GOOD_FEATURE, feature]))
    assert problem == message(f"regional.geojson.{key}", number=2)
    assert english in render(problem, "en")


def test_a_file_that_is_not_json_says_where_reading_stopped_as_python_does():
    broken = b'{"type": "FeatureCollection", "features": ['
    problem = problem_of(broken)
    assert problem.key == "regional.geojson.not_json"
    # the parser's words and the place it stopped, at the end of the text (line 1, column 44)
    assert problem.params == {"detail": "Expecting value", "line": 1, "column": 44, "position": 43}
    with pytest.raises(json.JSONDecodeError) as parser:
        json.loads(broken)
    assert render(problem, "en") == str(parser.value)  # the English is what it was before messages


def test_json_that_is_not_a_feature_collection_is_a_problem():
    assert problem_of(b"[1, 2, 3]") == message("regional.geojson.not_collection")
    assert problem_of(b'{"type": "FeatureCollection"}') == message("regional.geojson.not_collection")


def test_a_file_that_is_not_utf8_text_is_a_problem():
    latin1 = '{"features": [], "name": "Côte"}'.encode("latin-1")
    assert problem_of(latin1) == message("regional.geojson.not_text")


def test_json_nested_too_deep_is_a_problem_not_a_crash():
    assert problem_of(b"[" * 100_000) == message("regional.geojson.too_deep")


def test_a_file_over_the_size_limit_is_refused_before_reading():
    too_big = b" " * (geo.GEOJSON_LIMIT_MB * 1024 * 1024 + 1)
    assert problem_of(too_big) == message("regional.boundaries_too_big", limit=geo.GEOJSON_LIMIT_MB)


def test_features_without_properties_have_nothing_to_match():
    shapes = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": SQUARE}]}
    with pytest.raises(geo.BoundaryProblem) as caught:
        geo.matchable_properties(shapes)
    assert caught.value.message == message("regional.boundaries_no_properties")
    assert geo.matchable_properties(collection({"name": "Nimba", "code": "LR-NI"})) == ["name", "code"]


def test_boundary_problems_render_in_french():
    broken_feature = problem_of(encoded([GOOD_FEATURE, GOOD_FEATURE, {"type": "Feature", "geometry": "x"}]))
    assert broken_feature == message("regional.geojson.feature_not_polygon", number=3)
    assert render(broken_feature, "fr") == "l'entité 3 n'est ni un Polygon ni un MultiPolygon"
    assert render(problem_of(b"[1]"), "fr") == (
        "c'est du JSON, mais pas une FeatureCollection GeoJSON (aucune liste d'entités)"
    )
    not_json = render(problem_of(b"{"), "fr")
    assert not_json.startswith("ce n'est pas du JSON valide (ligne 1, colonne 2, caractère 1 : ")


# One file for each way read_geojson can refuse boundaries, by the last part of its message key.
BROKEN_FILES = {
    "boundaries_too_big": b" " * (geo.GEOJSON_LIMIT_MB * 1024 * 1024 + 1),
    "not_json": b"{",
    "not_text": "\xe9".encode("latin-1"),
    "too_deep": b"[" * 100_000,
    "not_collection": b"[1]",
    "feature_not_object": encoded(["not a feature"]),
    "feature_properties_not_object": encoded([{"type": "Feature", "properties": 1}]),
    "feature_not_polygon": encoded([{"type": "Feature", "geometry": {"type": "Point"}}]),
    "feature_not_degrees": encoded([{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[5e5, 0]]]}}]),
}


@pytest.mark.parametrize("problem", BROKEN_FILES)
def test_every_boundary_problem_is_worded_in_every_language(problem):
    found = problem_of(BROKEN_FILES[problem])
    assert found.key.rsplit(".", 1)[-1] == problem
    for language in LANGUAGES:
        assert found.key in catalogue(language), (language, found.key)
    assert render(found, "fr") != render(found, "en")


def test_read_geojson_accepts_the_sample_boundaries():
    assert len(geo.read_geojson(SAMPLE_GEOJSON.read_bytes())["features"]) == 16


# ----------------------------------------------------------------------------- properties


def test_best_property_prefers_the_property_matching_most_regions():
    # "name" matches 2 regions, "code" all 3, "fid" none
    shapes = collection(
        {"fid": 1, "name": "Grand Bassa", "code": "LR-GB"},
        {"fid": 2, "name": "Montserrado", "code": "LR-MO"},
        {"fid": 3, "name": "Nimba County", "code": "LR-NI"},
    )
    assert geo.geojson_properties(shapes) == ["fid", "name", "code"]
    assert geo.best_property(shapes, BOUNDARY_REGIONS) == "code"


def test_best_property_is_none_when_nothing_matches():
    shapes = collection({"fid": 1, "label": "Atlantis"})
    assert geo.best_property(shapes, BOUNDARY_REGIONS) is None
    assert geo.best_property({"type": "FeatureCollection", "features": []}, BOUNDARY_REGIONS) is None


# ----------------------------------------------------------------------------- matching


def test_match_boundaries_by_name_ignores_case_and_accents():
    shapes = collection({"name": "GRAND BASSA"}, {"name": "Montserrádo"}, {"name": "Nimba"})
    match = geo.match_boundaries(shapes, "name", BOUNDARY_REGIONS, BOUNDARY_NAMES)
    assert match.matched == ["Grand Bassa", "Montserrado", "Nimba"]
    assert match.regions_without_shape == [] and match.shapes_without_region == []
    # each kept feature carries the region's own spelling as its id
    assert [feature["id"] for feature in match.geojson["features"]] == ["Grand Bassa", "Montserrado", "Nimba"]


def test_match_boundaries_by_region_code():
    shapes = collection({"iso": "lr-gb"}, {"iso": "LR-NI"})
    match = geo.match_boundaries(shapes, "iso", BOUNDARY_REGIONS, BOUNDARY_NAMES)
    assert match.matched == ["Grand Bassa", "Nimba"]
    assert match.regions_without_shape == ["Montserrado"]


def test_match_boundaries_reports_unmatched_both_ways():
    shapes = collection({"name": "Grand Bassa"}, {"name": "Atlantis"})
    match = geo.match_boundaries(shapes, "name", BOUNDARY_REGIONS, BOUNDARY_NAMES)
    assert match.matched == ["Grand Bassa"]
    assert match.regions_without_shape == ["Montserrado", "Nimba"]
    assert match.shapes_without_region == ["Atlantis"]
    assert len(match.geojson["features"]) == 1


def test_match_boundaries_merges_every_shape_of_one_region():
    # Nimba drawn as two features (an island): one region, both polygons, nothing unmatched.
    shapes = collection({"name": "Nimba", "n": 1}, {"name": "nimba", "n": 2})
    match = geo.match_boundaries(shapes, "name", BOUNDARY_REGIONS, BOUNDARY_NAMES)
    assert match.matched == ["Nimba"] and match.shapes_without_region == []
    (feature,) = match.geojson["features"]
    assert feature["id"] == "Nimba" and feature["geometry"]["type"] == "MultiPolygon"
    assert len(feature["geometry"]["coordinates"]) == 2


def test_a_region_whose_feature_has_no_geometry_has_no_shape():
    shapes = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Nimba"}, "geometry": None},
            {"type": "Feature", "properties": {"name": "Grand Bassa"}, "geometry": SQUARE},
        ],
    }
    match = geo.match_boundaries(shapes, "name", BOUNDARY_REGIONS, BOUNDARY_NAMES)
    assert match.matched == ["Grand Bassa"]
    assert "Nimba" in match.regions_without_shape


def test_match_boundaries_matches_a_region_named_only_by_services():
    shapes = collection({"name": "BONG"})
    match = geo.match_boundaries(shapes, "name", BOUNDARY_REGIONS, [*BOUNDARY_NAMES, "Bong"])
    assert match.matched == ["Bong"]


# ----------------------------------------------------------------------------- on the map


def test_geojson_center_frames_every_shape():
    shapes = {
        "features": [
            {"geometry": {"type": "Point", "coordinates": [10, 20]}},
            {"geometry": {"type": "Point", "coordinates": [14, 26]}},
        ]
    }
    center, zoom = geo.geojson_center(shapes)
    assert center == {"lat": 23.0, "lon": 12.0}  # midpoints of 20..26 and 10..14
    assert 0 < zoom < 12


@pytest.mark.parametrize(
    ("count", "columns", "rows"),
    [
        (1, 1, 1),
        (4, 2, 2),
        (5, 3, 2),
        (16, 4, 4),
        (17, 5, 4),  # columns = ceil(sqrt(n))
    ],
)
def test_tile_grid_is_near_square(count, columns, rows):
    grid = geo.tile_grid([f"R{i}" for i in range(count)])
    assert len(grid) == count
    assert grid["column"].max() + 1 == columns and grid["row"].max() + 1 == rows


def test_tile_grid_places_regions_in_list_order_row_by_row():
    grid = geo.tile_grid(["A", "B", "C", "D", "E"])
    # 3 columns: A B C / D E
    assert list(zip(grid["region"], grid["row"], grid["column"])) == [
        ("A", 0, 0),
        ("B", 0, 1),
        ("C", 0, 2),
        ("D", 1, 0),
        ("E", 1, 1),
    ]


def test_tile_grid_of_no_region_is_empty():
    assert geo.tile_grid([]).empty
