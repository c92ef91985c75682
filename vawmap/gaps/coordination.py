"""Does each coordination body have what makes one work? A checklist from public sources.

The criteria are data (data/criteria.toml): political clout (a chair of ministerial rank),
formal status, terms of reference and an action plan, meetings at least quarterly, women's
organisations and every minimum sector among the members, a secretariat and its own budget.
Each names the public document it comes from (a key of [sources] in data/rules.toml), and
every region should have a sub-national body of its own.

Every answer is True (met), False (failed) or None (not recorded), with its reason as a
Message (criterion_reason.* in vawmap/locales): the edges put it into words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from vawmap.cells import list_items, plain_columns, plain_value
from vawmap.contract import sheet
from vawmap.gaps.columns import (
    arrow_text,
    codes_in,
    column_of,
    first_positions,
    frame,
    list_items_by_row,
    lists_by_group,
    objects,
    sorted_unique,
    text_order,
)
from vawmap.messages import Message, Term, message
from vawmap.rules import MINIMUM_SECTORS, Source, sources
from vawmap.vocab import load_data_file, text_key, vocabulary

# What decides a criterion (data/criteria.toml): a yes/no column, a recorded vocabulary value,
# or a check of who sits on the body.
YES_NO, RECORDED, MEMBERS = "yes_no", "recorded", "members"
COLUMN_KIND = {YES_NO: "yes_no", RECORDED: "vocab"}  # the contract kind each one reads
MET, FAILED, UNKNOWN = "met", "failed", "unknown"
SUBNATIONAL_LEVELS = ("subnational", "local")
# body_number: the body's position in the bodies sheet (0 first): names and levels may repeat
# (a "Mesa" in every region) or be blank, so rows are tied to their body by this number.
CHECKLIST_COLUMNS = ["body_number", "body", "level", "region", "criterion", "met", "reason"]
SCORE_COLUMNS = ["body_number", "body", "level", "region", "score", "met", "unknown", "failed", "unknown_criteria"]

Answer = tuple[bool | None, Message]


@dataclass(frozen=True)
class Criterion:
    """One line of data/criteria.toml: what decides the criterion and where it comes from."""

    id: str
    decided_by: str  # YES_NO, RECORDED or MEMBERS
    target: str  # the column read (YES_NO, RECORDED) or the membership check (MEMBERS)
    source: Source
    passing: tuple[str, ...] = ()  # RECORDED: the values that meet it
    words: str = ""  # RECORDED: the phrases criterion_reason.<words>.<value> and <words>_as_recorded
    vocabulary: str = ""  # RECORDED: the column's vocabulary

    def reason(self, outcome: str, **params: object) -> Message:
        """criterion_reason.<id>_<outcome>; met and failed cite the criterion's source."""
        if outcome != UNKNOWN:
            params["source"] = self.source.short
        return Message(f"criterion_reason.{self.id}_{outcome}", params)


def criteria_from(data: Mapping[str, Mapping]) -> tuple[Criterion, ...]:
    """The criteria of a parsed criteria.toml, in its order; a line that cannot work is an error."""
    return tuple(_criterion(criterion_id, raw) for criterion_id, raw in data["criteria"].items())


def _criterion(criterion_id: str, raw: Mapping) -> Criterion:
    where = f"criteria.toml: {criterion_id}"
    deciders = [name for name in (YES_NO, RECORDED, MEMBERS) if name in raw]
    if len(deciders) != 1:
        raise ValueError(f"{where} needs exactly one of {YES_NO}, {RECORDED}, {MEMBERS}")
    decided_by, target = deciders[0], raw[deciders[0]]
    if raw.get("source") not in sources():
        raise ValueError(f"{where}: source {raw.get('source')!r} is not in rules.toml [sources]")
    found = Criterion(criterion_id, decided_by, target, sources()[raw["source"]])
    if decided_by == MEMBERS:
        if target not in MEMBERSHIP_CHECKS:
            raise ValueError(f"{where}: no membership check {target!r} (known: {', '.join(MEMBERSHIP_CHECKS)})")
        return found
    column = sheet("coordination_bodies").columns.get(target)
    if column is None or column.kind != COLUMN_KIND[decided_by]:
        raise ValueError(f"{where}: {target!r} is not a {COLUMN_KIND[decided_by]} column of coordination_bodies")
    if decided_by == YES_NO:
        return found
    values = vocabulary(str(column.vocab)).values  # a vocab column always names its vocabulary
    passing = tuple(raw.get("passing", ()))
    unknown = [value for value in passing if value not in values]
    if not passing or unknown or not raw.get("words"):
        raise ValueError(f"{where} needs words and passing values of vocabulary {column.vocab} (unknown: {unknown})")
    return Criterion(criterion_id, decided_by, target, found.source, passing, raw["words"], str(column.vocab))


