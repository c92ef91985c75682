"""The problems table: what is wrong with an upload, where, and how to fix it.

Each problem names the file, the sheet, the row as Excel shows it (None for a problem
with the whole file or sheet), the column as the user named it, a severity and a
plain-language message with a suggested fix. Many rows often share one problem (the same
misspelt region on 5,000 rows), so problems are logged in vectorised chunks: one message,
many row numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

ERROR = "error"
WARNING = "warning"
PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "severity", "message", "suggestion"]


class ProblemLog:
    """Collects problems; `frame()` gives the problems table, errors first."""

    def __init__(self) -> None:
        self._chunks: list[pd.DataFrame] = []

    def add(
        self,
        file: str,
        sheet: str,
        severity: str,
        message: str,
        *,
        rows: Iterable[int] | int | None = None,
        column: str = "",
        suggestion: str = "",
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

    def extend(self, other: "ProblemLog") -> None:
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
    return frame


def problem_records(problems: pd.DataFrame) -> list[dict]:
    """The problems as plain dicts (JSON-ready: NA row becomes None)."""
    records = problems.astype(object).where(problems.notna(), None).to_dict("records")
    for record in records:
        if record["row"] is not None:
            record["row"] = int(record["row"])
    return records
