"""Property tests: whatever is uploaded, ingest() returns a result and never raises.

Random tables use the contract's own header spellings (so real columns get parsed) mixed with
junk headers, and cells of every type a spreadsheet can hold; they are written both as CSV
text and as an .xlsx workbook. Random bytes, and real workbooks with bytes overwritten, are
uploaded under random file names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import xlsx
from vawmap.contract import SHEET_ORDER, sheets
from vawmap.ingest import ERROR, PROBLEM_COLUMNS, WARNING, ingest
from vawmap.vocab import vocabulary

SETTINGS = settings()  # examples per test: the profile of tests/conftest.py (more in CI)

HEADER_SPELLINGS = sorted(
    {
        spelling
        for spec in sheets().values()
        for column in spec.columns.values()
        for spelling in (column.name, *column.labels.values(), *column.hxl)
    }
)
JUNK_HEADERS = [
    "",
    "Unnamed: 3",
    "Servce type",
    "Survivor name",
    "Case number",
    "Age",
    "Total",
    "#",
    "x",
    "Région région",
]
SHEET_NAMES = [*SHEET_ORDER, "Acteurs", "Régions", "Servicios", "Sheet1", "Feuil1", "lists", "Données 2026"]
WORKBOOK = xlsx(
    {
        "services": [["Provider", "Service type", "Region", "Capacity"], ["MoH", "Refuge", "Grand Bassa", "1 200"]],
        "regions": [["Region", "Population"], ["Grand Bassa", 250000]],
    }
)

# Characters an .xlsx cell can hold (no control characters or lone surrogates).
XLSX_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
ANY_TEXT = st.text(max_size=20)
VOCABULARY_WORDS = st.sampled_from(
    [
        "Refuge",
        "SANTÉ",
        "Helpline",
        "oui",
        "non",
        "sí",
        "x",
        "1 200",
        "12,5",
        "31/03/2026",
        "2026-03-31",
        "women; children",
        "Grand Bassa",
        "Grand Basa",
        "MoH",
        "national",
        "Local",
        "7",
        "-1",
        "nan",
        "inf",
        "#N/A",
        "=1+1",
        "TRUE",
    ]
)


def cells(text):
    return st.one_of(
        st.none(),
        text,
        VOCABULARY_WORDS,
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    )


def tables(text):
    """A header row of contract spellings and junk, then rows of random cells."""
    headers = st.lists(
        st.one_of(st.sampled_from(HEADER_SPELLINGS), st.sampled_from(JUNK_HEADERS), text), min_size=1, max_size=8
    )
    return headers.flatmap(
        lambda header: st.lists(st.lists(cells(text), min_size=0, max_size=len(header) + 1), max_size=12).map(
            lambda rows: [header, *rows]
        )
    )


def as_csv(rows: list[list], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()


def xlsx_cell(cell):
    """openpyxl cannot write NaN or infinity as a number; Excel shows them as text."""
    if isinstance(cell, float) and (cell != cell or cell in (float("inf"), float("-inf"))):
        return str(cell)
    return cell


def assert_well_formed(result) -> None:
    assert list(result.problems.columns) == PROBLEM_COLUMNS
    assert set(result.problems["severity"]) <= {ERROR, WARNING}
    for name, counts in result.counts.items():
        assert counts.rows == counts.accepted + counts.rejected
        assert counts.accepted == len(result.frames.get(name, ()))
        assert counts.rejected >= len(result.set_aside.get(name, ()))
    assert isinstance(result.summary()["ok"], bool)


@SETTINGS
@given(
    rows=tables(ANY_TEXT),
    delimiter=st.sampled_from([",", ";", "\t"]),
    name=st.sampled_from(SHEET_NAMES),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_tables_as_csv_never_raise(rows, delimiter, name, encoding):
    data = as_csv(rows, delimiter).encode(encoding, errors="replace")

    result = ingest([(f"{name}.csv", data)])

    assert_well_formed(result)


@SETTINGS
@given(
    tables_by_sheet=st.dictionaries(st.sampled_from(SHEET_NAMES), tables(XLSX_TEXT), min_size=1, max_size=3),
    hidden=st.lists(st.sampled_from(SHEET_NAMES), max_size=1),
)
def test_random_tables_as_xlsx_never_raise(tables_by_sheet, hidden):
    content = {name: [[xlsx_cell(cell) for cell in row] for row in rows] for name, rows in tables_by_sheet.items()}
    hidden = [name for name in hidden if name in content and len(content) > 1]  # a workbook needs one visible sheet

    result = ingest([("random.xlsx", xlsx(content, hidden=hidden))])

    assert_well_formed(result)
    assert result.unreadable == ()


@SETTINGS
@given(
    data=st.binary(max_size=3000),
    prefix=st.sampled_from(
        [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe", b"%PDF"]
    ),
    name=st.one_of(ANY_TEXT, st.sampled_from(["services.xlsx", "a.csv", "b.ods", "c.xls", "d.xlsm", "noextension"])),
)
def test_random_bytes_never_raise(data, prefix, name):
    result = ingest([(name, prefix + data)])

    assert_well_formed(result)


@SETTINGS
@given(start=st.integers(min_value=0, max_value=len(WORKBOOK) - 1), junk=st.binary(min_size=1, max_size=64))
def test_damaged_workbooks_never_raise(start, junk):
    damaged = WORKBOOK[:start] + junk + WORKBOOK[start + len(junk) :]

    result = ingest([("damaged.xlsx", damaged), ("regions.csv", b"Region,Population\nGrand Bassa,250000\n")])

    assert_well_formed(result)
    assert result.frames["regions"]["region"].tolist()[-1] == "Grand Bassa"  # the good file still loads


# Near-valid uploads: rows a user would write, some cells replaced by anything, so that the
# code that runs only on accepted rows (references, duplicates, actor ids) is explored too.
GOOD_ACTORS = [
    ["Name", "Acronym", "Type", "Sector", "Level"],
    ["Ministry of Health", "MoH", "government", "health", "national"],
]
GOOD_REGIONS = [["Region", "Population"], ["Grand Bassa", 250000], ["Bong", 330000]]
SERVICE_HEADER = ["Provider", "Service type", "Region", "Location", "Capacity", "Open 24/7", "Status"]
GOOD_SERVICE_CELLS = (
    st.sampled_from(["MoH", "Ministry of Health"]),
    st.sampled_from(["helpline", "Refuge", "legal aid", "police_response"]),
    st.sampled_from(["Grand Bassa", "Bong"]),
    None,  # a location of its own per row, so no good row repeats another
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["yes", "no", "oui", ""]),
    st.sampled_from(["active", "planned", ""]),
)


@st.composite
def near_valid_services(draw) -> tuple[list[list], int]:
    """Service rows, each cell good or (sometimes) anything; and how many cells were spoilt."""
    rows, spoilt = [], 0
    for number in range(draw(st.integers(min_value=1, max_value=8))):
        row = []
        for good in GOOD_SERVICE_CELLS:
            if draw(st.integers(min_value=0, max_value=5)) == 0:
                row.append(xlsx_cell(draw(cells(XLSX_TEXT))))
                spoilt += 1
            else:
                row.append(f"Town {number}" if good is None else draw(good))
        rows.append(row)
    return [SERVICE_HEADER, *rows], spoilt


@SETTINGS
@given(services_and_spoilt=near_valid_services())
def test_near_valid_workbooks_load_their_good_rows_and_never_raise(services_and_spoilt):
    services, spoilt = services_and_spoilt
    workbook = xlsx({"actors": GOOD_ACTORS, "regions": GOOD_REGIONS, "services": services})

    result = ingest([("near_valid.xlsx", workbook)])

    assert_well_formed(result)
    loaded = result.frames.get("services")
    if spoilt == 0:  # nothing spoilt: every row loads, its provider resolved to the ministry
        assert result.counts["services"].accepted == len(services) - 1
        assert loaded["provider_id"].tolist() == ["moh"] * (len(services) - 1)
    if loaded is not None:  # what loads is whole: its required cells filled, its type a known one
        assert loaded[["provider", "service_type", "region"]].notna().all().all()
        assert set(loaded["service_type"]) <= set(vocabulary("service_type").values)