def is_national(bodies: pd.DataFrame) -> np.ndarray:
    """Per body: whether it is a national-level body."""
    return bodies["level"].eq("national").to_numpy(dtype=bool, na_value=False)


def national_bodies(bodies: pd.DataFrame) -> pd.DataFrame:
    return bodies[is_national(bodies)]


def national_body_actor_ids(bodies: pd.DataFrame) -> set[str]:
    """Ids of every actor who is a member or the chair of a national-level body."""
    national = np.flatnonzero(is_national(bodies))  # one or two bodies: read cell by cell
    members = arrow_text(column_of(bodies, "member_ids")).take(national).to_pylist()
    chairs = arrow_text(column_of(bodies, "chair_id")).take(national).to_pylist()
    seated = {member for cell in members for member in list_items(cell)}
    return seated | {chair for chair in chairs if chair is not None}


# --- who sits on each body ----------------------------------------------------------------


@dataclass(frozen=True)
class Seated:
    """Who sits on each body (its members and its chair) among the actors of the actors sheet.

    body, actor: one pair per body and actor seated on it, by body then actor, the actor as
    its row in the actors sheet (the first row of an id listed twice); with_members: per body,
    whether its member_ids cell lists someone (a body without members fails the membership
    criteria, whoever chairs it)."""

    actors: pd.DataFrame
    body: np.ndarray
    actor: np.ndarray
    with_members: np.ndarray


