"""Who is at the table: sectors and coordination functions, measured against the national body.

Sectors: the minimum membership of a national coordination network (education, health,
interior, justice, women's affairs, police, prosecution, women's organisations; UN Women,
inter-sectoral networks) and the sectors recommended beyond it (social welfare, local
government, the head of government's office, labour, transport...; UN Women, engaging
institutional sectors), both in data/rules.toml. A sector counts as covered only when it is
present at national level *and* sits on the national coordination body ("These networks should
include, at a minimum, representatives of ...").

Coordination functions: what the network should do (policy, referral, data...); a function is
covered when someone on the national body performs it.

Every status comes with its reason as a Message (coverage.reason.* in vawmap/locales).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pandas as pd

from vawmap.cells import list_items, plain_columns
from vawmap.gaps.coordination import national_bodies, national_body_actor_ids
from vawmap.messages import Message, message
from vawmap.rules import MINIMUM_SECTORS, RECOMMENDED_SECTORS
from vawmap.vocab import vocabulary

COVERED, PARTIAL, MISSING = "covered", "partial", "missing"
# Engage the committed first, the resistant later (UN Women, engaging institutional sectors).
ENGAGEMENT_ORDER = ("committed", "engaged", "neutral", "resistant", "not_engaged")
LEVEL_ORDER = ("national", "subnational", "local")
SECTOR_COLUMNS = [
    "sector",
    "tier",
    "status",
    "actors",
    "actor_count",
    "levels",
    "on_national_body",
    "engagement",
    "reason",
]
FUNCTION_COLUMNS = ["function", "status", "actors", "actor_count", "reason"]


def sector_tiers() -> list[tuple[str, str]]:
    """(sector, tier) for the minimum sectors, then the recommended ones (data/rules.toml)."""
    return [(sector, "minimum") for sector in MINIMUM_SECTORS] + [
        (sector, "recommended") for sector in RECOMMENDED_SECTORS
    ]


# An actor below is a named tuple of plain values, None for a blank: looping over 5,000 of
# them costs a few milliseconds, where grouping and filtering frames per sector cost 20.
Actor = namedtuple("Actor", ("actor_id", "name", "sector", "level", "engagement"))
ACTOR_FIELDS = Actor._fields


def actor_records(actors: pd.DataFrame, rows: np.ndarray | None = None) -> list[Actor]:
    """The actors (those at positions `rows`, when given) as named tuples of ACTOR_FIELDS, in
    the sheet's order; each column is read once."""
    return list(map(Actor._make, zip(*plain_columns(actors, ACTOR_FIELDS, rows))))


def actor_names(actors: list[Actor]) -> list[str]:
    """Sorted names of the actors (blank names left out)."""
    return sorted(str(actor.name) for actor in actors if actor.name is not None)


def levels_present(actors: list[Actor]) -> list[str]:
    """Distinct levels of the actors, from national down to local (unknown values after, A-Z)."""
    levels = {str(actor.level) for actor in actors if actor.level is not None}
    rank = {level: position for position, level in enumerate(LEVEL_ORDER)}
    return sorted(levels, key=lambda level: (rank.get(level, len(LEVEL_ORDER)), level))


def most_engaged(actors: list[Actor]) -> str | None:
    """The most engaged value among the actors (committed > ... > not_engaged); None if none known."""
    known = {str(actor.engagement) for actor in actors if actor.engagement is not None}
    return next((value for value in ENGAGEMENT_ORDER if value in known), None)


def seated_count(actors: list[Actor], seated_ids: set[str]) -> int:
    """How many of the actors are among the given ids (a blank id never is)."""
    return sum(actor.actor_id in seated_ids for actor in actors)


def count_phrase(count: int) -> Message:
    """The count with its noun, "1 actor" or "3 actors": one key per form, as each language words them."""
    if count == 1:
        return message("coverage.reason.actors_one", count=count)
    return message("coverage.reason.actors_many", count=count)


def sector_status(count: int, levels: list[str], on_body: bool, body_exists: bool) -> tuple[str, Message]:
    """(status, reason) of one sector: covered only at national level and on the national body."""
    at_national = "national" in levels
    if count == 0:
        return MISSING, message("coverage.reason.sector_absent")
    if at_national and on_body:
        return COVERED, message("coverage.reason.sector_on_body")
    if on_body:
        return PARTIAL, message("coverage.reason.sector_on_body_below_national")
    if not levels:
        return PARTIAL, message("coverage.reason.sector_no_level")
    if not at_national:
        return PARTIAL, message("coverage.reason.sector_below_national")
    if not body_exists:
        return PARTIAL, message("coverage.reason.sector_no_body")
    return PARTIAL, message("coverage.reason.sector_not_on_body", actors=count_phrase(count))


