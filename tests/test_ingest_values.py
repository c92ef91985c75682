"""Cleaning cell values (vawmap/ingest/normalise.py, schemas.py, references.py, pipeline.py).

Vocabulary is matched ignoring case and accents, with near-miss suggestions; yes/no in three
languages; lists split on ';' or ','; numbers and dates written as text; formulas read as
their cached values; merged cells; hidden sheets; duplicate rows; references to regions and
actors. Rows with errors are set aside and counted; a bad optional cell is cleared with a warning.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.builders import ACTOR_ROWS, REGION_ROWS, ingest_one, with_cached_values, xlsx
from tests.ingest_problems import problems_of
from vawmap.dataset import sample_dataset
from vawmap.ingest import ERROR, WARNING

SERVICE_HEADER = ["Provider", "Service type", "Region"]
SERVICE_ROWS = [SERVICE_HEADER, ["MoH", "Helpline", "Grand Bassa"]]


def upload(services=None, actors=ACTOR_ROWS, regions=REGION_ROWS, **sheets):
    """ingest() of one workbook holding the given sheets (actors and regions by default)."""
    content = {"actors": actors, "regions": regions, "services": services, **sheets}
    return ingest_one("country.xlsx", xlsx({name: rows for name, rows in content.items() if rows is not None}))


def one_service(header: list, row: list):
    """ingest() of a single service row with extra columns (plus the default actors and regions)."""
    return upload([SERVICE_HEADER + header, ["MoH", "Helpline", "Grand Bassa"] + row])


def cleaned(result, column: str, sheet_name: str = "services") -> list:
    return result.frames[sheet_name][column].tolist()


# ── vocabulary ────────────────────────────────────────────────────────────────

SERVICES_VOCABULARY_SPELLINGS = [
    SERVICE_HEADER,
    ["MoH", "Refuge", "Grand Bassa"],
    ["MoH", "SANTÉ MENTALE", "Grand Bassa"],
    ["MoH", "sante mentale", "Montserrado"],
    ["MoH", "  Línea   de ayuda ", "Grand Bassa"],
    ["MoH", "post_rape_care", "Grand Bassa"],
    ["MoH", "Hotline", "Montserrado"],
]
ACTORS_VOCABULARY_SPELLINGS = [
    ["Nom", "Type d'acteur", "Secteur", "Niveau"],
    ["Ministère de la Santé", "GOUVERNEMENT", "Ministère de la Santé", "NATIONAL"],
    ["Fiscalía General", "institución estatal", "FISCALIA", "nacional"],
    ["Association des femmes juristes", "ong", "Organisations de femmes", "national"],
]


def test_service_types_match_ignoring_case_accents_and_spaces():
    result = upload(SERVICES_VOCABULARY_SPELLINGS)

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "service_type") == [
        "safe_accommodation",
        "mental_health_care",
        "mental_health_care",
        "helpline",
        "post_rape_care",
        "helpline",
    ]


def test_actor_vocabularies_match_french_and_spanish_labels():
    result = upload(actors=ACTORS_VOCABULARY_SPELLINGS, regions=None)

    actors = result.frames["actors"]
    assert actors["actor_type"].tolist() == ["government", "state_institution", "ngo"]
    assert actors["sector"].tolist() == ["health", "prosecution", "womens_organisations"]
    assert actors["level"].tolist() == ["national"] * 3


def test_unknown_service_type_near_a_known_one_is_an_error_with_a_suggestion():
    result = upload([SERVICE_HEADER, ["MoH", "Helpine", "Grand Bassa"], ["MoH", "Helpline", "Grand Bassa"]])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Service type", ERROR)
    assert problem["message"] == "'Helpine' is not a known service type."
    assert problem["suggestion"] == "Did you mean 'helpline'?"
    assert result.set_aside["services"]["_row"].tolist() == [2]
    assert cleaned(result, "service_type") == ["helpline"]


def test_unknown_value_far_from_any_lists_the_allowed_values():
    result = upload([SERVICE_HEADER, ["MoH", "Bakery", "Grand Bassa"]])

    [problem] = problems_of(result)
    assert problem["suggestion"].startswith("Use one of: health_first_line_support, post_rape_care,")
    assert "one_stop_centre" in problem["suggestion"]


def test_unknown_value_in_an_optional_vocabulary_column_is_cleared_with_a_warning():
    result = one_service(["Status"], ["Closd"])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Status", WARNING)
    assert problem["suggestion"] == "Did you mean 'suspended'?"
    assert cleaned(result, "status") == ["active"]  # cleared, so the default applies


# ── regions ───────────────────────────────────────────────────────────────────


def test_region_near_miss_is_an_error_with_did_you_mean_and_the_row_set_aside():
    result = upload([SERVICE_HEADER, ["MoH", "Helpline", "Grand Basa"], ["MoH", "Legal aid", "Grand Bassa"]])

    [problem] = problems_of(result)
    assert (problem["sheet"], problem["row"], problem["column"]) == ("services", 2, "Region")
    assert problem["severity"] == ERROR
    assert problem["message"] == "'Grand Basa' is not a known region."
    assert problem["suggestion"] == "Did you mean 'Grand Bassa'?"
    assert result.set_aside["services"]["region"].tolist() == ["Grand Basa"]
    counts = result.counts["services"]
    assert (counts.rows, counts.accepted, counts.rejected) == (2, 1, 1)


def test_region_spelt_differently_or_by_code_takes_the_regions_sheet_spelling():
    rows = [
        SERVICE_HEADER,
        ["MoH", "Helpline", "GRAND BASSA"],
        ["MoH", "Legal aid", "grand-bassa"],
        ["MoH", "Refuge", "LR-MO"],  # by region code
    ]

    result = upload(rows)

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "region") == ["Grand Bassa", "Grand Bassa", "Montserrado"]


def test_region_far_from_any_known_is_kept_with_a_warning():
    result = upload([SERVICE_HEADER, ["MoH", "Helpline", "Nimba"]])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Region", WARNING)
    assert problem["message"].startswith("'Nimba' is not in the regions sheet; it was kept")
    assert cleaned(result, "region") == ["Nimba"]


def test_regions_are_checked_against_the_known_list_when_no_regions_sheet_is_uploaded():
    known = sample_dataset().frames
    first, second = known["regions"]["region"].tolist()[:2]
    near_miss = first[:-1]  # "Northmoor" -> "Northmoo"

    result = ingest_one(
        "services.xlsx",
        xlsx(
            {
                "actors": ACTOR_ROWS,
                "services": [
                    SERVICE_HEADER,
                    ["MoH", "Helpline", first.upper()],
                    ["MoH", "Helpline", second],
                    ["MoH", "Helpline", near_miss],
                ],
            }
        ),
        known=known,
    )

    assert cleaned(result, "region") == [first, second]
    [problem] = problems_of(result)
    assert (problem["row"], problem["severity"], problem["suggestion"]) == (4, ERROR, f"Did you mean '{first}'?")


def test_regions_not_checked_without_a_regions_sheet_says_so_once():
    result = upload([SERVICE_HEADER, ["MoH", "Helpline", "Anywhere"]], regions=None)

    [problem] = problems_of(result)
    assert (problem["column"], problem["severity"]) == ("Region", WARNING)
    assert problem["message"] == "There is no regions sheet, so region names could not be checked."


# ── yes / no ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("yes", True),
        ("no", False),
        ("Oui", True),
        ("NON", False),
        ("Sí", True),
        ("si", True),
        ("No", False),
        ("x", True),
        ("X", True),
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("y", True),
        ("n", False),
        ("vrai", True),
        ("falso", False),
        (1, True),
        (0, False),
        (True, True),
        (False, False),
    ],
)
def test_yes_no_in_three_languages(cell, expected):
    result = one_service(["Open 24/7"], [cell])

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "open_24_7") == [expected]


def test_yes_no_that_is_neither_is_cleared_with_a_warning():
    result = one_service(["Free of charge"], ["maybe"])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Free of charge", WARNING)
    assert problem["message"] == "'maybe' is not yes or no, so the cell was left empty and the default applies."
    assert problem["suggestion"] == "Write yes or no (oui/non and sí/no work too)."
    assert pd.isna(cleaned(result, "free_of_charge")[0])


SERVICES_CONFIDENTIAL_DEFAULTS = [
    SERVICE_HEADER + ["Confidential", "Status"],
    ["MoH", "Shelter", "Grand Bassa", None, None],
    ["MoH", "Helpline", "Grand Bassa", None, None],
    ["MoH", "Refuge", "Montserrado", "non", None],
    ["MoH", "Legal aid", "Montserrado", "oui", "Prévu"],
]


def test_blank_confidential_is_yes_for_safe_accommodation_and_no_otherwise():
    result = upload(SERVICES_CONFIDENTIAL_DEFAULTS)

    assert cleaned(result, "confidential") == [True, False, False, True]


def test_blank_status_is_active():
    result = upload(SERVICES_CONFIDENTIAL_DEFAULTS)

    assert cleaned(result, "status") == ["active", "active", "active", "planned"]


def test_blank_yes_no_without_a_default_stays_unknown():
    result = one_service(["Open 24/7", "Free of charge"], [None, ""])

    assert result.frames["services"][["open_24_7", "free_of_charge"]].isna().all(axis=None)


# ── lists ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "cell",
    [
        "women; children",
        "women, children",
        "Women;Children",
        "femmes ; enfants",
        "mujeres,niñas y niños",
        "women\nchildren",
        "women; children; women",
    ],
)
def test_lists_separated_by_semicolon_comma_or_new_line(cell):
    result = one_service(["Target groups"], [cell])

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "target_groups") == ["women; children"]


def test_unknown_list_item_is_left_out_with_a_warning():
    result = one_service(["Target groups"], ["women; wemen; older women"])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Target groups", WARNING)
    assert problem["message"] == "'wemen' is not a known target group, so it was left out of the list."
    assert problem["suggestion"] == "Did you mean 'women'?"
    assert cleaned(result, "target_groups") == ["women; older_women"]


def test_coordination_body_members_resolve_to_actor_ids():
    bodies = [["Name", "Chair", "Members"], ["GBV task force", "Ministry of Health", "MoH, WLAN"]]

    result = upload(coordination_bodies=bodies)

    frame = result.frames["coordination_bodies"]
    assert frame["member_ids"].tolist() == ["moh; wlan"]
    assert frame["chair_id"].tolist() == ["moh"]


# ── numbers ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("cell", ["1 200", "1,200", "1.200", "1\u00a0200", "1200", 1200, 1200.0, " 1200 "])
def test_whole_numbers_stored_as_text(cell):
    result = one_service(["Capacity"], [cell])

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "capacity") == [1200]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("-6,25", -6.25),
        (" 7 ", 7.0),
        (8.75, 8.75),
        ("-18.828", -18.828),
        ("47.512", 47.512),
    ],
)
def test_decimal_numbers_with_a_comma_or_a_point(cell, expected):
    result = one_service(["Latitude"], [cell])

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "latitude") == [expected]


def test_text_that_is_not_a_number_is_cleared_with_a_warning():
    result = one_service(["Capacity"], ["twelve"])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Capacity", WARNING)
    assert problem["message"] == "'twelve' is not a number, so the cell was left empty."
    assert pd.isna(cleaned(result, "capacity")[0])


def test_fraction_in_a_whole_number_column_is_cleared_with_a_warning():
    result = one_service(["Capacity"], ["12.5"])

    [problem] = problems_of(result)
    assert problem["message"] == "'12.5' is not a whole number, so the cell was left empty."


def test_a_whole_number_too_large_to_hold_is_cleared_with_a_warning():
    # Found by hypothesis: 9223372036854775296 reads as 2**63, one more than Int64 holds, and
    # the column's conversion raised instead of warning.
    result = upload(regions=[["Region", "Population"], ["Grand Bassa", "9223372036854775296"], ["Bomi", "84119"]])

    [problem] = problems_of(result)
    assert (
        problem["message"] == "'9223372036854775296' is too large a whole number to hold, so the cell was left empty."
    )
    assert problem["suggestion"] == "Check the number: a population or a capacity is never this large."
    assert pd.isna(cleaned(result, "population", "regions")[0]) and cleaned(result, "population", "regions")[1] == 84119


def test_population_with_thousands_separators():
    result = upload(regions=[["Région", "Population"], ["Grand Bassa", "250 000"], ["Montserrado", "1.500.000"]])

    assert cleaned(result, "population", "regions") == [250000, 1500000]


# ── ranges ────────────────────────────────────────────────────────────────────


def test_out_of_range_influence_is_cleared_with_a_warning_and_the_row_kept():
    actors = [ACTOR_ROWS[0] + ["Influence", "Interest"], ACTOR_ROWS[1] + [7, 4], ACTOR_ROWS[2] + [3, 5]]

    result = upload(actors=actors)

    [problem] = problems_of(result)
    assert (problem["sheet"], problem["row"], problem["column"]) == ("actors", 2, "Influence")
    assert problem["severity"] == WARNING
    assert problem["message"] == "7 is outside the allowed range (from 1 to 5), so the cell was left empty."
    assert problem["suggestion"] == "Use a value from 1 to 5."
    assert result.frames["actors"]["influence"].tolist()[1] == 3
    assert pd.isna(result.frames["actors"]["influence"].tolist()[0])
    assert result.frames["actors"]["interest"].tolist() == [4, 5]


def test_latitude_out_of_range_names_the_value_as_written():
    result = one_service(["Latitude"], ["200"])

    [problem] = problems_of(result)
    assert problem["message"] == "200 is outside the allowed range (from -90 to 90), so the cell was left empty."


def test_negative_capacity_is_cleared_with_a_warning():
    result = one_service(["Capacity"], [-3])

    [problem] = problems_of(result)
    assert problem["suggestion"] == "Use a value of 0 or more."
    assert pd.isna(cleaned(result, "capacity")[0])


# ── dates ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "cell",
    [
        "2026-03-04",
        "04/03/2026",
        "4/3/2026",
        "04.03.2026",
        "04-03-2026",
        "04/03/26",
        dt.datetime(2026, 3, 4),
        dt.date(2026, 3, 4),
        "2026-03-04T10:30:00",
    ],
)
def test_dates_in_iso_and_day_month_year_and_real_excel_dates(cell):
    result = one_service(["Last verified"], [cell])

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "last_verified") == [pd.Timestamp("2026-03-04")]


def test_excel_date_serial_stored_as_a_number():
    result = one_service(["Last verified"], [46085])  # 46085 is 2026-03-04 in Excel's 1900 date system

    assert cleaned(result, "last_verified") == [pd.Timestamp("2026-03-04")]


def test_text_that_is_not_a_date_is_cleared_with_a_warning():
    result = one_service(["Last verified"], ["last spring"])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Last verified", WARNING)
    assert problem["message"] == "'last spring' is not a date, so the cell was left empty."
    assert problem["suggestion"] == "Write the date as 2026-03-31 or 31/03/2026, or format the cell as a date."
    assert pd.isna(cleaned(result, "last_verified")[0])


@pytest.mark.parametrize("cell", [dt.date(2263, 1, 1), "2263-01-01", dt.datetime(1600, 5, 1)])
def test_a_date_too_far_from_today_to_hold_is_cleared_with_a_warning(cell):
    result = one_service(["Last verified"], [cell])  # the column holds 1677-2262 (pandas nanoseconds)

    [problem] = problems_of(result)
    assert (problem["row"], problem["severity"]) == (2, WARNING)
    assert "is not a date" in problem["message"]
    assert pd.isna(cleaned(result, "last_verified")[0])


# ── formulas, merged cells, hidden sheets ─────────────────────────────────────

SERVICES_WITH_FORMULAS = [
    SERVICE_HEADER + ["Capacity", "District"],
    ["MoH", "Refuge", "Grand Bassa", "=3*4", '="Bu"&"chanan"'],
]


def test_formulas_are_read_as_their_cached_values():
    workbook = xlsx({"actors": ACTOR_ROWS, "regions": REGION_ROWS, "services": SERVICES_WITH_FORMULAS})
    workbook = with_cached_values(workbook, sheet_number=3, cached={"D2": 12, "E2": "Buchanan"})

    result = ingest_one("country.xlsx", workbook)

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "capacity") == [12]
    assert cleaned(result, "district") == ["Buchanan"]


SERVICES_WITH_MERGED_REGION = [
    SERVICE_HEADER,
    ["MoH", "Helpline", "Grand Bassa"],
    ["WLAN", "Legal aid", None],
    ["MoH", "Refuge", None],
    ["MoH", "Refuge", "Montserrado"],
]


def test_a_region_merged_down_several_rows_fills_every_row():
    workbook = xlsx(
        {"actors": ACTOR_ROWS, "regions": REGION_ROWS, "services": SERVICES_WITH_MERGED_REGION},
        merged={"services": ["C2:C4"]},
    )

    result = ingest_one("country.xlsx", workbook)

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "region") == ["Grand Bassa", "Grand Bassa", "Grand Bassa", "Montserrado"]


def test_hidden_sheet_is_ignored_with_a_warning():
    workbook = xlsx(
        {"actors": ACTOR_ROWS, "regions": REGION_ROWS, "services": SERVICE_ROWS},
        hidden=["services"],
    )

    result = ingest_one("country.xlsx", workbook)

    [problem] = problems_of(result)
    assert (problem["sheet"], problem["severity"]) == ("services", WARNING)
    assert problem["message"] == "This sheet is hidden, so it was not loaded."
    assert "unhide" in problem["suggestion"]
    assert "services" not in result.frames and "services" not in result.counts
    assert set(result.frames) == {"actors", "regions"}


def test_template_instructions_and_lists_sheets_are_skipped_quietly():
    workbook = xlsx(
        {
            "instructions": [["How to fill in this workbook"], ["Provider", "Service type", "Region"]],
            "lists": [["region"], ["Grand Bassa"]],
            "regions": REGION_ROWS,
        }
    )

    result = ingest_one("template.xlsx", workbook)

    assert result.problems.empty, result.problems.to_dict("records")
    assert list(result.frames) == ["regions"]


# ── duplicates ────────────────────────────────────────────────────────────────

SERVICES_WITH_DUPLICATES = [
    SERVICE_HEADER + ["Capacity"],
    ["MoH", "Refuge", "Grand Bassa", 10],
    ["WLAN", "Legal aid", "Grand Bassa", None],
    ["MoH", "Refuge", "Grand Bassa", 10],  # row 4 repeats row 2
    ["MoH", "Refuge", "Grand Bassa", 12],  # different capacity: a different row
    ["WLAN", "Legal aid", "Grand Bassa", None],  # row 6 repeats row 3
]


def test_duplicate_rows_are_warnings_naming_the_first_row():
    result = upload(SERVICES_WITH_DUPLICATES)

    problems = problems_of(result)
    assert [(p["row"], p["severity"], p["message"]) for p in problems] == [
        (
            4,
            WARNING,
            "This row says the same as row 2 (once spellings are tidied), so it was set aside and is not counted"
            " twice.",
        ),
        (
            6,
            WARNING,
            "This row says the same as row 3 (once spellings are tidied), so it was set aside and is not counted"
            " twice.",
        ),
    ]


def test_duplicate_rows_are_set_aside_and_counted():
    result = upload(SERVICES_WITH_DUPLICATES)

    assert result.set_aside["services"]["_row"].tolist() == [4, 6]
    counts = result.counts["services"]
    assert (counts.rows, counts.accepted, counts.rejected) == (5, 3, 2)
    assert cleaned(result, "provider") == ["MoH", "WLAN", "MoH"]
    assert result.frames["services"]["capacity"].fillna(-1).tolist() == [10, -1, 12]


# ── required values ───────────────────────────────────────────────────────────


def test_blank_required_value_is_an_error_and_the_row_is_set_aside():
    result = upload([SERVICE_HEADER, ["MoH", "Helpline", "Grand Bassa"], [None, "Refuge", "Grand Bassa"]])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (3, "Provider", ERROR)
    assert "empty" in problem["message"]
    assert problem["suggestion"] == "Fill it in, or delete the row if it is not needed."
    assert result.set_aside["services"]["service_type"].tolist() == ["safe_accommodation"]
    assert (result.counts["services"].accepted, result.counts["services"].rejected) == (1, 1)


def test_actor_below_national_level_without_a_region_is_one_error():
    actors = [
        ACTOR_ROWS[0] + ["Region"],
        ACTOR_ROWS[1] + [None],
        ACTOR_ROWS[2] + [None],
        ["County health team", "CHT", "cht", "Government", "Health", "Sub-national", None],  # Excel row 4
    ]

    result = upload(actors=actors)

    errors = problems_of(result, ERROR)
    assert [(p["row"], p["column"]) for p in errors] == [(4, "Region")]
    assert errors[0]["message"] == "The region is empty; an actor at sub-national or local level needs one."
    assert result.set_aside["actors"]["name"].tolist() == ["County health team"]


def test_rows_of_a_sheet_with_errors_are_counted_and_the_rest_load():
    rows = [
        SERVICE_HEADER,
        ["MoH", "Helpine", "Grand Bassa"],  # unknown service type
        ["MoH", "Helpline", "Grand Basa"],  # near-miss region
        [None, "Refuge", None],  # blank provider and region
        ["WLAN", "Legal aid", "Montserrado"],
    ]

    result = upload(rows)

    counts = result.counts["services"]
    assert (counts.rows, counts.accepted, counts.rejected) == (4, 1, 3)
    assert sorted(result.set_aside["services"]["_row"].tolist()) == [2, 3, 4]
    assert cleaned(result, "provider") == ["WLAN"]


def test_actor_ids_are_made_when_missing_and_unique():
    actors = [
        ["Name", "Acronym", "Actor type", "Sector", "Level"],
        ["Ministry of Health", "MoH", "Government", "Health", "National"],
        ["Ministry of Hope", "MoH", "NGO", "Civil society", "National"],
        ["Women's Legal Aid Network", None, "NGO", "Civil society", "National"],
    ]

    result = upload(actors=actors)

    assert cleaned(result, "actor_id", "actors") == ["moh", "moh-2", "womens-legal-aid-network"]


def test_repeated_actor_id_is_a_warning():
    actors = [ACTOR_ROWS[0], ACTOR_ROWS[1], ["Ministry of Hope", "MoHo", "moh", "NGO", "Civil society", "National"]]

    result = upload(actors=actors)

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (3, "Actor ID", WARNING)
    assert problem["message"] == "'moh' is used by an earlier row; each actor_id must be unique."


def test_actor_whose_repeated_id_was_cleared_gets_a_new_id_and_can_be_named():
    actors = [ACTOR_ROWS[0], ACTOR_ROWS[1], ["Ministry of Hope", "MoHo", "moh", "NGO", "Civil society", "National"]]

    result = upload([SERVICE_HEADER, ["Ministry of Hope", "Helpline", "Grand Bassa"]], actors=actors)

    assert cleaned(result, "actor_id", "actors") == ["moh", "moho"]
    assert cleaned(result, "provider_id") == ["moho"]


# ── actors named in other sheets ──────────────────────────────────────────────


@pytest.mark.parametrize("provider", ["Ministry of Health", "ministry of health", "MoH", "MOH", "moh"])
def test_providers_resolve_by_name_acronym_or_id(provider):
    result = upload([SERVICE_HEADER, [provider, "Helpline", "Grand Bassa"]])

    assert result.problems.empty, result.problems.to_dict("records")
    assert cleaned(result, "provider_id") == ["moh"]
    assert cleaned(result, "provider") == [provider]


def test_unknown_provider_is_a_warning_with_a_suggestion_and_the_row_kept():
    result = upload([SERVICE_HEADER, ["Ministry of Helth", "Helpline", "Grand Bassa"]])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Provider", WARNING)
    assert problem["message"] == "'Ministry of Helth' is not in the actors sheet."
    assert problem["suggestion"] == "Did you mean 'Ministry of Health'?"
    assert pd.isna(cleaned(result, "provider_id")[0])
    assert result.counts["services"].accepted == 1


def test_providers_resolve_against_known_actors_when_no_actors_sheet_is_uploaded():
    known = sample_dataset().frames
    actor = known["actors"].iloc[0]

    result = ingest_one(
        "services.xlsx", xlsx({"services": [SERVICE_HEADER, [actor["name"].upper(), "Helpline", "X"]]}), known=known
    )

    assert cleaned(result, "provider_id") == [actor["actor_id"]]


LINKS_WITH_UNKNOWN_ACTORS = [
    ["Source", "Target", "Link type"],
    ["MoH", "WLAN", "Referral"],
    ["moh", "Ghost Organisation", "Funding"],
    ["Ministry of Helth", "wlan", "Coordination"],
]


def test_link_to_an_unknown_actor_is_an_error_and_set_aside():
    result = upload(links=LINKS_WITH_UNKNOWN_ACTORS)

    errors = [(p["row"], p["column"], p["message"], p["suggestion"]) for p in problems_of(result, ERROR)]
    assert errors == [
        (
            3,
            "Target",
            "'Ghost Organisation' is not in the actors sheet.",
            "Add it to the actors sheet, or write the name, acronym or ID used there.",
        ),
        (4, "Source", "'Ministry of Helth' is not in the actors sheet.", "Did you mean 'Ministry of Health'?"),
    ]
    assert result.set_aside["links"]["_row"].tolist() == [3, 4]
    links = result.frames["links"]
    assert links[["source_id", "target_id", "link_type"]].values.tolist() == [["moh", "wlan", "referral"]]


def test_link_from_an_actor_to_itself_is_a_warning():
    result = upload(links=[["Source", "Target"], ["MoH", "moh"]])

    [problem] = problems_of(result)
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Target", WARNING)
    assert problem["message"] == "The link goes from an actor to itself."


# ── dtypes of the cleaned frames ──────────────────────────────────────────────

SERVICES_EVERY_KIND = [
    SERVICE_HEADER + ["Capacity", "Open 24/7", "Latitude", "Last verified", "Target groups"],
    ["MoH", "Refuge", "Grand Bassa", "12", "oui", "6,5", "31/03/2026", "women"],
    ["WLAN", "Legal aid", "Montserrado", None, None, None, None, None],
]


def test_cleaned_service_columns_have_their_dtypes():
    services = upload(SERVICES_EVERY_KIND).frames["services"]

    assert services["capacity"].dtype == "Int64"
    assert services["open_24_7"].dtype == "boolean"
    assert services["confidential"].dtype == "boolean"
    assert services["latitude"].dtype == "Float64"
    assert services["last_verified"].dtype == "datetime64[ns]"
    assert services["service_type"].dtype == "string"
    assert services["provider_id"].dtype == "string"
    assert services["capacity"].tolist()[0] == 12 and pd.isna(services["capacity"].tolist()[1])


def test_cleaned_columns_have_their_dtypes_even_when_the_column_was_not_uploaded():
    services = upload([SERVICE_HEADER, ["MoH", "Helpline", "Grand Bassa"]]).frames["services"]

    assert services["capacity"].dtype == "Int64"
    assert services["open_24_7"].dtype == "boolean"
    assert services["last_verified"].dtype == "datetime64[ns]"
    assert services["district"].dtype == "string"


def test_cleaned_region_and_actor_columns_have_their_dtypes():
    result = upload()

    assert result.frames["regions"]["population"].dtype == "Int64"
    assert result.frames["actors"]["influence"].dtype == "Int64"
    assert result.frames["actors"]["sector"].dtype == "string"


def test_whole_numbers_read_from_text_are_ints_not_floats():
    result = one_service(["Capacity"], ["7"])

    value = cleaned(result, "capacity")[0]
    assert value == 7 and not isinstance(value, float)
