"""Does each coordination body have what makes one work? A checklist drawn from the seeds.

DOMAIN.md, "What makes a coordination body work": political clout (ministerial chair), formal
status, terms of reference and an action plan, meetings at least quarterly, women's
organisations and every minimum sector among the members, a secretariat and its own budget,
and a sub-national body in every region.

Every answer is True (met), False (failed) or None (not recorded), with a plain-language reason
in the language asked for (criterion_reason in vawmap/locales).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from vawmap.i18n import t
from vawmap.cells import is_missing, list_items, plain_columns, plain_records
from vawmap.cells import plain_value as plain
from vawmap.vocab import text_key, vocabulary
from vawmap.rules import MINIMUM_SECTORS

CRITERIA = (
    "chair_rank",
    "formal_status",
    "terms_of_reference",
    "action_plan",
    "meets_quarterly",
    "womens_organisations",
    "minimum_sectors",
    "secretariat",
    "dedicated_budget",
)
CRITERIA_SOURCES = {
    # Political clout: the head holds ministerial rank (Chile's SERNAM; Franceschet 2008).
    "chair_rank": "seed 000",
    # Haiti: without a charter or legal status the task force could not receive funds.
    "formal_status": "seed 002",
    # "leadership ... defined by a terms of reference and activities ... guided by an action plan".
    "terms_of_reference": "seed 003",
    "action_plan": "seed 003",
    # England & Wales: the IMG meets quarterly, its Delivery Board every six weeks.
    "meets_quarterly": "seed 001",
    # Minimum membership includes women's NGOs that work on violence (also seeds 002, 003).
    "womens_organisations": "seed 000",
    # Minimum membership: education, health, interior, justice, women's affairs, police, prosecutors, women's NGOs.
    "minimum_sectors": "seed 000",
    # Liberia's GBV Unit serves as the task force's secretariat (also seed 002: Haiti's secretariat).
    "secretariat": "seed 000",
    # "the ability to negotiate their own budgets" (also seed 002: donor dependence).
    "dedicated_budget": "seed 000",
}

POLITICAL_RANKS = ("head_of_government", "minister")
AT_LEAST_QUARTERLY = ("weekly", "monthly", "quarterly")
# Yes/no columns, each read straight from the bodies sheet; its words are
# criterion_reason.<criterion>_met / _failed / _unknown.
YES_NO_CRITERIA = ("formal_status", "terms_of_reference", "action_plan", "secretariat", "dedicated_budget")
SUBNATIONAL_LEVELS = ("subnational", "local")
# body_number: the body's position in the bodies sheet (0 first): names and levels may repeat
# (a "Mesa" in every region) or be blank, so rows are tied to their body by this number.
CHECKLIST_COLUMNS = ["body_number", "body", "level", "region", "criterion", "met", "reason"]
SCORE_COLUMNS = ["body_number", "body", "level", "region", "score", "met", "unknown", "failed", "unknown_criteria"]


def member_ids(body: pd.Series) -> list[str]:
    """Resolved actor ids of a body's members (member_ids column)."""
    return list_items(body.get("member_ids"))


def seated_actor_ids(body: pd.Series, members: list[str] | None = None) -> set[str]:
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


# --- one check per criterion: (met, reason) ---------------------------------------------------


def chaired_phrase(rank: str, language: str = "en") -> str:
    """How the body is chaired, in words; a rank outside the chair_rank list is quoted as recorded."""
    if rank in vocabulary("chair_rank").values:
        return t(f"criterion_reason.chaired.{rank}", language)
    return t("criterion_reason.chaired_as_recorded", language, rank=rank)


def meets_phrase(frequency: str, language: str = "en") -> str:
    """How often the body meets, in words; a value outside the meeting_frequency list is quoted as recorded."""
    if frequency in vocabulary("meeting_frequency").values:
        return t(f"criterion_reason.meets.{frequency}", language)
    return t("criterion_reason.meets_as_recorded", language, frequency=frequency)


def _check_recorded(body, criterion: str, column: str, passing, language: str, **describe) -> tuple[bool | None, str]:
    """Met when the body's `column` holds one of `passing`; unknown when blank. `describe` names
    the reason's placeholder and the function that puts the recorded value into words."""
    value = plain(body.get(column))
    if value is None:
        return None, t(f"criterion_reason.{criterion}_unknown", language)
    words = {name: phrase(value, language) for name, phrase in describe.items()}
    met = value in passing
    outcome = "met" if met else "failed"
    return met, t(f"criterion_reason.{criterion}_{outcome}", language, source=CRITERIA_SOURCES[criterion], **words)


def check_chair_rank(body: pd.Series, language: str = "en") -> tuple[bool | None, str]:
    """Met when chaired at minister rank or above (seed 000: political clout)."""
    return _check_recorded(body, "chair_rank", "chair_rank", POLITICAL_RANKS, language, chaired=chaired_phrase)


def check_meets_quarterly(body: pd.Series, language: str = "en") -> tuple[bool | None, str]:
    """Met for weekly, monthly or quarterly meetings (seed 001: the IMG meets quarterly)."""
    return _check_recorded(
        body, "meets_quarterly", "meeting_frequency", AT_LEAST_QUARTERLY, language, meets=meets_phrase
    )


