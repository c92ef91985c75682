"""Uploaded text is text: names full of Markdown, HTML and KaTeX show as typed on every page,
in every chart, and ordinary names exactly as before.

Streamlit reads nearly every text it shows as Markdown; an element's `value` (or `label`) in
AppTest is that Markdown source. `shown_as_typed(source, name)` is this file's reading of it:
the name is there, each character that would make markup is backslash-escaped (CommonMark), and
nothing Streamlit reads after escapes are undone (autolinks, shortcodes, arrows) is left whole.
The browser test (tests/e2e/test_browser.py) checks the same dataset in the real renderer.
"""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import AlertBase, Expander, HeadingBase, Markdown, Metric, Radio, Tab, Widget

from app_pages.shared import md
from tests.hostile_text import (
    ACTORS,
    BODY,
    BROKER,
    HOSTILE_FILE_NAME,
    ISOLATED,
    MARKUP,
    ORDINARY_ACTOR,
    ORDINARY_REGION,
    POLICE,
    REGION_BOLD_IMAGE,
    REGION_IMAGE_KATEX,
    REGIONS,
    SHAPE,
    hostile_boundaries,
    hostile_workbook,
)
from vawmap.dataset import Dataset
from vawmap.gaps.assess import assess
from vawmap.ingest import ingest
from vawmap.messages import Quantity, Term, message, render

APP = str(Path(__file__).parents[1] / "app.py")
NAMES = (*REGIONS, *ACTORS, BODY, SHAPE, HOSTILE_FILE_NAME)
HOSTILE_NAMES = tuple(name for name in NAMES if name not in (ORDINARY_REGION, ORDINARY_ACTOR))
# Names plotly would read as HTML (a tag or an entity).
HTML_NAMES = tuple(name for name in NAMES if re.search(r"[<>&]", name))

# Ordinary text: md() leaves it exactly as it was.
ORDINARY = (
    ORDINARY_REGION,
    ORDINARY_ACTOR,
    "Côte d'Ivoire",
    "sample_country.xlsx",
    "Far Hollow (old name)",
    "Health & Justice",
    "St. Mary's Hospital, 2nd floor",
    "Jean-Pierre Mbeki",
    "Region #3 - North",
    "50% funded (2024/25)",
    "Ministère de la Santé !",
)
# Markup of every kind Streamlit reads, beyond the uploaded names.
MORE_MARKUP = (
    "_italic_",
    "~strike~",
    "`code`",
    "# heading",
    "- item",
    "+ item",
    "1. item",
    "12) item",
    "---",
    "> quote",
    "| a | b |",
    "&lt;b&gt; &#60;",
    "<https://example.com/a>",
    "https://example.com/b",
    "HTTP://EXAMPLE.COM/c",
    "www.example.com",
    "me@example.com",
    ":tada: :streamlit:",
    ":blue-background[x] :small[y] :help[z]",
    "$$x$$",
    "a -- b -> c <= d",
    "x\\",
    "line\n\n    code block\n===",
)

# ── reading Markdown source ──────────────────────────────────────────────────────────────────
WORD_JOINER = "\u2060"
PUNCTUATION = set(string.punctuation)
# Characters that make markup anywhere in a line (emphasis, code, strikethrough, links, images,
# HTML and autolinks, KaTeX, directives, icons, shortcodes, tables).
MARKUP_ANYWHERE = set("\\`*~[]<>$:|")
LINE_START_MARKUP = re.compile(r"^\s*([#+\-=]|\d+[.)])")
ENTITY = re.compile(r"&#?\w+;")
# What Streamlit's Markdown still reads once escapes are undone.
AFTER_ESCAPES = (
    re.compile(r"https?://", re.IGNORECASE),  # GFM autolinks
    re.compile(r"\bwww\.", re.IGNORECASE),
    re.compile(r"[\w.+-]@[\w-]"),
    re.compile(r":[\w+-]+:"),  # emoji and the Streamlit logo
    re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),  # typographic arrows
)


