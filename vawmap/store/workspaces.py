"""Workspaces and their versions: save a dataset as a new version, list, load.

A version is immutable: saving never changes one, it adds the next (number n + 1, its parent
the version the change started from). Two people saving at once both get their version: the
number is taken inside the transaction and taken again if another save took it first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vawmap.contract import SHEET_ORDER
from vawmap.dataset import Dataset, empty_frame
from vawmap.messages import Message, message
from vawmap.store.tables import SourceFile, Version, VersionSheet, Workspace

SAVE_ATTEMPTS = 50  # a save whose version number another save took first tries the next one
# A row's stable key, kept with the sheet of a version saved by an edit (vawmap/editing.py), so
# that edits started from different versions find the same rows. Left out of load_version's
# frames unless asked for: only editing reads it.
ROW_KEY = "_row_key"


class StoreError(Exception):
    """What went wrong, as a Message the edges word."""

    def __init__(self, said: Message) -> None:
        super().__init__(said.key)
        self.message = said


class UnknownWorkspace(StoreError, LookupError):
    pass


class NameTaken(StoreError, ValueError):
    pass


class VersionMoved(StoreError):
    """A save meant to follow a given version found a newer one: merge against it and save again."""


@dataclass(frozen=True)
class WorkspaceInfo:
    name: str
    language: str
    created_at: dt.datetime
    versions: int
    latest: int | None  # the newest version's number


@dataclass(frozen=True)
class VersionInfo:
    workspace: str
    number: int
    parent: int | None  # the number of the version it started from
    author: str
    created_at: dt.datetime
    note: str
    sources: tuple[tuple[str, str, int], ...]  # (file name, sha256, bytes)
    rows: Mapping[str, int]  # sheet -> rows


def source_record(name: str, data: bytes) -> tuple[str, str, int]:
    """(name, sha256, size) of a file a version is made from."""
    return name, hashlib.sha256(data).hexdigest(), len(data)


def create_workspace(engine: Engine, name: str, language: str = "en") -> WorkspaceInfo:
    name = name.strip()
    if not name:
        raise StoreError(message("store.name_blank"))
    with Session(engine) as session:
        session.add(Workspace(name=name, language=language, created_at=_now()))
        try:
            session.commit()
        except IntegrityError:
            raise NameTaken(message("store.name_taken", name=name)) from None
    return _workspace_info(engine, name)


def list_workspaces(engine: Engine) -> list[WorkspaceInfo]:
    with Session(engine) as session:
        rows = session.execute(
            select(Workspace, func.count(Version.id), func.max(Version.number))
            .outerjoin(Version, Version.workspace_id == Workspace.id)
            .group_by(Workspace.id)
            .order_by(Workspace.name)
        ).all()
    return [WorkspaceInfo(w.name, w.language, w.created_at, count, latest) for w, count, latest in rows]


def save_version(
    engine: Engine,
    workspace: str,
    frames: Mapping[str, pd.DataFrame],
    *,
    author: str,
    note: str = "",
    sources: Sequence[tuple[str, str, int]] = (),
    parent: int | None = None,
    mapping: str | None = None,
    after: int | None = None,
) -> VersionInfo:
    """Add the frames as the workspace's next version. `parent` is the number of the version the
    change started from (default: the newest). With `after`, the save is made only as the version
    right after that one (VersionMoved when another save came first): a merge made against
    version `after` is never saved over changes it has not seen."""
    sheets = {name: _to_bytes(frames[name]) for name in SHEET_ORDER if name in frames}
    rows = {name: len(frames[name]) for name in sheets}
    for _ in range(SAVE_ATTEMPTS):
        with Session(engine) as session:
            space = _workspace(session, workspace)
            newest = session.scalar(select(func.max(Version.number)).where(Version.workspace_id == space.id)) or 0
            if after is not None and newest != after:
                raise VersionMoved(message("store.busy"))
            start = newest if parent is None else parent
            parent_id = _version(session, space, start).id if start else None
            version = Version(
                workspace_id=space.id,
                number=newest + 1,
                parent_id=parent_id,
                author=author,
                created_at=_now(),
                note=note,
                mapping=mapping,
            )
            session.add(version)
            try:
                session.flush()
            except IntegrityError:  # another save took this number first: take the next
                session.rollback()
                if after is not None:
                    raise VersionMoved(message("store.busy")) from None
                continue
            session.add_all(
                VersionSheet(version_id=version.id, sheet=name, rows=rows[name], data=data)
                for name, data in sheets.items()
            )
            session.add_all(
                SourceFile(version_id=version.id, name=name, sha256=digest, size=size) for name, digest, size in sources
            )
            session.commit()
            return _version_info(session, space, version)
    raise StoreError(message("store.busy"))


def versions_of(engine: Engine, workspace: str) -> list[VersionInfo]:
    with Session(engine) as session:
        space = _workspace(session, workspace)
        versions = session.scalars(
            select(Version).where(Version.workspace_id == space.id).order_by(Version.number)
        ).all()
        return [_version_info(session, space, version) for version in versions]


def newest_version(engine: Engine, workspace: str) -> int:
    """The number of the workspace's newest version."""
    with Session(engine) as session:
        return _newest(session, _workspace(session, workspace))


