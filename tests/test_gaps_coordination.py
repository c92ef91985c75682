"""The coordination-body checklist, its scores, and regions without a body (vawmap.gaps.coordination).

Every expectation below is worked out by hand from the fixture frames; the comment above each
assertion says how.
"""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from tests.gaps_fixtures import actor, actors_frame, bodies_frame, regions_frame
from vawmap.dataset import empty_frame, sample_dataset
from vawmap.gaps import coordination
from vawmap.gaps.coordination import (
    CHECKLIST,
    CRITERIA,
    body_checklist,
    body_scores,
    criteria_from,
    regions_without_body,
)
from vawmap.messages import Message, Term, message, render

# The public sources the criteria cite (data/rules.toml [sources], their short form).
NETWORKS = "UN Women, inter-sectoral networks"
STRUCTURES = "UN Women, coordination structures"
INTER_MINISTERIAL = "UN Women, inter-ministerial mechanisms"
MULTISECTORAL = "UN Women, multisectoral committees"

# A criterion as a coordinator would add it to criteria.toml.
ADDED_CRITERION = '[criteria]\nstanding_secretariat = { yes_no = "secretariat", source = "networks" }'

# One national actor for each minimum sector, plus a women's NGO filed under civil_society and a donor.
ACTORS = actors_frame(
    [
        actor("edu", "Ministry of Education", "education"),
        actor("hea", "Ministry of Health", "health"),
        actor("int", "Ministry of Interior", "interior"),
        actor("jus", "Ministry of Justice", "justice"),
        actor("gen", "Ministry of Gender", "women_gender"),
        actor("pol", "National Police", "police", actor_type="state_institution"),
        actor("pro", "Prosecution Service", "prosecution", actor_type="state_institution"),
        actor("wo", "Women's Network", "womens_organisations", actor_type="womens_organisation"),
        actor("ngo_w", "Women's Shelter NGO", "civil_society", actor_type="womens_organisation"),
        actor("don", "Friendly Donor", "donor", actor_type="donor"),
    ]
)
EVERY_YES = {
    "formal_status": True,
    "terms_of_reference": True,
    "action_plan": True,
    "secretariat": True,
    "dedicated_budget": True,
}
# Meets every criterion: minister chair (gen, who also covers women_gender), quarterly meetings,
# all yes/no columns yes, members covering the other 7 minimum sectors including wo.
MODEL_BODY = {
    "name": "Model Committee",
    "level": "national",
    "chair_id": "gen",
    "chair_rank": "minister",
    "meeting_frequency": "quarterly",
    "member_ids": "edu; hea; int; jus; pol; pro; wo",
    **EVERY_YES,
}
# Director chair, formal_status no, terms of reference blank, action plan yes, secretariat no,
# budget blank, meets irregularly; members hea, pol, don (no women's organisation).
WEAK_BODY = {
    "name": "Weak Forum",
    "level": "subnational",
    "region": "North",
    "chair_id": "hea",
    "chair_rank": "director",
    "formal_status": False,
    "action_plan": True,
    "secretariat": False,
    "meeting_frequency": "irregular",
    "members": "MoH; Police; Donor",
    "member_ids": "hea; pol; don",
}
# Nothing recorded at all: no chair, no members, every column blank.
BLANK_BODY = {"name": "Blank Committee", "level": "local", "region": "South"}
BODIES = bodies_frame([MODEL_BODY, WEAK_BODY, BLANK_BODY])


def answer(checklist: pd.DataFrame, body: str, criterion: str) -> tuple[object, str]:
    """(met, reason in English) of one body for one criterion."""
    (position,) = checklist.index[(checklist["body"] == body) & (checklist["criterion"] == criterion)]
    return checklist.at[position, "met"], render(checklist.at[position, "reason"])


