"""Plotly figures for the dashboard, built from the aggregated tables of vawmap.dashboard and vawmap.geo.

Made for a projector: large type, few colours, every trace named. Maps use MapLibre on a
white background (`map_style="white-bg"`): no tiles and no CDN, so nothing leaves the host.

Plotly reads the text it draws (labels, hovers, legend and axis names, titles) as a little
HTML: <b>, <a href>, <br>, entities. So every text a figure shows goes through `shown()`, ours
included, and only the markup written here (<b>, <br>, %{...}, <extra>) stays markup. Region
names that identify a shape or a tile (locations, customdata) stay as they are: the map matches
them to the boundaries and a click reads them back.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from vawmap.dashboard.network_drawing import NetworkDrawing
from vawmap.dashboard.stakeholders import GRID_MIDPOINT
from vawmap.i18n import label, t

FONT = {"size": 15}
STATUS_COLOURS = {"covered": "#1a9850", "partial": "#fdae61", "missing": "#d73027"}
# Red (gap) to blue (met): readable by most colour-blind people, unlike red to green.
GAP_SCALE = ["#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4"]
LINK_COLOURS = {
    "referral": "#d73027",
    "coordination": "#4575b4",
    "funding": "#1a9850",
    "information_sharing": "#984ea3",
    "reporting": "#ff7f00",
}
SELECTED_LINE = {"color": "#000000", "width": 3}
NO_DATA = "#d9d9d9"


def shown(text: object) -> str:
    """A text as plotly shows it literally: its <, > and & written as entities."""
    return html.escape(str(text), quote=False)


def _all_shown(texts: Iterable[object]) -> list[str]:
    return [shown(text) for text in texts]


def _layout(figure: go.Figure, height: int = 480, **extra) -> go.Figure:
    figure.update_layout(font=FONT, height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10}, **extra)
    return figure


def _value_range(values: pd.Series, kind: str) -> tuple[float, float]:
    if kind in ("score", "ratio"):
        return 0.0, 1.0  # ratios above 1 (standard exceeded) show as fully met
    top = values.max(skipna=True)
    return 0.0, float(top) if pd.notna(top) and top > 0 else 1.0


def _value_format(kind: str) -> str:
    return ":.0%" if kind in ("score", "ratio") else ":.2f"


def choropleth(
    table: pd.DataFrame,
    geojson: dict,
    center: dict,
    zoom: float,
    title: str,
    kind: str,
    selected: str | None = None,
    language: str = "en",
) -> go.Figure:
    """Regions coloured by `value` (the region names are the feature ids). A region without a
    value (no population, say) is drawn grey beneath, still hoverable and clickable: plotly
    would otherwise leave a hole where it is."""
    table = table.assign(region_shown=_all_shown(table["region"]))
    measured = table.dropna(subset=["value"])
    figure = px.choropleth_map(
        measured,
        geojson=geojson,
        locations="region",
        featureidkey="id",
        color="value",
        color_continuous_scale=GAP_SCALE,
        range_color=_value_range(table["value"], kind),
        map_style="white-bg",
        center=center,
        zoom=zoom,
        opacity=0.85,
        hover_name="region_shown",
        hover_data={"region": False, "value": _value_format(kind), "coverage_score": ":.0%", "unmet_standards": True},
        labels={
            "value": shown(title),
            "coverage_score": shown(t("charts.coverage", language)),
            "unmet_standards": shown(t("charts.unmet_standards", language)),
        },
    )
    figure.update_traces(marker_line_color="#555555", marker_line_width=1)
    unmeasured = table[table["value"].isna()]
    if len(unmeasured):
        figure.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                locations=unmeasured["region"],
                hovertext=unmeasured["region_shown"],
                featureidkey="id",
                z=[0] * len(unmeasured),
                colorscale=[[0, NO_DATA], [1, NO_DATA]],
                showscale=False,
                marker_line_color="#555555",
                marker_line_width=1,
                name=shown(t("charts.no_data", language)),
                hovertemplate="<b>%{hovertext}</b><br>" + shown(t("charts.no_data", language)) + "<extra></extra>",
            )
        )
    if selected in set(table["region"]):
        # Only the selected shape, transparent, with a thick outline (marker opacity would hide
        # the outline too); a second copy of every shape would double what the browser receives.
        shape = {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] == selected]}
        figure.add_trace(
            go.Choroplethmap(
                geojson=shape,
                locations=[selected],
                featureidkey="id",
                z=[0],
                showscale=False,
                hoverinfo="skip",
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                marker_line=SELECTED_LINE,
                name=shown(selected),
            )
        )
    return _layout(figure, height=560, coloraxis_colorbar={"title": ""})


def tile_map(
    table: pd.DataFrame, grid: pd.DataFrame, title: str, kind: str, selected: str | None = None, language: str = "en"
) -> go.Figure:
    """Without boundaries: one tile per region, coloured like the map, clickable the same way;
    regions without a value are grey tiles."""
    tiles = grid.merge(table, on="region", how="left")
    low, high = _value_range(tiles["value"], kind)
    traces = []
    for has_value, tiles_of in tiles.groupby(tiles["value"].notna()):
        outline = {
            "color": ["#000000" if name == selected else "#ffffff" for name in tiles_of["region"]],
            "width": [4 if name == selected else 1 for name in tiles_of["region"]],
        }
        marker = {"symbol": "square", "size": 70, "line": outline}
        if has_value:
            marker.update(
                color=tiles_of["value"],
                colorscale=GAP_SCALE,
                cmin=low,
                cmax=high,
                showscale=True,
                colorbar={"title": ""},
            )
            hover = "%{text}: %{marker.color" + _value_format(kind) + "}<extra></extra>"
        else:
            marker.update(color=NO_DATA)
            hover = "%{text}: " + shown(t("charts.no_data", language)) + "<extra></extra>"
        traces.append(
            go.Scatter(
                x=tiles_of["column"],
                y=-tiles_of["row"],
                mode="markers+text",
                text=_all_shown(tiles_of["region"]),
                customdata=tiles_of["region"],  # a click reads the region back: the name as it is
                textposition="middle center",
                textfont={"size": 12},
                marker=marker,
                hovertemplate=hover,
                showlegend=False,
            )
        )
    figure = go.Figure(traces)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x")
    return _layout(figure, height=max(360, 110 * (int(grid["row"].max()) + 1 if len(grid) else 1)), title=shown(title))


def service_heatmap(matrix: pd.DataFrame, language: str = "en") -> go.Figure:
    """Region × service type counts of active services."""
    columns = _all_shown(label("service_type", kind, language) for kind in matrix.columns)
    figure = px.imshow(
        matrix.to_numpy(),
        x=columns,
        y=_all_shown(matrix.index),
        text_auto=True,
        aspect="auto",
        color_continuous_scale="Blues",
    )
    figure.update_xaxes(side="top", tickangle=-35)
    return _layout(figure, height=max(360, 28 * len(matrix) + 160), coloraxis_showscale=False)


def standard_bars(bars: pd.DataFrame, unit: str, language: str = "en") -> go.Figure:
    """Required vs actual per region for one standard."""
    regions = _all_shown(bars["region"])
    figure = go.Figure(
        [
            go.Bar(name=shown(t("charts.required", language)), x=regions, y=bars["required"], marker_color="#bbbbbb"),
            go.Bar(name=shown(t("charts.actual", language)), x=regions, y=bars["actual"], marker_color="#4575b4"),
        ]
    )
    return _layout(figure, barmode="group", yaxis_title=shown(unit), legend={"orientation": "h", "y": 1.1})


def sector_level_heatmap(matrix: pd.DataFrame, language: str = "en") -> go.Figure:
    rows = _all_shown(label("sector", sector, language) for sector in matrix.index)
    columns = _all_shown(label("level", level, language) if level != "unknown" else "?" for level in matrix.columns)
    figure = px.imshow(
        matrix.to_numpy(), x=columns, y=rows, text_auto=True, aspect="auto", color_continuous_scale="Blues"
    )
    figure.update_xaxes(side="top")
    return _layout(figure, height=max(360, 26 * len(matrix) + 120), coloraxis_showscale=False)


def influence_interest_grid(table: pd.DataFrame, language: str = "en") -> go.Figure:
    """Mendelow's grid: interest across, influence up, the four quadrants named."""
    figure = px.scatter(
        table.assign(name=_all_shown(table["name"]), sector=_all_shown(table["sector"])),
        x="x",
        y="y",
        color="sector",
        hover_name="name",
        hover_data={"x": False, "y": False, "influence": True, "interest": True, "engagement": True, "quadrant": False},
    )
    figure.update_traces(marker={"size": 12, "line": {"width": 1, "color": "#ffffff"}})
    middle = GRID_MIDPOINT + 0.5
    for x, y, key in (
        (4.6, 5.6, "manage_closely"),
        (1.9, 5.6, "keep_satisfied"),
        (4.6, 0.4, "keep_informed"),
        (1.9, 0.4, "monitor"),
    ):
        figure.add_annotation(
            x=x,
            y=y,
            text=f"<b>{shown(t(f'stakeholders.quadrant.{key}', language))}</b>",
            showarrow=False,
            font={"size": 16, "color": "#555555"},
        )
    figure.add_hline(y=middle, line_dash="dot", line_color="#888888")
    figure.add_vline(x=middle, line_dash="dot", line_color="#888888")
    figure.update_xaxes(range=[0.3, 5.7], title=shown(t("stakeholders.interest", language)), dtick=1)
    figure.update_yaxes(range=[0.1, 5.9], title=shown(t("stakeholders.influence", language)), dtick=1)
    return _layout(figure, height=600)