def tokens(source: str) -> Iterator[tuple[str, bool]]:
    """Each character the source shows, and whether a backslash escaped it (CommonMark:
    a backslash before ASCII punctuation)."""
    position = 0
    while position < len(source):
        char = source[position]
        if char == "\\" and position + 1 < len(source) and source[position + 1] in PUNCTUATION:
            yield source[position + 1], True
            position += 2
        else:
            yield char, False
            position += 1


def is_plain(source: str) -> bool:
    """True when this Markdown source makes no markup at all."""
    shown = list(tokens(source))
    text = "".join(char for char, _ in shown)
    for index, (char, escaped) in enumerate(shown):
        if escaped:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in MARKUP_ANYWHERE or (char == "_" and not (before.isalnum() and after.isalnum())):
            return False
        if char == "&" and ENTITY.match(text, index):
            return False
    if LINE_START_MARKUP.match(source) or "\n" in source:
        return False
    return not any(pattern.search(text) for pattern in AFTER_ESCAPES)


def shown_as_typed(source: str, name: str) -> bool:
    """True when `name` is in the Markdown `source`, and each time it is, it shows as typed."""
    pattern = "".join(
        (r"\\?" if char in PUNCTUATION else "") + re.escape(char) + f"{WORD_JOINER}?" for char in " ".join(name.split())
    )
    found = [match[0] for match in re.finditer(pattern, source)]
    return bool(found) and all(is_plain(part) for part in found)


def shows(source: str, name: str) -> bool:
    """The source mentions `name`, escaped or not."""
    readable = "".join(char for char, _ in tokens(source)).replace(WORD_JOINER, "")
    return " ".join(name.split()) in readable


# ── the app ──────────────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def hostile() -> Dataset:
    return Dataset().with_upload(ingest([(HOSTILE_FILE_NAME, hostile_workbook())]))


def open_page(page: str, dataset: Dataset, **state) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["dataset"] = dataset
    for key, value in state.items():
        app.session_state[key] = value
    return app.switch_page(f"app_pages/{page}.py").run()


def nodes(block) -> Iterator:
    yield block
    for child in getattr(block, "children", {}).values():
        yield from nodes(child)


def markdown_sources(app: AppTest) -> list[str]:
    """Every text the page (and the sidebar) hands to Streamlit's Markdown."""
    sources: list[str] = []
    for node in (*nodes(app.main), *nodes(app.sidebar)):
        if isinstance(node, (Markdown, HeadingBase, AlertBase)):
            sources.append(str(node.value))
        if isinstance(node, (Expander, Tab, Metric, Widget)):
            sources += [text for text in (node.label, getattr(node, "help", None)) if text]
        if isinstance(node, Radio):
            sources += [str(option) for option in node.options]
    return sources


def options_of(app: AppTest) -> list[str]:
    """The options of every select box and multiselect: plain text, never Markdown."""
    return [str(option) for box in (*app.selectbox, *app.multiselect) for option in box.options]


def assert_every_name_as_typed(app: AppTest) -> set[str]:
    """No name shows as markup anywhere on the page; the names it shows."""
    assert not app.exception
    shown = set()
    for source in markdown_sources(app):
        for name in NAMES:
            if shows(source, name):
                assert shown_as_typed(source, name), (name, source)
                shown.add(name)
    return shown


def displayed_strings(value, key: str = "", templates: str = "") -> Iterator[str]:
    """Every string a figure shows. Locations and customdata identify a region (the map matches
    them, a click reads them back): they count where a hover template shows them."""
    if key == "geojson":
        return
    if key == "locations" and "%{location}" not in templates:
        return
    if key == "customdata":
        columns = {int(found) for found in re.findall(r"%\{customdata\[(\d+)\]", templates)}
        rows = value if isinstance(value, list) else []
        value = [[row[column] for column in sorted(columns)] if isinstance(row, list) else row for row in rows]
        if "%{customdata}" not in templates and not columns:
            return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from displayed_strings(item, name, templates)
    elif isinstance(value, list):
        for item in value:
            yield from displayed_strings(item, key, templates)


