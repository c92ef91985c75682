"""What each contract column expects, said in the user's language: the contract gives every
column's help in English, French and Spanish; the French and Spanish template's header comments
and the Edit page's column tooltips say it in that language."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from streamlit.testing.v1 import AppTest

from vawmap import contract
from vawmap.contract import ColumnSpec
from vawmap.dataset import sample_dataset
from vawmap.store import create_workspace, save_version
from vawmap.template import build_template

APP = str(Path(__file__).parents[1] / "app.py")
EDIT_PAGE = "app_pages/edit.py"
WORKSPACE = "Country X"
TRANSLATED = ("fr", "es")
ALL_COLUMNS = [column for spec in contract.sheets().values() for column in spec.columns.values()]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_column_with_an_english_help_has_it_in_the_language(language):
    missing, untranslated = [], []
    for column in ALL_COLUMNS:
        if column.help:
            said = column.help_in(language)
            missing += [column.name] if not said.strip() or language not in column.helps else []
            untranslated += [column.name] if said == column.help else []
    assert not missing, f"no {language} help: {missing}"
    assert not untranslated, f"{language} help is the English: {untranslated}"


def test_english_is_the_help_and_a_missing_language_falls_back_to_it():
    column = contract.sheet("actors").columns["name"]
    assert column.help_in("en") == column.help
    assert column.help_in("de") == column.help
    bare = ColumnSpec("x", "text", {"en": "X", "fr": "X", "es": "X"}, frozenset(), help="What X is.")
    assert bare.help_in("fr") == "What X is."


def test_the_contract_file_gives_the_help_per_language():
    raw = {
        "kind": "text",
        "en": "Name",
        "fr": "Nom",
        "es": "Nombre",
        "help": "The name.",
        "help_fr": "Le nom.",
        "help_es": "El nombre.",
    }
    data = contract.sheets_from(_one_column_contract(raw))
    column = data["actors"].columns["name"]
    assert [column.help_in(language) for language in ("en", "fr", "es")] == ["The name.", "Le nom.", "El nombre."]


def _one_column_contract(raw: dict) -> dict:
    sheet = {"en": "S", "fr": "S", "es": "S"}
    return {name: {**sheet, "columns": {"name": raw}} for name in contract.SHEET_ORDER}


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_templates_header_comments_are_the_help_in_the_language(language):
    workbook = load_workbook(io.BytesIO(build_template(language=language)))
    for sheet_name, spec in contract.sheets().items():
        for index, column in enumerate(spec.columns.values(), start=1):
            text = workbook[sheet_name][f"{get_column_letter(index)}1"].comment.text
            assert column.help_in(language) in text.splitlines(), f"{sheet_name}.{column.name}"
            assert column.help not in text


@pytest.fixture
def store(app_store):
    create_workspace(app_store, WORKSPACE)
    save_version(app_store, WORKSPACE, sample_dataset().frames, author="Awa")
    return app_store


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_the_edit_pages_column_help_is_in_the_session_language(store, language):
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = language
    app.query_params["ws"], app.query_params["v"] = WORKSPACE, "1"
    app.run()
    app = app.switch_page(EDIT_PAGE).run()

    assert not app.exception
    for sheet_name, spec in contract.sheets().items():
        config = json.loads(app.data_editor(key=f"edit_{sheet_name}_1").proto.columns)
        shown = {column.name for column in spec.columns.values() if not column.personal}
        helps = {name: config[name].get("help") for name in shown}
        assert helps == {name: spec.columns[name].help_in(language) for name in shown}, sheet_name
