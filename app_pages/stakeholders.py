"""Stakeholders: who is at the table by sector and level, the influence/interest grid, and the
network of links with isolated actors and brokers marked; filtered by sector, type, level, region."""

import streamlit as st

from app_pages.shared import empty_state, language, md, network_drawing_of, page_start, sees_contacts, tr
from vawmap import charts
from vawmap.dashboard.data import column_headers, table_headers, worded_table
from vawmap.dashboard.network_drawing import drawing_of_actors
from vawmap.dashboard.stakeholders import (
    QUADRANTS,
    filter_actors,
    influence_interest,
    sector_level_matrix,
    sector_options,
    unscored_actors,
)
from vawmap.gaps.metrics import brokers, isolated_actors
from vawmap.i18n import label
from vawmap.privacy import personal_columns


def filters(actors):
    """Four multiselects; an empty one keeps everyone."""
    columns = st.columns(4)
    shown_in = language()  # read now: a format_func may be called outside the script run
    chosen = {}
    formats = {
        "sector": lambda value: charts.sector_label(value, shown_in),
        "actor_type": lambda value: label("actor_type", value, shown_in),
        "level": lambda value: label("level", value, shown_in),
        "region": str,
    }
    for column, (name, format_func) in zip(columns, formats.items()):
        options = sector_options(actors) if name == "sector" else sorted(actors[name].dropna().unique())
        chosen[name] = column.multiselect(
            tr(f"stakeholders.filter.{name}"),
            options,
            key=f"filter_{name}",
            format_func=format_func,
            placeholder=tr("app.choose_options"),
        )
    return filter_actors(actors, chosen["sector"], chosen["actor_type"], chosen["level"], chosen["region"])


dataset, assessment = page_start("stakeholders.title", ("actors",), "stakeholders.no_actors")
actors = dataset["actors"]
shown = filters(actors)
st.caption(tr("stakeholders.showing", shown=len(shown), total=len(actors)))
if shown.empty:
    st.info(tr("stakeholders.filtered_out"))
    st.stop()

derived = shown[shown["derived"]]
if len(derived):
    # Organisations only the services named: at the table, but their sector, level and scores
    # are for the user to complete (an actors sheet, or the Edit page of a saved workspace).
    with st.expander(tr("stakeholders.derived_heading", count=len(derived))):
        st.caption(tr("stakeholders.derived_help"))
        st.dataframe(
            derived[["name"]].assign(
                acronym=derived["acronym"].astype(object).fillna("—"),
                actor_type=[
                    label("actor_type", value, language()) if isinstance(value, str) else "—"
                    for value in derived["actor_type"]
                ],
                sector=[charts.sector_label(value, language()) for value in derived["sector"]],
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "name": tr("stakeholders.derived_column.name"),
                "acronym": tr("stakeholders.derived_column.acronym"),
                "actor_type": tr("stakeholders.derived_column.actor_type"),
                "sector": tr("stakeholders.derived_column.sector"),
            },
        )

matrix_tab, grid_tab, network_tab = st.tabs(
    [tr("stakeholders.matrix"), tr("stakeholders.grid"), tr("stakeholders.network")]
)
with matrix_tab:
    st.plotly_chart(charts.sector_level_heatmap(sector_level_matrix(shown), language()), key="sector_level_matrix")
with grid_tab:
    grid = influence_interest(shown)
    unscored = unscored_actors(shown)
    if grid.empty:
        empty_state("stakeholders.no_scores")
    else:
        st.plotly_chart(charts.influence_interest_grid(grid, language()), key="influence_interest")
        if unscored:
            st.caption(tr("stakeholders.unscored", count=unscored))
        counts = grid["quadrant"].value_counts()
        st.caption(
            " · ".join(f"{tr(f'stakeholders.quadrant.{key}')}: {counts.get(key, 0)}" for key in QUADRANTS.values())
        )
with network_tab:
    if dataset["links"].empty:
        empty_state("stakeholders.no_links")
    else:
        drawing = drawing_of_actors(network_drawing_of(dataset, dataset.token), set(shown["actor_id"].dropna()))
        st.plotly_chart(charts.network_chart(drawing, language()), key="network")
        metrics = assessment.actor_metrics
        shown_metrics = metrics[metrics["actor_id"].isin(shown["actor_id"].dropna())]
        left, right = st.columns(2)
        left.markdown(f"**{tr('stakeholders.brokers')}**")
        left.caption(tr("stakeholders.brokers_help"))
        left.write(", ".join(md(name) for name in brokers(shown_metrics)) or "—")
        right.markdown(f"**{tr('stakeholders.isolated')}**")
        right.write(", ".join(md(name) for name in isolated_actors(shown_metrics)) or "—")
        metrics_table = shown_metrics.sort_values("betweenness", ascending=False)
        headers = table_headers(metrics_table.columns, language())
        st.dataframe(
            worded_table(metrics_table, language()),
            hide_index=True,
            width="stretch",
            column_config={
                **headers,
                "actor_id": None,
                "betweenness": st.column_config.NumberColumn(headers["betweenness"], format="%.3f"),
                "isolated": st.column_config.CheckboxColumn(headers["isolated"]),
                "broker": st.column_config.CheckboxColumn(headers["broker"]),
            },
        )
if sees_contacts():
    contacts = [name for name in personal_columns("actors") if name in shown]
    with st.expander(tr("stakeholders.contacts")):
        st.dataframe(
            shown[["name", *contacts]],
            hide_index=True,
            width="stretch",
            column_config=column_headers("actors", language()),
        )
