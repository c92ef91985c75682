"""Coordination: each body against the checklist (data/criteria.toml, each criterion citing its
public source), what fails and why; regions without a sub-national body."""

import pandas as pd
import streamlit as st

from app_pages.shared import empty_state, md, page_start, percent, said, tr

# Material icons ship with Streamlit; emoji need a font the projector's machine may lack.
MET_ICONS = {True: ":green[:material/check_circle:]", False: ":red[:material/cancel:]", None: ":gray[:material/help:]"}

dataset, assessment = page_start(
    "coordination.title", ("coordination_bodies",), "coordination.no_bodies", "coordination.intro"
)
scores = assessment.body_scores
checklist = assessment.checklist

columns = st.columns(3)
columns[0].metric(tr("coordination.bodies"), len(scores))
columns[1].metric(tr("coordination.mean_score"), percent(scores["score"].mean()))
if len(dataset["regions"]):
    columns[2].metric(
        tr("coordination.regions_without_body"),
        f"{len(assessment.regions_without_body)} / {dataset['regions']['region'].nunique()}",
    )

for body in scores.itertuples():
    where = ", ".join(md(part) for part in (body.level, body.region) if part) or "—"
    with st.expander(
        f"**{md(body.body) if body.body else '—'}** ({where}) — {percent(body.score)} · {body.met} / "
        f"{body.met + len(body.failed) + body.unknown}",
        expanded=body.Index == 0,
    ):
        for row in checklist[checklist["body_number"] == body.body_number].itertuples():
            met = None if pd.isna(row.met) else bool(row.met)
            criterion, reason = tr(f"criterion.{row.criterion}"), said(row.reason)
            st.markdown(f"{MET_ICONS[met]} **{criterion}** — {reason}")

st.subheader(tr("coordination.without_body_heading"))
if dataset["regions"].empty:
    empty_state("regional.no_regions")
elif assessment.regions_without_body:
    st.warning(", ".join(md(region) for region in assessment.regions_without_body), icon=":material/warning:")
else:
    st.success(tr("coordination.every_region_has_body"))
