"""What may leave the server: every table, chart, hover and download of services goes through
`public_view`, the one choke point.

Data responsibility (docs/domain.md): a confidential service (safe accommodation by default)
is shown at region level only, so its district, location and coordinates never reach the
browser; contact columns are personal data, left out of every view and export.

A view is built, never masked: a masked pandas array keeps the hidden values under its null
slots, and Arrow (what Streamlit sends to the browser) ships those bytes as they are. So the
locating columns of a view are new arrays made from the cells that may be shown, with nothing
under a hidden cell.

A row whose service type is not in the vocabulary but reads like safe accommodation ("safe
accomodation", "Emergency shelter for women") is confidential too: such a row is set aside at
upload, and its set-aside copy, its problems and its default must not give the shelter away.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from vawmap.contract import sheet
from vawmap.vocab import LANGUAGES, nearest, text_key, vocabulary

# Columns that place a service below region level.
LOCATING_COLUMNS = ("district", "location", "latitude", "longitude")
SHELTER = "safe_accommodation"
# How close an unknown type must be to a shelter's spelling to be taken for one: the upload
# suggests the nearest service type from 70 (ingest/problems.py); a word of a longer text is
# held to more, as a short word is near many others.
NEAR_MISS = 70
NEAR_WORD = 85


def personal_columns(sheet_name: str) -> list[str]:
    return [name for name, column in sheet(sheet_name).columns.items() if column.personal]


# ── which services are located by region only ─────────────────────────────────


@lru_cache(maxsize=1)
def shelter_words() -> tuple[tuple[str, ...], ...]:
    """Every spelling of safe accommodation in vocab.toml (its code, its labels, its `also`
    list: "shelter", "refuge", "safe house", "foyer", "albergue", "casa de acogida",
    "hébergement"...), as the words of its text key. Adding a spelling there extends this list."""
    service_types = vocabulary("service_type")
    spellings = {text_key(SHELTER), *(text_key(service_types.label(SHELTER, language)) for language in LANGUAGES)}
    spellings |= {key for key, value in service_types.lookup.items() if value == SHELTER}
    return tuple(sorted(tuple(key.split()) for key in spellings if key))


@lru_cache(maxsize=4096)
def reads_as_shelter(service_type: object) -> bool:
    """True for safe accommodation, and for a type outside the vocabulary that reads like it:
    a near miss of one of its spellings, or a text holding one as words (a misspelt one too)."""
    if _is_blank(service_type):
        return False
    service_types = vocabulary("service_type")
    known = service_types.match(service_type)
    if known is not None:
        return known == SHELTER
    if nearest(service_type, service_types.lookup, cutoff=NEAR_MISS) == SHELTER:
        return True
    words = text_key(service_type).split()
    for spelling in shelter_words():
        size = len(spelling)
        for start in range(len(words) - size + 1):
            if fuzz.ratio(" ".join(words[start : start + size]), " ".join(spelling)) >= NEAR_WORD:
                return True
    return False


def shelter_types(service_types: pd.Series) -> np.ndarray:
    """reads_as_shelter of each cell, as booleans."""
    return _per_type(service_types, reads_as_shelter)


def unknown_types(service_types: pd.Series) -> np.ndarray:
    """True where a cell holds a service type outside the vocabulary (blank cells are not)."""
    return _per_type(service_types, lambda value: vocabulary("service_type").match(value) is None)


def _per_type(service_types: pd.Series, verdict) -> np.ndarray:
    """verdict(value) for each cell, worked out once per distinct value; False for blanks."""
    codes, distinct = pd.factorize(service_types)  # blanks get code -1
    verdicts = np.array([bool(verdict(value)) for value in distinct.tolist()] + [False], dtype=bool)
    return verdicts[codes]  # code -1 picks the False at the end


def _is_blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def default_confidential(service_types: pd.Series) -> pd.Series:
    """The confidentiality a service takes when its file leaves it blank: yes for safe
    accommodation and for what reads like it, no for the rest."""
    return pd.Series(shelter_types(service_types), index=service_types.index, dtype="boolean")


def confidential_services(services: pd.DataFrame, *, blank_is_confidential: bool = True) -> np.ndarray:
    """Which rows of a services frame are located by region only: those marked confidential;
    those whose type reads like safe accommodation without being a known type, whatever the
    file says (such a row is set aside, and a misreading would expose a shelter); and those
    left blank, which count as confidential (`blank_is_confidential`) or else take the default
    of their type (during upload, before the defaults are applied)."""
    count = len(services)
    types = services["service_type"] if "service_type" in services else pd.Series([None] * count, dtype=object)
    shelter = shelter_types(types)
    said = _yes_no(services["confidential"] if "confidential" in services else pd.Series([None] * count, dtype=object))
    recorded = said.notna().to_numpy(dtype=bool)
    marked = said.fillna(False).to_numpy(dtype=bool)
    blank = np.ones(count, dtype=bool) if blank_is_confidential else shelter
    return np.where(recorded, marked, blank) | (shelter & unknown_types(types))


def _yes_no(column: pd.Series) -> pd.Series:
    """The column as yes/no; a column that is not one (never so after upload) counts as blank."""
    try:
        return column.astype("boolean")
    except (TypeError, ValueError):
        return pd.Series(pd.array([None] * len(column), dtype="boolean"), index=column.index)


# ── the view that may leave the server ────────────────────────────────────────


def public_view(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with personal columns left out and confidential services located by region
    only: their locating cells are empty in columns built anew (see the module's docstring)."""
    public = frame.drop(columns=[name for name in personal_columns(sheet_name) if name in frame])
    if sheet_name != "services" or public.empty:
        return public
    # Rebuilt even when nothing is hidden: a cell cleared at upload (an impossible coordinate)
    # is a null over its old value too.
    hidden = confidential_services(public)
    return public.assign(**{name: _rebuilt(public[name], hidden) for name in LOCATING_COLUMNS if name in public})


def _rebuilt(column: pd.Series, hidden: np.ndarray) -> pd.Series:
    """A new column holding the shown cells only, so no buffer of the original comes along:
    numbers through a fresh float array, anything else (text, categories, whose list would keep
    every value) through Python objects."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        numbers = np.array(column.to_numpy(dtype="float64", na_value=np.nan), dtype="float64", copy=True)
        numbers[hidden] = np.nan
        dtype = (
            "Int64"
            if column.dtype.kind in "iu" and not isinstance(column.dtype, pd.api.extensions.ExtensionDtype)
            else column.dtype
        )
        return pd.Series(pd.array(numbers, dtype=dtype), index=column.index, name=column.name)
    cells = np.array(column.astype(object).to_numpy(dtype=object, na_value=None), dtype=object, copy=True)
    cells[hidden] = None
    dtype = None if isinstance(column.dtype, pd.CategoricalDtype) else column.dtype
    return pd.Series(list(cells), index=column.index, name=column.name, dtype=dtype)
