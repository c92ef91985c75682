"""Read uploaded bytes into raw grids of cells, one per sheet.

Workbooks (XLSX, XLSM, XLS, ODS) go through python-calamine, which reads formulas as their
cached values and is about 15x faster than openpyxl; formulas saved without a value are
found in the sheet XML (vawmap/ingest/formulas.py), so they can be named. CSV files are
decoded (UTF-16 with or without a byte order mark, UTF-8, UTF-8 with BOM, then
Windows-1252/Latin-1) and their delimiter is sniffed. Anything that cannot be read raises
`UnreadableFile` with a message a person can act on (a `Message`, worded by the edges).

CSV cells are parsed by Arrow (pyarrow.csv, multi-threaded C++), the title rows above the
header by Python's csv module. Arrow wants every row as wide as the header: a ragged row, a
quote never closed or anything else it refuses sends the whole file through the csv module,
which reads what Arrow reads the same way (tests/test_csv_scale.py compares the two).
Browser uploads are refused above UPLOAD_LIMIT_MB; local files (the CLI) have no size limit,
only the cell budget of their grid (vawmap/ingest/bounds.py), counted before the cells
become a DataFrame.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as arrow_csv
import python_calamine

from vawmap.ingest import bounds
from vawmap.ingest.bounds import CellBudget, UsedRange, check_sheet_count, check_workbook
from vawmap.ingest.formulas import unsaved_formulas
from vawmap.ingest.problems import UnreadableFile, plain_number
from vawmap.messages import Quantity, message

# Keep in step with server.maxUploadSize in .streamlit/config.toml (tests check it).
UPLOAD_LIMIT_MB = 50
CSV_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 40  # the first lines, where the title rows and the header are
# Read after a CSV text, to tell a quote never closed (it swallows this line) from a file that ends well.
# Private-use characters: no real file ends with this line.
_CSV_END = "\ue000vawmap: end of file\ue000"
# UTF-16 without a byte order mark: how much to look at, and the shares of NUL bytes that tell it.
_UTF16_SAMPLE = 4096
_UTF16_NUL_SHARE = 0.25  # at least this share of the high bytes is NUL (Latin text: nearly all)
_UTF16_STRAY_NUL_SHARE = 0.01  # at most this share of the low bytes is NUL (U+0100, U+0200... are rare)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_SPREADSHEETS = {  # leading bytes -> what the file really is (keys of [read.file_kind])
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"%PDF": "pdf",
    b"\x1f\x8b": "gzip",
    b"Rar!": "rar",
    b"7z\xbc\xaf": "seven_zip",
}


@dataclass(frozen=True)
class RawSheet:
    """The cells of one sheet. Row i of `cells` is Excel row i + 1; column j is column j + 1."""

    file: str
    name: str
    cells: pd.DataFrame
    hidden: bool = False
    formulas: frozenset[tuple[int, int]] = frozenset()  # (row, column) of formulas saved without a value


def prefer_system_allocator() -> None:
    """Arrow's buffers from the C library's malloc rather than the mimalloc pyarrow bundles.
    Measured with a 1M-row CSV through `gaps` in fresh processes: the same peak memory and a
    quarter less CPU time (mimalloc pays on the first touch of every page a large file needs).
    Process-wide, so the CLI calls it, never an import; the app's upload check reads in a child
    process that sets the same pool (ARROW_DEFAULT_MEMORY_POOL, vawmap/ingest/isolated.py)."""
    pa.set_memory_pool(pa.system_memory_pool())


def read_upload(file_name: str, data: bytes, *, local: bool = False) -> list[RawSheet]:
    """Every sheet of a file, or UnreadableFile. A browser upload (the default) is refused
    above UPLOAD_LIMIT_MB; a `local` file, read from disk by the CLI, may be of any size."""
    if len(data) == 0:
        raise UnreadableFile(message("read.empty"), message("read.empty_fix"))
    if not local and len(data) > UPLOAD_LIMIT_MB * 1024 * 1024:
        size = math.ceil(len(data) / 1024 / 1024 * 10) / 10  # rounded up: never "50 MB, over the 50 MB limit"
        raise UnreadableFile(
            message("read.too_large", size=plain_number(size), limit=plain_number(UPLOAD_LIMIT_MB)),
            message("read.too_large_fix"),
        )
    for magic, kind in NOT_SPREADSHEETS.items():
        if data.startswith(magic):
            raise UnreadableFile(
                message("read.not_spreadsheet", what=message(f"read.file_kind.{kind}")), message("read.save_as_fix")
            )
    if data.startswith((b"PK\x03\x04", _OLE_MAGIC)):
        return _read_workbook(file_name, data)
    return [read_csv(file_name, data, local=local)]


def _read_workbook(file_name: str, data: bytes) -> list[RawSheet]:
    is_xls = data.startswith(_OLE_MAGIC)
    if is_xls and "EncryptionInfo".encode("utf-16-le") in data:
        raise UnreadableFile(message("read.password"), message("read.password_fix"))
    try:
        with_formulas = check_workbook(data, is_xls)  # before parsing: what it asks for (vawmap/ingest/bounds.py)
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        check_sheet_count(len(workbook.sheets_metadata))
        budget = CellBudget()
        sheets = [_read_sheet(file_name, workbook, meta, budget) for meta in workbook.sheets_metadata]
    except UnreadableFile:  # past a limit (vawmap/ingest/bounds.py): said as it is
        raise
    except python_calamine.PasswordError:
        raise UnreadableFile(message("read.password"), message("read.password_fix")) from None
    except Exception as error:  # calamine raises several kinds for broken files
        raise UnreadableFile(
            message("read.broken_workbook", detail=_short(error)), message("read.broken_workbook_fix")
        ) from None
    if not data.startswith(b"PK\x03\x04"):
        return sheets  # XLS and ODS files always store the value of their formulas
    formulas = unsaved_formulas(data, with_formulas)
    return [_with_formulas(sheet, formulas.get(sheet.name, frozenset())) for sheet in sheets]


def _with_formulas(sheet: RawSheet, formulas: frozenset[tuple[int, int]]) -> RawSheet:
    """The sheet knowing its formulas saved without a value. calamine reads them as empty and
    leaves them out where they end the sheet, so the grid grows to hold them (as empty cells)."""
    if not formulas:
        return sheet
    cells = sheet.cells
    height = max(len(cells), max(row for row, _ in formulas) + 1)
    width = max(cells.shape[1], max(column for _, column in formulas) + 1)
    if (height, width) != cells.shape:
        cells = cells.reindex(index=range(height), columns=range(width), fill_value="")
    return replace(sheet, cells=cells, formulas=formulas)


def _read_sheet(file_name: str, workbook, meta, budget: CellBudget) -> RawSheet:
    sheet = workbook.get_sheet_by_name(meta.name)
    if sheet.end is not None:  # the grid from A1 to the last cell, counted before it becomes Python objects
        budget.spend(UsedRange(meta.name, sheet.end[0] + 1, sheet.end[1] + 1))
    rows = sheet.to_python(skip_empty_area=False)
    cells = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
    _fill_merged_cells(cells, sheet.merged_cell_ranges or [])
    hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
    return RawSheet(file_name, meta.name, cells, hidden)


def _fill_merged_cells(cells: pd.DataFrame, merged_ranges) -> None:
    """Give every cell of a merged range the value of its top-left cell, as a reader sees it."""
    height, width = cells.shape
    for (top, left), (bottom, right) in merged_ranges:
        if top >= height or left >= width:
            continue
        bottom, right = min(bottom, height - 1), min(right, width - 1)
        cells.iloc[top : bottom + 1, left : right + 1] = cells.iat[top, left]


def read_csv(file_name: str, data: bytes, *, local: bool = False, use_arrow: bool = True) -> RawSheet:
    """The cells of a CSV file: through Arrow when it can read them (`use_arrow`), else through
    the csv module. Both give the same grid: every row as wide as the widest, blanks as ""."""
    csv.field_size_limit(max(csv.field_size_limit(), csv_field_limit(len(data))))
    limit = bounds.CSV_LOCAL_MAX_CELLS if local else bounds.CSV_UPLOAD_MAX_CELLS
    name = PurePath(file_name).stem
    utf8 = _utf8_body(data) if use_arrow else None
    if utf8 is not None:
        # UTF-8 bytes go to Arrow as they are: only the first lines are decoded (to sniff the
        # delimiter and find the header), not the whole file into a second copy.
        if b"\x00" in data:
            raise UnreadableFile(message("read.binary"), message("read.save_as_fix"))
        head = _head_of_utf8(utf8)
        table = _arrow_grid(head, *_sniff(head), utf8)
        if table is not None:
            return _arrow_sheet(file_name, name, table, limit)
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(message("read.binary"), message("read.save_as_fix"))
    delimiter, width = _sniff(text)
    table = _arrow_grid(text, delimiter, width) if use_arrow and utf8 is None else None
    if table is not None:
        del text  # the grid holds the cells now; the text is the size of the file again
        return _arrow_sheet(file_name, name, table, limit)
    try:
        rows = _csv_rows(text, delimiter)
    except csv.Error as error:
        raise UnreadableFile(message("read.broken_csv", detail=_short(error)), message("read.broken_csv_fix")) from None
    width = max((len(row) for row in rows), default=0)
    _check_csv_cells(len(rows), width, limit)  # before the rows are padded to a grid
    padded = [row + [""] * (width - len(row)) for row in rows]
    cells = pd.DataFrame(padded, dtype=object) if padded else pd.DataFrame(dtype=object)
    return RawSheet(file_name, name, cells)


def _arrow_sheet(file_name: str, name: str, table: pa.Table, limit: int) -> RawSheet:
    _check_csv_cells(table.num_rows, table.num_columns, limit)
    cells = table.to_pandas()  # large_string columns become pandas strings without a copy
    cells.columns = range(table.num_columns)
    return RawSheet(file_name, name, cells)


def _utf8_body(data: bytes) -> memoryview | None:
    """The bytes of a UTF-8 file without its byte order mark, when the whole file is UTF-8 and
    does not look like UTF-16 (whose Latin text is valid UTF-8 too). Arrow checks the bytes
    (SIMD), which is about seven times faster than decoding them into a Python string."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data):
        return None
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return None
    return memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else memoryview(data)


