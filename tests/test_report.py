"""The report that leaves the room (vawmap/report/, CLI `report`, the Overview's downloads):
every section in both formats, words in the report's language, no confidential place and no
contact in either file, hostile names escaped in the HTML and never a formula in the workbook."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from app_pages.regional_view import PAIRS
from tests.report_fixtures import (
    CLOSE_SCRIPT,
    COMMENT_SCRIPT,
    CONTACT_EMAIL,
    FORMULA_NAMES,
    IMAGE,
    SCRIPT,
    SHELTER_SECRETS,
    hostile_report_dataset,
    hostile_uploads,
    sample_report,
)
from vawmap.cli import main
from vawmap.dataset import SAMPLE_GEOJSON, SAMPLE_WORKBOOK, sample_dataset
from vawmap.gaps.assess import assess
from vawmap.geo import GEOJSON_LIMIT_MB
from vawmap.i18n import t
from vawmap.report.content import TEXT, Table, report_content
from vawmap.report.html import report_html
from vawmap.report.xlsx import report_xlsx
from vawmap.store import create_workspace, open_store, save_version
from vawmap.store.workshop import add_action, add_decision, add_session

APP = str(Path(__file__).parents[1] / "app.py")
SECTIONS = ("key_figures", "findings", "gap_map", "regions", "sectors", "coordination", "pathways", "method", "data")
SHEETS = ("key_figures", "findings", "regions", "national", "sectors", "functions", "bodies", "checklist",
          "pathways", "standards", "sources", "data")  # fmt: skip
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def sample_fr():
    return sample_report("fr", with_boundaries=True)


@pytest.fixture(scope="module")
def hostile():
    dataset = hostile_report_dataset()
    report = report_content(dataset, assess(dataset.frames), "en")
    return report_html(report).decode("utf-8"), report_xlsx(report)


def page_text(document: str) -> str:
    """What the HTML shows outside its scripts, tags taken out (entities left as written)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", document, flags=re.S))


def all_cells(data: bytes):
    return [cell for sheet in load_workbook(io.BytesIO(data)).worksheets for row in sheet.iter_rows() for cell in row]


# ── sections and language ───────────────────────────────────────────────────────────────────


def test_every_section_is_in_the_html_report_in_order_with_its_heading(sample_fr):
    document = report_html(sample_fr).decode("utf-8")
    places = [document.index(f'<section id="{key}">') for key in SECTIONS]
    assert places == sorted(places)
    for key in SECTIONS:
        assert f"<h2>{t(f'report.section.{key}', 'fr')}</h2>".replace("'", "&#x27;") in document


def test_plotly_js_is_inlined_once_and_each_figure_is_drawn_from_it(sample_fr):
    document = report_html(sample_fr).decode("utf-8")
    assert document.count("plotly.js v") <= 2 and document.count('<script type="text/javascript">') == 2
    assert document.count('class="plotly-graph-div"') == len(sample_fr.figures()) == 2
    assert not re.search(r"""<(script|link|img|iframe)[^>]*\b(src|href)=["']?(https?:)?//""", document)
    assert "Content-Security-Policy" in document and "default-src 'none'" in document


def test_the_french_report_speaks_french_in_both_formats(sample_fr):
    words = page_text(report_html(sample_fr).decode("utf-8"))
    for key in ("report.title", "report.section.findings", "report.column.finding", "severity.critical"):
        assert t(key, "fr") in words and t(key, "fr") != t(key, "en")
    assert t("report.section.findings", "en") not in words
    sheets = load_workbook(io.BytesIO(report_xlsx(sample_fr))).sheetnames
    assert sheets == [t(f"report.sheet.{key}", "fr") for key in SHEETS]
    assert t("report.yes", "fr") in {cell.value for cell in all_cells(report_xlsx(sample_fr))}


def test_the_workbook_has_frozen_headers_percent_scales_and_native_charts(sample_fr):
    book = load_workbook(io.BytesIO(report_xlsx(sample_fr)))
    regions = book[t("report.sheet.regions", "fr")]
    assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)
    assert regions["C1"].value == t("report.column.coverage_score", "fr")
    assert regions["C2"].number_format == "0%" and 0 <= regions["C2"].value <= 1
    assert any("C2:C17" in str(ranges.sqref) for ranges in regions.conditional_formatting)
    with zipfile.ZipFile(io.BytesIO(report_xlsx(sample_fr))) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 2  # coverage per region, actors per sector


def test_the_same_report_gives_the_same_workbook_bytes(sample_fr):
    assert report_xlsx(sample_fr) == report_xlsx(sample_fr)


