"""python -m vawmap validate / template / gaps (vawmap/cli.py).

validate exits 0 when there is no error, 1 when there are errors, 2 when a file cannot be read
(or does not exist); --json prints one object with ok, sheets and problems. Every path that
cannot be read or written (data, --standards, the template's OUT and --data) is one line
naming it and why, exit 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import csv_bytes, xlsx
from vawmap.cli import main
from vawmap.contract import SHEET_ORDER
from vawmap.dataset import SAMPLE_WORKBOOK
from vawmap.ingest import PROBLEM_COLUMNS

REPO = Path(__file__).resolve().parents[1]
SERVICES_WITH_AN_ERROR = "Provider,Service type,Region\nMoH,Helpline,Grand Bassa\nMoH,Helpine,Grand Bassa\n"
REGIONS = "Region,Population\nGrand Bassa,250000\n"
PNG_RENAMED_XLSX = b"\x89PNG\r\n\x1a\n" + bytes(32)
RECORD_KEYS = ["key", "params", "suggestion_key", "suggestion_params"]  # what --json adds to each problem
GROUP_KEYS = ["count", "rows"]  # each --json problem is a group of rows with the same problem


@pytest.fixture
def files(tmp_path):
    """Write named files into a temporary folder; returns their paths as strings."""

    def write(**contents: bytes) -> list[str]:
        paths = []
        for name, data in contents.items():
            path = tmp_path / name.replace("__", ".")
            path.write_bytes(data)
            paths.append(str(path))
        return paths

    return write


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ── validate: exit codes ──────────────────────────────────────────────────────


def test_validate_sample_workbook_exits_0(capsys):
    code, out, _ = run(capsys, "validate", str(SAMPLE_WORKBOOK))

    assert code == 0
    assert out.rstrip().endswith("No errors.")
    assert "Services: 560 rows" in out and "0 set aside" in out


def test_validate_with_errors_exits_1_and_prints_where_and_how_to_fix(capsys, files):
    paths = files(services__csv=csv_bytes(SERVICES_WITH_AN_ERROR), regions__csv=csv_bytes(REGIONS))

    code, out, _ = run(capsys, "validate", *paths)

    assert code == 1
    assert "Services: 2 rows, 1 accepted, 1 set aside" in out
    assert (
        "error: services.csv, services, row 3, column 'Service type': 'Helpine' is not a known service type. "
        "Did you mean 'helpline'?"
    ) in out
    assert "No errors." not in out


def test_validate_with_warnings_only_exits_0(capsys, files):
    paths = files(services__csv=csv_bytes("Provider,Service type,Region,Capacity\nMoH,Helpline,Grand Bassa,lots\n"))

    code, out, _ = run(capsys, "validate", *paths)

    assert code == 0
    assert "warning: services.csv, services, row 2, column 'Capacity': 'lots' is not a number" in out


def test_validate_unreadable_file_exits_2(capsys, files):
    paths = files(photo__xlsx=PNG_RENAMED_XLSX)

    code, out, _ = run(capsys, "validate", *paths)

    assert code == 2
    assert "error: photo.xlsx: This file is a PNG image, not a spreadsheet." in out


def test_validate_unreadable_file_next_to_a_file_with_errors_exits_2(capsys, files):
    paths = files(photo__xlsx=PNG_RENAMED_XLSX, services__csv=csv_bytes(SERVICES_WITH_AN_ERROR))

    code, _, _ = run(capsys, "validate", *paths)

    assert code == 2


def test_validate_missing_path_exits_2(capsys, tmp_path):
    missing = tmp_path / "nowhere.xlsx"

    code, out, _ = run(capsys, "validate", str(missing))

    assert code == 2
    assert f"error: {missing}: No such file or directory" in out


def test_validate_a_folder_exits_2(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", str(tmp_path))

    assert code == 2
    assert f"error: {tmp_path}" in out


def test_validate_without_a_path_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["validate"])

    assert stop.value.code == 2
    assert "PATH" in capsys.readouterr().err


# ── validate --json ───────────────────────────────────────────────────────────


def test_validate_json_sample_is_ok_with_every_sheet(capsys):
    code, out, _ = run(capsys, "validate", str(SAMPLE_WORKBOOK), "--json")

    report = json.loads(out)
    assert code == 0
    assert set(report) == {"ok", "sheets", "problems", "mapping", "derived"}
    assert report["derived"] == {"actors": 0}  # the sample's actors sheet lists every provider
    assert report["ok"] is True
    assert list(report["sheets"]) == list(SHEET_ORDER)
    for counts in report["sheets"].values():
        assert set(counts) == {"rows", "accepted", "rejected"}
        assert counts["rows"] == counts["accepted"] > 0 and counts["rejected"] == 0
    assert report["problems"] == []


def test_validate_json_with_errors(capsys, files):
    paths = files(servicios__csv=csv_bytes(SERVICES_WITH_AN_ERROR), regions__csv=csv_bytes(REGIONS))

    code, out, _ = run(capsys, "validate", *paths, "--json")

    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False
    assert report["sheets"] == {
        "services": {"rows": 2, "accepted": 1, "rejected": 1},
        "regions": {"rows": 1, "accepted": 1, "rejected": 0},
    }
    assert report["problems"] == [
        {
            "file": "servicios.csv",
            "sheet": "servicios",
            "row": 3,
            "column": "Service type",
            "severity": "error",
            "message": "'Helpine' is not a known service type.",
            "suggestion": "Did you mean 'helpline'?",
            "count": 1,
            "rows": [3],
            "key": "problem.unknown_value",
            "params": {"value": "Helpine", "kind": {"key": "problem.kind.service_type", "params": {}}},
            "suggestion_key": "problem.did_you_mean",
            "suggestion_params": {"value": "helpline"},
        }
    ]


def test_validate_json_unreadable_and_missing_files(capsys, files, tmp_path):
    paths = files(photo__xlsx=PNG_RENAMED_XLSX)
    missing = str(tmp_path / "gone.csv")

    code, out, _ = run(capsys, "validate", *paths, missing, "--json")

    report = json.loads(out)
    assert code == 2
    assert report["ok"] is False
    assert report["sheets"] == {}
    for problem in report["problems"]:
        assert list(problem) == [*PROBLEM_COLUMNS, *GROUP_KEYS, *RECORD_KEYS]
        assert problem["severity"] == "error" and problem["row"] is None
    assert [problem["file"] for problem in report["problems"]] == ["photo.xlsx", missing]


def test_validate_json_keeps_accents_readable(capsys, files):
    paths = files(services__csv=csv_bytes("Prestataire,Type de service,Région\nMoH,Refuge,Ouèssè\n"))

    _, out, _ = run(capsys, "validate", *paths, "--json")

    assert '"column": "Région"' in out


# ── template ──────────────────────────────────────────────────────────────────


def test_template_writes_a_workbook_with_every_sheet(capsys, tmp_path):
    out_path = tmp_path / "template.xlsx"

    code, out, _ = run(capsys, "template", str(out_path))

    assert code == 0
    assert f"Template written to {out_path}" in out
    sheet_names = load_workbook(out_path).sheetnames
    assert set(SHEET_ORDER) <= set(sheet_names)
    assert {"actors", "services", "regions", "coordination_bodies", "links"} <= set(sheet_names)


def listed_regions(path: Path) -> list[str]:
    """The names in the 'region' column of the template's lists sheet."""
    lists = load_workbook(path)["lists"]
    header = [cell.value for cell in lists[1]]
    if "region" not in header:
        return []
    column = header.index("region") + 1
    return [row[0] for row in lists.iter_rows(min_row=2, min_col=column, max_col=column, values_only=True) if row[0]]


