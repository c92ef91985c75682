"""Builders for gap-assessment fixtures: canonical frames from a few dicts.

Each builder starts from `empty_frame(sheet)`, so a fixture has every canonical column with
the dtype an upload would give it (string, Int64, boolean...); columns a row leaves out are
blank (pd.NA), as in real data.

    ACTORS = actors_frame([actor("moh", "Ministry of Health", "health")])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from vawmap.dataset import empty_frame


def frame_of(sheet_name: str, rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """A frame of the sheet holding the given rows; unknown column names are an error."""
    template = empty_frame(sheet_name)
    rows = [dict(row) for row in rows]
    unknown = {column for row in rows for column in row} - set(template.columns)
    if unknown:
        raise KeyError(f"not columns of {sheet_name}: {sorted(unknown)}")
    data = pd.DataFrame(rows, columns=list(template.columns), dtype=object)
    return data.astype(template.dtypes.to_dict())


def actors_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    return frame_of("actors", rows)


def bodies_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    return frame_of("coordination_bodies", rows)


def regions_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    return frame_of("regions", rows)


def actor(actor_id: str, name: str, sector: str, level: str = "national", **more: object) -> dict:
    """One actors row; actor_type defaults to government."""
    return {"actor_id": actor_id, "name": name, "sector": sector, "level": level, "actor_type": "government", **more}
