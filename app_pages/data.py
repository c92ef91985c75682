"""Data: upload and check files, load them, download the template and the loaded tables."""

import streamlit as st

from app_pages.mapping_step import mapped_check
from app_pages.regional_view import draw_change_map
from app_pages.shared import (
    AUTHOR_KEY,
    DISPLAY_LIMIT,
    assessment_of,
    current_dataset,
    current_workspace,
    language,
    load_upload,
    md,
    number,
    problem_table,
    remember_sources,
    reset_to_sample,
    said,
    save_to_workspace,
    set_dataset,
    sheet_label,
    template_bytes,
    tr,
    upload_effect,
    workspace_version,
)
from vawmap.compare import compare, region_change
from vawmap.contract import SHEET_ORDER
from vawmap.dashboard.data import (
    column_headers,
    csv_bytes,
    search_rows,
    table_headers,
    worded_changes,
    worded_table,
    worded_values,
)
from vawmap.dataset import APPEND, REPLACE, Dataset
from vawmap.ingest import ERROR, IngestResult, render_problems
from vawmap.messages import datetime_text, render
from vawmap.privacy import public_view
from vawmap.store import StoreError, open_store, versions_of

REFERENCE_SHEETS = ("regions", "actors")
UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt"]


# Loaded tables are cached as resources: shared read-only, never copied (a cache_data hit would
# unpickle 100,000 rows on every rerun). The dataset's token keys them, so a session only gets
# back tables of the dataset it holds.
@st.cache_resource(show_spinner=False, max_entries=12)
def public_table(_dataset: Dataset, token: str, sheet_name: str):
    return public_view(sheet_name, _dataset[sheet_name])


@st.cache_resource(show_spinner=False, max_entries=24)
def found_rows(_dataset: Dataset, token: str, sheet_name: str, text: str, regions: tuple[str, ...]):
    return search_rows(public_table(_dataset, token, sheet_name), text, list(regions))


def show_check(result: IngestResult) -> None:
    """Counts per sheet, the problems table and its downloads."""
    for name, counts in result.counts.items():
        st.write(f"**{sheet_label(name)}** — " + tr("data.accepted_rows", **vars(counts)))
    if derived := len(result.derived.get("actors", ())):  # organisations only the services name
        st.info(tr("data.derived_actors", count=derived), icon=":material/group_add:")
    errors = int((result.problems["severity"] == ERROR).sum())
    warnings = len(result.problems) - errors
    # Each alert says what happened: rows set aside, or whole sheets and columns left out
    # (an unreadable file has its own alert above).
    if on_rows := result.errors_on_rows():
        st.error(tr("data.errors_found", count=on_rows), icon=":material/error:")
    if elsewhere := result.errors_elsewhere():
        st.error(tr("data.errors_elsewhere", count=elsewhere), icon=":material/error:")
    if warnings:
        st.warning(tr("data.warnings_found", count=warnings), icon=":material/warning:")
    if result.problems.empty:
        st.success(tr("data.no_problems"), icon=":material/check_circle:")
        return
    st.dataframe(problem_table(result.problems), width="stretch", hide_index=True)
    st.download_button(
        tr("data.download_problems"),
        csv_bytes(render_problems(result.problems, language())),
        file_name="vawmap_problems.csv",
        mime="text/csv",
        key="download_problems",
    )
    for name, rows in result.set_aside.items():
        public = public_view(name, rows)
        st.download_button(
            tr("data.download_set_aside", sheet=sheet_label(name)),
            csv_bytes(public),
            file_name=f"set_aside_{name}.csv",
            mime="text/csv",
            key=f"download_set_aside_{name}",
        )


