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
import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb

from vawmap.dashboard.labels import LABEL_FONT_PX, place_labels, short_name
from vawmap.dashboard.network_drawing import NetworkDrawing
from vawmap.dashboard.stakeholders import GRID_MIDPOINT, SECTOR_NOT_GIVEN
from vawmap.i18n import label, t
from vawmap.map_labels import region_labels
from vawmap.messages import number_separators
from vawmap.rules import SECTOR_FAMILIES, SECTOR_FAMILY

# Projected at 1440×900 from the back of a room: no text under 14 px, all of it dark.
MIN_FONT_PX = 14
TEXT_COLOUR = "#222222"
FONT = {"size": 16, "color": TEXT_COLOUR}
HOVER_LABEL = {"font": {"size": 15}}
LEGEND_ABOVE = {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0}  # clear of the first bar
ANNOTATION_FONT = {"size": 16, "color": "#333333"}
CELL_FONT = {"size": 15}  # numbers written in heatmap cells (plotly picks dark or light by contrast)
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
NO_SECTOR = "#999999"
# One hue per sector family (vawmap/data/rules.toml [sector_families]); a family's sectors in its shades.
FAMILY_SCALES = {
    "government": "Blues",
    "justice_security": "Purples",
    "health_social": "Greens",
    "civil_society": "Oranges",
    "international": "PuRd",
}
SHADES = (0.95, 0.45)  # darkest to lightest point of a family's scale that is still strong
# The tile grid: strong colours from red (gap) to blue (met), with a name on every tile.
TILE_SCALE = ["#b2182b", "#ef8a62", "#f4d35e", "#67a9cf", "#2166ac"]
TILE_PX = 104
TILE_LINE_CHARACTERS = 11  # a name is wrapped onto lines this long (14 px text in a 104 px tile)
TILE_LINES = 3
# Estimated size of the plot area (pixels) of the grid and the network, for label placement; on
# the smaller side of what a 1440×900 screen shows, so that names placed apart stay apart.
GRID_PLOT_PX = (560, 520)  # beside a legend of sector names cut at 36 characters
LEGEND_LONGEST = 36
GRID_HEIGHT_PX = 640
NETWORK_PLOT_PX = (860, 540)


def shown(text: object) -> str:
    """A text as plotly shows it literally: its <, > and & written as entities."""
    return html.escape(str(text), quote=False)


def _all_shown(texts: Iterable[object]) -> list[str]:
    return [shown(text) for text in texts]


def sector_label(sector: object, language: str = "en") -> str:
    """A sector's label; 'sector not given' for an actor without one (never hidden)."""
    if sector is None or pd.isna(sector) or sector == SECTOR_NOT_GIVEN:
        return t("stakeholders.sector_not_given", language)
    return label("sector", str(sector), language)


def _layout(figure: go.Figure, language: str, height: int = 480, **extra) -> go.Figure:
    figure.update_layout(
        separators=number_separators(language),  # ticks and hover numbers as the language writes them
        font=FONT,
        hoverlabel=HOVER_LABEL,
        height=height,
        margin=extra.pop("margin", {"l": 10, "r": 10, "t": 40, "b": 10}),
        **extra,
    )
    # Streamlit's chart theme writes legend, title and axis text at 12 px unless a figure says otherwise.
    figure.update_layout(legend_font=FONT, legend_title_font=FONT, title_font={**FONT, "size": 18})
    figure.update_xaxes(tickfont=FONT, title_font=FONT)
    figure.update_yaxes(tickfont=FONT, title_font=FONT)
    return figure


CHANGE = "change"  # a measure's kind for a change between two versions, in points of %


def _percent_colorbar(kind: str) -> dict:
    """The colour bar of a measure: in % where the tables show % (scores and ratios)."""
    bar: dict = {"title": {"text": ""}, "tickfont": {"size": FONT["size"], "color": TEXT_COLOUR}}
    if kind in ("score", "ratio"):
        bar["tickformat"] = ".0%"
    elif kind == CHANGE:
        bar["tickformat"] = "+.0%"
    return bar


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb or rgb(...) colour."""
    rgb = hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)
    channels = np.array(rgb, dtype=float) / 255
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(background: str) -> str:
    """Dark or white text, whichever stands out more on the background."""
    return "#ffffff" if contrast("#ffffff", background) > contrast(TEXT_COLOUR, background) else TEXT_COLOUR


def sector_colours(sectors: Iterable[str]) -> dict[str, str]:
    """A colour for each sector: its family's hue, one shade per sector of that family present."""
    present = sorted(set(sectors), key=_sector_order)
    colours: dict[str, str] = {}
    for family in SECTOR_FAMILIES:
        members = [sector for sector in present if SECTOR_FAMILY.get(sector) == family]
        if not members:
            continue
        points = np.linspace(*SHADES, len(members)) if len(members) > 1 else [sum(SHADES) / 2]
        colours.update(zip(members, sample_colorscale(FAMILY_SCALES[family], list(points))))
    for sector in present:
        colours.setdefault(sector, NO_SECTOR)
    return colours


