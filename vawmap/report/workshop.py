"""The workshop's decisions and action items as tables of the report, from a workspace's record
(vawmap/store/workshop.py): what the room decided leaves the room with the gaps."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from vawmap.i18n import t
from vawmap.report.content import DATE, TEXT, YES_NO, Table
from vawmap.workshop import action_table, by_key

# The action statuses' catalogue keys, as the Workshop page words them.
STATUS_KEYS = {"open": "workshop.status_open", "done": "workshop.status_done", "dropped": "workshop.status_dropped"}


def workshop_tables(records, actors: pd.DataFrame, language: str, today: dt.date) -> list[Table]:
    """The decisions and commitments, then the action items (the overdue first), each table
    only when the record has rows for it. `records` is a store.workshop.WorkshopRecords."""
    names = by_key(actors, "actor_id", "name")
    held = by_key(records.sessions, "session_id", "held_on")
    tables = []
    decisions = records.decisions
    if len(decisions):
        frame = pd.DataFrame(
            {
                t("report.column.held_on", language): _dates(decisions["session_id"].map(held)),
                t("report.column.actor", language): decisions["actor_id"].map(names).fillna("—").to_numpy(),
                t("report.column.commitment", language): decisions["text"].to_numpy(),
            }
        )
        tables.append(Table("decisions", frame, (DATE, TEXT, TEXT)))
    if len(records.actions):
        actions = action_table(records.actions, records.sessions, actors, today)
        frame = pd.DataFrame(
            {
                t("report.column.what", language): actions["what"].to_numpy(),
                t("report.column.owner", language): actions["owner"].fillna("—").to_numpy(),
                t("report.column.due_on", language): _dates(actions["due_on"]),
                t("report.column.status", language): [t(STATUS_KEYS[status], language) for status in actions["status"]],
                t("report.column.overdue", language): actions["overdue"].to_numpy(dtype=bool),
            }
        )
        tables.append(Table("action_items", frame, (TEXT, TEXT, DATE, TEXT, YES_NO)))
    return tables


def _dates(values: pd.Series) -> list[dt.date | None]:
    """The days as dates (None when there is none): the writers word them in the language."""
    parsed = pd.to_datetime(values, errors="coerce")
    return [day.date() if pd.notna(day) else None for day in parsed]
