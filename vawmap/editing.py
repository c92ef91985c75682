"""Editing a workspace's sheets: a three-way merge of concurrent edits, checked like an upload.

An edit starts from a version (its *base*) and is saved against the newest version (*theirs*):

- Rows are found by a stable key, ROW_KEY, kept with every sheet an edit saves. A version
  saved otherwise (an upload, an import) has none yet: its actors are keyed by their actor_id
  (unique in a sheet), the rows of the other sheets by a hash of their content and the
  occurrence of that content, so two versions holding the same row give it the same key. A row
  added in the editor gets a new random key when it is saved.
- A cell changed on one side only takes that change; changed on both sides to the same value,
  that value; to different values, it is a Conflict naming sheet, row, column and both values,
  and nothing is saved until each conflict is decided (a Choice). A row deleted on one side and
  changed on the other is a conflict of the whole row. Added rows are kept from both sides.
- The editor sees the public view of a sheet (vawmap/privacy.py): no personal columns, and no
  district, location or coordinates of a confidential service. What it did not see is taken
  back from the base, so an edit never clears a hidden cell.
- The rows an edit changed or added are checked by the upload's own pipeline (vawmap/ingest),
  against the version the edit started from: they are written as a workbook and ingested, with
  the other sheets as what is known. A row
  with an error is not saved (an existing row keeps its saved values, a new one is left out);
  a bad optional cell is cleared with a warning. Each problem names the sheet, the row's key
  and the column, so the page shows it on the cell.
"""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
from openpyxl import Workbook
from sqlalchemy import Engine

from vawmap.cells import LIST_JOIN, is_missing, list_items
from vawmap.contract import SHEET_ORDER, sheet
from vawmap.dataset import empty_frame
from vawmap.exports import write_sheet
from vawmap.ingest import ERROR, ingest
from vawmap.ingest.derived import DERIVED
from vawmap.ingest.references import ACTOR_REFERENCES, link_actor_ids
from vawmap.messages import Message, message
from vawmap.privacy import LOCATING_COLUMNS, confidential_services, public_view
from vawmap.store.workspaces import ROW_KEY, VersionInfo, VersionMoved, load_version, newest_version, save_version

MINE, THEIRS = "mine", "theirs"
ROW = ""  # the column of a conflict about a whole row (deleted on one side, changed on the other)
EDIT_ATTEMPTS = 200  # a save overtaken by another merges again against it, this many times at most
# Checked in this order: actors and services are checked against the regions, the rest against the actors.
CHECK_ORDER = ("regions", "actors", "services", "coordination_bodies", "links")
# Checked as a whole sheet (their key columns must be unique across it); the others, only the rows changed.
WHOLE_SHEET_CHECKS = ("regions", "actors")
_WORKBOOK = "edit.xlsx"
_SAVE_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()
_FIRST_ROW = 2  # the Excel row of a sheet's first data row under its header


@dataclass(frozen=True)
class Conflict:
    """The same cell changed to different values by two people (or a row deleted by one and
    changed by the other: `column` is ROW, and a deleted side's value is None)."""

    sheet: str
    key: str
    column: str
    base: object
    mine: object
    theirs: object
    row: Mapping[str, object]  # the row as the newest version has it (else as the edit has it), to name it

    def choose(self, side: str) -> Choice:
        return Choice(side, _token(self.theirs))


@dataclass(frozen=True)
class Choice:
    """How a conflict was decided: MINE or THEIRS; it holds while the newest value is still the
    one the user saw (`theirs`), else the conflict is asked again."""

    side: str
    theirs: object


Choices = Mapping[tuple[str, str, str], Choice]  # (sheet, key, column) -> choice


@dataclass(frozen=True)
class EditProblem:
    """A problem the upload's checks found in an edited row, on the cell (sheet, key, column)."""

    sheet: str
    key: str
    column: str
    severity: str
    message: Message
    suggestion: Message | None

    @property
    def refused(self) -> bool:
        """The row's edit was not saved."""
        return self.severity == ERROR


