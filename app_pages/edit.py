"""Edit: change the sheets of the workspace version shown, and save the change as a new version.

The editors show each sheet's public view (vawmap/editing.py editor_frame): a confidential
service's location never reaches the browser, and saving keeps it as it was. A save is merged
with what others saved since (vawmap/editing.py save_edit); when someone changed the same cell,
nothing is saved and the page shows both values to choose from. The edits stay in the editors
until a save goes through.
"""

import pandas as pd
import streamlit as st

from app_pages.shared import (
    DATASET_KEY,
    current_workspace,
    language,
    may_change,
    md,
    open_version,
    said,
    sheet_label,
    tr,
)
from vawmap.contract import SHEET_ORDER, ColumnSpec, sheet
from vawmap.editing import (
    MINE,
    ROW,
    THEIRS,
    Conflict,
    EditOutcome,
    editor_frame,
    items_for_editor,
    items_joined,
    keyed_version,
    row_label,
    save_edit,
    with_new_keys,
)
from vawmap.messages import date_pattern
from vawmap.store import StoreError, database_url, open_store
from vawmap.store.workspaces import ROW_KEY
from vawmap.vocab import vocabulary

EDIT_AUTHOR_KEY = "edit_author"
CONFLICTS_KEY = "edit_conflicts"  # (workspace, base number, conflicts, edited frames) of a save refused
REPORT_KEY = "edit_report"  # (workspace, number, outcome, edited frames) of the last save


def editor_key(sheet_name: str, number: int) -> str:
    """An editor's key names the version it edits: a save opens the next version in fresh editors."""
    return f"edit_{sheet_name}_{number}"


def editor_frames(name: str, number: int) -> dict[str, pd.DataFrame]:
    return _editor_frames(database_url(), name, number)


@st.cache_resource(show_spinner=False, max_entries=8)
def _editor_frames(url: str, name: str, number: int) -> dict[str, pd.DataFrame]:
    """What the editors of a version start from (public views, keyed): a version never changes.
    Keyed by the store too, so two stores' versions of one name never mix."""
    keyed = keyed_version(open_store(url), name, number)
    return {
        sheet_name: items_for_editor(sheet_name, editor_frame(sheet_name, keyed[sheet_name]))
        for sheet_name in SHEET_ORDER
    }


def column_config(sheet_name: str) -> dict[str, object]:
    """Each column under its label, with a list to pick from for vocabulary columns."""
    columns = {name: _column(spec) for name, spec in sheet(sheet_name).columns.items() if not spec.personal}
    return {ROW_KEY: None, **columns}  # the row's key goes along, hidden


def _column(spec: ColumnSpec):
    label = spec.label_in(language())
    help_text = spec.help_in(language())
    if spec.kind in ("vocab", "vocab_list"):
        # Each value shown by its label in the session's language; the cell keeps the code.
        words = vocabulary(spec.vocabulary).labels
        labels, options = words.get(language(), words["en"]), list(vocabulary(spec.vocabulary).values)
        if spec.kind == "vocab_list":
            return st.column_config.MultiselectColumn(label, options=options, help=help_text, format_func=labels.get)
        return st.column_config.SelectboxColumn(label, options=options, help=help_text, format_func=labels.get)
    if spec.kind == "yes_no":
        return st.column_config.CheckboxColumn(label, help=help_text)
    if spec.kind in ("integer", "number"):
        return st.column_config.NumberColumn(label, step=1 if spec.kind == "integer" else None, help=help_text)
    if spec.kind == "date":
        return st.column_config.DateColumn(label, help=help_text, format=date_pattern(language()))
    return st.column_config.TextColumn(label, help=help_text)


def changed(sheet_name: str, number: int) -> bool:
    state = st.session_state.get(editor_key(sheet_name, number)) or {}
    return any(state.get(part) for part in ("edited_rows", "added_rows", "deleted_rows"))


def save(name: str, number: int, edited: dict[str, pd.DataFrame], choices=None) -> None:
    author = st.session_state.get(EDIT_AUTHOR_KEY, "").strip()
    note = st.session_state.get("edit_note", "").strip()
    try:
        outcome = save_edit(open_store(), name, number, edited, author, note, choices)
    except StoreError as error:
        st.error(said(error.message), icon=":material/error:")
        return
    if outcome.saved is None:
        st.session_state[CONFLICTS_KEY] = (name, number, outcome.conflicts, edited)
        return
    st.session_state.pop(CONFLICTS_KEY, None)
    st.session_state[REPORT_KEY] = (name, outcome.saved.number, outcome, edited)
    open_version(name, outcome.saved.number)
    st.rerun()


def shown_value(value: object) -> str:
    return tr("edit.blank") if value is None or (not isinstance(value, dict) and pd.isna(value)) else md(value)


