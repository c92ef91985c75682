"""Overview: the headline figures, the top findings and a small map; each figure links to its page;
the whole report to download (HTML or Excel)."""

import datetime as dt
import hashlib

import streamlit as st

from app_pages.regional_view import BOUNDARIES, PAIRS, boundaries, draw_region_map
from app_pages.shared import (
    current_assessment,
    current_dataset,
    current_intake,
    current_workspace,
    empty_state,
    language,
    md,
    number,
    said,
    sheet_label,
    tr,
)
from vawmap.contract import SHEET_ORDER
from vawmap.dashboard.overview import headline
from vawmap.dashboard.regional import measures
from vawmap.gaps.caveats import sheet_caveat_message
from vawmap.gaps.findings import SECTORS, SERVICES
from vawmap.i18n import label
from vawmap.messages import datetime_text
from vawmap.report import html as report_html
from vawmap.report import xlsx as report_xlsx
from vawmap.report.content import report_content
from vawmap.report.workshop import workshop_tables
from vawmap.store import open_store
from vawmap.store.workshop import records as workshop_records

TOP_FINDINGS = 8
SEVERITY_ICONS = {"critical": ":material/error:", "major": ":material/warning:", "minor": ":material/info:"}
REPORT_FORMATS = {"html": "text/html", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@st.cache_data(show_spinner=False, max_entries=8)
def report_bytes(
    _dataset, _assessment, token: str, kind: str, language: str, boundaries_digest, _match, _intake, record
) -> bytes:
    """The report of the dataset `token` names, in `language`, with the map drawn from the
    boundaries `boundaries_digest` names: (digest of their bytes and property, or None for the
    bundled ones; the shapes paired with regions by hand), and the workshop record `record`
    names: (workspace, digest of its content), or None."""
    workshop = workshop_record(record[0], _dataset["actors"], language) if record else []
    content = report_content(_dataset, _assessment, language, boundaries=_match, intake=_intake, workshop=workshop)
    return report_xlsx.report_xlsx(content) if kind == "xlsx" else report_html.report_html(content)


def workshop_record(workspace: str, actors, language: str) -> list:
    """The workspace's decisions and action items, as report tables."""
    return workshop_tables(workshop_records(open_store(), workspace), actors, language, dt.date.today())


def record_digest(workspace: str) -> str:
    """A digest of the workspace's record: a report made before the room recorded more (or
    before the day an action item fell overdue) is not served again from the cache."""
    records = workshop_records(open_store(), workspace)
    text = records.decisions.to_json() + records.actions.to_json() + records.sessions.to_json()
    return hashlib.sha256((text + dt.date.today().isoformat()).encode()).hexdigest()


def report_maker(kind: str, dataset, assessment, match, intake):
    """What the download button calls on a click: the report is built then, not on every run.
    What it needs of the session is read now: the click's call may come outside the script run."""
    uploaded = st.session_state.get(BOUNDARIES)
    chosen, session_language = (uploaded["bytes"], uploaded["property"]) if uploaded else None, language()
    pairs = tuple(sorted(st.session_state.get(PAIRS, {}).items()))  # a pairing changes the map
    shown = current_workspace()

    def make() -> bytes:
        digest = (None if chosen is None else (hashlib.sha256(chosen[0]).hexdigest(), chosen[1]), pairs)
        record = None if shown is None else (shown[0], record_digest(shown[0]))
        return report_bytes(dataset, assessment, dataset.token, kind, session_language, digest, match, intake, record)

    return make


dataset = current_dataset()
st.title(tr("overview.title"))
st.write(tr("home.intro"))
if dataset.is_sample:
    st.info(tr("app.using_sample"), icon=":material/info:")
if dataset.is_empty:
    st.warning(tr("home.no_data"))
    st.page_link("app_pages/data.py", label=tr("nav.data"), icon=":material/table_view:")
    st.stop()

# First what the data cannot show: sheets empty or mostly set aside, and the findings withheld.
notes = dataset.caveats(current_intake())
if notes.sheets:
    lines = [said(sheet_caveat_message(caveat)) for caveat in notes.sheets]
    lines += [said(withheld.message) for withheld in notes.withheld]
    st.warning(
        tr("overview.data_warning") + "\n\n" + "\n".join(f"- {line}" for line in lines),
        icon=":material/warning:",
    )
    st.caption(tr("overview.data_fix"))
    st.page_link("app_pages/data.py", label=tr("nav.data"), icon=":material/table_view:")
withheld = notes.withheld_kinds

assessment = current_assessment()
findings = notes.shown(assessment.findings)
figures = headline(dataset.frames, assessment)
WITHHELD_FIGURE = "—"
tiles = st.columns(5)
tiles[0].metric(tr("overview.actors"), number(figures.actors))
tiles[0].page_link("app_pages/stakeholders.py", label=tr("nav.stakeholders"))
tiles[1].metric(
    tr("overview.services"),
    number(figures.services),
    help=tr("overview.active_services", count=number(figures.active_services)),
)
tiles[1].page_link("app_pages/data.py", label=tr("nav.data"))
tiles[2].metric(tr("overview.regions"), number(figures.regions))
tiles[2].page_link("app_pages/regional_gaps.py", label=tr("nav.regional_gaps"))
if SECTORS in withheld:
    tiles[3].metric(tr("overview.sectors_missing"), WITHHELD_FIGURE, help=tr("overview.withheld_figure"))
else:
    tiles[3].metric(
        tr("overview.sectors_missing"),
        len(figures.minimum_sectors_missing),
        help=", ".join(label("sector", sector) for sector in figures.minimum_sectors_missing) or None,
    )
tiles[3].page_link("app_pages/sectors.py", label=tr("nav.sectors"))
if SERVICES in withheld:
    tiles[4].metric(tr("overview.regions_below"), WITHHELD_FIGURE, help=tr("overview.withheld_figure"))
else:
    tiles[4].metric(
        tr("overview.regions_below"),
        f"{len(figures.regions_below_standard)} / {figures.regions_measured}",
        help=tr("overview.regions_below_help", missing=len(figures.regions_missing_essential)),
    )
tiles[4].page_link("app_pages/regional_gaps.py", label=tr("nav.regional_gaps"))

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("overview.top_findings"))
    if not findings and not withheld:
        st.success(tr("overview.no_findings"))
    for finding in findings[:TOP_FINDINGS]:
        icon, severity = SEVERITY_ICONS.get(finding.severity, ""), tr(f"severity.{finding.severity}")
        st.markdown(f"{icon} **{severity}** — {said(finding.message)}")
    if len(findings) > TOP_FINDINGS:
        st.caption(tr("overview.more_findings", count=len(findings) - TOP_FINDINGS))