def test_workshop_decisions_given_to_the_report_get_their_own_section():
    dataset = sample_dataset()
    decisions = Table("decisions", pd.DataFrame({"Decision": ["Open a shelter in Duskvale"]}), (TEXT,))
    report = report_content(dataset, assess(dataset.frames), "en", workshop=[decisions])
    keys = [section.key for section in report.sections]
    assert keys.index("workshop") == keys.index("pathways") + 1
    assert "Open a shelter in Duskvale" in report_html(report).decode("utf-8")
    assert t("report.sheet.decisions") in load_workbook(io.BytesIO(report_xlsx(report))).sheetnames
    assert "workshop" not in [s.key for s in report_content(dataset, assess(dataset.frames), "en").sections]


# ── what never leaves the server ────────────────────────────────────────────────────────────


def test_a_confidential_shelters_place_and_a_contact_are_in_neither_file(hostile):
    document, workbook = hostile
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    for secret in (*SHELTER_SECRETS, CONTACT_EMAIL):
        assert secret not in document
        assert secret not in xml


def test_hostile_names_are_escaped_in_the_html(hostile):
    document, _ = hostile
    shown = page_text(document)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown  # the region, shown as typed
    for raw in (SCRIPT, CLOSE_SCRIPT, IMAGE, COMMENT_SCRIPT):
        assert raw not in document  # neither in the tables nor in the figures' JSON
    assert document.count("<script") == document.count("</script>") == 2 + 2  # ours: assets, plotly, 2 figures


def test_no_cell_of_the_workbook_is_a_formula_however_a_name_starts(hostile):
    _, workbook = hostile
    cells = all_cells(workbook)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for name in FORMULA_NAMES:
        shown = [cell for value, cell in texts.items() if name in value]
        assert shown, name  # the name is in the report...
        leading = [cell for cell in shown if cell.value.startswith(name)]
        assert all(cell.quotePrefix for cell in leading)  # ...and, where it leads a cell, marked as text


