"""Region boundaries: reading and checking a GeoJSON, matching its shapes to the regions, framing
them on a map, and the grid of tiles that stands in when there are no boundaries.

A boundaries file comes from a person's GIS, so anything can be wrong with it. What is wrong is
said as a `Message` carried by `BoundaryProblem`, never as a sentence: the page renders it in
the session's language (keys under [regional] in vawmap/locales/).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd

from vawmap.messages import Message, message
from vawmap.places import PlaceMatcher, place_matcher
from vawmap.vocab import text_key

SHAPE_TYPES = ("Polygon", "MultiPolygon")
GEOJSON_LIMIT_MB = 5  # larger boundaries make every rerun of the map slow: simplify them first


class BoundaryProblem(ValueError):
    """Boundaries that cannot be used; `message` says why (render it at the edge)."""

    def __init__(self, problem: Message):
        super().__init__(problem.key)
        self.message = problem


@dataclass(frozen=True)
class BoundaryMatch:
    geojson: dict  # features whose property matched a region, each with `id` = the region name
    matched: list[str]
    regions_without_shape: list[str]
    shapes_without_region: list[str]
    shapes: dict[str, str] = field(default_factory=dict)  # region -> label of the (first) shape drawing it


# ----------------------------------------------------------------------------- reading and checking


def read_geojson(data: bytes, limit_mb: float | None = GEOJSON_LIMIT_MB) -> dict:
    """A GeoJSON FeatureCollection from bytes, every feature checked; BoundaryProblem saying
    what is wrong (and which feature, counting from 1) otherwise. The size limit keeps the
    app's map fast; the CLI reads files of any size (`limit_mb=None`)."""
    if limit_mb is not None and len(data) > limit_mb * 1024 * 1024:
        raise BoundaryProblem(message("regional.boundaries_too_big", limit=GEOJSON_LIMIT_MB))
    geojson = _parsed_json(data)
    if not isinstance(geojson, dict) or not isinstance(geojson.get("features"), list):
        raise BoundaryProblem(message("regional.geojson.not_collection"))
    for number, feature in enumerate(geojson["features"], start=1):
        problem = _feature_problem(feature)
        if problem:
            raise BoundaryProblem(message(f"regional.geojson.{problem}", number=number))
    return geojson


def _parsed_json(data: bytes):
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:  # before UnicodeDecodeError: both are ValueErrors
        raise BoundaryProblem(
            message(
                "regional.geojson.not_json", detail=error.msg, line=error.lineno, column=error.colno, position=error.pos
            )
        ) from error
    except UnicodeDecodeError as error:
        raise BoundaryProblem(message("regional.geojson.not_text")) from error
    except RecursionError as error:  # lists nested thousands deep: no boundaries look like that
        raise BoundaryProblem(message("regional.geojson.too_deep")) from error


def _feature_problem(feature) -> str | None:
    """What is wrong with one feature, as the last part of its message key; None when nothing."""
    if not isinstance(feature, dict):
        return "feature_not_object"
    if not isinstance(feature.get("properties") or {}, dict):
        return "feature_properties_not_object"
    geometry = feature.get("geometry")
    if geometry is None:
        return None  # allowed by GeoJSON: the feature just draws nothing (see _polygons)
    if not isinstance(geometry, dict) or geometry.get("type") not in SHAPE_TYPES:
        return "feature_not_polygon"
    depth = 3 if geometry["type"] == "Polygon" else 4  # rings of [lon, lat] points
    if not _is_nested_points(geometry.get("coordinates"), depth):
        return "feature_not_degrees"
    return None


def _is_nested_points(value, depth: int) -> bool:
    if depth == 1:  # one [longitude, latitude] point, in degrees (EPSG:4326, as GeoJSON requires)
        return (
            isinstance(value, list)
            and len(value) >= 2
            and all(isinstance(number, (int, float)) and not isinstance(number, bool) for number in value[:2])
            and abs(value[0]) <= 180
            and abs(value[1]) <= 90
        )
    return isinstance(value, list) and all(_is_nested_points(item, depth - 1) for item in value)


def _polygons(geometry: dict | None) -> list:
    """The polygons of a (checked) geometry; [] for none."""
    if not geometry or not geometry.get("coordinates"):
        return []
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else list(geometry["coordinates"])


# ----------------------------------------------------------------------------- properties


def geojson_properties(geojson: dict) -> list[str]:
    """Property names found on the features, in order of first appearance."""
    names: dict[str, None] = {}
    for feature in geojson.get("features", []):
        names.update(dict.fromkeys((feature.get("properties") or {}).keys()))
    return list(names)


def matchable_properties(geojson: dict) -> list[str]:
    """The properties a region name or code could be read from; BoundaryProblem when the
    features have none."""
    names = geojson_properties(geojson)
    if not names:
        raise BoundaryProblem(message("regional.boundaries_no_properties"))
    return names