def _sector_order(sector: str) -> tuple[int, str]:
    family = SECTOR_FAMILY.get(sector)
    return (SECTOR_FAMILIES.index(family) if family else len(SECTOR_FAMILIES), sector)


def _family_title(sector: str, language: str) -> str:
    family = SECTOR_FAMILY.get(sector)
    return shown(t(f"charts.family.{family}", language)) if family else ""


def _value_range(values: pd.Series, kind: str) -> tuple[float, float]:
    if kind in ("score", "ratio"):
        return 0.0, 1.0  # ratios above 1 (standard exceeded) show as fully met
    if kind == CHANGE:  # around no change, so that worse is red and better blue whatever the sizes
        widest = values.abs().max(skipna=True)
        widest = float(widest) if pd.notna(widest) and widest > 0 else 1.0
        return -widest, widest
    top = values.max(skipna=True)
    return 0.0, float(top) if pd.notna(top) and top > 0 else 1.0


def _value_format(kind: str) -> str:
    if kind == CHANGE:
        return ":+.0%"
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
    labels = region_labels(geojson, list(table["region"]), zoom)
    if labels.layer is not None:
        # meta: the names written (escaped like every text a figure holds), for checks in a browser.
        figure.update_layout(map_layers=[labels.layer], meta={"region_names": _all_shown(labels.names)})
    return _layout(figure, language, height=560, coloraxis_colorbar=_percent_colorbar(kind))


def tile_name(name: object) -> str:
    """A region name as written on its tile: wrapped onto short lines, cut with "…" past three."""
    lines = textwrap.wrap(" ".join(str(name).split()), TILE_LINE_CHARACTERS, break_long_words=True) or [""]
    if len(lines) > TILE_LINES:
        lines = lines[:TILE_LINES]
        lines[-1] = lines[-1][: TILE_LINE_CHARACTERS - 1] + "…"
    return "<br>".join(shown(line) for line in lines)


def tile_map(
    table: pd.DataFrame, grid: pd.DataFrame, title: str, kind: str, selected: str | None = None, language: str = "en"
) -> go.Figure:
    """Without boundaries: one tile per region, coloured like the map, clickable the same way;
    regions without a value are grey tiles. Each name is written on its tile in dark or white,
    whichever stands out on the tile's colour."""
    tiles = grid.merge(table, on="region", how="left")
    low, high = _value_range(tiles["value"], kind)
    traces = []
    for has_value, tiles_of in tiles.groupby(tiles["value"].notna()):
        outline = {
            "color": ["#000000" if name == selected else "#ffffff" for name in tiles_of["region"]],
            "width": [4 if name == selected else 1 for name in tiles_of["region"]],
        }
        marker = {"symbol": "square", "size": TILE_PX, "line": outline}
        if has_value:
            position = ((tiles_of["value"].clip(low, high) - low) / ((high - low) or 1)).tolist()
            colours = sample_colorscale(TILE_SCALE, position)
            marker.update(
                color=tiles_of["value"],
                colorscale=TILE_SCALE,
                cmin=low,
                cmax=high,
                showscale=True,
                colorbar=_percent_colorbar(kind),
            )
            hover = "%{hovertext}: %{marker.color" + _value_format(kind) + "}<extra></extra>"
        else:
            colours = [NO_DATA] * len(tiles_of)
            marker.update(color=NO_DATA)
            hover = "%{hovertext}: " + shown(t("charts.no_data", language)) + "<extra></extra>"
        traces.append(
            go.Scatter(
                x=tiles_of["column"],
                y=-tiles_of["row"],
                mode="markers+text",
                text=[tile_name(name) for name in tiles_of["region"]],
                hovertext=_all_shown(tiles_of["region"]),
                customdata=tiles_of["region"],  # a click reads the region back: the name as it is
                textposition="middle center",
                textfont={"size": MIN_FONT_PX, "color": [text_colour_on(colour) for colour in colours]},
                marker=marker,
                hovertemplate=hover,
                showlegend=False,
                cliponaxis=False,
            )
        )
    figure = go.Figure(traces)
    rows = int(grid["row"].max()) + 1 if len(grid) else 1
    columns = int(grid["column"].max()) + 1 if len(grid) else 1
    figure.update_xaxes(visible=False, range=[-0.6, columns - 0.4])
    figure.update_yaxes(visible=False, scaleanchor="x", range=[-rows + 0.4, 0.6])
    return _layout(figure, language, height=max(380, (TILE_PX + 16) * rows + 80), title=shown(title))


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
    figure.update_traces(textfont=CELL_FONT)
    figure.update_xaxes(side="top", tickangle=-35)
    return _layout(figure, language, height=max(360, 28 * len(matrix) + 160), coloraxis_showscale=False)