def _head_of_utf8(utf8: memoryview) -> str:
    """The text of the first _SNIFF_LINES lines of UTF-8 bytes (all of them when fewer), as
    _head gives them from the whole text."""
    data = utf8.obj
    assert isinstance(data, bytes)
    skip = len(data) - len(utf8)  # the byte order mark
    end = skip
    for _ in range(_SNIFF_LINES):
        found = data.find(b"\n", end)
        if found < 0:
            return bytes(utf8).decode("utf-8")
        end = found + 1
    return data[skip:end].decode("utf-8")


def _arrow_grid(text: str, delimiter: str, width: int, utf8: bytes | memoryview | None = None) -> pa.Table | None:
    """The cells of the text as an Arrow table of `width` string columns, the title rows above
    the header read by the csv module; None when Arrow cannot read it as Python's csv module
    would (a row of another width below the header, a quote never closed, a parse error).
    `utf8`: the text's own bytes when it was UTF-8, without a byte order mark."""
    if width < 2:
        return None
    lead, start = _lead_rows(text, delimiter, width)
    if lead is None:
        return None
    start = len(text[:start].encode("utf-8"))  # in bytes
    if utf8 is None:
        utf8 = text.encode("utf-8")
    ended = bytes(utf8[-1:]) in (b"\n", b"\r")
    # A last row of our own: when a quote is never closed it is swallowed into a cell, and the
    # csv module (the fallback) names the line where the quote opened.
    end_row = ("" if ended else "\n") + _CSV_END + delimiter * (width - 1) + "\n"
    # Buffered: each of Arrow's reads is filled across the parts (a first read of the first part
    # alone, a single line, made Arrow refuse what it reads from one buffer).
    body = io.BufferedReader(_Chained(memoryview(utf8)[start:], end_row.encode("utf-8")), buffer_size=1 << 20)
    try:  # a row of another width raises (the csv module pads it, Arrow cannot)
        table = arrow_csv.read_csv(
            body,
            read_options=arrow_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=arrow_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types={f"f{i}": pa.large_string() for i in range(width)},  # pandas strings as they are
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException, ValueError):
        return None
    if table.num_rows == 0 or table.column(0)[-1].as_py() != _CSV_END:
        return None
    table = table.slice(0, table.num_rows - 1)
    if lead:
        head = pa.table({f"f{i}": [row[i] if i < len(row) else "" for row in lead] for i in range(width)})
        table = pa.concat_tables([head.cast(table.schema), table])
    return table