def offer_load(result: IngestResult, dataset: Dataset, uploads: tuple[tuple[str, bytes], ...]) -> None:
    """The Load button. Over the sample (or nothing), the upload becomes the dataset alone; over
    the user's own data, the button says which sheets it replaces and which it adds, and
    "replace everything" starts over from the upload alone."""
    if not result.loadable:
        st.info(tr("data.nothing_to_load"))
        return
    names = ", ".join(sheet_label(name) for name in result.loadable)
    if dataset.is_sample or dataset.is_empty:
        if dataset.is_sample:
            st.caption(tr("data.instead_of_sample"))
        if st.button(tr("data.apply", sheets=names), key="apply_upload", type="primary"):
            remember_sources(load_upload(result, start_over=True), uploads, result.mapping)
            st.success(tr("data.applied", sheets=names))
        return
    mode = st.radio(
        tr("data.mode"),
        [REPLACE, APPEND],
        key="load_mode",
        horizontal=True,
        format_func={mode: tr(f"data.mode_{mode}") for mode in (REPLACE, APPEND)}.get,
    )
    replaced, added = upload_effect(dataset, result)
    effects = [tr(f"data.effect_{mode}", sheets=", ".join(sheet_label(name) for name in replaced))] if replaced else []
    effects += [tr("data.effect_adds", sheets=", ".join(sheet_label(name) for name in added))] if added else []
    load, start_over = st.columns(2)
    if load.button(
        tr("data.apply_effects", effects="; ".join(effects)),
        key="apply_upload",
        type="primary",
        help=tr("data.apply_help"),
    ):
        remember_sources(load_upload(result, mode), uploads, result.mapping)
        st.success(tr("data.applied", sheets=names))
    if start_over.button(
        tr("data.replace_everything"), key="replace_everything", help=tr("data.replace_everything_help")
    ):
        remember_sources(load_upload(result, start_over=True), uploads, result.mapping)
        st.success(tr("data.applied", sheets=names))


def offer_workspace_save() -> None:
    """Save what is loaded as the next version of a workspace: a link to it opens the same
    picture in a new tab, after a refresh, or on a colleague's screen."""
    st.subheader(tr("data.workspace_heading"))
    st.caption(tr("data.workspace_help"))
    shown = current_workspace()
    with st.form("save_workspace", border=False):
        name_column, author_column = st.columns(2)
        name = name_column.text_input(tr("data.workspace_name"), value=shown[0] if shown else "", key="workspace_name")
        author = author_column.text_input(tr("data.workspace_author"), key=AUTHOR_KEY)
        note = st.text_input(tr("data.workspace_note"), key="workspace_note")
        saving = st.form_submit_button(tr("data.workspace_save"))
    if not saving:
        return
    if not name.strip() or not author.strip():
        st.warning(tr("data.workspace_needs_name_and_author"))
        return
    try:
        number = save_to_workspace(name.strip(), author.strip(), note.strip())
    except StoreError as error:
        st.error(render(error.message, language()))
        return
    st.success(tr("data.workspace_saved", name=md(name.strip()), number=number))


def offer_comparison() -> None:
    """Two versions of the workspace shown, side by side: what changed (vawmap/compare.py)."""
    shown = current_workspace()
    if shown is None or shown[1] < 2:
        return
    name, newest = shown[0], shown[1]
    with st.expander(tr("data.compare_heading")):
        numbers = list(range(1, newest + 1))
        # Each version by its number, when it was saved (UTC, as the language writes dates) and by whom.
        saved = {version.number: version for version in versions_of(open_store(), name)}

        def version_label(number: int) -> str:
            version = saved.get(number)
            if version is None:
                return str(number)
            when = datetime_text(version.created_at, language())
            return tr("data.compare_version", number=number, when=when, author=version.author)

        left, right = st.columns(2)
        before = left.selectbox(
            tr("data.compare_before"), numbers, index=newest - 2, key="compare_before", format_func=version_label
        )
        after = right.selectbox(
            tr("data.compare_after"), numbers, index=newest - 1, key="compare_after", format_func=version_label
        )
        old, new = workspace_version(name, before), workspace_version(name, after)
        newer = assessment_of(new, new.token)
        found = compare(old.frames, new.frames, assessment_of(old, old.token), newer)
        if len(newer.people):
            draw_change_map(new, newer, region_change(found.ratios, newer.people.index), key="compare_map")
        for key, table in (
            ("actors_added", found.actors_added),
            ("actors_removed", found.actors_removed),
            ("actors_changed", found.actors_changed),
            ("services_added", found.services_added),
            ("services_removed", found.services_removed),
            ("ratios", found.ratios),
        ):
            st.markdown(f"**{tr(f'data.compare_{key}', count=len(table))}**")
            if len(table):
                shown = (
                    worded_changes(table, language()) if key == "actors_changed" else worded_table(table, language())
                )
                headers = table_headers(table.columns, language())
                percents = {
                    name: st.column_config.NumberColumn(headers[name], format="percent")
                    for name in ("before", "after", "change")
                    if key == "ratios"
                }
                st.dataframe(
                    shown,
                    hide_index=True,
                    width="stretch",
                    column_config={**headers, **percents, "standard": None},
                )
        for key, findings in (("findings_resolved", found.findings_resolved), ("findings_new", found.findings_new)):
            st.markdown(f"**{tr(f'data.compare_{key}', count=len(findings))}**")
            for finding in findings:
                st.markdown("- " + said(finding.message))


