"""The whole engine: assess() on the sample and on nearly empty data, its JSON and the gaps command."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vawmap.cli import main
from vawmap.dataset import SAMPLE_WORKBOOK, Dataset, sample_dataset
from vawmap.gaps.assess import assess, report_text, to_json
from vawmap.gaps.standards import default_standards, standards_to_toml
from vawmap.i18n import label, t

ROOT = Path(__file__).parents[1]
SERVICES_ONLY_CSV = b"provider,service_type,region\nHope House,shelter,North\n"


# The fields that carry words in to_json: everything else is the same in every language.
WORDED_FIELDS = {"text", "reason", "counting_rules"}


@pytest.fixture(scope="module")
def sample_assessment():
    return assess(sample_dataset().frames)


@pytest.fixture(scope="module")
def sample_json(sample_assessment):
    return to_json(sample_assessment)


def without_words(value):
    """The JSON with the rendered text fields left out (keys, params and numbers kept)."""
    if isinstance(value, dict):
        return {key: without_words(item) for key, item in value.items() if key not in WORDED_FIELDS}
    if isinstance(value, list):
        return [without_words(item) for item in value]
    return value


def test_json_has_every_section_the_issue_names(sample_json):
    assert {"sector_coverage", "regions", "national", "coordination", "network", "findings"} <= set(sample_json)
    assert set(sample_json["sector_coverage"][0]) >= {"sector", "status", "actors", "levels"}
    region = sample_json["regions"][0]
    assert set(region) >= {"region", "population", "population_women", "services", "standards", "coverage_score"}
    assert set(region["standards"][0]) == {"standard", "required", "actual", "shortfall", "ratio", "met"}
    assert set(sample_json["coordination"]) >= {"bodies", "regions_without_body"}
    assert set(sample_json["network"]) >= {"isolated", "brokers"}
    assert set(sample_json["findings"][0]) >= {"severity", "text"}
    json.dumps(sample_json)  # plain JSON: no NaN objects, numpy numbers or frames left


def test_sample_story_reaches_the_json(sample_json):
    sectors = {row["sector"]: row["status"] for row in sample_json["sector_coverage"]}
    assert sectors["education"] == "partial" and sectors["labour"] == "missing" and sectors["transport"] == "missing"
    capital = next(region for region in sample_json["regions"] if region["region"] == "Capital District")
    shelters = next(result for result in capital["standards"] if result["standard"] == "shelter_places")
    assert shelters["met"] and capital["rank"] == 1
    assert sample_json["national"][0]["met"]
    assert "Ministry of Defence" in sample_json["network"]["isolated"]
    assert sample_json["findings"][0]["severity"] == "critical"
    assert "family places" in sample_json["findings"][0]["text"]


def test_findings_and_reasons_come_with_their_key_and_params(sample_json):
    finding = sample_json["findings"][0]
    assert (finding["key"], finding["params"]["region"], finding["params"]["people"]) == (
        "finding.absent",
        "Duskvale",
        {"key": "finding.people", "params": {}},
    )
    assert finding["text"] == t(
        finding["key"],
        region="Duskvale",
        unit="family places",
        actual="0",
        required="20",
        population="198,798",
        people="people",
        name="Shelter family places",
        percent="0%",
    )
    education = next(row for row in sample_json["sector_coverage"] if row["sector"] == "education")
    assert education["reason"] == "Present (1 actor) but not on the national coordination body."
    assert education["reason_key"] == "coverage.reason.sector_not_on_body"
    assert education["reason_params"] == {"actors": {"key": "coverage.reason.actors_one", "params": {"count": 1}}}
    assert all(
        {"function", "reason", "reason_key", "reason_params"} <= set(row) for row in sample_json["function_coverage"]
    )
    assert len(sample_json["counting_rule_keys"]) == len(sample_json["counting_rules"])
    assert sample_json["counting_rule_keys"][0] == "counting_rule.active_only"


def test_json_in_french_has_french_words_and_the_same_everything_else(sample_assessment, sample_json):
    french = to_json(sample_assessment, "fr")
    assert without_words(french) == without_words(sample_json)
    assert french["findings"][0]["text"].startswith("Duskvale : nombre de places familiales recensé : 0, sur les 20")
    education = next(row for row in french["sector_coverage"] if row["sector"] == "education")
    assert education["reason"] == "Présent (1 acteur) mais absent de l'organe national de coordination."
    assert french["counting_rules"][0] == t("counting_rule.active_only", "fr")


def test_report_text_in_spanish(sample_assessment):
    report = report_text(sample_assessment, "es")
    assert "Duskvale: número de plazas familiares registrado: 0" in report
    assert t("counting_rule.active_only", "es") in report


def test_the_text_report_in_french_has_no_english_heading_code_or_number(sample_assessment):
    report = report_text(sample_assessment, "fr")
    for key in ("findings", "sectors", "regions", "bodies", "rules"):
        assert t(f"cli.text.{key}", "fr") in report and t(f"cli.text.{key}", "en") not in report
    assert f"{t('coverage.status.covered', 'fr')} " in report and "covered " not in report  # statuses by label
    assert f" {label('sector', 'health', 'fr')} " in report and " health " not in report  # sectors by label
    assert re.search(r"score \d+[\u00a0\u202f]%", report)  # 88 %, as French writes it


def test_every_result_names_the_standard_and_source_it_used(sample_json):
    used = {standard["id"]: standard["source"] for standard in sample_json["standards"]}
    assert all(source for source in used.values())
    for region in sample_json["regions"]:
        assert {result["standard"] for result in region["standards"]} <= set(used)


def test_findings_are_ranked_by_severity(sample_json):
    order = ["critical", "major", "minor"]
    severities = [order.index(finding["severity"]) for finding in sample_json["findings"]]
    assert severities == sorted(severities)


def test_a_nearly_empty_dataset_is_assessed_without_errors():
    assessment = assess(Dataset().frames)
    sectors = assessment.sector_coverage
    assert (sectors[sectors["tier"] == "minimum"]["status"] == "missing").all()
    assert assessment.results.empty and assessment.regions_without_body == []
    assert "FINDINGS" in report_text(assessment)
    json.dumps(to_json(assessment))


def test_gaps_command_prints_json_and_exits_0(capsys):
    assert main(["gaps", str(SAMPLE_WORKBOOK), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed["regions"]) == len(sample_dataset()["regions"])


def test_gaps_command_speaks_the_language_asked_for(capsys):
    assert main(["gaps", str(SAMPLE_WORKBOOK), "--json", "--language", "fr"]) == 0
    printed = json.loads(capsys.readouterr().out)
    sectors = {row["sector"]: row["reason"] for row in printed["sector_coverage"]}
    assert sectors["labour"] == t("coverage.reason.sector_absent", "fr") != t("coverage.reason.sector_absent")
    assert printed["findings"][0]["text"].startswith("Duskvale : nombre de places familiales recensé : 0")
    assert main(["gaps", str(SAMPLE_WORKBOOK), "--language", "es"]) == 0
    assert "Duskvale: número de plazas familiares registrado: 0" in capsys.readouterr().out


def test_gaps_command_refuses_a_language_it_does_not_have(capsys):
    with pytest.raises(SystemExit) as usage_error:
        main(["gaps", str(SAMPLE_WORKBOOK), "--language", "de"])
    assert usage_error.value.code == 2
    assert "--language" in capsys.readouterr().err


def test_gaps_command_uses_an_edited_standards_file(tmp_path, capsys):
    edited = default_standards()
    shelter = edited.standards[0].with_threshold(per=20_000)  # half as demanding
    path = tmp_path / "standards.toml"
    path.write_text(standards_to_toml(type(edited)((shelter,) + edited.standards[1:], edited.essential_service_types)))
    assert main(["gaps", str(SAMPLE_WORKBOOK), "--json", "--standards", str(path)]) == 0
    capital = next(r for r in json.loads(capsys.readouterr().out)["regions"] if r["region"] == "Capital District")
    required = next(r["required"] for r in capital["standards"] if r["standard"] == "shelter_places")
    assert required == pytest.approx(2_203_408 / 20_000)


def test_gaps_command_exits_2_when_a_file_cannot_be_read(tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"\x89PNG\r\n")
    assert main(["gaps", str(broken)]) == 2
    assert "broken.xlsx" in capsys.readouterr().err


def test_gaps_on_services_alone_reports_regions_without_population(tmp_path, capsys):
    path = tmp_path / "services.csv"
    path.write_bytes(SERVICES_ONLY_CSV)
    assert main(["gaps", str(path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    north = printed["regions"][0]
    assert north["region"] == "North" and north["population"] is None and north["services"] == {"safe_accommodation": 1}


def test_gaps_entry_point_runs_as_a_module():
    completed = subprocess.run(
        [sys.executable, "-m", "vawmap", "gaps", str(SAMPLE_WORKBOOK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0 and completed.stdout.startswith("ROWS LOADED")  # then the findings
    assert "\nFINDINGS" in completed.stdout
