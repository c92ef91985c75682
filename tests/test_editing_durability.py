"""Durability: a process killed (SIGKILL) in the middle of saving an edit loses nothing already
committed and leaves no half-written version, on SQLite in WAL mode and on PostgreSQL. The
child (tests/edit_writer.py) stalls inside its third save, after the version row and before the
sheets are all written, and is killed there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from vawmap.contract import SHEET_ORDER
from vawmap.dataset import sample_dataset
from vawmap.editing import editor_frame, keyed_version, save_edit
from vawmap.store import create_workspace, load_version, open_store, save_version, versions_of

ROOT = Path(__file__).parents[1]
WORKSPACE = "Country K"
STALL_AT = 3  # the save killed: two saves before it are committed
WAIT_SECONDS = 120


def killed_in_a_save(url: str) -> list[int]:
    """Run the writer until it stalls inside save STALL_AT, kill it; the versions it committed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.edit_writer", url, WORKSPACE, str(STALL_AT)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    committed = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("saved "):
                committed.append(int(line.split()[1]))
            if line.strip() == "stalled":
                break
        else:
            pytest.fail(f"the writer ended without stalling (exit {child.wait(WAIT_SECONDS)})")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(WAIT_SECONDS)
    assert child.returncode == -signal.SIGKILL
    return committed


def test_a_save_killed_midway_leaves_every_committed_version_whole_and_no_half_written_one(store_url):
    store = open_store(store_url)
    create_workspace(store, WORKSPACE)
    save_version(store, WORKSPACE, sample_dataset().frames, author="Awa")
    if store.dialect.name == "sqlite":
        with store.connect() as connection:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"

    committed = killed_in_a_save(store_url)

    assert committed == list(range(2, STALL_AT + 1))
    store.dispose()  # what the killed process left on disk, read anew
    versions = versions_of(store, WORKSPACE)
    assert [version.number for version in versions] == [1, *committed]
    for version in versions:
        assert set(version.rows) == set(SHEET_ORDER)
        loaded = load_version(store, WORKSPACE, version.number)
        assert loaded.counts() == dict(version.rows)
    newest = load_version(store, WORKSPACE)["actors"]
    assert newest.loc[1 : STALL_AT - 1, "notes"].tolist() == [f"edit {number}" for number in range(1, STALL_AT)]
    if store.dialect.name == "sqlite":
        with store.connect() as connection:
            assert connection.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
    shown = editor_frame("actors", keyed_version(store, WORKSPACE)["actors"])
    shown.loc[0, "notes"] = "after the crash"
    again = save_edit(store, WORKSPACE, committed[-1], {"actors": shown}, author="Luis")
    assert again.saved is not None and again.saved.number == committed[-1] + 1
