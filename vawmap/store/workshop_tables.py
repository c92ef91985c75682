"""The workshop record's tables (SQLAlchemy 2): sessions and what was said and agreed in them,
action items, scorecards. They belong to a workspace, not to one of its versions: a decision
stands whatever version of the data is shown. Made by migrations/versions/0002."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vawmap.store.tables import Base


class _InSession:
    """Something said or agreed in one session: numbered, and deleted with its session."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True)


class WorkshopSession(Base):
    """One meeting of the roundtable."""

    __tablename__ = "workshop_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date]
    place: Mapped[str] = mapped_column(String(200), default="")
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Participant(_InSession, Base):
    """Who sat at the table: an actor of the data (actor_id), or a guest by name."""

    __tablename__ = "workshop_participant"
    actor_id: Mapped[str | None] = mapped_column(String(100))
    guest: Mapped[str | None] = mapped_column(String(200))


class SectorNote(_InSession, Base):
    __tablename__ = "workshop_sector_note"
    sector: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class EngagementChange(_InSession, Base):
    """An actor's engagement, influence or interest as the room re-assessed it: before and after."""

    __tablename__ = "workshop_change"
    actor_id: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(20))  # engagement | influence | interest
    before: Mapped[str | None] = mapped_column(String(40))
    after: Mapped[str] = mapped_column(String(40))
    changed_at: Mapped[dt.datetime]


class Commitment(_InSession, Base):
    """A decision of the room, or what one actor commits to (actor_id set)."""

    __tablename__ = "workshop_decision"
    actor_id: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class ActionItem(_InSession, Base):
    """What, who (an actor), by when, and its status. Overdue is computed, never stored."""

    __tablename__ = "workshop_action"
    what: Mapped[str] = mapped_column(Text)
    owner_actor_id: Mapped[str | None] = mapped_column(String(100))
    due_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done | dropped


class ScorecardCriterion(Base):
    """A criterion the workspace scores departments on; editable, in order."""

    __tablename__ = "scorecard_criterion"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)


class Score(Base):
    """One actor's score (0 to 10) on one criterion in one year, with the rationale."""

    __tablename__ = "scorecard_score"
    __table_args__ = (UniqueConstraint("workspace_id", "year", "actor_id", "criterion"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[str] = mapped_column(String(100))
    criterion: Mapped[str] = mapped_column(String(200))
    score: Mapped[float]
    rationale: Mapped[str] = mapped_column(Text, default="")
