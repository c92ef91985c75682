"""The Data page's mapping step (app_pages/mapping_step.py): after files are chosen and before
they load, each column and each value of a vocabulary column is shown with a select box; a
change is checked again at once, and "accept all suggestions" maps every confident fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.mapping_step import IGNORED, MAPPING_KEY, SET_ASIDE, WIDGET_PREFIX
from tests.mapping_fixtures import HUMANITARIAN_3W, MISSPELT_WORKBOOK, as_csv
from vawmap.ingest.mapping import UNSPECIFIED

APP = str(Path(__file__).parents[1] / "app.py")


def data_page_with(name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = app.switch_page("app_pages/data.py").run()
    return app.file_uploader(key="upload").set_value((name, data, mime)).run()


def box(app: AppTest, *parts: str):
    return app.selectbox(key=WIDGET_PREFIX + "|".join(parts))


def loaded_services(app: AppTest):
    app.button(key="apply_upload").click().run()
    return app.session_state["dataset"]["services"]


@pytest.fixture
def humanitarian() -> AppTest:
    return data_page_with("3w.csv", as_csv(HUMANITARIAN_3W))


def test_the_proposed_columns_and_cluster_values_are_shown_before_loading(humanitarian):
    assert not humanitarian.exception
    assert box(humanitarian, "col", "3w.csv", "3w", "Sector").value == "cluster"
    assert box(humanitarian, "col", "3w.csv", "3w", "Activity").value == "service_type"
    assert box(humanitarian, "val", "3w.csv", "3w", "cluster", "Shelter").value == SET_ASIDE
    assert box(humanitarian, "val", "3w.csv", "3w", "cluster", "GBV").value == UNSPECIFIED
    assert MAPPING_KEY not in humanitarian.session_state


def test_a_value_changed_is_checked_again_and_loads_as_chosen(humanitarian):
    app = box(humanitarian, "val", "3w.csv", "3w", "cluster", "Health").set_value(UNSPECIFIED).run()

    assert not app.exception
    assert "MSF" in set(loaded_services(app)["provider"])


def test_a_column_ignored_is_not_read(humanitarian):
    app = box(humanitarian, "col", "3w.csv", "3w", "Activity").set_value(IGNORED).run()

    services = loaded_services(app)
    assert not app.exception
    assert set(services["service_type"]) == {UNSPECIFIED}  # the helpline is known from its activity only


def test_accepting_all_suggestions_loads_the_misspelt_rows():
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    app = data_page_with("services.xlsx", MISSPELT_WORKBOOK, mime)
    assert not app.button(key="mapping_accept_all").disabled

    app = app.button(key="mapping_accept_all").click().run()

    services = loaded_services(app)
    assert not app.exception
    assert sorted(services["service_type"]) == ["helpline", "legal_aid"]
    assert set(services["region"]) == {"Montserrado", "Grand Bassa"}


def test_a_sheet_read_as_another_table_shows_the_columns_of_that_table():
    rows = [["Organisation", "Type", "Sector", "Level", "Region"], ["IRC", "NGO", "Health", "National", "Lofa"]]
    app = data_page_with("list.csv", as_csv(rows))
    assert box(app, "col", "list.csv", "list", "Level").value == "level"

    app = box(app, "table", "list.csv", "list").set_value("services").run()

    assert not app.exception
    assert box(app, "col", "list.csv", "list", "Organisation").value == "provider"
    assert box(app, "col", "list.csv", "list", "Level").value == IGNORED


def test_one_suggested_fix_chosen_and_accepted_maps_that_value_only():
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    app = data_page_with("services.xlsx", MISSPELT_WORKBOOK, mime)
    helpline = ("services.xlsx", "services", "service_type", "Helpine", "helpline")

    app = app.multiselect(key="mapping_fixes").set_value([helpline]).run()
    app = app.button(key="mapping_accept_chosen").click().run()

    (item,) = [item for item in app.session_state[MAPPING_KEY][1].sheets if item.table == "services"]
    assert not app.exception
    assert item.values["service_type"]["Helpine"] == "helpline"
    assert "region" not in item.values


def test_a_version_saved_from_a_mapped_upload_keeps_its_mapping(tmp_path, monkeypatch):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from vawmap.i18n import t
    from vawmap.ingest.mapping import read_profile
    from vawmap.store import open_store
    from vawmap.store.tables import Version

    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)
    app = data_page_with("3w.csv", as_csv(HUMANITARIAN_3W))
    app = box(app, "val", "3w.csv", "3w", "cluster", "Health").set_value(UNSPECIFIED).run()
    app.button(key="apply_upload").click().run()
    app.text_input(key="workspace_name").input("Country Z")
    app.text_input(key="author").input("Awa")
    app = app.button[[button.label for button in app.button].index(t("data.workspace_save"))].click().run()

    with Session(open_store()) as session:
        [saved] = session.scalars(select(Version.mapping)).all()
    assert not app.exception
    (item,) = read_profile(saved.encode()).sheets
    assert item.values["cluster"]["Health"] == UNSPECIFIED


def test_a_sheet_read_as_no_table_is_named_one_and_mapped_on_the_page():
    app = data_page_with("list.csv", as_csv([["Who", "Kind", "Place"], ["IRC", "Helpline", "Lofa"]]))

    app = box(app, "table", "list.csv", "list").set_value("services").run()
    for header, column in (("Who", "provider"), ("Kind", "service_type"), ("Place", "region")):
        app = box(app, "col", "list.csv", "list", header).set_value(column).run()

    assert not app.exception
    assert loaded_services(app)["provider"].tolist() == ["IRC"]
