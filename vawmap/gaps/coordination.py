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

import pandas as pd

from vawmap.cells import is_missing, list_items, plain_columns, plain_records
from vawmap.cells import plain_value as plain
from vawmap.contract import sheet
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


def member_ids(body: Mapping) -> list[str]:
    """Resolved actor ids of a body's members (member_ids column)."""
    return list_items(body.get("member_ids"))


def seated_actor_ids(body: Mapping, members: list[str] | None = None) -> set[str]:
    """Everyone who sits on a body: its members (given when already read) and its chair."""
    chair = body.get("chair_id")
    return set(member_ids(body) if members is None else members) | (set() if is_missing(chair) else {str(chair)})


def national_body_actor_ids(bodies: pd.DataFrame) -> set[str]:
    """Ids of every actor who is a member or the chair of a national-level body."""
    seated: set[str] = set()
    for body in plain_records(national_bodies(bodies), ("member_ids", "chair_id")):
        seated |= seated_actor_ids(body)
    return seated


def national_bodies(bodies: pd.DataFrame) -> pd.DataFrame:
    return bodies[bodies["level"].eq("national").fillna(False).astype(bool)]


# --- one check per kind of criterion: (met, reason) --------------------------------------------


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


def no_members_reason(body: Mapping) -> Message:
    """Why a body without resolved members fails the membership criteria."""
    if list_items(body.get("members")):
        return message("criterion_reason.no_member_matches")
    return message("criterion_reason.no_members")


def is_womens_organisation(actor: Mapping) -> bool:
    return actor.get("sector") == "womens_organisations" or actor.get("actor_type") == "womens_organisation"


def check_womens_organisations(criterion: Criterion, seated: list[dict]) -> Answer:
    """Met when a member or the chair is a women's organisation."""
    names = sorted(actor["name"] for actor in seated if is_womens_organisation(actor))
    if names:
        return True, criterion.reason(MET, names=names)
    return False, criterion.reason(FAILED)


def check_minimum_sectors(criterion: Criterion, seated: list[dict]) -> Answer:
    """Met when every minimum sector (rules.toml) has a member or the chair; else lists the
    missing ones, in the rules' order."""
    present = {actor.get("sector") for actor in seated}
    missing = [Term("sector", sector) for sector in MINIMUM_SECTORS if sector not in present]
    if not missing:
        return True, criterion.reason(MET)
    return False, criterion.reason(FAILED, sectors=missing)


# The membership checks a criterion can name (members = "..." in criteria.toml).
MEMBERSHIP_CHECKS: dict[str, Callable[[Criterion, list[dict]], Answer]] = {
    "womens_organisations": check_womens_organisations,
    "minimum_sectors": check_minimum_sectors,
}
# The checklist, in criteria.toml's order, and the ids of its criteria.
CHECKLIST: tuple[Criterion, ...] = criteria_from(load_data_file("criteria.toml"))
CRITERIA: tuple[str, ...] = tuple(criterion.id for criterion in CHECKLIST)


# --- the checklist --------------------------------------------------------------------------


def actors_by_id(actors: pd.DataFrame) -> dict[str, dict]:
    """actor_id -> {name, sector, actor_type} of the first actor with that id, blanks as None."""
    found: dict[str, dict] = {}
    for actor_id, name, sector, actor_type in zip(*plain_columns(actors, ("actor_id", "name", "sector", "actor_type"))):
        if actor_id is not None and actor_id not in found:
            found[str(actor_id)] = {
                "name": str(actor_id if name is None else name),
                "sector": sector,
                "actor_type": actor_type,
            }
    return found


def _cell_answer(criterion: Criterion, value: object) -> Answer:
    return check_yes_no(criterion, value) if criterion.decided_by == YES_NO else check_recorded(criterion, value)


def body_answers(body: Mapping, known_actors: dict[str, dict], memo: dict | None = None) -> dict[str, Answer]:
    """Every criterion's (met, reason) for one body. `memo` keeps the answers of the criteria
    one cell decides, by criterion and cell (its type too), across the bodies of one
    checklist: 500 bodies hold only a handful of distinct values."""
    memo = {} if memo is None else memo
    members = member_ids(body)
    seated = [
        known_actors[actor_id] for actor_id in sorted(seated_actor_ids(body, members)) if actor_id in known_actors
    ]
    answers: dict[str, Answer] = {}
    for criterion in CHECKLIST:
        if criterion.decided_by == MEMBERS:
            check = MEMBERSHIP_CHECKS[criterion.target]
            answers[criterion.id] = check(criterion, seated) if members else (False, no_members_reason(body))
            continue
        value = plain(body.get(criterion.target))
        key = (criterion.id, type(value), value)  # the type too: 1, 1.0 and True are equal keys
        try:
            if key not in memo:
                memo[key] = _cell_answer(criterion, value)
            answers[criterion.id] = memo[key]
        except TypeError:  # an unhashable cell (a list): answered on its own
            answers[criterion.id] = _cell_answer(criterion, value)
    return answers


def body_checklist(bodies: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per (body, criterion), criteria in the checklist's order: body, level, region,
    criterion, met (True, False or None: not recorded), reason (a Message)."""
    known_actors = actors_by_id(actors)
    rows = []
    memo: dict = {}
    for number, body in enumerate(plain_records(bodies)):  # plain dicts: iterrows builds a Series per body
        answers = body_answers(body, known_actors, memo)
        where = (number, plain(body.get("name")), plain(body.get("level")), plain(body.get("region")))
        rows += [(*where, criterion.id, *answers[criterion.id]) for criterion in CHECKLIST]
    return pd.DataFrame(rows, columns=CHECKLIST_COLUMNS, dtype=object)  # object: met stays True/False/None


def body_scores(checklist: pd.DataFrame) -> pd.DataFrame:
    """One row per body: score = criteria met / criteria checked (unknown counts as not met)."""
    answers_by_body: dict[tuple, list[tuple[str, object]]] = {}
    columns = ("body_number", "body", "level", "region", "criterion", "met")
    for number, body, level, region, criterion, met in zip(*(checklist[column].to_numpy(object) for column in columns)):
        answers_by_body.setdefault((number, body, level, region), []).append((criterion, met))
    rows = []
    for (number, body, level, region), answers in answers_by_body.items():
        failed = [criterion for criterion, met in answers if met is False]
        unknown = [criterion for criterion, met in answers if met is not True and met is not False]
        met = sum(value is True for _, value in answers)
        rows.append(
            {
                "body_number": number,
                "body": plain(body),
                "level": plain(level),
                "region": plain(region),
                "score": met / len(answers),
                "met": met,
                "unknown": len(unknown),
                "failed": failed,
                "unknown_criteria": unknown,
            }
        )
    scores = pd.DataFrame(rows, columns=SCORE_COLUMNS, dtype=object)  # object: keeps None as None
    return scores.astype({"body_number": int, "score": float, "met": int, "unknown": int})


def regions_without_body(regions: pd.DataFrame, bodies: pd.DataFrame) -> list[str]:
    """Regions with no subnational or local body of their own, in regions-sheet order.

    Liberia set up a task force in all fifteen counties (UN Women, inter-sectoral networks);
    Peru's mesas in 18 departments (UN Women, multisectoral committees). Region names are
    compared on their text key (case and accents ignored).
    """
    below_national = bodies["level"].isin(SUBNATIONAL_LEVELS).fillna(False).astype(bool)
    covered = {text_key(region) for region in bodies.loc[below_national, "region"].dropna()}
    names = [str(region) for region in regions["region"].dropna()]
    return [name for name in dict.fromkeys(names) if text_key(name) not in covered]