dataset = current_dataset()
st.title(tr("data.title"))

st.subheader(tr("data.upload_heading"))
st.caption(tr("data.upload_help", sheets=", ".join(sheet_label(name) for name in SHEET_ORDER)))
files = st.file_uploader(tr("data.upload_label"), type=UPLOAD_TYPES, accept_multiple_files=True, key="upload")
if files:
    uploads = tuple((file.name, file.getvalue()) for file in files)
    # Ingest looks up only regions and actors in what is loaded: key the cache on those alone,
    # so a rerun does not hash every loaded table.
    # The check runs through the mapping the user chose (the proposed one at first), shown here to change.
    # Over the sample, the upload starts a dataset of its own: its providers are not resolved to
    # the sample's actors ("UNFPA" to an actor it never loads). Its regions are still checked
    # against the sample's when most of them are among those (a typo gets its suggestion).
    known = {name: dataset[name] for name in REFERENCE_SHEETS if not (dataset.is_sample and name == "actors")}
    result = mapped_check(uploads, known)
    st.markdown("#### " + tr("data.check_result", files=", ".join(md(name) for name, _ in uploads)))
    if result.unreadable:
        st.error(
            tr("data.failed_upload", files=", ".join(md(name) for name in result.unreadable)), icon=":material/error:"
        )
    show_check(result)
    offer_load(result, dataset, uploads)

offer_workspace_save()
offer_comparison()

st.subheader(tr("data.template_heading"))
st.caption(tr("data.template_help"))
# Empty region and actor dropdowns unless asked: the template may go to anyone, and the loaded
# names (the sample's fictional ones, or a partner's list) leave only by a deliberate choice.
with_names = st.checkbox(tr("data.template_with_names"), help=tr("data.template_with_names_help"), key="template_names")
regions = tuple(dataset["regions"]["region"].dropna()) if with_names else ()
actors = tuple(dataset["actors"]["name"].dropna()) if with_names else ()
st.download_button(
    tr("data.download_template"),
    template_bytes(regions, actors, language()),
    file_name="vawmap_template.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_template",
)

st.subheader(tr("data.loaded_heading"))
dataset = current_dataset()  # may have just changed
tabs = st.tabs([f"{sheet_label(name)} ({number(len(dataset[name]))})" for name in SHEET_ORDER])
for tab, name in zip(tabs, SHEET_ORDER):
    with tab:
        public = public_table(dataset, dataset.token, name)
        if public.empty:
            st.caption(tr("data.empty_sheet"))
            continue
        search, region = st.columns([2, 1])
        text = search.text_input(tr("data.search"), key=f"search_{name}", placeholder=tr("data.search_help"))
        regions_wanted = (
            region.multiselect(
                tr("data.filter_region"),
                sorted(public["region"].dropna().unique()),
                key=f"filter_region_{name}",
                placeholder=tr("app.choose_options"),
            )
            if "region" in public
            else []
        )
        shown = found_rows(dataset, dataset.token, name, text, tuple(regions_wanted))
        st.caption(tr("data.rows_shown", shown=number(len(shown)), total=number(len(public))))
        if len(shown) > DISPLAY_LIMIT:
            st.caption(tr("data.display_limit", limit=number(DISPLAY_LIMIT)))
        # The browser gets at most DISPLAY_LIMIT rows per rerun; the download has them all.
        st.dataframe(
            worded_values(name, shown.head(DISPLAY_LIMIT), language()),
            width="stretch",
            hide_index=True,
            column_config=column_headers(name, language()),
        )
        # A callable: the CSV is written only when the button is clicked, not on every rerun.
        st.download_button(
            tr("data.download_csv", sheet=sheet_label(name)),
            lambda shown=shown: csv_bytes(shown),
            file_name=f"vawmap_{name}.csv",
            mime="text/csv",
            key=f"download_{name}",
        )
left, right = st.columns(2)
if left.button(tr("data.reset_sample"), key="reset_sample"):
    reset_to_sample()
    st.rerun()
if right.button(tr("data.clear"), key="clear_dataset"):
    set_dataset(Dataset())
    st.rerun()