def network_chart(drawing: NetworkDrawing, language: str = "en") -> go.Figure:
    """Links coloured by type (one legend entry each), actors as dots; brokers as stars and
    isolated actors as hollow circles."""
    traces = []
    for link_type, links in drawing.edges.groupby("link_type", sort=True):
        xs, ys = [], []
        for row in links.itertuples():
            xs += [row.x0, row.x1, None]
            ys += [row.y0, row.y1, None]
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=shown(label("link_type", link_type, language)),
                line={"width": 1.2, "color": LINK_COLOURS.get(link_type, "#999999")},
                hoverinfo="skip",
                opacity=0.6,
            )
        )
    nodes = drawing.nodes
    for key, chosen, symbol in (
        ("actors", ~nodes["broker"] & ~nodes["isolated"], "circle"),
        ("brokers", nodes["broker"], "star"),
        ("isolated", nodes["isolated"], "circle-open"),
    ):
        drawn = nodes[chosen.astype(bool)]
        traces.append(
            go.Scatter(
                x=drawn["x"],
                y=drawn["y"],
                mode="markers",
                name=shown(t(f"stakeholders.network_{key}", language)),
                text=_all_shown(drawn["name"]),
                customdata=list(zip(_all_shown(drawn["sector"]), drawn["degree"])),
                hovertemplate="<b>%{text}</b><br>%{customdata[0]}, %{customdata[1]} links<extra></extra>",
                marker={
                    "symbol": symbol,
                    "size": 16 if key == "brokers" else 9,
                    "color": "#222222" if key != "brokers" else "#ffb000",
                    "line": {"width": 1, "color": "#222222"},
                },
            )
        )
    figure = go.Figure(traces)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(figure, height=620, legend={"orientation": "h", "y": -0.05})


