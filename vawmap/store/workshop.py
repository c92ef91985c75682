"""The workshop record in the store: sessions (who came, notes per sector, engagement changes,
decisions and commitments, action items) and scorecards with their criteria. They belong to a
workspace, not to a version. Every function names the workspace, and a session of another
workspace is never touched. Bad values are refused with a StoreError whose Message says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from vawmap.cells import is_blank
from vawmap.messages import message
from vawmap.store.workshop_tables import (
    ActionItem,
    Commitment,
    EngagementChange,
    Participant,
    Score,
    ScorecardCriterion,
    SectorNote,
    WorkshopSession,
)
from vawmap.store.workspaces import StoreError, _now, _workspace
from vawmap.workshop import action_statuses, change_problem, record_sheets

# Backup sheet -> (table, its columns besides session_id, named alike in the table and the sheet).
SESSION_CHILDREN: dict[str, tuple[Any, tuple[str, ...]]] = {
    "workshop_participants": (Participant, ("actor_id", "guest")),
    "workshop_sector_notes": (SectorNote, ("sector", "text")),
    "workshop_changes": (EngagementChange, ("actor_id", "field", "before", "after", "changed_at")),
    "workshop_decisions": (Commitment, ("actor_id", "text")),
    "workshop_actions": (ActionItem, ("what", "owner_actor_id", "due_on", "status")),
}


@dataclass(frozen=True)
class WorkshopRecords:
    """A workspace's workshop record as tables, each row with its session_id."""

    sessions: pd.DataFrame  # session_id, held_on, place, facilitator, note
    participants: pd.DataFrame  # session_id, actor_id, guest
    sector_notes: pd.DataFrame  # session_id, sector, text
    changes: pd.DataFrame  # session_id, actor_id, field, before, after, changed_at
    decisions: pd.DataFrame  # session_id, actor_id, text
    actions: pd.DataFrame  # action_id, session_id, what, owner_actor_id, due_on, status


# ── sessions and what happens in them ───────────────────────────────────────


def add_session(
    engine: Engine,
    workspace: str,
    held_on: dt.date,
    *,
    place: str = "",
    facilitator: str = "",
    note: str = "",
    actors: Sequence[str] = (),
    guests: Sequence[str] = (),
) -> int:
    """A new session with its participants (actors of the data by id, guests by name); its id."""
    guests = [guest.strip() for guest in guests if guest and guest.strip()]
    with Session(engine) as session:
        space = _workspace(session, workspace)
        meeting = WorkshopSession(
            workspace_id=space.id, held_on=held_on, place=place.strip(), facilitator=facilitator.strip(), note=note
        )
        session.add(meeting)
        session.flush()
        session.add_all(Participant(session_id=meeting.id, actor_id=actor) for actor in dict.fromkeys(actors))
        session.add_all(Participant(session_id=meeting.id, guest=guest) for guest in dict.fromkeys(guests))
        session.commit()
        return meeting.id


def add_sector_note(engine: Engine, workspace: str, session_id: int, sector: str, text: str) -> None:
    _add(engine, workspace, session_id, SectorNote(sector=sector, text=_needed(text)))


def record_change(
    engine: Engine, workspace: str, session_id: int, actor_id: str, field: str, before: object, after: object
) -> None:
    """The room's new value of an actor's engagement, influence or interest, with the one before."""
    problem = change_problem(field, after)
    if problem is not None:
        raise StoreError(problem)
    change = EngagementChange(
        actor_id=actor_id,
        field=field,
        before=None if is_blank(before) else str(before),
        after=str(after),
        changed_at=_now(),
    )
    _add(engine, workspace, session_id, change)


def add_decision(engine: Engine, workspace: str, session_id: int, text: str, actor_id: str | None = None) -> None:
    """A decision of the room, or (with an actor) what that actor commits to."""
    _add(engine, workspace, session_id, Commitment(actor_id=actor_id or None, text=_needed(text)))


def add_action(
    engine: Engine,
    workspace: str,
    session_id: int,
    what: str,
    owner_actor_id: str | None,
    due_on: dt.date | None,
    status: str = "open",
) -> None:
    _status(status)
    item = ActionItem(what=_needed(what), owner_actor_id=owner_actor_id or None, due_on=due_on, status=status)
    _add(engine, workspace, session_id, item)


def set_action_statuses(engine: Engine, workspace: str, statuses: Mapping[int, str]) -> None:
    """New statuses of action items (by id) of the workspace, in one transaction."""
    for status in statuses.values():
        _status(status)
    with Session(engine) as session:
        space = _workspace(session, workspace)
        items = session.scalars(
            select(ActionItem)
            .join(WorkshopSession, WorkshopSession.id == ActionItem.session_id)
            .where(WorkshopSession.workspace_id == space.id, ActionItem.id.in_(list(statuses)))
        ).all()
        for item in items:
            item.status = statuses[item.id]
        session.commit()