def test_template_with_sample_data_lists_the_sample_regions(capsys, tmp_path):
    out_path = tmp_path / "template.xlsx"
    sample_regions = load_workbook(SAMPLE_WORKBOOK, read_only=True)["regions"]
    expected = [row[0] for row in sample_regions.iter_rows(min_row=2, values_only=True) if row[0]]

    code, _, _ = run(capsys, "template", str(out_path), "--data", str(SAMPLE_WORKBOOK))

    assert code == 0
    assert len(expected) > 1
    assert listed_regions(out_path) == expected


def test_template_without_data_lists_no_region_names(capsys, tmp_path):
    out_path = tmp_path / "template.xlsx"

    run(capsys, "template", str(out_path))

    assert listed_regions(out_path) == []


def test_template_round_trips_through_validate(capsys, tmp_path):
    out_path = tmp_path / "template.xlsx"
    run(capsys, "template", str(out_path))

    code, out, _ = run(capsys, "validate", str(out_path), "--json")

    assert code == 0
    assert json.loads(out)["problems"] == []


def test_template_into_a_missing_folder_exits_2_and_names_the_folder(capsys, tmp_path):
    out_path = tmp_path / "nowhere" / "template.xlsx"

    code, out, err = run(capsys, "template", str(out_path))

    assert code == 2
    assert err == f"error: {out_path}: The folder {out_path.parent} does not exist.\n"
    assert "Template written" not in out


def test_template_onto_a_folder_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "template", str(tmp_path), "--language", "fr")

    assert code == 2
    assert err == f"erreur : {tmp_path} : C'est un dossier\n"