def conflict_text(conflict: Conflict) -> str:
    where = {"sheet": sheet_label(conflict.sheet), "row": md(row_label(conflict.sheet, conflict.row))}
    if conflict.column == ROW:
        key = "edit.conflict_deleted_by_me" if conflict.mine is None else "edit.conflict_deleted_by_them"
        return tr(key, **where)
    column = sheet(conflict.sheet).columns[conflict.column]
    return tr(
        "edit.conflict_cell",
        **where,
        column=md(column.label_in(language())),
        mine=shown_value(conflict.mine),
        theirs=shown_value(conflict.theirs),
        base=shown_value(conflict.base),
    )


def show_conflicts(name: str, number: int) -> None:
    stored = st.session_state.get(CONFLICTS_KEY)
    if not stored or stored[:2] != (name, number):
        return
    conflicts, edited = stored[2], stored[3]
    st.subheader(tr("edit.conflicts_heading"))
    st.warning(tr("edit.conflicts_help"), icon=":material/warning:")
    options = {MINE: tr("edit.keep_mine"), THEIRS: tr("edit.keep_theirs")}
    choices = {}
    for number_in_list, conflict in enumerate(conflicts):
        side = st.radio(
            conflict_text(conflict),
            list(options),
            format_func=options.get,
            key=f"edit_choice_{number_in_list}",
            horizontal=True,
        )
        choices[(conflict.sheet, conflict.key, conflict.column)] = conflict.choose(side)
    if st.button(tr("edit.save_choices"), key="edit_save_choices", type="primary"):
        save(name, number, edited, choices)


def problem_rows(outcome: EditOutcome, edited: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One line per problem: the sheet, the row as the editor numbers it, the column, the value
    typed, what is wrong and how to fix it."""
    rows = []
    for problem in outcome.problems:
        frame = edited.get(problem.sheet)
        found = (frame[ROW_KEY] == problem.key).to_numpy().nonzero()[0] if frame is not None else []
        position = int(found[0]) + 1 if len(found) else None
        value = frame[problem.column].iloc[found[0]] if position and problem.column in frame.columns else None
        rows.append(
            {
                tr("edit.problem_sheet"): sheet_label(problem.sheet),
                tr("edit.problem_row"): position,
                tr("edit.problem_column"): problem.column,
                tr("edit.problem_value"): None if value is None or pd.isna(value) else str(value),
                tr("edit.problem_saved"): tr("edit.not_saved") if problem.refused else tr("edit.saved_cleared"),
                tr("edit.problem_message"): said(problem.message),
                tr("edit.problem_fix"): said(problem.suggestion) if problem.suggestion else "",
            }
        )
    return pd.DataFrame(rows)


def show_report(name: str, number: int) -> None:
    report = st.session_state.get(REPORT_KEY)
    if not report or report[:2] != (name, number):
        return
    outcome, edited = report[2], report[3]
    st.success(tr("edit.saved", number=number), icon=":material/check_circle:")
    if outcome.problems:
        refused = len({(problem.sheet, problem.key) for problem in outcome.problems if problem.refused})
        if refused:
            st.warning(tr("edit.refused", count=refused), icon=":material/warning:")
        st.subheader(tr("edit.problems_heading"))
        st.dataframe(problem_rows(outcome, edited), hide_index=True)


st.title(tr("edit.title"))
st.caption(tr("edit.intro"))
shown = current_workspace()
if shown is None or DATASET_KEY not in st.session_state:
    st.info(tr("edit.needs_workspace"), icon=":material/info:")
    st.page_link("app_pages/data.py", label=tr("nav.data"), icon=":material/table_view:")
    st.stop()
name, number = shown
if not may_change(name):
    st.info(tr("app.view_only"), icon=":material/lock:")  # the passphrase is asked in the sidebar
    st.stop()
show_report(name, number)
frames = editor_frames(name, number)
edited = {}
for tab, sheet_name in zip(st.tabs([sheet_label(sheet_name) for sheet_name in SHEET_ORDER]), SHEET_ORDER):
    with tab:
        edited[sheet_name] = items_joined(
            sheet_name,
            st.data_editor(
                frames[sheet_name],
                key=editor_key(sheet_name, number),
                num_rows="dynamic",
                hide_index=True,
                column_config=column_config(sheet_name),
                width="stretch",
            ),
        )
author_column, note_column = st.columns(2)
author_column.text_input(tr("edit.author"), key=EDIT_AUTHOR_KEY)
note_column.text_input(tr("edit.note"), key="edit_note")
if st.button(tr("edit.save"), key="edit_save", type="primary"):
    changes = {name_: with_new_keys(frame) for name_, frame in edited.items() if changed(name_, number)}
    if not st.session_state.get(EDIT_AUTHOR_KEY, "").strip():
        st.warning(tr("edit.needs_author"), icon=":material/warning:")
    elif not changes:
        st.info(tr("edit.nothing_changed"), icon=":material/info:")
    else:
        save(name, number, changes)
show_conflicts(name, number)
