"""How much a workbook may ask of the reader, checked before it is parsed.

A reader allocates what a workbook says it holds: python-calamine makes one grid from the first
to the last cell of a sheet, so a few cells in row 1 and one at XFD1048576 ask for 17 billion
cells (512 GB), and a zip part that unpacks a thousandfold asks for gigabytes. Before parsing,
`check_workbook` measures what it can without unpacking anything big or allocating a grid:

- each zip part's unpacked size and packing ratio (from the zip's directory, nothing unpacked);
- the used range of each sheet of an .xlsx/.xlsm: the cells that hold something, found by
  scanning the sheet's XML as it unpacks (its `<dimension ref>` is not trusted: a sheet that
  declares A1:XFD1048576 but uses A1:F200 is read by its used cells, and one that declares A1:C2
  but holds a cell at XFD1048576 is refused);
- the used range of each table of an .ods, counting `number-rows-repeated` and
  `number-columns-repeated` (LibreOffice writes a million empty rows as one repeated row);
- for a legacy .xls, whose size calamine cannot tell without reading the cells, its bytes.

`CellBudget` then checks each grid calamine builds before it becomes Python objects.

What goes past the limits is refused with an `UnreadableFile` naming the sheet and the last cell
in use, and how to fix it. What slips past them anyway (a reader that crashes or runs away on
a file crafted some other way) is stopped by the limited child process the upload check runs in
(vawmap/ingest/isolated.py).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from vawmap.ingest.problems import UnreadableFile
from vawmap.messages import Quantity, message

# Rows x columns of the used ranges of a workbook, all sheets together. The 100,000-service
# benchmark workbook holds 1.3 million; 5 million cells is what the rest of ingest checks within
# the upload check's time and memory limits (see isolated.py), and more than any country's map.
MAX_CELLS = 5_000_000
# Rows x columns of a CSV file's grid (the widest row sets its width), counted when Arrow or the
# csv module has split it, before it becomes a DataFrame. A browser upload is at most 50 MB: a
# CSV of real services that size holds about 6 million cells, one of bare delimiters asks for
# 50 million empty ones. A local file (the CLI) has no size limit: 50 million cells is about
# four times the million-service benchmark CSV (13 million cells, 119 MB).
CSV_UPLOAD_MAX_CELLS = 20_000_000
CSV_LOCAL_MAX_CELLS = 50_000_000
# The parts of a zip workbook together, unpacked: three times the 100,000-service benchmark
# workbook (66 MB), so a 50 MB upload of plain data fits, and a zip bomb does not.
MAX_UNPACKED_MB = 200
# Unpacked / packed size of one part. Sheets pack 5-20 to 1 (the benchmark workbook 9.5, a sheet
# of identical rows 26); a zip bomb packs about 1,000 to 1.
MAX_PACKING_RATIO = 100
# A part smaller than this unpacks to too little to matter, whatever its ratio.
RATIO_FROM_BYTES = 1024 * 1024
MAX_SHEETS = 300
# Parts of one zip: an .xlsx has about three per sheet, plus styles, images and the like.
MAX_ZIP_PARTS = 10_000
# The smallest record an .xls cell takes (6 bytes per number in a MULRK record): an .xls of n
# bytes holds at most n / 6 cells.
XLS_BYTES_PER_CELL = 6

_CHUNK = 4 * 1024 * 1024  # bytes of XML unpacked at a time when scanning a sheet


@dataclass(frozen=True)
class UsedRange:
    """The grid a sheet asks for: from A1 to its last row and column that hold something."""

    sheet: str
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def last_cell(self) -> str:
        return f"{column_letters(self.columns)}{self.rows}"


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# ── the whole workbook ────────────────────────────────────────────────────────


def check_workbook(data: bytes, is_xls: bool) -> frozenset[str]:
    """Raise UnreadableFile when the workbook asks for more than the limits; a file that is no zip
    workbook at all is left for the reader to name. Returns the names of the .xlsx sheets whose
    XML holds a formula, found on the way (vawmap/ingest/formulas.py reads only those)."""
    if is_xls:
        _check_xls_bytes(data)
        return frozenset()
    if _zip_part_count(data) > MAX_ZIP_PARTS:
        raise UnreadableFile(
            message("read.too_many_parts", count=Quantity(_zip_part_count(data)), limit=Quantity(MAX_ZIP_PARTS)),
            message("read.broken_workbook_fix"),
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return frozenset()  # damaged: the reader says so
    with archive:
        _check_parts(archive.infolist())
        names = set(archive.namelist())
        if "content.xml" in names:
            ranges, with_formulas = _ods_ranges(archive), frozenset[str]()
        else:
            ranges, with_formulas = _xlsx_ranges(archive, names)
        check_sheet_count(len(ranges))
        _check_ranges(ranges)
        return with_formulas


def _check_xls_bytes(data: bytes) -> None:
    if len(data) > MAX_CELLS * XLS_BYTES_PER_CELL:
        raise UnreadableFile(
            message("read.xls_too_large", size=_megabytes(len(data)), limit=Quantity(MAX_CELLS)),
            message("read.xls_too_large_fix"),
        )


def _zip_part_count(data: bytes) -> int:
    """The number of parts the zip's end record announces (0 when there is none), read before
    zipfile builds an object for each."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    return int.from_bytes(data[end + 10 : end + 12], "little") if end >= 0 else 0