with right:
    st.subheader(tr("overview.map"))
    if dataset["regions"].empty and dataset["services"].empty:
        empty_state("regional.no_regions")
    else:
        st.caption(tr("overview.map_help"))
        if draw_region_map(dataset, assessment, measures(assessment)[0], key="overview_map", height=360):
            st.switch_page("app_pages/regional_gaps.py")

report_match = boundaries(dataset, assessment) if len(assessment.people) else None
downloads = st.columns(2)
for column, kind in zip(downloads, REPORT_FORMATS):
    column.download_button(
        tr(f"report.download_{kind}"),
        data=report_maker(kind, dataset, assessment, report_match, current_intake()),
        file_name=f"vawmap_report_{language()}.{kind}",
        mime=REPORT_FORMATS[kind],
        help=tr("report.download_help"),
        icon=":material/download:",
        on_click="ignore",
        key=f"report_{kind}",
    )

with st.expander(tr("home.counts")):
    counts = dataset.counts()
    for column, name in zip(st.columns(len(SHEET_ORDER)), SHEET_ORDER):
        column.metric(sheet_label(name), number(counts[name]))
    st.caption(
        tr("home.last_upload")
        + ": "
        + (datetime_text(dataset.loaded_at, language()) if dataset.loaded_at else tr("home.no_upload"))
        + " · "
        + tr("home.sources")
        + ": "
        + ", ".join(md(name) for name in dataset.sources)
    )
