"""Region names on the MapLibre map, drawn without asking any host for anything.

MapLibre writes text only with glyphs it fetches from a URL (plotly's styles point at
fonts.openmaptiles.org), and the app sends no request outside its own host. So the names are
drawn here instead, into one transparent PNG laid on the map as an image layer (a `data:` URL:
nothing is fetched). The image is drawn in Web Mercator pixels at the map's zoom, so at that
zoom its text is exactly `LABEL_FONT_PX` high and sits where it belongs; a white halo keeps it
readable on every fill colour. Each name is written at the middle of the widest horizontal
stretch of its region through the region's centroid (always inside the shape), largest regions
first; a name that would overlap one already written is left to the hover.

The font is the app's own: Source Sans 3 (Adobe, SIL Open Font License 1.1), the variable
font the streamlit package ships for its pages (found in the installed package, not imported),
drawn semibold. Without it (a streamlit that moved the file) the names fall back to Pillow's
built-in font, which has ASCII letters only; tests/test_dashboard_labels.py fails then.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vawmap.dashboard.labels import overlaps

LABEL_FONT_PX = 15
SCALE = 2  # drawn at twice the size, so that it stays sharp on high-density screens
HALO_PX = 3
LINE_CHARACTERS = 16  # a longer name is wrapped onto lines of about this many characters
NARROW_CHARACTERS = 9  # ... or of this many, where the wider lines overlap a neighbour's name
SHIFTS = (0.0, -0.6, 0.6)  # then moved up or down by this much of its height
MAX_LINES = 3
TILE_PX = 512  # plotly's map: at zoom z the world is 512 * 2**z pixels wide


FONT_FILES = "static/static/media/SourceSansVF-Upright*.woff2"  # inside the streamlit package
FONT_WEIGHT = "Semibold"


@lru_cache(maxsize=1)
def _font_bytes() -> bytes | None:
    spec = importlib.util.find_spec("streamlit")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for path in sorted(Path(folder).glob(FONT_FILES)):
            return path.read_bytes()
    return None


def label_font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A new font object each call: FreeType faces are not to be shared between threads."""
    data = _font_bytes()
    if data is None:
        return ImageFont.load_default(size=size)
    font = ImageFont.truetype(io.BytesIO(data), size)
    font.set_variation_by_name(FONT_WEIGHT)
    return font


@dataclass(frozen=True)
class RegionLabels:
    """The image layer (a plotly layout.map.layers entry) and the names written in it."""

    layer: dict | None
    names: list[str]


def _world_px(lon: np.ndarray, lat: np.ndarray, zoom: float) -> tuple[np.ndarray, np.ndarray]:
    size = TILE_PX * 2**zoom
    lat = np.clip(lat, -85.0511, 85.0511)
    x = (lon + 180.0) / 360.0 * size
    y = (1 - np.log(np.tan(np.radians(lat)) + 1 / np.cos(np.radians(lat))) / math.pi) / 2 * size
    return x, y


def _lonlat(x: float, y: float, zoom: float) -> list[float]:
    size = TILE_PX * 2**zoom
    lon = x / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
    return [lon, lat]


def _rings(geometry: dict | None) -> list[np.ndarray]:
    """The outer ring of each polygon of a Polygon or MultiPolygon, as (n, 2) arrays."""
    kind = (geometry or {}).get("type")
    coordinates = (geometry or {}).get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    rings = []
    for polygon in polygons:
        try:
            ring = np.asarray(polygon[0], dtype=np.float64)[:, :2]
        except (TypeError, IndexError, ValueError):
            continue
        if len(ring) >= 3 and np.isfinite(ring).all():
            rings.append(ring)
    return rings


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def label_point(ring: np.ndarray) -> tuple[float, float]:
    """A point inside the ring: the middle of the widest stretch of the horizontal line through
    its vertices' mean latitude."""
    y = float(ring[:, 1].mean())
    start, end = ring, np.roll(ring, -1, axis=0)
    crossing = (start[:, 1] > y) != (end[:, 1] > y)
    s, e = start[crossing], end[crossing]
    xs = np.sort(s[:, 0] + (y - s[:, 1]) * (e[:, 0] - s[:, 0]) / (e[:, 1] - s[:, 1]))
    if len(xs) < 2:
        return float(ring[:, 0].mean()), y
    pairs = xs[: len(xs) // 2 * 2].reshape(-1, 2)
    widest = pairs[np.argmax(pairs[:, 1] - pairs[:, 0])]
    return float(widest.mean()), y


def wrapped(name: str, characters: int = LINE_CHARACTERS) -> str:
    lines = textwrap.wrap(" ".join(str(name).split()), characters, break_long_words=False) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: characters - 1] + "…"
    return "\n".join(lines)


def region_labels(geojson: dict, regions: list[str], zoom: float) -> RegionLabels:
    """The names of `regions` (feature ids of `geojson`) as one image layer for a map at `zoom`."""
    wanted = set(regions)
    font = label_font(LABEL_FONT_PX * SCALE)
    candidates = []
    for feature in geojson.get("features", []):
        if feature.get("id") not in wanted:
            continue
        rings = _rings(feature.get("geometry"))
        if not rings:
            continue
        ring = max(rings, key=_area)
        lon, lat = label_point(ring)
        world_x, world_y = _world_px(np.array([lon]), np.array([lat]), zoom)
        candidates.append((_area(ring), str(feature["id"]), float(world_x[0]), float(world_y[0])))
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    placed: list[tuple[str, str, float, float, tuple]] = []
    for _, name, x, y in sorted(candidates, key=lambda c: (-c[0], c[1])):
        # Where the name does not fit: on narrower lines, then a little above or below.
        for text, shift in product(dict.fromkeys((wrapped(name), wrapped(name, NARROW_CHARACTERS))), SHIFTS):
            left, top, right, bottom = probe.multiline_textbbox(
                (0, 0), text, font=font, align="center", spacing=0, stroke_width=HALO_PX * SCALE
            )
            width, height = (right - left) / SCALE, (bottom - top) / SCALE
            middle = y + shift * height
            box = (x - width / 2, middle - height / 2, x + width / 2, middle + height / 2)
            if not overlaps(box, [p[4] for p in placed]):
                placed.append((name, text, x, middle, box))
                break
    if not placed:
        return RegionLabels(None, [])
    margin = 4
    x0 = math.floor(min(p[4][0] for p in placed)) - margin
    y0 = math.floor(min(p[4][1] for p in placed)) - margin
    x1 = math.ceil(max(p[4][2] for p in placed)) + margin
    y1 = math.ceil(max(p[4][3] for p in placed)) + margin
    # Grey and alpha only (the text is near black, its halo white): half the bytes of RGBA.
    image = Image.new("LA", ((x1 - x0) * SCALE, (y1 - y0) * SCALE), (255, 0))
    draw = ImageDraw.Draw(image)
    for _, text, x, y, _box in placed:
        draw.multiline_text(
            ((x - x0) * SCALE, (y - y0) * SCALE),
            text,
            font=font,
            fill=(34, 255),  # #222222
            anchor="mm",
            align="center",
            spacing=0,
            stroke_width=HALO_PX * SCALE,
            stroke_fill=(255, 255),
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)  # optimize=True took 0.8 s for 16 names
    layer = {
        "sourcetype": "image",
        "source": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
        "coordinates": [_lonlat(x0, y0, zoom), _lonlat(x1, y0, zoom), _lonlat(x1, y1, zoom), _lonlat(x0, y1, zoom)],
        "name": "region_names",
    }
    return RegionLabels(layer, [p[0] for p in placed])