def records(engine: Engine, workspace: str) -> WorkshopRecords:
    with Session(engine) as session:
        space = _workspace(session, workspace)
        sessions = select(WorkshopSession.id.label("session_id")).where(WorkshopSession.workspace_id == space.id)
        ids = sessions.scalar_subquery()
        connection = session.connection()

        def read(statement) -> pd.DataFrame:
            return pd.read_sql(statement, connection)

        def children(sheet_name: str, *first) -> pd.DataFrame:
            """A table of what happened in the workspace's sessions, in the order it was recorded."""
            table, columns = SESSION_CHILDREN[sheet_name]
            chosen = [getattr(table, column) for column in columns]
            return read(select(*first, table.session_id, *chosen).where(table.session_id.in_(ids)).order_by(table.id))

        return WorkshopRecords(
            sessions=read(
                select(
                    WorkshopSession.id.label("session_id"),
                    WorkshopSession.held_on,
                    WorkshopSession.place,
                    WorkshopSession.facilitator,
                    WorkshopSession.note,
                )
                .where(WorkshopSession.workspace_id == space.id)
                .order_by(WorkshopSession.held_on, WorkshopSession.id)
            ),
            participants=children("workshop_participants"),
            sector_notes=children("workshop_sector_notes"),
            changes=children("workshop_changes"),
            decisions=children("workshop_decisions"),
            actions=children("workshop_actions", ActionItem.id.label("action_id")),
        )


# ── scorecards ───────────────────────────────────────────────────────────────


def criteria(engine: Engine, workspace: str) -> list[str]:
    """The workspace's scorecard criteria, in order ([] until set)."""
    with Session(engine) as session:
        space = _workspace(session, workspace)
        return list(
            session.scalars(
                select(ScorecardCriterion.name)
                .where(ScorecardCriterion.workspace_id == space.id)
                .order_by(ScorecardCriterion.position)
            )
        )


def set_criteria(engine: Engine, workspace: str, names: Iterable[str]) -> list[str]:
    """Replace the workspace's criteria (blank and repeated names left out); scores already given
    on a criterion stay."""
    kept = list(dict.fromkeys(name.strip() for name in names if isinstance(name, str) and name.strip()))
    with Session(engine) as session:
        space = _workspace(session, workspace)
        session.execute(delete(ScorecardCriterion).where(ScorecardCriterion.workspace_id == space.id))
        session.add_all(
            ScorecardCriterion(workspace_id=space.id, name=name, position=position)
            for position, name in enumerate(kept)
        )
        session.commit()
    return kept


def scores(engine: Engine, workspace: str) -> pd.DataFrame:
    """Every score of the workspace: year, actor_id, criterion, score, rationale."""
    with Session(engine) as session:
        space = _workspace(session, workspace)
        return pd.read_sql(
            select(Score.year, Score.actor_id, Score.criterion, Score.score, Score.rationale)
            .where(Score.workspace_id == space.id)
            .order_by(Score.year, Score.actor_id, Score.id),
            session.connection(),
        )


def save_scores(engine: Engine, workspace: str, frame: pd.DataFrame, years: Iterable[int] | None = None) -> None:
    """Make `frame` (checked rows: vawmap.scorecards.check_scores) the scores of `years` (default:
    the years it holds), in one transaction: scores of other years stay as they are."""
    years = sorted({int(year) for year in (frame["year"] if years is None else years)})
    with Session(engine) as session:
        space = _workspace(session, workspace)
        session.execute(delete(Score).where(Score.workspace_id == space.id, Score.year.in_(years)))
        session.add_all(
            Score(
                workspace_id=space.id,
                year=int(row.year),
                actor_id=str(row.actor_id),
                criterion=str(row.criterion),
                score=float(row.score),
                rationale="" if is_blank(row.rationale) else str(row.rationale),
            )
            for row in frame[frame["year"].isin(years)].itertuples(index=False)
        )
        session.commit()


# ── backup: the record as sheets, and back ───────────────────────────────────


