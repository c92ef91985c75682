"""Regional gaps: a map of the chosen measure, a click drills down into a region; the region ×
service heatmap and required vs actual for each standard; the user's own boundaries."""

import streamlit as st

from app_pages.regional_view import (
    BOUNDARIES,
    PAIRS,
    SELECTED_REGION,
    boundaries,
    draw_region_map,
    measure_title,
    parsed_geojson,
    standard_text,
)
from app_pages.shared import DISPLAY_LIMIT, empty_state, language, md, number, page_start, percent, said, tr
from vawmap import charts, geo
from vawmap.dashboard import regional
from vawmap.dashboard.data import column_headers, table_headers, worded_table, worded_values
from vawmap.gaps.assess import counting_rules
from vawmap.messages import compact_text

MEASURE = "measure"  # session key of the measure the map is coloured by
PAIRING_LIMIT = 30  # shapes offered for pairing by hand; more means the wrong property or file


def boundaries_panel(dataset, assessment) -> None:
    """Upload a GeoJSON, pick the property that names the regions, see what did not match."""
    with st.expander(tr("regional.boundaries_heading"), expanded=BOUNDARIES in st.session_state):
        st.caption(tr("regional.boundaries_help"))
        file = st.file_uploader(tr("regional.boundaries_upload"), type=["geojson", "json"], key="boundaries_upload")
        if file is not None:
            data = file.getvalue()
            try:
                geojson = parsed_geojson(data)
                properties = geo.matchable_properties(geojson)
            except geo.BoundaryProblem as problem:
                st.error(
                    tr("regional.boundaries_unreadable", file=md(file.name), problem=said(problem.message)),
                    icon=":material/error:",
                )
            else:
                guess = geo.best_property(geojson, dataset["regions"])
                prop = st.selectbox(
                    tr("regional.boundaries_property"),
                    properties,
                    key="boundaries_property",
                    index=properties.index(guess) if guess in properties else 0,
                )
                shown = st.session_state.get(BOUNDARIES, {})
                if (shown.get("name"), shown.get("property")) != (file.name, prop):
                    st.session_state.pop(PAIRS, None)  # pairs made by hand belong to the boundaries they were made on
                st.session_state[BOUNDARIES] = {"name": file.name, "bytes": data, "property": prop}
        elif BOUNDARIES in st.session_state and st.button(tr("regional.boundaries_reset"), key="boundaries_reset"):
            del st.session_state[BOUNDARIES]
            st.session_state.pop(PAIRS, None)
            st.rerun()
        match = boundaries(dataset, assessment)
        if match is None:
            st.warning(tr("regional.boundaries_none_matched"), icon=":material/warning:")
            return
        if match.regions_without_shape:
            st.warning(
                tr(
                    "regional.regions_without_shape",
                    count=len(match.regions_without_shape),
                    regions=", ".join(md(region) for region in match.regions_without_shape),
                ),
                icon=":material/warning:",
            )
        if match.shapes_without_region:
            st.caption(
                tr(
                    "regional.shapes_without_region",
                    count=len(match.shapes_without_region),
                    shapes=", ".join(md(shape) for shape in match.shapes_without_region[:30]),
                )
            )
        if not match.regions_without_shape and not match.shapes_without_region:
            st.caption(tr("regional.boundaries_all_matched", count=len(match.matched)))
        pair_by_hand(match)


def pair_by_hand(match) -> None:
    """A selectbox per shape no region matched (and per pair already made): the region it draws.
    The pairs live in the session and win over the matching (vawmap.geo.match_boundaries)."""
    pairs: dict[str, str] = dict(st.session_state.get(PAIRS, {}))
    shapes = list(dict.fromkeys([*pairs, *match.shapes_without_region]))[:PAIRING_LIMIT]
    if not shapes or not (match.regions_without_shape or pairs):
        return
    st.markdown(f"**{tr('regional.pair_heading')}**")
    st.caption(tr("regional.pair_help"))
    changed = False
    for position, shape in enumerate(shapes):
        options = [""] + sorted({*match.regions_without_shape, *([pairs[shape]] if shape in pairs else [])})
        current = pairs.get(shape, "")
        chosen = st.selectbox(
            md(shape),  # a label is Markdown: the shape's name shows as typed
            options,
            index=options.index(current),
            key=f"pair_{position}_{shape}",
            format_func=lambda region: region or tr("regional.pair_none"),
        )
        if chosen != current:
            changed = True
            if chosen:
                pairs[shape] = chosen
            else:
                pairs.pop(shape, None)
    if changed:
        st.session_state[PAIRS] = pairs
        st.rerun()