def standard_bars(bars: pd.DataFrame, unit: str, language: str = "en") -> go.Figure:
    """Required vs actual per region for one standard."""
    regions = _all_shown(bars["region"])
    figure = go.Figure(
        [
            go.Bar(name=shown(t("charts.required", language)), x=regions, y=bars["required"], marker_color="#bbbbbb"),
            go.Bar(name=shown(t("charts.actual", language)), x=regions, y=bars["actual"], marker_color="#4575b4"),
        ]
    )
    return _layout(
        figure,
        language,
        barmode="group",
        yaxis_title=shown(unit),
        legend=LEGEND_ABOVE,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )


def sector_level_heatmap(matrix: pd.DataFrame, language: str = "en") -> go.Figure:
    rows = _all_shown(sector_label(sector, language) for sector in matrix.index)
    columns = _all_shown(label("level", level, language) if level != "unknown" else "?" for level in matrix.columns)
    figure = px.imshow(
        matrix.to_numpy(), x=columns, y=rows, text_auto=True, aspect="auto", color_continuous_scale="Blues"
    )
    figure.update_traces(textfont=CELL_FONT)
    figure.update_xaxes(side="top")
    return _layout(figure, language, height=max(360, 30 * len(matrix) + 120), coloraxis_showscale=False)


def _sector_traces(
    points: pd.DataFrame, placed: pd.DataFrame, hovertemplate: str, customdata: list, language: str, marker: dict
) -> list[go.Scatter]:
    """One trace per sector (legend: the sector's label under its family's title), dots in the
    sector's colour, the placed names beside their dots."""
    colours = sector_colours(points["sector"].dropna().astype(str))
    key = points["sector"].astype("string").fillna("")
    traces = []
    for sector in sorted(set(key), key=lambda value: _sector_order(value) if value else (99, "")):
        chosen = (key == sector).to_numpy()
        rows, names = points[chosen], placed[chosen]
        traces.append(
            go.Scatter(
                x=rows["x"],
                y=rows["y"],
                mode="markers+text",
                name=shown(short_name(sector_label(sector or None, language), LEGEND_LONGEST)),  # whole on hover
                legendgroup=SECTOR_FAMILY.get(sector, "other"),
                legendgrouptitle={"text": _family_title(sector, language), "font": {"size": FONT["size"]}},
                text=_all_shown(names["label"]),
                textposition=list(names["position"]),
                textfont={"size": LABEL_FONT_PX, "color": TEXT_COLOUR},
                hovertext=_all_shown(rows["name"]),
                customdata=[customdata[i] for i in np.flatnonzero(chosen)],
                hovertemplate=hovertemplate,
                marker={**marker, "color": colours.get(sector, NO_SECTOR)},
                cliponaxis=False,
            )
        )
    return traces


