"""Dates as each language writes them (vawmap/messages.py date_text, datetime_text): in
messages, on the Data page's tables, in the reports (worded in the HTML, real date cells with
the language's number format in Excel) and in the date pickers' patterns."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from vawmap.dashboard.data import csv_bytes, worded_values
from vawmap.dataset import sample_dataset
from vawmap.gaps.assess import assess
from vawmap.i18n import t
from vawmap.messages import (
    date_pattern,
    date_text,
    datetime_text,
    excel_date_format,
    message,
    plain,
    render,
)
from vawmap.report.content import report_content
from vawmap.report.html import report_html
from vawmap.report.workshop import workshop_tables
from vawmap.report.xlsx import report_xlsx
from vawmap.store import create_workspace, open_store, save_version, versions_of

APP = str(Path(__file__).parents[1] / "app.py")

SAINT_NICHOLAS_EVE = dt.date(2026, 12, 7)
# Babel's medium date: the month in letters, in the language's order.
MEDIUM_DATES = {"en": "Dec 7, 2026", "fr": "7 déc. 2026", "es": "7 dic 2026"}
EVENING = pd.Timestamp("2026-12-07 22:05:00")  # naive: UTC, as the store and the dataset keep it
EVENING_TIMES = {"en": "10:05 PM", "fr": "22:05", "es": "22:05"}
DUE = dt.date(2026, 4, 1)
DUE_WORDED = {"en": "Apr 1, 2026", "fr": "1 avr. 2026", "es": "1 abr 2026"}
EXCEL_FORMATS = {"en": "yyyy-mm-dd", "fr": "dd/mm/yyyy", "es": "dd/mm/yyyy"}
SAMPLE_VERIFIED = pd.Timestamp("2026-06-26")  # the first sample service's last_verified
SAMPLE_VERIFIED_WORDED = {"en": "Jun 26, 2026", "fr": "26 juin 2026", "es": "26 jun 2026"}


def spaced(text: str) -> str:
    """CLDR writes some spaces as no-break or narrow no-break spaces: compare them as spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_date_is_written_as_the_language_writes_it(language):
    for value in (SAINT_NICHOLAS_EVE, pd.Timestamp(SAINT_NICHOLAS_EVE), "2026-12-07", pd.Series([SAINT_NICHOLAS_EVE])):
        day = value.to_numpy()[0] if isinstance(value, pd.Series) else value  # a numpy datetime64 too
        assert spaced(date_text(day, language)) == MEDIUM_DATES[language]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_moment_gives_its_time_in_utc(language):
    text = spaced(datetime_text(EVENING, language))
    assert text.startswith(MEDIUM_DATES[language]) and text.endswith(f"{EVENING_TIMES[language]} UTC")
    in_paris = EVENING.tz_localize("UTC").tz_convert("Europe/Paris")  # 23:05 there: said as 22:05 UTC
    assert datetime_text(in_paris, language) == datetime_text(EVENING, language)
    assert datetime_text(EVENING.isoformat(), language) == datetime_text(EVENING, language)


def test_no_date_is_a_dash_and_a_text_that_is_no_date_stays_as_typed():
    assert date_text(None) == date_text(pd.NaT) == date_text(float("nan")) == "—"
    assert date_text("next spring", "fr") == "next spring"
    assert date_text("May", "fr") == "May"  # not the first of May of year 1
    assert date_text("01/02/2026", "fr") == "01/02/2026"  # not guessed month first


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_date_parameter_of_a_message_is_worded_in_the_language(language):
    made = message("report.made", date=pd.Timestamp(SAINT_NICHOLAS_EVE))
    assert spaced(render(made, language)) == spaced(t("report.made", language, date=MEDIUM_DATES[language]))
    loaded = message("report.loaded_at", date=EVENING)
    assert render(loaded, language) == t("report.loaded_at", language, date=datetime_text(EVENING, language))
    assert render(message("report.made", date=SAINT_NICHOLAS_EVE), language) == render(made, language)


def test_json_gives_a_date_parameter_in_iso():
    assert plain(message("report.made", date=pd.Timestamp(SAINT_NICHOLAS_EVE)))["params"] == {"date": "2026-12-07"}
    assert plain(message("report.loaded_at", date=EVENING))["params"] == {"date": "2026-12-07T22:05:00"}


