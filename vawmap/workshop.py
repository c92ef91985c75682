"""The workshop record as tables: which action items are overdue, what an actor's engagement,
influence and interest are now after the room re-assessed them, and whether a new value is one
the actors sheet would accept. Plain functions over DataFrames; the store keeps the records
(vawmap/store/workshop.py), the pages lay them out.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from vawmap.contract import sheet
from vawmap.messages import Message, Term, message
from vawmap.vocab import load_data_file, vocabulary


@cache
def rules() -> dict:
    return load_data_file("workshop.toml")


def action_statuses() -> tuple[str, ...]:
    return tuple(rules()["action_status"])


def changed_fields() -> tuple[str, ...]:
    return tuple(rules()["changed_fields"])


def record_sheets() -> dict[str, list[str]]:
    """The backup's workshop sheets and their columns."""
    return dict(rules()["sheets"])


def overdue(actions: pd.DataFrame, today: dt.date) -> pd.Series:
    """True for each action item still open after its due date (computed, never stored)."""
    due = pd.to_datetime(actions["due_on"], errors="coerce")
    return (actions["status"] == "open") & due.notna() & (due < pd.Timestamp(today))


def by_key(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """The frame's `value` column indexed by its `key` column (the first row of a repeated key),
    for Series.map: an actor's name by its id, a session's date by its id."""
    if not len(frame):
        return pd.Series(dtype="object")
    return frame.drop_duplicates(key).set_index(key)[value]


def action_table(actions: pd.DataFrame, sessions: pd.DataFrame, actors: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Every action item of every session, each with its session's date, its owner's name and
    whether it is overdue; the overdue ones first, then by due date."""
    table = actions.assign(
        held_on=actions["session_id"].map(by_key(sessions, "session_id", "held_on")),
        owner=actions["owner_actor_id"].map(by_key(actors, "actor_id", "name")).fillna(actions["owner_actor_id"]),
        overdue=overdue(actions, today),
    )
    return table.sort_values(["overdue", "due_on"], ascending=[False, True], na_position="last", kind="stable")


def current_value(changes: pd.DataFrame, actors: pd.DataFrame, actor_id: str, field: str) -> object:
    """An actor's value of `field` now: the last change the room recorded, else the data's."""
    recorded = changes[(changes["actor_id"] == actor_id) & (changes["field"] == field)]
    if len(recorded):
        return recorded.sort_values("changed_at", kind="stable")["after"].iloc[-1]
    row = actors[actors["actor_id"] == actor_id]
    if row.empty or pd.isna(row[field].iloc[0]):
        return None
    value = row[field].iloc[0]
    return str(int(value)) if isinstance(value, int | float | np.integer | np.floating) else str(value)


def change_problem(field: str, value: object) -> Message | None:
    """Why `value` cannot be the actor's new `field` (the actors sheet's own rule), or None."""
    if field not in changed_fields():
        return message("workshop.field_unknown", field=field, fields=list(changed_fields()))
    spec = sheet("actors").columns[field]
    if spec.kind == "vocab":
        if str(value) not in vocabulary(spec.vocabulary).values:
            allowed = [Term(spec.vocabulary, item) for item in vocabulary(spec.vocabulary).values]
            return message("workshop.change_not_in_list", value=value, allowed=allowed)
        return None
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number) or number != int(number) or not (spec.min or 0) <= number <= (spec.max or number):
        return message("workshop.change_out_of_range", value=value, low=int(spec.min or 0), high=int(spec.max or 0))
    return None
