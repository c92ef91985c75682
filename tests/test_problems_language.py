"""Problems in the user's language: ingest gives message keys, and the edges word them.

`python -m vawmap validate --language fr` words its text and JSON in French (JSON adding each
message's key and parameters); the Data page shows the same cached check in the language the
sidebar switches to, without checking the files again; the template it offers follows the
interface language.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from app_pages import shared
from tests.builders import xlsx
from vawmap.cli import main
from vawmap.dataset import SAMPLE_WORKBOOK
from vawmap.i18n import t
from vawmap.ingest import PROBLEM_COLUMNS

APP = str(Path(__file__).parents[1] / "app.py")
# A workbook as a French-speaking coordinator fills it in, with three bad cells.
MISSPELT_REGION = "Atakora"  # the regions sheet says Atacora
NOT_A_NUMBER = "beaucoup"
UNKNOWN_SECTOR = "Agriculture"
FRENCH_SHEETS = {
    "Acteurs": [
        ["Nom", "Sigle", "Type d'acteur", "Secteur", "Niveau"],
        ["Ministère de la Santé", "MS", "Gouvernement", "Santé", "National"],
        ["Réseau des femmes juristes", "RFJ", "ONG", UNKNOWN_SECTOR, "National"],
    ],
    "Régions": [["Région", "Population"], ["Atacora", 772262], ["Borgou", NOT_A_NUMBER]],
    "Services": [["Prestataire", "Type de service", "Région"], ["MS", "Ligne d'écoute", MISSPELT_REGION]],
}
FRENCH_WORKBOOK_NAME = "pays.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (column as written, key, params) of each problem the workbook has.
EXPECTED_PROBLEMS = [
    (
        "Secteur",
        "problem.unknown_value",
        {"value": UNKNOWN_SECTOR, "kind": {"key": "problem.kind.sector", "params": {}}},
    ),
    ("Région", "problem.region_near_miss", {"value": MISSPELT_REGION}),
    ("Population", "problem.not_number", {"value": NOT_A_NUMBER}),
]
# The same problems as the English output has always worded them (message, suggestion start).
ENGLISH_PROBLEMS = [
    ("'Agriculture' is not a known sector.", "Use one of: education, health, interior,"),
    ("'Atakora' is not a known region.", "Did you mean 'Atacora'?"),
    ("'beaucoup' is not a number, so the cell was left empty.", "Write digits only, e.g. 1200 or 12.5."),
]
RECORD_KEYS = ["key", "params", "suggestion_key", "suggestion_params"]
GROUP_KEYS = ["count", "rows"]  # each record is a group of rows with the same problem


@pytest.fixture
def french_workbook(tmp_path) -> str:
    path = tmp_path / FRENCH_WORKBOOK_NAME
    path.write_bytes(xlsx(FRENCH_SHEETS))
    return str(path)


def validate(capsys, *argv: str) -> tuple[int, str]:
    code = main(["validate", *argv])
    return code, capsys.readouterr().out


def validate_json(capsys, *argv: str) -> list[dict]:
    return json.loads(validate(capsys, *argv, "--json")[1])["problems"]


def worded(key: str | None, params: dict | None, language: str) -> str | None:
    """A message rebuilt from its key and JSON params with the catalogue, as another tool would."""
    if key is None:
        return None
    return t(key, language, **{name: worded_param(value, language) for name, value in params.items()})


def worded_param(value, language: str) -> str:
    if isinstance(value, dict):
        return worded(value["key"], value["params"], language)
    if isinstance(value, list):
        return ", ".join(worded_param(item, language) for item in value)
    return str(value)


# ── validate --language ───────────────────────────────────────────────────────


@pytest.mark.parametrize("language", ["fr", "es"])
def test_validate_json_words_each_problem_from_the_catalogue_of_the_language(capsys, french_workbook, language):
    problems = validate_json(capsys, french_workbook, "--language", language)

    assert [(p["column"], p["key"], p["params"]) for p in problems] == EXPECTED_PROBLEMS
    for problem in problems:
        assert list(problem) == [*PROBLEM_COLUMNS, *GROUP_KEYS, *RECORD_KEYS]
        assert problem["message"] == worded(problem["key"], problem["params"], language)
        assert problem["suggestion"] == worded(problem["suggestion_key"], problem["suggestion_params"], language)
        assert problem["message"] != worded(problem["key"], problem["params"], "en")


def test_validate_json_in_french_says_what_a_french_reader_expects(capsys, french_workbook):
    problems = validate_json(capsys, french_workbook, "--language", "fr")

    region = next(problem for problem in problems if problem["column"] == "Région")
    assert region["message"] == "« Atakora » n'est pas une région connue."
    assert region["suggestion"] == "Vouliez-vous dire « Atacora » ?"
    sector = next(problem for problem in problems if problem["column"] == "Secteur")
    assert sector["message"] == "« Agriculture » n'est pas une valeur connue (secteur)."


def test_validate_json_without_a_language_words_the_problems_in_english_as_before(capsys, french_workbook):
    default = validate_json(capsys, french_workbook)
    english = validate_json(capsys, french_workbook, "--language", "en")

    assert default == english
    assert [problem["message"] for problem in default] == [message for message, _ in ENGLISH_PROBLEMS]
    for problem, (_, suggestion) in zip(default, ENGLISH_PROBLEMS):
        assert problem["suggestion"].startswith(suggestion)


def test_validate_text_in_french_names_where_and_what_in_french(capsys, french_workbook):
    code, out = validate(capsys, french_workbook, "--language", "fr")

    assert code == 1
    assert "Services : 1 lignes, 0 acceptées, 1 mises de côté" in out.splitlines()
    assert (
        f"erreur : {FRENCH_WORKBOOK_NAME}, Services, ligne 2, colonne « Région » : "
        "« Atakora » n'est pas une région connue. Vouliez-vous dire « Atacora » ?"
    ) in out.splitlines()
    assert f"avertissement : {FRENCH_WORKBOOK_NAME}, Régions, ligne 3, colonne « Population » : " in out


def test_validate_text_in_spanish_ends_with_no_errors_in_spanish(capsys):
    code, out = validate(capsys, str(SAMPLE_WORKBOOK), "--language", "es")

    assert code == 0
    assert out.rstrip().endswith(t("cli.ok", "es")) and t("cli.ok", "es") != t("cli.ok", "en")


def test_a_missing_path_is_worded_in_the_language_with_its_key(capsys, tmp_path):
    missing = str(tmp_path / "nulle_part.xlsx")

    code, out = validate(capsys, missing, "--language", "fr")
    [record] = validate_json(capsys, missing, "--language", "fr")

    assert code == 2
    assert f"erreur : {missing} : Fichier ou dossier introuvable" in out
    assert (record["file"], record["message"], record["key"]) == (
        missing,
        "Fichier ou dossier introuvable",
        "cli.no_such_file",
    )


def test_an_unknown_language_is_a_usage_error(capsys, french_workbook):
    with pytest.raises(SystemExit) as stop:
        main(["validate", french_workbook, "--language", "de"])

    assert stop.value.code == 2
    assert "--language" in capsys.readouterr().err


# ── template --language ───────────────────────────────────────────────────────


def instructions_text(workbook: bytes) -> str:
    sheet = load_workbook(io.BytesIO(workbook))["instructions"]
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value)


def test_template_in_french_has_french_instructions(capsys, tmp_path):
    out_path = tmp_path / "modele.xlsx"

    code = main(["template", str(out_path), "--language", "fr"])

    assert code == 0
    assert capsys.readouterr().out.strip() == t("cli.template_written", "fr", path=out_path)
    text = instructions_text(out_path.read_bytes())
    assert t("template.title", "fr") in text and t("template.rules.confidentiality", "fr") in text
    assert t("template.title", "en") not in text


# ── the Data page ─────────────────────────────────────────────────────────────


@pytest.fixture
def ingest_calls(monkeypatch) -> list[int]:
    """One entry per time the Data page checks files (its cache emptied first)."""
    calls: list[int] = []
    check = shared.pickled_ingest

    def counted(*args, **kwargs):
        calls.append(1)
        return check(*args, **kwargs)

    shared._upload_checks.clear()
    monkeypatch.setattr(shared, "pickled_ingest", counted)
    return calls


def data_page_with_the_french_workbook() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = app.switch_page("app_pages/data.py").run()
    upload = (FRENCH_WORKBOOK_NAME, xlsx(FRENCH_SHEETS), XLSX_MIME)
    return app.file_uploader(key="upload").set_value(upload).run()


def problems_shown(app: AppTest):
    return next(
        frame.value
        for frame in app.dataframe
        if t("problems.suggestion", app.session_state["language"]) in frame.value.columns
    )


def download(app: AppTest, served: dict[str, bytes], key: str) -> bytes:
    return served[app.download_button(key=key).proto.url]


def test_data_page_words_the_same_checked_upload_anew_when_the_language_changes(ingest_calls, served):
    app = data_page_with_the_french_workbook()
    english = problems_shown(app)
    app.selectbox(key="language").set_value("fr").run()

    assert not app.exception
    french = problems_shown(app)
    assert len(ingest_calls) == 1  # checked once, worded twice
    assert list(french.columns) == [t(f"problems.{column}", "fr") for column in shared.PROBLEM_TABLE_COLUMNS]
    assert list(english[t("problems.message", "en")]) == [message for message, _ in ENGLISH_PROBLEMS]
    assert list(french["Problème"]) == [
        t("problem.unknown_value", "fr", value=UNKNOWN_SECTOR, kind=t("problem.kind.sector", "fr")),
        t("problem.region_near_miss", "fr", value=MISSPELT_REGION),
        t("problem.not_number", "fr", value=NOT_A_NUMBER),
    ]
    assert list(french["Gravité"]) == ["erreur", "erreur", "avertissement"]
    assert "Vouliez-vous dire « Atacora » ?" in list(french["Comment corriger"])


def test_data_page_problems_csv_follows_the_language(ingest_calls, served):
    app = data_page_with_the_french_workbook()
    app.selectbox(key="language").set_value("fr").run()

    csv_text = download(app, served, "download_problems").decode("utf-8-sig")

    assert csv_text.splitlines()[0] == ",".join(PROBLEM_COLUMNS)
    assert "« Atakora » n'est pas une région connue." in csv_text
    assert "'Atakora' is not a known region." not in csv_text


def test_data_page_template_follows_the_interface_language(served):
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.selectbox(key="language").set_value("fr").run()
    app = app.switch_page("app_pages/data.py").run()

    text = instructions_text(download(app, served, "download_template"))

    assert t("template.title", "fr") in text and t("template.rules.confidentiality", "fr") in text
    assert t("template.title", "en") not in text
