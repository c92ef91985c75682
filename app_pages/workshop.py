"""Workshop: the roundtable's record in the opened workspace (sessions, who came, notes per
sector, engagement changes, decisions and commitments, action items), the yearly scorecards,
and a room view for the projector (?room=1): large type, the findings and the gap map."""

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages.regional_view import draw_region_map
from app_pages.shared import (
    current_assessment,
    current_dataset,
    current_intake,
    current_workspace,
    language,
    may_change,
    md,
    said,
    tr,
)
from vawmap import charts
from vawmap.dashboard.regional import measures
from vawmap.exports import csv_bytes
from vawmap.i18n import label
from vawmap.messages import date_pattern, date_text
from vawmap.scorecards import (
    check_scores,
    default_criteria,
    empty_scores,
    falling_scores,
    read_score_sheet,
    score_columns,
    score_range,
    score_sheet_xlsx,
    score_trend,
)
from vawmap.store import StoreError, open_store
from vawmap.store import workshop as records_store
from vawmap.vocab import vocabulary
from vawmap.workshop import action_statuses, action_table, changed_fields, current_value

ROOM_KEY = "room_view"
SCORES_SAID_KEY = "scores_said"  # what saving the scores said, shown after the table is drawn again
ROOM_FINDINGS = 10
FIELD_KEYS = {
    "engagement": "workshop.field_engagement",
    "influence": "workshop.field_influence",
    "interest": "workshop.field_interest",
}
STATUS_KEYS = {"open": "workshop.status_open", "done": "workshop.status_done", "dropped": "workshop.status_dropped"}
SEVERITY_ICONS = {"critical": ":material/error:", "major": ":material/warning:", "minor": ":material/info:"}
# Large type for the projector, and nothing but the findings and the map: no sidebar, no menu.
ROOM_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stHeader"], header, nav { display: none !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.9rem; line-height: 1.35; }
h1 { font-size: 3.2rem !important; }
</style>"""

dataset = current_dataset()
workspace = current_workspace()

if st.query_params.get("room") == "1":
    st.session_state[ROOM_KEY] = True


def _set_room() -> None:
    if st.session_state.get(ROOM_KEY):
        st.query_params["room"] = "1"
    else:
        st.query_params.pop("room", None)


st.toggle(tr("workshop.room_toggle"), key=ROOM_KEY, on_change=_set_room)


# ── the room view ────────────────────────────────────────────────────────────
if st.session_state.get(ROOM_KEY):
    st.html(ROOM_STYLE)  # only style: applied to the page, nothing shown, no markdown flag opened
    st.title(tr("workshop.room_title"))
    assessment = current_assessment()
    findings = dataset.caveats(current_intake()).shown(assessment.findings)
    left, right = st.columns([1, 1])
    with left:
        st.subheader(tr("workshop.room_findings"))
        if not findings:
            st.markdown(tr("overview.no_findings"))
        for finding in findings[:ROOM_FINDINGS]:
            icon, severity = SEVERITY_ICONS.get(finding.severity, ""), tr(f"severity.{finding.severity}")
            st.markdown(f"{icon} **{severity}** — {said(finding.message)}")
        if workspace is not None:
            for fell in falling_scores(records_store.scores(open_store(), workspace[0]), dataset["actors"]):
                st.markdown(f":material/trending_down: {said(fell)}")
    with right:
        if not (dataset["regions"].empty and dataset["services"].empty):
            draw_region_map(dataset, assessment, measures(assessment)[0], key="room_map", height=640)
    st.stop()


st.title(tr("workshop.title"))
st.caption(tr("workshop.intro"))
if workspace is None:
    st.info(tr("workshop.needs_workspace"), icon=":material/info:")
    st.page_link("app_pages/data.py", label=tr("nav.data"), icon=":material/table_view:")
    st.stop()

name = workspace[0]
engine = open_store()
editable = may_change(name)  # a protected workspace: visitors view the record, editors change it
if not editable:
    st.info(tr("workshop.view_only"), icon=":material/lock:")
actors = dataset["actors"]
with_ids = actors[actors["actor_id"].notna()]  # the record names actors by id
actor_names = dict(zip(with_ids["actor_id"], with_ids["name"], strict=True))
today = dt.date.today()


def actor_name(actor_id: object) -> str:
    return "" if actor_id is None or pd.isna(actor_id) else str(actor_names.get(actor_id, actor_id))


def changed_value(field: str, value: object) -> str:
    """A recorded value as the room reads it: an engagement by its label, a score as written."""
    if value is None or pd.isna(value) or value == "":
        return ""
    return label("engagement", str(value), language()) if field == "engagement" else str(value)


def attempt(action, done_key: str) -> None:
    """Run a store call; say it is done, or why it was refused (nothing raised into the page)."""
    try:
        action()
    except StoreError as error:
        st.error(said(error.message), icon=":material/error:")
    else:
        st.toast(tr(done_key))


found = records_store.records(engine, name)
sessions_tab, actions_tab, scores_tab = st.tabs(
    [tr("workshop.tab_sessions"), tr("workshop.tab_actions"), tr("workshop.tab_scorecards")]
)

# ── sessions ─────────────────────────────────────────────────────────────────
with sessions_tab:
    if editable:
        with st.expander(tr("workshop.new_session"), expanded=found.sessions.empty), st.form("new_session"):
            held_on = st.date_input(
                tr("workshop.held_on"), value=today, key="session_date", format=date_pattern(language())
            )
            place = st.text_input(tr("workshop.place"), key="session_place")
            facilitator = st.text_input(tr("workshop.facilitator"), key="session_facilitator")
            present = st.multiselect(
                tr("workshop.participants"),
                list(actor_names),
                format_func=actor_name,
                key="session_actors",
                placeholder=tr("app.choose_options"),
            )
            guests = st.text_area(tr("workshop.guests"), help=tr("workshop.guests_help"), key="session_guests")
            note = st.text_area(tr("workshop.note"), key="session_note")
            if st.form_submit_button(tr("workshop.add_session"), key="add_session"):
                attempt(
                    lambda: records_store.add_session(
                        engine,
                        name,
                        held_on,
                        place=place,
                        facilitator=facilitator,
                        note=note,
                        actors=present,
                        guests=guests.splitlines(),
                    ),
                    "workshop.session_added",
                )
                found = records_store.records(engine, name)

    if found.sessions.empty:
        st.info(tr("workshop.no_sessions"), icon=":material/info:")
    else:
        titles = {
            row.session_id: tr(
                "workshop.session_title", date=date_text(row.held_on, language()), place=row.place or "—"
            )
            for row in found.sessions.itertuples()
        }
        chosen = st.selectbox(
            tr("workshop.session"),
            list(reversed(titles)),
            format_func=lambda session_id: titles[session_id],
            key="session",
        )
        meeting = found.sessions.set_index("session_id").loc[chosen]
        came = found.participants[found.participants["session_id"] == chosen]
        people = [actor_name(actor) for actor in came["actor_id"].dropna()] + list(came["guest"].dropna())
        st.markdown(
            tr("workshop.session_facilitator", facilitator=md(meeting["facilitator"] or "—"))
            + "  \n"
            + tr("workshop.session_participants", names=", ".join(md(person) for person in people) or "—")
        )
        if meeting["note"]:
            st.caption(md(meeting["note"]))

        notes_column, changes_column = st.columns(2)
        with notes_column:
            st.subheader(tr("workshop.sector_notes"))
            if editable:
                with st.form("sector_note", clear_on_submit=True):
                    sector = st.selectbox(
                        tr("workshop.sector"),
                        vocabulary("sector").values,
                        format_func=lambda value: label("sector", value, language()),
                        key="note_sector",
                    )
                    text = st.text_area(tr("workshop.note_text"), key="note_text")
                    if st.form_submit_button(tr("workshop.add_note"), key="add_note"):
                        attempt(
                            lambda: records_store.add_sector_note(engine, name, chosen, sector, text),
                            "workshop.note_added",
                        )
                        found = records_store.records(engine, name)
            notes = found.sector_notes[found.sector_notes["session_id"] == chosen]
            for row in notes.itertuples():
                st.markdown(f"**{md(label('sector', row.sector, language()))}** — {md(row.text)}")

        with changes_column:
            st.subheader(tr("workshop.changes"))
            if actor_names and editable:
                who = st.selectbox(tr("workshop.actor"), list(actor_names), format_func=actor_name, key="change_actor")
                field = st.selectbox(
                    tr("workshop.field"),
                    changed_fields(),
                    format_func=lambda value: tr(FIELD_KEYS[value]),
                    key="change_field",
                )
                before = current_value(found.changes, actors, who, field)
                if field == "engagement":
                    options = list(vocabulary("engagement").values)
                    shown_value = lambda value: label("engagement", value, language())  # noqa: E731
                else:
                    options = [str(number) for number in range(1, 6)]
                    shown_value = str
                after = st.selectbox(
                    tr("workshop.new_value", before=shown_value(before) if before else "—"),
                    options,
                    format_func=shown_value,
                    key="change_value",
                )
                if st.button(tr("workshop.record_change"), key="record_change"):
                    attempt(
                        lambda: records_store.record_change(engine, name, chosen, who, field, before, after),
                        "workshop.change_recorded",
                    )
                    found = records_store.records(engine, name)
            changes = found.changes[found.changes["session_id"] == chosen]
            for row in changes.itertuples():
                st.markdown(
                    tr(
                        "workshop.change_line",
                        actor=md(actor_name(row.actor_id)),
                        field=tr(FIELD_KEYS[row.field]),
                        before=md(changed_value(row.field, row.before) or "—"),
                        after=md(changed_value(row.field, row.after)),
                    )
                )

        st.subheader(tr("workshop.decisions"))
        if editable:
            with st.form("decision", clear_on_submit=True):
                committed = st.selectbox(
                    tr("workshop.decision_actor"),
                    ["", *actor_names],
                    format_func=lambda value: actor_name(value) if value else tr("workshop.the_room"),
                    key="decision_actor",
                )
                decided = st.text_area(tr("workshop.decision_text"), key="decision_text")
                if st.form_submit_button(tr("workshop.add_decision"), key="add_decision"):
                    attempt(
                        lambda: records_store.add_decision(engine, name, chosen, decided, committed or None),
                        "workshop.decision_added",
                    )
                    found = records_store.records(engine, name)
        decisions = found.decisions[found.decisions["session_id"] == chosen]
        for row in decisions.itertuples():
            who_said = actor_name(row.actor_id) if isinstance(row.actor_id, str) else tr("workshop.the_room")
            st.markdown(f"- **{md(who_said)}**: {md(row.text)}")

        if editable:
            st.subheader(tr("workshop.new_action"))
            with st.form("action", clear_on_submit=True):
                what = st.text_input(tr("workshop.action_what"), key="action_what")
                owner = st.selectbox(
                    tr("workshop.action_owner"),
                    ["", *actor_names],
                    format_func=lambda value: actor_name(value) if value else "—",
                    key="action_owner",
                )
                due = st.date_input(
                    tr("workshop.action_due"), value=None, key="action_due", format=date_pattern(language())
                )
                if st.form_submit_button(tr("workshop.add_action"), key="add_action"):
                    attempt(
                        lambda: records_store.add_action(engine, name, chosen, what, owner or None, due),
                        "workshop.action_added",
                    )
                    found = records_store.records(engine, name)

# ── action items of every session ────────────────────────────────────────────
with actions_tab:
    table = action_table(found.actions, found.sessions, actors, today)
    late = int(table["overdue"].sum())
    if late:
        st.warning(tr("workshop.overdue_count", count=late), icon=":material/schedule:")
    if table.empty:
        st.info(tr("workshop.no_actions"), icon=":material/info:")
    else:
        shown_actions = table[["action_id", "overdue", "what", "owner", "due_on", "held_on", "status"]]
        edited = st.data_editor(
            shown_actions,
            key="actions_editor",
            hide_index=True,
            disabled=["action_id", "overdue", "what", "owner", "due_on", "held_on"] if editable else True,
            column_config={
                "action_id": None,
                "overdue": st.column_config.CheckboxColumn(tr("workshop.overdue")),
                "what": tr("workshop.action_what"),
                "owner": tr("workshop.action_owner"),
                "due_on": st.column_config.DateColumn(tr("workshop.action_due"), format=date_pattern(language())),
                "held_on": st.column_config.DateColumn(tr("workshop.action_session"), format=date_pattern(language())),
                "status": st.column_config.SelectboxColumn(
                    tr("workshop.action_status"),
                    options=list(action_statuses()),
                    required=True,
                    format_func=lambda status: tr(STATUS_KEYS[status]),
                ),
            },
        )
        changed = edited[edited["status"] != shown_actions["status"]]
        if editable and st.button(tr("workshop.save_statuses"), key="save_statuses", disabled=changed.empty):
            statuses = dict(zip(changed["action_id"].astype(int), changed["status"], strict=True))
            attempt(lambda: records_store.set_action_statuses(engine, name, statuses), "workshop.statuses_saved")
            st.session_state.pop("actions_editor", None)
            st.rerun()

# ── scorecards ───────────────────────────────────────────────────────────────
with scores_tab:
    stored_criteria = records_store.criteria(engine, name)
    criteria = stored_criteria or default_criteria(language())
    scores_now = records_store.scores(engine, name)
    low, high = score_range()
    st.caption(tr("workshop.scores_intro", low=low, high=high))

    with st.expander(tr("workshop.criteria"), expanded=not stored_criteria):
        typed = st.data_editor(
            pd.DataFrame({"criterion": criteria}),
            key="criteria_editor",
            disabled=not editable,
            num_rows="dynamic",
            hide_index=True,
            column_config={"criterion": tr("workshop.criterion")},
        )
        if editable and st.button(tr("workshop.save_criteria"), key="save_criteria"):
            records_store.set_criteria(engine, name, typed["criterion"].tolist())
            st.session_state.pop("criteria_editor", None)  # its edits are the saved criteria now
            st.rerun()

    year = int(st.number_input(tr("workshop.year"), 1990, 2100, value=today.year, step=1, key="score_year"))
    of_year = scores_now[scores_now["year"] == year].drop(columns="year")
    if said_before := st.session_state.pop(SCORES_SAID_KEY, None):  # what the last save said
        problems, saved = said_before
        for problem in problems:
            st.error(said(problem), icon=":material/error:")
        st.success(tr("workshop.scores_saved", **saved))
    editor_key = f"scores_editor_{year}"
    scored = st.data_editor(
        of_year if len(of_year) else empty_scores().drop(columns="year"),
        key=editor_key,
        disabled=not editable,
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "actor_id": st.column_config.SelectboxColumn(
                tr("workshop.actor"), options=list(actor_names), required=True, format_func=actor_name
            ),
            "criterion": st.column_config.SelectboxColumn(tr("workshop.criterion"), options=criteria, required=True),
            "score": st.column_config.NumberColumn(tr("workshop.score"), min_value=low, max_value=high, step=0.5),
            "rationale": st.column_config.TextColumn(tr("workshop.rationale")),
        },
    )
    if editable and st.button(tr("workshop.save_scores"), key="save_scores"):
        valid, problems = check_scores(scored.assign(year=year), actor_names, criteria, first_row=1)
        if not stored_criteria:
            records_store.set_criteria(engine, name, criteria)
        records_store.save_scores(engine, name, valid, years=[year])
        # The table is drawn again from what was saved (rows with a problem are not), and says so.
        st.session_state[SCORES_SAID_KEY] = (problems, {"count": len(valid), "year": year, "left": len(problems)})
        st.session_state.pop(editor_key, None)
        st.rerun()

    upload = (
        st.file_uploader(tr("workshop.upload_scores"), type=["xlsx", "csv"], key="scores_upload") if editable else None
    )
    if upload is not None:
        cells, problems, sheet_name = read_score_sheet(upload.name, upload.getvalue())
        valid = empty_scores()
        if cells is not None:
            valid, problems = check_scores(cells, actor_names, criteria, file=upload.name, sheet=sheet_name)
        for problem in problems:
            st.error(said(problem), icon=":material/error:")
        years = sorted(valid["year"].unique().tolist())
        st.caption(tr("workshop.upload_effect", count=len(valid), years=", ".join(map(str, years)) or "—"))
        if st.button(tr("workshop.import_scores"), key="import_scores", disabled=valid.empty):
            if not stored_criteria:
                records_store.set_criteria(engine, name, criteria)
            records_store.save_scores(engine, name, valid, years=years)
            st.success(tr("workshop.scores_imported", count=len(valid)))
            scores_now = records_store.scores(engine, name)

    if not scores_now.empty:
        st.plotly_chart(charts.score_lines(score_trend(scores_now, actors), language()), key="score_chart")
        for fell in falling_scores(scores_now, actors):
            st.warning(said(fell), icon=":material/trending_down:")
        left, right = st.columns(2)
        # Callables: the files are written when a button is clicked, not on every rerun.
        left.download_button(
            tr("workshop.download_scores_xlsx"),
            lambda scores=scores_now: score_sheet_xlsx(scores),
            file_name="scorecards.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="download_scores_xlsx",
        )
        right.download_button(
            tr("workshop.download_scores_csv"),
            lambda scores=scores_now: csv_bytes(scores[score_columns()]),
            file_name="scorecards.csv",
            mime="text/csv",
            key="download_scores_csv",
        )