def status_bars(coverage: pd.DataFrame, name_column: str, vocabulary_name: str, language: str = "en") -> go.Figure:
    """One bar per sector (or function): its number of actors, coloured by status."""
    bars = coverage.assign(
        label=_all_shown(label(vocabulary_name, value, language) for value in coverage[name_column]),
        status_label=_all_shown(t(f"coverage.status.{status}", language) for status in coverage["status"]),
    )
    colours = {shown(t(f"coverage.status.{status}", language)): colour for status, colour in STATUS_COLOURS.items()}
    figure = px.bar(
        bars,
        x="actor_count",
        y="label",
        color="status_label",
        orientation="h",
        color_discrete_map=colours,
        category_orders={"label": list(bars["label"])},
        labels={"status_label": "", "actor_count": shown(t("coverage.actor_count", language)), "label": ""},
    )
    figure.update_yaxes(title="", autorange="reversed")
    figure.update_xaxes(title=shown(t("coverage.actor_count", language)))
    return _layout(figure, height=max(320, 30 * len(bars) + 100), legend={"orientation": "h", "y": 1.08, "title": ""})


def score_lines(trend: pd.DataFrame, language: str = "en") -> go.Figure:
    """Each actor's scorecard score (0 to 10) year by year, one line each (vawmap.scorecards.score_trend)."""
    figure = go.Figure(
        [
            go.Scatter(
                x=rows["year"],
                y=rows["score"],
                mode="lines+markers",
                name=shown(name),
                hovertemplate="%{x}: %{y:.1f}<extra>" + shown(name) + "</extra>",
            )
            for name, rows in trend.groupby("name", sort=True)
        ]
    )
    figure.update_xaxes(dtick=1, title=shown(t("workshop.year", language)))
    figure.update_yaxes(range=[0, 10.3], title=shown(t("workshop.score", language)))
    return _layout(figure, height=420, legend={"orientation": "h", "y": -0.2})