def answer_for(body: dict, criterion: str) -> tuple[object, str]:
    """(met, reason in English) of a one-body frame, checked against ACTORS."""
    return answer(body_checklist(bodies_frame([body]), ACTORS), body["name"], criterion)


def answer_of(body: dict, criterion: str) -> tuple[object, Message]:
    """(met, reason as the engine gives it) of a one-body frame, checked against ACTORS."""
    checklist = body_checklist(bodies_frame([body]), ACTORS)
    (position,) = checklist.index[checklist["criterion"] == criterion]
    return checklist.at[position, "met"], checklist.at[position, "reason"]


@pytest.fixture(scope="module")
def checklist() -> pd.DataFrame:
    return body_checklist(BODIES, ACTORS)


# --- shape ----------------------------------------------------------------------------------


def test_the_checklist_is_read_from_the_criteria_file_in_its_order():
    assert CRITERIA == (
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


def test_every_criterion_cites_a_public_source_of_the_rules():
    # Each line of criteria.toml names a key of [sources] in rules.toml; the checklist cites its short form.
    cited = {criterion.id: criterion.source.short for criterion in CHECKLIST}
    assert cited["chair_rank"] == NETWORKS and cited["meets_quarterly"] == STRUCTURES
    assert cited["formal_status"] == INTER_MINISTERIAL and cited["action_plan"] == MULTISECTORAL
    assert all(criterion.source.full.startswith("UN Women, Virtual Knowledge Centre") for criterion in CHECKLIST)


def test_a_yes_no_criterion_added_as_one_line_of_toml_is_checked(monkeypatch):
    # A new criterion read from the secretariat column: one line of TOML, no code.
    added = criteria_from(tomllib.loads(ADDED_CRITERION))
    monkeypatch.setattr(coordination, "CHECKLIST", CHECKLIST + added)
    checklist = body_checklist(bodies_frame([{"name": "Yes", "secretariat": True}, {"name": "Blank"}]), ACTORS)
    rows = checklist[checklist["criterion"] == "standing_secretariat"]
    assert rows["met"].tolist() == [True, None]
    assert rows["reason"].tolist() == [
        message("criterion_reason.standing_secretariat_met", source=NETWORKS),
        message("criterion_reason.standing_secretariat_unknown"),
    ]
    # and it counts in the score: each body is held against 10 criteria now
    scores = body_scores(checklist)
    assert (scores["met"] + scores["unknown"] + scores["failed"].map(len)).tolist() == [10, 10]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('x = { yes_no = "secretariat" }', "source"),
        ('x = { yes_no = "secretariat", source = "nowhere" }', "source"),
        ('x = { yes_no = "chair_rank", source = "networks" }', "not a yes_no column"),
        ('x = { yes_no = "secretariat", members = "minimum_sectors", source = "networks" }', "exactly one"),
        ('x = { recorded = "chair_rank", passing = ["minister"], source = "networks" }', "words"),
        ('x = { recorded = "chair_rank", passing = ["king"], words = "chaired", source = "networks" }', "king"),
        ('x = { recorded = "secretariat", passing = ["yes"], words = "has", source = "networks" }', "vocab column"),
        ('x = { members = "donors", source = "networks" }', "membership check"),
    ],
)
def test_a_criterion_that_cannot_work_is_refused_with_its_reason(line, problem):
    with pytest.raises(ValueError, match=problem):
        criteria_from(tomllib.loads(f"[criteria]\n{line}"))


def test_reasons_are_messages_citing_the_source_and_the_recorded_value():
    # The engine says which text and with what; the words come later, in any language.
    met, reason = answer_of({"name": "B", "chair_rank": "director"}, "chair_rank")
    assert met is False
    assert reason == message(
        "criterion_reason.chair_rank_failed", recorded=message("criterion_reason.chaired.director"), source=NETWORKS
    )
    assert render(reason, "fr") == (
        f"Présidé au rang de directeur ou directrice ; le poids politique exige un rang de ministre ou supérieur "
        f"({NETWORKS})."
    )
    # a value outside the vocabulary is quoted as recorded
    _, reason = answer_of({"name": "B", "chair_rank": "king"}, "chair_rank")
    assert reason.params["recorded"] == message("criterion_reason.chaired_as_recorded", value="king")