def load_version(engine: Engine, workspace: str, number: int | None = None, *, keys: bool = False) -> Dataset:
    """The dataset of a version (default: the newest). Its token names the version, so every
    session showing it shares the cached engine results. With `keys`, each sheet saved by an
    edit keeps its ROW_KEY column."""
    with Session(engine) as session:
        space = _workspace(session, workspace)
        number = number or _newest(session, space)
        version = _version(session, space, number)
        stored = {
            row.sheet: row.data
            for row in session.scalars(select(VersionSheet).where(VersionSheet.version_id == version.id))
        }
        sources = tuple(session.scalars(select(SourceFile.name).where(SourceFile.version_id == version.id)).all())
        created = version.created_at
    frames = {name: _from_bytes(stored[name]) if name in stored else empty_frame(name) for name in SHEET_ORDER}
    if not keys:
        frames = {name: frame.drop(columns=ROW_KEY, errors="ignore") for name, frame in frames.items()}
    return Dataset(
        frames=frames,
        sources=sources,
        loaded_at=created.isoformat(timespec="seconds"),
        token=f"workspace:{store_identity(engine)}:{space.id}:{number}",
    )


# ── helpers ──────────────────────────────────────────────────────────────────


def store_identity(engine: Engine) -> str:
    """A short name of the database (its URL, password hidden, hashed): a version's token must
    differ between two stores, as the pages cache what they compute by token."""
    return hashlib.sha256(engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:12]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _to_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_feather(buffer)
    return buffer.getvalue()


def _from_bytes(data: bytes) -> pd.DataFrame:
    return pd.read_feather(io.BytesIO(data))


def _workspace(session: Session, name: str) -> Workspace:
    space = session.scalar(select(Workspace).where(Workspace.name == name))
    if space is None:
        raise UnknownWorkspace(message("store.unknown_workspace", name=name))
    return space


def _workspace_info(engine: Engine, name: str) -> WorkspaceInfo:
    return next(info for info in list_workspaces(engine) if info.name == name)


def _newest(session: Session, space: Workspace) -> int:
    number = session.scalar(select(func.max(Version.number)).where(Version.workspace_id == space.id))
    if number is None:
        raise UnknownWorkspace(message("store.no_version", name=space.name))
    return number


def _version(session: Session, space: Workspace, number: int) -> Version:
    version = session.scalar(select(Version).where(Version.workspace_id == space.id, Version.number == number))
    if version is None:
        raise UnknownWorkspace(message("store.unknown_version", name=space.name, number=number))
    return version


def _version_info(session: Session, space: Workspace, version: Version) -> VersionInfo:
    parent = (
        session.scalar(select(Version.number).where(Version.id == version.parent_id)) if version.parent_id else None
    )
    sources = tuple(
        (name, sha256, size)
        for name, sha256, size in session.execute(
            select(SourceFile.name, SourceFile.sha256, SourceFile.size)
            .where(SourceFile.version_id == version.id)
            .order_by(SourceFile.id)
        )
    )
    # The counts only: the sheets' bytes stay in the database.
    rows = {
        sheet: count
        for sheet, count in session.execute(
            select(VersionSheet.sheet, VersionSheet.rows).where(VersionSheet.version_id == version.id)
        )
    }
    return VersionInfo(
        space.name, version.number, parent, version.author, version.created_at, version.note, sources, rows
    )