class _Chained(io.RawIOBase):
    """Bytes read one after the other, as one stream, without joining them into a copy (a
    copy of a large file is as much memory again, touched once)."""

    def __init__(self, *parts: bytes | memoryview) -> None:
        self._parts = [memoryview(part) for part in parts]
        self._part = self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._part < len(self._parts):
            part = self._parts[self._part]
            if self._position < len(part):
                size = min(len(buffer), len(part) - self._position)
                buffer[:size] = part[self._position : self._position + size]
                self._position += size
                return size
            self._part, self._position = self._part + 1, 0
        return 0


def _check_csv_cells(rows: int, columns: int, limit: int) -> None:
    """UnreadableFile when the grid of a CSV file (its rows by its widest row) is over the limit."""
    if rows * columns > limit:
        raise UnreadableFile(
            message(
                "read.csv_too_many_cells",
                rows=Quantity(rows),
                columns=Quantity(columns),
                cells=Quantity(rows * columns),
                limit=Quantity(limit),
            ),
            message("read.csv_too_many_cells_fix"),
        )


def _lead_rows(text: str, delimiter: str, width: int) -> tuple[list[list[str]] | None, int]:
    """The rows above the first row `width` cells wide (title rows, blank lines), parsed by the
    csv module, and where that row starts in the text. (None, 0) when a title row spans lines
    or is wider than the header: the csv module reads such a file whole."""
    lead: list[list[str]] = []
    start = 0
    for line in itertools.islice(io.StringIO(_head(text), newline=""), _SNIFF_LINES):
        rows = list(csv.reader([line], delimiter=delimiter))
        if len(rows) > 1 or (rows and '"' in line and line.count('"') % 2):
            return None, 0  # a quoted cell spanning lines
        row = rows[0] if rows else []
        if len(row) == width:
            return lead, start
        if len(row) > width:
            return None, 0
        lead.append(row)
        start += len(line)
    return None, 0


