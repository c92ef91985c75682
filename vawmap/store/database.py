"""Where the store lives, and opening it (the schema brought up to date by Alembic).

VAWMAP_DATABASE_URL names a database (PostgreSQL through psycopg 3:
`postgresql+psycopg://user:password@host/name`); without it, a SQLite file `vawmap.sqlite` in
VAWMAP_DATA_DIR, by default the user's data folder (`$XDG_DATA_HOME/vawmap`, else
`~/.local/share/vawmap`), made when first needed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ENGINES: dict[str, Engine] = {}  # one per database, shared by the sessions: connections, no data
_LOCK = threading.Lock()


def data_dir() -> Path:
    if folder := os.environ.get("VAWMAP_DATA_DIR"):
        return Path(folder)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "vawmap"


def database_url() -> str:
    if url := os.environ.get("VAWMAP_DATABASE_URL"):
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'vawmap.sqlite'}"


def open_store(url: str | None = None) -> Engine:
    """The engine of the store at `url` (default: database_url()), its schema migrated to the
    newest revision the first time it is opened in this process."""
    url = url or database_url()
    with _LOCK:
        if url not in _ENGINES:
            engine = _engine(url)
            migrate(engine)
            _ENGINES[url] = engine
        return _ENGINES[url]


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection, _record) -> None:
        # Foreign keys are off by default in SQLite; WAL lets readers go on while one session writes.
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of vawmap/store/migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