def test_date_pickers_and_excel_cells_take_the_languages_all_digit_date():
    assert [date_pattern(language) for language in ("en", "fr", "es")] == ["YYYY-MM-DD", "DD/MM/YYYY", "DD/MM/YYYY"]
    assert {language: excel_date_format(language) for language in EXCEL_FORMATS} == EXCEL_FORMATS


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_data_pages_tables_show_dates_in_the_language_and_the_download_keeps_iso(language):
    services = sample_dataset()["services"].head(3)
    assert services["last_verified"].iloc[0] == SAMPLE_VERIFIED

    shown = worded_values("services", services, language)

    assert spaced(shown["last_verified"].iloc[0]) == SAMPLE_VERIFIED_WORDED[language]
    assert "2026-06-26" in csv_bytes(services).decode("utf-8-sig")


# ── the reports ──────────────────────────────────────────────────────────────


def workshop_record() -> SimpleNamespace:
    """A record shaped as store.workshop.WorkshopRecords: one session, a decision, an open action."""
    sessions = pd.DataFrame({"session_id": [1], "held_on": [dt.date(2026, 3, 14)], "place": ["Capital"]})
    decisions = pd.DataFrame({"session_id": [1], "actor_id": [None], "text": ["Open a second shelter"]})
    actions = pd.DataFrame(
        {
            "action_id": [1],
            "session_id": [1],
            "what": ["Draft the referral protocol"],
            "owner_actor_id": [None],
            "due_on": [DUE],
            "status": ["open"],
        }
    )
    return SimpleNamespace(sessions=sessions, decisions=decisions, actions=actions)


@pytest.fixture(scope="module")
def sample_and_assessment():
    dataset = sample_dataset()
    return dataset, assess(dataset.frames)


def report_in(language: str, sample_and_assessment):
    dataset, assessment = sample_and_assessment
    tables = workshop_tables(workshop_record(), dataset["actors"], language, today=dt.date(2026, 5, 1))
    return report_content(dataset, assessment, language, workshop=tables, made=SAINT_NICHOLAS_EVE)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_html_report_words_its_dates_in_the_language(language, sample_and_assessment):
    document = spaced(report_html(report_in(language, sample_and_assessment)).decode("utf-8"))

    assert spaced(t("report.made", language, date=MEDIUM_DATES[language])) in document
    assert f"<td>{DUE_WORDED[language]}</td>" in document
    assert "2026-04-01" not in document


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_excel_report_keeps_real_date_cells_in_the_languages_format(language, sample_and_assessment):
    workbook = load_workbook(io.BytesIO(report_xlsx(report_in(language, sample_and_assessment))))
    actions = workbook[t("report.sheet.action_items", language)]
    header = [cell.value for cell in actions[1]]
    due = actions.cell(row=2, column=header.index(t("report.column.due_on", language)) + 1)
    decisions = workbook[t("report.sheet.decisions", language)]
    held = decisions.cell(row=2, column=1)

    assert due.is_date and due.value.date() == DUE
    assert due.number_format == EXCEL_FORMATS[language]
    assert held.is_date and held.value.date() == dt.date(2026, 3, 14)
    assert held.number_format == EXCEL_FORMATS[language]


# ── the Data page's versions ─────────────────────────────────────────────────


def test_the_versions_to_compare_say_when_each_was_saved_in_the_language(monkeypatch, tmp_path):
    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)
    store, sample = open_store(), sample_dataset()
    create_workspace(store, "Country R")
    save_version(store, "Country R", sample.frames, author="Awa")
    save_version(store, "Country R", sample.frames, author="Rosa")
    saved = versions_of(store, "Country R")
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "fr"
    app.query_params["ws"] = "Country R"
    app = app.run().switch_page("app_pages/data.py").run()

    assert not app.exception
    expected = [
        t(
            "data.compare_version",
            "fr",
            number=version.number,
            when=datetime_text(version.created_at, "fr"),
            author=name,
        )
        for version, name in zip(saved, ("Awa", "Rosa"), strict=True)
    ]
    assert list(app.selectbox(key="compare_before").options) == expected
    assert all(label.endswith("UTC par Awa") or label.endswith("UTC par Rosa") for label in expected)
