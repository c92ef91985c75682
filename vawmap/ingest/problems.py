"""The problems table: what is wrong with an upload, where, and how to fix it.

Each problem names the file, the sheet, the row as Excel shows it (None for a problem
with the whole file or sheet), the column as the user named it, a severity, a message and
a suggested fix. The message and the suggestion are `Message` values (a catalogue key and
its parameters), never sentences: the edges render them in the user's language with
`render_problems` (a table of texts) or `problem_records` (JSON records, with the keys).
Many rows often share one problem (the same misspelt region on 5,000 rows), so problems
are logged in vectorised chunks: one message, many row numbers, and `group_problems` gives a
reader one line per problem with the rows it is on (`rows_text`: "rows 3–12, 14 … (665 rows)").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from vawmap.i18n import DEFAULT_LANGUAGE
from vawmap.messages import Message, Quantity, described, message, render
from vawmap.vocab import nearest, vocabulary

ERROR = "error"
WARNING = "warning"
PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "severity", "message", "suggestion"]
# A group of problems: `row` is its first Excel row, `count` how many problems it gathers,
# `rows` their Excel rows (sorted, at most ROWS_KEPT of them).
GROUP_COLUMNS = [*PROBLEM_COLUMNS, "count", "rows"]
TEXT_COLUMNS = ("message", "suggestion")  # the Message columns, rendered at the edges
VOCAB_SUGGESTION_CUTOFF = 70
# Rows listed per group: enough to mend a file row by row, bounded so that 100,000 rows of one
# misspelt region do not travel to every page and JSON report (the CSV download lists them all).
ROWS_KEPT = 1_000
RANGES_SHOWN = 5  # runs of rows a line names before "…"


class UnreadableFile(Exception):
    """The file cannot be read at all; `message` and `suggestion` say why and what to do."""

    def __init__(self, message: Message, suggestion: Message | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.suggestion = suggestion


class ProblemLog:
    """Collects problems; `frame()` gives the problems table, errors first."""

    def __init__(self) -> None:
        self._chunks: list[pd.DataFrame] = []

    def add(
        self,
        file: str,
        sheet: str,
        severity: str,
        message: Message,
        *,
        rows: Iterable[int] | int | None = None,
        column: str = "",
        suggestion: Message | None = None,
    ) -> None:
        """One problem, or the same problem on several rows (`rows` an array of Excel rows)."""
        if rows is None or np.isscalar(rows):
            row_values = pd.array([rows], dtype="Int64")
        else:
            row_values = pd.array(np.asarray(rows, dtype="int64"), dtype="Int64")
            if len(row_values) == 0:
                return
        count = len(row_values)
        self._chunks.append(
            pd.DataFrame(
                {
                    "file": [file] * count,
                    "sheet": [sheet] * count,
                    "row": row_values,
                    "column": [column] * count,
                    "severity": [severity] * count,
                    "message": [message] * count,
                    "suggestion": [suggestion] * count,
                }
            )
        )

    def add_many(
        self,
        files: np.ndarray,
        sheets: np.ndarray,
        rows: np.ndarray,
        columns: np.ndarray,
        severities: np.ndarray,
        messages: np.ndarray,
        suggestions: np.ndarray,
    ) -> None:
        """Many problems at once, one per item of the arrays (all of one length): the rows of
        one Message share the object, as `add` would log them, in one chunk."""
        if not len(rows):
            return
        self._chunks.append(
            pd.DataFrame(
                {
                    "file": files,
                    "sheet": sheets,
                    "row": pd.array(np.asarray(rows, dtype="int64"), dtype="Int64"),
                    "column": columns,
                    "severity": severities,
                    "message": messages,
                    "suggestion": suggestions,
                }
            )
        )

    def extend(self, other: ProblemLog) -> None:
        self._chunks.extend(other._chunks)

    def frame(self) -> pd.DataFrame:
        if not self._chunks:
            return empty_problems()
        problems = pd.concat(self._chunks, ignore_index=True)
        problems["_order"] = (problems["severity"] != ERROR).astype(int)
        problems = problems.sort_values(["_order", "file", "sheet", "row"], kind="stable", na_position="first")
        return problems.drop(columns="_order").reset_index(drop=True)


def empty_problems() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype="string") for column in PROBLEM_COLUMNS})
    frame["row"] = frame["row"].astype("Int64")
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].astype(object)
    return frame


# ── one problem, many rows ────────────────────────────────────────────────────


def group_problems(problems: pd.DataFrame, rows_kept: int = ROWS_KEPT) -> pd.DataFrame:
    """One row per file, sheet, column, severity, message and suggestion (equal messages, not
    only the same object), in the problems' order (errors first), with `row` the first Excel
    row, `count` the problems gathered and `rows` their Excel rows, sorted and unique (the first
    `rows_kept`; a problem about a whole file or sheet has none).

    Vectorised: the messages are told apart once per distinct object (a logged chunk shares
    one), then numpy sorts and splits the rows, so 100,000 problems cost no Python per row."""
    if problems.empty:
        return _empty_groups()
    keys = [_codes(problems[column]) for column in ("file", "sheet", "column", "severity")]
    keys += [_message_codes(problems[column]) for column in TEXT_COLUMNS]
    group = _group_ids(keys)
    group_count = int(group.max()) + 1
    first_position = _first_positions(group, group_count)
    groups = problems.iloc[first_position][[c for c in PROBLEM_COLUMNS if c != "row"]].reset_index(drop=True)
    rows_of = _rows_per_group(problems["row"], group, group_count, rows_kept)
    groups["row"] = pd.array([found[0] if len(found) else None for found in rows_of], dtype="Int64")
    groups["count"] = np.bincount(group, minlength=group_count)
    groups["rows"] = pd.Series([tuple(found.tolist()) for found in rows_of], dtype=object)
    return groups[GROUP_COLUMNS]


def _empty_groups() -> pd.DataFrame:
    groups = empty_problems()
    groups["count"] = pd.Series(dtype="int64")
    groups["rows"] = pd.Series(dtype=object)
    return groups[GROUP_COLUMNS]


def _codes(values: pd.Series) -> np.ndarray:
    """An integer per distinct value (a blank is a value too)."""
    return values.factorize(use_na_sentinel=False)[0].astype(np.int64)


def _message_codes(values: pd.Series) -> np.ndarray:
    """An integer per distinct message: Messages are unhashable (their params are a dict), so
    each distinct object is described once and equal descriptions share a code."""
    objects = values.to_numpy(dtype=object)
    identities = np.fromiter(map(id, objects), dtype=np.uint64, count=len(objects))
    object_code, distinct = pd.factorize(identities)
    first = _first_positions(object_code, len(distinct))
    described_once = [_identity(objects[position]) for position in first.tolist()]
    description_code, _ = pd.factorize(np.asarray(described_once + [""], dtype=object)[:-1])
    return description_code[object_code]


def _first_positions(codes: np.ndarray, count: int) -> np.ndarray:
    """Where each code 0..count-1 first occurs (written back to front: the first write stays last)."""
    first = np.zeros(count, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return first


def _identity(value: object) -> str:
    """A text equal for equal messages: params in name order, nested messages the same way."""
    if isinstance(value, Message):
        params = ", ".join(f"{name}={_identity(value.params[name])}" for name in sorted(value.params))
        return f"{value.key}({params})"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_identity(item) for item in value) + "]"
    return "" if value is None or value is pd.NA else repr(value)


def _group_ids(codes: list[np.ndarray]) -> np.ndarray:
    """One integer per distinct combination of the codes, numbered in order of first appearance."""
    group = codes[0].astype(np.int64)
    for code in codes[1:]:  # pairwise, renumbered each time: the products stay far below 2**63
        group = pd.factorize(group * (int(code.max()) + 1) + code)[0].astype(np.int64)
    return group


def _rows_per_group(rows: pd.Series, group: np.ndarray, group_count: int, rows_kept: int) -> list[np.ndarray]:
    """Each group's Excel rows, sorted, unique, the first `rows_kept` of them."""
    known = rows.notna().to_numpy()
    row_numbers = rows.to_numpy(dtype="int64", na_value=0)[known]
    owner = group[known]
    order = np.lexsort((row_numbers, owner))
    owner, row_numbers = owner[order], row_numbers[order]
    fresh = np.ones(len(owner), dtype=bool)
    fresh[1:] = (owner[1:] != owner[:-1]) | (row_numbers[1:] != row_numbers[:-1])
    owner, row_numbers = owner[fresh], row_numbers[fresh]
    starts = np.searchsorted(owner, np.arange(group_count))
    place = np.arange(len(owner)) - starts[owner]
    kept = place < rows_kept
    owner, row_numbers = owner[kept], row_numbers[kept]
    return np.split(row_numbers, np.searchsorted(owner, np.arange(1, group_count)))


