"""Findings honest about the data (vawmap/gaps/caveats.py): findings say what is listed, not what
exists; a sheet that is empty or mostly set aside (more than half its rows set aside with
errors) is named first, and the findings drawn from it are withheld, on the Overview and in
`gaps` (text: rows loaded and set aside per sheet before the findings; --json: an `ingest` key),
which exits 1 when the upload has errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import csv_bytes
from tests.three_w_fixtures import (
    THREE_W_REGIONS_CSV,
    THREE_W_ROW_COUNT,
    THREE_W_SERVICES_CSV,
    THREE_W_SET_ASIDE,
    THREE_W_WORKBOOK,
    run_cli_on_three_w,
)
from vawmap.cli import main
from vawmap.contract import SHEET_ORDER
from vawmap.dataset import SAMPLE_WORKBOOK, Dataset, sample_dataset
from vawmap.gaps.assess import assess
from vawmap.gaps.caveats import MOSTLY_SET_ASIDE, SheetIntake, caveats, intake_of
from vawmap.gaps.findings import COORDINATION, FINDING_NEEDS, ISOLATION, REFERRAL, SECTORS, SERVICES
from vawmap.i18n import catalogue
from vawmap.ingest import ingest
from vawmap.messages import render
from vawmap.report.content import report_content

APP = str(Path(__file__).parents[1] / "app.py")
# The same service three times: two rows set aside as repeats (warnings), none for an error.
REPEATED_SERVICES_CSV = csv_bytes("Provider,Service type,Region\n" + "MoH,Helpline,Lofa\n" * 3 + "MoH,Legal aid,Lofa\n")
# Every finding sentence says what the data lists or records, in each language.
LISTED_WORDS = {"en": ("listed", "recorded"), "fr": ("recens", "renseign"), "es": ("registrad",)}
NOT_SENTENCES = {"people", "women", "tier_minimum", "tier_recommended"}
KINDS_OF_THE_3W = {SERVICES, SECTORS, COORDINATION, REFERRAL, ISOLATION}  # all but population


def three_w():
    result = ingest([("services.csv", THREE_W_SERVICES_CSV), ("regions.csv", THREE_W_REGIONS_CSV)])
    return result, Dataset().with_upload(result)


# ── the rule ──────────────────────────────────────────────────────────────────


def test_every_finding_says_what_is_listed_in_every_language():
    for language, words in LISTED_WORDS.items():
        sentences = {
            key: text
            for key, text in catalogue(language).items()
            if key.startswith("finding.") and key.removeprefix("finding.") not in NOT_SENTENCES
        }
        assert len(sentences) >= 13
        assert [key for key, text in sentences.items() if not any(word in text for word in words)] == [], language


def test_the_3w_services_sheet_is_named_and_the_findings_it_supports_withheld():
    result, dataset = three_w()

    intake = intake_of(result)
    found = dataset.caveats(intake)

    assert intake["services"] == SheetIntake(THREE_W_ROW_COUNT, 3, THREE_W_SET_ASIDE, THREE_W_SET_ASIDE)
    assert [(caveat.sheet, caveat.message.key) for caveat in found.sheets] == [
        ("actors", "caveat.derived_only"),
        ("services", "caveat.set_aside"),
        ("coordination_bodies", "caveat.empty"),
        ("links", "caveat.empty"),
    ]
    assert found.withheld_kinds == KINDS_OF_THE_3W
    services = next(item for item in found.withheld if item.kind == SERVICES)
    assert services.because == ("services",)  # the regions sheet loaded whole
    kept = found.shown(assess(dataset.frames).findings)
    assert kept and {finding.kind for finding in kept} == set(FINDING_NEEDS) - KINDS_OF_THE_3W


def test_the_report_of_the_3w_withholds_the_findings_its_derived_actors_cannot_support():
    result, dataset = three_w()
    assessment = assess(dataset.frames)
    content = report_content(dataset, assessment, "en", intake=intake_of(result))

    section = next(section for section in content.sections if section.key == "findings")
    shown = {cell for table in section.tables for cell in table.frame.to_numpy().ravel().tolist()}
    sector_findings = {render(f.message) for f in assessment.findings if f.kind == SECTORS}
    assert sector_findings and not (sector_findings & shown)  # "no ministry of health is listed"... withheld


def test_rows_set_aside_as_repeats_are_not_errors_and_withhold_nothing():
    result = ingest([("services.csv", REPEATED_SERVICES_CSV)])

    intake = intake_of(result)["services"]

    assert (intake.set_aside, intake.set_aside_with_errors) == (2, 0)
    assert "services" not in [caveat.sheet for caveat in caveats({"services": 2}, {"services": intake}, {}).sheets]


@pytest.mark.parametrize(("with_errors", "thin"), [(5, False), (6, True)])
def test_a_sheet_is_thin_when_more_than_half_its_rows_were_set_aside_with_errors(with_errors, thin):
    rows = 10
    assert MOSTLY_SET_ASIDE == 0.5
    intake = {name: SheetIntake(rows, rows - with_errors, with_errors, with_errors) for name in SHEET_ORDER}

    found = caveats(dict.fromkeys(SHEET_ORDER, rows - with_errors), intake, {})

    assert bool(found.sheets) is thin
    assert bool(found.withheld) is thin


def test_the_sample_withholds_nothing():
    found = sample_dataset().caveats({})

    assert found.sheets == () and found.withheld == ()


# ── gaps ──────────────────────────────────────────────────────────────────────


def gaps(capsys, tmp_path, *options: str) -> tuple[int, str]:
    return run_cli_on_three_w(capsys, tmp_path, "gaps", *options)


def test_gaps_prints_rows_loaded_and_set_aside_then_what_is_withheld_before_the_findings(capsys, tmp_path):
    code, out = gaps(capsys, tmp_path)

    assert code == 1  # rows were set aside with errors
    before, findings = out.split("FINDINGS (most severe first)\n")
    assert before.startswith("ROWS LOADED\n")
    assert f"  Services: {THREE_W_ROW_COUNT} rows, 3 accepted, {THREE_W_SET_ASIDE} set aside\n" in before
    assert "rows 2–19, 21–22 (20 rows)" in before
    assert f"  Services sheet: {THREE_W_SET_ASIDE} of its {THREE_W_ROW_COUNT} rows were set aside with errors" in before
    assert "  Withheld: service gaps by region and against national standards, drawn from Services.\n" in before
    assert "  Withheld: missing and partial sectors, drawn from Actors.\n" in before
    listed = findings.split("\n\n")[0]
    assert "listed for" not in listed and "No actor of the" not in listed  # withheld
    assert "The number of women in Lofa is not recorded" in listed  # the regions sheet loaded whole


def test_gaps_json_carries_the_ingest_and_no_withheld_finding(capsys, tmp_path):
    code, out = gaps(capsys, tmp_path, "--json", "--language", "fr")

    report = json.loads(out)
    assert code == 1
    ingest_report = report["ingest"]
    assert list(ingest_report["sheets"]) == list(SHEET_ORDER)
    assert ingest_report["sheets"]["services"] == {
        "rows": THREE_W_ROW_COUNT,
        "loaded": 3,
        "set_aside": THREE_W_SET_ASIDE,
        "set_aside_with_errors": THREE_W_SET_ASIDE,
    }
    assert {item["kind"] for item in ingest_report["withheld"]} == KINDS_OF_THE_3W
    sectors = next(item for item in ingest_report["withheld"] if item["kind"] == SECTORS)
    assert (sectors["needs"], sectors["because"], sectors["key"]) == (["actors"], ["actors"], "caveat.withheld")
    assert sectors["text"].startswith("Non affichés : secteurs absents ou partiels")
    services = next(item for item in ingest_report["caveats"] if item["sheet"] == "services")
    assert services["params"]["set_aside"] == THREE_W_SET_ASIDE
    assert {finding["key"] for finding in report["findings"]} == {"finding.women_estimated"}


def test_gaps_on_the_sample_exits_0_with_nothing_withheld(capsys):
    code = main(["gaps", str(SAMPLE_WORKBOOK), "--json"])

    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["ingest"]["caveats"] == [] and report["ingest"]["withheld"] == []
    assert all(sheet["set_aside"] == 0 and sheet["loaded"] > 0 for sheet in report["ingest"]["sheets"].values())
    assert len(report["findings"]) == len(assess(sample_dataset().frames).findings)  # none withheld


# ── the Overview ──────────────────────────────────────────────────────────────


def overview_after_loading_the_3w() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = app.switch_page("app_pages/data.py").run()
    app = app.file_uploader(key="upload").set_value(("3w.xlsx", THREE_W_WORKBOOK, "application/octet-stream")).run()
    app.button(key="apply_upload").click().run()
    return app.switch_page("app_pages/overview.py").run()


def test_the_overview_says_first_which_sheets_are_thin_and_withholds_their_findings():
    app = overview_after_loading_the_3w()

    assert not app.exception
    [warning] = app.warning
    assert warning.value.startswith("Some sheets are too incomplete to draw findings from.")
    assert f"Services sheet: {THREE_W_SET_ASIDE} of its {THREE_W_ROW_COUNT} rows were set aside with errors" in (
        warning.value
    )
    # the three helplines loaded (rows 20, 25, 26) name Org 0, Org 1 and Org 2: derived as actors
    assert "Actors sheet: only the 3 organisations the services name are listed, with no sector or level given" in (
        warning.value
    )
    assert "Withheld: missing and partial sectors, drawn from Actors." in warning.value
    figures = {metric.label: metric.value for metric in app.metric[:5]}
    assert figures["Minimum sectors missing"] == "—" and figures["Regions below a standard"] == "—"
    shown = " ".join(markdown.value for markdown in app.markdown)
    assert "Critical" not in shown and "listed for" not in shown
    assert "The number of women in Lofa is not recorded" in shown  # drawn from the regions sheet, whole


def test_the_overview_in_french_words_the_warning_in_french():
    app = overview_after_loading_the_3w()
    app.selectbox(key="language").set_value("fr").run()

    [warning] = app.warning
    assert "Feuille Services : 22 de ses 25 lignes ont été mises de côté pour erreurs" in warning.value
