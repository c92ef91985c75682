"""Fixtures for tests of the store on SQLite and on a real PostgreSQL server
(tests/postgres_server.py): import them into a test module to use them there."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.postgres_server import postgres_server
from vawmap.store import open_store


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as url:
        yield url


def new_database(server: str) -> str:
    """The URL of a new, empty database on the server."""
    name = f"test_{uuid.uuid4().hex}"
    with sa.create_engine(server, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The URL of a fresh store: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return new_database(request.getfixturevalue("postgres"))


@pytest.fixture
def store(store_url):
    """A fresh, migrated store (see store_url)."""
    return open_store(store_url)


@pytest.fixture
def app_store(tmp_path, monkeypatch):
    """The store the app and the CLI open by themselves: SQLite in a temporary VAWMAP_DATA_DIR."""
    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)
    return open_store()