@dataclass(frozen=True)
class Merged:
    frame: pd.DataFrame
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(frozen=True)
class EditOutcome:
    saved: VersionInfo | None  # None: nothing saved, because of `conflicts`
    conflicts: list[Conflict]
    problems: list[EditProblem]


# ── keys ─────────────────────────────────────────────────────────────────────


def merge_columns(sheet_name: str) -> list[str]:
    """The columns an edit may change: the sheet's contract columns (the actor id columns the
    references resolve to are worked out again after a merge)."""
    return list(sheet(sheet_name).columns)


def with_row_keys(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a ROW_KEY for every row: its stored key, else one made from the row."""
    keys = frame[ROW_KEY].astype(object) if ROW_KEY in frame else pd.Series([None] * len(frame), index=frame.index)
    missing = keys.isna().to_numpy()
    if not missing.any():
        return frame.assign(**{ROW_KEY: keys.astype(str)})
    made = _content_keys(sheet_name, frame)
    if sheet_name == "actors":
        ids = frame["actor_id"].astype(object)
        made = np.where(ids.notna().to_numpy(), "actor:" + ids.fillna("").astype(str).to_numpy(), made)
    keys = np.where(missing, made, keys.to_numpy())
    return frame.assign(**{ROW_KEY: keys.astype(str)})


def _content_keys(sheet_name: str, frame: pd.DataFrame) -> np.ndarray:
    """A key from each row's content and how many equal rows came before it."""
    content = frame[[name for name in merge_columns(sheet_name) if name in frame]]
    hashes = pd.util.hash_pandas_object(content, index=False).to_numpy()
    occurrence = pd.Series(hashes).groupby(hashes).cumcount().to_numpy()
    return np.array([f"row:{value:016x}:{count}" for value, count in zip(hashes, occurrence)], dtype=object)


def new_keys(count: int) -> list[str]:
    return [f"new:{uuid.uuid4().hex}" for _ in range(count)]


def with_new_keys(edited: pd.DataFrame) -> pd.DataFrame:
    """An editor's frame with a new ROW_KEY for each added row (which comes without one), so
    that the problems found in an added row can be shown on it."""
    keys = [key if isinstance(key, str) and key else None for key in edited[ROW_KEY].astype(object).to_numpy()]
    made = iter(new_keys(keys.count(None)))
    return edited.assign(**{ROW_KEY: [key or next(made) for key in keys]})


# What names a row to a person, per sheet.
_ROW_NAMES = {
    "actors": ("name",),
    "services": ("provider", "service_type", "region"),
    "regions": ("region",),
    "coordination_bodies": ("name",),
    "links": ("source", "target", "link_type"),
}


def row_label(sheet_name: str, row: Mapping[str, object]) -> str:
    """A row named as a person knows it: an actor's name, a service's provider, type and region."""
    parts = [str(row[name]) for name in _ROW_NAMES[sheet_name] if not pd.isna(row.get(name))]
    return " · ".join(parts) or "—"


# ── what the editor shows, and the edit taken back ───────────────────────────


def editor_frame(sheet_name: str, keyed: pd.DataFrame) -> pd.DataFrame:
    """What an editor may see and change of a keyed sheet: its public view (no personal
    columns, confidential services by region only), ROW_KEY then the contract columns. The
    page hides ROW_KEY; a row added in the editor has none."""
    shown = public_view(sheet_name, keyed)
    columns = [name for name in merge_columns(sheet_name) if name in shown]
    return shown[[ROW_KEY, *columns]].reset_index(drop=True)


def list_columns(sheet_name: str) -> list[str]:
    """The sheet's columns of several vocabulary values (target groups, functions): an editor
    picks their items from the vocabulary, each shown by its label."""
    return [name for name, spec in sheet(sheet_name).columns.items() if spec.kind == "vocab_list"]


def items_for_editor(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each list cell as the list of its items (a blank cell stays blank)."""
    listed = {
        name: [None if is_missing(cell) else list_items(cell) for cell in frame[name]]
        for name in list_columns(sheet_name)
        if name in frame
    }
    return frame.assign(**listed)


def items_joined(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """An editor's frame with each list of items back in one cell, as ingest writes it (an
    emptied list is a blank cell)."""
    joined = {name: [_joined(cell) for cell in frame[name]] for name in list_columns(sheet_name) if name in frame}
    return frame.assign(**joined)


def _joined(cell: object) -> object:
    if isinstance(cell, (list, tuple, np.ndarray)):
        items = [str(item) for item in cell if not is_missing(item) and str(item).strip()]
        return LIST_JOIN.join(items) if items else None
    return cell


def taken_back(sheet_name: str, edited: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """An editor's frame (editor_frame as edited) as a keyed sheet in the base's types, with
    what the editor was not shown taken back from the base: the columns left out, and the blank
    locating cells of a service confidential in the base."""
    frame = with_new_keys(edited).reset_index(drop=True)
    stored = base.set_index(ROW_KEY)
    known = stored.index.get_indexer(pd.Index(frame[ROW_KEY].astype(object))) >= 0
    from_base = stored.reindex(frame[ROW_KEY])
    for name in merge_columns(sheet_name):
        if name not in frame:
            frame[name] = from_base[name].to_numpy() if name in from_base else pd.NA
    if sheet_name == "services" and len(stored):
        hidden = pd.Series(confidential_services(stored), index=stored.index).reindex(frame[ROW_KEY], fill_value=False)
        hidden_rows = hidden.to_numpy(dtype=bool) & known
        for name in LOCATING_COLUMNS:
            fill = hidden_rows & frame[name].isna().to_numpy()
            frame.loc[fill, name] = from_base.loc[:, name].to_numpy()[fill]
    return _typed(sheet_name, frame[[*merge_columns(sheet_name), ROW_KEY]])


@cache
def _dtypes(sheet_name: str) -> dict[str, object]:
    return empty_frame(sheet_name).dtypes.to_dict()


def _typed(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's contract columns in the types a loaded sheet has."""
    dtypes = _dtypes(sheet_name)
    typed = {}
    for name in merge_columns(sheet_name):
        column = frame[name]
        dtype = dtypes[name]
        if column.dtype == dtype:
            continue
        try:
            if pd.api.types.is_datetime64_any_dtype(dtype):
                typed[name] = pd.to_datetime(column, errors="coerce").astype(dtype)
            else:
                typed[name] = column.astype(object).where(column.notna(), None).astype(dtype)
        except (TypeError, ValueError):  # left as typed: the checks say what is wrong with it
            typed[name] = column
    return frame.assign(**typed)


# ── the three-way merge ──────────────────────────────────────────────────────


def merge_sheet(
    sheet_name: str,
    base: pd.DataFrame,
    mine: pd.DataFrame,
    theirs: pd.DataFrame,
    choices: Choices | None = None,
) -> Merged:
    """Merge `mine` (an edit of `base`) into `theirs` (the newest version); all three keyed.
    The merged rows are theirs in their order (as merged), then the rows mine added."""
    choices = choices or {}
    columns = merge_columns(sheet_name)
    b, m, t = (frame.set_index(ROW_KEY)[columns] for frame in (base, mine, theirs))
    conflicts: list[Conflict] = []
    # Rows added on both sides under one key (two edits of a version without stored keys that
    # add the same content) are merged cell by cell from an empty base.
    b = pd.concat([b, _blank_rows(b, m.index.intersection(t.index).difference(b.index))])
    common = b.index.intersection(m.index).intersection(t.index)
    result = t.copy()
    # Only the rows mine changed can bring anything: the rest stay as theirs has them.
    touched = np.zeros(len(common), dtype=bool)
    if len(common):
        bc, mc = b.loc[common], m.loc[common]
        for name in columns:
            touched |= ~_same(mc[name], bc[name])
        common = common[touched]
    if len(common):
        bc, mc, tc = b.loc[common], m.loc[common], t.loc[common]
        for name in columns:
            mine_changed = ~_same(mc[name], bc[name])
            theirs_changed = ~_same(tc[name], bc[name])
            clash = mine_changed & theirs_changed & ~_same(mc[name], tc[name])
            take_mine = mine_changed & ~clash
            for position in np.flatnonzero(clash):
                key = common[position]
                conflict = Conflict(
                    sheet_name, key, name, bc[name].iloc[position], mc[name].iloc[position], tc[name].iloc[position],
                    _row_of(t, key),
                )  # fmt: skip
                decided = _decided(choices, conflict)
                if decided is None:
                    conflicts.append(conflict)
                else:
                    take_mine[position] = decided == MINE
            if take_mine.any():
                result.loc[common[take_mine], name] = mc[name].to_numpy()[take_mine]
    drop: list[str] = []
    append: list[str] = []
    # Deleted in mine: gone, unless theirs changed the row meanwhile.
    for key in b.index.difference(m.index).intersection(t.index):
        if _row_same(t.loc[key], b.loc[key]):
            drop.append(key)
            continue
        conflict = Conflict(sheet_name, key, ROW, _row_of(b, key), None, _row_of(t, key), _row_of(t, key))
        if _decided(choices, conflict) == MINE:
            drop.append(key)
        elif _decided(choices, conflict) is None:
            conflicts.append(conflict)
    # Deleted in theirs: stays deleted, unless mine changed the row meanwhile.
    for key in b.index.intersection(m.index).difference(t.index):
        if _row_same(m.loc[key], b.loc[key]):
            continue
        conflict = Conflict(sheet_name, key, ROW, _row_of(b, key), _row_of(m, key), None, _row_of(m, key))
        decided = _decided(choices, conflict)
        if decided == MINE:
            append.append(key)
        elif decided is None:
            conflicts.append(conflict)
    added = list(m.index.difference(b.index).difference(t.index))
    added.sort(key=m.index.get_loc)  # in the editor's order
    result = result.drop(index=drop)
    result = pd.concat([result, m.loc[append + added]]) if append or added else result
    return Merged(_typed(sheet_name, result.rename_axis(ROW_KEY).reset_index()), conflicts)


def _blank_rows(like: pd.DataFrame, keys: pd.Index) -> pd.DataFrame:
    return like.iloc[:0].reindex(keys)


def _decided(choices: Choices, conflict: Conflict) -> str | None:
    choice = choices.get((conflict.sheet, conflict.key, conflict.column))
    if choice is None or choice.theirs != _token(conflict.theirs):
        return None  # undecided, or decided on a value that has changed since
    return choice.side


def _row_of(frame: pd.DataFrame, key: str) -> dict[str, object]:
    return {name: _plain(value) for name, value in frame.loc[key].items()}


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _token(value: object) -> object:
    """A comparable form of a cell or a row (a dict), for a Choice."""
    if isinstance(value, Mapping):
        return tuple((name, repr(_plain(cell))) for name, cell in value.items())
    return repr(_plain(value))


def _same(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Cell by cell: equal, or both blank."""
    a_blank, b_blank = left.isna().to_numpy(dtype=bool), right.isna().to_numpy(dtype=bool)
    if left.dtype == right.dtype:  # the usual case, compared by pandas without Python objects
        equal = (left.reset_index(drop=True) == right.reset_index(drop=True)).fillna(False).to_numpy(dtype=bool)
    else:
        a, b = left.astype(object).to_numpy(), right.astype(object).to_numpy()
        equal = np.asarray(np.where(a_blank, None, a) == np.where(b_blank, None, b), dtype=bool)
    return (a_blank & b_blank) | (~a_blank & ~b_blank & equal)


def _row_same(left: pd.Series, right: pd.Series) -> bool:
    return bool(_same(left, right).all())


# ── checking the changed rows as an upload is checked ────────────────────────


def changed_keys(sheet_name: str, merged: pd.DataFrame, theirs: pd.DataFrame) -> set[str]:
    """Keys of the merged rows that are new or differ from the newest version."""
    columns = merge_columns(sheet_name)
    t = theirs.set_index(ROW_KEY)[columns]
    m = merged.set_index(ROW_KEY)[columns]
    new = set(m.index.difference(t.index))
    common = m.index.intersection(t.index)
    if len(common):
        mc, tc = m.loc[common], t.loc[common]
        differs = np.zeros(len(common), dtype=bool)
        for name in columns:
            differs |= ~_same(mc[name], tc[name])
        new |= set(common[differs])
    return new


def check_edit(
    frames: Mapping[str, pd.DataFrame], fallback: Mapping[str, pd.DataFrame], changed: Mapping[str, set[str]]
) -> tuple[dict[str, pd.DataFrame], list[EditProblem]]:
    """Check the changed rows of keyed sheets with the upload's pipeline. A refused row takes
    its `fallback` row (the newest version's) when it has one, else is left out; an accepted
    row takes the pipeline's values (spellings, defaults, cleared cells)."""
    checked = dict(frames)
    problems: list[EditProblem] = []
    for name in CHECK_ORDER:
        keys = changed.get(name, set())
        if not keys:
            continue
        frame = checked[name]
        is_changed = np.array([key in keys for key in frame[ROW_KEY].astype(object).to_numpy()], dtype=bool)
        # Changed rows last, so a repeated id or region is reported on the edited row.
        order = np.concatenate([np.flatnonzero(~is_changed), np.flatnonzero(is_changed)])
        if name not in WHOLE_SHEET_CHECKS:
            order = np.flatnonzero(is_changed)
        rows = frame.iloc[order].reset_index(drop=True)
        known = {other: _unkeyed(checked[other]) for other in SHEET_ORDER if other != name}
        result = ingest([(_WORKBOOK, _workbook(name, rows))], known=known)
        found = result.problems[result.problems["row"].notna()]
        positions = found["row"].astype(int).to_numpy() - _FIRST_ROW
        row_keys = rows[ROW_KEY].to_numpy()
        for position, (_, problem) in zip(positions, found.iterrows()):
            if row_keys[position] in keys:
                problems.append(
                    EditProblem(
                        name,
                        row_keys[position],
                        problem["column"],
                        problem["severity"],
                        problem["message"],
                        problem["suggestion"],
                    )
                )
        set_aside = result.set_aside.get(name)
        refused = (
            set(set_aside["_row"].astype(int).to_numpy() - _FIRST_ROW) if set_aside is not None else set()
        )  # positions in `rows`
        accepted = result.frames.get(name, empty_frame(name)).reset_index(drop=True)
        kept = [position for position in range(len(rows)) if position not in refused]
        accepted = accepted.assign(**{ROW_KEY: row_keys[kept]}).set_index(ROW_KEY)
        checked[name] = _apply_checks(name, frame, accepted, keys, set(row_keys[sorted(refused)]), fallback[name])
    return checked, problems


def _apply_checks(
    sheet_name: str,
    frame: pd.DataFrame,
    accepted: pd.DataFrame,
    changed: set[str],
    refused: set[str],
    fallback: pd.DataFrame,
) -> pd.DataFrame:
    columns = merge_columns(sheet_name)
    indexed = frame.set_index(ROW_KEY)[columns]
    earlier = fallback.set_index(ROW_KEY)[columns]
    refused_changed = [key for key in changed if key in refused]
    gone = [key for key in refused_changed if key not in earlier.index]
    patch = pd.concat(
        [
            accepted.loc[[key for key in changed if key in accepted.index], columns],
            earlier.loc[[key for key in refused_changed if key in earlier.index]],
        ]
    )
    indexed = indexed.drop(index=gone)
    if len(patch):
        patch = _typed(sheet_name, patch.rename_axis(ROW_KEY).reset_index()).set_index(ROW_KEY)
        positions = indexed.index.get_indexer(patch.index)
        indexed = indexed.copy()
        for name in columns:
            values = indexed[name].array.copy()
            values[positions] = patch[name].array
            indexed[name] = values
    return _typed(sheet_name, indexed.rename_axis(ROW_KEY).reset_index())


def _unkeyed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=ROW_KEY, errors="ignore")


def _workbook(sheet_name: str, rows: pd.DataFrame) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_sheet(workbook, sheet_name, rows[merge_columns(sheet_name)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ── saving an edit ───────────────────────────────────────────────────────────


def keyed_version(engine: Engine, workspace: str, number: int | None = None) -> dict[str, pd.DataFrame]:
    """A version's sheets, each with its ROW_KEY."""
    dataset = load_version(engine, workspace, number, keys=True)
    return {name: with_row_keys(name, dataset[name]) for name in SHEET_ORDER}


def save_edit(
    engine: Engine,
    workspace: str,
    base_number: int,
    edited_sheets: Mapping[str, pd.DataFrame],
    author: str,
    note: str = "",
    choices: Choices | None = None,
) -> EditOutcome:
    """Save an edit of version `base_number` as a new version, merged against the newest one;
    or, when the same cell was changed differently there, return the conflicts and save
    nothing. `edited_sheets` are editor frames (editor_frame, as edited: added rows without a
    ROW_KEY). Changed rows are checked as an upload is; refused ones not saved."""
    base = keyed_version(engine, workspace, base_number)
    mine = {name: taken_back(name, frame, base[name]) for name, frame in edited_sheets.items()}
    # Checked once, against the version the edit started from: a refused row goes back to it.
    changed = {name: changed_keys(name, frame, base[name]) for name, frame in mine.items()}
    checked, problems = check_edit({**base, **mine}, base, changed)
    mine = {name: checked[name] for name in mine}
    with _saving(engine, workspace):  # one save at a time per workspace in this process
        for _ in range(EDIT_ATTEMPTS):
            newest = newest_version(engine, workspace)
            theirs = base if newest == base_number else keyed_version(engine, workspace, newest)
            merged = dict(theirs)
            conflicts: list[Conflict] = []
            for name, frame in mine.items():
                outcome = merge_sheet(name, base[name], frame, theirs[name], choices)
                merged[name] = outcome.frame
                conflicts.extend(outcome.conflicts)
            if conflicts:
                return EditOutcome(None, conflicts, problems)
            merged["actors"] = _with_derived_flag(merged["actors"], theirs["actors"])
            try:
                saved = save_version(
                    engine,
                    workspace,
                    _with_actor_ids(merged, mine),
                    author=author,
                    note=note,
                    parent=base_number,
                    after=newest,
                )
            except VersionMoved:
                continue  # another save came first: merge against it
            return EditOutcome(saved, [], problems)
    raise VersionMoved(message("store.busy"))


def _saving(engine: Engine, workspace: str) -> threading.Lock:
    """The lock of a workspace's saves in this process (the app serves every session from one):
    saves wait for each other instead of merging again and again. Saves from other processes
    are kept apart by save_version(after=...), which refuses a save overtaken meanwhile."""
    with _LOCKS_GUARD:
        return _SAVE_LOCKS.setdefault((str(engine.url), workspace), threading.Lock())


def _with_derived_flag(actors: pd.DataFrame, theirs: pd.DataFrame) -> pd.DataFrame:
    """The actors with the flag of those derived from services, which is no contract column and
    so not merged: an actor keeps its flag by its row key; one added in the editor is listed."""
    if DERIVED in actors:
        return actors
    flags = dict(zip(theirs[ROW_KEY], theirs[DERIVED])) if DERIVED in theirs else {}
    return actors.assign(**{DERIVED: [bool(flags.get(key, False)) for key in actors[ROW_KEY]]})


def _with_actor_ids(frames: Mapping[str, pd.DataFrame], edited: Collection[str]) -> dict[str, pd.DataFrame]:
    """The sheets with their actor id columns (provider_id...) worked out again where an edit
    may have changed them (an edited sheet; every sheet when the actors were edited), keys kept."""
    stale = set(ACTOR_REFERENCES) if "actors" in edited else set(edited) & set(ACTOR_REFERENCES)
    linked = link_actor_ids(dict(frames)) if stale else dict(frames)
    out = {}
    for name in SHEET_ORDER:
        frame = linked[name] if name in stale else frames[name]
        ids = list(ACTOR_REFERENCES.get(name, {}).values())
        out[name] = frame[[*_dtypes(name), ROW_KEY]].astype({column: "string" for column in ids})
    return out
