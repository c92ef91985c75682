"""Finding the header row and the meaning of each column and sheet (vawmap/ingest/headers.py).

Headers come in English, French or Spanish, in any case, with stray spaces, with or without
accents, below title rows, with an HXL hashtag row under them or instead of them. Sheets are
recognised by their name in the three languages or, failing that, by their columns.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.builders import ACTOR_ROWS, REGION_ROWS, csv_bytes, ingest_one, xlsx
from tests.ingest_problems import problems_of
from vawmap.contract import sheet
from vawmap.ingest import ERROR, WARNING, ingest

REGIONS_CSV = "Region,Region code,Population\nGrand Bassa,LR-GB,250000\nMontserrado,LR-MO,1500000\n"

SERVICES_ENGLISH_HEADERS = "Provider,Service type,Region\nMoH,Helpline,Grand Bassa\n"
SERVICES_FRENCH_HEADERS = "Prestataire,Type de service,Région\nMoH,Ligne d'écoute,Grand Bassa\n"
SERVICES_SPANISH_HEADERS = "Proveedor,Tipo de servicio,Región\nMoH,Línea de ayuda,Grand Bassa\n"
SERVICES_SHOUTED_HEADERS = "PROVIDER,SERVICE TYPE,REGION\nMoH,HELPLINE,Grand Bassa\n"
SERVICES_SPACED_HEADERS = "  Provider ,Service    type  , Region\nMoH,Helpline,Grand Bassa\n"
SERVICES_FRENCH_NO_ACCENTS = "prestataire,TYPE DE SERVICE,region\nMoH,ligne d'ecoute,Grand Bassa\n"
SERVICES_SPANISH_EXTRA_ACCENTS = "Provéedor,Típo de servicio,Regíón\nMoH,Línea de ayuda,Grand Bassa\n"
SERVICES_SNAKE_CASE_HEADERS = "provider,service_type,region\nMoH,helpline,Grand Bassa\n"

SERVICES_BELOW_TITLE_ROWS = [
    ["Service mapping: Grand Bassa county"],
    ["Collected March 2026", None, None],
    [None, None, None],
    ["Provider", "Service type", "Region"],
    ["MoH", "Helpline", "Grand Bassa"],
    [None, "Legal aid", "Grand Bassa"],  # Excel row 6: no provider
]
SERVICES_CSV_BELOW_TITLE_ROWS = (
    "Liste des services\n"
    "\n"
    "Prestataire;Type de service;Région\n"
    "MoH;Refuge;Grand Bassa\n"
    ";Refuge;Grand Bassa\n"  # line 5: no provider
)

SERVICES_WITH_HXL_ROW = [
    ["Organisation", "What", "Where"],
    ["#org+name", "#service+type", "#adm1+name"],
    ["MoH", "Helpline", "Grand Bassa"],
    ["MoH", None, "Grand Bassa"],  # Excel row 4: no service type
]
SERVICES_HEADER_AND_HXL_ROW = [
    ["Provider", "Service type", "Region"],
    ["#org+prov", "#service+type", "#adm1+name"],
    ["MoH", None, "Grand Bassa"],  # Excel row 3: no service type
]
SERVICES_HXL_ONLY = "#org+prov,#service+type,#adm1+name+fr\nMoH,helpline,Grand Bassa\nMoH,,Grand Bassa\n"

SERVICES_UNKNOWN_COLUMN = [
    ["Provider", "Service type", "Region", "Capacty"],
    ["MoH", "Helpline", "Grand Bassa", 4],
]
SERVICES_MISSPELT_REQUIRED_COLUMN = [
    ["Provider", "Servce type", "Region"],
    ["MoH", "Helpline", "Grand Bassa"],
]
SERVICES_WITH_SURVIVOR_COLUMNS = [
    ["Provider", "Service type", "Region", "Survivor name", "Case number", "Age"],
    ["MoH", "Helpline", "Grand Bassa", "Jane Doe", "GB-2026-0042", 23],
]
SERVICES_WITHOUT_SERVICE_TYPE = [
    ["Provider", "Region", "District"],
    ["MoH", "Grand Bassa", "Buchanan"],
    ["WLAN", "Grand Bassa", None],
    [None, None, None],
    ["MoH", "Montserrado", "Paynesville"],
]
SERVICES_TWO_REGION_COLUMNS = [
    ["Provider", "Service type", "Region", "Région"],
    ["MoH", "Helpline", "Grand Bassa", "Montserrado"],
]
SERVICE_ROWS = [["Provider", "Service type", "Region"], ["MoH", "Helpline", "Grand Bassa"]]
NOT_A_TABLE = [["Budget 2026", None], ["Item", "Amount"], ["Rent", 1200]]


def services_with_regions(name: str, data: bytes):
    """ingest() of one services file uploaded next to a regions CSV, so regions are checked."""
    return ingest([(name, data), ("regions.csv", csv_bytes(REGIONS_CSV))])


def error_rows(result) -> list[tuple[int, str]]:
    return [(record["row"], record["column"]) for record in problems_of(result, ERROR)]


# ── header languages and spellings ────────────────────────────────────────────


@pytest.mark.parametrize(
    "text",
    [
        SERVICES_ENGLISH_HEADERS,
        SERVICES_FRENCH_HEADERS,
        SERVICES_SPANISH_HEADERS,
        SERVICES_SHOUTED_HEADERS,
        SERVICES_SPACED_HEADERS,
        SERVICES_FRENCH_NO_ACCENTS,
        SERVICES_SPANISH_EXTRA_ACCENTS,
        SERVICES_SNAKE_CASE_HEADERS,
    ],
    ids=["english", "french", "spanish", "upper-case", "stray-spaces", "no-accents", "extra-accents", "snake-case"],
)
def test_services_headers_in_any_language_case_and_spacing(text):
    result = services_with_regions("services.csv", csv_bytes(text))

    assert result.problems.empty, result.problems.to_dict("records")
    services = result.frames["services"]
    assert services[["provider", "service_type", "region"]].values.tolist() == [["MoH", "helpline", "Grand Bassa"]]


def test_problem_column_is_named_as_the_user_wrote_it():
    text = "Prestataire,Type de service,Région\nMoH,,Grand Bassa\n"

    result = services_with_regions("services.csv", csv_bytes(text))

    assert error_rows(result) == [(2, "Type de service")]


# ── title rows and blank rows above the header ────────────────────────────────


def test_title_and_blank_rows_above_the_header_are_skipped():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_BELOW_TITLE_ROWS}))

    assert result.frames["services"]["provider"].tolist() == ["MoH"]
    assert result.counts["services"].rows == 2


def test_row_numbers_below_title_rows_are_the_rows_excel_shows():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_BELOW_TITLE_ROWS}))

    assert error_rows(result) == [(6, "Provider")]
    assert result.set_aside["services"]["_row"].tolist() == [6]


def test_csv_title_and_blank_lines_above_the_header_keep_row_numbers():
    result = services_with_regions("services.csv", csv_bytes(SERVICES_CSV_BELOW_TITLE_ROWS))

    assert result.frames["services"]["service_type"].tolist() == ["safe_accommodation"]
    assert error_rows(result) == [(5, "Prestataire")]


# ── HXL hashtags ──────────────────────────────────────────────────────────────


def test_hxl_row_under_the_header_names_columns_the_header_does_not():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_WITH_HXL_ROW}))

    services = result.frames["services"]
    assert services[["provider", "service_type", "region"]].values.tolist() == [["MoH", "helpline", "Grand Bassa"]]
    assert result.counts["services"].rows == 2  # the hashtag row is not data


def test_rows_below_an_hxl_row_keep_excel_row_numbers():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_WITH_HXL_ROW}))

    # The hashtag row names more columns than the text row, so its tags label the columns.
    assert error_rows(result) == [(4, "#service+type")]


def test_header_text_labels_the_columns_when_an_hxl_row_is_under_it():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_HEADER_AND_HXL_ROW}))

    assert error_rows(result) == [(3, "Service type")]
    assert result.counts["services"].rows == 1


def test_hxl_row_instead_of_a_header():
    result = services_with_regions("services.csv", csv_bytes(SERVICES_HXL_ONLY))

    services = result.frames["services"]
    assert services[["provider", "service_type", "region"]].values.tolist() == [["MoH", "helpline", "Grand Bassa"]]
    assert error_rows(result) == [(3, "#service+type")]


# ── sheet names ───────────────────────────────────────────────────────────────


def test_sheet_names_in_french_and_spanish():
    workbook = xlsx({"Acteurs": ACTOR_ROWS, "Régions": REGION_ROWS, "Servicios": SERVICE_ROWS})

    result = ingest_one("pays.xlsx", workbook)

    assert result.problems.empty, result.problems.to_dict("records")
    assert set(result.frames) == {"actors", "regions", "services"}
    assert result.frames["services"]["provider_id"].tolist() == ["moh"]


def test_sheet_names_without_accents_and_in_other_case():
    bodies = [["Name"], ["GBV task force"]]
    workbook = xlsx({"ACTEURS": ACTOR_ROWS, "regiones": REGION_ROWS, "Coordination Bodies": bodies})

    result = ingest_one("pays.xlsx", workbook)

    assert set(result.frames) == {"actors", "regions", "coordination_bodies"}


@pytest.mark.parametrize(
    "rows, expected",
    [(SERVICE_ROWS, "services"), (ACTOR_ROWS, "actors"), (REGION_ROWS, "regions")],
)
def test_sheet_named_sheet1_is_recognised_from_its_columns(rows, expected):
    result = ingest_one("export.xlsx", xlsx({"Sheet1": rows}))

    assert list(result.frames) == [expected]
    assert result.counts[expected].rows == len(rows) - 1


def test_csv_sheet_is_recognised_from_its_columns_and_named_after_the_file():
    text = "Region,Population\nGrand Bassa,250000\n"

    result = ingest_one("county_list.csv", csv_bytes(text))

    assert list(result.frames) == ["regions"]
    assert result.frames["regions"]["population"].tolist() == [250000]


def test_sheet_that_looks_like_no_table_is_reported_not_loaded():
    result = ingest_one("budget.xlsx", xlsx({"Sheet1": NOT_A_TABLE}))

    assert result.frames == {}
    [problem] = problems_of(result)
    assert (problem["sheet"], problem["severity"]) == ("Sheet1", WARNING)
    assert "not recognised" in problem["message"]
    assert "actors, services, regions, coordination_bodies, links" in problem["suggestion"]


# ── unknown, duplicate and refused columns ────────────────────────────────────


def test_unknown_column_is_a_warning_with_a_did_you_mean():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_UNKNOWN_COLUMN}))

    [problem] = problems_of(result)
    assert problem["severity"] == WARNING
    assert problem["column"] == "Capacty"
    assert pd.isna(problem["row"])  # a header problem: no row
    assert problem["message"] == "This column is not part of the services table, so it was ignored."
    assert problem["suggestion"] == "Did you mean 'capacity'?"
    assert result.frames["services"]["capacity"].isna().all()


def test_misspelt_required_column_suggests_the_right_header_and_rejects_the_rows():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_MISSPELT_REQUIRED_COLUMN}))

    warning = problems_of(result, WARNING, column="Servce type")
    assert [problem["suggestion"] for problem in warning] == ["Did you mean 'service_type'?"]
    assert [problem["column"] for problem in problems_of(result, ERROR)] == ["service_type"]


def test_unknown_column_without_a_near_header_says_it_does_no_harm():
    rows = [["Provider", "Service type", "Region", "Colour code"], ["MoH", "Helpline", "Grand Bassa", "red"]]

    result = services_with_regions("services.xlsx", xlsx({"services": rows}))

    [problem] = problems_of(result)
    assert problem["column"] == "Colour code"
    assert problem["suggestion"] == "Rename it to one of the template's headers, or leave it: it does no harm."


def test_second_column_with_the_same_meaning_is_reported_and_the_first_kept():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_TWO_REGION_COLUMNS}))

    [problem] = problems_of(result)
    assert (problem["column"], problem["severity"]) == ("Région", WARNING)
    assert "'region'" in problem["message"]
    assert result.frames["services"]["region"].tolist() == ["Grand Bassa"]


def test_survivor_data_columns_are_refused_with_an_error_each():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_WITH_SURVIVOR_COLUMNS}))

    errors = problems_of(result, ERROR)
    assert [problem["column"] for problem in errors] == ["Survivor name", "Case number", "Age"]
    assert all("survivor case data" in problem["message"] for problem in errors)
    assert all(problem["suggestion"] == "Delete this column from the file before sharing it." for problem in errors)
    assert not result.ok


def test_survivor_data_is_not_loaded_anywhere():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_WITH_SURVIVOR_COLUMNS}))

    services = result.frames["services"]
    assert list(services.columns) == [*sheet("services").columns, "provider_id"]  # providers resolve to derived actors
    everything = services.astype(str).to_numpy().ravel().tolist()
    assert "Jane Doe" not in everything and "GB-2026-0042" not in everything and "23" not in everything
    assert "services" not in result.set_aside
    assert result.counts["services"].accepted == 1  # the service itself still loads


@pytest.mark.parametrize(
    "header", ["Victim's name", "Nom de la victime", "Date of birth", "Número de expediente", "EDAD"]
)
def test_other_survivor_headers_in_three_languages_are_refused(header):
    rows = [["Provider", "Service type", "Region", header], ["MoH", "Helpline", "Grand Bassa", "x"]]

    result = services_with_regions("services.xlsx", xlsx({"services": rows}))

    assert [(problem["column"], problem["severity"]) for problem in problems_of(result)] == [(header, ERROR)]


# ── required columns ──────────────────────────────────────────────────────────


def test_missing_required_column_is_one_error_for_the_sheet():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_WITHOUT_SERVICE_TYPE}))

    [problem] = problems_of(result)
    assert problem["severity"] == ERROR
    assert problem["sheet"] == "services"
    assert problem["column"] == "service_type"
    assert problem["message"] == (
        "There is no 'service_type' column, which every row needs, so none of the 3 rows was loaded."
    )
    assert problem["suggestion"] == (
        "Add a column headed 'service_type', 'Service type', 'Type de service', 'Tipo de servicio'."
    )


def test_missing_required_column_counts_every_row_as_rejected():
    result = services_with_regions("services.xlsx", xlsx({"services": SERVICES_WITHOUT_SERVICE_TYPE}))

    counts = result.counts["services"]
    assert (counts.rows, counts.accepted, counts.rejected) == (3, 0, 3)
    assert "services" not in result.frames
    assert result.frames["regions"]["region"].tolist() == ["Grand Bassa", "Montserrado"]  # the rest loads


@pytest.mark.parametrize(
    "text, key",
    [
        ("  Service    TYPE ", "service type"),
        ("Women's affairs", "womens affairs"),
        ("snake_case-name", "snake case name"),
        ("Région", "region"),
        ("LIGNE D’ÉCOUTE", "ligne decoute"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        (42, "42"),
    ],
)
def test_text_key_ignores_case_accents_apostrophes_and_punctuation(text, key):
    from vawmap.vocab import text_key

    assert text_key(text) == key
