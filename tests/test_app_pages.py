"""The Streamlit pages, driven by AppTest: one test per behaviour a user relies on."""

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import shared
from vawmap.contract import SHEET_ORDER
from vawmap.dataset import Dataset, sample_dataset
from vawmap.gaps.assess import assess
from vawmap.i18n import t
from vawmap.messages import render
from vawmap.rules import source

APP = str(Path(__file__).parents[1] / "app.py")
GOOD_SERVICES_CSV = b"provider,service_type,region\nMinistry of Health,helpline,Northmoor\n"
SERVICES_WITH_TYPO_CSV = b"provider,service_type,region\nMinistry of Health,shelter,Northmor\n"
PNG_AS_XLSX = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def data_page(app: AppTest) -> AppTest:
    return app.switch_page("app_pages/data.py").run()


def upload(app: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    return app.file_uploader(key="upload").set_value((name, data, mime)).run()


def test_overview_is_the_default_page_and_shows_the_headline_figures(app):
    assert not app.exception
    assert app.title[0].value == "Coordinated response to violence against women: overview"
    counts = sample_dataset().counts()
    headline = {metric.label: metric.value for metric in app.metric[:5]}
    assert headline["Actors"] == f"{counts['actors']:,}"
    assert headline["Services"] == f"{counts['services']:,}"
    assert headline["Regions"] == f"{counts['regions']:,}"
    assert any("Veldora" in info.value for info in app.info)


def test_overview_lists_the_sheet_counts_in_its_loaded_expander(app):
    loaded = next(expander for expander in app.expander if expander.label == "What is loaded")
    counts = sample_dataset().counts()
    assert [metric.value for metric in loaded.metric] == [f"{count:,}" for count in counts.values()]


def test_overview_on_an_empty_dataset_says_how_to_add_data(app):
    app.session_state["dataset"] = Dataset()
    app.run()
    assert not app.exception
    assert any("No data is loaded" in warning.value for warning in app.warning)


def test_data_page_checks_an_upload_and_loads_it_on_request(app):
    app = upload(data_page(app), "services.csv", GOOD_SERVICES_CSV)
    assert not app.exception
    assert any("1 of 1 rows accepted" in markdown.value for markdown in app.markdown)
    assert app.session_state["dataset"].counts()["services"] == len(sample_dataset()["services"])
    app.button(key="apply_upload").click().run()
    assert app.session_state["dataset"].counts()["services"] == 1
    # Loaded over the sample: the upload alone, its provider an actor derived from it.
    assert app.session_state["dataset"]["actors"]["derived"].tolist() == [True]


def test_data_page_lists_problems_with_excel_row_and_suggestion(app):
    app = upload(data_page(app), "services.csv", SERVICES_WITH_TYPO_CSV)
    problems = app.dataframe[0].value
    region = problems[problems["Column"] == "region"].iloc[0]
    assert region["Row"] == 2 and region["Severity"] == "error"
    assert "Northmoor" in region["How to fix it"]


def test_a_failed_upload_keeps_what_was_loaded(app):
    before = sample_dataset().counts()
    app = upload(data_page(app), "services.xlsx", PNG_AS_XLSX, "application/octet-stream")
    assert not app.exception
    assert any("could not be read" in error.value for error in app.error)
    assert app.session_state["dataset"].counts() == before
    assert not [button for button in app.button if button.key == "apply_upload"]


def test_an_upload_whose_every_row_is_set_aside_offers_nothing_to_load(app):
    app = upload(data_page(app), "services.csv", SERVICES_WITH_TYPO_CSV)
    assert not [button for button in app.button if button.key == "apply_upload"]
    assert any("Nothing in this upload can be loaded" in info.value for info in app.info)


# Written out here, not read from vawmap/privacy.py or the contract: they are what is tested.
PLACING_COLUMNS = ("district", "location", "latitude", "longitude")
CONTACT_COLUMNS = ("contact_email", "contact_phone")


def test_the_data_page_never_sends_a_shelters_place_or_anyones_contact(app):
    sample = sample_dataset()
    services = sample["services"]
    confidential = services["confidential"].fillna(True).astype(bool)
    secret_points = set(services.loc[confidential, ["latitude", "longitude"]].dropna().itertuples(index=False))
    contacts = {
        value
        for name in SHEET_ORDER
        for column in CONTACT_COLUMNS
        if column in sample[name]
        for value in sample[name][column].dropna()
    }
    assert confidential.sum() >= 20 and len(secret_points) >= 20
    assert len(contacts) >= 8  # the sample holds places and contacts that could leak

    tables = [frame.value for frame in data_page(app).dataframe]
    shown = next(table for table in tables if "service_type" in table.columns)
    hidden = shown[shown["confidential"].fillna(True).astype(bool)]
    assert len(hidden) == confidential.sum()
    assert hidden[list(PLACING_COLUMNS)].isna().all().all()
    assert len(tables) >= len(SHEET_ORDER)  # every sheet's table, each in its tab
    for table in tables:
        assert not set(CONTACT_COLUMNS) & set(table.columns)
        assert not contacts & set(table.astype("string").stack().dropna())
        if {"latitude", "longitude"} <= set(table.columns):
            points = set(table[["latitude", "longitude"]].dropna().itertuples(index=False))
            assert points and not secret_points & points


def test_data_page_offers_the_template_and_a_way_back_to_the_sample(app):
    app = data_page(app)
    assert not app.exception
    assert app.get("download_button") and any(
        button.proto.label == t("data.download_template") for button in app.get("download_button")
    )
    app.session_state["dataset"] = Dataset()
    app.button(key="reset_sample").click().run()
    assert app.session_state["dataset"].is_sample
    assert app.session_state["dataset"].counts() == sample_dataset().counts()


# Each page's file and the catalogue section of its title.
PAGE_TITLES = {
    "overview": "overview",
    "sectors": "sectors",
    "coordination": "coordination",
    "regional_gaps": "regional",
    "stakeholders": "stakeholders",
    "data": "data",
}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_language_selector_translates_navigation_pages_and_findings(app, language):
    app.selectbox(key="language").set_value(language).run()
    assessment = assess(sample_dataset().frames)
    for page, section in PAGE_TITLES.items():
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, page
        assert app.session_state["language"] == language  # the choice survives a page change
        assert app.title[0].value == t(f"{section}.title", language) != t(f"{section}.title", "en"), page
        words = " ".join(str(element.value) for element in (*app.markdown, *app.caption, *app.subheader))
        if page == "overview":  # the engine's findings, worded in the language
            first = assessment.findings[0].message
            assert render(first, language) in words and render(first, language) != render(first)
        if page == "sectors":  # the coverage reasons, in the sectors table
            shown = app.dataframe[0].value
            expected = [render(reason, language) for reason in assessment.sector_coverage["reason"]]
            assert sorted(shown.iloc[:, -1]) == sorted(expected[: len(shown)])
            assert set(expected) != {render(reason) for reason in assessment.sector_coverage["reason"]}
        if page == "coordination":  # the checklist's reasons
            assert t("criterion_reason.secretariat_met", language, source=source("networks").short) in words


def finding_lines(app: AppTest) -> list[str]:
    """The overview's top findings, as shown: severity, then the finding."""
    return [markdown.value for markdown in app.markdown if " — " in markdown.value]


def test_a_change_of_language_renders_the_same_assessment_again_without_recomputing_it(monkeypatch):
    runs = []

    def counted_assess(frames, *args, **kwargs):
        runs.append(frames)
        return assess(frames, *args, **kwargs)

    monkeypatch.setattr(shared, "assess", counted_assess)
    shared.assessment_of.clear()
    dataset = replace(sample_dataset(), token="language-switch")  # a token no other test has cached
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["dataset"] = dataset
    app.run()
    english = finding_lines(app)
    app.selectbox(key="language").set_value("fr").run()
    french = finding_lines(app)
    for page in ("sectors", "coordination", "regional_gaps", "stakeholders"):
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, page
    assert len(runs) == 1  # the engine ran once, for the dataset, whatever the language
    first = assess(dataset.frames).findings[0].message
    assert render(first, "en") in english[0] and render(first, "fr") in french[0]
    assert english[0] != french[0]
