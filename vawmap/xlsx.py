"""One way to save an .xlsx whose bytes depend on its content alone.

openpyxl stamps the time of saving into the workbook's properties (docProps/core.xml) and into
every zip entry, and Python's zipfile records the system it runs on. `stable_xlsx` pins all of
them, so the same workbook gives the same bytes on any day and any machine: the template can be
cached and compared, and sample_data/make_sample.py reproduces sample_country.xlsx byte for byte.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.xml.functions import tostring

CORE_PROPERTIES = "docProps/core.xml"
ENTRY_MODE = 0o600 << 16  # a file readable and writable by its owner: what zipfile gives by default
MADE_ON_UNIX = 3  # the zip's "made by" system, which zipfile otherwise takes from the running platform


def stable_xlsx(workbook: Workbook, *, creator: str, title: str, dated: datetime) -> bytes:
    """The workbook as .xlsx bytes: its creator and title set, created and modified at `dated`,
    and every entry of the archive dated `dated` too."""
    properties = workbook.properties
    properties.creator = creator
    properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)  # sets properties.modified to the clock: pinned below
    properties.created = properties.modified = dated
    return _pinned_archive(buffer.getvalue(), tostring(properties.to_tree()), dated)


def _pinned_archive(xlsx: bytes, core_xml: bytes, dated: datetime) -> bytes:
    """The archive again, entry by entry in the same order, with `core_xml` as its properties
    and nothing taken from the clock or the platform."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = core_xml if entry.filename == CORE_PROPERTIES else source.read(entry)
            pinned = zipfile.ZipInfo(entry.filename, date_time=dated.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.create_system = MADE_ON_UNIX
            pinned.external_attr = ENTRY_MODE
            target.writestr(pinned, content)
    return out.getvalue()