def chart_texts(app: AppTest) -> dict[str, str]:
    """Each chart's displayed strings, joined, by key."""
    texts = {}
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        strings = [text for trace in spec["data"] for text in displayed_strings(trace, templates=str(trace))]
        strings += list(displayed_strings(spec["layout"]))
        texts[chart.key] = "\n".join(strings)
    return texts


def assert_charts_escape_html(app: AppTest) -> dict[str, set[str]]:
    """No chart shows a name's HTML as HTML; the HTML names each chart shows, escaped."""
    shown: dict[str, set[str]] = {}
    for key, text in chart_texts(app).items():
        for name in HTML_NAMES:
            assert name not in text, (key, name)
            if html.escape(name, quote=False) in text:
                shown.setdefault(key, set()).add(name)
    return shown


# ── the escape ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_are_left_exactly_as_they_were(name):
    assert md(name) == name
    assert shown_as_typed(md(name), name)


@pytest.mark.parametrize("name", (*MARKUP, *HOSTILE_NAMES, *MORE_MARKUP))
def test_markup_of_every_kind_shows_as_typed(name):
    assert shown_as_typed(md(name), name)


@pytest.mark.parametrize("name", (*MARKUP, *MORE_MARKUP))
def test_the_reading_catches_markup_left_as_it_is(name):
    assert not shown_as_typed(name, name)


def test_a_message_escapes_the_data_it_quotes_and_not_the_catalogue():
    said = message(
        "finding.regions_without_body",
        count=Quantity(1_500),
        total=Quantity(2_000),
        regions=[REGION_BOLD_IMAGE, ORDINARY_REGION],
    )
    escaped = render(said, "en", escape=md)
    assert escaped == render(
        message(
            "finding.regions_without_body",
            count=Quantity(1_500),
            total=Quantity(2_000),
            regions=[md(r) for r in (REGION_BOLD_IMAGE, ORDINARY_REGION)],
        ),
        "en",
    )
    assert shown_as_typed(escaped, REGION_BOLD_IMAGE) and ORDINARY_REGION in escaped and "1,500" in escaped
    assert render(said, "en") != escaped  # the CLI and the exports keep the text as it is
    assert render(Term("sector", "<b>x</b>"), "en", escape=md) == md(
        "<b>x</b>"
    )  # a label unknown falls back to the value


# ── the pages ────────────────────────────────────────────────────────────────────────────────


def test_overview_shows_findings_file_names_and_the_map_as_typed(hostile):
    app = open_page("overview", hostile)
    shown = assert_every_name_as_typed(app)
    assert {REGION_BOLD_IMAGE, REGION_IMAGE_KATEX, HOSTILE_FILE_NAME} <= shown
    findings = [markdown.value for markdown in app.markdown if " — " in markdown.value]
    assert any(shown_as_typed(line, REGION_BOLD_IMAGE) for line in findings)
    assert any(ORDINARY_REGION in line for line in findings)  # an ordinary name, as it was
    assert any(shown_as_typed(caption.value, HOSTILE_FILE_NAME) for caption in app.sidebar.caption)
    assert assert_charts_escape_html(app)["overview_map"] == {REGION_BOLD_IMAGE, REGION_IMAGE_KATEX}
    # our own formatting still renders: the bold severity and its icon
    assert any(line.startswith(":material/error: **") for line in findings)


def test_stakeholders_show_brokers_isolated_actors_and_charts_as_typed(hostile):
    app = open_page("stakeholders", hostile)
    shown = assert_every_name_as_typed(app)
    assert {BROKER, ISOLATED} <= shown
    charts = assert_charts_escape_html(app)
    assert charts["influence_interest"] >= {BROKER, ISOLATED}
    assert charts["network"] >= {BROKER, ISOLATED}
    # options of a multiselect are plain text: the region names as they are
    assert {REGION_BOLD_IMAGE, REGION_IMAGE_KATEX} <= set(options_of(app))


def test_sectors_keep_names_in_tables_as_they_are(hostile):
    app = open_page("sectors", hostile)
    assert_every_name_as_typed(app)
    actors = " ".join(" ".join(map(str, frame.value["actors"])) for frame in app.dataframe if "actors" in frame.value)
    assert POLICE in actors and ORDINARY_ACTOR in actors  # st.dataframe reads no Markdown