def csv_field_limit(size: int = 0) -> int:
    """The longest cell a CSV file may hold, in characters: the file itself, at the upload
    limit or at its own size when larger (a local file); csv's default, 131,072, refuses long
    notes that Excel writes without complaint."""
    return max(int(UPLOAD_LIMIT_MB * 1024 * 1024), size)


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    """The rows of a CSV text. A quote mark opened and never closed would silently turn the
    rest of the file into one cell: a last line no file has is read after the text, and
    when it does not come back as a row of its own, the quote that swallowed it is named."""
    ended = text if not text or text.endswith(("\n", "\r")) else text + "\n"
    reader = csv.reader(io.StringIO(ended + _CSV_END, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines_read = last_row_line = 0
    for row in reader:
        rows.append(row)
        last_row_line, lines_read = lines_read + 1, reader.line_num
    if rows.pop() != [_CSV_END]:
        raise UnreadableFile(message("read.unclosed_quote", line=last_row_line), message("read.unclosed_quote_fix"))
    return rows


def _decode(data: bytes) -> str:
    """The text of a CSV file, in the first encoding that reads it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # a UTF-16 mark on bytes that are not UTF-16 (odd length, lone surrogates): try the others
    if encoding := _utf16_without_bom(data):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):  # cp1252: Excel's "CSV" on Windows in Western Europe and the Americas
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")  # never fails: every byte is a character


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text saved without a byte
    order mark. Delimiters, digits, line ends and Latin letters are all below U+0100, so
    their high byte is NUL: in little-endian text many odd bytes are NUL and (almost) no
    even one, in big-endian text the other way round. Binary files have NULs on both sides."""
    sample = data[: _UTF16_SAMPLE - _UTF16_SAMPLE % 2]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= pairs * _UTF16_NUL_SHARE and even <= pairs * _UTF16_STRAY_NUL_SHARE:
        return "utf-16-le"
    if even >= pairs * _UTF16_NUL_SHARE and odd <= pairs * _UTF16_STRAY_NUL_SHARE:
        return "utf-16-be"
    return None


def _sniff(text: str) -> tuple[str, int]:
    """The delimiter that splits the most of the first lines into the same number of cells
    (more than one), the widest split on a tie; ',' when in doubt. Counting lines that agree,
    not the fewest splits, keeps one long note full of ';' from outvoting the header.
    Returns the delimiter and that number of cells (0 when no lines agree)."""
    head = itertools.islice(io.StringIO(_head(text), newline=None), _SNIFF_LINES)
    lines = [line for line in head if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        widths = Counter(len(next(csv.reader([line], delimiter=delimiter))) for line in lines)
        agreeing = [(lines_of_width, width) for width, lines_of_width in widths.items() if width > 1]
        score = max(agreeing, default=(0, 0))
        if score > best_score:
            best, best_score = delimiter, score
    return best, best_score[1]


def _head(text: str) -> str:
    """The first _SNIFF_LINES lines of the text (without copying the rest of a large file)."""
    end = 0
    for _ in range(_SNIFF_LINES):
        found = text.find("\n", end)
        if found < 0:
            return text  # fewer lines (or lines ended by "\r" alone): the islice callers stop
        end = found + 1
    return text[:end]


def _short(error: Exception) -> str:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return detail[:160]
