"""What may leave the server: every table shown or downloaded goes through `public_view`.

Data responsibility (docs/domain.md): a confidential service (safe accommodation by default)
is shown at region level only, so its district, location and coordinates never reach the
browser; contact columns are personal data, left out of every view and export.
"""

from __future__ import annotations

import pandas as pd

from vawmap.contract import sheet

# Columns that place a service below region level.
LOCATING_COLUMNS = ("district", "location", "latitude", "longitude")


def personal_columns(sheet_name: str) -> list[str]:
    return [name for name, column in sheet(sheet_name).columns.items() if column.personal]


def public_view(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with personal columns removed and confidential services located by region only."""
    public = frame.drop(columns=[name for name in personal_columns(sheet_name) if name in frame])
    if sheet_name == "services" and "confidential" in public:
        hidden = public["confidential"].fillna(True).astype(bool)  # unknown means confidential
        if hidden.any():
            public = public.copy()
            for column in LOCATING_COLUMNS:
                if column in public:
                    public[column] = public[column].mask(hidden)
    return public
