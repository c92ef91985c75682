"""Column and value mapping (vawmap/ingest/mapping.py): a sheet's role by its content, each
source column proposed a canonical column, cluster values mapped with the cluster trap in mind,
suggestions accepted as value mappings, and profiles that read back as they were written."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import xlsx
from tests.mapping_fixtures import (
    FIVE_W,
    FIVE_W_COLUMNS,
    HUMANITARIAN_3W,
    HUMANITARIAN_GBV_ROWS,
    HUMANITARIAN_SET_ASIDE_ROWS,
    HXL_COLUMNS,
    MISSPELT_WORKBOOK,
    THREE_W_COLUMNS,
    THREE_W_EN,
    THREE_W_ES,
    THREE_W_FR,
    THREE_W_FR_TYPOGRAPHIC,
    as_csv,
)
from vawmap.ingest import ingest
from vawmap.ingest.mapping import (
    UNSPECIFIED,
    Mapping,
    ProfileError,
    SheetMapping,
    accept_suggestions,
    column_choices,
    confident_match,
    read_profile,
    to_json,
    to_toml,
)
from vawmap.vocab import vocabulary


def mapped_columns(result) -> dict[str, str]:
    """canonical column -> the source header mapped to it, of the upload's only sheet."""
    (item,) = result.mapping.sheets
    return {canonical: header for header, canonical in item.columns.items() if canonical}


def headers_at(rows, columns: dict[str, int]) -> dict[str, str]:
    return {canonical: rows[0][index] or rows[1][index] for canonical, index in columns.items()}


# ── role by content ───────────────────────────────────────────────────────────


@pytest.mark.parametrize("rows", [THREE_W_EN, THREE_W_FR, THREE_W_ES], ids=["en", "fr", "es"])
def test_the_csv_and_the_workbook_of_one_3w_are_both_read_as_services(rows):
    as_file = ingest([("who_what_where.csv", as_csv(rows))])
    as_workbook = ingest([("who_what_where.xlsx", xlsx({"Sheet1": rows}))])

    assert [item.table for item in as_file.mapping.sheets] == ["services"]
    assert [item.table for item in as_workbook.mapping.sheets] == ["services"]
    assert as_file.counts["services"].accepted == len(rows) - 1
    assert as_workbook.counts["services"].accepted == len(rows) - 1


def test_a_3w_named_after_regions_is_still_read_as_services():
    result = ingest([("regions_admin1.csv", as_csv(THREE_W_EN))])

    assert list(result.counts) == ["services"]


@pytest.mark.parametrize("rows", [THREE_W_EN, THREE_W_FR, THREE_W_FR_TYPOGRAPHIC, THREE_W_ES])
def test_3w_columns_are_proposed_in_three_languages_and_with_either_apostrophe(rows):
    result = ingest([("3w.csv", as_csv(rows))])

    assert mapped_columns(result) | {} == {**headers_at(rows, THREE_W_COLUMNS), "country": rows[0][5]}


@pytest.mark.parametrize(
    "header", ["Pcode", "P-code", "P code", "Code P", "Admin1 P-code", "admin1Pcode", "ADM1_PCODE", "Código P"]
)
def test_p_code_spellings_are_the_region_code(header):
    rows = [["Organisation", "Activity", "Region", header], ["IRC", "Helpline", "Lofa", "LR08"]]

    assert mapped_columns(ingest([("3w.csv", as_csv(rows))]))["region_code"] == header


@pytest.mark.parametrize("version", list(HXL_COLUMNS))
def test_hxl_tags_of_both_versions_under_a_header_row_name_the_columns(version):
    rows, columns = HXL_COLUMNS[version]
    result = ingest([("hxl.xlsx", xlsx({"data": rows}))])

    assert set(columns) <= set(mapped_columns(result))
    assert result.counts["services"].accepted == len(rows) - 2


def test_ocha_5w_headers_are_mapped_and_its_gbv_rows_load():
    result = ingest([("5w.csv", as_csv(FIVE_W))])

    assert {name: header for name, header in mapped_columns(result).items()} == headers_at(FIVE_W, FIVE_W_COLUMNS)
    assert result.frames["services"]["service_type"].tolist() == ["post_rape_care", UNSPECIFIED]


# ── values: the cluster trap ──────────────────────────────────────────────────


def test_shelter_health_food_cluster_rows_are_set_aside_and_gbv_rows_are_services():
    result = ingest([("3w.csv", as_csv(HUMANITARIAN_3W))])

    services = result.frames["services"]
    assert services["service_type"].tolist() == list(HUMANITARIAN_GBV_ROWS.values())
    assert "safe_accommodation" not in set(services["service_type"])  # the shelter cluster is housing
    aside = result.problems[[message.key == "problem.mapped_set_aside" for message in result.problems["message"]]]
    assert sorted(aside["row"].tolist()) == HUMANITARIAN_SET_ASIDE_ROWS
    assert set(aside["severity"]) == {"warning"}
    assert result.counts["services"].rejected == len(HUMANITARIAN_SET_ASIDE_ROWS)


