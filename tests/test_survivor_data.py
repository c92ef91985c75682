"""Survivor data is refused (vawmap/ingest/headers.py, vawmap/data/survivor_headers.toml).

vawmap maps services, never cases. A column whose header announces data about one survivor,
in English, French, Spanish or Portuguese, is refused with an error naming it and saying why,
and the whole column is dropped before anything reads the sheet: its cells reach no frame, no
problem and no row set aside. Ordinary service headers (the contract's, real 3W tables') are
never taken for survivor data.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.builders import ACTOR_ROWS, REGION_ROWS, csv_bytes, xlsx
from tests.ingest_problems import problems_of
from vawmap.contract import sheets
from vawmap.ingest import ERROR, ingest
from vawmap.ingest.headers import SURVIVOR_LISTS, survivor_reason, survivor_words
from vawmap.vocab import load_data_file, text_key

# Headers of survivor-level data seen in case registers, intake forms and GBVIMS exports.
SURVIVOR_HEADERS = [
    # English
    "Survivor name",
    "survivor surname",
    "Survivor's age",
    "survivor phone",
    "Contact (survivor)",
    "victim phone",
    "Victim address",
    "Victim DOB",
    "D.O.B.",
    "Date of birth",
    "Age",
    "Client name",
    "Patient ID",
    "Beneficiary name",
    "Survivor code",
    "Survivor story",
    "perpetrator name",
    "Perpetrator",
    "Relationship to perpetrator",
    "Case number",
    "Case ID",
    "Case #",
    "incident description",
    "incident date",
    "Incident no.",
    "type of violence",
    "GBVIMS ID",
    "HIV status",
    "Marital status",
    # French
    "nom de la survivante",
    "Prénom de la victime",
    "Âge de la survivante",
    "adresse de la victime",
    "Téléphone de la victime",
    "N° de dossier",
    "Numéro du cas",
    "Date de naissance",
    "Date de l'incident",
    "Type de violence",
    "Statut VIH",
    "Agresseur",
    # Spanish
    "Nombre de la víctima",
    "Apellido de la sobreviviente",
    "Nombre de la usuaria",
    "Dirección de la víctima",
    "EDAD",
    "Número de expediente",
    "Nº de caso",
    "Fecha del incidente",
    "Fecha de nacimiento",
    "Tipo de violencia",
    "Estado serológico",
    "Agresor",
    # Portuguese
    "Nome da vítima",
    "Sobrenome da vítima",
    "Telefone da sobrevivente",
    "Endereço da vítima",
    "Idade",
    "N.º do caso",
    "Data de nascimento",
    "Data do incidente",
    "Tipo de violência",
]

# Headers of real national 3W tables, and service headers that speak of survivors without
# being about one of them.
THREE_W_HEADERS = [
    "Organisation",
    "Org. Acronym",
    "Type of Organization",
    "Project Sector",
    "States",
    "LGA",
    "Nom de l'organisation",
    "Acronyme",
    "Type d'organisation",
    "Cluster",
    "Province",
    "IMPLEMENTER ORGANIZATION",
    "DEPARTMENT",
    "MUNICIPALITY",
    "org_name",
    "adm1_name",
    "adm1_pcode",
    "Target groups",
    "Date last verified",
    "Contact email",
    "Contact",
    "Activity",
    "Status",
    "People reached",
]
SERVICE_HEADERS_ABOUT_SURVIVORS = [
    "Number of survivors",
    "Survivors reached",
    "Services for survivors",
    "Victim support unit phone",
    "Helpline for victims: phone",
    "Case management",
    "Cases per month",
    "Age range",
    "Types of violence addressed",
    "HIV testing",
    "Nombre de victimes accueillies",
    "Número de víctimas",
    "Atención a víctimas: teléfono",
    "Número de vítimas atendidas",
    "Beneficiaries",
    "Languages",
]
CONTRACT_HEADERS = sorted(
    {
        spelling
        for spec in sheets().values()
        for column in spec.columns.values()
        for spelling in (column.name, *column.labels.values(), *column.header_keys, *column.hxl)
    }
)

SURVIVOR_NAME = "Amara Kollie"
CASE_NUMBER = "GB-2026-0042"
BIRTH_DATE = "1998-04-17"
SURVIVOR_PHONE = "0770 555 014"
STORY = "Beaten by her husband on market day"
# A services sheet with survivor columns beside a real service, a row set aside (unknown
# region), a repeated row and an unknown column, so that every part of the result has content.
SERVICES_WITH_SURVIVORS = [
    ["Provider", "Service type", "Region", "Survivor name", "Contact (survivor)", "Incident description", "Colour"],
    ["Ministry of Health", "Helpline", "Grand Bassa", SURVIVOR_NAME, SURVIVOR_PHONE, STORY, "red"],
    ["Ministry of Health", "Refuge", "Grand Basa", SURVIVOR_NAME, SURVIVOR_PHONE, STORY, "blue"],
    ["Ministry of Health", "Helpline", "Grand Bassa", SURVIVOR_NAME, CASE_NUMBER, BIRTH_DATE, "red"],
    ["Ministry of Health", "Legal aid", "Grand Bassa", "", CASE_NUMBER, "not a date", "green"],
]
SECRETS = (SURVIVOR_NAME, CASE_NUMBER, BIRTH_DATE, SURVIVOR_PHONE, STORY, "not a date")


def services_csv(headers: list[str], values: list[str]) -> bytes:
    rows = [["Provider", "Service type", "Region", *headers], ["MoH", "Helpline", "Grand Bassa", *values]]
    return csv_bytes("\n".join(";".join(row) for row in rows) + "\n")


def ingest_services(data: bytes, name: str = "services.csv"):
    return ingest(
        [("actors.xlsx", xlsx({"actors": ACTOR_ROWS, "regions": REGION_ROWS})), (name, data)],
    )


# ── the rules ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("header", SURVIVOR_HEADERS)
def test_a_survivor_header_is_recognised_in_four_languages(header):
    assert survivor_reason(header) is not None


@pytest.mark.parametrize("header", [*THREE_W_HEADERS, *SERVICE_HEADERS_ABOUT_SURVIVORS, *CONTRACT_HEADERS])
def test_an_ordinary_header_is_never_taken_for_survivor_data(header):
    assert survivor_reason(header) is None


def test_the_reason_names_the_words_that_gave_it_away():
    assert survivor_reason("Contact (survivor)").params == {"person": "survivor", "detail": "contact"}
    assert survivor_reason("Número de expediente").params == {"words": "número de expediente"}
    assert survivor_reason("EDAD").params == {"words": "edad"}


def test_a_person_word_of_one_language_does_not_meet_a_detail_of_another():
    # Spanish "nombre" is a name; French "nombre de victimes" is a count of victims.
    assert survivor_reason("Nombre de victimes") is None
    assert survivor_reason("Nombre de la víctima") is not None


def test_the_survivor_headers_file_has_every_list_in_every_language():
    data = load_data_file("survivor_headers.toml")
    assert set(data) == {"en", "fr", "es", "pt"}
    for language, lists in data.items():
        assert set(lists) == set(SURVIVOR_LISTS), language
        for name in SURVIVOR_LISTS:
            assert lists[name], (language, name)
            assert all(text_key(phrase) for phrase in lists[name]), (language, name)
    assert set(survivor_words()) == set(data)


# ── the column refused ────────────────────────────────────────────────────────


def test_every_survivor_column_of_a_sheet_is_refused_with_an_error_naming_it():
    result = ingest_services(services_csv(SURVIVOR_HEADERS, ["x"] * len(SURVIVOR_HEADERS)))

    errors = problems_of(result, ERROR)
    assert [problem["column"] for problem in errors] == SURVIVOR_HEADERS
    assert all(problem["message"].startswith("This column looks like survivor case data: ") for problem in errors)
    assert all(problem["suggestion"] == "Delete this column from the file before sharing it." for problem in errors)
    assert result.counts["services"].accepted == 1  # the service itself loads


def test_the_error_says_why_in_the_language_asked_for():
    result = ingest_services(services_csv(["Contact (survivor)", "Case number"], ["0770 123 456", "C-1"]))

    english = [problem["message"] for problem in problems_of(result, ERROR)]
    french = [problem["message"] for problem in problems_of(result, ERROR, language="fr")]
    assert "its header names a person ('survivor') and a personal detail ('contact')" in english[0]
    assert "'case number' is recorded about one case, not about a service" in english[1]
    assert "(« survivor ») et une information personnelle (« contact »)" in french[0]
    assert french[1].startswith("Cette colonne semble contenir des données de cas de survivantes")


def test_the_3w_headers_load_without_a_survivor_error():
    result = ingest_services(services_csv(THREE_W_HEADERS, ["x"] * len(THREE_W_HEADERS)))

    assert problems_of(result, ERROR) == []


def test_a_survivor_contact_is_never_read_as_the_services_contact():
    data = services_csv(["Contact (survivor)", "victim phone", "Survivor email"], ["0770 1", "0770 2", "a@b.org"])

    result = ingest_services(data)

    assert [problem["column"] for problem in problems_of(result, ERROR)] == [
        "Contact (survivor)",
        "victim phone",
        "Survivor email",
    ]
    services = result.frames["services"]
    assert services["contact_phone"].isna().all() and services["contact_email"].isna().all()


def test_a_service_contact_that_names_victims_is_read_as_the_contact():
    rows = [
        ["Provider", "Service type", "Region", "Phone (victim support unit)"],
        ["MoH", "Helpline", "Grand Bassa", "118"],
    ]

    result = ingest_services(xlsx({"services": rows}), "services.xlsx")

    assert problems_of(result, ERROR) == []
    assert result.frames["services"]["contact_phone"].tolist() == ["118"]


def test_a_survivor_column_known_only_by_its_hxl_tag_is_refused():
    rows = [
        ["Provider", "Service type", "Region", ""],
        ["#org+name", "#service+type", "#adm1+name", "#contact+survivor"],
        ["MoH", "Helpline", "Grand Bassa", "0770 123 456"],
    ]

    result = ingest_services(xlsx({"services": rows}), "services.xlsx")

    assert [problem["column"] for problem in problems_of(result, ERROR)] == ["#contact+survivor"]
    assert "0770 123 456" not in everything_in(result)


# ── nothing of the column is kept ─────────────────────────────────────────────


def everything_in(result) -> str:
    """Every value of the ingest result, as one text: frames, rows set aside, problems with
    their parameters, counts, files."""
    parts = [frame.to_csv() for frame in result.frames.values()]
    parts += [frame.to_csv() for frame in result.set_aside.values()]
    parts.append(result.problems.to_csv())
    parts.append(repr(result.problems[["message", "suggestion"]].to_dict("records")))
    parts.append(repr(result.counts) + repr(result.unreadable) + repr(result.sources))
    return "\n".join(parts)


def test_a_survivors_name_appears_nowhere_in_the_result():
    workbook = xlsx({"actors": ACTOR_ROWS, "regions": REGION_ROWS, "services": SERVICES_WITH_SURVIVORS})

    result = ingest([("country.xlsx", workbook)])

    assert result.set_aside["services"].shape[0] == 2  # the near-miss region and the repeated row
    assert problems_of(result, column="Colour")  # an unknown column is reported
    found = everything_in(result)
    for secret in SECRETS:
        assert secret not in found, secret
    assert "Survivor name" in found  # the header is named, so the column can be deleted


def test_a_survivor_column_leaves_nothing_in_any_language_of_the_problems():
    workbook = xlsx({"actors": ACTOR_ROWS, "regions": REGION_ROWS, "services": SERVICES_WITH_SURVIVORS})

    result = ingest([("country.xlsx", workbook)])

    for language in ("en", "fr", "es"):
        worded = pd.DataFrame(problems_of(result, language=language)).to_csv()
        assert not [secret for secret in SECRETS if secret in worded], language
