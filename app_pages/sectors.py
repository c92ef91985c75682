"""Sector coverage: the minimum and recommended sectors as covered / partial / missing, who
represents each and how engaged; the same for the coordination functions."""

import streamlit as st

from app_pages.shared import language, page_start, tr
from vawmap import charts
from vawmap.dashboard.sectors import status_counts
from vawmap.i18n import label
from vawmap.messages import render_all

# Material icons ship with Streamlit; emoji need a font the projector's machine may lack.
STATUS_ICONS = {
    "covered": ":green[:material/check_circle:]",
    "partial": ":orange[:material/change_circle:]",
    "missing": ":red[:material/cancel:]",
}
STATUS_BACKGROUNDS = {"covered": "#d9f0d3", "partial": "#fee8c8", "missing": "#fdd0cc"}


def status_column(frame):
    return [tr(f"coverage.status.{status}") for status in frame["status"]]


def coloured(table, statuses):
    """The table with its status cells shaded by status (a Styler: st.dataframe keeps the colours)."""
    shades = [f"background-color: {STATUS_BACKGROUNDS[status]}" for status in statuses]
    return table.style.apply(lambda _: shades, subset=["status"])


dataset, assessment = page_start("sectors.title", ("actors",), "stakeholders.no_actors", "sectors.intro")
if dataset["coordination_bodies"].empty:
    st.info(tr("sectors.no_body"), icon=":material/info:")

coverage = assessment.sector_coverage
for tier in ("minimum", "recommended"):
    rows = coverage[coverage["tier"] == tier]
    counts = status_counts(rows)
    st.subheader(tr(f"sectors.{tier}_heading"))
    st.caption(
        " · ".join(
            f"{STATUS_ICONS[status]} {tr(f'coverage.status.{status}')}: {count}" for status, count in counts.items()
        )
    )
    table = rows.assign(
        sector=[label("sector", sector, language()) for sector in rows["sector"]],
        status=status_column(rows),
        levels=[", ".join(label("level", level, language()) for level in levels) for levels in rows["levels"]],
        actors=[", ".join(names) for names in rows["actors"]],
        engagement=[label("engagement", value, language()) if value else "—" for value in rows["engagement"]],
        reason=render_all(rows["reason"], language()),
    )[["sector", "status", "actor_count", "levels", "engagement", "actors", "reason"]]
    st.dataframe(
        coloured(table, rows["status"]),
        hide_index=True,
        width="stretch",
        column_config={name: tr(f"sectors.column.{name}") for name in table.columns},
    )
    st.plotly_chart(charts.status_bars(rows, "sector", "sector", language()), key=f"sector_bars_{tier}")

st.subheader(tr("sectors.functions_heading"))
st.caption(tr("sectors.functions_intro"))
functions = assessment.function_coverage
table = functions.assign(
    function=[label("coordination_function", value, language()) for value in functions["function"]],
    status=status_column(functions),
    actors=[", ".join(names) for names in functions["actors"]],
    reason=render_all(functions["reason"], language()),
)[["function", "status", "actor_count", "actors", "reason"]]
st.dataframe(
    coloured(table, functions["status"]),
    hide_index=True,
    width="stretch",
    column_config={name: tr(f"sectors.column.{name}") for name in table.columns},
)