def test_the_cluster_values_are_in_the_mapping_gbv_unspecified_and_the_others_set_aside():
    (item,) = ingest([("3w.csv", as_csv(HUMANITARIAN_3W))]).mapping.sheets

    assert item.values["cluster"] == {
        "GBV": UNSPECIFIED,
        "Violencia de género": UNSPECIFIED,
        "Shelter": None,
        "Health": None,
        "Food Security": None,
        "WASH": None,
        "Logistics": None,
        "Education": None,
    }
    assert item.found["cluster"]["GBV"] == 1


def test_the_unspecified_service_type_has_labels_in_every_language_and_counts_toward_no_standard():
    from vawmap.gaps.standards import default_standards

    assert UNSPECIFIED in vocabulary("service_type").values
    standards = default_standards()
    assert all(UNSPECIFIED not in standard.service_types for standard in standards.standards)
    assert UNSPECIFIED not in standards.essential_service_types


def test_a_user_value_mapping_keeps_a_cluster_as_unspecified_services_or_sets_values_aside():
    auto = ingest([("3w.csv", as_csv(HUMANITARIAN_3W))]).mapping
    mapping = auto.with_value("3w.csv", "3w", "cluster", "Health", UNSPECIFIED)
    mapping = mapping.with_value("3w.csv", "3w", "service_type", "Helpline", None)

    result = ingest([("3w.csv", as_csv(HUMANITARIAN_3W))], mapping=mapping)

    assert result.frames["services"]["provider"].tolist() == ["UNFPA", "MSF"]
    assert result.mapping == mapping


def test_a_column_mapped_by_the_user_is_read_and_one_ignored_is_not():
    rows = [["Who", "Kind", "Place", "Comment"], ["IRC", "Helpline", "Lofa", "x"]]
    proposed = ingest([("list.csv", as_csv(rows))])
    mapping = Mapping(
        (
            SheetMapping(
                "list.csv",
                "list",
                "services",
                {"Who": "provider", "Kind": "service_type", "Place": "region", "Comment": None},
            ),
        )
    )

    result = ingest([("list.csv", as_csv(rows))], mapping=mapping)

    assert "services" not in proposed.frames
    assert result.frames["services"][["provider", "service_type", "region"]].values.tolist() == [
        ["IRC", "helpline", "Lofa"]
    ]
    assert not any(message.key == "problem.unknown_column" for message in result.problems["message"])


def test_a_profile_applies_to_next_months_file_of_the_same_shape():
    mapping = ingest([("3w_march.csv", as_csv(HUMANITARIAN_3W))]).mapping.with_value(
        "3w_march.csv", "3w_march", "cluster", "Health", UNSPECIFIED
    )

    april = ingest([("3w_april.csv", as_csv(HUMANITARIAN_3W))], mapping=read_profile(to_json(mapping).encode()))

    assert "MSF" in set(april.frames["services"]["provider"])


# ── suggestions ───────────────────────────────────────────────────────────────


def test_accepting_all_suggestions_maps_a_misspelt_type_and_region():
    first = ingest([("services.xlsx", MISSPELT_WORKBOOK)])
    assert first.counts["services"].rejected == 2

    accepted = accept_suggestions(first.mapping, first.problems)
    second = ingest([("services.xlsx", MISSPELT_WORKBOOK)], mapping=accepted)

    (item,) = [item for item in accepted.sheets if item.table == "services"]
    assert item.values["service_type"]["Helpine"] == "helpline"
    assert item.values["region"] == {"Grand Basa": "Grand Bassa"}
    assert second.counts["services"].rejected == 0
    assert second.frames["services"]["region"].tolist() == ["Montserrado", "Grand Bassa"]


def test_no_suggestion_for_a_value_like_none_and_none_between_two_close_values():
    first = ingest([("services.csv", as_csv([["Provider", "Service type", "Region"], ["MoH", "Zzzz", "Lofa"]]))])

    assert accept_suggestions(first.mapping, first.problems) == first.mapping
    assert confident_match("Helpine", {"helpline": "helpline", "help line": "helpline"}) == "helpline"
    assert confident_match("Help desk", {"help desks": "a", "help desk s": "b"}) is None


# ── profiles and the CLI ──────────────────────────────────────────────────────

_texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_sheet_mappings = st.builds(
    SheetMapping,
    file=_texts,
    sheet=_texts,
    table=st.just("services"),
    columns=st.dictionaries(_texts, st.none() | st.sampled_from(column_choices("services")), max_size=6),
    values=st.dictionaries(
        st.sampled_from(["service_type", "cluster", "status"]),
        st.dictionaries(_texts, st.none() | st.sampled_from(vocabulary("service_type").values), min_size=1, max_size=5),
        max_size=3,
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_sheet_mappings, max_size=3, unique_by=lambda item: (item.file, item.sheet)))
def test_a_mapping_written_and_read_back_maps_identically(items):
    mapping = Mapping(tuple(items))

    assert read_profile(to_json(mapping).encode()) == mapping
    assert read_profile(to_toml(mapping).encode()) == mapping


