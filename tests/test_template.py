"""The Excel template (vawmap/template.py), read back with openpyxl and pandas."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from streamlit.testing.v1 import AppTest

from tests.clock_fixtures import another_day
from vawmap import contract
from vawmap.cli import main
from vawmap.dataset import sample_dataset
from vawmap.i18n import t
from vawmap.template import ACTOR_LIST, LISTS_SHEET, REGION_LIST, build_template
from vawmap.vocab import vocabulary

REGIONS = ["Nord", "Sud", "Centre"]
ACTORS = ["Ministry of Health", "UNFPA", "Femmes Solidaires"]


def _workbook(**kwargs):
    return load_workbook(io.BytesIO(build_template(**kwargs)))


@pytest.fixture(scope="module")
def plain():
    return _workbook()


@pytest.fixture(scope="module")
def with_names():
    return _workbook(regions=REGIONS, actors=ACTORS)


def _columns(sheet_name):
    """(column letter, ColumnSpec) for every column of a contract sheet, in header order."""
    columns = contract.sheet(sheet_name).columns.values()
    return [(get_column_letter(i), column) for i, column in enumerate(columns, start=1)]


def _validation_at(ws, coordinate):
    """The validations that cover one cell."""
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


def _list_values(wb, formula):
    """The non-blank values of a `lists!$A$2:$A$12` range (leading '=' optional)."""
    sheet, ref = formula.lstrip("=").split("!")
    cells = wb[sheet][ref.replace("$", "")]
    return [row[0].value for row in cells]


def _list_validation(wb, ws, letter):
    found = [dv for dv in _validation_at(ws, f"{letter}2") if dv.type == "list"]
    assert len(found) == 1, f"{ws.title}!{letter}: expected one list validation, found {len(found)}"
    return found[0]


# ---------------------------------------------------------------- sheets


def test_sheet_names_and_order(plain):
    assert plain.sheetnames == ["instructions", *contract.SHEET_ORDER, LISTS_SHEET]


def test_instructions_sheet_is_first_and_active(plain):
    assert plain.active.title == "instructions"


def test_lists_sheet_is_hidden(plain):
    assert plain[LISTS_SHEET].sheet_state == "hidden"
    for name in ["instructions", *contract.SHEET_ORDER]:
        assert plain[name].sheet_state == "visible"


def test_workbook_properties_are_fixed(plain):
    assert plain.properties.creator == "vawmap"
    assert plain.properties.created == plain.properties.modified


def test_output_is_byte_stable():
    first = build_template(regions=REGIONS, actors=ACTORS)
    assert first == build_template(regions=REGIONS, actors=ACTORS)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert len({info.date_time for info in archive.infolist()}) == 1


def test_output_is_the_same_on_another_day():
    today = build_template(regions=REGIONS, actors=ACTORS)
    with another_day():
        assert build_template(regions=REGIONS, actors=ACTORS) == today


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize("sheet_name", contract.SHEET_ORDER)
def test_headers_equal_contract_columns(plain, sheet_name):
    ws = plain[sheet_name]
    headers = [cell.value for cell in ws[1]]
    assert headers == list(contract.sheet(sheet_name).columns)
    assert all(cell.font.bold for cell in ws[1])
    assert ws.freeze_panes == "A2"


@pytest.mark.parametrize("sheet_name", contract.SHEET_ORDER)
def test_columns_have_sensible_widths(plain, sheet_name):
    ws = plain[sheet_name]
    for letter, column in _columns(sheet_name):
        width = ws.column_dimensions[letter].width
        assert len(column.name) < width <= 60


@pytest.mark.parametrize("sheet_name", contract.SHEET_ORDER)
def test_every_header_has_a_help_comment(plain, sheet_name):
    ws = plain[sheet_name]
    for letter, column in _columns(sheet_name):
        comment = ws[f"{letter}1"].comment
        assert comment is not None, f"{sheet_name}.{column.name} has no comment"
        assert column.help in comment.text
        assert ("Required." in comment.text) == column.required


def test_header_comment_gives_the_range(plain):
    ws = plain["actors"]
    letter = {column.name: letter for letter, column in _columns("actors")}["influence"]
    assert "1 to 5" in ws[f"{letter}1"].comment.text


def test_list_columns_comment_explains_the_separator(plain):
    for sheet_name in contract.SHEET_ORDER:
        for letter, column in _columns(sheet_name):
            if column.is_list:
                assert "';'" in plain[sheet_name][f"{letter}1"].comment.text


# ---------------------------------------------------------------- validations


@pytest.mark.parametrize("sheet_name", contract.SHEET_ORDER)
def test_vocab_and_yes_no_columns_have_list_validation(plain, sheet_name):
    ws = plain[sheet_name]
    for letter, column in _columns(sheet_name):
        if column.kind not in ("vocab", "yes_no"):
            continue
        dv = _list_validation(plain, ws, letter)
        assert f"{letter}2000" in dv.sqref
        assert dv.formula1.lstrip("=").startswith(f"{LISTS_SHEET}!$")
        assert dv.errorStyle == "stop"
        assert LISTS_SHEET in dv.error
        expected = list(vocabulary(column.vocab).values) if column.kind == "vocab" else ["yes", "no"]
        assert _list_values(plain, dv.formula1) == expected


@pytest.mark.parametrize("sheet_name", contract.SHEET_ORDER)
def test_no_validation_on_list_valued_columns(with_names, sheet_name):
    ws = with_names[sheet_name]
    for letter, column in _columns(sheet_name):
        if column.is_list:
            assert _validation_at(ws, f"{letter}2") == [], f"{sheet_name}.{column.name}"


def test_region_validation_only_when_regions_given(plain, with_names):
    for sheet_name in contract.SHEET_ORDER:
        for letter, column in _columns(sheet_name):
            if column.kind != "region":
                continue
            assert _validation_at(plain[sheet_name], f"{letter}2") == []
            dv = _list_validation(with_names, with_names[sheet_name], letter)
            assert dv.errorStyle == "warning"
            assert _list_values(with_names, dv.formula1) == REGIONS


def test_regions_sheet_region_column_is_not_validated(with_names):
    letter = {column.name: letter for letter, column in _columns("regions")}["region"]
    assert _validation_at(with_names["regions"], f"{letter}2") == []


def test_actor_validation_only_when_actors_given(plain, with_names):
    seen = set()
    for sheet_name in contract.SHEET_ORDER:
        for letter, column in _columns(sheet_name):
            if column.kind != "actor":
                continue
            seen.add(column.name)
            assert _validation_at(plain[sheet_name], f"{letter}2") == []
            dv = _list_validation(with_names, with_names[sheet_name], letter)
            assert dv.errorStyle == "warning"
            assert _list_values(with_names, dv.formula1) == ACTORS
    assert seen == {"provider", "chair", "source", "target"}


def test_names_are_deduplicated_and_blanks_dropped():
    wb = _workbook(regions=[" Nord ", "Nord", "", "Sud"])
    letter = {column.name: letter for letter, column in _columns("services")}["region"]
    dv = _list_validation(wb, wb["services"], letter)
    assert _list_values(wb, dv.formula1) == ["Nord", "Sud"]


def test_names_starting_with_equals_stay_text():
    wb = _workbook(actors=["=SUM(A1)"])
    letter = {column.name: letter for letter, column in _columns("links")}["source"]
    dv = _list_validation(wb, wb["links"], letter)
    cell = wb[LISTS_SHEET][dv.formula1.lstrip("=").split("!")[1].split(":")[0].replace("$", "")]
    assert cell.value == "=SUM(A1)"
    assert cell.data_type == "s"


def test_integer_columns_with_range_have_whole_number_validation(plain):
    for sheet_name in contract.SHEET_ORDER:
        for letter, column in _columns(sheet_name):
            if column.kind != "integer" or (column.min is None and column.max is None):
                continue
            found = [dv for dv in _validation_at(plain[sheet_name], f"{letter}2") if dv.type == "whole"]
            assert len(found) == 1, f"{sheet_name}.{column.name}"
            assert found[0].errorStyle == "stop"
            assert float(found[0].formula1) == (column.min if column.min is not None else column.max)


def test_influence_validation_is_between_1_and_5(plain):
    letter = {column.name: letter for letter, column in _columns("actors")}["influence"]
    (dv,) = _validation_at(plain["actors"], f"{letter}2")
    assert (dv.operator, dv.formula1, dv.formula2) == ("between", "1", "5")


# ---------------------------------------------------------------- instructions


def _instructions_text(wb):
    return "\n".join(str(cell.value) for row in wb["instructions"].iter_rows() for cell in row if cell.value)


def test_instructions_mention_confidentiality_and_separator(plain):
    text = _instructions_text(plain)
    assert "confidential" in text.lower()
    assert "safe_accommodation" in text
    assert "region level" in text
    assert "';'" in text
    assert "survivor" in text.lower()


def test_instructions_describe_every_sheet(plain):
    first_column = {row[0].value for row in plain["instructions"].iter_rows()}
    assert set(contract.SHEET_ORDER) <= first_column


@pytest.mark.parametrize(("language", "word"), [("fr", "Confidentialité"), ("es", "Confidencialidad")])
def test_instructions_follow_the_language(language, word):
    text = _instructions_text(_workbook(language=language))
    assert word in text
    assert "';'" in text
    assert vocabulary("service_type").label("safe_accommodation", language) in text


def test_unknown_language_falls_back_to_english():
    assert "Confidentiality" in _instructions_text(_workbook(language="de"))


# ---------------------------------------------------------------- round trip


def test_template_reads_back_with_canonical_headers():
    frames = pd.read_excel(io.BytesIO(build_template(regions=REGIONS)), sheet_name=None, engine="calamine")
    for sheet_name in contract.SHEET_ORDER:
        assert list(frames[sheet_name].columns) == list(contract.sheet(sheet_name).columns)
        assert frames[sheet_name].empty


# ---------------------------------------------------------------- language and names


def _lists_headers(wb) -> list[str]:
    return [cell.value for cell in wb[LISTS_SHEET][1]]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_without_names_the_region_and_actor_lists_are_empty_in_every_language(language):
    wb = _workbook(language=language)
    assert REGION_LIST not in _lists_headers(wb) and ACTOR_LIST not in _lists_headers(wb)
    services = wb["services"]
    for letter, column in _columns("services"):
        if column.kind in ("region", "actor"):
            assert _validation_at(services, f"{letter}2") == [], column.name


@pytest.mark.parametrize("language", ["fr", "es"])
def test_header_notes_and_dropdown_warnings_follow_the_language(language):
    wb = _workbook(language=language, regions=REGIONS, actors=ACTORS)
    services = wb["services"]
    letters = {column.name: letter for letter, column in _columns("services")}
    verified = contract.sheet("services").columns["last_verified"]
    note = services[f"{letters['last_verified']}1"].comment.text
    assert note.splitlines()[0] == verified.labels[language]
    required = next(column for column in contract.sheet("services").columns.values() if column.required)
    assert t("template.note.required", language) in services[f"{letters[required.name]}1"].comment.text
    assert "Required." not in services[f"{letters[required.name]}1"].comment.text
    region = _list_validation(wb, services, letters["region"])
    assert region.errorTitle == t("template.note.unknown_region", language)
    status = _list_validation(wb, services, letters["status"])
    assert status.errorTitle == t("template.note.not_allowed", language)
    influence = {column.name: letter for letter, column in _columns("actors")}["influence"]
    assert t("template.note.between", language, low=1, high=5) in wb["actors"][f"{influence}1"].comment.text


# ---------------------------------------------------------------- the Data page's download

APP = str(Path(__file__).parents[1] / "app.py")


def _data_page_template(served, app: AppTest) -> Workbook:
    return load_workbook(io.BytesIO(served[app.download_button(key="download_template").proto.url]))


def test_data_page_template_has_empty_name_lists_unless_asked_and_follows_the_language(served):
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.selectbox(key="language").set_value("fr").run()
    app = app.switch_page("app_pages/data.py").run()
    dataset = sample_dataset()  # what a new session has loaded
    regions = list(dict.fromkeys(str(name).strip() for name in dataset["regions"]["region"].dropna()))
    actors = list(dict.fromkeys(str(name).strip() for name in dataset["actors"]["name"].dropna()))

    default = _data_page_template(served, app)
    assert not app.checkbox(key="template_names").value
    assert REGION_LIST not in _lists_headers(default) and ACTOR_LIST not in _lists_headers(default)
    instructions = "\n".join(str(cell.value) for row in default["instructions"].iter_rows() for cell in row)
    assert t("template.title", "fr") in instructions and t("template.title", "en") not in instructions
    notes = "".join(cell.comment.text for cell in default["services"][1] if cell.comment)
    assert t("template.note.required", "fr") in notes and "Required." not in notes

    app.checkbox(key="template_names").check().run()
    with_names = _data_page_template(served, app)
    headers = _lists_headers(with_names)
    region_column = get_column_letter(headers.index(REGION_LIST) + 1)
    actor_column = get_column_letter(headers.index(ACTOR_LIST) + 1)
    assert [cell.value for cell in with_names[LISTS_SHEET][region_column][1:] if cell.value] == regions
    assert [cell.value for cell in with_names[LISTS_SHEET][actor_column][1:] if cell.value] == actors


@pytest.mark.parametrize("language", ["fr", "es"])
def test_cli_template_without_data_has_empty_name_lists_in_the_language(tmp_path, capsys, language):
    out = tmp_path / "template.xlsx"
    assert main(["template", str(out), "--language", language]) == 0
    wb = load_workbook(out)
    assert REGION_LIST not in _lists_headers(wb) and ACTOR_LIST not in _lists_headers(wb)
    assert wb["instructions"]["A1"].value == t("template.title", language)
