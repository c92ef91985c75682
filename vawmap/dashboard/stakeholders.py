"""Who is at the table, for the Stakeholders page: the actor filters, the sector × level matrix
and the influence/interest grid (Mendelow's quadrants)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vawmap.rules import MINIMUM_SECTORS
from vawmap.vocab import vocabulary

GRID_MIDPOINT = 3  # influence and interest run 1-5: 4 and 5 are high, 1 to 3 low
QUADRANTS = {  # (high influence, high interest) -> quadrant (Mendelow's grid)
    (True, True): "manage_closely",
    (True, False): "keep_satisfied",
    (False, True): "keep_informed",
    (False, False): "monitor",
}
GRID_SPREAD = 0.28  # how far actors sharing both scores are set apart on the grid
# An actor whose sector is not known (one derived from a 3W): shown as such, never hidden.
SECTOR_NOT_GIVEN = "sector_not_given"


def filter_actors(actors: pd.DataFrame, sectors=(), actor_types=(), levels=(), regions=()) -> pd.DataFrame:
    """The actors matching every non-empty filter (an empty filter keeps everyone)."""
    keep = pd.Series(True, index=actors.index)
    for column, wanted in (("sector", sectors), ("actor_type", actor_types), ("level", levels), ("region", regions)):
        if wanted:
            values = actors[column].fillna(SECTOR_NOT_GIVEN) if column == "sector" else actors[column]
            keep &= values.isin(list(wanted)).fillna(False).astype(bool)
    return actors[keep]


def sector_options(actors: pd.DataFrame) -> list[str]:
    """The sectors to filter on: those of the actors, and 'sector not given' when some lack one."""
    return sorted(actors["sector"].fillna(SECTOR_NOT_GIVEN).unique())


def sector_level_matrix(actors: pd.DataFrame) -> pd.DataFrame:
    """Actors per sector (rows, minimum sectors first, 'sector not given' last) and level
    (columns: national, subnational, local, then 'unknown' when some actors lack one)."""
    levels = list(vocabulary("level").values)
    sector = actors["sector"].astype("string").fillna(SECTOR_NOT_GIVEN)
    table = pd.crosstab(sector, actors["level"].astype("string").fillna("unknown")) if len(actors) else pd.DataFrame()
    others = set(table.index) - set(MINIMUM_SECTORS) - {SECTOR_NOT_GIVEN}
    sectors = list(MINIMUM_SECTORS) + sorted(others) + ([SECTOR_NOT_GIVEN] if SECTOR_NOT_GIVEN in table.index else [])
    columns = levels + (["unknown"] if "unknown" in table.columns else [])
    return table.reindex(index=sectors, columns=columns, fill_value=0).astype(int)


def quadrant(influence, interest) -> str | None:
    """Mendelow's quadrant for one actor; None when either score is missing."""
    if influence is None or interest is None or pd.isna(influence) or pd.isna(interest):
        return None
    return QUADRANTS[(influence > GRID_MIDPOINT, interest > GRID_MIDPOINT)]


def influence_interest(actors: pd.DataFrame) -> pd.DataFrame:
    """Actors with both scores, their quadrant, and a small deterministic offset so that actors
    with the same scores do not hide each other on the grid."""
    scored = actors.dropna(subset=["influence", "interest"])
    table = pd.DataFrame(
        {
            "name": scored["name"].astype("string"),
            "sector": scored["sector"].astype("string"),
            "actor_type": scored["actor_type"].astype("string"),
            "influence": scored["influence"].astype(float),
            "interest": scored["interest"].astype(float),
            "engagement": scored["engagement"].astype("string"),
        }
    ).reset_index(drop=True)
    table["quadrant"] = [quadrant(a, b) for a, b in zip(table["influence"], table["interest"])]
    position = table.groupby(["influence", "interest"]).cumcount()
    crowd = table.groupby(["influence", "interest"])["name"].transform("size")
    angle = 2 * np.pi * position / crowd.clip(lower=1)
    spread = np.where(crowd > 1, GRID_SPREAD, 0.0)
    table["x"] = table["interest"] + spread * np.cos(angle)
    table["y"] = table["influence"] + spread * np.sin(angle)
    return table


def unscored_actors(actors: pd.DataFrame) -> int:
    """How many actors lack an influence or an interest score (left off the grid)."""
    return int((actors["influence"].isna() | actors["interest"].isna()).sum())
