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

import numpy as np
import pandas as pd

from vawmap.gaps.columns import codes_in, column_of, first_positions, frame, list_items_by_row, objects, text_order
from vawmap.gaps.coordination import is_national, national_body_actor_ids
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


# The actors are read a column at a time and counted per group (a sector, a function) with
# numpy: a Python loop over thousands of actors, or a frame filtered per group, costs far
# more than the few rows built at the end.


def _distinct(actors: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
    """(codes, values): the column's distinct values as text, in order of appearance, and each
    actor's position among them (-1 for a blank, and for every actor when the column is absent)."""
    if column not in actors.columns:
        return np.full(len(actors), -1, dtype=np.int64), []
    codes, values = pd.factorize(actors[column].astype("string"))
    return codes.astype(np.int64), values.to_numpy(dtype=object).tolist()  # iterating Arrow text boxes each value


def _codes_in(actors: pd.DataFrame, column: str, categories) -> np.ndarray:
    """Each actor's position in `categories` by the column's value, -1 when absent or blank."""
    return codes_in(column_of(actors, column), categories)


def _seated(actors: pd.DataFrame, seated_ids: set[str]) -> np.ndarray:
    """Per actor: whether its id is among the given ids (a blank id never is)."""
    if "actor_id" not in actors.columns:
        return np.zeros(len(actors), dtype=bool)
    return first_positions(actors["actor_id"], sorted(seated_ids)) >= 0


def _names_by_group(actors: pd.DataFrame, member: np.ndarray) -> list[list[str]]:
    """For each column of `member` (actors x groups, bool), the sorted names of its actors,
    blank names left out."""
    names = column_of(actors, "name")
    order = text_order(names)
    in_order = member[order]
    text = names.astype("string").to_numpy(dtype=object)[order]
    return [text[in_order[:, group]].tolist() for group in range(member.shape[1])]


def _present(codes: np.ndarray, values: np.ndarray, groups: int, count: int) -> np.ndarray:
    """groups x count: whether some actor of the group (`codes`, -1 for none) has the value
    (`values`, -1 for a blank)."""
    known = (codes >= 0) & (values >= 0)
    return np.bincount(codes[known] * count + values[known], minlength=groups * count).reshape(groups, count) > 0


def _levels_by_group(actors: pd.DataFrame, codes: np.ndarray, groups: int) -> list[list[str]]:
    """For each group, the distinct levels of its actors from national down to local (unknown
    values after, A-Z)."""
    level, values = _distinct(actors, "level")
    rank = {name: position for position, name in enumerate(LEVEL_ORDER)}
    ordered = sorted(range(len(values)), key=lambda code: (rank.get(values[code], len(LEVEL_ORDER)), values[code]))
    present = _present(codes, level, groups, len(values))
    return [[values[code] for code in ordered if present[group, code]] for group in range(groups)]


def _most_engaged_by_group(actors: pd.DataFrame, codes: np.ndarray, groups: int) -> list[str | None]:
    """For each group, the most engaged value among its actors (committed > ... > not_engaged);
    None when none is known."""
    present = _present(codes, _codes_in(actors, "engagement", ENGAGEMENT_ORDER), groups, len(ENGAGEMENT_ORDER))
    return [next((value for value, here in zip(ENGAGEMENT_ORDER, row) if here), None) for row in present]


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


def sector_coverage(actors: pd.DataFrame, bodies: pd.DataFrame) -> pd.DataFrame:
    """One row per minimum then recommended sector: is it at the table?

    Columns: sector, tier, status (covered/partial/missing), actors (sorted names), actor_count,
    levels, on_national_body, engagement (most engaged level present, or None), reason (a Message).
    """
    tiers = sector_tiers()
    groups = len(tiers)
    sector = _codes_in(actors, "sector", [name for name, _ in tiers])
    listed = sector >= 0
    counts = np.bincount(sector[listed], minlength=groups)
    on_body = np.bincount(sector[listed & _seated(actors, national_body_actor_ids(bodies))], minlength=groups) > 0
    levels = _levels_by_group(actors, sector, groups)
    body_exists = bool(is_national(bodies).any())
    statuses = [
        sector_status(int(count), found, bool(seated), body_exists)
        for count, found, seated in zip(counts, levels, on_body)
    ]
    return frame(
        {
            "sector": objects([name for name, _ in tiers]),
            "tier": objects([tier for _, tier in tiers]),
            "status": objects([status for status, _ in statuses]),
            "actors": objects(_names_by_group(actors, sector[:, None] == np.arange(groups))),
            "actor_count": counts.astype(np.int64),
            "levels": objects(levels),
            "on_national_body": on_body,
            "engagement": objects(_most_engaged_by_group(actors, sector, groups)),
            "reason": objects([reason for _, reason in statuses]),
        },
        SECTOR_COLUMNS,
    )


def performing(actors: pd.DataFrame, functions) -> np.ndarray:
    """actors x functions: whether the actor lists the function in its `functions` cell."""
    listed = np.zeros((len(actors), len(functions) + 1), dtype=bool)  # the last column: any other item
    if "functions" in actors.columns:
        rows, items = list_items_by_row(actors["functions"])
        listed[rows, first_positions(items, list(functions))] = True
    return listed[:, :-1]


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


def function_coverage(actors: pd.DataFrame, bodies: pd.DataFrame) -> pd.DataFrame:
    """One row per coordination function: is someone on the national body doing it?

    Columns: function, status (covered/partial/missing), actors (sorted names), actor_count,
    reason (a Message).
    """
    functions = vocabulary("coordination_function").values
    member = performing(actors, functions)
    counts = member.sum(axis=0, dtype=np.int64)
    seated = member[_seated(actors, national_body_actor_ids(bodies))].sum(axis=0, dtype=np.int64)
    body_exists = bool(is_national(bodies).any())
    statuses = [function_status(count, on, body_exists) for count, on in zip(counts.tolist(), seated.tolist())]
    return frame(
        {
            "function": objects(functions),
            "status": objects([status for status, _ in statuses]),
            "actors": objects(_names_by_group(actors, member)),
            "actor_count": counts,
            "reason": objects([reason for _, reason in statuses]),
        },
        FUNCTION_COLUMNS,
    )
