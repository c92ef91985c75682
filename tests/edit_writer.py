"""A child process for the durability test: saves edits of a workspace one after another, and
stalls in the middle of a save (its version row written, its sheets being written, nothing
committed) so that the test can kill it there.

    python -m tests.edit_writer URL WORKSPACE STALL_AT

prints `saved N` after each committed save and `stalled` when it stops inside save STALL_AT.
"""

from __future__ import annotations

import sys
import time

from sqlalchemy import event

from vawmap.editing import editor_frame, keyed_version, save_edit
from vawmap.store import open_store

STALL_SECONDS = 600  # longer than any test waits: the test kills the process first


def main(url: str, workspace: str, stall_at: int) -> None:
    engine = open_store(url)
    saves = {"started": 0}

    @event.listens_for(engine, "before_cursor_execute")
    def _stall(connection, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO VERSION_SHEET") and saves["started"] == stall_at:
            print("stalled", flush=True)
            time.sleep(STALL_SECONDS)

    for number in range(1, stall_at + 1):
        saves["started"] = number
        shown = editor_frame("actors", keyed_version(engine, workspace)["actors"])
        shown.loc[number, "notes"] = f"edit {number}"
        outcome = save_edit(engine, workspace, number, {"actors": shown}, author="writer", note=f"edit {number}")
        print(f"saved {outcome.saved.number}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
