"""The Data page's mapping step: what each column and value of the chosen files means, changed
with select boxes before loading and checked again as it changes (vawmap/ingest/mapping.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.shared import check_upload, language, md, number, sheet_label, tr
from vawmap.contract import SHEET_ORDER
from vawmap.ingest import IngestResult
from vawmap.ingest.mapping import (
    UNSPECIFIED,
    Mapping,
    ProfileError,
    Suggestion,
    accept_suggestions,
    column_choices,
    mapping_specs,
    read_profile,
    suggestions,
    to_json,
    value_choices,
)
from vawmap.messages import render
from vawmap.vocab import vocabulary

MAPPING_KEY = "upload_mapping"  # (the upload's file names, the Mapping the user chose)
PROFILE_KEY = "mapping_profile"  # the profile file uploader
PROFILE_SAID_KEY = "mapping_profile_said"  # (success, text) about the last profile uploaded
WIDGET_PREFIX = "map|"
IGNORED, UNMAPPED, SET_ASIDE, NOT_READ = "\0ignored", "\0unmapped", "\0set_aside", "\0not_read"
VALUES_LISTED = 60  # value select boxes per column, the most frequent values first


def mapped_check(uploads: tuple[tuple[str, bytes], ...], known: dict[str, pd.DataFrame]) -> IngestResult:
    """The check of the uploads through the mapping the user chose (the proposed one at first),
    with the mapping shown to change, save, load and complete with the suggestions."""
    names = tuple(name for name, _ in uploads)
    chosen = st.session_state.get(MAPPING_KEY)
    if chosen is not None and chosen[0] != names:  # other files: their own proposal
        _forget_choices()
        chosen = None
    result = check_upload(uploads, known, chosen[1] if chosen else None)
    if not result.mapping.sheets and not result.mapping.unrecognised:
        return result
    st.markdown("#### " + tr("mapping.heading"))
    st.caption(tr("mapping.help"))
    _profile_controls(result, names)
    for index, item in enumerate(result.mapping.sheets):
        title = tr("mapping.sheet", file=md(item.file), sheet=md(item.sheet), table=sheet_label(item.table))
        with st.expander(title, expanded=True):
            _table_choice(result.mapping, names, item.file, item.sheet, item.table)
            _column_choices(result.mapping, names, index)
            _value_choices(result.mapping, names, index)
    for file, sheet in result.mapping.unrecognised:
        with st.expander(tr("mapping.unrecognised", file=md(file), sheet=md(sheet)), expanded=True):
            _table_choice(result.mapping, names, file, sheet, NOT_READ)
    return result


# ── the choices ───────────────────────────────────────────────────────────────


def _table_choice(mapping: Mapping, names: tuple[str, ...], file: str, sheet: str, table: str) -> None:
    key = f"{WIDGET_PREFIX}table|{file}|{sheet}"
    st.session_state.setdefault(key, table)
    options = list(SHEET_ORDER) if table != NOT_READ else [NOT_READ, *SHEET_ORDER]
    st.selectbox(
        tr("mapping.table"),
        options,
        key=key,
        format_func=lambda name: tr("mapping.not_read") if name == NOT_READ else sheet_label(name),
        on_change=_table_changed,
        args=(mapping, names, file, sheet, key),
    )


def _table_changed(mapping: Mapping, names, file: str, sheet: str, key: str) -> None:
    if st.session_state[key] == NOT_READ:
        return
    changed = mapping.with_table(file, sheet, st.session_state[key])
    # The sheet's column and value boxes belong to the table it was read as: they start anew.
    prefixes = tuple(f"{WIDGET_PREFIX}{kind}|{file}|{sheet}|" for kind in ("col", "val"))
    for stale in [name for name in st.session_state if str(name).startswith(prefixes)]:
        del st.session_state[stale]
    st.session_state[MAPPING_KEY] = (names, changed)


def _column_choices(mapping: Mapping, names: tuple[str, ...], index: int) -> None:
    item = mapping.sheets[index]
    st.markdown("**" + tr("mapping.columns_heading") + "**")
    options = [IGNORED, *column_choices(item.table)]
    labels = mapping_specs()[item.table].columns
    grid = st.columns(3)
    for position, (header, canonical) in enumerate(item.columns.items()):
        key = f"{WIDGET_PREFIX}col|{item.file}|{item.sheet}|{header}"
        st.session_state.setdefault(key, canonical if canonical in options else IGNORED)
        grid[position % 3].selectbox(
            md(header),
            options,
            key=key,
            format_func=lambda value: tr("mapping.ignored") if value == IGNORED else labels[value].label_in(language()),
            on_change=_column_changed,
            args=(mapping, names, item.file, item.sheet, header, key),
        )


def _value_choices(mapping: Mapping, names: tuple[str, ...], index: int) -> None:
    item = mapping.sheets[index]
    for column, counts in item.found.items():
        if not counts:
            continue
        choices = value_choices(item.table, column)
        options = [UNMAPPED, *choices, SET_ASIDE]
        column_label = mapping_specs()[item.table].columns[column].label_in(language())
        st.markdown("**" + tr("mapping.values_heading", column=md(column_label)) + "**")
        grid = st.columns(3)
        mapped = item.values.get(column, {})
        for position, (value, count) in enumerate(list(counts.items())[:VALUES_LISTED]):
            key = f"{WIDGET_PREFIX}val|{item.file}|{item.sheet}|{column}|{value}"
            current = (mapped[value] or SET_ASIDE) if value in mapped else UNMAPPED
            st.session_state.setdefault(key, current if current in options else UNMAPPED)
            label = tr("mapping.value_label", value=md(value), count=number(count))
            if value in item.suggested.get(column, {}):
                label = tr("mapping.suggested", value=label, suggestion=md(item.suggested[column][value]))
            grid[position % 3].selectbox(
                label,
                options,
                key=key,
                format_func=_value_label(column, choices),
                on_change=_value_changed,
                args=(mapping, names, item.file, item.sheet, column, value, key),
            )


def _value_label(column: str, choices: list[str]):
    vocab = vocabulary("service_type") if UNSPECIFIED in choices else None

    def label(value: str) -> str:
        if value == UNMAPPED:
            return tr("mapping.unmapped")
        if value == SET_ASIDE:
            return tr("mapping.set_aside")
        if value == UNSPECIFIED:
            return tr("mapping.keep_unspecified")
        if vocab is not None:
            return vocab.label(value, language())
        return value

    return label


def _column_changed(mapping: Mapping, names, file: str, sheet: str, header: str, key: str) -> None:
    chosen = st.session_state[key]
    st.session_state[MAPPING_KEY] = (
        names,
        mapping.with_column(file, sheet, header, None if chosen == IGNORED else chosen),
    )


def _value_changed(mapping: Mapping, names, file: str, sheet: str, column: str, value: str, key: str) -> None:
    chosen = st.session_state[key]
    if chosen == UNMAPPED:
        changed = mapping.without_value(file, sheet, column, value)
    else:
        changed = mapping.with_value(file, sheet, column, value, None if chosen == SET_ASIDE else chosen)
    st.session_state[MAPPING_KEY] = (names, changed)


# ── suggestions and profiles ──────────────────────────────────────────────────


def _profile_controls(result: IngestResult, names: tuple[str, ...]) -> None:
    offered = suggestions(result.mapping, result.problems)
    accept, reset, download = st.columns(3)
    accept.button(
        tr("mapping.accept_all", count=len(offered)),
        key="mapping_accept_all",
        help=tr("mapping.accept_all_help"),
        disabled=not offered,
        on_click=_accept,
        args=(result.mapping, result.problems, names, None),
    )
    reset.button(tr("mapping.reset"), key="mapping_reset", on_click=_forget_choices)
    download.download_button(
        tr("mapping.download"),
        to_json(result.mapping).encode("utf-8"),
        file_name="vawmap_mapping.json",
        mime="application/json",
        key="mapping_download",
    )
    st.file_uploader(
        tr("mapping.upload"), type=["json", "toml"], key=PROFILE_KEY, on_change=_apply_profile, args=(names,)
    )
    if offered:
        _offer_some(result, names, offered)
    said = st.session_state.get(PROFILE_SAID_KEY)
    if said:
        (st.success if said[0] else st.error)(said[1])


def _offer_some(result: IngestResult, names: tuple[str, ...], offered: list[Suggestion]) -> None:
    """The suggested fixes one by one, to accept some of them."""
    labels = mapping_specs()

    def label(suggestion: Suggestion) -> str:
        file, sheet, column, value, canonical = suggestion
        table = next(item.table for item in result.mapping.sheets if (item.file, item.sheet) == (file, sheet))
        spec = labels[table].columns.get(column)
        shown = spec.label_in(language()) if spec is not None else column
        if spec is not None and spec.kind in ("vocab", "vocab_list"):  # the value it becomes, by its label
            canonical = vocabulary(spec.vocabulary).label(canonical, language())
        return tr("mapping.fix", file=file, sheet=sheet, column=shown, value=value, suggestion=canonical)

    chosen = st.multiselect(
        tr("mapping.fixes"), offered, format_func=label, key="mapping_fixes", placeholder=tr("app.choose_options")
    )
    st.button(
        tr("mapping.accept_chosen", count=len(chosen)),
        key="mapping_accept_chosen",
        disabled=not chosen,
        on_click=_accept,
        args=(result.mapping, result.problems, names, chosen),
    )


def _accept(mapping: Mapping, problems: pd.DataFrame, names: tuple[str, ...], only: list[Suggestion] | None) -> None:
    accepted = accept_suggestions(mapping, problems, only)
    _forget_choices()
    st.session_state.pop("mapping_fixes", None)
    st.session_state[MAPPING_KEY] = (names, accepted)


def _apply_profile(names: tuple[str, ...]) -> None:
    upload = st.session_state.get(PROFILE_KEY)
    if upload is None:
        return
    try:
        profile = read_profile(upload.getvalue())
    except ProfileError as problem:
        why = render(problem.message, language())
        st.session_state[PROFILE_SAID_KEY] = (False, tr("mapping.profile_refused", file=md(upload.name), why=why))
        return
    _forget_choices()
    st.session_state[MAPPING_KEY] = (names, profile)
    st.session_state[PROFILE_SAID_KEY] = (True, tr("mapping.profile_applied", file=md(upload.name)))


def _forget_choices() -> None:
    """Back to the proposal: the chosen mapping and every select box's state are dropped, so
    the boxes show the mapping of the next check."""
    for key in [key for key in st.session_state if str(key).startswith(WIDGET_PREFIX)]:
        del st.session_state[key]
    st.session_state.pop(MAPPING_KEY, None)
    st.session_state.pop(PROFILE_SAID_KEY, None)