def test_missing_minimum_sectors_are_named_in_the_language_asked_for():
    _, reason = answer_of({"name": "B", "member_ids": "hea; pol; jus; int; edu; pro; wo"}, "minimum_sectors")
    assert reason.params["sectors"] == [Term("sector", "women_gender")]
    assert render(reason, "fr") == f"Secteurs minimaux absents parmi les membres : Femmes et genre ({NETWORKS})."


def test_checklist_is_one_row_per_body_and_criterion(checklist):
    # 3 bodies x 9 criteria = 27 rows, body by body, criteria in CRITERIA order.
    assert list(checklist.columns) == ["body_number", "body", "level", "region", "criterion", "met", "reason"]
    assert len(checklist) == 27
    assert list(checklist["body_number"].drop_duplicates()) == [0, 1, 2]
    assert list(checklist["criterion"][:9]) == list(CRITERIA)
    assert list(checklist["body"].drop_duplicates()) == ["Model Committee", "Weak Forum", "Blank Committee"]
    # The national body has no region: None, not NaN.
    assert checklist.at[0, "region"] is None


def test_model_body_meets_every_criterion(checklist):
    assert list(checklist["met"][:9]) == [True] * 9


def test_checklist_of_empty_frames_is_empty():
    checklist = body_checklist(empty_frame("coordination_bodies"), empty_frame("actors"))
    assert checklist.empty
    assert list(checklist.columns) == ["body_number", "body", "level", "region", "criterion", "met", "reason"]
    assert body_scores(checklist).empty


# --- each criterion: met / failed / unknown ---------------------------------------------------


@pytest.mark.parametrize(
    ("rank", "met", "reason"),
    [
        ("head_of_government", True, f"Chaired at head of state or government rank ({NETWORKS})."),
        ("minister", True, f"Chaired at minister rank ({NETWORKS})."),
        (
            "deputy_minister",
            False,
            f"Chaired at deputy minister rank; political clout needs minister rank or above ({NETWORKS}).",
        ),
        ("director", False, f"Chaired at director rank; political clout needs minister rank or above ({NETWORKS})."),
        (
            "other",
            False,
            (
                "Chaired below ministerial rank (recorded as other); political clout needs minister rank "
                f"or above ({NETWORKS})."
            ),
        ),
        (None, None, "Chair rank not recorded."),
    ],
)
def test_chair_rank(rank, met, reason):
    # Met only at minister rank or above (Chile: SERNAM's head has the rank of Minister of State).
    assert answer_for({"name": "B", "chair_rank": rank}, "chair_rank") == (met, reason)


@pytest.mark.parametrize(
    ("frequency", "met", "reason"),
    [
        ("weekly", True, f"Meets weekly ({STRUCTURES})."),
        ("monthly", True, f"Meets monthly ({STRUCTURES})."),
        ("quarterly", True, f"Meets quarterly ({STRUCTURES})."),
        ("biannual", False, f"Meets twice a year; it should meet at least quarterly ({STRUCTURES})."),
        ("annual", False, f"Meets once a year; it should meet at least quarterly ({STRUCTURES})."),
        ("irregular", False, f"Meets irregularly; it should meet at least quarterly ({STRUCTURES})."),
        ("none", False, f"Does not meet; it should meet at least quarterly ({STRUCTURES})."),
        (None, None, "Meeting frequency not recorded."),
    ],
)
def test_meets_quarterly(frequency, met, reason):
    # The England & Wales IMG meets quarterly -> quarterly or more often is met.
    assert answer_for({"name": "B", "meeting_frequency": frequency}, "meets_quarterly") == (met, reason)


