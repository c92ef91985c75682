"""Home: what is loaded (counts by sheet, regions, last upload)."""

import pandas as pd
import streamlit as st

from app_pages.shared import current_dataset, sheet_label, tr
from vawmap.contract import SHEET_ORDER

dataset = current_dataset()
st.title(tr("home.title"))
st.write(tr("home.intro"))
if dataset.is_sample:
    st.info(tr("app.using_sample"), icon=":material/info:")

if dataset.is_empty:
    st.warning(tr("home.no_data"))
    st.page_link("app_pages/data.py", label=tr("nav.data"), icon=":material/table_view:")
    st.stop()

st.subheader(tr("home.counts"))
counts = dataset.counts()
for column, name in zip(st.columns(len(SHEET_ORDER)), SHEET_ORDER):
    column.metric(sheet_label(name), f"{counts[name]:,}")

st.caption(
    tr("home.last_upload") + ": " + (dataset.loaded_at or tr("home.no_upload"))
    + " · " + tr("home.sources") + ": " + ", ".join(dataset.sources)
)

regions = dataset["regions"]
if len(regions):
    st.subheader(tr("home.regions_heading"))
    services = dataset["services"].groupby("region").size().rename(tr("home.services"))
    table = regions[["region", "region_code", "population"]].set_index("region").join(services)
    table = table.rename(columns={"population": tr("home.population")}).fillna({tr("home.services"): 0})
    st.dataframe(table, width="stretch")