def seated_on_bodies(bodies: pd.DataFrame, actors: pd.DataFrame) -> Seated:
    """Who sits on each body: its members and its chair, if the actors sheet has their id."""
    member_body, member_ids = list_items_by_row(column_of(bodies, "member_ids"))
    chairs = column_of(bodies, "chair_id")
    chaired = np.flatnonzero(chairs.notna().to_numpy(dtype=bool))
    body = np.concatenate([member_body, chaired])
    ids = pa.concat_arrays([member_ids, arrow_text(chairs.iloc[chaired]).cast(member_ids.type)])
    rows = first_positions(ids, column_of(actors, "actor_id"))  # the first row of an id listed twice
    width = max(len(actors), 1)
    known = np.flatnonzero(rows >= 0)
    pairs = sorted_unique(body[known] * width + rows[known])  # each actor once per body
    with_members = np.bincount(member_body, minlength=len(bodies)) > 0
    return Seated(actors, pairs // width, pairs % width, with_members)


# --- each kind of criterion, answered for every body at once: (met, reason) per body ----------


def check_yes_no(criterion: Criterion, value: object) -> Answer:
    """Formal status, terms of reference...: yes is met, no failed, blank unknown."""
    if value is None:
        return None, criterion.reason(UNKNOWN)
    met = bool(value)
    return met, criterion.reason(MET if met else FAILED)


def recorded_words(criterion: Criterion, value: object) -> Message:
    """The recorded value in words ("Meets quarterly"); a value outside the vocabulary is quoted as recorded."""
    if value in vocabulary(criterion.vocabulary).values:
        return message(f"criterion_reason.{criterion.words}.{value}")
    return message(f"criterion_reason.{criterion.words}_as_recorded", value=value)


def check_recorded(criterion: Criterion, value: object) -> Answer:
    """Met when the recorded value is one of the criterion's passing values; blank is unknown."""
    if value is None:
        return None, criterion.reason(UNKNOWN)
    met = value in criterion.passing
    return met, criterion.reason(MET if met else FAILED, recorded=recorded_words(criterion, value))


def cell_answers(criterion: Criterion, cells: np.ndarray) -> list[Answer]:
    """The answer of a criterion one cell decides, for each cell (plain values, None when
    blank). Bodies hold a handful of distinct values, so each is answered once: by value and
    type (1, 1.0 and True are equal keys but read differently); an unhashable cell (a list)
    is answered on its own."""
    check = check_yes_no if criterion.decided_by == YES_NO else check_recorded
    answered: dict[tuple, Answer] = {}
    answers = []
    for cell in cells.tolist():
        try:
            key = (type(cell), cell)
            if key not in answered:
                answered[key] = check(criterion, cell)
            answers.append(answered[key])
        except TypeError:
            answers.append(check(criterion, cell))
    return answers


def _is(actors: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """Per actor: whether the column holds the value (never for a blank)."""
    return pc.equal(arrow_text(column_of(actors, column)), value).fill_null(False).to_numpy(zero_copy_only=False)


def check_womens_organisations(criterion: Criterion, seated: Seated) -> list[Answer]:
    """Met when a member or the chair is a women's organisation: their names, sorted (an
    actor without a name by its id)."""
    actors = seated.actors
    womens = _is(actors, "sector", "womens_organisations") | _is(actors, "actor_type", "womens_organisation")
    chosen = np.flatnonzero(womens[seated.actor])
    body, row = seated.body[chosen], seated.actor[chosen]
    names = pc.coalesce(arrow_text(column_of(actors, "name")).take(row), arrow_text(actors["actor_id"]).take(row))
    by_name = text_order(names)
    in_order = by_name[np.argsort(body[by_name], kind="stable")]  # by body, then by name
    failed = (False, criterion.reason(FAILED))
    by_body = lists_by_group(
        names.take(in_order).to_numpy(zero_copy_only=False), body[in_order], len(seated.with_members)
    )
    return [(True, criterion.reason(MET, names=found)) if found else failed for found in by_body]


def check_minimum_sectors(criterion: Criterion, seated: Seated) -> list[Answer]:
    """Met when every minimum sector (rules.toml) has a member or the chair; else lists the
    missing ones, in the rules' order. Bodies missing the same sectors share an answer."""
    sector = codes_in(column_of(seated.actors, "sector"), MINIMUM_SECTORS)[seated.actor]
    present = np.zeros((len(seated.with_members), len(MINIMUM_SECTORS) + 1), dtype=bool)  # the last: other sectors
    present[seated.body, sector] = True
    which, patterns = pd.factorize(present[:, :-1] @ (1 << np.arange(len(MINIMUM_SECTORS))))  # a bit per sector
    answers = [_minimum_sectors_answer(criterion, int(pattern)) for pattern in patterns]
    return [answers[pattern] for pattern in which.tolist()]


_SECTOR_TERMS = {sector: Term("sector", sector) for sector in MINIMUM_SECTORS}  # one each: answers share them


def _minimum_sectors_answer(criterion: Criterion, present: int) -> Answer:
    """The answer for a body with the minimum sectors whose bits are set in `present`."""
    missing = [_SECTOR_TERMS[sector] for bit, sector in enumerate(MINIMUM_SECTORS) if not present >> bit & 1]
    if not missing:
        return True, criterion.reason(MET)
    return False, criterion.reason(FAILED, sectors=missing)


def no_members_reason(body: Mapping) -> Message:
    """Why a body without resolved members fails the membership criteria."""
    if list_items(body.get("members")):
        return message("criterion_reason.no_member_matches")
    return message("criterion_reason.no_members")


# The membership checks a criterion can name (members = "..." in criteria.toml): each answers
# for every body at once.
MEMBERSHIP_CHECKS: dict[str, Callable[[Criterion, Seated], list[Answer]]] = {
    "womens_organisations": check_womens_organisations,
    "minimum_sectors": check_minimum_sectors,
}
# The checklist, in criteria.toml's order, and the ids of its criteria.
CHECKLIST: tuple[Criterion, ...] = criteria_from(load_data_file("criteria.toml"))
CRITERIA: tuple[str, ...] = tuple(criterion.id for criterion in CHECKLIST)


# --- the checklist --------------------------------------------------------------------------


def criterion_answers(criterion: Criterion, bodies: pd.DataFrame, seated: Seated) -> list[Answer]:
    """The criterion's (met, reason) for each body."""
    if criterion.decided_by != MEMBERS:
        return cell_answers(criterion, plain_columns(bodies, (criterion.target,))[0])
    answers = MEMBERSHIP_CHECKS[criterion.target](criterion, seated)
    for number in np.flatnonzero(~seated.with_members).tolist():
        answers[number] = (
            False,
            no_members_reason({"members": plain_value(column_of(bodies, "members").iloc[number])}),
        )
    return answers


def body_checklist(bodies: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per (body, criterion), criteria in the checklist's order: body, level, region,
    criterion, met (True, False or None: not recorded), reason (a Message). Each criterion is
    answered for every body at once."""
    seated = seated_on_bodies(bodies, actors)
    count, width = len(bodies), len(CHECKLIST)
    met, reason = np.empty((count, width), dtype=object), np.empty((count, width), dtype=object)
    for column, criterion in enumerate(CHECKLIST):
        answers = criterion_answers(criterion, bodies, seated)
        met[:, column] = objects([answer[0] for answer in answers])
        reason[:, column] = objects([answer[1] for answer in answers])
    body, level, region = plain_columns(bodies, ("name", "level", "region"))
    return frame(
        {
            "body_number": np.repeat(np.arange(count), width).astype(object),
            "body": np.repeat(body, width),
            "level": np.repeat(level, width),
            "region": np.repeat(region, width),
            "criterion": np.tile(objects([criterion.id for criterion in CHECKLIST]), count),
            "met": met.ravel(),  # object: True, False or None
            "reason": reason.ravel(),
        },
        CHECKLIST_COLUMNS,
    )


def body_scores(checklist: pd.DataFrame) -> pd.DataFrame:
    """One row per body: score = criteria met / criteria checked (unknown counts as not met)."""
    body, numbers = pd.factorize(checklist["body_number"].to_numpy())
    rows = np.argsort(body, kind="stable")  # each body's rows together, in checklist order
    body, count = body[rows], len(numbers)
    criteria = checklist["criterion"].to_numpy(dtype=object)[rows]
    met = checklist["met"].to_numpy(dtype=object)[rows].tolist()
    is_met = np.array([value is True for value in met], dtype=bool)
    failed = np.array([value is False for value in met], dtype=bool)
    unknown = ~is_met & ~failed
    checked, met_count = np.bincount(body, minlength=count), np.bincount(body[is_met], minlength=count)
    first = rows[np.searchsorted(body, np.arange(count))]
    return frame(
        {
            "body_number": np.asarray(numbers, dtype=np.int64),
            **{column: checklist[column].to_numpy(dtype=object)[first] for column in ("body", "level", "region")},
            "score": met_count / checked,
            "met": met_count,
            "unknown": np.bincount(body[unknown], minlength=count),
            "failed": objects(lists_by_group(criteria[failed], body[failed], count)),
            "unknown_criteria": objects(lists_by_group(criteria[unknown], body[unknown], count)),
        },
        SCORE_COLUMNS,
    )


def regions_without_body(regions: pd.DataFrame, bodies: pd.DataFrame) -> list[str]:
    """Regions with no subnational or local body of their own, in regions-sheet order.

    Liberia set up a task force in all fifteen counties (UN Women, inter-sectoral networks);
    Peru's mesas in 18 departments (UN Women, multisectoral committees). Region names are
    compared on their text key (case and accents ignored).
    """
    below_national = pc.is_in(arrow_text(bodies["level"]), value_set=arrow_text(list(SUBNATIONAL_LEVELS)))
    named = set(arrow_text(bodies["region"]).filter(below_national).drop_null().to_pylist())
    covered = {text_key(region) for region in named}
    names = dict.fromkeys(arrow_text(regions["region"]).drop_null().to_pylist())
    return [name for name in names if name not in named and text_key(name) not in covered]
