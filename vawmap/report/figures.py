"""Figures drawn for the report rather than the screen.

The pages' map is MapLibre (WebGL, with a web worker): opened from a file:// path its worker
draws nothing, and a WebGL canvas prints poorly. The report's map is plotly's SVG choropleth
instead, fitted to the shapes with no base map (so no topojson is fetched), each region named
at the middle of its shapes so a printed page reads without hovering.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from vawmap.charts import GAP_SCALE, NO_DATA, shown
from vawmap.i18n import t
from vawmap.messages import number_separators

LABEL_FONT = {"size": 13, "color": "#111111"}


def region_middles(geojson: dict) -> pd.DataFrame:
    """region, lon, lat: the mean of the points of each region's largest polygon's outer ring
    (good enough to place a name inside a compact shape)."""
    rows = []
    for feature in geojson.get("features", []):
        polygons = (feature.get("geometry") or {}).get("coordinates") or []
        rings = [polygon[0] for polygon in polygons if polygon and polygon[0]]
        if not rings:
            continue
        ring = max(rings, key=len)
        rows.append(
            {
                "region": feature["id"],
                "lon": sum(point[0] for point in ring) / len(ring),
                "lat": sum(point[1] for point in ring) / len(ring),
            }
        )
    return pd.DataFrame(rows, columns=["region", "lon", "lat"])


def _signed_area(ring: list) -> float:
    """Twice the ring's signed area in degrees (shoelace): positive when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:] + ring[:1]))


def d3_wound(geojson: dict) -> dict:
    """The shapes with their rings wound as plotly's SVG map (d3-geo) reads them: outer rings
    clockwise, holes counter-clockwise. GeoJSON (RFC 7946) winds them the other way, which d3
    reads as "the whole globe but this shape" and paints the map in one colour."""
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = [
            [ring if (_signed_area(ring) < 0) == (number == 0) else ring[::-1] for number, ring in enumerate(polygon)]
            for polygon in geometry.get("coordinates") or []
        ]
        features.append({**feature, "geometry": {"type": "MultiPolygon", "coordinates": polygons}})
    return {"type": "FeatureCollection", "features": features}


def printed_choropleth(table: pd.DataFrame, geojson: dict, title: str, kind: str, language: str) -> go.Figure:
    """Regions coloured by `value` (0-1 for a score or ratio), shapes from a BoundaryMatch's
    GeoJSON (feature ids are region names), grey where there is no value, each region named."""
    geojson = d3_wound(geojson)  # a BoundaryMatch's features are all MultiPolygons
    measured = table.dropna(subset=["value"])
    unmeasured = table[table["value"].isna()]
    percent = kind in ("score", "ratio")
    traces = [
        go.Choropleth(
            geojson=geojson,
            featureidkey="id",
            locations=measured["region"],
            z=measured["value"],
            zmin=0,
            zmax=1 if percent else float(measured["value"].max() or 1),
            colorscale=GAP_SCALE,
            marker_line_color="#555555",
            marker_line_width=1,
            text=[shown(region) for region in measured["region"]],
            hovertemplate="<b>%{text}</b><br>%{z" + (":.0%" if percent else ":.2f") + "}<extra></extra>",
            colorbar={"title": "", "tickformat": ".0%" if percent else None, "thickness": 18},
        )
    ]
    if len(unmeasured):
        traces.append(
            go.Choropleth(
                geojson=geojson,
                featureidkey="id",
                locations=unmeasured["region"],
                z=[0] * len(unmeasured),
                colorscale=[[0, NO_DATA], [1, NO_DATA]],
                showscale=False,
                marker_line_color="#555555",
                marker_line_width=1,
                text=[shown(region) for region in unmeasured["region"]],
                hovertemplate="<b>%{text}</b><br>" + shown(t("charts.no_data", language)) + "<extra></extra>",
            )
        )
    middles = region_middles(geojson)
    traces.append(
        go.Scattergeo(
            lon=middles["lon"],
            lat=middles["lat"],
            text=[shown(region) for region in middles["region"]],
            mode="text",
            textfont=LABEL_FONT,
            hoverinfo="skip",
            showlegend=False,
        )
    )
    figure = go.Figure(traces)
    figure.update_geos(fitbounds="locations", visible=False)
    figure.update_layout(
        title=shown(title),
        font={"size": 15},
        height=620,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=number_separators(language),  # hover numbers as the report's language writes them
    )
    return figure
