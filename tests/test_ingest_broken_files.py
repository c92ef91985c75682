"""Broken and awkward uploads (vawmap/ingest/read.py): a clear message naming the file, never
an exception; the file is listed as unreadable when it cannot be read at all; a failed upload
never loses what was already loaded."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

import vawmap.ingest.read as read
from tests.builders import csv_bytes, ingest_one, xlsx
from tests.ingest_problems import problems_of
from vawmap.dataset import sample_dataset
from vawmap.ingest import ERROR, ingest

SERVICE_ROWS = [["Provider", "Service type", "Region"], ["MoH", "Helpline", "Grand Bassa"]]
GOOD_WORKBOOK = xlsx({"services": SERVICE_ROWS, "regions": [["Region"], ["Grand Bassa"]]})
PNG_RENAMED_XLSX = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
PDF_RENAMED_CSV = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
TRUNCATED_WORKBOOK = GOOD_WORKBOOK[: len(GOOD_WORKBOOK) // 2]
BINARY_NOT_A_SPREADSHEET = bytes(range(256)) * 4
# A quote opened in row 2 and never closed: the rest of the file (over 131,072 characters,
# the csv module's cell limit) reads as one cell.
QUOTE_NEVER_CLOSED_CSV = (
    b'Provider,Service type,Region\nMoH,"Helpline,Grand Bassa\n' + b"MoH,Helpline,Grand Bassa\n" * 6000
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
    assert problem["message"].startswith("The CSV file cannot be read (field larger than field limit")
    assert "quote mark" in problem["suggestion"]
    assert result.unreadable == ("services.csv",)


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


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8", "utf-8-sig", "utf-16"])
def test_csv_encodings_give_the_accented_headers_and_values(encoding):
    result = ingest_one("services.csv", csv_bytes(SERVICES_FRENCH_CSV, encoding))

    assert result.unreadable == ()
    services = result.frames["services"]
    assert services[["provider", "service_type", "location"]].values.tolist() == [
        ["Ministère de la Santé", "safe_accommodation", "Hôpital général"]
    ]


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