def test_template_with_an_unreadable_data_file_exits_2_and_writes_nothing(capsys, files, tmp_path):
    [photo] = files(regions__xlsx=PNG_RENAMED_XLSX)
    out_path = tmp_path / "template.xlsx"

    code, _, err = run(capsys, "template", str(out_path), "--data", photo)

    assert code == 2
    assert err.splitlines() == [
        "error: regions.xlsx: This file is a PNG image, not a spreadsheet. "
        "Open it in Excel or LibreOffice and save it as .xlsx, or export each sheet as CSV.",
        "The template was not written: a data file given with --data could not be read.",
    ]
    assert not out_path.exists()


def test_template_with_a_missing_data_file_exits_2(capsys, tmp_path):
    missing = tmp_path / "regions.csv"

    code, _, err = run(capsys, "template", str(tmp_path / "template.xlsx"), "--data", str(missing))

    assert code == 2
    assert err.splitlines()[0] == f"error: {missing}: No such file or directory"


# ── gaps --standards ──────────────────────────────────────────────────────────

STANDARD_OF_AN_UNKNOWN_TYPE = """
[[standard]]
id = "legal_desk_everywhere"
name = "A legal desk in every region"
service_types = ["legal_desk"]
rule = "per_region"
source = "A national plan"
"""
STANDARD_WITHOUT_A_SOURCE = """
[[standard]]
id = "helpline"
name = "A helpline"
service_types = ["helpline"]
rule = "national"
minimum = "one"
"""


def gaps_with_standards(capsys, files, standards: bytes, *options: str) -> tuple[int, str, str]:
    [services, standards_path] = files(services__csv=csv_bytes(REGIONS), standards__toml=standards)
    return run(capsys, "gaps", services, "--standards", standards_path, *options)


def test_gaps_with_a_missing_standards_file_exits_2(capsys, files, tmp_path):
    [services] = files(services__csv=csv_bytes(REGIONS))
    missing = tmp_path / "standards.toml"

    code, out, err = run(capsys, "gaps", services, "--standards", str(missing))

    assert (code, out) == (2, "")
    assert err == f"error: {missing}: No such file or directory\n"


def test_gaps_with_a_binary_standards_file_exits_2(capsys, files):
    code, _, err = gaps_with_standards(capsys, files, PNG_RENAMED_XLSX)

    assert code == 2
    assert err.endswith(
        "standards.toml: This is not a text file: a standards file is TOML text, like vawmap/data/standards.toml.\n"
    )


def test_gaps_with_a_standards_file_that_is_not_toml_says_where(capsys, files):
    code, _, err = gaps_with_standards(capsys, files, b"[[standard]]\nid = helpline\n", "--language", "es")

    assert code == 2
    assert err.endswith("standards.toml: No es un archivo TOML válido: revise la línea 2, columna 6.\n")


def test_gaps_with_a_standard_that_cannot_be_applied_says_why(capsys, files):
    code, _, err = gaps_with_standards(capsys, files, STANDARD_OF_AN_UNKNOWN_TYPE.encode())

    assert code == 2
    assert err.endswith("standards.toml: standard 'legal_desk_everywhere': unknown service types: legal_desk\n")


def test_gaps_with_a_standard_missing_a_field_names_every_problem_in_french(capsys, files):
    code, _, err = gaps_with_standards(capsys, files, STANDARD_WITHOUT_A_SOURCE.encode(), "--language", "fr")

    assert code == 2
    assert err.endswith(
        "standards.toml : norme « helpline » : « source » manque, « minimum » doit être un nombre entier\n"
    )


def test_gaps_names_why_a_data_file_cannot_be_read(capsys, files):
    [photo] = files(services__xlsx=PNG_RENAMED_XLSX)

    code, _, err = run(capsys, "gaps", photo)

    assert code == 2
    assert err.startswith("error: services.xlsx: This file is a PNG image, not a spreadsheet.")


# ── the real entry point ──────────────────────────────────────────────────────


def test_python_dash_m_vawmap_validate_in_a_subprocess(tmp_path):
    bad = tmp_path / "services.xlsx"
    bad.write_bytes(xlsx({"services": [["Provider", "Service type", "Region"], [None, "Helpline", "Grand Bassa"]]}))
    environment = {**os.environ, "PYTHONPATH": str(REPO)}

    completed = subprocess.run(
        [sys.executable, "-m", "vawmap", "validate", str(bad), "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )

    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    assert [(p["row"], p["column"], p["severity"]) for p in report["problems"] if p["severity"] == "error"] == [
        (2, "Provider", "error")
    ]