def test_bodies_with_the_same_cell_share_an_answer_but_not_across_types():
    # The checklist keeps each (criterion, cell) answer for the next body with that cell; a
    # hand-built object column can hold 1, True and 1.0 (equal as keys) or a list (no key).
    bodies = bodies_frame([{"name": name} for name in "ABCDE"]).astype({"meeting_frequency": object})
    bodies["meeting_frequency"] = pd.array(["monthly", 1, True, 1.0, ["monthly"]], dtype=object)
    checklist = body_checklist(bodies, empty_frame("actors")).query("criterion == 'meets_quarterly'")
    reasons = [render(reason) for reason in checklist["reason"]]
    assert reasons[:4] == [
        f"Meets monthly ({STRUCTURES}).",
        f"Meets 1; it should meet at least quarterly ({STRUCTURES}).",
        f"Meets True; it should meet at least quarterly ({STRUCTURES}).",
        f"Meets 1.0; it should meet at least quarterly ({STRUCTURES}).",
    ]
    assert "monthly" in reasons[4]


@pytest.mark.parametrize(
    ("criterion", "yes_reason", "no_reason", "blank_reason"),
    [
        (
            "formal_status",
            f"Has formal status ({INTER_MINISTERIAL}).",
            f"No formal, legal status or charter ({INTER_MINISTERIAL}).",
            "Formal status not recorded.",
        ),
        (
            "terms_of_reference",
            f"Has terms of reference ({MULTISECTORAL}).",
            f"No terms of reference ({MULTISECTORAL}).",
            "Terms of reference not recorded.",
        ),
        (
            "action_plan",
            f"Has an action plan ({MULTISECTORAL}).",
            f"No action plan ({MULTISECTORAL}).",
            "Action plan not recorded.",
        ),
        (
            "secretariat",
            f"Has a secretariat ({NETWORKS}).",
            f"No secretariat ({NETWORKS}).",
            "Secretariat not recorded.",
        ),
        (
            "dedicated_budget",
            f"Has its own budget ({NETWORKS}).",
            f"No dedicated budget ({NETWORKS}).",
            "Dedicated budget not recorded.",
        ),
    ],
)
def test_yes_no_criteria_come_straight_from_their_column(criterion, yes_reason, no_reason, blank_reason):
    # yes -> True, no -> False, blank (pd.NA) -> None "not recorded".
    assert answer_for({"name": "B", criterion: True}, criterion) == (True, yes_reason)
    assert answer_for({"name": "B", criterion: False}, criterion) == (False, no_reason)
    assert answer_for({"name": "B", criterion: None}, criterion) == (None, blank_reason)


def test_womens_organisations_met_by_a_member_of_the_sector(checklist):
    # Model Committee: wo (sector womens_organisations) is a member.
    assert answer(checklist, "Model Committee", "womens_organisations") == (
        True,
        f"Members include women's organisations: Women's Network ({NETWORKS}).",
    )


def test_womens_organisations_met_by_a_chair_of_that_actor_type():
    # ngo_w is filed under civil_society but its actor_type is womens_organisation, and it chairs.
    body = {"name": "B", "chair_id": "ngo_w", "member_ids": "hea"}
    assert answer_for(body, "womens_organisations")[0] is True


def test_womens_organisations_failed_without_one(checklist):
    # Weak Forum: hea (health), pol (police), don (donor) -> none is a women's organisation.
    assert answer(checklist, "Weak Forum", "womens_organisations") == (
        False,
        f"Members include no women's organisation ({NETWORKS}).",
    )


def test_minimum_sectors_counts_the_chair(checklist):
    # Model Committee: members cover 7 minimum sectors; the chair gen covers women_gender.
    assert answer(checklist, "Model Committee", "minimum_sectors") == (
        True,
        f"Members cover every minimum sector ({NETWORKS}).",
    )


