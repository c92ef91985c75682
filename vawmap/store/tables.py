"""The store's tables (SQLAlchemy 2). Changing them means a new migration in migrations/versions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Workspace(Base):
    """A country's or programme's picture, made of versions."""

    __tablename__ = "workspace"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime]
    # The editor passphrase as a scrypt hash (vawmap/store/access.py); None: anyone may edit.
    editor_passphrase: Mapped[str | None] = mapped_column(String(300))


class Version(Base):
    """One immutable state of a workspace: every load, import or saved edit makes one."""

    __tablename__ = "version"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the workspace
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("version.id"))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    mapping: Mapped[str | None] = mapped_column(Text)  # the mapping profile used, as JSON


class VersionSheet(Base):
    """One canonical sheet of a version, as Arrow IPC (Feather) bytes: exact dtypes, compact."""

    __tablename__ = "version_sheet"
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"), primary_key=True)
    sheet: Mapped[str] = mapped_column(String(40), primary_key=True)
    rows: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SourceFile(Base):
    """A file a version was made from: its name and content hash (the bytes are not kept)."""

    __tablename__ = "source_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