def test_coordination_shows_bodies_and_regions_as_typed(hostile):
    app = open_page("coordination", hostile)
    shown = assert_every_name_as_typed(app)
    assert {BODY, REGION_BOLD_IMAGE, REGION_IMAGE_KATEX} <= shown
    (body,) = app.expander
    assert shown_as_typed(body.label, BODY) and body.label.startswith("**")
    assert any(shown_as_typed(warning.value, REGION_IMAGE_KATEX) for warning in app.warning)


def test_a_region_drill_down_shows_its_name_findings_and_charts_as_typed(hostile):
    app = open_page("regional_gaps", hostile, selected_region=REGION_BOLD_IMAGE)
    shown = assert_every_name_as_typed(app)
    assert {REGION_BOLD_IMAGE, HOSTILE_FILE_NAME} <= shown
    assert any(shown_as_typed(subheader.value, REGION_BOLD_IMAGE) for subheader in app.subheader)
    assert any(shown_as_typed(caption.value, REGION_BOLD_IMAGE) for caption in app.caption)  # the pathway
    assert REGION_BOLD_IMAGE in options_of(app)  # the region list: plain text
    charts = assert_charts_escape_html(app)
    assert {"region_map", "service_heatmap", "standard_bars"} <= set(charts)
    assert all(REGION_BOLD_IMAGE in names for names in charts.values())


def test_uploaded_boundaries_name_their_file_regions_and_shapes_as_typed(hostile):
    app = open_page("regional_gaps", hostile)
    uploader = app.file_uploader(key="boundaries_upload")
    app = uploader.set_value((f"{SHAPE}.geojson", hostile_boundaries(), "application/geo+json")).run()
    shown = assert_every_name_as_typed(app)
    assert {REGION_IMAGE_KATEX, SHAPE} <= shown  # a region without a shape, a shape without a region
    spec = json.loads(next(chart for chart in app.get("plotly_chart") if chart.key == "region_map").proto.spec)
    assert spec["data"][0]["type"] == "choroplethmap"
    assert REGION_BOLD_IMAGE in spec["data"][0]["locations"]  # the shape's id, as the boundaries name it
    assert html.escape(REGION_BOLD_IMAGE, quote=False) in spec["data"][0]["hovertext"]
    assert assert_charts_escape_html(app)["region_map"] == {REGION_BOLD_IMAGE}


def test_a_broken_boundaries_file_is_named_as_typed(hostile):
    app = open_page("regional_gaps", hostile)
    app.file_uploader(key="boundaries_upload").set_value((f"{SHAPE}.geojson", b"{", "application/geo+json")).run()
    assert_every_name_as_typed(app)
    assert any(shown_as_typed(error.value, f"{SHAPE}.geojson") for error in app.error)


def test_an_upload_on_the_data_page_names_its_file_as_typed():
    app = open_page("data", Dataset())
    app = (
        app.file_uploader(key="upload")
        .set_value((HOSTILE_FILE_NAME, hostile_workbook(), "application/octet-stream"))
        .run()
    )
    assert any(shown_as_typed(markdown.value, HOSTILE_FILE_NAME) for markdown in app.markdown)
    app.button(key="apply_upload").click().run()
    shown = assert_every_name_as_typed(app)
    assert HOSTILE_FILE_NAME in shown
    assert set(REGIONS) <= set(options_of(app))  # the region filter: plain text


def test_the_hostile_dataset_is_loaded_whole(hostile):
    """The pages above see every name: nothing was set aside on the way in."""
    assert list(hostile["regions"]["region"]) == list(REGIONS)
    assert list(hostile["actors"]["name"]) == list(ACTORS)
    assert list(hostile["coordination_bodies"]["name"]) == [BODY]
    assert hostile.sources == (HOSTILE_FILE_NAME,)
    assert any(finding.region == REGION_BOLD_IMAGE for finding in assess(hostile.frames).findings)