def row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted, unique rows as runs of consecutive rows: [3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    values = np.asarray(rows, dtype=np.int64)
    if not len(values):
        return []
    breaks = np.flatnonzero(np.diff(values) != 1)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(values) - 1]))
    return list(zip(values[starts].tolist(), values[ends].tolist()))


# ── wording shared by the stages ──────────────────────────────────────────────


def value_kind(vocab: str) -> Message:
    """What a vocabulary's values are called in a sentence ("service type")."""
    return message(f"problem.kind.{vocab}")


def vocab_fix(vocab: str, value: object) -> Message:
    """The nearest allowed value ("Did you mean 'helpline'?"), else the allowed values."""
    values = vocabulary(vocab)
    suggestion = nearest(value, values.lookup, cutoff=VOCAB_SUGGESTION_CUTOFF)
    if suggestion:
        return message("problem.did_you_mean", value=suggestion)
    return message("problem.use_one_of", values=list(values.values))


def plain_number(number: float) -> float | int:
    """A number as a person writes it in a message: 5, not 5.0."""
    return int(number) if float(number).is_integer() else number


# ── the edges: texts in a language ────────────────────────────────────────────


def rows_text(rows: Sequence[int], count: int, language: str = DEFAULT_LANGUAGE) -> str:
    """The rows of a group as a reader scans them: "row 3", or "rows 3–12, 14, 21 … (665 rows)"."""
    if count == 1 and len(rows) == 1:
        return render(message("problems.one_row", row=rows[0]), language)
    return render(message("problems.many_rows", rows=row_list_text(rows, count), count=Quantity(count)), language)