def record_frames(engine: Engine, workspace: str) -> dict[str, pd.DataFrame]:
    """The workspace's workshop record and scorecards as the backup's sheets (vawmap/data/
    workshop.toml): sessions numbered 1, 2, ... in the file, by date."""
    found = records(engine, workspace)
    number = {session_id: position for position, session_id in enumerate(found.sessions["session_id"], start=1)}
    frames = {"workshop_sessions": found.sessions.assign(session=found.sessions["session_id"].map(number))}
    for sheet_name, frame in (
        ("workshop_participants", found.participants),
        ("workshop_sector_notes", found.sector_notes),
        # A time written as text: the backup's date cells hold days only.
        ("workshop_changes", found.changes.assign(changed_at=found.changes["changed_at"].map(_iso))),
        ("workshop_decisions", found.decisions),
        ("workshop_actions", found.actions),
    ):
        frames[sheet_name] = frame.assign(session=frame["session_id"].map(number))
    frames["scorecard_criteria"] = pd.DataFrame({"criterion": criteria(engine, workspace)}, dtype="object")
    frames["scorecards"] = scores(engine, workspace)
    return {name: frames[name].reindex(columns=columns) for name, columns in record_sheets().items()}


def restore_records(engine: Engine, workspace: str, frames: Mapping[str, pd.DataFrame]) -> None:
    """Add the record of a backup's sheets (record_frames) to the workspace, in one transaction:
    its sessions as new sessions, but for those the workspace already holds (the same day,
    place, facilitator and note: the backup imported again), whose record is not added twice;
    its criteria and scores in place of the workspace's."""
    with Session(engine) as session:
        space = _workspace(session, workspace)
        held = set(
            session.execute(
                select(
                    WorkshopSession.held_on, WorkshopSession.place, WorkshopSession.facilitator, WorkshopSession.note
                ).where(WorkshopSession.workspace_id == space.id)
            ).all()
        )
        numbers: dict[object, int | None] = {}
        for row in frames.get("workshop_sessions", pd.DataFrame(columns=["session"])).itertuples(index=False):
            meeting = WorkshopSession(
                workspace_id=space.id,
                held_on=pd.Timestamp(row.held_on).date(),
                place=_text(row.place),
                facilitator=_text(row.facilitator),
                note=_text(row.note),
            )
            if (meeting.held_on, meeting.place, meeting.facilitator, meeting.note) in held:
                numbers[int(row.session)] = None  # recorded already, with what was said in it
                continue
            session.add(meeting)
            session.flush()
            numbers[int(row.session)] = meeting.id
        for sheet_name, (table, columns) in SESSION_CHILDREN.items():
            frame = frames.get(sheet_name)
            if frame is None:
                continue
            for row in frame.to_dict("records"):
                if (session_id := numbers[int(row["session"])]) is None:
                    continue
                values = {column: _value(column, row.get(column)) for column in columns}
                session.add(table(session_id=session_id, **values))
        if "scorecard_criteria" in frames:
            session.execute(delete(ScorecardCriterion).where(ScorecardCriterion.workspace_id == space.id))
            names = [_text(name) for name in frames["scorecard_criteria"]["criterion"] if not is_blank(name)]
            session.add_all(
                ScorecardCriterion(workspace_id=space.id, name=name, position=position)
                for position, name in enumerate(dict.fromkeys(names))
            )
        if "scorecards" in frames:
            session.execute(delete(Score).where(Score.workspace_id == space.id))
            session.add_all(
                Score(
                    workspace_id=space.id,
                    year=int(row["year"]),
                    actor_id=_text(row["actor_id"]),
                    criterion=_text(row["criterion"]),
                    score=float(row["score"]),
                    rationale=_text(row.get("rationale")),
                )
                for row in frames["scorecards"].to_dict("records")
            )
        session.commit()


# ── helpers ──────────────────────────────────────────────────────────────────


def _add(engine: Engine, workspace: str, session_id: int, record) -> None:
    with Session(engine) as session:
        space = _workspace(session, workspace)
        meeting = session.get(WorkshopSession, session_id)
        if meeting is None or meeting.workspace_id != space.id:
            raise StoreError(message("workshop.unknown_session", name=workspace))
        record.session_id = meeting.id
        session.add(record)
        session.commit()


def _needed(text: str) -> str:
    if is_blank(text) or not str(text).strip():
        raise StoreError(message("workshop.text_blank"))
    return str(text).strip()


def _status(status: str) -> None:
    if status not in action_statuses():
        raise StoreError(message("workshop.status_unknown", status=status, statuses=list(action_statuses())))


def _text(value: object) -> str:
    return "" if is_blank(value) else str(value)


def _iso(value: object) -> str:
    return pd.Timestamp(value).isoformat(timespec="seconds")


def _value(column: str, value: object) -> object:
    if is_blank(value):
        return "open" if column == "status" else None
    if column == "due_on":
        return pd.Timestamp(value).date()
    if column == "changed_at":
        return pd.Timestamp(value).to_pydatetime()
    return str(value)
