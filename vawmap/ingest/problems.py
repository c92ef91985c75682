"""The problems table: what is wrong with an upload, where, and how to fix it.

Each problem names the file, the sheet, the row as Excel shows it (None for a problem
with the whole file or sheet), the column as the user named it, a severity, a message and
a suggested fix. The message and the suggestion are `Message` values (a catalogue key and
its parameters), never sentences: the edges render them in the user's language with
`render_problems` (a table of texts) or `problem_records` (JSON records, with the keys).
Many rows often share one problem (the same misspelt region on 5,000 rows), so problems
are logged in vectorised chunks: one message, many row numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from vawmap.i18n import DEFAULT_LANGUAGE
from vawmap.messages import Message, described, message, render
from vawmap.vocab import nearest, vocabulary

ERROR = "error"
WARNING = "warning"
PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "severity", "message", "suggestion"]
TEXT_COLUMNS = ("message", "suggestion")  # the Message columns, rendered at the edges
VOCAB_SUGGESTION_CUTOFF = 70


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


def render_problems(problems: pd.DataFrame, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The problems table with its message and suggestion as text in `language` (for pages and
    CSV downloads); a problem without a suggestion keeps None there."""
    rendered = problems.copy()
    for column in TEXT_COLUMNS:
        texts = _once_each(problems[column], lambda item: None if item is None else render(item, language))
        rendered[column] = pd.Series(texts, index=problems.index, dtype=object)
    return rendered


def problem_records(problems: pd.DataFrame, language: str = DEFAULT_LANGUAGE) -> list[dict]:
    """The problems as JSON-ready dicts: the table's columns with message and suggestion as text
    in `language`, then `key`, `params`, `suggestion_key` and `suggestion_params`, so other
    tools can word the problems themselves. (The rows of one problem share their params.)"""
    fixed = [column for column in PROBLEM_COLUMNS if column not in TEXT_COLUMNS]
    rows = problems[fixed].astype(object).where(problems[fixed].notna(), None).to_dict("records")
    messages = _once_each(problems["message"], lambda item: described(item, "", language))
    suggestions = _once_each(problems["suggestion"], lambda item: described(item, "suggestion", language))
    records = []
    for row, said, advised in zip(rows, messages, suggestions):
        if row["row"] is not None:
            row["row"] = int(row["row"])
        records.append(
            {
                **row,
                "message": said["text"],
                "suggestion": advised["suggestion"],
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
