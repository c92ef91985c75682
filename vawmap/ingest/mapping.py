"""Column and value mapping: what each source column and value of an upload means.

Real tables (a 3W, a 5W, a service list) do not follow the workbook contract. Each sheet gets
a `SheetMapping`: its table (decided by its columns, headers.locate), each source header ->
a canonical column or None (ignored), and for vocabulary columns each source value -> a
canonical value or None (set aside: "not a service for survivors"). A `Mapping` is those of
every sheet of an upload; ingest() proposes one when given none and reports the one it used,
so the user can change it (the Data page), save it as a profile (JSON or TOML) and apply it to
next month's table of the same shape (`--mapping FILE`).

The cluster trap: in a 3W the sector/cluster column holds humanitarian clusters. "Shelter"
there is housing, not safe accommodation; Health, Food, WASH... rows are not services for
survivors; GBV rows are `vaw_service_unspecified` unless the activity column names a type
(data/mapping.toml [cluster]).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from vawmap.contract import SheetSpec, sheets
from vawmap.ingest import headers
from vawmap.messages import Message, message
from vawmap.vocab import LANGUAGES, load_data_file, text_key, vocabulary

UNSPECIFIED = "vaw_service_unspecified"
CLUSTER = "cluster"
PROFILE_VERSION = 1
VALUE_CUTOFF = 88  # rapidfuzz ratio a value suggestion needs (only confident ones are offered)
AMBIGUITY_MARGIN = 5  # another value this close to the best makes a suggestion a guess: none is made
VALUES_SHOWN = 300  # distinct values listed per column, the most frequent first
_VALUE_KINDS = ("vocab",)


class ProfileError(ValueError):
    """A mapping profile that cannot be read (not JSON or TOML, or not the profile's shape);
    `message` says why."""

    def __init__(self, said: Message) -> None:
        super().__init__(said.key)
        self.message = said


# ── the extended contract: spellings of data/mapping.toml ──────────────────────


@lru_cache(maxsize=1)
def mapping_rules() -> dict:
    return load_data_file("mapping.toml")


def _keys(spellings: Iterable[str]) -> frozenset[str]:
    return frozenset(key for spelling in spellings for key in headers.header_keys(spelling) if key)


_EXTENDED: list[tuple[dict, dict]] = []  # (the contract's sheets, extended): rebuilt when the contract is


def mapping_specs() -> dict[str, SheetSpec]:
    """The contract's sheets with the header spellings and HXL hashtags of data/mapping.toml,
    and the columns it names that the contract lacks (a 3W's cluster, P-code, org type)."""
    base = sheets()
    if not _EXTENDED or _EXTENDED[0][0] is not base:
        _EXTENDED[:] = [(base, _extend(base))]
    return _EXTENDED[0][1]


def _extend(base: dict[str, SheetSpec]) -> dict[str, SheetSpec]:
    from vawmap.contract import ColumnSpec

    rules = mapping_rules()
    specs = {}
    for name, spec in base.items():
        columns = {}
        for column_name, column in spec.columns.items():
            extra = rules.get(name, {}).get("columns", {}).get(column_name, {})
            spellings = [column_name, *column.labels.values(), *extra.get("also", [])]
            columns[column_name] = replace(
                column,
                header_keys=column.header_keys | _keys(spellings),
                hxl=tuple(dict.fromkeys((*column.hxl, *extra.get("hxl", [])))),
            )
        for column_name, extra in rules.get(name, {}).get("columns", {}).items():
            if column_name in columns:
                continue
            labels = {language: extra.get(language, column_name) for language in LANGUAGES}
            columns[column_name] = ColumnSpec(
                name=column_name,
                kind="text",
                labels=labels,
                header_keys=_keys([column_name, *labels.values(), *extra.get("also", [])]),
                hxl=tuple(extra.get("hxl", ())),
            )
        specs[name] = replace(spec, columns=columns)
    return specs


def column_choices(table: str) -> list[str]:
    """The canonical columns a source column of this table can be mapped to."""
    return list(mapping_specs()[table].columns)


def value_choices(table: str, column: str) -> list[str]:
    """The canonical values a source value of this column can be mapped to."""
    if column == CLUSTER:
        return list(vocabulary("service_type").values)
    spec = sheets()[table].columns.get(column)
    return list(vocabulary(spec.vocabulary).values) if spec is not None and spec.kind in _VALUE_KINDS else []


def maps_values(table: str, column: str) -> bool:
    return bool(value_choices(table, column))


@lru_cache(maxsize=1)
def cluster_lookup() -> dict[str, str | None]:
    """Text key of a cluster's spelling -> the service type its rows are (None: set aside)."""
    rules = mapping_rules()["cluster"]
    lookup: dict[str, str | None] = {text_key(word): None for word in rules["not_for_survivors"]}
    lookup.update({text_key(word): UNSPECIFIED for word in rules[UNSPECIFIED]})
    return lookup


# ── the mapping values ────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SheetMapping:
    """What one sheet's columns and values mean. `found` (source values and their row counts)
    and `suggested` (confident fixes not yet accepted) describe the upload; they are not part
    of a profile."""

    file: str
    sheet: str
    table: str
    columns: dict[str, str | None]  # source header -> canonical column, None: ignored
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)  # column -> value -> canonical / None
    found: dict[str, dict[str, int]] = field(default_factory=dict, compare=False)
    suggested: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    proposed: bool = field(default=False, compare=False)  # made from the sheet, not asked for

    def profile(self) -> dict:
        """The JSON shape of `validate --json`'s "mapping" entries."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "table": self.table,
            "columns": dict(self.columns),
            "values": {column: dict(values) for column, values in self.values.items()},
        }

    def column_of(self, header: str) -> str | None:
        return self.columns.get(header)

    def header_of(self, column: str) -> str | None:
        return next((header for header, canonical in self.columns.items() if canonical == column), None)


@dataclass(frozen=True)
class Mapping:
    sheets: tuple[SheetMapping, ...] = ()
    # (file, sheet) of the sheets of the upload read as no table: the user may name one. Not
    # part of a profile.
    unrecognised: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def profile(self) -> list[dict]:
        return [item.profile() for item in self.sheets]

    def for_sheet(self, file: str, sheet: str, header_texts: Iterable[str] = ()) -> SheetMapping | None:
        """The mapping of a sheet: the one made for this file and sheet, else (next month's
        table of the same shape) the one whose headers are most found among the sheet's first
        cells (`header_texts`), at least half of them."""
        for item in self.sheets:
            if item.file == file and item.sheet == sheet:
                return item
        keys = {text_key(text) for text in header_texts if str(text).strip()}
        if not keys:
            return None
        best, best_share = None, 0.5
        for item in self.sheets:
            share = len(keys & {text_key(header) for header in item.columns}) / max(len(item.columns), 1)
            if share >= best_share:
                best, best_share = item, share
        return best

    def with_sheet(self, item: SheetMapping) -> Mapping:
        kept = tuple(other for other in self.sheets if (other.file, other.sheet) != (item.file, item.sheet))
        return Mapping((*kept, item), self.unrecognised)

    def with_table(self, file: str, sheet: str, table: str) -> Mapping:
        """The sheet read as another table (or as one, when it was read as none), its columns
        proposed anew for it."""
        item = self._item(file, sheet)
        if (item is None and (file, sheet) not in self.unrecognised) or (item is not None and item.table == table):
            return self
        return self.with_sheet(SheetMapping(file, sheet, table, {}))

    def with_column(self, file: str, sheet: str, header: str, canonical: str | None) -> Mapping:
        item = self._item(file, sheet)
        if item is None or item.columns.get(header, "\0") == canonical:
            return self
        return self.with_sheet(replace(item, columns={**item.columns, header: canonical}))

    def with_value(self, file: str, sheet: str, column: str, value: str, canonical: str | None) -> Mapping:
        """`value` of `column` mapped to `canonical` (None: set aside)."""
        item = self._item(file, sheet)
        if item is None:
            return self
        values = {name: dict(found) for name, found in item.values.items()}
        values.setdefault(column, {})[value] = canonical
        return self.with_sheet(replace(item, values=values))

    def without_value(self, file: str, sheet: str, column: str, value: str) -> Mapping:
        item = self._item(file, sheet)
        if item is None or value not in item.values.get(column, {}):
            return self
        values = {
            name: {k: v for k, v in found.items() if (name, k) != (column, value)}
            for name, found in item.values.items()
        }
        return self.with_sheet(replace(item, values={name: found for name, found in values.items() if found}))

    def _item(self, file: str, sheet: str) -> SheetMapping | None:
        return next((item for item in self.sheets if (item.file, item.sheet) == (file, sheet)), None)


# ── proposing ─────────────────────────────────────────────────────────────────


def proposed_columns(match: headers.HeaderMatch) -> dict[str, str | None]:
    """Each source header -> the column the header match found, or None (ignored)."""
    columns: dict[str, str | None] = {}
    entries: list[tuple[int, str, str | None]] = [
        (index, match.labels[name], name) for name, index in match.columns.items()
    ]
    entries += [(index, header, None) for index, header, _ in (*match.unknown, *match.duplicates)]
    entries += [(index, header, None) for index, header, _ in match.survivor_columns]
    for _, header, canonical in sorted(entries, key=lambda entry: entry[0]):
        columns.setdefault(header, canonical)
    return columns


def survey_values(data: pd.DataFrame, match: headers.HeaderMatch) -> dict[str, dict[str, int]]:
    """Per value-mapped column: its distinct source values and their row counts, the most
    frequent first (at most VALUES_SHOWN)."""
    found = {}
    for name, index in match.columns.items():
        if not maps_values(match.sheet, name):
            continue
        counts: dict[str, int] = {}
        # Counted on the raw cells (a hash over a million rows), then gathered by their text.
        for value, count in data[index].value_counts(dropna=True).items():
            text = str(value).strip()
            if text:
                counts[text] = counts.get(text, 0) + int(count)
        found[name] = dict(sorted(counts.items(), key=lambda pair: -pair[1])[:VALUES_SHOWN])
    return found


def propose_values(table: str, found: dict[str, dict[str, int]]) -> tuple[dict, dict]:
    """(values, suggested): the source values recognised for certain (a cluster of data/mapping.toml,
    a spelling of the vocabulary), and confident fixes of the others, left to the user."""
    values: dict[str, dict[str, str | None]] = {}
    suggested: dict[str, dict[str, str]] = {}
    for column, counts in found.items():
        for value in counts:
            if column == CLUSTER:
                key = text_key(value)
                if key in cluster_lookup():
                    values.setdefault(column, {})[value] = cluster_lookup()[key]
                continue
            vocab = vocabulary(sheets()[table].columns[column].vocabulary)
            canonical = vocab.match(value)
            if canonical is not None:
                values.setdefault(column, {})[value] = canonical
            elif guess := confident_match(value, vocab.lookup):
                suggested.setdefault(column, {})[value] = guess
    return values, suggested


def confident_match(value: object, lookup: dict[str, str]) -> str | None:
    """The canonical value a source value is a near spelling of, only when sure: at least
    VALUE_CUTOFF alike, and no spelling of another value nearly as alike (never a guess between two)."""
    found = process.extract(text_key(value), list(lookup), scorer=fuzz.ratio, score_cutoff=VALUE_CUTOFF, limit=8)
    if not found:
        return None
    best = found[0][1]
    meant = {lookup[key] for key, score, _ in found if score >= best - AMBIGUITY_MARGIN}
    return meant.pop() if len(meant) == 1 else None


def _cell_texts(cells: pd.Series) -> pd.Series:
    return cells.astype("string").fillna("").str.strip()


# ── applying ──────────────────────────────────────────────────────────────────


def match_from_mapping(cells: pd.DataFrame, item: SheetMapping) -> headers.HeaderMatch | None:
    """The header match a sheet mapping gives the raw cells: the header row is the one (of the
    first rows) holding most of the mapping's headers, an HXL row under it included."""
    wanted = set(item.columns)
    best_row, best_count = None, 0
    for index in range(min(headers.HEADER_SCAN_ROWS, len(cells))):
        texts = headers.row_texts(cells, index)
        count = sum(text in wanted for text in texts)
        if count > best_count:
            best_row, best_count = index, count
    if best_row is None:
        return None
    texts = headers.row_texts(cells, best_row)
    hxl = headers.row_texts(cells, best_row + 1) if best_row + 1 < len(cells) else []
    has_hxl = bool(hxl) and headers._is_hxl_row(hxl)
    match = headers.HeaderMatch(item.table, best_row + 1 if has_hxl else best_row, {}, {})
    for index, text in enumerate(texts):
        tag = hxl[index] if has_hxl and index < len(hxl) else ""
        shown = text or tag
        if not shown:
            continue
        if reason := headers.survivor_reason(text) or headers.survivor_reason(tag):
            match.survivor_columns.append((index, shown, reason))  # never read, whatever the mapping says
            continue
        canonical = item.columns.get(shown)
        if canonical is None:
            if shown not in item.columns:  # a column the profile does not know
                match.unknown.append((index, shown, None))
            continue
        if canonical in match.columns:
            match.duplicates.append((index, shown, canonical))
            continue
        match.columns[canonical] = index
        match.labels[canonical] = shown
    return match


def apply_values(
    data: pd.DataFrame, match: headers.HeaderMatch, item: SheetMapping
) -> tuple[pd.DataFrame, headers.HeaderMatch, np.ndarray]:
    """The data rows with their mapped values written as canonical values, the match (with a
    service type column made from the cluster when there is one), and the positions of the rows
    the mapping sets aside (a value mapped to None in a required column)."""
    spec = sheets()[match.sheet].columns
    aside = np.zeros(len(data), dtype=bool)
    copied = False
    for column, values in item.values.items():
        if column == CLUSTER or column not in match.columns or column not in spec:
            continue
        changes = _changes(column, spec[column].vocabulary if spec[column].kind in _VALUE_KINDS else None, values)
        if not changes:
            continue
        if not copied:
            data, copied = data.copy(), True
        index = match.columns[column]
        cells = _cell_texts(data[index])
        is_mapped = cells.isin(list(changes)).to_numpy()
        mapped = cells.map(changes).to_numpy(dtype=object)
        if spec[column].required:
            aside |= is_mapped & pd.isna(mapped)
        data[index] = np.where(is_mapped, mapped, data[index].to_numpy(dtype=object))
    if CLUSTER in match.columns and match.sheet == "services":
        data = data if copied else data.copy()
        data, match, cluster_aside = _service_type_from_cluster(data, match, item.values.get(CLUSTER, {}))
        aside |= cluster_aside
    return data, match, np.flatnonzero(aside)


def _changes(column: str, vocab_name: str | None, values: dict[str, str | None]) -> dict[str, str | None]:
    """The value mappings that change something: a spelling the vocabulary reads as the same
    value anyway is left to the normaliser (the proposal lists them all)."""
    if vocab_name is None:
        return dict(values)
    vocab = vocabulary(vocab_name)
    return {
        value: canonical for value, canonical in values.items() if canonical is None or vocab.match(value) != canonical
    }


def _service_type_from_cluster(
    data: pd.DataFrame, match: headers.HeaderMatch, values: dict[str, str | None]
) -> tuple[pd.DataFrame, headers.HeaderMatch, np.ndarray]:
    """The service type of each row: the activity's when it names one; else the cluster's (GBV:
    unspecified); a row of a cluster that is no service for survivors is set aside."""
    clusters = _cell_texts(data[match.columns[CLUSTER]])
    from_cluster = clusters.map(values)
    cluster_mapped = clusters.isin(list(values)).to_numpy()
    vocab = vocabulary("service_type")
    if "service_type" in match.columns:
        activity = data[match.columns["service_type"]]
        texts = _cell_texts(activity)
        named = texts.map(lambda text: vocab.match(text) if text else None).notna().to_numpy()
    else:
        activity = pd.Series([None] * len(data), index=data.index, dtype="object")
        named = np.zeros(len(data), dtype=bool)
    # A cluster that is no service for survivors sets its rows aside whatever the activity says
    # ("Shelter" in the shelter cluster is housing, not safe accommodation).
    aside = cluster_mapped & from_cluster.isna().to_numpy()
    use_cluster = cluster_mapped & ~named & ~aside
    combined = np.where(use_cluster, from_cluster.to_numpy(dtype=object), activity.to_numpy(dtype=object))
    column = max(data.columns) + 1 if len(data.columns) else 0
    data[column] = combined
    labels = dict(match.labels)
    labels.setdefault("service_type", labels[CLUSTER])
    match = replace(match, columns={**match.columns, "service_type": column}, labels=labels)
    return data, match, aside


# ── accepting suggestions ─────────────────────────────────────────────────────


Suggestion = tuple[str, str, str, str, str]  # (file, sheet, canonical column, source value, suggested value)


def suggestions(mapping: Mapping, problems: pd.DataFrame | None = None) -> list[Suggestion]:
    """Every confident fix on offer: those the proposal made for values of vocabulary columns,
    and the "did you mean" fixes of the problems table on values of mapped columns."""
    found: dict[tuple[str, str, str, str], str] = {}
    for item in mapping.sheets:
        for column, suggested in item.suggested.items():
            for value, canonical in suggested.items():
                found[(item.file, item.sheet, column, value)] = canonical
    for file, sheet, column, value, canonical in problem_suggestions(mapping, problems):
        found.setdefault((file, sheet, column, value), canonical)
    return [(*where, canonical) for where, canonical in found.items()]


def accept_suggestions(
    mapping: Mapping, problems: pd.DataFrame | None = None, only: Iterable[Suggestion] | None = None
) -> Mapping:
    """The mapping with confident suggestions accepted as value mappings ("Grand Basa" → "Grand
    Bassa" in a region column): all of them, or `only` those."""
    wanted = None if only is None else set(only)
    for suggestion in suggestions(mapping, problems):
        if wanted is None or suggestion in wanted:
            file, sheet, column, value, canonical = suggestion
            mapping = mapping.with_value(file, sheet, column, value, canonical)
    return mapping


def problem_suggestions(mapping: Mapping, problems: pd.DataFrame | None) -> list[tuple[str, str, str, str, str]]:
    """(file, sheet, canonical column, source value, suggested value) of each problem whose fix
    is a "did you mean" on a value of a mapped column."""
    if problems is None or problems.empty:
        return []
    found = []
    seen = set()
    for file, sheet, header, said, fix in zip(
        problems["file"], problems["sheet"], problems["column"], problems["message"], problems["suggestion"]
    ):
        if fix is None or getattr(fix, "key", "") != "problem.did_you_mean" or "value" not in said.params:
            continue
        item = mapping.for_sheet(file, sheet)
        column = item.column_of(header) if item else None
        if column is None or (file, sheet, column, said.params["value"]) in seen:
            continue
        seen.add((file, sheet, column, said.params["value"]))
        found.append((file, sheet, column, str(said.params["value"]), str(fix.params["value"])))
    return found


# ── profiles ──────────────────────────────────────────────────────────────────


def to_json(mapping: Mapping) -> str:
    return json.dumps({"version": PROFILE_VERSION, "sheets": mapping.profile()}, ensure_ascii=False, indent=2)


def to_toml(mapping: Mapping) -> str:
    """The profile as TOML. TOML has no null: an ignored column or a value set aside is written
    as an empty string."""
    lines = [f"version = {PROFILE_VERSION}", *([] if mapping.sheets else ["sheets = []"]), ""]
    for item in mapping.sheets:
        lines += ["[[sheets]]", f"file = {_quoted(item.file)}", f"sheet = {_quoted(item.sheet)}"]
        lines += [f"table = {_quoted(item.table)}", "", "[sheets.columns]"]
        lines += [f"{_quoted(header)} = {_quoted(canonical or '')}" for header, canonical in item.columns.items()]
        for column, values in item.values.items():
            lines += ["", f"[sheets.values.{_quoted(column)}]"]
            lines += [f"{_quoted(value)} = {_quoted(canonical or '')}" for value, canonical in values.items()]
        lines.append("")
    return "\n".join(lines)


def _quoted(text: str) -> str:
    # A JSON string is a TOML basic string, once DEL (which JSON leaves as it is) is escaped.
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def read_profile(data: bytes) -> Mapping:
    """A profile written by to_json or to_toml (or by hand in either shape), or ProfileError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProfileError(message("mapping.profile_not_text")) from error
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ProfileError(message("mapping.profile_not_json_or_toml")) from error
    entries = parsed.get("sheets", parsed.get("mapping")) if isinstance(parsed, dict) else parsed
    if not isinstance(entries, list):
        raise ProfileError(message("mapping.profile_no_sheets"))
    try:
        return Mapping(tuple(_sheet_from(entry) for entry in entries))
    except (KeyError, TypeError, AttributeError) as error:
        raise ProfileError(message("mapping.profile_bad_entry", what=str(error))) from error


def _sheet_from(entry: dict) -> SheetMapping:
    table = str(entry["table"])
    if table not in sheets():
        raise ProfileError(message("mapping.profile_unknown_table", table=table))
    choices = set(column_choices(table))
    columns = {str(header): (str(value) if value else None) for header, value in entry["columns"].items()}
    unknown = {value for value in columns.values() if value is not None} - choices
    if unknown:
        raise ProfileError(message("mapping.profile_unknown_columns", table=table, columns=", ".join(sorted(unknown))))
    values = {
        str(column): {str(value): (str(canonical) if canonical else None) for value, canonical in found.items()}
        for column, found in entry.get("values", {}).items()
    }
    return SheetMapping(str(entry.get("file", "")), str(entry.get("sheet", "")), table, columns, values)