def test_minimum_sectors_lists_the_missing_ones_in_the_rules_order(checklist):
    # Weak Forum covers health (hea) and police (pol); missing, in MINIMUM_SECTORS order and
    # by their labels: education, interior, justice, women_gender, prosecution, womens_organisations.
    assert answer(checklist, "Weak Forum", "minimum_sectors") == (
        False,
        (
            "Missing minimum sectors among members: Education, Interior (home affairs), Justice, "
            f"Women's and children's affairs, Prosecution, Women's organisations ({NETWORKS})."
        ),
    )


def test_a_body_with_no_members_fails_both_membership_criteria(checklist):
    assert answer(checklist, "Blank Committee", "womens_organisations") == (False, "No members recorded.")
    assert answer(checklist, "Blank Committee", "minimum_sectors") == (False, "No members recorded.")


def test_a_chair_alone_is_not_a_membership():
    # A women's organisation in the chair, no member recorded: still "no members".
    body = {"name": "B", "chair_id": "wo"}
    assert answer_for(body, "womens_organisations") == (False, "No members recorded.")


def test_members_listed_but_none_matched_an_actor():
    # Names were typed but none resolved to an actor id (member_ids blank).
    body = {"name": "B", "members": "Somebody; Someone else"}
    assert answer_for(body, "minimum_sectors") == (False, "No member listed matches an actor in the actors sheet.")


def test_member_ids_without_a_matching_actor_are_ignored():
    # "ghost" is not in ACTORS; wo is -> women's organisation found, no error.
    body = {"name": "B", "member_ids": "ghost; wo"}
    assert answer_for(body, "womens_organisations")[0] is True


# --- body_scores -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scores(checklist) -> pd.DataFrame:
    return body_scores(checklist).set_index("body")


def test_score_columns(scores):
    assert list(scores.reset_index().columns) == [
        "body",
        "body_number",
        "level",
        "region",
        "score",
        "met",
        "unknown",
        "failed",
        "unknown_criteria",
    ]


def test_model_body_scores_one(scores):
    assert scores.at["Model Committee", "score"] == 1.0
    assert (scores.at["Model Committee", "met"], scores.at["Model Committee", "failed"]) == (9, [])


def test_weak_body_score_arithmetic(scores):
    # Weak Forum: met = action_plan only (1); unknown = terms_of_reference, dedicated_budget (2);
    # failed = the other 6. Score = 1 / 9.
    weak = scores.loc["Weak Forum"]
    assert weak["score"] == pytest.approx(1 / 9)
    assert (weak["met"], weak["unknown"]) == (1, 2)
    assert weak["failed"] == [
        "chair_rank",
        "formal_status",
        "meets_quarterly",
        "womens_organisations",
        "minimum_sectors",
        "secretariat",
    ]
    assert weak["unknown_criteria"] == ["terms_of_reference", "dedicated_budget"]


def test_five_met_of_nine_scores_five_ninths():
    # minister chair, formal, ToR, action plan, monthly -> 5 met; members only hea -> no women's
    # organisation and missing sectors (2 failed); secretariat no (1 failed); budget blank (1 unknown).
    body = {
        "name": "Five",
        "chair_rank": "minister",
        "formal_status": True,
        "terms_of_reference": True,
        "action_plan": True,
        "meeting_frequency": "monthly",
        "member_ids": "hea",
        "secretariat": False,
    }
    (five,) = body_scores(body_checklist(bodies_frame([body]), ACTORS)).to_dict("records")
    assert five["score"] == pytest.approx(5 / 9)
    assert (five["met"], five["unknown"], len(five["failed"])) == (5, 1, 3)


def test_blank_body_is_mostly_unknown(scores):
    # 7 criteria not recorded; the 2 membership criteria fail for lack of members; nothing met.
    blank = scores.loc["Blank Committee"]
    assert (blank["score"], blank["met"], blank["unknown"]) == (0.0, 0, 7)
    assert blank["failed"] == ["womens_organisations", "minimum_sectors"]