def best_property(geojson: dict, regions: pd.DataFrame, names: list[str] | None = None) -> str | None:
    """The property whose values match the most regions (by name or code, as match_boundaries
    does); of two that match as many, the one whose values are written as the regions are."""
    matcher = region_matcher(regions, names or [])
    strict = place_matcher([*regions["region"].dropna(), *(names or [])])
    scores: dict[str, tuple[int, int]] = {}
    for name in geojson_properties(geojson):
        values = [str(value) for value in {(f.get("properties") or {}).get(name) for f in geojson.get("features", [])}]
        loose = {matcher.match(value, spelling=True) for value in values} - {None}
        exact = {strict.by_text.get(text_key(value)) or matcher.by_code.get(text_key(value)) for value in values}
        scores[name] = (len(loose), len(exact - {None}))
    best = max(scores, key=scores.__getitem__, default=None)
    return best if best is not None and scores[best][0] else None


# ----------------------------------------------------------------------------- matching


def region_matcher(regions: pd.DataFrame, names: list[str]) -> PlaceMatcher:
    """The regions sheet's regions (by name or code) and the other region names shown, matched
    as the upload matches them (vawmap/places.py)."""
    listed = regions.dropna(subset=["region"])
    extra = [name for name in names if name not in set(listed["region"])]
    return place_matcher([*listed["region"], *extra], [*listed["region_code"], *([None] * len(extra))])


def shape_label(feature: dict, prop: str) -> str:
    """How a shape is named: its value of `prop`, as text."""
    return str((feature.get("properties") or {}).get(prop))


def match_boundaries(
    geojson: dict, prop: str, regions: pd.DataFrame, names: list[str], paired: dict[str, str] | None = None
) -> BoundaryMatch:
    """Join shapes to regions on `prop`, which may hold region names or region codes (matched as
    vawmap/places.py says: by code, else by name, loosely only when unambiguous). `paired` maps
    a shape's label to the region a person paired it with by hand; it wins over the matching."""
    matcher = region_matcher(regions, names)
    paired = {label: region for label, region in (paired or {}).items() if region in names}
    polygons: dict[str, list] = {}  # region -> its polygons, from every feature naming it
    labels: dict[str, str] = {}
    unmatched_shapes = []
    for feature in geojson.get("features", []):
        value = (feature.get("properties") or {}).get(prop)
        label = str(value)
        region = paired.get(label) or (matcher.match(label, spelling=True) if value is not None else None)
        if region is None:
            unmatched_shapes.append(label)
            continue
        # A region drawn as several features (islands) keeps them all; one with no geometry
        # gets no polygons and so stays among the regions without a shape.
        polygons.setdefault(region, []).extend(_polygons(feature.get("geometry")))
        labels.setdefault(region, label)
    drawn = [region for region, shapes in polygons.items() if shapes]
    features = [
        {
            "type": "Feature",
            "id": region,
            "properties": {"region": region},
            "geometry": {"type": "MultiPolygon", "coordinates": polygons[region]},
        }
        for region in drawn
    ]
    return BoundaryMatch(
        geojson={"type": "FeatureCollection", "features": features},
        matched=drawn,
        regions_without_shape=[name for name in names if name not in drawn],
        shapes_without_region=unmatched_shapes,
        shapes={region: labels[region] for region in drawn},
    )


# ----------------------------------------------------------------------------- on the map


def geojson_center(geojson: dict, width_px: int = 560, height_px: int = 520) -> tuple[dict, float]:
    """A map centre and zoom that frame every shape in a plot of the given size (plotly's map
    has no fitbounds for GeoJSON). At zoom z the world is 512 * 2**z pixels wide."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coordinates):
        if coordinates and isinstance(coordinates[0], (int, float)):
            xs.append(coordinates[0])
            ys.append(coordinates[1])
        else:
            for item in coordinates or []:
                walk(item)

    for feature in geojson.get("features", []):
        walk((feature.get("geometry") or {}).get("coordinates"))
    if not xs:
        return {"lat": 0.0, "lon": 0.0}, 1.0
    center = {"lat": (min(ys) + max(ys)) / 2, "lon": (min(xs) + max(xs)) / 2}
    stretch = 1 / max(math.cos(math.radians(center["lat"])), 0.2)  # Mercator makes latitudes taller
    fit_x = width_px * 360 / (512 * max(max(xs) - min(xs), 1e-6))
    fit_y = height_px * 360 / (512 * max((max(ys) - min(ys)) * stretch, 1e-6))
    zoom = math.log2(min(fit_x, fit_y)) - 0.25  # a small margin around the shapes
    return center, max(0.0, min(14.0, zoom))


def tile_grid(names: list[str]) -> pd.DataFrame:
    """Without boundaries: one square tile per region, in a near-square grid, in list order."""
    columns = max(1, math.ceil(math.sqrt(len(names))))
    return pd.DataFrame(
        {
            "region": names,
            "column": [i % columns for i in range(len(names))],
            "row": [i // columns for i in range(len(names))],
        }
    )
