"""The region map shared by Overview and Regional gaps: boundaries, the choropleth or tile grid,
and the click that selects a region (kept in st.session_state[SELECTED_REGION])."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.shared import language, number, tr
from vawmap import charts, geo
from vawmap.dashboard.regional import Measure, measures, region_table
from vawmap.dataset import SAMPLE_GEOJSON, Dataset
from vawmap.gaps.assess import Assessment
from vawmap.gaps.standards import Standard, standard_word
from vawmap.messages import render

SELECTED_REGION = "selected_region"
BOUNDARIES = "boundaries"  # the user's GeoJSON upload: {"name", "bytes", "property"}
PAIRS = "boundary_pairs"  # shapes paired with regions by hand: {shape label: region}, for the boundaries shown


# Boundaries are cached as resources, shared read-only and never copied: a cache_data hit would
# unpickle a multi-megabyte GeoJSON on every rerun. They are keyed on the file's bytes and the
# dataset's token, so a session only ever gets back the boundaries it uploaded.
@st.cache_resource(show_spinner=False, max_entries=8)
def parsed_geojson(data: bytes) -> dict:
    return geo.read_geojson(data)


@st.cache_data(show_spinner=False)
def sample_geojson_bytes() -> bytes:
    return SAMPLE_GEOJSON.read_bytes()


@st.cache_resource(show_spinner=False, max_entries=16)
def matched_boundaries(
    data: bytes,
    prop: str | None,
    _dataset: Dataset,
    token: str,
    names: tuple[str, ...],
    pairs: tuple[tuple[str, str], ...] = (),
) -> geo.BoundaryMatch | None:
    geojson = parsed_geojson(data)
    prop = prop or geo.best_property(geojson, _dataset["regions"], list(names))
    if prop is None:
        return None
    return geo.match_boundaries(geojson, prop, _dataset["regions"], list(names), paired=dict(pairs))


def boundaries(dataset: Dataset, assessment: Assessment) -> geo.BoundaryMatch | None:
    """The user's boundaries when uploaded, else the bundled ones; None when nothing matches."""
    uploaded = st.session_state.get(BOUNDARIES)
    data, prop = (uploaded["bytes"], uploaded["property"]) if uploaded else (sample_geojson_bytes(), None)
    pairs = tuple(sorted(st.session_state.get(PAIRS, {}).items()))
    match = matched_boundaries(data, prop, dataset, dataset.token, tuple(assessment.people.index), pairs)
    return match if match is not None and match.matched else None


def standard_text(standard: Standard, field: str) -> str:
    """A standard's name or unit in the session's language (a shipped standard's from the
    catalogue; a user's own as typed)."""
    return render(standard_word(standard.id, field, getattr(standard, field)), language())


def measure_title(measure: Measure, assessment: Assessment) -> str:
    if measure.kind == "score":
        return tr("regional.measure.coverage_score")
    standard = next(s for s in assessment.standards.standards if s.id == measure.standard)
    if measure.kind == "rate":
        people = tr("finding.women" if standard.population == "women" else "finding.people")
        return tr("regional.measure.rate", unit=standard_text(standard, "unit"), per=number(measure.per), people=people)
    return tr("regional.measure.ratio", name=standard_text(standard, "name"))


def _clicked(chart_state) -> str | None:
    """The region of the first point selected on a chart: `location` on the map, `customdata`
    on the tile grid. The chart's state is a dict in session state (an object once returned)."""
    selection = (
        chart_state.get("selection", {})
        if isinstance(chart_state, dict)
        else getattr(chart_state, "selection", None) or {}
    )
    for point in selection.get("points", []):
        region = point.get("location") or point.get("customdata")
        if isinstance(region, list):  # customdata of several values
            region = region[0] if region else None
        if region:
            return str(region)
    return None


def take_click(key: str) -> bool:
    """Make a new click on the chart `key` the selected region. Read from the widget state
    before the chart is drawn, so the outline follows the click in the same run; a click
    already taken is not applied again (the region list may have changed the selection since)."""
    clicked = _clicked(st.session_state.get(key))
    is_new = bool(clicked) and clicked != st.session_state.get(f"{key}_taken")
    if is_new:
        st.session_state[SELECTED_REGION] = clicked
    st.session_state[f"{key}_taken"] = clicked
    return is_new


def draw_region_map(
    dataset: Dataset, assessment: Assessment, measure: Measure, key: str, height: int | None = None
) -> bool:
    """Draw the map of `measure` (or the tile grid without boundaries), clickable; True when
    this run took a new click (the selected region changed)."""
    is_new = take_click(key)
    table = region_table(assessment, measure)
    selected = st.session_state.get(SELECTED_REGION)
    figure = region_figure(
        dataset, assessment, table, measure_title(measure, assessment), measure.kind, selected, height
    )
    st.plotly_chart(
        figure,
        key=key,
        on_select="rerun",
        selection_mode=("points", "box", "lasso"),
        config={"displaylogo": False, "scrollZoom": False},
    )
    return is_new


def region_figure(
    dataset: Dataset,
    assessment: Assessment,
    table: pd.DataFrame,
    title: str,
    kind: str,
    selected: str | None = None,
    height: int | None = None,
):
    """The map of the regions' `value` in `table`: on the boundaries when they match, else the
    tile grid."""
    match = boundaries(dataset, assessment)
    if match is not None:
        small = height is not None and height < 450  # the Overview's narrow column
        center, zoom = geo.geojson_center(match.geojson, *((280, height) if small else (400, 540)))
        matched = table[table["region"].isin(match.matched)]
        figure = charts.choropleth(matched, match.geojson, center, zoom, title, kind, selected, language())
    else:
        figure = charts.tile_map(table, geo.tile_grid(list(table["region"])), title, kind, selected, language())
    if height:
        figure.update_layout(height=height)
    return figure


def draw_change_map(dataset: Dataset, assessment: Assessment, change: pd.Series, key: str) -> None:
    """Each region's change between two versions (compare.region_change), on the newer one's map."""
    table = region_table(assessment, measures(assessment)[0])
    table["value"] = table["region"].map(change).to_numpy(dtype=float, na_value=float("nan"))
    figure = region_figure(dataset, assessment, table, tr("data.compare_map"), charts.CHANGE)
    st.plotly_chart(figure, key=key, config={"displaylogo": False, "scrollZoom": False})