def sector_row(sector: str, tier: str, members: list[Actor], seated_ids: set[str], body_exists: bool) -> dict:
    """The coverage of one sector, given its actors."""
    levels = levels_present(members)
    on_body = seated_count(members, seated_ids) > 0
    status, reason = sector_status(len(members), levels, on_body, body_exists)
    return {
        "sector": sector,
        "tier": tier,
        "status": status,
        "actors": actor_names(members),
        "actor_count": len(members),
        "levels": levels,
        "on_national_body": on_body,
        "engagement": most_engaged(members),
        "reason": reason,
    }


def sector_coverage(actors: pd.DataFrame, bodies: pd.DataFrame) -> pd.DataFrame:
    """One row per minimum then recommended sector: is it at the table?

    Columns: sector, tier, status (covered/partial/missing), actors (sorted names), actor_count,
    levels, on_national_body, engagement (most engaged level present, or None), reason (a Message).
    """
    seated_ids = national_body_actor_ids(bodies)
    body_exists = not national_bodies(bodies).empty
    by_sector: dict[str, list[Actor]] = {}
    for actor in actor_records(actors):
        by_sector.setdefault(actor.sector, []).append(actor)
    rows = [
        sector_row(sector, tier, by_sector.get(sector, []), seated_ids, body_exists) for sector, tier in sector_tiers()
    ]
    # dtype=object keeps None as None (pandas 3 would turn it into NaN in a text column).
    frame = pd.DataFrame(rows, columns=SECTOR_COLUMNS, dtype=object)
    return frame.astype({"actor_count": int, "on_national_body": bool})


def performers(actors: pd.DataFrame, functions) -> dict[str, list[Actor]]:
    """For each function, the actors (named tuples of ACTOR_FIELDS) that list it in their
    `functions` cell, in the sheet's order; each distinct cell is split once."""
    codes, cells = pd.factorize(actors["functions"], use_na_sentinel=True)
    listed = [set(list_items(cell)) for cell in np.asarray(cells, dtype=object)]  # iterating Arrow text is slow
    performing: dict[str, list[Actor]] = {function: [] for function in functions}
    rows = np.flatnonzero(codes >= 0)  # only the actors who list some function
    for actor, code in zip(actor_records(actors, rows), codes[rows]):
        for function in listed[code]:
            if function in performing:
                performing[function].append(actor)
    return performing


def function_status(count: int, seated_count: int, body_exists: bool) -> tuple[str, Message]:
    """(status, reason) of one coordination function: covered when a performer sits on the national body."""
    if count == 0:
        return MISSING, message("coverage.reason.function_absent")
    actors = count_phrase(count)
    if seated_count == count == 1:
        return COVERED, message("coverage.reason.function_one_on_body", actors=actors)
    if seated_count == count:
        return COVERED, message("coverage.reason.function_all_on_body", actors=actors)
    if seated_count:
        return COVERED, message("coverage.reason.function_some_on_body", actors=actors, seated=seated_count)
    if not body_exists:
        return PARTIAL, message("coverage.reason.function_no_body", actors=actors)
    return PARTIAL, message("coverage.reason.function_none_on_body", actors=actors)


def function_row(function: str, performers: list[Actor], seated_ids: set[str], body_exists: bool) -> dict:
    seated = seated_count(performers, seated_ids)
    status, reason = function_status(len(performers), seated, body_exists)
    return {
        "function": function,
        "status": status,
        "actors": actor_names(performers),
        "actor_count": len(performers),
        "reason": reason,
    }


def function_coverage(actors: pd.DataFrame, bodies: pd.DataFrame) -> pd.DataFrame:
    """One row per coordination function: is someone on the national body doing it?

    Columns: function, status (covered/partial/missing), actors (sorted names), actor_count,
    reason (a Message).
    """
    seated_ids = national_body_actor_ids(bodies)
    body_exists = not national_bodies(bodies).empty
    rows = [
        function_row(function, who, seated_ids, body_exists)
        for function, who in performers(actors, vocabulary("coordination_function").values).items()
    ]
    return pd.DataFrame(rows, columns=FUNCTION_COLUMNS, dtype=object).astype({"actor_count": int})
