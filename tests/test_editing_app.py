"""The Edit page: two sessions editing the same version. Different cells merge; the same cell
changed by both shows both values and saves nothing until one is chosen; the link then names
the saved version; confidential service locations never reach the editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.privacy_fixtures import leaks, secrets_of
from vawmap.dataset import sample_dataset
from vawmap.i18n import t
from vawmap.privacy import LOCATING_COLUMNS, confidential_services
from vawmap.store import create_workspace, load_version, save_version, versions_of

APP = str(Path(__file__).parents[1] / "app.py")
EDIT_PAGE = "app_pages/edit.py"
WORKSPACE = "Country X"


@pytest.fixture
def store(app_store):
    create_workspace(app_store, WORKSPACE)
    save_version(app_store, WORKSPACE, sample_dataset().frames, author="Awa")
    return app_store


def editing(version: int = 1) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["ws"], app.query_params["v"] = WORKSPACE, str(version)
    app.run()
    return app.switch_page(EDIT_PAGE).run()


def save_cells(app: AppTest, cells: dict[int, dict[str, object]], author: str, version: int = 1) -> AppTest:
    """Edit actors' cells ({row: {column: value}}) in the page's editor, then press Save."""
    app.session_state[f"edit_actors_{version}"] = {"edited_rows": cells, "added_rows": [], "deleted_rows": []}
    app.text_input(key="edit_author").input(author)
    return app.button(key="edit_save").click().run()


def test_two_sessions_editing_different_cells_of_one_version_both_land(store):
    first, second = editing(), editing()

    first = save_cells(first, {0: {"influence": 1}}, "Awa")
    second = save_cells(second, {0: {"notes": "chairs the committee"}}, "Luis")

    assert not first.exception and not second.exception
    newest = load_version(store, WORKSPACE)["actors"]
    assert (newest.loc[0, "influence"], newest.loc[0, "notes"]) == (1, "chairs the committee")
    assert [version.author for version in versions_of(store, WORKSPACE)] == ["Awa", "Awa", "Luis"]
    assert (first.query_params["v"], second.query_params["v"]) == ("2", "3")
    assert t("edit.saved", number=3) in [success.value for success in second.success]


def test_the_same_cell_changed_in_two_sessions_shows_both_values_and_saves_the_one_chosen(store):
    first, second = editing(), editing()
    save_cells(first, {0: {"influence": 1}}, "Awa")

    second = save_cells(second, {0: {"influence": 3}}, "Luis")

    assert len(versions_of(store, WORKSPACE)) == 2  # nothing saved on a conflict
    assert t("edit.conflicts_heading") in [header.value for header in second.subheader]
    [choice] = second.radio
    assert "1" in choice.label and "3" in choice.label  # both values shown
    second = choice.set_value("mine").run()
    second = second.button(key="edit_save_choices").click().run()

    assert not second.exception
    assert load_version(store, WORKSPACE)["actors"].loc[0, "influence"] == 3
    assert load_version(store, WORKSPACE, 2)["actors"].loc[0, "influence"] == 1
    assert second.query_params["v"] == "3"


def test_an_invalid_edit_is_not_saved_and_its_problem_names_the_row_and_column(store):
    before = load_version(store, WORKSPACE)["actors"]

    app = save_cells(editing(), {2: {"notes": "fine"}, 3: {"sector": "astrology"}}, "Awa")

    assert not app.exception
    problems = next(frame.value for frame in app.dataframe if t("edit.problem_column") in frame.value.columns)
    [problem] = problems.to_dict("records")
    assert (problem[t("edit.problem_row")], problem[t("edit.problem_column")]) == (4, "sector")
    assert (problem[t("edit.problem_value")], problem[t("edit.problem_saved")]) == ("astrology", t("edit.not_saved"))
    newest = load_version(store, WORKSPACE)["actors"]
    assert newest.loc[2, "notes"] == "fine"
    assert newest.loc[3, "sector"] == before.loc[3, "sector"]


def test_the_editor_never_holds_a_confidential_location(store):
    app = editing()

    shown = app.data_editor(key="edit_services_1").value
    services = sample_dataset()["services"]
    hidden = confidential_services(services)
    assert hidden.any()
    assert shown[list(LOCATING_COLUMNS)].iloc[hidden.nonzero()[0]].isna().all().all()
    assert not {"contact_email", "contact_phone"} & set(shown.columns)


def test_the_edit_page_sends_no_confidential_place_before_or_after_a_save(store):
    secrets = secrets_of(sample_dataset()["services"])
    app = editing()
    before = b"".join(node.proto.SerializeToString() for node in app if getattr(node, "proto", None) is not None)
    app.session_state["edit_services_1"] = {"edited_rows": {0: {"capacity": 3}}, "added_rows": [], "deleted_rows": []}
    app.text_input(key="edit_author").input("Awa")
    app = app.button(key="edit_save").click().run()
    after = b"".join(node.proto.SerializeToString() for node in app if getattr(node, "proto", None) is not None)

    assert not app.exception and app.query_params["v"] == "2"
    assert leaks(before, secrets) == leaks(after, secrets) == []


def test_the_page_asks_for_a_workspace_when_none_is_shown(store):
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app = app.switch_page(EDIT_PAGE).run()

    assert not app.exception
    assert t("edit.needs_workspace") in [info.value for info in app.info]