def row_list_text(rows: Sequence[int], count: int) -> str:
    """The first RANGES_SHOWN runs of rows, "3–12, 14, 21", then "…" when rows are left out."""
    if not len(rows):
        return ""  # a problem about a whole file, sheet or column
    runs = row_runs(rows)
    shown = ", ".join(f"{first}–{last}" if last > first else str(first) for first, last in runs[:RANGES_SHOWN])
    return shown + " …" if len(runs) > RANGES_SHOWN or count > len(rows) else shown


def render_problems(problems: pd.DataFrame, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The problems table with its message and suggestion as text in `language` (for pages and
    CSV downloads); a problem without a suggestion keeps None there."""
    rendered = problems.copy()
    for column in TEXT_COLUMNS:
        texts = _once_each(problems[column], lambda item: None if item is None else render(item, language))
        rendered[column] = pd.Series(texts, index=problems.index, dtype=object)
    return rendered


def problem_records(problems: pd.DataFrame, language: str = DEFAULT_LANGUAGE) -> list[dict]:
    """The problems (or their groups) as JSON-ready dicts: the table's columns with message and
    suggestion as text in `language`, then `key`, `params`, `suggestion_key` and
    `suggestion_params`, so other tools can word the problems themselves. (The rows of one
    problem share their params.) Groups add `count` and `rows` (a list of Excel rows)."""
    columns = GROUP_COLUMNS if "count" in problems else PROBLEM_COLUMNS
    fixed = [column for column in columns if column not in TEXT_COLUMNS]
    rows = problems[fixed].astype(object).where(problems[fixed].notna(), None).to_dict("records")
    messages = _once_each(problems["message"], lambda item: described(item, "", language))
    suggestions = _once_each(problems["suggestion"], lambda item: described(item, "suggestion", language))
    records = []
    for row, said, advised in zip(rows, messages, suggestions):
        if row["row"] is not None:
            row["row"] = int(row["row"])
        grouped = {"count": int(row.pop("count")), "rows": list(row.pop("rows"))} if "rows" in row else {}
        records.append(
            {
                **row,
                "message": said["text"],
                "suggestion": advised["suggestion"],
                **grouped,
                "key": said["key"],
                "params": said["params"],
                "suggestion_key": advised["suggestion_key"],
                "suggestion_params": advised["suggestion_params"],
            }
        )
    return records


def _once_each(items: pd.Series, convert: Callable[[Message | None], object]) -> list:
    """convert(item) for each item, worked out once per object: the rows of one logged chunk
    share one Message, and a problem often spans thousands of rows."""
    done: dict[int, object] = {}
    results = []
    for item in items:
        if id(item) not in done:
            done[id(item)] = convert(item if isinstance(item, Message) else None)  # NA cells: no message
        results.append(done[id(item)])
    return results