def _check_parts(parts: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        raise UnreadableFile(
            message("read.unpacks_too_large", size=_megabytes(unpacked), limit=Quantity(MAX_UNPACKED_MB)),
            message("read.unpacks_too_large_fix"),
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_PACKING_RATIO:
            raise UnreadableFile(
                message(
                    "read.zip_bomb",
                    part=part.filename,
                    ratio=Quantity(round(ratio)),
                    limit=Quantity(MAX_PACKING_RATIO),
                ),
                message("read.zip_bomb_fix"),
            )


def check_sheet_count(count: int) -> None:
    """UnreadableFile when a workbook has more sheets than the limit."""
    if count > MAX_SHEETS:
        raise UnreadableFile(
            message("read.too_many_sheets", count=Quantity(count), limit=Quantity(MAX_SHEETS)),
            message("read.too_many_sheets_fix"),
        )


def _check_ranges(ranges: list[UsedRange]) -> None:
    budget = CellBudget()
    for used in ranges:
        budget.spend(used)


class CellBudget:
    """The cells a workbook's sheets may take, spent sheet by sheet."""

    def __init__(self, limit: int | None = None) -> None:
        self.left = MAX_CELLS if limit is None else limit
        self.spent = 0

    def spend(self, used: UsedRange) -> None:
        """Count a sheet's used range; UnreadableFile when the sheet, or the sheets so far, exceed the limit."""
        self.spent += used.cells
        self.left -= used.cells
        if self.left >= 0:
            return
        limit = Quantity(self.spent + self.left)
        if used.cells > self.spent + self.left:
            raise UnreadableFile(
                message(
                    "read.too_many_cells",
                    sheet=used.sheet,
                    cell=used.last_cell,
                    cells=Quantity(used.cells),
                    limit=limit,
                ),
                message("read.too_many_cells_fix"),
            )
        raise UnreadableFile(
            message("read.workbook_too_many_cells", cells=Quantity(self.spent), limit=limit),
            message("read.workbook_too_many_cells_fix"),
        )


def _megabytes(size: int) -> Quantity:
    return Quantity(round(size / 1024 / 1024, 1))


# ── .xlsx and .xlsm ───────────────────────────────────────────────────────────

# A cell reference past column Z or row 99,999. A stretch of XML without one spans at most Z99999.
_FAR_REFERENCE = re.compile(rb' r="(?:[A-Za-z]{2}|[A-Za-z]\d{6})')
# A cell's reference, and "/" when the cell closes at once (no value: only a format).
_CELL = re.compile(rb' r="([A-Za-z]+)(\d+)"[^>]*?(/?)>')
_FORMULA_END = re.compile(rb"</(?:\w+:)?f>")
_NEAR_ROWS, _NEAR_COLUMNS = 99_999, 26
_QUICK_FROM = 1024 * 1024  # bytes of XML: a smaller stretch is read cell by cell, which costs less than bounding it
_SHEET = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")


def _xlsx_ranges(archive: zipfile.ZipFile, names: set[str]) -> tuple[list[UsedRange], frozenset[str]]:
    """The used range of each worksheet the workbook lists, first bounded the quick way, then,
    when the quick bounds add up to more than the limit, exactly; and the sheets with formulas.

    A sheet's <dimension ref> is not used: it is what the file says, and a file that says A1:C2
    while holding a cell at XFD1048576 would have the reader build the 17 billion cells."""
    sheets = [(name, part) for name, part in sheet_parts(archive, names) if part in names]
    check_sheet_count(len(sheets))
    scans = {name: _scan_cells(archive, part, quick=True) for name, part in sheets}
    with_formulas = frozenset(name for name, scan in scans.items() if scan.formulas)
    quick = [UsedRange(name, scan.rows, scan.columns) for name, scan in scans.items()]
    if sum(used.cells for used in quick) <= MAX_CELLS:
        return quick, with_formulas
    exact = [(name, _scan_cells(archive, part, quick=False)) for name, part in sheets]
    return [UsedRange(name, scan.rows, scan.columns) for name, scan in exact], with_formulas


def sheet_parts(archive: zipfile.ZipFile, names: set[str] | None = None) -> list[tuple[str, str]]:
    """(sheet name, part) of each sheet of an .xlsx/.xlsm workbook, in order, read from the
    workbook part and its relationships with plain searches (no XML parser, so no entity of a
    hostile file is ever expanded)."""
    names = set(archive.namelist()) if names is None else names
    workbook = _office_document(archive, names)
    if workbook is None:
        return []
    folder = posixpath.dirname(workbook)
    relationships = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets = {}
    if relationships in names:
        for attributes in _RELATIONSHIP.findall(archive.read(relationships)):
            found = _attributes(attributes)
            targets[found.get("Id", "")] = _resolve(folder, found.get("Target", ""))
    sheets = []
    for attributes in _SHEET.findall(archive.read(workbook)):
        found = _attributes(attributes)
        sheets.append((html.unescape(found.get("name", "")), targets.get(found.get("id", ""), "")))
    return sheets


def _office_document(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The workbook part (xl/workbook.xml as Excel names it), from the package's relationships."""
    if "_rels/.rels" in names:
        for attributes in _RELATIONSHIP.findall(archive.read("_rels/.rels")):
            found = _attributes(attributes)
            if found.get("Type", "").endswith("/officeDocument"):
                part = _resolve("", found.get("Target", ""))
                return part if part in names else None
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _attributes(text: bytes) -> dict[str, str]:
    """The attributes of a tag by local name (r:id -> id)."""
    pairs = re.findall(rb'([\w:.-]+)\s*=\s*"([^"]*)"', text)
    return {name.decode().rsplit(":", 1)[-1]: value.decode("utf-8", "replace") for name, value in pairs}


def _resolve(folder: str, target: str) -> str:
    return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))


@dataclass(frozen=True)
class _Scan:
    rows: int  # the last row and column of the cells that hold something
    columns: int
    formulas: bool  # whether a formula closes in the XML (every formula cell has a </f>)


def _scan_cells(archive: zipfile.ZipFile, part: str, quick: bool) -> _Scan:
    """What a sheet's XML holds, read as it unpacks. `quick` bounds a big stretch of XML by
    Z99999 up to its first reference past Z99999, which spares reading each of its cells (so a
    big sheet costs little more than unpacking it); small stretches and what follows a far
    reference are read cell by cell. Rows are not taken from <row> tags: a cell may name any
    row, and the reader goes by the cells."""
    rows = columns = 0
    formulas = False
    for chunk in xml_chunks(archive, part):
        formulas = formulas or b"</f>" in chunk or (b":f>" in chunk and _FORMULA_END.search(chunk) is not None)
        if b' r="' not in chunk:
            continue
        if quick and len(chunk) >= _QUICK_FROM:
            far = _FAR_REFERENCE.search(chunk)
            rows, columns = max(rows, _NEAR_ROWS), max(columns, _NEAR_COLUMNS)
            if far is None:
                continue
            chunk = chunk[far.start() :]
        held = [(letters, digits) for letters, digits, empty in _CELL.findall(chunk) if not empty]
        if held:
            rows = max(rows, max(_row_number(digits) for _, digits in held))
            columns = max(columns, max(column_number(letters) for letters in {letters for letters, _ in held}))
    return _Scan(rows, columns, formulas)


def xml_chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """A part's XML, unpacked a few MB at a time, each chunk cut before the last tag it starts
    (which begins the next chunk), so no tag is split."""
    carried = b""
    with archive.open(part) as stream:
        while block := stream.read(_CHUNK):
            chunk = carried + block
            cut = chunk.rfind(b"<")
            if cut <= 0:
                cut = len(chunk)
            yield chunk[:cut]
            carried = chunk[cut:]
    if carried:
        yield carried


def _row_number(digits: bytes) -> int:
    return int(digits) if len(digits) <= 9 else 10**9  # a row number past any sheet's


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"Z" -> 26, b"AA" -> 27 (any case); past any sheet's for more than 6 letters."""
    if len(letters) > 6:
        return 10**9
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


# ── .ods ──────────────────────────────────────────────────────────────────────

_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_TABLE_NAME = re.compile(rb'table:name="([^"]*)"')


def _ods_ranges(archive: zipfile.ZipFile) -> list[UsedRange]:
    """The used range of each table, its repeated rows and cells counted as many times as they
    repeat; a run of empty rows or cells (how LibreOffice writes the rest of a sheet) uses nothing."""
    ranges: list[UsedRange] = []
    name, rows, columns = "", 0, 0  # the table being read
    row, repeat, column, row_columns = 0, 1, 0, 0  # the row being read: its number, repeats, cells
    for chunk in xml_chunks(archive, "content.xml"):
        for closing, tag, attributes, empty in _ODS_TAG.findall(chunk):
            if tag == b"table":
                if not closing:
                    found = _TABLE_NAME.search(attributes)
                    name = html.unescape(found[1].decode("utf-8", "replace")) if found else ""
                    rows, columns, row = 0, 0, 0
                if closing or empty:
                    ranges.append(UsedRange(name, rows, columns))
            elif tag == b"table-row":
                if not closing:
                    repeat, column, row_columns = _repeats(_ROWS_REPEATED, attributes), 0, 0
                if closing or empty:
                    if row_columns:
                        rows, columns = row + repeat, max(columns, row_columns)
                    row += repeat
            elif not closing:
                count = _repeats(_COLUMNS_REPEATED, attributes)
                if not empty or b"value-type=" in attributes:
                    row_columns = column + count
                column += count
    return ranges


def _repeats(pattern: re.Pattern, attributes: bytes) -> int:
    found = pattern.search(attributes)
    return _row_number(found[1]) if found else 1
