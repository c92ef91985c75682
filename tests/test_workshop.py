"""The workshop record and scorecards: kept in the store on SQLite and on a real PostgreSQL
(tests/postgres_server.py), overdue action items, a finding when a score falls, and a workspace
backup that brings the record back; then the workshop page (AppTest)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from vawmap.cli import main
from vawmap.dataset import SAMPLE_WORKBOOK, sample_dataset
from vawmap.gaps.assess import assess
from vawmap.i18n import t
from vawmap.messages import render
from vawmap.scorecards import check_scores, falling_scores, read_score_sheet, score_sheet_xlsx, score_trend
from vawmap.store import StoreError, create_workspace, open_store, save_version
from vawmap.store.access import set_passphrase
from vawmap.store.database import MIGRATIONS
from vawmap.store.workshop import (
    add_action,
    add_decision,
    add_sector_note,
    add_session,
    criteria,
    record_change,
    record_frames,
    records,
    save_scores,
    scores,
    set_action_statuses,
    set_criteria,
)
from vawmap.workshop import action_table, current_value, overdue

TODAY = dt.date(2026, 3, 15)
ACTORS = pd.DataFrame(
    {
        "actor_id": ["A1", "A2", "A3"],
        "name": ["Ministry of Health", "Police", "Women's Network"],
        "influence": pd.array([4, 3, 2], dtype="Int64"),
        "interest": pd.array([2, 5, 5], dtype="Int64"),
        "engagement": ["neutral", "engaged", "committed"],
    }
)
CRITERIA = ["Policy", "Budget"]
SCORES = pd.DataFrame(
    {
        "year": [2024, 2024, 2025, 2025, 2024, 2025],
        "actor_id": ["A1", "A1", "A1", "A1", "A2", "A2"],
        "criterion": ["Policy", "Budget", "Policy", "Budget", "Policy", "Policy"],
        "score": [8.0, 6.0, 5.0, 4.0, 3.0, 6.0],
        "rationale": ["plan adopted", "", "plan lapsed", "=cut by half", "", "new unit"],
    }
)
ACTIONS = pd.DataFrame(
    {
        "action_id": [1, 2, 3, 4, 5],
        "session_id": [1, 1, 2, 2, 2],
        "what": ["late", "done late", "dropped late", "not yet due", "no date"],
        "owner_actor_id": ["A1", "A2", "A1", "A3", None],
        "due_on": [dt.date(2026, 1, 31), dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 4, 1), None],
        "status": ["open", "done", "dropped", "open", "open"],
    }
)


# ── pure logic ───────────────────────────────────────────────────────────────


def test_only_open_items_past_their_due_date_are_overdue():
    assert overdue(ACTIONS, TODAY).tolist() == [True, False, False, False, False]
    assert overdue(ACTIONS, dt.date(2026, 1, 31)).tolist() == [False] * 5  # due today is not late


def test_the_action_table_puts_overdue_items_of_every_session_first_with_their_owners():
    sessions = pd.DataFrame({"session_id": [1, 2], "held_on": [dt.date(2026, 1, 10), dt.date(2026, 2, 20)]})
    late_second = ACTIONS.assign(due_on=[dt.date(2026, 4, 1), *ACTIONS["due_on"].iloc[1:3], dt.date(2026, 3, 1), None])

    table = action_table(late_second, sessions, ACTORS, TODAY)

    assert table["what"].iloc[0] == "not yet due" and table["overdue"].iloc[0]  # of the second session
    assert table["overdue"].sum() == 1
    assert table.set_index("what").at["done late", "owner"] == "Police"


def test_an_actors_value_now_is_the_last_change_the_room_recorded():
    changes = pd.DataFrame(
        {
            "actor_id": ["A1", "A1", "A2"],
            "field": ["engagement", "engagement", "influence"],
            "after": ["engaged", "committed", "5"],
            "changed_at": pd.to_datetime(["2026-01-01 10:00", "2026-02-01 10:00", "2026-01-01 10:00"]),
        }
    )

    assert current_value(changes, ACTORS, "A1", "engagement") == "committed"
    assert current_value(changes, ACTORS, "A2", "influence") == "5"
    assert current_value(changes, ACTORS, "A3", "interest") == "5"  # never changed: the data's


def test_a_score_that_falls_year_on_year_is_a_finding_and_one_that_rises_is_not():
    found = falling_scores(SCORES, ACTORS)

    assert [render(finding) for finding in found] == ["Ministry of Health's score fell from 7 in 2024 to 4.5 in 2025."]
    trend = score_trend(SCORES, ACTORS)
    assert trend[trend["actor_id"] == "A2"]["score"].tolist() == [3.0, 6.0]


def test_scores_are_checked_like_an_upload_naming_the_excel_row_column_and_fix():
    typed = pd.DataFrame(
        {
            "year": [2025, "last year", 2025, 2025, 2025],
            "actor_id": ["A1", "A1", "A9", "A1", "A1"],
            "criterion": ["Policy", "Policy", "Policy", "Vision", "Policy"],
            "score": [7, 7, 7, 7, 11],
            "rationale": ["", "", "", "", ""],
        }
    )

    valid, problems = check_scores(typed, ACTORS["actor_id"], CRITERIA, file="scores.xlsx", sheet="scorecards")

    assert valid[["year", "actor_id", "criterion", "score"]].values.tolist() == [[2025, "A1", "Policy", 7.0]]
    where = "scores.xlsx, sheet scorecards, row {}, column {}: "
    assert [render(problem) for problem in problems] == [
        where.format(3, "year") + "'last year' is not a year. Write the year in four digits, such as 2025.",
        where.format(4, "actor_id") + "no actor has the id 'A9'. Use an actor_id of the actors sheet.",
        where.format(5, "criterion")
        + "'Vision' is not one of this workspace's criteria. Add it to the criteria first, or correct its spelling.",
        where.format(6, "score") + "'11' is not a score from 0 to 10. Give a number from 0 to 10.",
    ]


def test_a_score_sheet_written_and_read_again_holds_the_same_scores_and_defuses_formulas():
    data = score_sheet_xlsx(SCORES)

    cells, problems, sheet_name = read_score_sheet("scores.xlsx", data)
    valid, invalid = check_scores(cells, ACTORS["actor_id"], CRITERIA, file="scores.xlsx", sheet=sheet_name)

    assert problems == invalid == []
    pd.testing.assert_frame_equal(valid, SCORES)
    cell = load_workbook(io.BytesIO(data))["scorecards"]["E5"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=cut by half", "s", True)


SEMICOLON_LATIN1_SCORES = "year;actor_id;criterion;score;rationale\n2025;A1;Policy;6;révisée\n".encode("latin-1")


def test_a_score_sheet_in_csv_is_read_as_any_upload_is_whatever_its_delimiter_and_encoding():
    cells, problems, sheet_name = read_score_sheet("scores.csv", SEMICOLON_LATIN1_SCORES)
    valid, invalid = check_scores(cells, ACTORS["actor_id"], CRITERIA, file="scores.csv", sheet=sheet_name)

    assert problems == invalid == []
    assert valid[["year", "actor_id", "score", "rationale"]].values.tolist() == [[2025, "A1", 6, "révisée"]]


def test_a_file_that_is_no_score_sheet_is_said_not_raised():
    cells, problems, _ = read_score_sheet("scores.xlsx", b"PK\x03\x04 not a zip")

    assert cells is None
    assert [problem.key for problem in problems] == ["scorecard.unreadable"]


# ── the store, on SQLite and PostgreSQL ──────────────────────────────────────


@pytest.mark.parametrize("made_at", ["0001", "0003"])  # before both side-by-side migrations, after the other one
def test_a_store_made_before_the_workshop_record_is_upgraded_and_keeps_its_workspaces(tmp_path, made_at):
    url = f"sqlite:///{tmp_path / 'older.sqlite'}"
    older = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with older.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, made_at)
        connection.execute(
            sa.text("INSERT INTO workspace (name, language, created_at) VALUES ('Older', 'en', '2026-01-01 00:00:00')")
        )

    store = open_store(url)

    assert {"workshop_session", "workshop_action", "scorecard_score"} <= set(sa.inspect(store).get_table_names())
    assert records(store, "Older").sessions.empty
    assert add_session(store, "Older", dt.date(2026, 2, 20)) > 0


def recorded_session(store, workspace: str = "Country W") -> int:
    """A workspace with one session: two actors and a guest, a sector note, a change, a
    decision, a commitment, and two action items."""
    create_workspace(store, workspace)
    session = add_session(
        store,
        workspace,
        dt.date(2026, 2, 20),
        place="Capital",
        facilitator="Awa",
        actors=["A1", "A2"],
        guests=["Dr Ruiz (UN Women)", " "],
    )
    add_sector_note(store, workspace, session, "health", "Clinics ask for post-rape kits.")
    record_change(store, workspace, session, "A1", "engagement", "neutral", "engaged")
    add_decision(store, workspace, session, "Meet every quarter.")
    add_decision(store, workspace, session, "Train 40 officers.", actor_id="A2")
    add_action(store, workspace, session, "Draft referral protocol", "A1", dt.date(2026, 3, 1))
    add_action(store, workspace, session, "Share the map", None, None)
    return session


def test_a_session_keeps_who_came_and_what_was_said_decided_and_changed(store):
    session = recorded_session(store)

    found = records(store, "Country W")

    assert found.sessions[["session_id", "place", "facilitator"]].values.tolist() == [[session, "Capital", "Awa"]]
    assert found.participants.fillna("").values.tolist() == [
        [session, "A1", ""],
        [session, "A2", ""],
        [session, "", "Dr Ruiz (UN Women)"],
    ]
    assert found.sector_notes[["sector", "text"]].values.tolist() == [["health", "Clinics ask for post-rape kits."]]
    assert found.changes[["actor_id", "field", "before", "after"]].values.tolist() == [
        ["A1", "engagement", "neutral", "engaged"]
    ]
    assert found.decisions.fillna("")[["actor_id", "text"]].values.tolist() == [
        ["", "Meet every quarter."],
        ["A2", "Train 40 officers."],
    ]
    assert overdue(found.actions, TODAY).tolist() == [True, False]


def test_action_statuses_change_and_only_within_their_workspace(store):
    recorded_session(store, "Country W")
    recorded_session(store, "Country V")
    theirs = records(store, "Country V").actions["action_id"].tolist()
    ours = records(store, "Country W").actions["action_id"].tolist()

    set_action_statuses(store, "Country W", {ours[0]: "done", theirs[0]: "dropped"})

    assert records(store, "Country W").actions["status"].tolist() == ["done", "open"]
    assert records(store, "Country V").actions["status"].tolist() == ["open", "open"]
    assert not overdue(records(store, "Country W").actions, TODAY).any()


def test_bad_records_are_refused_with_a_message(store):
    session = recorded_session(store)
    create_workspace(store, "Elsewhere")

    refused = []
    for attempt in (
        lambda: record_change(store, "Country W", session, "A1", "influence", "4", "9"),
        lambda: record_change(store, "Country W", session, "A1", "engagement", "neutral", "keen"),
        lambda: add_action(store, "Country W", session, "Call", None, None, status="maybe"),
        lambda: add_decision(store, "Country W", session, "  "),
        lambda: add_decision(store, "Elsewhere", session, "Not our session"),
    ):
        with pytest.raises(StoreError) as error:
            attempt()
        refused.append(error.value.message.key)

    assert refused == [
        "workshop.change_out_of_range",
        "workshop.change_not_in_list",
        "workshop.status_unknown",
        "workshop.text_blank",
        "workshop.unknown_session",
    ]
    assert len(records(store, "Country W").decisions) == 2


def test_scores_of_a_year_are_replaced_and_other_years_kept(store):
    create_workspace(store, "Country S")
    assert set_criteria(store, "Country S", ["Policy", "Budget", "Policy", " "]) == CRITERIA
    save_scores(store, "Country S", SCORES)

    save_scores(store, "Country S", SCORES[SCORES["year"] == 2025].assign(score=9.0), years=[2025])

    kept = scores(store, "Country S")
    assert criteria(store, "Country S") == CRITERIA
    assert kept[kept["year"] == 2024]["score"].tolist() == [8.0, 6.0, 3.0]  # by actor, then as saved
    assert (kept[kept["year"] == 2025]["score"] == 9.0).all()
    assert len(kept) == len(SCORES)


def test_a_workspace_backup_brings_the_workshop_record_and_scorecards_back(store, tmp_path, monkeypatch):
    url = store.url.render_as_string(hide_password=False)
    monkeypatch.setenv("VAWMAP_DATABASE_URL", url)
    recorded_session(store)
    save_version(store, "Country W", sample_dataset().frames, author="Awa")
    set_criteria(store, "Country W", CRITERIA)
    save_scores(store, "Country W", SCORES)
    exported = tmp_path / "country.xlsx"

    assert main(["workspace", "export", "Country W", "-o", str(exported)]) == 0
    assert main(["workspace", "import", str(exported), "--name", "Round trip"]) == 0

    before, after = record_frames(store, "Country W"), record_frames(store, "Round trip")
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=False, obj=name)
    assert len(after["workshop_actions"]) == 2 and len(after["scorecards"]) == len(SCORES)


def test_a_backup_imported_twice_into_a_workspace_adds_its_sessions_once(store, tmp_path, monkeypatch):
    monkeypatch.setenv("VAWMAP_DATABASE_URL", store.url.render_as_string(hide_password=False))
    recorded_session(store)
    save_version(store, "Country W", sample_dataset().frames, author="Awa")
    exported = tmp_path / "country.xlsx"
    assert main(["workspace", "export", "Country W", "-o", str(exported)]) == 0

    for _ in range(2):
        assert main(["workspace", "import", str(exported), "--name", "Country W"]) == 0

    record = record_frames(store, "Country W")
    assert len(record["workshop_sessions"]) == 1
    assert len(record["workshop_actions"]) == 2  # not 6


def test_a_backup_without_a_workshop_record_imports_as_before(tmp_path, monkeypatch):
    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)

    assert main(["workspace", "import", str(SAMPLE_WORKBOOK), "--name", "Plain"]) == 0

    found = records(open_store(), "Plain")
    assert found.sessions.empty and found.actions.empty


# ── the workshop page ────────────────────────────────────────────────────────

APP = str(Path(__file__).parents[1] / "app.py")
PAGE = "app_pages/workshop.py"


@pytest.fixture
def app_store(app_store):  # the shared fixture's store, with a workspace of the sample
    create_workspace(app_store, "Country P")
    save_version(app_store, "Country P", sample_dataset().frames, author="Awa")
    return app_store


def workshop_page(link: dict[str, str]) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in link.items():
        app.query_params[key] = value
    app.run()
    return app.switch_page(PAGE).run()


def test_the_page_records_a_session_with_participants_a_decision_and_an_action_item(app_store):
    actors = sample_dataset()["actors"]
    first, second = actors["actor_id"].iloc[0], actors["actor_id"].iloc[1]
    app = workshop_page({"ws": "Country P"})
    assert not app.exception

    app.date_input(key="session_date").set_value(dt.date(2026, 2, 20))
    app.text_input(key="session_place").input("Capital")
    app.text_input(key="session_facilitator").input("Awa")
    app.multiselect(key="session_actors").set_value([first, second])
    app.text_area(key="session_guests").input("Dr Ruiz (UN Women)")
    app = app.button(key="add_session").click().run()
    app.selectbox(key="decision_actor").set_value(second)
    app.text_area(key="decision_text").input("Train 40 officers by June.")
    app = app.button(key="add_decision").click().run()
    app.text_input(key="action_what").input("Draft the referral protocol")
    app.selectbox(key="action_owner").set_value(first)
    app.date_input(key="action_due").set_value(dt.date(2026, 1, 31))
    app = app.button(key="add_action").click().run()

    assert not app.exception
    found = records(app_store, "Country P")
    assert found.sessions[["place", "facilitator"]].values.tolist() == [["Capital", "Awa"]]
    assert found.participants["actor_id"].dropna().tolist() == [first, second]
    assert found.participants["guest"].dropna().tolist() == ["Dr Ruiz (UN Women)"]
    assert found.decisions[["actor_id", "text"]].values.tolist() == [[second, "Train 40 officers by June."]]
    assert found.actions[["what", "owner_actor_id", "status"]].values.tolist() == [
        ["Draft the referral protocol", first, "open"]
    ]
    assert t("workshop.overdue_count", count=1) in [warning.value for warning in app.warning]


def test_the_page_without_a_workspace_says_how_to_save_one(app_store):
    app = workshop_page({})

    assert not app.exception
    assert t("workshop.needs_workspace") in [info.value for info in app.info]


def test_the_room_view_shows_the_findings_and_the_map_and_nothing_else(app_store):
    app = workshop_page({"ws": "Country P", "room": "1"})

    assert not app.exception
    texts = [element.value for element in app.markdown]
    findings = assess(sample_dataset().frames).findings
    assert any(render(findings[0].message) in text.replace("\\", "") for text in texts)
    assert len(app.get("plotly_chart")) == 1
    assert not app.get("tabs") and not app.button and not app.text_input


def test_scorecards_imported_from_a_sheet_are_saved_charted_and_a_fall_is_a_finding(app_store):
    actor = sample_dataset()["actors"]["actor_id"].iloc[0]
    name = sample_dataset()["actors"]["name"].iloc[0]
    sheet = SCORES.assign(actor_id=actor, criterion="Services delivered").drop_duplicates(["year"])
    sheet = pd.concat([sheet, sheet.assign(criterion="Not a criterion")])  # the second row of each year is refused
    app = workshop_page({"ws": "Country P"})

    upload = ("scores.xlsx", score_sheet_xlsx(sheet), "application/octet-stream")
    app = app.file_uploader(key="scores_upload").set_value(upload).run()
    app = app.button(key="import_scores").click().run()

    assert not app.exception
    kept = scores(app_store, "Country P")
    assert kept[["year", "score"]].values.tolist() == [[2024, 8.0], [2025, 5.0]]
    refused = [error.value for error in app.error]
    assert len(refused) == 2 and all("scores.xlsx, sheet scorecards, row" in text for text in refused)
    fell = t("scorecard.score_fell", actor=name, before="8", since=2024, after="5", year=2025)
    assert fell in [warning.value.replace("\\", "") for warning in app.warning]
    assert len(app.get("plotly_chart")) == 1


def test_scores_typed_in_the_table_are_saved_and_a_row_with_a_problem_is_not(app_store):
    actor = sample_dataset()["actors"]["actor_id"].iloc[0]
    year = dt.date.today().year
    app = workshop_page({"ws": "Country P"})
    typed = [
        {"actor_id": actor, "criterion": "Services delivered", "score": 7, "rationale": "two new centres"},
        {"actor_id": actor, "criterion": "Budget committed and spent", "score": 12},
    ]
    app.session_state[f"scores_editor_{year}"] = {"edited_rows": {}, "added_rows": typed, "deleted_rows": []}

    app = app.button(key="save_scores").click().run()

    assert not app.exception
    kept = scores(app_store, "Country P")
    assert kept[["year", "actor_id", "criterion", "score", "rationale"]].values.tolist() == [
        [year, actor, "Services delivered", 7.0, "two new centres"]
    ]
    assert [error.value for error in app.error] == [
        "Row 2, column score: '12' is not a score from 0 to 10. Give a number from 0 to 10."
    ]
    assert criteria(app_store, "Country P")[2] == "Services delivered"  # the defaults, kept with the first scores


def test_the_room_re_assesses_an_actor_and_an_action_item_is_marked_done(app_store):
    session = recorded_session_in(app_store, "Country P")
    actor = sample_dataset()["actors"].iloc[0]
    app = workshop_page({"ws": "Country P"})

    app.selectbox(key="change_actor").set_value(actor["actor_id"])
    app.selectbox(key="change_field").set_value("influence")
    app = app.run()
    app.selectbox(key="change_value").set_value("5")
    app = app.button(key="record_change").click().run()
    app.session_state["actions_editor"] = {"edited_rows": {0: {"status": "done"}}, "added_rows": [], "deleted_rows": []}
    app = app.run()  # the table's edit enables the save
    app = app.button(key="save_statuses").click().run()

    assert not app.exception
    found = records(app_store, "Country P")
    assert found.changes[["session_id", "actor_id", "field", "before", "after"]].values.tolist() == [
        [session, actor["actor_id"], "influence", str(actor["influence"]), "5"]
    ]
    assert found.actions["status"].tolist() == ["done"]
    assert not [warning for warning in app.warning if warning.value == t("workshop.overdue_count", count=1)]


def recorded_session_in(store, workspace: str) -> int:
    session = add_session(store, workspace, dt.date(2026, 2, 20), place="Capital")
    add_action(store, workspace, session, "Draft referral protocol", None, dt.date(2026, 1, 31))
    return session


def test_a_visitor_of_a_protected_workspace_views_the_record_and_changes_nothing(app_store):
    recorded_session_in(app_store, "Country P")
    set_passphrase(app_store, "Country P", "a long enough passphrase")

    app = workshop_page({"ws": "Country P"})

    assert not app.exception
    assert t("workshop.view_only") in [info.value for info in app.info]
    assert t("workshop.overdue_count", count=1) in [warning.value for warning in app.warning]  # the record is shown
    keys = {widget.key for widget in [*app.button, *app.text_input, *app.text_area]}
    assert not keys & {"add_session", "add_decision", "add_action", "record_change", "save_scores", "save_statuses"}

    app.sidebar.text_input(key="passphrase").input("a long enough passphrase")
    app = app.sidebar.button[0].click().run()

    assert t("workshop.view_only") not in [info.value for info in app.info]
    assert app.button(key="add_decision") is not None
