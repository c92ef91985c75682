"""A clock set to another day for the code that stamps files when saving them: openpyxl's
workbook writer and zipfile. What is written while it runs must not change with it."""

from __future__ import annotations

import datetime as real_datetime
import time as real_time
import types
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import openpyxl.writer.excel

ANOTHER_DAY = real_datetime.datetime(1999, 12, 31, 23, 59, 58)


@contextmanager
def another_day() -> Iterator[None]:
    """While inside, openpyxl and zipfile read ANOTHER_DAY from their clocks."""

    class Clock(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return ANOTHER_DAY.replace(tzinfo=tz)

    openpyxl_clock = types.SimpleNamespace(datetime=Clock, timezone=real_datetime.timezone)
    zipfile_clock = types.SimpleNamespace(time=lambda: ANOTHER_DAY.timestamp(), localtime=real_time.localtime)
    with (
        mock.patch.object(openpyxl.writer.excel, "datetime", openpyxl_clock),
        mock.patch.object(zipfile, "time", zipfile_clock),
    ):
        yield
