"""pandera schemas for the five canonical sheets, built from the contract.

A failure on a required column sets the row aside (error); a failure on an optional
column clears that cell and warns. Cross-column rules are named wide checks, each with
the column it reports on and its severity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from vawmap.contract import ColumnSpec, sheet
from vawmap.ingest.problems import ERROR, WARNING
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
        checks.append(pa.Check.isin(vocabulary(column.vocab).values))
    if column.min is not None and column.max is not None:
        checks.append(pa.Check.in_range(column.min, column.max))
    elif column.min is not None:
        checks.append(pa.Check.ge(column.min))
    elif column.max is not None:
        checks.append(pa.Check.le(column.max))
    return checks


@lru_cache(maxsize=None)
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
