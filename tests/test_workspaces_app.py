"""Workspaces in the app: a link (?ws=NAME&v=N) opens a saved version in any session; the Data
page saves what is loaded as the next version, and the link then names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import csv_bytes
from vawmap.dataset import sample_dataset
from vawmap.i18n import t
from vawmap.store import create_workspace, list_workspaces, load_version, save_version, versions_of

APP = str(Path(__file__).parents[1] / "app.py")
THREE_REGIONS = 3
SERVICES_CSV = csv_bytes("Provider,Service type,Region\nMinistry of Health,helpline,Northmoor\n")


@pytest.fixture
def store(app_store):
    return app_store


@pytest.fixture
def saved(store) -> str:
    """A workspace whose second version keeps three of the sample's regions."""
    sample = sample_dataset()
    create_workspace(store, "Country X")
    save_version(store, "Country X", sample.frames, author="Awa")
    save_version(store, "Country X", {**sample.frames, "regions": sample["regions"].head(THREE_REGIONS)}, author="Awa")
    return "Country X"


def opened(link: dict[str, str], page: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in link.items():
        app.query_params[key] = value
    app.run()
    return app.switch_page(page).run() if page else app


def test_a_link_opens_the_newest_version_and_then_names_it(saved):
    app = opened({"ws": saved})

    assert not app.exception
    assert len(app.session_state["dataset"]["regions"]) == THREE_REGIONS
    assert app.query_params["v"] == "2"
    assert t("app.workspace", name="Country X", number=2) in [caption.value for caption in app.sidebar.caption]


def test_a_link_to_an_earlier_version_opens_it_in_every_session(saved):
    first, second = opened({"ws": saved, "v": "1"}), opened({"ws": saved, "v": "1"})

    for app in (first, second):
        assert len(app.session_state["dataset"]["regions"]) == len(sample_dataset()["regions"])
    assert first.session_state["dataset"].token == second.session_state["dataset"].token


def test_a_link_to_no_workspace_says_so_and_shows_the_sample(store):
    app = opened({"ws": "Nowhere"})

    assert not app.exception
    assert t("store.unknown_workspace", name="Nowhere") in [error.value for error in app.error]
    assert app.session_state["dataset"].is_sample


def test_the_data_page_saves_an_upload_as_a_version_with_its_file(store):
    app = opened({}, "app_pages/data.py")
    app = app.file_uploader(key="upload").set_value(("services.csv", SERVICES_CSV, "text/csv")).run()
    app.button(key="apply_upload").click().run()
    app.text_input(key="workspace_name").input("Country Y")
    app.text_input(key="author").input("Luis")
    app.text_input(key="workspace_note").input("first services list")

    app = app.button[[button.label for button in app.button].index(t("data.workspace_save"))].click().run()

    assert not app.exception
    [version] = versions_of(store, "Country Y")
    assert (version.number, version.author, version.note) == (1, "Luis", "first services list")
    assert [name for name, _, _ in version.sources] == ["services.csv"]
    assert load_version(store, "Country Y")["services"]["provider"].tolist() == ["Ministry of Health"]
    assert (app.query_params["ws"], app.query_params["v"]) == ("Country Y", "1")


def test_saving_without_a_name_or_an_author_saves_nothing(store):
    app = opened({}, "app_pages/data.py")
    app.text_input(key="workspace_name").input("Country Z")

    app = app.button[[button.label for button in app.button].index(t("data.workspace_save"))].click().run()

    assert t("data.workspace_needs_name_and_author") in [warning.value for warning in app.warning]
    assert list_workspaces(store) == []


def test_the_data_page_compares_two_versions_of_the_workspace_shown(saved):
    app = opened({"ws": saved}, "app_pages/data.py")

    assert not app.exception
    texts = [element.value for element in app.markdown]
    assert t("data.compare_actors_added", count=0) in [text.strip("*") for text in texts]
    sample_regions = len(sample_dataset()["regions"])
    ratios = next(text for text in texts if text.strip("*").startswith(t("data.compare_ratios", count="")[:-1]))
    assert int(ratios.strip("*").rsplit(" ", 1)[1]) > 0
    removed_regions = set(sample_dataset()["regions"]["region"].iloc[THREE_REGIONS:])
    compared = next(frame.value for frame in app.dataframe if "change" in frame.value.columns)
    assert set(compared["region"]) >= removed_regions and sample_regions > THREE_REGIONS
    charts = [chart.proto.spec for chart in app.get("plotly_chart")]
    assert any(t("data.compare_map") in spec for spec in charts)  # the map of change
