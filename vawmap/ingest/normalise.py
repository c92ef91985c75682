"""Turn raw cell values into clean typed columns.

Every converter works on the *distinct* values of a column (a 100,000-row column usually
holds a few dozen), then spreads the results back with the factorize codes. A value that
cannot be understood comes back in `Unparsed` with the positions of the rows that hold it,
so one message can name every row.

Single-valued vocabulary cells are matched here but an unknown value is left as written:
the pandera schema then rejects it, with a suggestion (schemas.py, problems come out there).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from vawmap.cells import LIST_JOIN, is_blank
from vawmap.contract import ColumnSpec
from vawmap.vocab import text_key, vocabulary, yes_no_lookup

_SPACES = re.compile(r"\s+")
_THOUSANDS_PATTERN = r"^[+-]?\d{1,3}([ ,.'’]\d{3})+$"
_THOUSANDS = re.compile(_THOUSANDS_PATTERN)
# A number as Python's float() and Arrow's cast read it alike (no spaces, commas or "_"), which
# is not also a number with thousands separators ("30.415"): parsed by Arrow, all at once.
_PLAIN_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_LIST_SEPARATOR = re.compile(r"[;\n]")
# In a decimal column (coordinates) "-18.828" is a decimal point, not thousands: one point
# group reads as thousands only where whole numbers are expected ("1.200" people).
_ONE_POINT_GROUP = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_DAY_FIRST_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EARLIEST, _LATEST = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")


# Why a value did not convert: each is a key of [problem] in the catalogues, and so is its
# "_fix", except for unknown_item, whose fix names the vocabulary's values.
REASONS = ("not_number", "not_whole", "not_too_large", "not_date", "not_yes_no", "unknown_item")


class _Bad:
    """Marks a value that could not be converted; `why` is one of REASONS."""

    def __init__(self, why: str, item: str | None = None) -> None:
        self.why, self.item = why, item


@dataclass
class Unparsed:
    """A distinct raw value that did not convert, and where it stands."""

    value: object
    positions: np.ndarray  # row positions in the frame
    why: str  # one of REASONS
    item: str | None = None  # for lists: the one item that was not recognised


def _map_distinct(
    raw: pd.Series, convert: Callable[[object], object], whole: bool | None = None
) -> tuple[list, np.ndarray, list]:
    """Apply `convert` to each distinct non-blank value: (results per code, codes, distinct values).
    For a number column (`whole` not None) the plain numbers are converted by Arrow first."""
    codes, distinct = pd.factorize(raw, use_na_sentinel=True)
    values = distinct.tolist()  # list() would step through an Arrow-backed index value by value
    results = _plain_numbers(values, whole) if whole is not None else [_UNSET] * len(values)
    for code, value in enumerate(values):
        if results[code] is _UNSET:
            results[code] = None if is_blank(value) else convert(value)
    return results, codes, values


_UNSET = object()


def _plain_mask(texts) -> np.ndarray:
    """Which texts are plain numbers (as float() and Arrow's cast read them alike), not numbers
    with thousands separators: False for blanks and missing values."""
    plain = pc.and_kleene(
        pc.match_substring_regex(texts, _PLAIN_NUMBER), pc.invert(pc.match_substring_regex(texts, _THOUSANDS_PATTERN))
    )
    return plain.fill_null(False).to_numpy(zero_copy_only=False)


def _plain_numbers(values: list, whole: bool) -> list:
    """What to_number gives for each value that is text written as a plain number; _UNSET for
    the others (numbers from a workbook, blanks, "12,5", "1 000", "30.415"), left to to_number."""
    texts = pa.array([value if type(value) is str else None for value in values], type=pa.string())
    where = np.flatnonzero(_plain_mask(texts))
    results = np.full(len(values), _UNSET, dtype=object)
    if not len(where):
        return results.tolist()
    try:
        numbers = pc.cast(texts.take(pa.array(where)), pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # a form the pattern lets through and Arrow refuses: to_number decides
        return [_UNSET] * len(values)
    converted = np.empty(len(where), dtype=object)
    finite = np.isfinite(numbers)
    converted[~finite] = _Bad("not_number")
    if whole:
        integral = finite & (np.mod(np.where(finite, numbers, 0), 1) == 0)
        fits = integral & (np.abs(numbers) < 2**63)
        converted[finite & ~integral] = _Bad("not_whole")
        converted[integral & ~fits] = _Bad("not_too_large")
        converted[fits] = numbers[fits].astype(np.int64).tolist()
    else:
        converted[finite] = numbers[finite].tolist()
    results[where] = converted
    return results.tolist()


def text_by_codes(texts: list, codes: np.ndarray) -> pd.Series:
    """A string column: row i holds texts[codes[i]], missing where the code is -1 or the text None.
    Taken by Arrow from the few distinct texts, never through a million Python objects."""
    lookup = pa.array([*texts, None], type=pa.large_string())
    positions = pa.array(np.where(codes < 0, len(texts), codes))
    return pd.Series(pd.arrays.ArrowStringArray(lookup.take(positions)))


def _spread(results: list, codes: np.ndarray, dtype: str) -> pd.Series:
    """The column: each distinct result converted to `dtype` once, then taken by the codes."""
    clean = [None if isinstance(result, (_Bad, list)) else result for result in results]
    if dtype == "string":
        return text_by_codes(clean, codes)
    lookup = pd.Series(clean + [None], dtype=object).astype(dtype)  # code -1 (blank) takes the last slot
    return lookup.take(codes).reset_index(drop=True)


def _as_written(raw: pd.Series, results: list, codes: np.ndarray, distinct: list) -> pd.Series | None:
    """The column of Arrow text itself, its blank cells made missing, when every clean value is
    the value as written (names, places, codes already canonical: most text columns). No cell is
    copied: spreading a million results back would copy every string. None when any value changes."""
    if not _arrow_text(raw):
        return None
    blank_codes = []
    for code, (result, value) in enumerate(zip(results, distinct)):
        if result is None or isinstance(result, _Bad):
            blank_codes.append(code)
        elif result != value:
            return None
    texts = pa.array(raw.array)
    missing = codes < 0
    if blank_codes:
        missing |= np.isin(codes, blank_codes)
    if missing.any():
        texts = pc.if_else(pa.array(missing), pa.scalar(None, texts.type), texts)
    return pd.Series(pd.arrays.ArrowStringArray(pc.cast(texts, pa.large_string())))


def _collect(results: list, codes: np.ndarray, distinct: list) -> list[Unparsed]:
    # A list result is [clean value, *problems] (vocab_list), made only when an item is bad.
    bad_codes = [code for code, result in enumerate(results) if type(result) is _Bad or type(result) is list]
    if not bad_codes:
        return []
    # The rows of each bad code from one stable sort, not one scan of the column per code.
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.searchsorted(sorted_codes, bad_codes, side="left")
    ends = np.searchsorted(sorted_codes, bad_codes, side="right")
    unparsed = []
    for code, start, end in zip(bad_codes, starts.tolist(), ends.tolist()):
        result = results[code]
        bads = result if isinstance(result, list) else [result]
        for bad in bads:
            if isinstance(bad, _Bad):
                unparsed.append(Unparsed(distinct[code], order[start:end], bad.why, bad.item))
    return unparsed


def clean_text(value: object) -> str | None:
    """Text as a person means it: numbers without '.0', runs of spaces folded."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    text = _SPACES.sub(" ", str(value)).strip()
    return text or None


def to_number(value: object, whole: bool) -> float | int | _Bad:
    if isinstance(value, bool):
        return _Bad("not_number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
        if _THOUSANDS.match(text) and not (not whole and _ONE_POINT_GROUP.match(text)):
            text = re.sub(r"[ ,.'’]", "", text)
        elif text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # decimal comma: 12,5
        try:
            number = float(text.replace(" ", ""))
        except ValueError:
            return _Bad("not_number")
    if not math.isfinite(number):
        return _Bad("not_number")
    if whole:
        if not number.is_integer():
            return _Bad("not_whole")
        # The column is Int64: 2**63 and beyond cannot be held (hypothesis found 9223372036854775296).
        return int(number) if abs(number) < 2**63 else _Bad("not_too_large")
    return number


def to_date(value: object) -> pd.Timestamp | _Bad:
    parsed = _parse_date(value)
    # The column is datetime64[ns]: a date outside 1677-2262 cannot be held, so it is no date here.
    if isinstance(parsed, pd.Timestamp) and not (_EARLIEST <= parsed <= _LATEST):
        return _Bad("not_date")
    return parsed


def _parse_date(value: object) -> pd.Timestamp | _Bad:
    if isinstance(value, (dt.datetime, dt.date)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial day number stored as a plain number
            return pd.Timestamp(_EXCEL_EPOCH + dt.timedelta(days=float(value))).normalize()
        return _Bad("not_date")
    text = str(value).strip()
    try:
        return pd.Timestamp(dt.date.fromisoformat(text[:10]))
    except ValueError:
        pass
    for pattern in _DAY_FIRST_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, pattern))
        except ValueError:
            continue
    return _Bad("not_date")


def to_yes_no(value: object) -> bool | _Bad:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    answer = yes_no_lookup().get(text_key(value))
    return _Bad("not_yes_no") if answer is None else answer


def split_list(value: object) -> list[str]:
    """Items of a list cell: separated by ';' (or new lines); by ',' when there is no ';'."""
    text = str(value)
    parts = _LIST_SEPARATOR.split(text) if _LIST_SEPARATOR.search(text) else text.split(",")
    return [item for item in (clean_text(part) for part in parts) if item]


def _vocab_list(vocab: str) -> Callable[[object], object]:
    values = vocabulary(vocab)

    def convert(value: object) -> str | list | None:
        known: list[str] = []
        bad: list[_Bad] = []
        for item in split_list(value):
            match = values.match(item)
            if match is None:
                bad.append(_Bad("unknown_item", item))
            elif match not in known:
                known.append(match)
        joined = LIST_JOIN.join(known) or None
        return [joined, *bad] if bad else joined

    return convert


def _vocab(vocab: str) -> Callable[[object], object]:
    values = vocabulary(vocab)

    def convert(value: object) -> str | None:
        text = clean_text(value)
        return values.match(text) or text  # unknown stays as written, for the schema to reject

    return convert


def _list_text(value: object) -> str | None:
    return LIST_JOIN.join(split_list(value)) or None


_CONVERTERS: dict[str, tuple[Callable[[ColumnSpec], Callable[[object], object]], str]] = {
    "text": (lambda spec: clean_text, "string"),
    "id": (lambda spec: clean_text, "string"),
    "region": (lambda spec: clean_text, "string"),
    "actor": (lambda spec: clean_text, "string"),
    "actor_list": (lambda spec: _list_text, "string"),
    "vocab": (lambda spec: _vocab(spec.vocabulary), "string"),
    "vocab_list": (lambda spec: _vocab_list(spec.vocabulary), "string"),
    "yes_no": (lambda spec: to_yes_no, "boolean"),
    "integer": (lambda spec: lambda value: to_number(value, whole=True), "Int64"),
    "number": (lambda spec: lambda value: to_number(value, whole=False), "Float64"),
    "date": (lambda spec: to_date, "datetime64[ns]"),
}


def column_dtype(spec: ColumnSpec) -> str:
    return _CONVERTERS[spec.kind][1]


def normalise_column(raw: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, list[Unparsed]]:
    """The clean column and the distinct values that could not be understood."""
    whole = {"integer": True, "number": False}.get(spec.kind)
    if whole is not None and _arrow_text(raw):
        return _text_numbers(raw, spec, whole)
    return _by_distinct_value(raw, spec)


def _arrow_text(raw: pd.Series) -> bool:
    """Whether the column is text held by Arrow (a CSV read by Arrow)."""
    return isinstance(raw.dtype, pd.StringDtype) and raw.dtype.storage == "pyarrow"


def _text_numbers(raw: pd.Series, spec: ColumnSpec, whole: bool) -> tuple[pd.Series, list[Unparsed]]:
    """A number column of text, converted row by row by Arrow where each cell is a plain number
    (or empty), the other cells by value as _by_distinct_value converts them. A coordinate
    column holds nearly as many distinct values as rows: converting each in Python is slow."""
    texts = pa.array(raw.array)
    blank = pc.equal(texts, "").fill_null(True)
    empty = blank.to_numpy(zero_copy_only=False)
    values = _cast_all(texts, blank, whole)
    if values is not None:
        plain = ~empty
    else:
        plain = _plain_mask(texts)
        numbers = pc.cast(pc.if_else(plain, texts, pa.scalar(None, texts.type)), pa.float64())
        values = numbers.to_numpy(zero_copy_only=False)
    done = plain & np.isfinite(values)
    if whole:
        done &= (np.mod(np.where(done, values, 0), 1) == 0) & (np.abs(np.where(done, values, 0)) < 2**63)
    done_or_empty = done | empty
    rest = np.flatnonzero(~done_or_empty)
    mask = ~done
    unparsed: list[Unparsed] = []
    if len(rest):  # the cells Arrow does not convert as to_number would: by value, the usual way
        converted, unparsed = _by_distinct_value(raw.iloc[rest].reset_index(drop=True), spec)
        got = converted.notna().to_numpy()
        values = values if values.flags.writeable else values.copy()  # Arrow's numbers may be its own memory
        values[rest[got]] = converted.to_numpy(dtype="float64", na_value=np.nan)[got]
        mask[rest[got]] = False
        unparsed = [replace(item, positions=rest[item.positions]) for item in unparsed]
    filled = np.where(mask, 0, values)
    array = (
        pd.arrays.IntegerArray(filled.astype(np.int64), mask)
        if whole
        else pd.arrays.FloatingArray(filled.astype(np.float64), mask)
    )
    return pd.Series(array, index=raw.index), unparsed


def _cast_all(texts: pa.Array, blank: pa.Array, whole: bool) -> np.ndarray | None:
    """Every non-empty cell read as a number by one Arrow cast, when Arrow reads them all (a
    clean column: no regular expression over a million cells); blanks are NaN. None when it
    cannot, or when the column holds a point where whole numbers are expected ("1.200" people is
    1,200: the pattern path decides). Where Arrow reads a cell that is no plain number ("inf",
    "nan"), it reads it as no finite number: the cell is converted by value."""
    if whole and pc.any(pc.match_substring(texts, ".")).as_py():
        return None
    try:
        numbers = pc.cast(pc.if_else(blank, pa.scalar(None, texts.type), texts), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return numbers.to_numpy(zero_copy_only=False)


def _by_distinct_value(raw: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, list[Unparsed]]:
    make_converter, dtype = _CONVERTERS[spec.kind]
    whole = {"integer": True, "number": False}.get(spec.kind)
    results, codes, distinct = _map_distinct(raw, make_converter(spec), whole)
    if spec.kind == "vocab_list":  # a list result is [clean value, *problems]
        results_clean = [result[0] if isinstance(result, list) else result for result in results]
    else:
        results_clean = results
    as_written = _as_written(raw, results_clean, codes, distinct) if dtype == "string" else None
    column = as_written if as_written is not None else _spread(results_clean, codes, dtype)
    column.index = raw.index
    return column, _collect(results, codes, distinct)


_MASKED = {
    "Int64": (pd.arrays.IntegerArray, np.int64),
    "Float64": (pd.arrays.FloatingArray, np.float64),
    "boolean": (pd.arrays.BooleanArray, bool),
}


def empty_column(spec: ColumnSpec, length: int, index: pd.Index) -> pd.Series:
    """A column of the spec's type holding `length` missing values, made as arrays (a contract
    column a file does not have is as long as the file)."""
    dtype = column_dtype(spec)
    if dtype == "string":
        array = pd.arrays.ArrowStringArray(pa.nulls(length, pa.large_string()))
    elif dtype == "datetime64[ns]":
        array = np.full(length, np.datetime64("NaT"), dtype="datetime64[ns]")
    else:
        make, kind = _MASKED[dtype]
        array = make(np.zeros(length, dtype=kind), np.ones(length, dtype=bool))  # every value masked
    return pd.Series(array, index=index)
