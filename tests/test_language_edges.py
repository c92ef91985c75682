"""Words at the edges in the reader's language: the tables the pages show that are not a sheet
(network metrics, a region's shortfalls, what changed between versions) by label under headers
in the language, the shipped standards' names and units, the counting rules, and the Edit
page's vocabulary columns picked and shown by label while the cells keep their codes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from vawmap.cells import LIST_JOIN
from vawmap.dashboard.data import table_headers, worded_changes, worded_table
from vawmap.dataset import sample_dataset
from vawmap.editing import items_for_editor, items_joined, list_columns
from vawmap.gaps.assess import counting_rules
from vawmap.gaps.standards import STANDARD_WORDS, default_standards, standard_word
from vawmap.i18n import catalogue, label, t
from vawmap.messages import Message, render
from vawmap.store import create_workspace, load_version, save_version
from vawmap.vocab import vocabulary

APP = str(Path(__file__).parents[1] / "app.py")

# A network's metrics as the engine gives them (vawmap.gaps.metrics.actor_metrics).
METRICS = pd.DataFrame(
    {
        "actor_id": ["A1", "A2"],
        "name": ["Office of the President", "Women's Network"],
        "sector": ["head_of_government", "womens_organisations"],
        "degree": [1, 3],
        "betweenness": [0.0, 0.25],
        "isolated": [False, False],
        "broker": [False, True],
    }
)
# A region's shortfalls: a shipped standard, and one the user added to their standards file.
SHORTFALLS = pd.DataFrame(
    {
        "standard": ["shelter_places", "our_own_helpline"],
        "name": ["Shelter family places", "Our own helpline"],
        "unit": ["family places", "helplines of ours"],
        "required": [17.0, 1.0],
        "actual": [0.0, 0.0],
    }
)
# What changed about actors between two versions (compare.Comparison.actors_changed).
ACTOR_CHANGES = pd.DataFrame(
    {
        "actor_id": ["A1", "A2", "A3"],
        "name": ["Office of the President", "Women's Network", "Legal Aid Board"],
        "field": ["engagement", "functions", "influence"],
        "before": ["neutral", "policy_development", "2"],
        "after": ["not_engaged", "policy_development; national_action_plan", "4"],
    }
)
# An editor's services: a list of target groups, a blank one, and the service type.
EDITED_SERVICES = pd.DataFrame(
    {
        "service_type": ["safe_accommodation", "legal_aid"],
        "target_groups": ["adolescent_girls; children", None],
    }
)


def test_vocabulary_columns_of_any_table_show_their_labels_and_the_rest_is_untouched():
    shown = worded_table(METRICS, "fr")
    assert list(shown["sector"]) == [
        label("sector", "head_of_government", "fr"),
        label("sector", "womens_organisations", "fr"),
    ]
    assert shown.drop(columns="sector").equals(METRICS.drop(columns="sector"))
    assert list(METRICS["sector"]) == ["head_of_government", "womens_organisations"]  # the table itself is not changed


def test_a_shipped_standard_is_named_in_the_language_and_the_users_own_as_typed():
    shown = worded_table(SHORTFALLS, "es")
    assert list(shown["name"]) == [t("standard.shelter_places.name", "es"), "Our own helpline"]
    assert list(shown["unit"]) == [t("standard.shelter_places.unit", "es"), "helplines of ours"]
    assert worded_table(SHORTFALLS, "en").equals(SHORTFALLS)


def test_a_renamed_shipped_standard_keeps_the_users_name():
    assert standard_word("shelter_places", "name", "Shelter family places") == Message("standard.shelter_places.name")
    assert standard_word("shelter_places", "name", "Refuge beds") == "Refuge beds"


def test_every_shipped_standard_has_its_own_words_in_the_english_catalogue():
    english = catalogue("en")
    for standard in default_standards().standards:
        for field in STANDARD_WORDS:
            assert english[f"standard.{standard.id}.{field}"] == getattr(standard, field), (standard.id, field)


def test_headers_come_from_the_catalogue_then_the_template_then_the_name():
    headers = table_headers(["betweenness", "sector", "made_up_column"], "fr")
    assert headers == {
        "betweenness": t("column.betweenness", "fr"),
        "sector": "Secteur",
        "made_up_column": "made_up_column",
    }
    assert headers["betweenness"] != t("column.betweenness", "en")


def test_what_changed_says_the_field_by_its_header_and_its_values_by_their_labels():
    shown = worded_changes(ACTOR_CHANGES, "es")
    assert list(shown["before"]) == [
        label("engagement", "neutral", "es"),
        label("coordination_function", "policy_development", "es"),
        "2",
    ]
    assert shown["after"].iloc[1] == LIST_JOIN.join(
        label("coordination_function", value, "es") for value in ("policy_development", "national_action_plan")
    )
    assert (
        "_" not in " ".join(shown["field"])
        and shown["field"].iloc[2] == table_headers(["influence"], "es")["influence"]
    )


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_one_stop_rule_names_service_types_by_their_labels(language):
    said = render(counting_rules()[1], language)
    assert label("service_type", "one_stop_centre", language) in said
    assert label("service_type", "legal_aid", language) in said
    assert "_" not in said


def test_an_editors_list_cells_become_lists_of_items_and_come_back_as_ingest_writes_them():
    assert list_columns("services") == ["target_groups"]
    listed = items_for_editor("services", EDITED_SERVICES)
    assert listed["target_groups"].tolist() == [["adolescent_girls", "children"], None]
    assert items_joined("services", listed).equals(EDITED_SERVICES)
    emptied = listed.assign(target_groups=[[], ["children"]])
    joined = items_joined("services", emptied)["target_groups"]
    assert joined.isna().tolist() == [True, False] and joined.iloc[1] == "children"  # an emptied list is blank


@pytest.fixture
def french_app() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    return app.selectbox(key="language").set_value("fr").run()


def test_the_network_metrics_on_stakeholders_are_worded_in_french(french_app):
    french_app.switch_page("app_pages/stakeholders.py").run()
    assert not french_app.exception
    metrics = next(frame.value for frame in french_app.dataframe if "betweenness" in frame.value.columns)
    sectors = set(metrics["sector"])
    assert label("sector", "women_gender", "fr") in sectors
    assert not any("_" in sector for sector in sectors)


def test_the_sector_levels_are_worded_in_french(french_app):
    french_app.switch_page("app_pages/sectors.py").run()
    levels = " ".join(french_app.dataframe[0].value["levels"])
    assert label("level", "subnational", "fr") in levels and "subnational" not in levels


WORKSPACE = "Country L"


def test_the_edit_page_offers_labels_and_saves_a_list_of_target_groups_as_one_cell(app_store):
    create_workspace(app_store, WORKSPACE)
    save_version(app_store, WORKSPACE, sample_dataset().frames, author="Awa")
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["ws"], app.query_params["v"] = WORKSPACE, "1"
    app.run()
    app.selectbox(key="language").set_value("fr").run()
    app.switch_page("app_pages/edit.py").run()
    assert not app.exception
    columns = json.loads(app.dataframe[1].proto.columns)  # the services editor
    assert columns["service_type"]["type_config"]["options"][0]["label"] == label(
        "service_type", vocabulary("service_type").values[0], "fr"
    )
    assert columns["target_groups"]["type_config"]["type"] == "multiselect"

    app.session_state["edit_services_1"] = {
        "edited_rows": {0: {"target_groups": ["children", "older_women"]}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.text_input(key="edit_author").input("Awa")
    app.button(key="edit_save").click().run()
    assert not app.exception
    before, after = load_version(app_store, WORKSPACE, 1)["services"], load_version(app_store, WORKSPACE, 2)["services"]
    assert after.loc[0, "target_groups"] == "children; older_women"
    assert after.drop(index=0).equals(before.drop(index=0))  # no other cell changed by the round trip
