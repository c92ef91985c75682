"""Broken and awkward uploads (vawmap/ingest/read.py): a clear message naming the file, never
an exception; the file is listed as unreadable when it cannot be read at all; a failed upload
never loses what was already loaded. Awkward but readable files (long cells, UTF-16 without a
byte order mark) are read; formulas saved without a value are named as such."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import vawmap.ingest.read as read
from tests.builders import ACTOR_ROWS, REGION_ROWS, csv_bytes, ingest_one, with_cached_values, xlsx
from tests.ingest_problems import problems_of
from vawmap.dataset import sample_dataset
from vawmap.ingest import ERROR, ingest
from vawmap.ingest.pipeline import SheetCounts

SERVICE_ROWS = [["Provider", "Service type", "Region"], ["MoH", "Helpline", "Grand Bassa"]]
GOOD_WORKBOOK = xlsx({"services": SERVICE_ROWS, "regions": [["Region"], ["Grand Bassa"]]})
PNG_RENAMED_XLSX = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
PDF_RENAMED_CSV = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
TRUNCATED_WORKBOOK = GOOD_WORKBOOK[: len(GOOD_WORKBOOK) // 2]
BINARY_NOT_A_SPREADSHEET = bytes(range(256)) * 4
# A quote opened on line 2 and never closed: the rest of the file (over 131,072 characters,
# the csv module's default cell limit) would read as one cell.
QUOTE_NEVER_CLOSED_CSV = (
    b'Provider,Service type,Region\nMoH,"Helpline,Grand Bassa\n' + b"MoH,Helpline,Grand Bassa\n" * 6000
)
# The same on line 4, after a cell that legitimately spans two lines (the row starts on line 2).
QUOTE_NEVER_CLOSED_LATER_CSV = (
    b'Provider,Service type,Region,District\nMoH,Helpline,Grand Bassa,"Upper\nBuchanan"\nMoH,Refuge,"Grand Bassa\n'
    b"WLAN,Legal aid,Grand Bassa,\n"
)
# Closed quotes around delimiters and doubled quotes inside: read, not refused.
QUOTES_CLOSED_CSV = (
    b'Provider,Service type,Region,District\n"MoH, central","Helpline","Grand Bassa","the ""old"" town"\n'
)
# A cell longer than the csv module's default limit (131,072 characters): long notes are real.
LONG_NOTES = "Chairs the referral network; " * 6000
ACTORS_WITH_LONG_NOTES_CSV = (
    f'Name,Actor type,Sector,Level,Notes\nMinistry of Health,Government,Health,National,"{LONG_NOTES}"\n'
)


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


ZIP_THAT_IS_NOT_A_WORKBOOK = zip_of({"notes.txt": "hello"})

# Accented headers and values, as Excel on Windows saves "CSV" in Western Europe (cp1252/Latin-1).
SERVICES_FRENCH_CSV = (
    "Prestataire;Type de service;Région;Lieu\nMinistère de la Santé;Refuge;Grand Bassa;Hôpital général\n"
)
SERVICES_SPANISH_CSV = (
    "Proveedor,Tipo de servicio,Región,Ubicación\nMinisterio de Salud,Línea de ayuda,Grand Bassa,Ñuñoa\n"
)
SERVICES_SEMICOLON_CSV = (
    "Provider;Service type;Region;Latitude\nMoH;Helpline;Grand Bassa;6,25\nWLAN;Legal aid;Grand Bassa;7,5\n"
)
SERVICES_TAB_CSV = "Provider\tService type\tRegion\tCapacity\nMoH\tRefuge\tGrand Bassa\t1,200\n"
SERVICES_PIPE_CSV = "Provider|Service type|Region\nMoH|Helpline|Grand Bassa\n"
SERVICES_CRLF_CSV = "Provider,Service type,Region\r\nMoH,Helpline,Grand Bassa\r\nWLAN,Legal aid,Grand Bassa\r\n"


def password_protected(workbook: bytes, password: str = "secret") -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(workbook)).encrypt(password, encrypted)
    return encrypted.getvalue()


def the_only_problem(result, file_name: str) -> dict:
    [problem] = problems_of(result)
    assert problem["file"] == file_name
    assert problem["severity"] == ERROR
    assert problem["sheet"] == ""
    assert pd.isna(problem["row"])
    assert problem["suggestion"]
    return problem


# ── files that cannot be read ─────────────────────────────────────────────────


def test_empty_file():
    result = ingest_one("services.xlsx", b"")

    problem = the_only_problem(result, "services.xlsx")
    assert problem["message"] == "The file is empty (0 bytes)."
    assert result.unreadable == ("services.xlsx",)
    assert result.frames == {} and result.counts == {}
    assert not result.ok


def test_png_renamed_xlsx():
    result = ingest_one("services.xlsx", PNG_RENAMED_XLSX)

    problem = the_only_problem(result, "services.xlsx")
    assert problem["message"] == "This file is a PNG image, not a spreadsheet."
    assert problem["suggestion"].startswith("Open it in Excel or LibreOffice and save it as .xlsx")
    assert result.unreadable == ("services.xlsx",)


def test_pdf_renamed_csv():
    result = ingest_one("services.csv", PDF_RENAMED_CSV)

    assert the_only_problem(result, "services.csv")["message"] == "This file is a PDF document, not a spreadsheet."
    assert result.unreadable == ("services.csv",)


def test_truncated_workbook():
    result = ingest_one("half.xlsx", TRUNCATED_WORKBOOK)

    problem = the_only_problem(result, "half.xlsx")
    assert problem["message"].startswith("The workbook cannot be opened: it looks damaged or incomplete")
    assert "ask for a fresh copy" in problem["suggestion"]
    assert result.unreadable == ("half.xlsx",)


def test_zip_that_is_not_a_workbook():
    result = ingest_one("archive.xlsx", ZIP_THAT_IS_NOT_A_WORKBOOK)

    assert the_only_problem(result, "archive.xlsx")["message"].startswith("The workbook cannot be opened")
    assert result.unreadable == ("archive.xlsx",)


def test_password_protected_workbook():
    result = ingest_one("locked.xlsx", password_protected(GOOD_WORKBOOK))

    problem = the_only_problem(result, "locked.xlsx")
    assert problem["message"] == "The workbook is password-protected, so it cannot be read."
    assert "remove the password" in problem["suggestion"]
    assert result.unreadable == ("locked.xlsx",)


def test_binary_file_that_is_no_known_format():
    result = ingest_one("data.csv", BINARY_NOT_A_SPREADSHEET)

    problem = the_only_problem(result, "data.csv")
    assert problem["message"] == "This file is not a spreadsheet or a text (CSV) file."
    assert result.unreadable == ("data.csv",)


def test_csv_with_a_quote_never_closed_is_named_not_raised():
    result = ingest_one("services.csv", QUOTE_NEVER_CLOSED_CSV)

    problem = the_only_problem(result, "services.csv")
    assert problem["message"] == (
        'A quote mark (") in the row that starts on line 2 is never closed, '
        "so the rest of the file would read as one cell."
    )
    assert problem["suggestion"].startswith("Remove that quote mark or close it")
    assert result.unreadable == ("services.csv",)


def test_a_quote_never_closed_is_found_after_a_cell_on_two_lines():
    result = ingest_one("services.csv", QUOTE_NEVER_CLOSED_LATER_CSV)

    assert "starts on line 4 is never closed" in the_only_problem(result, "services.csv")["message"]


def test_closed_quotes_are_read_as_they_were_meant():
    result = ingest_one("services.csv", QUOTES_CLOSED_CSV)

    assert result.unreadable == ()
    services = result.frames["services"]
    assert services[["provider", "district"]].values.tolist() == [["MoH, central", 'the "old" town']]


def test_csv_cell_longer_than_the_csv_modules_default_limit_is_read():
    assert len(LONG_NOTES) > 131_072

    result = ingest_one("actors.csv", csv_bytes(ACTORS_WITH_LONG_NOTES_CSV))

    assert result.unreadable == ()
    assert result.frames["actors"]["notes"].tolist() == [LONG_NOTES.strip()]


def test_the_csv_cell_limit_is_the_upload_limit():
    assert read.csv_field_limit() == read.UPLOAD_LIMIT_MB * 1024 * 1024


def test_file_over_the_upload_limit(monkeypatch):
    monkeypatch.setattr(read, "UPLOAD_LIMIT_MB", 0.001)  # about 1 KB
    data = csv_bytes("Provider,Service type,Region\n" + "MoH,Helpline,Grand Bassa\n" * 200)  # 4.8 KB

    result = ingest_one("services.csv", data)

    problem = the_only_problem(result, "services.csv")
    assert problem["message"] == "The file is 0.1 MB, over the 0.001 MB upload limit."
    assert "split the services into several files" in problem["suggestion"]
    assert result.unreadable == ("services.csv",)


def test_file_just_over_the_upload_limit_is_not_said_to_be_at_the_limit(monkeypatch):
    monkeypatch.setattr(read, "UPLOAD_LIMIT_MB", 1)
    data = b"Provider,Service type,Region\n" + b"x" * (1024 * 1024)

    result = ingest_one("services.csv", data)

    assert the_only_problem(result, "services.csv")["message"] == "The file is 1.1 MB, over the 1 MB upload limit."


def test_file_at_the_upload_limit_is_read(monkeypatch):
    monkeypatch.setattr(read, "UPLOAD_LIMIT_MB", 0.001)
    data = csv_bytes("Provider,Service type,Region\nMoH,Helpline,Grand Bassa\n")

    result = ingest_one("services.csv", data)

    assert result.unreadable == ()
    assert result.frames["services"]["provider"].tolist() == ["MoH"]


# ── CSV encodings and delimiters ──────────────────────────────────────────────


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_csv_encodings_give_the_accented_headers_and_values(encoding):
    # "utf-16" writes a byte order mark; "utf-16-le" and "utf-16-be" do not (some exports).
    result = ingest_one("services.csv", csv_bytes(SERVICES_FRENCH_CSV, encoding))

    assert result.unreadable == ()
    services = result.frames["services"]
    assert services[["provider", "service_type", "location"]].values.tolist() == [
        ["Ministère de la Santé", "safe_accommodation", "Hôpital général"]
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_whatever_its_script(encoding):
    text = "Provider,Service type,Region,Location\nMoH,Helpline,Grand Bassa,مركز الرعاية 中心\n"

    result = ingest_one("services.csv", csv_bytes(text, encoding))

    assert result.frames["services"]["location"].tolist() == ["مركز الرعاية 中心"]


def test_latin1_csv_with_spanish_accents_and_eñe():
    result = ingest_one("servicios.csv", csv_bytes(SERVICES_SPANISH_CSV, "latin-1"))

    services = result.frames["services"]
    assert services[["provider", "service_type", "location"]].values.tolist() == [
        ["Ministerio de Salud", "helpline", "Ñuñoa"]
    ]


def test_utf8_bom_does_not_stick_to_the_first_header():
    result = ingest_one("services.csv", csv_bytes(SERVICES_FRENCH_CSV, "utf-8-sig"))

    assert result.frames["services"]["provider"].tolist() == ["Ministère de la Santé"]
    # Only the "no regions sheet" warning: no unknown column '\ufeffPrestataire'.
    assert [p["column"] for p in problems_of(result)] == ["Région"]


def test_problem_in_a_latin1_csv_names_the_accented_column_correctly():
    text = "Prestataire;Type de service;Région\n;Refuge;Grand Bassa\nMoH;Refuge;Grand Bassa\n"

    result = ingest_one("services.csv", csv_bytes(text, "latin-1"))

    assert [(p["row"], p["column"]) for p in problems_of(result, ERROR)] == [(2, "Prestataire")]
    assert {p["column"] for p in problems_of(result)} == {"Prestataire", "Région"}


def test_semicolon_delimited_csv():
    result = ingest_one("services.csv", csv_bytes(SERVICES_SEMICOLON_CSV))

    services = result.frames["services"]
    assert services["provider"].tolist() == ["MoH", "WLAN"]
    assert services["latitude"].tolist() == [6.25, 7.5]


def test_tab_delimited_csv():
    result = ingest_one("services.tsv", csv_bytes(SERVICES_TAB_CSV))

    services = result.frames["services"]
    assert services[["provider", "service_type", "region"]].values.tolist() == [
        ["MoH", "safe_accommodation", "Grand Bassa"]
    ]
    assert services["capacity"].tolist() == [1200]


def test_pipe_delimited_csv():
    result = ingest_one("services.csv", csv_bytes(SERVICES_PIPE_CSV))

    assert result.frames["services"]["service_type"].tolist() == ["helpline"]


def test_windows_line_endings():
    result = ingest_one("services.csv", csv_bytes(SERVICES_CRLF_CSV))

    assert result.frames["services"]["provider"].tolist() == ["MoH", "WLAN"]
    assert result.counts["services"].rows == 2


def test_csv_with_only_a_header_loads_no_rows_and_no_error():
    result = ingest_one("services.csv", csv_bytes("Provider,Service type,Region\n"))

    assert result.ok
    assert result.counts["services"].rows == 0
    assert result.unreadable == ()


# ── formulas saved without a value ────────────────────────────────────────────

# openpyxl, like many export scripts, writes formulas without their value.
SERVICES_OF_FORMULAS = [
    ["Provider", "Service type", "Region", "Capacity"],
    ["MoH", '="Help"&"line"', "Grand Bassa", "=3*4"],
    ["WLAN", "Legal aid", "Grand Bassa", 12],
    ['="MoH"', '="Refuge"', '="Grand Bassa"', "=2*6"],  # nothing but formulas: not a blank row
]


def formula_workbook(cached: dict | None = None) -> bytes:
    workbook = xlsx({"actors": ACTOR_ROWS, "regions": REGION_ROWS, "services": SERVICES_OF_FORMULAS})
    return with_cached_values(workbook, sheet_number=3, cached=cached) if cached else workbook


def test_a_required_formula_with_no_saved_value_is_named_not_called_empty():
    result = ingest_one("country.xlsx", formula_workbook())

    errors = problems_of(result, ERROR)
    assert [(p["row"], p["column"]) for p in errors] == [
        (2, "Service type"),
        (4, "Provider"),
        (4, "Service type"),
        (4, "Region"),
    ]
    assert {p["message"] for p in errors} == {
        "This cell holds a formula with no saved value, so it reads as empty, and every row needs it."
    }
    assert errors[0]["suggestion"] == (
        "Open the file in Excel or LibreOffice and save it again: that saves the value of every formula."
    )
    assert result.counts["services"] == SheetCounts(rows=3, accepted=1, rejected=2)


def test_an_optional_formula_with_no_saved_value_is_named_and_the_row_loads():
    result = ingest_one(
        "country.xlsx", formula_workbook({"B2": "Helpline", "A4": "MoH", "B4": "Refuge", "C4": "Grand Bassa"})
    )

    assert problems_of(result, ERROR) == []
    warnings = [(p["row"], p["column"], p["message"]) for p in problems_of(result, column="Capacity")]
    assert warnings == [
        (2, "Capacity", "This cell holds a formula with no saved value, so it was left empty."),
        (4, "Capacity", "This cell holds a formula with no saved value, so it was left empty."),
    ]
    capacity = result.frames["services"]["capacity"]
    assert capacity.isna().tolist() == [True, False, True] and capacity[1] == 12


def test_formulas_with_their_saved_values_say_nothing():
    cached = {"B2": "Helpline", "D2": 12, "A4": "MoH", "B4": "Refuge", "C4": "Grand Bassa", "D4": 12}

    result = ingest_one("country.xlsx", formula_workbook(cached))

    assert result.problems.empty, result.problems.to_dict("records")
    assert result.frames["services"]["capacity"].tolist() == [12, 12, 12]


# ── what the Data page says ───────────────────────────────────────────────────


def test_an_unreadable_file_has_no_error_on_rows_or_columns():
    result = ingest([("photo.xlsx", PNG_RENAMED_XLSX), ("services.xlsx", GOOD_WORKBOOK)])

    assert (result.errors_on_rows(), result.errors_elsewhere()) == (0, 0)


def test_errors_are_counted_where_they_are():
    services = "Provider,Service type,Region,Survivor name\nMoH,Helpine,Grand Bassa,A. K.\nMoH,Helpline,Grand Bassa,\n"
    result = ingest(
        [("services.csv", csv_bytes(services)), ("links.csv", csv_bytes("Source,Link type\nMoH,Funding\n"))]
    )

    # The misspelt type (a row set aside); the survivor column and the links sheet without
    # its target column (whole columns or sheets).
    assert (result.errors_on_rows(), result.errors_elsewhere()) == (1, 2)


def test_the_data_page_says_a_file_could_not_be_read_and_never_that_rows_were_set_aside():
    app = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60).run()
    app = app.switch_page("app_pages/data.py").run()

    app = app.file_uploader(key="upload").set_value(("photo.xlsx", PNG_RENAMED_XLSX, "image/png")).run()

    assert [error.value for error in app.error] == [
        "photo.xlsx could not be read; what is already loaded is unchanged."
    ]
    survivor_column = b"Provider,Service type,Region,Survivor name\nMinistry of Health,helpline,Northmoor,A. K.\n"
    app = app.file_uploader(key="upload").set_value(("services.csv", survivor_column, "text/csv")).run()

    assert [error.value for error in app.error] == [
        "Errors: 1 about a whole sheet or column; the table below says what each one left out. "
        "Fix them in the file and upload it again."
    ]


# ── a failure never loses what was loaded ─────────────────────────────────────


def test_failed_upload_next_to_a_good_file_still_loads_the_good_one():
    result = ingest(
        [
            ("empty.csv", b""),
            ("photo.xlsx", PNG_RENAMED_XLSX),
            ("services.xlsx", GOOD_WORKBOOK),
            ("half.xlsx", TRUNCATED_WORKBOOK),
        ]
    )

    assert result.unreadable == ("empty.csv", "photo.xlsx", "half.xlsx")
    assert result.sources == ("services.xlsx",)
    assert result.frames["services"]["provider"].tolist() == ["MoH"]
    assert sorted(p["file"] for p in problems_of(result, ERROR)) == ["empty.csv", "half.xlsx", "photo.xlsx"]


def test_dataset_with_a_failed_upload_keeps_the_previous_frames():
    before = sample_dataset()
    failed = ingest([("services.xlsx", TRUNCATED_WORKBOOK)])

    after = before.with_upload(failed)

    for name, frame in before.frames.items():
        pd.testing.assert_frame_equal(after.frames[name], frame)
    assert after.sources == before.sources


def test_dataset_with_a_rejected_sheet_keeps_the_previous_frames():
    before = sample_dataset()
    rejected = ingest([("services.csv", csv_bytes("Provider,Region\nMoH,Grand Bassa\n"))])  # no service type column

    after = before.with_upload(rejected)

    pd.testing.assert_frame_equal(after.frames["services"], before.frames["services"])


def test_ingest_leaves_the_loaded_frames_it_checks_against_unchanged():
    # The Data page checks an upload against what is loaded (regions and actors): the check
    # must not touch them, or a failed upload would still change the loaded dataset.
    known = {name: sample_dataset()[name] for name in ("regions", "actors")}
    copies = {name: frame.copy(deep=True) for name, frame in known.items()}
    upload = csv_bytes("Provider,Service type,Region\nMoH,Refuge,Northmor\nNobody,helpline,Nowhere\n")

    result = ingest([("services.csv", upload)], known=known)

    assert len(result.problems)  # the near-miss region and the unknown one were checked against `known`
    for name, frame in known.items():
        pd.testing.assert_frame_equal(frame, copies[name])


def test_a_successful_upload_makes_a_new_dataset_and_leaves_the_old_one_as_it_was():
    before = sample_dataset()
    snapshot = {name: frame.copy(deep=True) for name, frame in before.frames.items()}
    loaded = ingest([("services.csv", csv_bytes("Provider,Service type,Region\nMoH,helpline,Northmoor\n"))])

    after = before.with_upload(loaded)

    assert len(after["services"]) == 1 and after.token != before.token
    for name, frame in before.frames.items():
        pd.testing.assert_frame_equal(frame, snapshot[name])