def influence_interest_grid(table: pd.DataFrame, language: str = "en") -> go.Figure:
    """Mendelow's grid: interest across, influence up, the four quadrants named. Every actor's
    name is written beside its dot up to 40 actors, otherwise the 40 most influential's; names
    that would overlap are left to the hover."""
    x_range, y_range = (0.3, 5.7), (0.1, 5.9)
    table = table.reset_index(drop=True)
    placed = place_labels(
        table["x"],
        table["y"],
        table["name"],
        table["influence"] * 10 + table["interest"],
        x_range,
        y_range,
        GRID_PLOT_PX,
    )
    engagement = [
        "—" if value is None or pd.isna(value) else label("engagement", str(value), language)
        for value in table["engagement"]
    ]
    customdata = [
        [shown(sector_label(sector, language)), f"{influence:g}", f"{interest:g}", shown(said)]
        for sector, influence, interest, said in zip(table["sector"], table["influence"], table["interest"], engagement)
    ]
    hover = (
        "<b>%{hovertext}</b><br>%{customdata[0]}<br>"
        + shown(t("stakeholders.influence", language))
        + ": %{customdata[1]}<br>"
        + shown(t("stakeholders.interest", language))
        + ": %{customdata[2]}<br>"
        + shown(t("charts.engagement", language))
        + ": %{customdata[3]}<extra></extra>"
    )
    marker = {"size": 13, "line": {"width": 1, "color": "#ffffff"}}
    figure = go.Figure(_sector_traces(table, placed, hover, customdata, language, marker))
    middle = GRID_MIDPOINT + 0.5
    for x, y, key in (
        (4.6, 5.75, "manage_closely"),
        (1.9, 5.75, "keep_satisfied"),
        (4.6, 0.25, "keep_informed"),
        (1.9, 0.25, "monitor"),
    ):
        figure.add_annotation(
            x=x,
            y=y,
            text=f"<b>{shown(t(f'stakeholders.quadrant.{key}', language))}</b>",
            showarrow=False,
            font=ANNOTATION_FONT,
        )
    figure.add_hline(y=middle, line_dash="dot", line_color="#666666")
    figure.add_vline(x=middle, line_dash="dot", line_color="#666666")
    figure.update_xaxes(range=list(x_range), title=shown(t("stakeholders.interest", language)), dtick=1)
    figure.update_yaxes(range=list(y_range), title=shown(t("stakeholders.influence", language)), dtick=1)
    return _layout(
        figure, language, height=GRID_HEIGHT_PX, legend={"title": {"text": shown(t("charts.sector", language))}}
    )


def network_chart(drawing: NetworkDrawing, language: str = "en") -> go.Figure:
    """Links coloured by type (one legend entry each), actors as dots; brokers as stars and
    isolated actors as hollow circles. The names of the 40 most connected actors (by degree, then
    betweenness) are written beside their dots where they do not overlap; all on hover."""
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
                line={"width": 1.5, "color": LINK_COLOURS.get(link_type, "#999999")},
                hoverinfo="skip",
                opacity=0.6,
            )
        )
    nodes = drawing.nodes.reset_index(drop=True)
    x_range, y_range = _padded(nodes["x"]), _padded(nodes["y"])
    # Betweenness (0 to 1) only breaks ties between actors with as many links.
    priority = nodes["degree"].fillna(0).astype(float) + nodes["betweenness"].fillna(0).astype(float).clip(0, 0.999)
    placed = place_labels(nodes["x"], nodes["y"], nodes["name"], priority, x_range, y_range, NETWORK_PLOT_PX)
    links_count = shown(t("charts.links_count", language, count="%{customdata[1]}"))
    for key, chosen, symbol in (
        ("actors", ~nodes["broker"] & ~nodes["isolated"], "circle"),
        ("brokers", nodes["broker"], "star"),
        ("isolated", nodes["isolated"], "circle-open"),
    ):
        mask = chosen.fillna(False).astype(bool).to_numpy()
        drawn, names = nodes[mask], placed[mask]
        traces.append(
            go.Scatter(
                x=drawn["x"],
                y=drawn["y"],
                mode="markers+text",
                name=shown(t(f"stakeholders.network_{key}", language)),
                text=_all_shown(names["label"]),
                textposition=list(names["position"]),
                textfont={"size": LABEL_FONT_PX, "color": TEXT_COLOUR},
                hovertext=_all_shown(drawn["name"]),
                customdata=[
                    [shown(sector_label(sector, language)), degree]
                    for sector, degree in zip(drawn["sector"], drawn["degree"])
                ],
                hovertemplate="<b>%{hovertext}</b><br>%{customdata[0]}, " + links_count + "<extra></extra>",
                marker={
                    "symbol": symbol,
                    "size": 16 if key == "brokers" else 10,
                    "color": "#222222" if key != "brokers" else "#ffb000",
                    "line": {"width": 1, "color": "#222222"},
                },
                cliponaxis=False,
            )
        )
    figure = go.Figure(traces)
    figure.update_xaxes(visible=False, range=list(x_range))
    figure.update_yaxes(visible=False, range=list(y_range))
    return _layout(figure, language, height=660, legend={"orientation": "h", "y": -0.05})


def _padded(values: pd.Series) -> tuple[float, float]:
    """An axis range around the values with room for a name on either side."""
    low, high = values.min(skipna=True), values.max(skipna=True)
    if pd.isna(low) or pd.isna(high):
        return -1.0, 1.0
    pad = max((high - low) * 0.08, 0.5)
    return float(low - pad), float(high + pad)


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
    return _layout(
        figure,
        language,
        height=max(320, 30 * len(bars) + 100),
        legend={**LEGEND_ABOVE, "title": ""},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )


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
    return _layout(figure, language, height=420, legend={"orientation": "h", "y": -0.2})