def test_score_of_a_hand_built_checklist_uses_its_own_criteria_count():
    # Two rows only (a caller filtered the checklist): 1 met of 2 -> 0.5.
    checklist = pd.DataFrame(
        {
            "body_number": [0, 0],
            "body": ["X", "X"],
            "level": ["national", "national"],
            "region": [None, None],
            "criterion": ["chair_rank", "secretariat"],
            "met": [True, False],
            "reason": ["", ""],
        },
        dtype=object,
    )
    (row,) = body_scores(checklist).to_dict("records")
    assert (row["score"], row["met"], row["failed"], row["region"]) == (0.5, 1, ["secretariat"], None)


def test_bodies_sharing_a_name_and_level_are_scored_apart():
    # Two sub-national bodies both called "Mesa": one meets 9 of 9, the other 0 of 9 recorded.
    model = BODIES.iloc[[0]].assign(name="Mesa", level="subnational", region="North")
    blank = BODIES.iloc[[2]].assign(name="Mesa", level="subnational", region="North")
    scores = body_scores(body_checklist(pd.concat([model, blank], ignore_index=True), ACTORS))
    assert scores["body_number"].tolist() == [0, 1]
    assert scores["met"].tolist()[0] == 9 and scores["met"].tolist()[1] < 9


# --- regions_without_body --------------------------------------------------------------------

REGIONS = regions_frame([{"region": name} for name in ("North", "South", "East", "West")])


def test_regions_without_a_subnational_or_local_body():
    # North has a subnational body, South a local one (written "south": matched ignoring case);
    # East only has a *national* body naming it, which does not count; West has none.
    bodies = bodies_frame(
        [
            {"name": "N", "level": "subnational", "region": "North"},
            {"name": "S", "level": "local", "region": "south"},
            {"name": "E", "level": "national", "region": "East"},
            {"name": "No level", "region": "West"},  # level blank: not a sub-national body
        ]
    )
    assert regions_without_body(REGIONS, bodies) == ["East", "West"]


def test_every_region_lacks_a_body_when_there_are_none():
    assert regions_without_body(REGIONS, empty_frame("coordination_bodies")) == ["North", "South", "East", "West"]


def test_no_regions_no_gaps():
    assert regions_without_body(empty_frame("regions"), BODIES) == []


# --- the sample country's story --------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_checklist() -> pd.DataFrame:
    sample = sample_dataset()
    return body_checklist(sample["coordination_bodies"], sample["actors"])


NATIONAL = "National Steering Committee on Ending Violence against Women"
NORTHMOOR = "Northmoor Women's Safety Committee"


def test_sample_national_body_fails_budget_and_minimum_sectors(sample_checklist):
    (national,) = body_scores(sample_checklist).query("body == @NATIONAL").to_dict("records")
    assert national["failed"] == ["minimum_sectors", "dedicated_budget"]
    # Education was invited but has not joined; Home Affairs (interior) is a member.
    _, reason = answer(sample_checklist, NATIONAL, "minimum_sectors")
    assert reason == f"Missing minimum sectors among members: Education ({NETWORKS})."


def test_sample_northmoor_fails_on_members(sample_checklist):
    # "Set up by decree in 2024; has not met since." -- no members recorded.
    assert answer(sample_checklist, NORTHMOOR, "womens_organisations") == (False, "No members recorded.")
    assert answer(sample_checklist, NORTHMOOR, "minimum_sectors") == (False, "No members recorded.")
    assert answer(sample_checklist, NORTHMOOR, "meets_quarterly")[0] is False


def test_sample_has_regions_without_a_body():
    sample = sample_dataset()
    missing = regions_without_body(sample["regions"], sample["coordination_bodies"])
    # Northmoor has its (weak) committee; Westreach has nothing.
    assert "Westreach" in missing
    assert "Northmoor" not in missing
