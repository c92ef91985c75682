"""Scorecards ("Making the Grade"): each year, each department or actor scored 0 to 10 on the
workspace's criteria, with a rationale. Checked like an upload (every problem says where and
how to fix it), followed over the years, and a finding when an actor's score falls.
Plain functions over DataFrames; the store keeps the scores (vawmap/store/workshop.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook

from vawmap.cells import is_blank
from vawmap.exports import write_sheet
from vawmap.ingest.read import UnreadableFile, read_upload
from vawmap.messages import Message, Quantity, message
from vawmap.workshop import by_key, record_sheets, rules

SHEET = "scorecards"
MAX_SHEET_BYTES = 5_000_000  # a year's scorecards is a few hundred rows; anything far larger is refused


def score_columns() -> list[str]:
    return list(record_sheets()[SHEET])


def score_range() -> tuple[int, int]:
    return int(rules()["score_min"]), int(rules()["score_max"])


def default_criteria(language: str) -> list[str]:
    """The criteria a workspace starts with, in its language."""
    return [criterion.get(language, criterion["en"]) for criterion in rules()["default_criteria"]]


def empty_scores() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in score_columns()})


def check_scores(
    frame: pd.DataFrame,
    actor_ids: Iterable[str],
    criteria: Iterable[str],
    *,
    file: str | None = None,
    sheet: str | None = None,
    first_row: int = 2,
) -> tuple[pd.DataFrame, list[Message]]:
    """The rows that are valid scores (year, actor_id, criterion, score, rationale) and a
    problem for each row that is not, naming the row (the Excel row when `file` is given: the
    header is row 1), the column and the fix. Blank rows are skipped; when the same actor,
    criterion and year come twice, the first is kept."""
    missing = [column for column in score_columns() if column != "rationale" and column not in frame.columns]
    if missing:
        return empty_scores(), [message("scorecard.missing_columns", where=_where(file, sheet), columns=missing)]
    table = frame.reindex(columns=score_columns()).reset_index(drop=True)
    table = table[~table[["year", "actor_id", "criterion", "score"]].map(is_blank).all(axis=1)]
    rows = pd.Series(table.index + first_row, index=table.index)
    low, high = score_range()
    text = {
        column: table[column].map(lambda value: "" if is_blank(value) else str(value).strip())
        for column in ("actor_id", "criterion", "rationale")
    }
    year = pd.to_numeric(table["year"], errors="coerce")
    score = pd.to_numeric(table["score"], errors="coerce")
    checks = [
        ("year", year.isna() | (year != year.round()) | ~year.between(1900, 2200), "scorecard.year_invalid"),
        ("actor_id", ~text["actor_id"].isin(set(actor_ids)), "scorecard.actor_unknown"),
        ("criterion", ~text["criterion"].isin(set(criteria)), "scorecard.criterion_unknown"),
        ("score", score.isna() | ~score.between(low, high), "scorecard.score_invalid"),
    ]
    problems: list[Message] = []
    bad = pd.Series(False, index=table.index)
    for column, wrong, key in checks:
        for index in table.index[wrong]:
            where = _where(file, sheet, int(rows[index]), column)
            problems.append(message(key, where=where, value=_shown(table.at[index, column]), low=low, high=high))
        bad |= wrong
    valid = pd.DataFrame(
        {
            "year": year[~bad].astype("int64"),
            "actor_id": text["actor_id"][~bad],
            "criterion": text["criterion"][~bad],
            "score": score[~bad].astype("float64"),
            "rationale": text["rationale"][~bad],
        }
    )
    repeated = valid.duplicated(["year", "actor_id", "criterion"])
    for index in valid.index[repeated]:
        where = _where(file, sheet, int(rows[index]), "criterion")
        problems.append(
            message(
                "scorecard.repeated",
                where=where,
                actor=valid.at[index, "actor_id"],
                criterion=valid.at[index, "criterion"],
                year=int(valid.at[index, "year"]),
            )
        )
    return valid[~repeated].reset_index(drop=True), problems


def _where(file: str | None, sheet: str | None, row: int | None = None, column: str | None = None) -> Message:
    if file is None:
        return message("scorecard.where_table", row=row, column=column) if row else message("scorecard.where_table_all")
    if row is None:
        return message("scorecard.where_sheet_all", file=file, sheet=sheet)
    return message("scorecard.where_sheet", file=file, sheet=sheet, row=row, column=column)


def _shown(value: object) -> str:
    return "" if is_blank(value) else str(value)


def score_trend(scores: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Each actor's score each year: the mean over the criteria scored (year, actor_id, name, score)."""
    trend = scores.groupby(["actor_id", "year"], as_index=False)["score"].mean()
    trend["name"] = trend["actor_id"].map(by_key(actors, "actor_id", "name")).fillna(trend["actor_id"])
    return trend.sort_values(["name", "year"], kind="stable")[["year", "actor_id", "name", "score"]].reset_index(
        drop=True
    )


def falling_scores(scores: pd.DataFrame, actors: pd.DataFrame) -> list[Message]:
    """A finding for each actor whose score fell from one year scored to the next, the largest
    falls first."""
    trend = score_trend(scores, actors)
    previous = trend.groupby("actor_id")[["year", "score"]].shift()
    fell = trend.assign(before=previous["score"], since=previous["year"])
    fell = fell[fell["score"] < fell["before"]]
    fell = fell.assign(drop=fell["before"] - fell["score"]).sort_values("drop", ascending=False, kind="stable")
    return [
        message(
            "scorecard.score_fell",
            actor=row.name,
            before=Quantity(row.before),
            since=int(row.since),
            after=Quantity(row.score),
            year=int(row.year),
        )
        for row in fell.itertuples()
    ]


def read_score_sheet(name: str, data: bytes) -> tuple[pd.DataFrame | None, list[Message], str]:
    """The cells of a scorecard sheet (.xlsx: the sheet named "scorecards", else the first;
    else CSV), as text, with the sheet's name; or None and why it cannot be read."""
    if len(data) > MAX_SHEET_BYTES:
        return None, [message("scorecard.too_large", file=name, limit=Quantity(MAX_SHEET_BYTES / 1e6))], ""
    try:
        # Through the upload reader: its bounds (cells, unpacked size, zip bombs) and its
        # encodings and delimiters hold for a scorecard sheet as for any upload.
        sheets = read_upload(name, data)
    except UnreadableFile:
        return None, [message("scorecard.unreadable", file=name)], ""
    raw = next((sheet for sheet in sheets if sheet.name == SHEET), sheets[0]) if sheets else None
    if raw is None or raw.cells.empty:
        return None, [message("scorecard.unreadable", file=name)], ""
    header = ["" if pd.isna(value) else str(value).strip() for value in raw.cells.iloc[0]]
    cells = raw.cells.iloc[1:].set_axis(header, axis=1).reset_index(drop=True)
    return cells, [], raw.name if raw.name != raw.file else name


def score_sheet_xlsx(scores: pd.DataFrame) -> bytes:
    """The scores as one "scorecards" sheet that imports again as it is; text cells stay text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    write_sheet(workbook, SHEET, scores[score_columns()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
