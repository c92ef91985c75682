"""Does each coordination body have what makes one work? A checklist drawn from the seeds.

DOMAIN.md, "What makes a coordination body work": political clout (ministerial chair), formal
status, terms of reference and an action plan, meetings at least quarterly, women's
organisations and every minimum sector among the members, a secretariat and its own budget,
and a sub-national body in every region.

Every answer is True (met), False (failed) or None (not recorded), with a plain English reason.
"""

from __future__ import annotations

import pandas as pd

from vawmap.ingest.normalise import LIST_JOIN
from vawmap.vocab import MINIMUM_SECTORS, text_key

CRITERIA = (
    "chair_rank", "formal_status", "terms_of_reference", "action_plan", "meets_quarterly",
    "womens_organisations", "minimum_sectors", "secretariat", "dedicated_budget",
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
MEETING_PHRASES = {
    "weekly": "Meets weekly", "monthly": "Meets monthly", "quarterly": "Meets quarterly",
    "biannual": "Meets twice a year", "annual": "Meets once a year",
    "irregular": "Meets irregularly", "none": "Does not meet",
}
RANK_PHRASES = {
    "head_of_government": "Chaired at head of state or government rank", "minister": "Chaired at minister rank",
    "deputy_minister": "Chaired at deputy minister rank", "director": "Chaired at director rank",
    "other": "Chaired below ministerial rank (recorded as other)",
}
# Yes/no columns: criterion -> (what it is when present, what is missing when absent).
YES_NO_PHRASES = {
    "formal_status": ("Has formal status", "No formal, legal status or charter", "Formal status"),
    "terms_of_reference": ("Has terms of reference", "No terms of reference", "Terms of reference"),
    "action_plan": ("Has an action plan", "No action plan", "Action plan"),
    "secretariat": ("Has a secretariat", "No secretariat", "Secretariat"),
    "dedicated_budget": ("Has its own budget", "No dedicated budget", "Dedicated budget"),
}
SUBNATIONAL_LEVELS = ("subnational", "local")
# body_number: the body's position in the bodies sheet (0 first): names and levels may repeat
# (a "Mesa" in every region) or be blank, so rows are tied to their body by this number.
CHECKLIST_COLUMNS = ["body_number", "body", "level", "region", "criterion", "met", "reason"]
SCORE_COLUMNS = ["body_number", "body", "level", "region", "score", "met", "unknown", "failed", "unknown_criteria"]


# --- small helpers shared with coverage.py -------------------------------------------------

def is_missing(value: object) -> bool:
    """A blank cell: None, NaN or pd.NA (pd.isna on a scalar, never on a list)."""
    return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value)))


def list_items(cell: object) -> list[str]:
    """Items of a '; '-joined list cell (LIST_JOIN); [] when blank."""
    if is_missing(cell):
        return []
    return [item.strip() for item in str(cell).split(LIST_JOIN.strip()) if item.strip()]


def member_ids(body: pd.Series) -> list[str]:
    """Resolved actor ids of a body's members (member_ids column)."""
    return list_items(body.get("member_ids"))


def seated_actor_ids(body: pd.Series) -> set[str]:
    """Everyone who sits on a body: its members and its chair."""
    chair = body.get("chair_id")
    return set(member_ids(body)) | (set() if is_missing(chair) else {str(chair)})


def national_body_actor_ids(bodies: pd.DataFrame) -> set[str]:
    """Ids of every actor who is a member or the chair of a national-level body."""
    seated: set[str] = set()
    for body in national_bodies(bodies).to_dict("records"):
        seated |= seated_actor_ids(body)
    return seated


def national_bodies(bodies: pd.DataFrame) -> pd.DataFrame:
    return bodies[bodies["level"].eq("national").fillna(False).astype(bool)]


def plain(value: object) -> object:
    """A cell as a plain Python value: None for a blank."""
    return None if is_missing(value) else value


# --- one check per criterion: (met, reason) ---------------------------------------------------

def _cite(criterion: str) -> str:
    return f"({CRITERIA_SOURCES[criterion]})"


def check_chair_rank(body: pd.Series) -> tuple[bool | None, str]:
    """Met when chaired at minister rank or above (seed 000: political clout)."""
    rank = plain(body.get("chair_rank"))
    if rank is None:
        return None, "Chair rank not recorded."
    phrase = RANK_PHRASES.get(rank, f"Chaired at {rank} rank")
    if rank in POLITICAL_RANKS:
        return True, f"{phrase} {_cite('chair_rank')}."
    return False, f"{phrase}; political clout needs minister rank or above {_cite('chair_rank')}."


def check_meets_quarterly(body: pd.Series) -> tuple[bool | None, str]:
    """Met for weekly, monthly or quarterly meetings (seed 001: the IMG meets quarterly)."""
    frequency = plain(body.get("meeting_frequency"))
    if frequency is None:
        return None, "Meeting frequency not recorded."
    phrase = MEETING_PHRASES.get(frequency, f"Meets {frequency}")
    if frequency in AT_LEAST_QUARTERLY:
        return True, f"{phrase} {_cite('meets_quarterly')}."
    return False, f"{phrase}; it should meet at least quarterly {_cite('meets_quarterly')}."