def drill_down(dataset, assessment, region: str) -> None:
    detail = regional.region_detail(dataset["services"], assessment, region)
    st.subheader(tr("regional.detail_heading", region=md(region)))
    figures = st.columns(3)
    figures[0].metric(
        tr("home.population"),
        "—" if detail.population is None else compact_text(detail.population, language()),  # fits a narrow metric
        help=None if detail.population is None else number(detail.population),
    )
    figures[1].metric(  # the measure's short name: its full one would be cut in a third of the column
        tr("regional.coverage_short"),
        "—" if detail.coverage_score is None else percent(detail.coverage_score),
        help=tr("regional.measure.coverage_score"),
    )
    figures[2].metric(tr("home.services"), number(len(detail.services)))
    for finding in detail.findings:
        st.markdown(f"- **{tr(f'severity.{finding.severity}')}** — {said(finding.message)}")
    if detail.pathway is not None:
        st.caption(tr("regional.pathway", reason=said(detail.pathway["reason"])))
    shortfalls, services = st.tabs([tr("regional.shortfalls"), tr("regional.services")])
    with shortfalls:
        if detail.shortfalls.empty:
            st.success(tr("regional.no_shortfalls"))
        else:
            headers = table_headers(detail.shortfalls.columns, language())
            st.dataframe(
                worded_table(detail.shortfalls, language()),
                hide_index=True,
                width="stretch",
                column_config={
                    **headers,
                    "standard": None,
                    "name": tr("regional.standard_label"),
                    "required": st.column_config.NumberColumn(headers["required"], format="%.1f"),
                    "shortfall": st.column_config.NumberColumn(headers["shortfall"], format="%.1f"),
                    "ratio": st.column_config.NumberColumn(headers["ratio"], format="percent"),
                },
            )
    with services:
        st.caption(tr("regional.confidential_note"))
        if len(detail.services) > DISPLAY_LIMIT:
            st.caption(tr("data.display_limit", limit=number(DISPLAY_LIMIT)))
        st.dataframe(
            worded_values("services", detail.services.head(DISPLAY_LIMIT), language()),
            hide_index=True,
            width="stretch",
            column_config=column_headers("services", language()),
        )


dataset, assessment = page_start("regional.title", ("regions", "services"), "regional.no_regions")
if assessment.people["population"].isna().all():
    st.info(tr("regional.no_population"), icon=":material/info:")

# Options are plain keys, so a change of language (which changes the titles) keeps the choice.
# Titles are made now, in the session's language: a format_func may be called outside the run.
choices = {choice.key: choice for choice in regional.measures(assessment)}
titles = {key: measure_title(choice, assessment) for key, choice in choices.items()}
# The browser keeps showing an option's old wording after a change of language, so the widget
# is one per language, and the choice itself is kept apart to survive the switch.
chosen_measure = st.session_state.get(MEASURE, regional.COVERAGE_MEASURE)
measure = choices[
    st.selectbox(
        tr("regional.measure_label"),
        list(choices),
        key=f"{MEASURE}_{language()}",
        index=list(choices).index(chosen_measure) if chosen_measure in choices else 0,
        format_func=titles.get,
    )
]
st.session_state[MEASURE] = measure.key
boundaries_panel(dataset, assessment)
map_column, detail_column = st.columns([3, 2])
with map_column:
    st.caption(tr("regional.click_help"))
    draw_region_map(dataset, assessment, measure, key="region_map")
with detail_column:
    names = list(assessment.people.index)
    selected = st.session_state.get(SELECTED_REGION)
    chosen = st.selectbox(
        tr("regional.region_label"),
        names,
        index=names.index(selected) if selected in names else None,
        placeholder=tr("regional.region_placeholder"),
        key=f"region_pick_{selected}",
    )
    if chosen != selected:  # a region picked in the list
        st.session_state[SELECTED_REGION] = chosen
        st.rerun()
    # A selectbox with a value cannot be emptied in Streamlit, so closing has its own button.
    if chosen and st.button(tr("regional.close_region"), key="close_region", icon=":material/close:"):
        st.session_state[SELECTED_REGION] = None
        st.rerun()
    if chosen:
        drill_down(dataset, assessment, chosen)
    else:
        ranking = regional.region_table(assessment, measure).sort_values("value", na_position="last")
        st.caption(tr("regional.ranking_help"))
        st.dataframe(
            ranking,
            hide_index=True,
            width="stretch",
            column_config={
                "region": tr("regional.region_label"),
                "value": st.column_config.NumberColumn(
                    titles[measure.key], format="percent" if measure.kind != "rate" else "%.2f"
                ),
                "coverage_score": st.column_config.NumberColumn(tr("charts.coverage"), format="percent"),
                "population": st.column_config.NumberColumn(tr("home.population"), format="localized"),
                "unmet_standards": tr("charts.unmet_standards"),
            },
        )

st.subheader(tr("regional.heatmap_heading"))
matrix = regional.service_matrix(assessment)
if matrix.empty:
    empty_state("regional.no_services")
else:
    st.plotly_chart(charts.service_heatmap(matrix, language()), key="service_heatmap")

st.subheader(tr("regional.standards_heading"))
regional_standards = assessment.standards.by_rule("per_population") + assessment.standards.by_rule("per_region")
if regional_standards:
    names = {choice.id: standard_text(choice, "name") for choice in regional_standards}  # made now: see above
    standard = st.selectbox(
        tr("regional.standard_label"),
        regional_standards,
        key="standard",
        format_func=lambda choice: names[choice.id],
    )
    st.plotly_chart(
        charts.standard_bars(
            regional.standard_bars(assessment, standard.id), standard_text(standard, "unit"), language()
        ),
        key="standard_bars",
    )
    st.caption(f"{md(names[standard.id])}: {md(standard.source)}")
    if needed := regional.population_needed(assessment, standard.id):
        st.caption(f"{tr('regional.status.population_needed')}: {', '.join(md(name) for name in needed)}")
with st.expander(tr("regional.counting_rules")):
    for rule in counting_rules():
        st.markdown(f"- {said(rule)}")
