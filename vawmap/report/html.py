"""The report as one HTML file that opens offline and prints as an A4 brief.

Everything it needs is inside it: plotly.js inlined once, each figure as a <div> and a script,
the styles. It asks no host for anything (no CDN, no font, no MathJax, no map tiles: the maps
draw on a white background), and its Content-Security-Policy forbids any request, so a
participant's browser stays silent even if something slipped in. Every text from the data or
the catalogues goes through html.escape: names in an upload can be hostile.
"""

from __future__ import annotations

import html
import json
import math

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from vawmap.charts import GAP_SCALE, text_colour_on
from vawmap.i18n import t
from vawmap.messages import Percent, Quantity, date_text, render
from vawmap.report.content import COUNT, DATE, NUMBER, RATIO, TEXT, YES_NO, Report, Section, Table, yes_no_word

# No request to any host: scripts and styles inline only; MapLibre's workers and images come
# from blob: and data: URLs the page makes itself.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; style-src 'unsafe-inline'; "
    "img-src data: blob:; worker-src blob:; child-src blob:; connect-src data: blob:; font-src data:"
)
# Plotly's SVG map asks a CDN for a world base map (topojson) unless one is already on the page.
# The report's map draws no base map (geo.visible is False), so it is given an empty one.
GEO_LAYERS = ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
EMPTY_BASE_MAP = json.dumps(
    {
        "type": "Topology",
        "arcs": [],
        "objects": {name: {"type": "GeometryCollection", "geometries": []} for name in GEO_LAYERS},
    }
)
GEO_ASSETS = f"window.PlotlyGeoAssets = {{topojson: {{world_110m: {EMPTY_BASE_MAP}, world_50m: {EMPTY_BASE_MAP}}}}};"
FIGURE_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["toImage"]}
# Ratio cells in the map's colours, red (gap) to blue (met), by quarter of the standard met;
# the text dark or white, whichever stands out (as on the tile grid).
RATIO_SHADES = tuple(
    (top, shade, text_colour_on(shade)) for top, shade in zip((0.25, 0.5, 0.75, 1.0, math.inf), GAP_SCALE, strict=True)
)

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 16px; line-height: 1.45; color: #111; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 32px 0 8px; border-bottom: 2px solid #333; padding-bottom: 4px; }
.made { color: #444; margin: 0 0 16px; }
nav ol { columns: 2; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
td.number { text-align: right; white-space: nowrap; }
.figure { margin: 8px 0 16px; break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-before: auto; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr, .figure { break-inside: avoid; page-break-inside: avoid; }
  td, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .modebar { display: none !important; }
}
"""


def report_html(report: Report) -> bytes:
    """The report as a UTF-8 HTML document."""
    language = report.language
    escape = html.escape
    contents = "".join(
        f'<li><a href="#{section.key}">{escape(t(f"report.section.{section.key}", language))}</a></li>'
        for section in report.sections
    )
    body = "".join(_section(section, language) for section in report.sections)
    document = (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n"
        f'<script type="text/javascript">{GEO_ASSETS}</script>\n'
        f'<script type="text/javascript">{get_plotlyjs()}</script>\n</head>\n<body>\n'
        f"<header><h1>{escape(report.title)}</h1>"
        f'<p class="made">{escape(t("report.made", language, date=date_text(report.made, language)))}</p></header>\n'
        f"<nav><ol>{contents}</ol></nav>\n{body}</body>\n</html>\n"
    )
    return document.encode("utf-8")


def _section(section: Section, language: str) -> str:
    parts = [f'<section id="{section.key}">', f"<h2>{html.escape(t(f'report.section.{section.key}', language))}</h2>"]
    parts += [f"<p>{html.escape(paragraph)}</p>" for paragraph in section.paragraphs]
    if section.items:
        parts.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in section.items) + "</ul>")
    parts += [_figure(figure) for figure in section.figures]
    parts += [_table(table, language) for table in section.tables]
    parts.append("</section>\n")
    return "\n".join(parts)


def _figure(figure: go.Figure) -> str:
    """A figure's <div> and script; plotly.js itself is in the head, once. Plotly writes the
    figure's JSON with '</' escaped, and every text in it went through charts.shown()."""
    drawn = figure.to_html(
        include_plotlyjs=False, include_mathjax=False, full_html=False, config=FIGURE_CONFIG, default_width="100%"
    )
    return f'<div class="figure">{drawn}</div>'


def _table(table: Table, language: str) -> str:
    if len(table.frame.columns) and table.frame.empty:
        return ""
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in table.frame.columns)
    rows = []
    for row in table.frame.itertuples(index=False):
        rows.append("<tr>" + "".join(_cell(value, kind, language) for value, kind in zip(row, table.kinds)) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value, kind: str, language: str) -> str:
    if kind == TEXT:
        return f"<td>{html.escape('' if value is None else str(value))}</td>"
    if kind == YES_NO:
        word = yes_no_word(value)
        return f"<td>{html.escape(t(f'report.{word}', language))}</td>"
    if kind == DATE:
        return f"<td>{html.escape(date_text(value, language))}</td>"
    if kind == RATIO:
        if value is None or value != value:
            return '<td class="number">—</td>'
        background, colour = next((shade, text) for top, shade, text in RATIO_SHADES if value < top)
        return (
            f'<td class="number" style="background:{background};color:{colour}">{render(Percent(value), language)}</td>'
        )
    assert kind in (COUNT, NUMBER)
    return f'<td class="number">{html.escape(render(Quantity(value), language))}</td>'