@pytest.mark.parametrize(
    "text", [b"\xff\xfe\x00", b"not = [a profile", b'{"sheets": [{"table": "nowhere", "columns": {}}]}']
)
def test_a_profile_that_cannot_be_read_says_why(text):
    with pytest.raises(ProfileError) as raised:
        read_profile(text)
    assert raised.value.message.key.startswith("mapping.profile_")


def test_validate_json_gives_the_mapping_in_the_documented_shape_and_writes_it(tmp_path, capsys):
    from vawmap.cli import main

    data = tmp_path / "3w.csv"
    data.write_bytes(as_csv(HUMANITARIAN_3W))
    written = tmp_path / "mapping.toml"

    code = main(["validate", str(data), "--json", "--write-mapping", str(written)])

    report = json.loads(capsys.readouterr().out)
    assert code == 0
    (entry,) = report["mapping"]
    assert set(entry) == {"file", "sheet", "table", "columns", "values"}
    assert entry["columns"]["Sector"] == "cluster"
    assert entry["values"]["cluster"]["Shelter"] is None
    assert read_profile(written.read_bytes()).profile() == report["mapping"]


def test_gaps_and_validate_apply_a_mapping_file(tmp_path, capsys):
    from vawmap.cli import main

    data = tmp_path / "3w.csv"
    data.write_bytes(as_csv(HUMANITARIAN_3W))
    profile = tmp_path / "mapping.json"
    mapping = ingest([("3w.csv", as_csv(HUMANITARIAN_3W))]).mapping.with_value(
        "3w.csv", "3w", "cluster", "Health", UNSPECIFIED
    )
    profile.write_text(to_json(mapping))

    assert main(["validate", str(data), "--mapping", str(profile), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sheets"]["services"]["accepted"] == 3
    assert main(["gaps", str(data), "--mapping", str(profile), "--json"]) in (0, 1)
    capsys.readouterr()


def test_a_mapping_file_that_cannot_be_read_is_named_on_stderr(tmp_path, capsys):
    from vawmap.cli import main

    data = tmp_path / "3w.csv"
    data.write_bytes(as_csv(HUMANITARIAN_3W))

    assert main(["validate", str(data), "--mapping", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err


def test_a_sheet_read_as_another_table_has_its_columns_proposed_for_it():
    rows = [["Organisation", "Type", "Sector", "Level", "Region"], ["IRC", "INGO", "Health", "National", "Lofa"]]
    first = ingest([("list.csv", as_csv(rows))])
    (item,) = first.mapping.sheets

    second = ingest([("list.csv", as_csv(rows))], mapping=first.mapping.with_table("list.csv", "list", "services"))

    assert item.table == "actors"
    assert [entry.table for entry in second.mapping.sheets] == ["services"]
    assert mapped_columns(second)["provider"] == "Organisation"


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_a_french_actors_sheet_headed_nom_de_l_organisation_loads(apostrophe):
    rows = [
        [f"Nom de l{apostrophe}organisation", f"Type d{apostrophe}acteur", "Secteur", "Niveau"],
        ["Ministère de la Santé", "Gouvernement", "Santé", "National"],
    ]

    result = ingest([("acteurs.xlsx", xlsx({"Acteurs": rows}))])

    assert result.counts["actors"].accepted == 1
    assert result.frames["actors"]["name"].tolist() == ["Ministère de la Santé"]


def test_code_p_is_the_region_code_of_a_regions_sheet():
    rows = [["Région", "Code P", "Population"], ["Kayes", "ML01", 2400000]]

    result = ingest([("regions.xlsx", xlsx({"Régions": rows}))])

    assert result.frames["regions"]["region_code"].tolist() == ["ML01"]


def test_a_formula_without_a_value_in_a_column_only_the_mapping_knows_is_no_failure():
    from tests.builders import with_cached_values

    rows = [["Organisation", "Sector", "Activity", "Region", "P-code"], ["IRC", "GBV", "Helpline", "Lofa", "=A1"]]
    workbook = with_cached_values(xlsx({"3w": rows}), 1, {})

    result = ingest([("3w.xlsx", workbook)])

    assert result.counts["services"].accepted == 1


def test_a_sheet_read_as_no_table_can_be_named_one_and_its_columns_mapped():
    rows = [["Who", "Kind", "Place"], ["IRC", "Helpline", "Lofa"]]
    first = ingest([("list.csv", as_csv(rows))])
    assert first.mapping.unrecognised == (("list.csv", "list"),)

    named = ingest([("list.csv", as_csv(rows))], mapping=first.mapping.with_table("list.csv", "list", "services"))
    (item,) = named.mapping.sheets
    mapping = named.mapping
    for header, column in (("Who", "provider"), ("Kind", "service_type"), ("Place", "region")):
        mapping = mapping.with_column("list.csv", "list", header, column)
    mapped = ingest([("list.csv", as_csv(rows))], mapping=mapping)

    assert item.columns == {"Who": None, "Kind": None, "Place": "location"}  # a place is a location
    assert named.counts["services"].rejected == 1  # its required columns are not mapped yet
    assert mapped.frames["services"]["provider"].tolist() == ["IRC"]
