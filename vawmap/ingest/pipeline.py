"""ingest(): uploaded files -> clean canonical frames + the problems table.

    bytes ─▶ read ─▶ locate headers ─▶ normalise ─▶ validate (pandera) ─▶ references ─▶ duplicates

Rows with an error are set aside and counted (never dropped silently); a bad value in an
optional column is cleared with a warning; the rest loads. Nothing here raises on bad
input: an unreadable file becomes one error naming the file. Problems are logged as
messages (keys and parameters, vawmap/messages.py); the edges word them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from vawmap.contract import SHEET_ORDER, ColumnSpec, sheet
from vawmap.ingest import headers, schemas
from vawmap.ingest import mapping as mappings
from vawmap.ingest.derived import derive_actors, readable_ids
from vawmap.ingest.normalise import Unparsed, empty_column, normalise_column
from vawmap.ingest.parallel import map_columns
from vawmap.ingest.problems import ERROR, WARNING, ProblemLog, value_kind, vocab_fix
from vawmap.ingest.read import RawSheet, UnreadableFile, read_upload
from vawmap.ingest.references import (
    ACTOR_REFERENCES,
    NameIndex,
    RegionIndex,
    actor_index,
    region_index,
    resolve_column,
    resolve_list_column,
)
from vawmap.messages import Message, message
from vawmap.places import fold_spellings
from vawmap.privacy import LOCATING_COLUMNS, confidential_services, default_confidential

# Provenance columns carried through ingest, dropped from the final frames.
FILE, SHEET, ROW = "_file", "_sheet", "_row"
PROVENANCE = [FILE, SHEET, ROW]
_REGION_SHEETS = ("actors", "services", "coordination_bodies")


@dataclass(frozen=True)
class SheetCounts:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class IngestResult:
    frames: dict[str, pd.DataFrame]  # canonical sheet -> accepted rows (only the sheets found)
    counts: dict[str, SheetCounts]
    problems: pd.DataFrame
    set_aside: dict[str, pd.DataFrame] = field(default_factory=dict)  # rows set aside, with file/sheet/row
    unreadable: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # the files that could be read
    mapping: mappings.Mapping = field(default_factory=mappings.Mapping)  # what each sheet's columns and values meant
    # "actors": the organisations services name and no actors sheet lists (vawmap/ingest/derived.py)
    derived: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def loadable(self) -> dict[str, pd.DataFrame]:
        """The sheets with accepted rows: a sheet whose every row was set aside loads nothing,
        so it never replaces rows already loaded."""
        return {name: frame for name, frame in self.frames.items() if len(frame)}

    @property
    def ok(self) -> bool:
        return not (self.problems["severity"] == ERROR).any()

    def errors_on_rows(self) -> int:
        """Errors on one row each: every such row was set aside."""
        errors = self.problems[self.problems["severity"] == ERROR]
        return int(errors["row"].notna().sum())

    def errors_elsewhere(self) -> int:
        """Errors about a whole sheet or column of a file that could be read (a column refused,
        a required column missing): no row was set aside for them."""
        errors = self.problems[self.problems["severity"] == ERROR]
        return int((errors["row"].isna() & ~errors["file"].isin(self.unreadable)).sum())

    def summary(self) -> dict:
        """The JSON shape of `python -m vawmap validate --json` (without problems)."""
        return {
            "ok": self.ok,
            "sheets": {name: vars(count) for name, count in self.counts.items()},
            "derived": {"actors": len(self.derived.get("actors", ()))},
        }


@dataclass(frozen=True)
class CellProblem:
    """One problem on some rows of a frame being ingested (`positions`, row positions)."""

    positions: np.ndarray
    severity: str
    said: Message
    column: str = ""
    suggestion: Message | None = None


def _objects(items: list) -> np.ndarray:
    """A 1-d object array of the items (np.array would look inside lists and tuples)."""
    array = np.empty(len(items), dtype=object)
    for index, item in enumerate(items):
        array[index] = item
    return array


def _pairs(files: np.ndarray, sheets: np.ndarray) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The distinct (file, sheet) pairs, and each row's pair as a code."""
    file_codes, file_names = pd.factorize(files)
    sheet_codes, sheet_names = pd.factorize(sheets)
    pair_codes, pairs = pd.factorize(file_codes * len(sheet_names) + sheet_codes)
    return [(file_names[pair // len(sheet_names)], sheet_names[pair % len(sheet_names)]) for pair in pairs], pair_codes


class _Context:
    """What one ingest run accumulates: problems, frames per sheet, header labels per source."""

    def __init__(self) -> None:
        self.log = ProblemLog()
        self.parts: dict[str, list[pd.DataFrame]] = {}
        self.labels: dict[tuple[str, str], dict[str, str]] = {}
        self.set_aside: dict[str, list[pd.DataFrame]] = {}
        self.rows: dict[str, int] = {}
        # (file, sheet, Excel row, column) of required cells that are formulas saved without a value.
        self.formulas: set[tuple[str, str, int, str]] = set()
        self.given: mappings.Mapping | None = None  # the mapping asked for; None: proposed per sheet
        self.used: list[mappings.SheetMapping] = []
        self.unrecognised: list[tuple[str, str]] = []  # (file, sheet) of sheets read as no table
        self.derived: dict[str, pd.DataFrame] = {}
        # The organisation columns of services rows set aside by the value mapping (a Health or
        # Shelter cluster row): no service for survivors, but its organisation is at the table.
        self.organisations_aside: list[pd.DataFrame] = []

    def column_label(self, file: str, sheet_name: str, column: str) -> str:
        return self.labels.get((file, sheet_name), {}).get(column, column)

    def log_rows(
        self,
        frame: pd.DataFrame,
        positions,
        severity: str,
        said: Message,
        column: str = "",
        suggestion: Message | None = None,
    ):
        """Log one problem on the rows at `positions`, per source file and sheet."""
        self.log_many(frame, [CellProblem(np.asarray(positions, dtype=int), severity, said, column, suggestion)])

    def log_many(self, frame: pd.DataFrame, problems: Sequence[CellProblem]) -> None:
        """Log problems on rows of `frame` in one chunk: each row's file, sheet and Excel row
        are picked with numpy, the column named as its file and sheet name it (a label per
        file, sheet and column, not per row). 10,000 distinct bad values cost one chunk."""
        problems = [problem for problem in problems if len(problem.positions)]
        if not problems:
            return
        positions = np.concatenate([problem.positions for problem in problems])
        which = np.repeat(np.arange(len(problems)), [len(problem.positions) for problem in problems])
        files = frame[FILE].take(positions).to_numpy(dtype=object)  # not a million names made objects
        sheets = frame[SHEET].take(positions).to_numpy(dtype=object)
        columns = np.empty(len(positions), dtype=object)
        sources, source_codes = _pairs(files, sheets)
        for code, (file, sheet_name) in enumerate(sources):
            labels = np.array(
                [self.column_label(file, sheet_name, problem.column) if problem.column else "" for problem in problems],
                dtype=object,
            )
            here = source_codes == code
            columns[here] = labels[which[here]]
        self.log.add_many(
            files,
            sheets,
            frame[ROW].to_numpy()[positions],
            columns,
            _objects([problem.severity for problem in problems])[which],
            _objects([problem.said for problem in problems])[which],
            _objects([problem.suggestion for problem in problems])[which],
        )

    def set_rows_aside(self, sheet_name: str, frame: pd.DataFrame, positions) -> pd.DataFrame:
        """The frame without the rows at `positions`, which are kept apart and counted."""
        mask = np.zeros(len(frame), dtype=bool)
        mask[np.asarray(positions, dtype=int)] = True
        if mask.any():
            self.set_aside.setdefault(sheet_name, []).append(frame[mask])
        return frame[~mask].reset_index(drop=True)


def ingest(
    uploads: Sequence[tuple[str, bytes]],
    known: dict[str, pd.DataFrame] | None = None,
    *,
    local_files: bool = False,
    mapping: mappings.Mapping | None = None,
) -> IngestResult:
    """Read, clean and check uploaded files. `known` holds frames already loaded (for references).
    `local_files`: read from disk (the CLI), so no upload size limit applies. `mapping` says what
    the sheets' columns and values mean (proposed from them when None)."""
    context = _Context()
    context.given = mapping
    unreadable = []
    for file_name, data in uploads:
        try:
            raw_sheets = read_upload(file_name, data, local=local_files)
        except UnreadableFile as problem:
            context.log.add(file_name, "", ERROR, problem.message, suggestion=problem.suggestion)
            unreadable.append(file_name)
            continue
        for raw in raw_sheets:
            _take_sheet(context, raw)
    frames = {name: pd.concat(parts, ignore_index=True) for name, parts in context.parts.items()}
    frames = {name: _validate(context, name, frame) for name, frame in frames.items()}
    frames = _check_references(context, frames, known or {})
    frames = {name: _set_aside_duplicates(context, name, frame) for name, frame in frames.items()}
    counts = {}
    for name in SHEET_ORDER:
        if name in context.rows:
            accepted = len(frames.get(name, ()))
            counts[name] = SheetCounts(context.rows[name], accepted, context.rows[name] - accepted)
    set_aside = {  # provenance as text, as before it was kept as categories (one byte a row) on the way
        name: pd.concat(parts, ignore_index=True).astype({FILE: "str", SHEET: "str"})
        for name, parts in context.set_aside.items()
    }
    return IngestResult(
        frames={name: frame.drop(columns=PROVENANCE) for name, frame in frames.items()},
        counts=counts,
        problems=context.log.frame(),
        set_aside=set_aside,
        unreadable=tuple(unreadable),
        sources=tuple(name for name, _ in uploads if name not in unreadable),
        mapping=mappings.Mapping(tuple(context.used), unrecognised=tuple(context.unrecognised)),
        derived=context.derived,
    )


# ── one raw sheet ─────────────────────────────────────────────────────────────


def _take_sheet(context: _Context, raw: RawSheet) -> None:
    if headers.is_ignored_sheet(raw.name):
        return
    if raw.hidden:
        context.log.add(
            raw.file, raw.name, WARNING, message("problem.hidden_sheet"), suggestion=message("problem.hidden_sheet_fix")
        )
        return
    match, mapped_as = _mapped_columns(context, raw)
    if match is None and _is_blank(raw.cells):
        return  # an empty sheet ("Sheet2") is no problem
    if match is None:
        context.unrecognised.append((raw.file, raw.name))  # the user may say which table it is
        context.log.add(
            raw.file,
            raw.name,
            WARNING,
            message("problem.sheet_not_recognised"),
            suggestion=message("problem.sheet_not_recognised_fix", sheets=list(SHEET_ORDER)),
        )
        return
    if match.survivor_columns:
        # Survivor data leaves before anything else reads the sheet: none of its cells can reach
        # a frame, a problem or a row set aside.
        raw = replace(raw, cells=raw.cells.drop(columns=[index for index, _, _ in match.survivor_columns]))
    context.labels[(raw.file, raw.name)] = match.labels
    _report_header_problems(context, raw, match)
    data = raw.cells.iloc[match.header_row + 1 :]
    mapped = data[list(match.columns.values())] if match.columns else data.iloc[:, :0]
    blank_rows = _blank_rows(mapped)
    if raw.formulas:  # a row of formulas saved without a value is not blank: it is named below
        blank_rows = blank_rows & ~_has_formula(raw, match, data.index)
    if blank_rows.any():  # else the rows stay as read: no copy of a million cells
        data = data[~blank_rows]
    context.rows[match.sheet] = context.rows.get(match.sheet, 0) + len(data)
    data, match = _mapped_values(context, raw, match, mapped_as, data)
    missing = [name for name in sheet(match.sheet).required if name not in match.columns]
    if missing:
        _reject_sheet(context, raw, match.sheet, missing, len(data))
        return
    if len(data):
        context.parts.setdefault(match.sheet, []).append(_normalise(context, raw, match, data))


# ── the mapping hook (vawmap/ingest/mapping.py) ───────────────────────────────


def _mapped_columns(
    context: _Context, raw: RawSheet
) -> tuple[headers.HeaderMatch | None, mappings.SheetMapping | None]:
    """The header match of a sheet, from the mapping asked for when it has one for the sheet,
    else proposed from the sheet's columns; and the sheet mapping to record (without values yet)."""
    given = context.given.for_sheet(raw.file, raw.name, _header_texts(raw.cells)) if context.given else None
    if given is not None and not given.columns:  # only the table is given: its columns are proposed
        spec = mappings.mapping_specs()[given.table]
        match = headers.locate(raw.cells, raw.name, {given.table: spec}) or headers.first_row_match(raw.cells, spec)
        if match is None:
            return None, None
        return match, _proposed(raw, match)
    if given is not None:
        match = mappings.match_from_mapping(raw.cells, given)
        if match is None:
            return None, None
        return match, replace(given, file=raw.file, sheet=raw.name, proposed=False)
    match = headers.locate(raw.cells, raw.name, mappings.mapping_specs())
    if match is None:
        return None, None
    return match, _proposed(raw, match)


def _proposed(raw: RawSheet, match: headers.HeaderMatch) -> mappings.SheetMapping:
    return mappings.SheetMapping(raw.file, raw.name, match.sheet, mappings.proposed_columns(match), proposed=True)


def _header_texts(cells: pd.DataFrame) -> list[str]:
    rows = cells.iloc[: headers.HEADER_SCAN_ROWS]
    return [str(value) for value in rows.to_numpy().ravel() if isinstance(value, str) and value.strip()]


def _mapped_values(
    context: _Context, raw: RawSheet, match: headers.HeaderMatch, item: mappings.SheetMapping | None, data: pd.DataFrame
) -> tuple[pd.DataFrame, headers.HeaderMatch]:
    """The data with the sheet's value mapping applied; rows it sets aside (a cluster that is no
    service for survivors, a value mapped to "set aside") are counted and named, not loaded."""
    if item is None:
        return data, match
    found = mappings.survey_values(data, match)
    if item.proposed:
        values, suggested = mappings.propose_values(match.sheet, found)
        item = replace(item, values=values, suggested=suggested, found=found)
    else:
        _, suggested = mappings.propose_values(match.sheet, found)
        suggested = {
            column: {value: fix for value, fix in fixes.items() if value not in item.values.get(column, {})}
            for column, fixes in suggested.items()
        }
        item = replace(item, found=found, suggested={column: fixes for column, fixes in suggested.items() if fixes})
    context.used.append(item)
    data, match, aside = mappings.apply_values(data, match, item)
    if len(aside):
        rows = data.index.to_numpy()[aside] + 1  # raw row i is Excel row i + 1
        column = match.labels.get(mappings.CLUSTER, match.labels.get("service_type", ""))
        context.log.add(
            raw.file,
            raw.name,
            WARNING,
            message("problem.mapped_set_aside"),
            rows=rows,
            column=column,
            suggestion=message("problem.mapped_set_aside_fix"),
        )
        keep = np.ones(len(data), dtype=bool)
        keep[aside] = False
        if match.sheet == "services":
            context.organisations_aside.append(_organisation_columns(match, data[~keep]))
        data = data[keep]
    return data, match


ORGANISATION_COLUMNS = ("provider", "provider_acronym", "provider_type", "cluster")


def _organisation_columns(match: headers.HeaderMatch, rows: pd.DataFrame) -> pd.DataFrame:
    """What the rows say of their organisations, cleaned as the services sheet's columns are."""
    spec = sheet("services")
    columns = {}
    for name in ORGANISATION_COLUMNS:
        if name in match.columns:
            columns[name], _ = normalise_column(rows[match.columns[name]].reset_index(drop=True), spec.columns[name])
    return pd.DataFrame(columns)


def _blank_rows(cells: pd.DataFrame) -> np.ndarray:
    """Which rows have no value in any of the cells, column by column, stopping at the first
    column that leaves no row blank (in most sheets the first one)."""
    blank = np.ones(len(cells), dtype=bool)
    for _, column in cells.items():
        blank &= (column.isna() | (column == "")).to_numpy(dtype=bool)
        if not blank.any():
            break
    return blank


def _is_blank(cells: pd.DataFrame) -> bool:
    return cells.empty or bool((cells.isna() | (cells == "")).all().all())


def _report_header_problems(context: _Context, raw: RawSheet, match: headers.HeaderMatch) -> None:
    spec = sheet(match.sheet)
    for _, header, why in match.survivor_columns:
        context.log.add(
            raw.file,
            raw.name,
            ERROR,
            message("problem.survivor_column", reason=why),
            column=header,
            suggestion=message("problem.survivor_column_fix"),
        )
    for _, header, suggestion in match.unknown:
        fix = message("problem.did_you_mean", value=suggestion) if suggestion else message("problem.unknown_column_fix")
        context.log.add(
            raw.file,
            raw.name,
            WARNING,
            message("problem.unknown_column", sheet=spec.name),
            column=header,
            suggestion=fix,
        )
    for _, header, canonical in match.duplicates:
        context.log.add(
            raw.file,
            raw.name,
            WARNING,
            message("problem.duplicate_column", column=canonical),
            column=header,
            suggestion=message("problem.duplicate_column_fix"),
        )


def _reject_sheet(context: _Context, raw: RawSheet, sheet_name: str, missing: list[str], row_count: int) -> None:
    spec = sheet(sheet_name)
    for name in missing:
        spellings = [message("problem.quoted", value=text) for text in (name, *spec.columns[name].labels.values())]
        context.log.add(
            raw.file,
            raw.name,
            ERROR,
            message("problem.missing_column", column=name, rows=row_count),
            column=name,
            suggestion=message("problem.missing_column_fix", spellings=spellings),
        )


def _normalise(context: _Context, raw: RawSheet, match: headers.HeaderMatch, data: pd.DataFrame) -> pd.DataFrame:
    spec = sheet(match.sheet)
    index = pd.RangeIndex(len(data))
    given = [name for name in spec.columns if name in match.columns]
    # The columns are taken out here, so the threads share no frame, each converting its own.
    raw_columns = [(data[match.columns[name]].reset_index(drop=True), spec.columns[name]) for name in given]
    converted = map_columns(lambda column: normalise_column(*column), raw_columns, len(data))
    found = dict(zip(given, converted))
    columns = {}
    problems: list[tuple[str, Unparsed]] = []
    for name, column in spec.columns.items():
        if name in found:
            columns[name], unparsed = found[name]
            problems.extend((name, item) for item in unparsed)
        else:
            columns[name] = empty_column(column, len(data), index)
    frame = pd.DataFrame(columns, copy=False)  # the converted columns as they are (a dict is copied by default)
    frame[FILE] = _repeated(raw.file, len(frame))
    frame[SHEET] = _repeated(raw.name, len(frame))
    frame[ROW] = data.index.to_numpy() + 1  # raw row i is Excel row i + 1
    cell_problems = []
    for name, item in problems:
        said, fix = unparsed_message(item, spec.columns[name])
        cell_problems.append(CellProblem(np.asarray(item.positions, dtype=int), WARNING, said, name, fix))
    log_cell_problems(context, match.sheet, frame, cell_problems)
    if raw.formulas:
        _note_formulas(context, raw, match, data.index, frame)
    return frame


def _repeated(text: str, length: int) -> pd.Series:
    """A column holding `text` on every row: a category, one byte a row (pandas would make a
    million Python strings). Parts of several files concatenate to a column of text."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(length, dtype=np.int8), categories=[text]))


def _formula_rows(raw: RawSheet, column_index: int, rows: pd.Index) -> np.ndarray:
    """Which of the raw `rows` hold, in the column, a formula saved without a value."""
    formula_rows = [row for row, column in raw.formulas if column == column_index]
    return np.isin(rows.to_numpy(), formula_rows)


def _has_formula(raw: RawSheet, match: headers.HeaderMatch, rows: pd.Index) -> np.ndarray:
    found = np.zeros(len(rows), dtype=bool)
    for column_index in match.columns.values():
        found |= _formula_rows(raw, column_index, rows)
    return found


def _note_formulas(
    context: _Context, raw: RawSheet, match: headers.HeaderMatch, rows: pd.Index, frame: pd.DataFrame
) -> None:
    """A formula saved without a value reads as an empty cell. In an optional column it is
    named here; in a required one, the error of the blank cell is reworded in _validate."""
    spec = sheet(match.sheet)
    for name, column_index in match.columns.items():
        positions = np.flatnonzero(_formula_rows(raw, column_index, rows))
        if not len(positions) or name not in spec.columns:  # a column the mapping knows and the contract does not
            continue
        if spec.columns[name].required:
            context.formulas.update((raw.file, raw.name, int(frame[ROW].iat[i]), name) for i in positions)
        else:
            context.log_rows(
                frame,
                positions,
                WARNING,
                message("problem.formula_no_value_cleared"),
                column=name,
                suggestion=message("problem.formula_no_value_fix"),
            )


def log_cell_problems(context: _Context, sheet_name: str, frame: pd.DataFrame, problems: list[CellProblem]) -> None:
    """Log problems with cells of `frame`. A confidential service's district, location or
    coordinate is said to be wrong without being repeated: the problems table and its CSV
    would otherwise show where a shelter is. (Confidentiality is worked out once for the frame.)"""
    if sheet_name == "services" and any(problem.column in LOCATING_COLUMNS for problem in problems):
        hidden = confidential_services(frame, blank_is_confidential=False)
        unsaid = message("problem.confidential_cell")
        split = []
        for problem in problems:
            if problem.column not in LOCATING_COLUMNS:
                split.append(problem)
                continue
            secret = hidden[problem.positions]
            if secret.any():
                fix = problem.suggestion
                fix = None if fix is None or "value" in fix.params else fix
                split.append(replace(problem, positions=problem.positions[secret], said=unsaid, suggestion=fix))
            split.append(replace(problem, positions=problem.positions[~secret]))
        problems = split
    context.log_many(frame, problems)


def unparsed_message(item: Unparsed, column: ColumnSpec) -> tuple[Message, Message]:
    """What to say about a value that did not convert, and how to fix it."""
    if item.why == "unknown_item":  # one item of a vocabulary list
        return (
            message("problem.unknown_item", value=item.item, kind=value_kind(column.vocabulary)),
            vocab_fix(column.vocabulary, item.item),
        )
    return message(f"problem.{item.why}", value=item.value), message(f"problem.{item.why}_fix")


def _apply_defaults(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Blank (or cleared) cells take their column's default."""
    for name, column in sheet(sheet_name).columns.items():
        if column.default is not None and frame[name].hasnans:  # a full column is not copied
            frame[name] = frame[name].fillna(column.default)
    if sheet_name == "services" and frame["confidential"].hasnans:
        # A shelter's location stays confidential unless the file says otherwise: survivors' safety depends on it.
        # A type that only reads like one ("safe accomodation") counts too: its row is set aside, a shelter still.
        frame["confidential"] = frame["confidential"].fillna(default_confidential(frame["service_type"]))
    return frame


# ── validation ────────────────────────────────────────────────────────────────


def _validate(context: _Context, sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    if sheet_name == "actors":
        frame = _fill_actor_ids(frame)
    problems = schemas.schema_problems(sheet_name, frame.drop(columns=PROVENANCE))
    if not problems:
        return _apply_defaults(sheet_name, frame)
    named = [named for found in problems for named in _name_formulas(context, frame, found)]
    cells = [
        CellProblem(np.asarray(each.positions, dtype=int), each.severity, each.message, each.column, each.suggestion)
        for each in named
    ]
    log_cell_problems(context, sheet_name, frame, cells)
    reject = [problem.positions for problem in named if problem.sets_aside]
    cleared: dict[str, list[np.ndarray]] = {}
    for problem in named:
        if problem.clears_cell and not problem.sets_aside:
            cleared.setdefault(problem.column, []).append(problem.positions)
    for column, positions in cleared.items():  # one assignment per column, not per bad value
        frame.loc[np.concatenate(positions), column] = pd.NA
    frame = _apply_defaults(sheet_name, frame)
    if sheet_name == "actors":
        frame = _fill_actor_ids(frame)  # an id cleared as a repeat gets a new one, so the actor can still be named
    return context.set_rows_aside(sheet_name, frame, np.concatenate(reject) if reject else [])


def _name_formulas(
    context: _Context, frame: pd.DataFrame, problem: schemas.SchemaProblem
) -> list[schemas.SchemaProblem]:
    """A required cell that is a formula saved without a value is named as such, not as empty."""
    if not context.formulas or problem.message.key != "problem.required_blank":
        return [problem]
    rows = frame.iloc[problem.positions]
    is_formula = np.array(
        [
            (file, sheet_name, row, problem.column) in context.formulas
            for file, sheet_name, row in zip(rows[FILE], rows[SHEET], rows[ROW])
        ],
        dtype=bool,
    )
    if not is_formula.any():
        return [problem]
    named = replace(
        problem,
        positions=problem.positions[is_formula],
        message=message("problem.formula_no_value"),
        suggestion=message("problem.formula_no_value_fix"),
    )
    rest = replace(problem, positions=problem.positions[~is_formula])
    return [named, rest] if len(rest.positions) else [named]


def _fill_actor_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Give actors without an id a readable one made from their acronym or name."""
    missing = frame["actor_id"].isna()
    if not missing.any():
        return frame
    made = readable_ids(frame.loc[missing, "acronym"], frame.loc[missing, "name"], set(frame["actor_id"].dropna()))
    frame = frame.copy()
    frame.loc[missing, "actor_id"] = made
    return frame


# ── references between sheets ─────────────────────────────────────────────────


def _check_references(context: _Context, frames: dict, known: dict) -> dict:
    frames = dict(frames)
    regions = _region_reference(frames, known)
    if regions is None:
        _warn_unchecked_regions(context, frames)
        frames = _fold_region_spellings(frames)
    for sheet_name in _REGION_SHEETS:
        if sheet_name in frames and regions is not None:
            frames[sheet_name] = _reconcile_regions(context, sheet_name, frames[sheet_name], regions)
    actors = frames.get("actors", known.get("actors"))
    if "services" in frames:
        actors = _derive_actors(context, frames["services"], actors)
    if actors is not None and len(actors):
        index = actor_index(actors)
        for sheet_name, references in ACTOR_REFERENCES.items():
            if sheet_name in frames:
                frames[sheet_name] = _resolve_actors(context, sheet_name, frames[sheet_name], references, index)
    return frames


def _region_reference(frames: dict, known: dict) -> NameIndex | None:
    """The regions sheet of this upload; else the known regions (the loaded dataset, or the
    sample country) when most of the upload's region names are among them, so that another
    country's list is not flooded with 'unknown region' warnings."""
    if "regions" in frames and len(frames["regions"]):
        return region_index(frames["regions"])
    known_regions = known.get("regions")
    if known_regions is None or not len(known_regions):
        return None
    index = region_index(known_regions)
    names = set().union(*(set(frames[name]["region"].dropna()) for name in _REGION_SHEETS if name in frames))
    belong = sum(index.resolve(name) is not None or index.suggest(name) is not None for name in names)
    return index if names and belong * 2 >= len(names) else None


def _fold_region_spellings(frames: dict) -> dict:
    """With no region list, the places the sheets name are the regions, one spelling each."""
    named = [name for name in _REGION_SHEETS if name in frames]
    folded = fold_spellings([frames[name]["region"] for name in named])
    if folded:
        for name in named:
            frames[name] = frames[name].assign(region=frames[name]["region"].replace(folded))
    return frames


def _warn_unchecked_regions(context: _Context, frames: dict) -> None:
    for name in _REGION_SHEETS:
        if name in frames and frames[name]["region"].notna().any():
            first = frames[name].iloc[0]
            shown = context.column_label(first[FILE], first[SHEET], "region")
            context.log.add(
                first[FILE],
                first[SHEET],
                WARNING,
                message("problem.no_regions"),
                column=shown,
                suggestion=message("problem.no_regions_fix"),
            )
            return


def _reconcile_regions(context: _Context, sheet_name: str, frame: pd.DataFrame, regions: NameIndex) -> pd.DataFrame:
    """Spell regions as the regions sheet does; a near miss is an error with the fix, an
    unknown name a warning (kept: it simply has no population to measure against)."""
    frame = frame.copy()
    if "region_code" in frame and isinstance(regions, RegionIndex):  # a P-code names the region first
        frame["region"] = regions.by_code(frame["region_code"]).fillna(frame["region"])
    canonical, unresolved = resolve_column(frame["region"], regions)
    frame["region"] = canonical.fillna(frame["region"])
    reject, logged = [], []
    for item in unresolved:
        positions = np.asarray(item.positions, dtype=int)
        if item.suggestion:
            said = message("problem.region_near_miss", value=item.value)
            fix = message("problem.did_you_mean", value=item.suggestion)
            logged.append(CellProblem(positions, ERROR, said, "region", fix))
            reject.append(positions)
        else:
            said = message("problem.region_unknown", value=item.value)
            logged.append(CellProblem(positions, WARNING, said, "region", message("problem.region_unknown_fix")))
    context.log_many(frame, logged)
    return context.set_rows_aside(sheet_name, frame, np.concatenate(reject) if reject else [])


def _derive_actors(context: _Context, services: pd.DataFrame, actors: pd.DataFrame | None) -> pd.DataFrame | None:
    """The organisations the services name and no actors sheet lists become actors (derived
    once per ingest, kept in context.derived); the actors to resolve names against, with them.
    No problem is logged: nothing is wrong with the file, and the count is in the summary."""
    listed = actor_index(actors) if actors is not None and len(actors) else None
    taken = set(actors["actor_id"].dropna()) if actors is not None else set()
    named = [services[[name for name in ORGANISATION_COLUMNS if name in services]], *context.organisations_aside]
    derived = derive_actors(pd.concat(named, ignore_index=True), listed, taken)
    context.derived["actors"] = derived
    if not len(derived):
        return actors
    columns = ["actor_id", "name", "acronym"]
    return derived if actors is None else pd.concat([actors[columns], derived[columns]], ignore_index=True)


def _resolve_actors(context, sheet_name: str, frame: pd.DataFrame, references: dict, index: NameIndex) -> pd.DataFrame:
    """Add the id columns (provider_id, source_id...); links to unknown actors are set aside."""
    frame = frame.copy()
    reject = []
    for column, id_column in references.items():
        resolve = resolve_list_column if column == "members" else resolve_column
        frame[id_column], unresolved = resolve(frame[column], index)
        severity = ERROR if sheet_name == "links" else WARNING
        logged = []
        for item in unresolved:
            fix = (
                message("problem.did_you_mean", value=item.suggestion)
                if item.suggestion
                else message("problem.actor_unknown_fix")
            )
            said = message("problem.actor_unknown", value=item.value)
            logged.append(CellProblem(np.asarray(item.positions, dtype=int), severity, said, column, fix))
            if severity == ERROR:
                reject.append(np.asarray(item.positions, dtype=int))
        context.log_many(frame, logged)
    return context.set_rows_aside(sheet_name, frame, np.unique(np.concatenate(reject)) if reject else [])


# ── duplicates ────────────────────────────────────────────────────────────────


def _maybe_repeated(content: pd.DataFrame) -> np.ndarray:
    """The positions of the rows that share their values with another row in every column
    looked at so far: the number columns first, together (cheap to hash, and a pair of
    coordinates tells most rows apart), then each other column, hashed only over the rows
    still in doubt. A row outside them repeats no row, so only they need hashing whole."""
    numeric = [name for name in content.columns if pd.api.types.is_numeric_dtype(content[name].dtype)]
    rounds = [numeric] if numeric else []
    rounds += [[name] for name in content.columns if name not in numeric]
    candidates = np.arange(len(content))
    combined = np.zeros(len(content), dtype=np.uint64)
    for names in rounds:
        for name in names:
            hashed = pd.util.hash_pandas_object(content[name].iloc[candidates], index=False).to_numpy()
            combined = combined * np.uint64(1_000_003) + hashed
        shared = pd.Series(combined).duplicated(keep=False).to_numpy()
        candidates, combined = candidates[shared], combined[shared]
        if not len(candidates):
            break
    return candidates


def _set_aside_duplicates(context: _Context, sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A row that repeats an earlier row exactly is set aside, so nothing counts twice."""
    content = frame.drop(columns=PROVENANCE)
    if content.empty:
        return frame
    candidates = _maybe_repeated(content)
    if not len(candidates):
        return frame
    # Only the rows in doubt are hashed whole: the others repeat no row.
    hashes = pd.util.hash_pandas_object(content.iloc[candidates], index=False).to_numpy()
    repeated = pd.Series(hashes).duplicated(keep="first").to_numpy()
    if not repeated.any():
        return frame
    first_row = pd.Series(frame[ROW].to_numpy()[candidates], index=hashes)
    first_row = first_row[~first_row.index.duplicated(keep="first")]
    positions = candidates[repeated]
    firsts = first_row.loc[hashes[repeated]].to_numpy()
    order = np.argsort(firsts, kind="stable")  # the repeats of each first row, together, in row order
    distinct, starts = np.unique(firsts[order], return_index=True)
    fix = message("problem.duplicate_row_fix")
    context.log_many(
        frame,
        [
            CellProblem(positions[chunk], WARNING, message("problem.duplicate_row", row=int(first)), "", fix)
            for first, chunk in zip(distinct.tolist(), np.split(order, starts[1:]))
        ],
    )
    return context.set_rows_aside(sheet_name, frame, positions)