def check_yes_no(body: pd.Series, criterion: str, language: str = "en") -> tuple[bool | None, str]:
    """Formal status, terms of reference, action plan, secretariat, budget: straight from the column."""
    value = plain(body.get(criterion))
    if value is None:
        return None, t(f"criterion_reason.{criterion}_unknown", language)
    if bool(value):
        return True, t(f"criterion_reason.{criterion}_met", language, source=CRITERIA_SOURCES[criterion])
    return False, t(f"criterion_reason.{criterion}_failed", language, source=CRITERIA_SOURCES[criterion])


def no_members_reason(body: pd.Series, language: str = "en") -> str:
    """Why a body without resolved members fails the membership criteria."""
    if list_items(body.get("members")):
        return t("criterion_reason.no_member_matches", language)
    return t("criterion_reason.no_members", language)


def is_womens_organisation(actor: dict) -> bool:
    return actor.get("sector") == "womens_organisations" or actor.get("actor_type") == "womens_organisation"


def check_womens_organisations(
    body: pd.Series, seated: list[dict], has_members: bool, language: str = "en"
) -> tuple[bool | None, str]:
    """Met when a member or the chair is a women's organisation (seeds 000, 002, 003)."""
    if not has_members:
        return False, no_members_reason(body, language)
    names = sorted(actor["name"] for actor in seated if is_womens_organisation(actor))
    source = CRITERIA_SOURCES["womens_organisations"]
    if names:
        return True, t("criterion_reason.womens_organisations_met", language, names=", ".join(names), source=source)
    return False, t("criterion_reason.womens_organisations_failed", language, source=source)


def check_minimum_sectors(
    body: pd.Series, seated: list[dict], has_members: bool, language: str = "en"
) -> tuple[bool | None, str]:
    """Met when every minimum sector (seed 000) has a member or the chair."""
    if not has_members:
        return False, no_members_reason(body, language)
    present = {actor.get("sector") for actor in seated}
    missing = [sector for sector in MINIMUM_SECTORS if sector not in present]
    source = CRITERIA_SOURCES["minimum_sectors"]
    if not missing:
        return True, t("criterion_reason.minimum_sectors_met", language, source=source)
    # sector codes, not labels, so that the English reason stays as it has always been
    return False, t("criterion_reason.minimum_sectors_failed", language, sectors=", ".join(missing), source=source)


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


def _check_yes_no_of(criterion: str, body, language: str) -> tuple[bool | None, str]:
    return check_yes_no(body, criterion, language)


def _recorded_checks() -> list[tuple[str, str, object]]:
    """(criterion, column, check) for the criteria decided by one cell of the body's row."""
    checks = [(criterion, criterion, partial(_check_yes_no_of, criterion)) for criterion in YES_NO_CRITERIA]
    return checks + [
        ("chair_rank", "chair_rank", check_chair_rank),
        ("meets_quarterly", "meeting_frequency", check_meets_quarterly),
    ]


RECORDED_CHECKS = _recorded_checks()


def body_answers(
    body: pd.Series, known_actors: dict[str, dict], language: str = "en", memo: dict | None = None
) -> dict[str, tuple[bool | None, str]]:
    """Every criterion's (met, reason) for one body. `memo` keeps the answers of the criteria
    one cell decides, by criterion and cell (its type too), across the bodies of one
    checklist: 500 bodies hold only a handful of distinct values, and each reason was
    formatted afresh."""
    memo = {} if memo is None else memo
    answers = {}
    for criterion, column, check in RECORDED_CHECKS:
        value = plain(body.get(column))
        key = (criterion, type(value), value)  # the type too: 1, 1.0 and True are equal keys
        try:
            if key not in memo:
                memo[key] = check(body, language)
            answers[criterion] = memo[key]
        except TypeError:  # an unhashable cell (a list): answered on its own
            answers[criterion] = check(body, language)
    members = member_ids(body)
    seated = [
        known_actors[actor_id] for actor_id in sorted(seated_actor_ids(body, members)) if actor_id in known_actors
    ]
    answers["womens_organisations"] = check_womens_organisations(body, seated, bool(members), language)
    answers["minimum_sectors"] = check_minimum_sectors(body, seated, bool(members), language)
    return answers


def body_checklist(bodies: pd.DataFrame, actors: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """One row per (body, criterion) in CRITERIA order: body, level, region, criterion, met, reason.

    `met` is True, False or None (not recorded); `reason` is in `language`.
    """
    known_actors = actors_by_id(actors)
    rows = []
    memo: dict = {}
    for number, body in enumerate(plain_records(bodies)):  # plain dicts: iterrows builds a Series per body
        answers = body_answers(body, known_actors, language, memo)
        where = (number, plain(body.get("name")), plain(body.get("level")), plain(body.get("region")))
        rows += [(*where, criterion, *answers[criterion]) for criterion in CRITERIA]
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

    Seed 000: Liberia set up a task force in all fifteen counties; seed 003: Peru's mesas in 18
    departments. Region names are compared on their text key (case and accents ignored).
    """
    below_national = bodies["level"].isin(SUBNATIONAL_LEVELS).fillna(False).astype(bool)
    covered = {text_key(region) for region in bodies.loc[below_national, "region"].dropna()}
    names = [str(region) for region in regions["region"].dropna()]
    return [name for name in dict.fromkeys(names) if text_key(name) not in covered]
