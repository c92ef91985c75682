"""A corpus of hostile and awkward uploads, written on demand into a folder.

    python tests/hostile_corpus.py OUT_DIR [--fast]

Each case is a file an attacker, or an unlucky user, could upload: a cell at XFD1048576, zip
bombs of several ratios, entity expansion, hundreds of sheets, a million-row CSV, a 10 MB cell,
stray quotes, NUL bytes, every encoding, formula and Markdown payloads, survivor headers. Each
says what it should get: `loads` (rows are accepted), `refused` (one error naming the file, with
that message key), or `answered` (any answer, within the limits).

The tests (tests/test_ingest_bounded_corpus.py) run the fast cases through the isolated upload
check; `python -m vawmap.bench hostile` writes them all, runs each through the CLI and through
the upload check, and prints the time and peak memory of each.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

LOADS, REFUSED, ANSWERED = "loads", "refused", "answered"
SERVICES_HEADER = "Provider,Service type,Region\n"
SERVICE_ROW = "MoH,Helpline,Grand Bassa\n"
ACCENTED_SERVICES = "Prestataire;Type de service;Région\nMinistère de la Santé;Refuge;Grand Bassa\n"
SERVICES_CELLS = [["Provider", "Service type", "Region"], ["MoH", "Helpline", "Grand Bassa"]]


@dataclass(frozen=True)
class Case:
    name: str  # the file's name, its extension telling the kind
    build: Callable[[], bytes | Iterable[bytes]]  # the bytes, or chunks of them for the big ones
    expect: str  # LOADS, REFUSED or ANSWERED
    key: str = ""  # for REFUSED: the message key of the one error
    fast: bool = True  # small and quick enough for the test suite

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        made = self.build()
        with path.open("wb") as out:
            if isinstance(made, bytes):
                out.write(made)
            else:
                for chunk in made:
                    out.write(chunk)
        return path


# ── workbooks written part by part ────────────────────────────────────────────

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{overrides}</Types>"
)
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="xl/workbook.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def raw_xlsx(
    sheets: dict[str, bytes | Iterable[bytes]],
    shared_strings: bytes | None = None,
    path: Path | None = None,
    level: int = 6,
) -> bytes:
    """A minimal .xlsx whose sheet XML is given as is (bytes, or chunks streamed into the zip, for
    parts bigger than memory should hold): sheet name -> the worksheet part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path or buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="{_SHEET_TYPE}"/>'
            for number in range(1, len(sheets) + 1)
        )
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=overrides))
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        listed = "".join(
            f'<sheet name="{name}" sheetId="{number}" r:id="rId{number}"/>' for number, name in enumerate(sheets, 1)
        )
        archive.writestr(
            "xl/workbook.xml", f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{listed}</sheets></workbook>'
        )
        targets = "".join(
            f'<Relationship Id="rId{number}" Type="{_RELS}/worksheet" Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, len(sheets) + 1)
        )
        if shared_strings is not None:
            targets += f'<Relationship Id="rIdS" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{targets}'
            "</Relationships>",
        )
        for number, part in enumerate(sheets.values(), 1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
                for chunk in [part] if isinstance(part, bytes) else part:
                    out.write(chunk)
    return b"" if path else buffer.getvalue()


def sheet_xml(rows: str, dimension: str | None = None, head: str = "") -> bytes:
    """A worksheet part around the XML of its rows."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{_MAIN}"{head}>{declared}<sheetData>{rows}</sheetData></worksheet>'.encode()


def inline_row(number: int, values: list[str], first_column: str = "A") -> str:
    cells = "".join(
        f'<c r="{chr(ord(first_column) + index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for index, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


SERVICE_ROWS_XML = inline_row(1, SERVICES_CELLS[0]) + inline_row(2, SERVICES_CELLS[1])


def far_cell(dimension: str | None, far: str = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>') -> bytes:
    """Two service rows and one cell at XFD1048576 (a value, or only a format)."""
    return raw_xlsx({"services": sheet_xml(SERVICE_ROWS_XML + far, dimension)})


def bomb(unpacked_mb: int, every: int, path: Path | None = None) -> bytes:
    """A sheet of empty formatted cells, `unpacked_mb` MB once unpacked. Every `every` cells one
    carries its own style number, which sets the ratio: the rarer, the tighter it packs."""

    def chunks() -> Iterator[bytes]:
        yield f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">'.encode()
        unit = b'<c s="1"/>' * (every - 1)
        written, number = 0, 0
        while written < unpacked_mb * 1024 * 1024:
            number += 1
            block = unit + f'<c s="{number % 997}"/>'.encode()
            yield block
            written += len(block)
        yield b"</row></sheetData></worksheet>"

    return raw_xlsx({"services": chunks()}, path=path, level=9)


def formatted_rows(unpacked_mb: int) -> Iterator[bytes]:
    """A sheet of rows each with one formatted empty cell, as a sheet formatted far down looks:
    it packs like real data (about 30 to 1), so only its size and its cells can bound it."""
    yield f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
    written, number = 0, 0
    while written < unpacked_mb * 1024 * 1024:
        block = "".join(f'<row r="{row}"><c r="A{row}" s="1"/></row>' for row in range(number + 1, number + 10_001))
        number += 10_000
        written += len(block)
        yield block.encode()
    yield b"</sheetData></worksheet>"


def billion_laughs(where: str) -> bytes:
    """Nested entities that would expand to 3 GB, in the shared strings or in a sheet."""
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 9)
    )
    doctype = f"<!DOCTYPE lolz [{entities}]>"
    strings = f'<?xml version="1.0"?>{doctype}<sst xmlns="{_MAIN}"><si><t>&lol8;</t></si></sst>'.encode()
    if where == "shared_strings":
        rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        return raw_xlsx({"services": sheet_xml(rows)}, shared_strings=strings)
    rows = SERVICE_ROWS_XML + '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol8;</t></is></c></row>'
    return raw_xlsx({"services": b'<?xml version="1.0"?>' + doctype.encode() + sheet_xml(rows)})


def external_entity() -> bytes:
    """An entity that would read a file of the server into a cell (XXE)."""
    doctype = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    rows = SERVICE_ROWS_XML + '<row r="3"><c r="A3" t="inlineStr"><is><t>&secret;</t></is></c></row>'
    return raw_xlsx({"services": b'<?xml version="1.0"?>' + doctype.encode() + sheet_xml(rows)})


def many_sheets(count: int) -> bytes:
    sheets = {f"notes {number}": sheet_xml(inline_row(1, ["note", str(number)])) for number in range(1, count)}
    return raw_xlsx({"services": sheet_xml(SERVICE_ROWS_XML), **sheets})


def many_parts(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=""))
        for number in range(count):
            archive.writestr(f"xl/media/image{number}.png", b"")
    return buffer.getvalue()


def huge_cell_xlsx(megabytes: int) -> bytes:
    """A provider's name of `megabytes` MB of words (random, so it packs as text does, not as a bomb)."""
    words = random.Random(1).choices(["lorem", "ipsum", "dolor", "sit", "amet", "refuge"], k=megabytes * 180_000)
    rows = SERVICE_ROWS_XML + inline_row(3, [" ".join(words)[: megabytes * 1024 * 1024], "Helpline", "Grand Bassa"])
    return raw_xlsx({"services": sheet_xml(rows)})


# ── OpenDocument ──────────────────────────────────────────────────────────────


def raw_ods(table: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="services">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def ods_row(values: list[str], repeated: int = 1) -> str:
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>' for value in values
    )
    repeat = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{repeat}>{cells}</table:table-row>"


ODS_SERVICES = ods_row(SERVICES_CELLS[0]) + ods_row(SERVICES_CELLS[1])
# How LibreOffice writes the rest of a sheet: a million empty rows of 16,384 empty cells, once.
ODS_EMPTY_REST = (
    '<table:table-row table:number-rows-repeated="1048574">'
    '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
)
ODS_REPEATED_VALUES = (
    '<table:table-row table:number-rows-repeated="1000000">'
    '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/>'
    "</table:table-row>"
)


# ── CSV files ─────────────────────────────────────────────────────────────────


def million_rows() -> Iterator[bytes]:
    yield SERVICES_HEADER.encode()
    block = (SERVICE_ROW * 10_000).encode()
    for _ in range(100):
        yield block


PAYLOADS = [
    '=HYPERLINK("http://example.invalid/x","click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "**bold** [link](javascript:alert(1))",
    "<script>alert(1)</script>",
    "![tracker](http://example.invalid/pixel.png)",
    "| a | b |\n|---|---|",
]


def payload_csv() -> bytes:
    quoted = ['"' + payload.replace('"', '""') + '"' for payload in PAYLOADS]
    return (SERVICES_HEADER + "".join(f"{payload},Helpline,Grand Bassa\n" for payload in quoted)).encode()


def encoded(text: str, encoding: str, mark: bytes = b"") -> bytes:
    return mark + text.encode(encoding)


CASES = [
    # A cell at XFD1048576 asks for 17 billion cells: refused before any is made.
    Case("far_cell.xlsx", lambda: far_cell("A1:XFD1048576"), REFUSED, "read.too_many_cells"),
    Case("far_cell_no_dimension.xlsx", lambda: far_cell(None), REFUSED, "read.too_many_cells"),
    # Declared as far, but the far cell holds only a format: read by the cells in use.
    Case(
        "far_format.xlsx", lambda: far_cell("A1:XFD1048576", '<row r="1048576"><c r="XFD1048576" s="1"/></row>'), LOADS
    ),
    # The dimension lies (A1:C2): the cells are counted, not the dimension, so it is refused the same way.
    Case("lying_dimension.xlsx", lambda: far_cell("A1:C2"), REFUSED, "read.too_many_cells"),
    # Zip bombs: 40 MB packed 500, 270 and 140 to 1, refused before unpacking; one of 2 GB; and 150 MB
    # of formatted empty rows, which pack as real data do.
    Case("bomb_500_to_1.xlsx", lambda: bomb(40, 100_000), REFUSED, "read.zip_bomb"),
    Case("bomb_270_to_1.xlsx", lambda: bomb(40, 200), REFUSED, "read.zip_bomb"),
    Case("bomb_140_to_1.xlsx", lambda: bomb(40, 50), REFUSED, "read.zip_bomb"),
    Case("bomb_2_gb.xlsx", lambda: bomb(2048, 100_000), REFUSED, "read.unpacks_too_large", fast=False),
    Case(
        "formatted_rows_150_mb.xlsx",
        lambda: raw_xlsx({"services": formatted_rows(150)}),
        ANSWERED,
        fast=False,
    ),
    Case("laughs_in_shared_strings.xlsx", lambda: billion_laughs("shared_strings"), ANSWERED),
    Case("laughs_in_sheet.xlsx", lambda: billion_laughs("sheet"), ANSWERED),
    Case("external_entity.xlsx", external_entity, ANSWERED),
    Case("200_sheets.xlsx", lambda: many_sheets(200), LOADS),
    Case("400_sheets.xlsx", lambda: many_sheets(400), REFUSED, "read.too_many_sheets"),
    Case("20000_parts.xlsx", lambda: many_parts(20_000), REFUSED, "read.too_many_parts"),
    Case("ods_empty_rest.ods", lambda: raw_ods(ODS_SERVICES + ODS_EMPTY_REST), LOADS),
    Case(
        "ods_repeated_values.ods", lambda: raw_ods(ODS_SERVICES + ODS_REPEATED_VALUES), REFUSED, "read.too_many_cells"
    ),
    Case(
        "big.xls",
        lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(31 * 1024 * 1024),
        REFUSED,
        "read.xls_too_large",
        fast=False,
    ),
    Case("million_rows.csv", million_rows, ANSWERED, fast=False),
    Case("cell_of_10_mb.xlsx", lambda: huge_cell_xlsx(10), ANSWERED),
    Case(
        "cell_of_10_mb.csv",
        lambda: (SERVICES_HEADER + "x" * (10 * 1024 * 1024) + ",Helpline,Grand Bassa\n").encode(),
        ANSWERED,
    ),
    Case(
        "quote_never_closed.csv",
        lambda: (SERVICES_HEADER + 'MoH,"Helpline,Grand Bassa\n' + SERVICE_ROW * 9000).encode(),
        REFUSED,
        "read.unclosed_quote",
    ),
    Case(
        "stray_quotes.csv",
        lambda: (SERVICES_HEADER + 'MoH "central",Help"line,Grand Bassa\n' + SERVICE_ROW).encode(),
        LOADS,
    ),
    Case(
        "nul_bytes.csv",
        lambda: (SERVICES_HEADER + SERVICE_ROW).encode().replace(b"MoH", b"Mo\x00H"),
        REFUSED,
        "read.binary",
    ),
    Case("utf8.csv", lambda: encoded(ACCENTED_SERVICES, "utf-8"), LOADS),
    Case("utf8_bom.csv", lambda: encoded(ACCENTED_SERVICES, "utf-8-sig"), LOADS),
    Case("utf16_le_bom.csv", lambda: encoded(ACCENTED_SERVICES, "utf-16-le", b"\xff\xfe"), LOADS),
    Case("utf16_be_bom.csv", lambda: encoded(ACCENTED_SERVICES, "utf-16-be", b"\xfe\xff"), LOADS),
    Case("utf16_le.csv", lambda: encoded(ACCENTED_SERVICES, "utf-16-le"), LOADS),
    Case("utf16_be.csv", lambda: encoded(ACCENTED_SERVICES, "utf-16-be"), LOADS),
    Case("cp1252.csv", lambda: encoded(ACCENTED_SERVICES.replace("Refuge", "Refuge – centre"), "cp1252"), ANSWERED),
    Case("latin1.csv", lambda: encoded(ACCENTED_SERVICES, "latin-1"), LOADS),
    Case("payloads.csv", payload_csv, LOADS),
    Case(
        "survivor_headers.csv",
        lambda: b"Provider,Service type,Region,Survivor name,Age of victim\nMoH,Helpline,Grand Bassa,A. B.,17\n",
        LOADS,
    ),
]


def write_corpus(folder: Path, fast_only: bool = False) -> list[tuple[Case, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    return [(case, case.write(folder)) for case in CASES if case.fast or not fast_only]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--fast", action="store_true", help="only the cases the tests run")
    args = parser.parse_args(argv)
    for case, path in write_corpus(args.folder, args.fast):
        print(f"{path}  {path.stat().st_size:>12,} bytes  {case.expect} {case.key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
