"""Tiny builders for ingest fixtures: workbooks and CSV files made from Python lists.

Each builder returns the bytes an upload would carry, so tests stay readable:

    ingest([("services.xlsx", xlsx({"services": [["Provider", "Service type"], ["MoH", "Helpline"]]}))])
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence

from openpyxl import Workbook

from vawmap.ingest import ingest

# A minimal actors sheet that services and links can point to.
ACTOR_ROWS = [
    ["Name", "Acronym", "Actor ID", "Actor type", "Sector", "Level"],
    ["Ministry of Health", "MoH", "moh", "Government", "Health", "National"],
    ["Women's Legal Aid Network", "WLAN", "wlan", "NGO", "Women's organisations", "National"],
]
# A minimal regions sheet.
REGION_ROWS = [
    ["Region", "Region code", "Population"],
    ["Grand Bassa", "LR-GB", 250000],
    ["Montserrado", "LR-MO", 1500000],
]


def xlsx(
    sheets: Mapping[str, Sequence[Sequence[object]]],
    hidden: Iterable[str] = (),
    merged: Mapping[str, Iterable[str]] | None = None,
) -> bytes:
    """An .xlsx workbook: sheet name -> rows (lists of cell values, row 1 first).

    `hidden` names sheets to hide; `merged` maps a sheet name to ranges such as "C2:C4".
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(list(row))
        if name in hidden:
            worksheet.sheet_state = "hidden"
        for cell_range in (merged or {}).get(name, ()):
            worksheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_values(workbook: bytes, sheet_number: int, cached: Mapping[str, object]) -> bytes:
    """The workbook with a cached result written into formula cells, as Excel saves them.

    openpyxl writes formulas without a cached value (it cannot compute them); Excel stores
    `<c r="B2"><f>...</f><v>42</v></c>`. `cached` maps a cell reference to its value.
    """
    path = f"xl/worksheets/sheet{sheet_number}.xml"
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == path:
                xml = data.decode("utf-8")
                for reference, value in cached.items():
                    xml = _cache_one(xml, reference, value)
                data = xml.encode("utf-8")
            target.writestr(item, data)
    return buffer.getvalue()


def _cache_one(xml: str, reference: str, value: object) -> str:
    cell = re.compile(rf'<c r="{reference}"(?P<attributes>[^>]*)>(?P<formula><f>.*?</f>)(?:<v\s*/>|<v></v>)?</c>')
    if not cell.search(xml):
        raise AssertionError(f"no formula cell {reference} in the sheet XML")

    def cached_cell(found: re.Match) -> str:
        attributes = re.sub(r'\s*t="[^"]*"', "", found["attributes"])
        kind = ' t="str"' if isinstance(value, str) else ""
        return f'<c r="{reference}"{attributes}{kind}>{found["formula"]}<v>{value}</v></c>'

    return cell.sub(cached_cell, xml, count=1)


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """CSV text as a file saved in `encoding` ('utf-8-sig' for UTF-8 with a BOM)."""
    return text.encode(encoding)


def ingest_one(name: str, data: bytes, known=None):
    """ingest() of a single upload."""
    return ingest([(name, data)], known=known)


def problems_of(result, severity: str | None = None, column: str | None = None) -> list[dict]:
    """The problems as dicts, optionally only one severity and/or one column."""
    records = result.problems.to_dict("records")
    return [
        record
        for record in records
        if (severity is None or record["severity"] == severity) and (column is None or record["column"] == column)
    ]