def check_yes_no(body: pd.Series, criterion: str) -> tuple[bool | None, str]:
    """Formal status, terms of reference, action plan, secretariat, budget: straight from the column."""
    has, lacks, label = YES_NO_PHRASES[criterion]
    value = plain(body.get(criterion))
    if value is None:
        return None, f"{label} not recorded."
    if bool(value):
        return True, f"{has} {_cite(criterion)}."
    return False, f"{lacks} {_cite(criterion)}."


def no_members_reason(body: pd.Series) -> str:
    """Why a body without resolved members fails the membership criteria."""
    if list_items(body.get("members")):
        return "No member listed matches an actor in the actors sheet."
    return "No members recorded."


def is_womens_organisation(actor: dict) -> bool:
    return actor.get("sector") == "womens_organisations" or actor.get("actor_type") == "womens_organisation"


def check_womens_organisations(body: pd.Series, seated: list[dict]) -> tuple[bool | None, str]:
    """Met when a member or the chair is a women's organisation (seeds 000, 002, 003)."""
    if not member_ids(body):
        return False, no_members_reason(body)
    names = sorted(actor["name"] for actor in seated if is_womens_organisation(actor))
    if names:
        return True, f"Members include women's organisations: {', '.join(names)} {_cite('womens_organisations')}."
    return False, f"Members include no women's organisation {_cite('womens_organisations')}."


def check_minimum_sectors(body: pd.Series, seated: list[dict]) -> tuple[bool | None, str]:
    """Met when every minimum sector (seed 000) has a member or the chair."""
    if not member_ids(body):
        return False, no_members_reason(body)
    present = {actor.get("sector") for actor in seated}
    missing = [sector for sector in MINIMUM_SECTORS if sector not in present]
    if not missing:
        return True, f"Members cover every minimum sector {_cite('minimum_sectors')}."
    return False, f"Missing minimum sectors among members: {', '.join(missing)} {_cite('minimum_sectors')}."


# --- the checklist --------------------------------------------------------------------------

def actors_by_id(actors: pd.DataFrame) -> dict[str, dict]:
    """actor_id -> {name, sector, actor_type}, blanks as None."""
    found: dict[str, dict] = {}
    columns = ("actor_id", "name", "sector", "actor_type")
    # plain object arrays: iterating an Arrow-backed column goes through a slow per-item path
    cells = (actors[column].to_numpy(dtype=object, na_value=None) for column in columns)
    for actor_id, name, sector, actor_type in zip(*cells):
        if not is_missing(actor_id):
            label = str(actor_id if is_missing(name) else name)
            found.setdefault(str(actor_id), {"name": label, "sector": plain(sector), "actor_type": plain(actor_type)})
    return found


def body_answers(body: pd.Series, known_actors: dict[str, dict]) -> dict[str, tuple[bool | None, str]]:
    """Every criterion's (met, reason) for one body."""
    seated = [known_actors[actor_id] for actor_id in sorted(seated_actor_ids(body)) if actor_id in known_actors]
    answers = {criterion: check_yes_no(body, criterion) for criterion in YES_NO_PHRASES}
    answers["chair_rank"] = check_chair_rank(body)
    answers["meets_quarterly"] = check_meets_quarterly(body)
    answers["womens_organisations"] = check_womens_organisations(body, seated)
    answers["minimum_sectors"] = check_minimum_sectors(body, seated)
    return answers


def body_checklist(bodies: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per (body, criterion) in CRITERIA order: body, level, region, criterion, met, reason.

    `met` is True, False or None (not recorded).
    """
    known_actors = actors_by_id(actors)
    rows = []
    for number, body in enumerate(bodies.to_dict("records")):  # plain dicts: iterrows builds a Series per body
        answers = body_answers(body, known_actors)
        where = {"body_number": number, "body": plain(body.get("name")), "level": plain(body.get("level")),
                 "region": plain(body.get("region"))}
        for criterion in CRITERIA:
            met, reason = answers[criterion]
            rows.append({**where, "criterion": criterion, "met": met, "reason": reason})
    return pd.DataFrame(rows, columns=CHECKLIST_COLUMNS, dtype=object)  # object: met stays True/False/None


def body_scores(checklist: pd.DataFrame) -> pd.DataFrame:
    """One row per body: score = criteria met / criteria checked (unknown counts as not met)."""
    answers_by_body: dict[tuple, list[tuple[str, object]]] = {}
    for row in checklist.itertuples(index=False):
        key = (row.body_number, row.body, row.level, row.region)
        answers_by_body.setdefault(key, []).append((row.criterion, row.met))
    rows = []
    for (number, body, level, region), answers in answers_by_body.items():
        failed = [criterion for criterion, met in answers if met is False]
        unknown = [criterion for criterion, met in answers if met is None or is_missing(met)]
        met = sum(value is True for _, value in answers)
        rows.append({"body_number": number, "body": plain(body), "level": plain(level), "region": plain(region),
                     "score": met / len(answers), "met": met, "unknown": len(unknown),
                     "failed": failed, "unknown_criteria": unknown})
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
