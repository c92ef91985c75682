"""Workspaces that last: datasets saved as immutable versions in a database.

SQLite by default (a file in the data folder), PostgreSQL when hosted (VAWMAP_DATABASE_URL).
The schema is made and changed by Alembic migrations (vawmap/store/migrations), run when a
store is opened. Plain functions over a SQLAlchemy engine; no Streamlit here.
"""

from vawmap.store.database import database_url, open_store
from vawmap.store.workspaces import (
    NameTaken,
    StoreError,
    UnknownWorkspace,
    VersionInfo,
    WorkspaceInfo,
    create_workspace,
    list_workspaces,
    load_version,
    newest_version,
    save_version,
    versions_of,
)

__all__ = [
    "NameTaken",
    "StoreError",
    "UnknownWorkspace",
    "VersionInfo",
    "WorkspaceInfo",
    "create_workspace",
    "database_url",
    "list_workspaces",
    "load_version",
    "newest_version",
    "open_store",
    "save_version",
    "versions_of",
]
