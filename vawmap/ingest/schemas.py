"""pandera schemas for the five canonical sheets, built from the contract, and what their
failures mean for the upload (`schema_problems`).

A failure on a required column sets the row aside (error); a failure on an optional
column clears that cell and warns. Cross-column rules are named wide checks, each with
the column it reports on and its severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pandera.pandas as pa

from vawmap.contract import ColumnSpec, sheet
from vawmap.ingest.normalise import clean_text
from vawmap.ingest.problems import ERROR, WARNING, plain_number, value_kind, vocab_fix
from vawmap.messages import Message, message
from vawmap.vocab import vocabulary

_BELOW_NATIONAL = ("subnational", "local")


@dataclass(frozen=True)
class WideRule:
    column: str
    severity: str
    message_key: str


# Rules across columns, by check name.
WIDE_RULES = {
    "actor_region_below_national": WideRule("region", ERROR, "problem.region_below_national"),
    "body_region_below_national": WideRule("region", WARNING, "problem.body_region_below_national"),
    "link_to_itself": WideRule("target", WARNING, "problem.link_to_itself"),
}


def _region_given_below_national(frame: pd.DataFrame) -> pd.Series:
    return ~(frame["level"].isin(_BELOW_NATIONAL).fillna(False) & frame["region"].isna())


def _link_not_to_itself(frame: pd.DataFrame) -> pd.Series:
    same = frame["source"].str.casefold() == frame["target"].str.casefold()
    return ~same.fillna(False).astype(bool)


_WIDE_CHECKS = {
    "actors": [pa.Check(_region_given_below_national, name="actor_region_below_national")],
    "coordination_bodies": [pa.Check(_region_given_below_national, name="body_region_below_national")],
    "links": [pa.Check(_link_not_to_itself, name="link_to_itself")],
}
_UNIQUE = {("actors", "actor_id"), ("regions", "region")}


def _checks(column: ColumnSpec) -> list[pa.Check]:
    checks = []
    if column.kind == "vocab":
        checks.append(pa.Check.isin(vocabulary(column.vocabulary).values))
    if column.min is not None and column.max is not None:
        checks.append(pa.Check.in_range(column.min, column.max))
    elif column.min is not None:
        checks.append(pa.Check.ge(column.min))
    elif column.max is not None:
        checks.append(pa.Check.le(column.max))
    return checks


@cache
def schema(sheet_name: str) -> pa.DataFrameSchema:
    spec = sheet(sheet_name)
    columns = {
        name: pa.Column(
            checks=_checks(column),
            nullable=not column.required,
            unique=(sheet_name, name) in _UNIQUE,
            report_duplicates="exclude_first",
        )
        for name, column in spec.columns.items()
    }
    return pa.DataFrameSchema(columns, checks=_WIDE_CHECKS.get(sheet_name, []), strict=False, name=sheet_name)


def failure_cases(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases (column, check, failure_case, index); empty when all is well."""
    try:
        schema(sheet_name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return errors.failure_cases
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])


CHECK_KINDS = ("not_nullable", "isin", "range", "unique", "other")  # the families of single-column checks


def check_kind(check: str) -> str:
    """The family of a pandera check name: not_nullable, isin, range, unique, or a wide rule name."""
    if check in WIDE_RULES or check == "not_nullable":
        return check
    if check.startswith("isin"):
        return "isin"
    if check.startswith(("in_range", "greater_than", "less_than")):
        return "range"
    if "unique" in check or "duplicate" in check:
        return "unique"
    return "other"


# ── failures as problems ──────────────────────────────────────────────────────


@dataclass(frozen=True)
class SchemaProblem:
    """One failed rule on some rows: where, how bad, what to say, and what it does to the rows."""

    positions: np.ndarray  # row positions in the frame validated
    column: str
    severity: str
    message: Message
    suggestion: Message | None
    clears_cell: bool = False  # a bad value in an optional column: the cell is emptied, the row loads
    sets_aside: bool = False  # an error: the row is set aside


def schema_problems(sheet_name: str, frame: pd.DataFrame) -> list[SchemaProblem]:
    """What pandera finds wrong with a sheet's rows, one problem per column, rule and value.
    `frame` has a RangeIndex, so pandera's index labels are row positions."""
    cases = failure_cases(sheet_name, frame)
    if cases.empty:
        return []
    cases = cases.dropna(subset=["index"])
    # pandera lists a failed rule across columns once per column of the row: report it once per row.
    wide = cases["check"].isin(list(WIDE_RULES))
    cases.loc[wide, "column"] = cases.loc[wide, "check"].map(lambda check: WIDE_RULES[check].column)
    cases.loc[wide, "failure_case"] = None
    cases = cases.drop_duplicates(["check", "index", "column"])
    spec = sheet(sheet_name)
    problems = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        if column not in spec.columns:
            continue
        kind = check_kind(check)
        rule = WIDE_RULES.get(kind)
        severity = rule.severity if rule else (ERROR if spec.columns[column].required else WARNING)
        for value, positions in _positions_per_value(group):
            said, fix = schema_message(kind, spec.columns[column], value)
            problems.append(
                SchemaProblem(
                    positions=positions,
                    column=column,
                    severity=severity,
                    message=said,
                    suggestion=fix,
                    clears_cell=severity == WARNING and not rule,
                    sets_aside=severity == ERROR,
                )
            )
    return problems


def _positions_per_value(group: pd.DataFrame) -> list[tuple[object, np.ndarray]]:
    """Each distinct failure_case (a blank one too) with the row positions that hold it, in
    order of first appearance: one stable sort, not a groupby of thousands of small groups."""
    codes, values = pd.factorize(group["failure_case"].to_numpy(dtype=object), use_na_sentinel=False)
    positions = group["index"].to_numpy().astype(int)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(1, len(values)))
    return list(zip(values.tolist(), np.split(positions[order], starts)))


def schema_message(kind: str, column: ColumnSpec, value: object) -> tuple[Message, Message | None]:
    """The message and the suggested fix for a failed check of `kind` (a CHECK_KINDS family
    or a WIDE_RULES name) on `value` in `column`."""
    rule = WIDE_RULES.get(kind)
    if rule:
        return message(rule.message_key), message(f"{rule.message_key}_fix")
    if kind == "not_nullable":
        return message("problem.required_blank"), message("problem.required_blank_fix")
    if kind == "isin":
        return message("problem.unknown_value", value=value, kind=value_kind(column.vocabulary)), vocab_fix(
            column.vocabulary, value
        )
    if kind == "range":
        allowed = range_message(column)
        shown = clean_text(value)  # as written: 200, not 200.0
        return message("problem.out_of_range", value=shown, allowed=allowed), message(
            "problem.out_of_range_fix", allowed=allowed
        )
    if kind == "unique":
        return message("problem.not_unique", value=value, column=column.name), message("problem.not_unique_fix")
    return message("problem.invalid", value=value), None


def range_message(column: ColumnSpec) -> Message:
    """The values a column allows: "from 1 to 5", "of 0 or more"."""
    if column.min is not None and column.max is not None:
        return message("problem.range_between", min=plain_number(column.min), max=plain_number(column.max))
    if column.min is not None:
        return message("problem.range_at_least", min=plain_number(column.min))
    assert column.max is not None, f"{column.name} has no range"
    return message("problem.range_at_most", max=plain_number(column.max))