# ── the command line ────────────────────────────────────────────────────────────────────────


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_an_html_report_with_the_map_from_the_boundaries(capsys, tmp_path):
    out_path = tmp_path / "rapport.html"
    code, out, err = run(
        capsys, "report", str(SAMPLE_WORKBOOK), "-o", str(out_path), "--boundaries", str(SAMPLE_GEOJSON),
        "--language", "fr",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.strip() == t("report.written", "fr", path=str(out_path))
    document = out_path.read_text(encoding="utf-8")
    assert t("report.map_boundaries", "fr").replace("'", "&#x27;") in document


def test_cli_reads_local_boundaries_over_the_upload_limit(capsys, tmp_path):
    geojson = json.loads(SAMPLE_GEOJSON.read_text(encoding="utf-8"))
    geojson["features"][0]["properties"]["notes"] = "x" * int((GEOJSON_LIMIT_MB + 1) * 1024 * 1024)
    large = tmp_path / "large.geojson"
    large.write_text(json.dumps(geojson), encoding="utf-8")
    out_path = tmp_path / "report.html"
    code, _, err = run(capsys, "report", str(SAMPLE_WORKBOOK), "-o", str(out_path), "--boundaries", str(large))
    assert (code, err) == (0, "")
    assert t("report.map_boundaries").replace("'", "&#x27;") in out_path.read_text(encoding="utf-8")


def test_cli_writes_the_workbook_when_out_ends_in_xlsx_or_the_format_says_so(capsys, tmp_path):
    for out_path, extra in ((tmp_path / "report.xlsx", ()), (tmp_path / "report.bin", ("--format", "xlsx"))):
        code, _, _ = run(capsys, "report", str(SAMPLE_WORKBOOK), "-o", str(out_path), *extra)
        assert code == 0
        assert load_workbook(io.BytesIO(out_path.read_bytes())).sheetnames[0] == t("report.sheet.key_figures")


def test_cli_exits_1_when_rows_were_set_aside_and_still_writes_the_report(capsys, tmp_path):
    services = tmp_path / "services.csv"
    services.write_bytes(b"provider,service_type,region\nMoH,helpline,North\nMoH,Helpine,North\n")
    code, _, _ = run(capsys, "report", str(services), "-o", str(tmp_path / "r.html"))
    assert code == 1 and (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    "case", ["missing data", "unreadable boundaries", "boundaries not geojson", "no folder for out"]
)
def test_cli_exits_2_naming_the_path_when_a_file_cannot_be_used(capsys, tmp_path, case):
    not_geojson = tmp_path / "regions.geojson"
    not_geojson.write_text('{"a": 1}')
    argv, named = {
        "missing data": ([str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "r.html")], "nope.xlsx"),
        "unreadable boundaries": (
            [str(SAMPLE_WORKBOOK), "-o", str(tmp_path / "r.html"), "--boundaries", str(tmp_path / "no.geojson")],
            "no.geojson",
        ),
        "boundaries not geojson": (
            [str(SAMPLE_WORKBOOK), "-o", str(tmp_path / "r.html"), "--boundaries", str(not_geojson)],
            "regions.geojson",
        ),
        "no folder for out": ([str(SAMPLE_WORKBOOK), "-o", str(tmp_path / "no" / "r.html")], "r.html"),
    }[case]
    code, _, err = run(capsys, "report", *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and named in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_cli_report_of_hostile_uploads_is_written(capsys, tmp_path):
    paths = []
    for name, data in hostile_uploads():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    code, _, _ = run(capsys, "report", *paths, "-o", str(tmp_path / "r.xlsx"))
    assert code == 0
    assert [cell for cell in all_cells((tmp_path / "r.xlsx").read_bytes()) if cell.data_type == "f"] == []


# ── the Overview page ───────────────────────────────────────────────────────────────────────


@pytest.fixture
def managers(monkeypatch) -> list:
    """The media file managers AppTest makes, recorded: a deferred download is built through one."""
    made: list = []

    class Recording(app_test_module.MediaFileManager):  # type: ignore[misc,name-defined]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return made


def test_the_overview_offers_both_reports_built_on_click_in_the_session_language(managers, served):
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "es"
    app.run()
    assert not app.exception
    buttons = {button.proto.label: button.proto.deferred_file_id for button in app.get("download_button")}
    assert set(buttons) >= {t("report.download_html", "es"), t("report.download_xlsx", "es")}
    document = served[managers[-1].execute_deferred(buttons[t("report.download_html", "es")])]
    assert t("report.title", "es").encode() in document
    workbook = served[managers[-1].execute_deferred(buttons[t("report.download_xlsx", "es")])]
    assert load_workbook(io.BytesIO(workbook)).sheetnames[0] == t("report.sheet.key_figures", "es")


def test_a_region_paired_by_hand_changes_the_overviews_report(managers, served):
    def html_report(app) -> bytes:
        button = next(b for b in app.get("download_button") if b.proto.label == t("report.download_html"))
        return served[managers[-1].execute_deferred(button.proto.deferred_file_id)]

    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    before = html_report(app)
    app.session_state[PAIRS] = {"Capital District": "Farhollow"}  # the capital's shape drawn as another region
    app.run()
    assert not app.exception
    assert html_report(app) != before  # not the report cached before the pairing


def test_the_report_of_a_workspace_carries_the_rooms_decisions_and_overdue_actions(
    monkeypatch, managers, served, tmp_path
):
    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)
    store, sample = open_store(), sample_dataset()
    create_workspace(store, "Country R")
    save_version(store, "Country R", sample.frames, author="Awa")
    actor_id, actor_name = sample["actors"][["actor_id", "name"]].iloc[0]
    session = add_session(store, "Country R", dt.date(2026, 3, 14), place="Capital", actors=[actor_id])
    add_decision(store, "Country R", session, "Open a second shelter in the north", actor_id)
    add_action(store, "Country R", session, "Draft the referral protocol", actor_id, dt.date(2026, 4, 1))
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["ws"] = "Country R"
    app.run()
    assert not app.exception
    buttons = {button.proto.label: button.proto.deferred_file_id for button in app.get("download_button")}
    document = served[managers[-1].execute_deferred(buttons[t("report.download_html")])].decode()
    workbook = load_workbook(io.BytesIO(served[managers[-1].execute_deferred(buttons[t("report.download_xlsx")])]))

    assert "Open a second shelter in the north" in document and "Draft the referral protocol" in document
    assert t("report.section.workshop") in document
    actions = workbook[t("report.sheet.action_items")]
    header, row = [cell.value for cell in actions[1]], [cell.value for cell in actions[2]]
    assert row[header.index(t("report.column.owner"))] == actor_name
    assert row[header.index(t("report.column.overdue"))] == t("report.yes")  # due 2026-04-01, still open


def test_the_french_report_writes_numbers_and_percents_as_french_does(sample_fr):
    cells = [
        html.unescape(cell)
        for cell in re.findall(r'<td class="number"[^>]*>([^<]*)</td>', report_html(sample_fr).decode())
    ]
    assert cells and not [cell for cell in cells if re.search(r"\d\.\d", cell)]  # no English decimal point
    assert any(re.search(r"\d[\u00a0\u202f]%", cell) for cell in cells)  # 45 %, spaced as in French
