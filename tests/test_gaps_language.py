"""The gap engine speaks in message keys: no words in the assessment, every key it can format in
the catalogues, and the words in whatever language the edges ask for."""

import re
import tomllib

import pandas as pd
import pytest

from tests.gaps_fixtures import actor, actors_frame, bodies_frame, frame_of, regions_frame
from vawmap import i18n
from vawmap.dataset import empty_frame, sample_dataset
from vawmap.gaps import coordination
from vawmap.gaps.assess import COUNTING_RULES, assess, counting_rules
from vawmap.gaps.coordination import MEMBERS, RECORDED, YES_NO, body_checklist, criteria_from
from vawmap.gaps.coverage import COVERED, MISSING, PARTIAL, function_status, sector_status
from vawmap.gaps.findings import SEVERITIES
from vawmap.gaps.pathways import DESTINATIONS, ENTRY
from vawmap.i18n import catalogue
from vawmap.messages import Message, Percent, Quantity, Sentences, Term, keys_in, render
from vawmap.rules import MINIMUM_SECTORS, sources
from vawmap.vocab import load_data_file, vocabulary

MARK = "«"

# A country made so that the engine writes every kind of finding:
#   North: 100,000 people, women not recorded (estimated) and no services at all: no family
#          places (absent), a quarter of a rape crisis centre needed (absent, a fraction);
#   South: population unknown, so only the in-every-region standards apply (none in region);
#   East:  10 family places needed, 4 recorded (below);
#   Outland: a helpline not in the regions sheet, neither free nor open day and night, so the
#          national helpline standard is missed.
# One national health actor with no links (isolated, health only partly at the table, every
# other sector missing), one national body with nothing recorded, no sub-national body, and
# no referral path anywhere.
EVERY_FINDING_REGIONS = [
    {"region": "North", "population": 100_000},
    {"region": "South"},
    {"region": "East", "population": 100_000, "population_women": 50_000},
]
EVERY_FINDING_SERVICES = [
    {"provider": "East Refuge", "service_type": "safe_accommodation", "region": "East", "capacity": 4},
    {"provider": "Hotline", "service_type": "helpline", "region": "Outland", "open_24_7": False},
]
EVERY_FINDING_ACTORS = [actor("moh", "Ministry of Health", "health")]
EVERY_FINDING_BODIES = [{"name": "Empty Committee", "level": "national"}]
FINDING_KINDS = (
    "absent",
    "absent_fraction",
    "below",
    "none_in_region",
    "population_unknown",
    "women_estimated",
    "region_not_in_sheet",
    "national_missing",
    "sector_missing",
    "sector_partial",
    "body_fails",
    "regions_without_body",
    "referral_broken",
    "isolated",
)
# A criterion as a coordinator might add it to criteria.toml, its texts not yet written.
UNWRITTEN_CRITERION = '[criteria]\nhas_website = { yes_no = "secretariat", source = "networks" }'


@pytest.fixture
def marked_language(monkeypatch):
    """A language "xx" whose every text starts with MARK, so an English sentence stands out."""
    english = catalogue("en")
    marked = {key: MARK + text for key, text in english.items()}
    monkeypatch.setattr(i18n, "catalogue", lambda language: marked if language == "xx" else english)
    return "xx"


@pytest.fixture(scope="module")
def sample_assessment():
    return assess(sample_dataset().frames)


def messages_within(value) -> list[Message]:
    """The message and every message among its parameters, however deep."""
    if isinstance(value, Message):
        return [value] + [found for param in value.params.values() for found in messages_within(param)]
    if isinstance(value, Sentences):
        return messages_within(list(value.messages))
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in messages_within(item)]
    return []


def reasons_of(assessment) -> dict[str, list]:
    return {
        "sector_coverage": list(assessment.sector_coverage["reason"]),
        "function_coverage": list(assessment.function_coverage["reason"]),
        "checklist": list(assessment.checklist["reason"]),
        "findings": [finding.message for finding in assessment.findings],
        "pathways": list(assessment.pathways["reason"]),
    }


# --- no words in the assessment ------------------------------------------------------------


def test_the_assessment_holds_messages_not_sentences(sample_assessment):
    for table, reasons in reasons_of(sample_assessment).items():
        assert reasons, table
        assert [reason for reason in reasons if not isinstance(reason, Message)] == [], table


def test_every_reason_and_finding_renders_in_the_language_asked_for(sample_assessment, marked_language):
    # Rendered once, as a page would: every message, and every message nested in it (a tier, a
    # reason inside a finding, a criterion's name), leaves its mark, so none was worded in English.
    for table, reasons in reasons_of(sample_assessment).items():
        for reason in reasons:
            assert render(reason, "xx").count(MARK) == len(messages_worded(reason)), (table, reason.key)


def messages_worded(value) -> list[Message]:
    """The message and every message its words include (a parameter its text has a place for)."""
    if isinstance(value, Sentences):
        return messages_worded(list(value.messages))
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in messages_worded(item)]
    if not isinstance(value, Message):
        return []
    placed = set(re.findall(r"\{(\w+)", catalogue("en")[value.key]))
    return [value] + [
        found for name, param in value.params.items() if name in placed for found in messages_worded(param)
    ]


def parameter_values(value) -> list:
    """The values a message's words are made of: every parameter, however deep, but messages."""
    if isinstance(value, Message):
        return [found for param in value.params.values() for found in parameter_values(param)]
    if isinstance(value, Sentences):
        return parameter_values(list(value.messages))
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in parameter_values(item)]
    return [value]


def test_no_message_carries_words_of_its_own(sample_assessment):
    # Text parameters are names from the data (regions, actors, bodies, values as recorded),
    # a source's citation, or a standard's name and unit: never a phrase worded in code.
    frames = sample_dataset().frames
    from_data = {
        item.strip()
        for frame in frames.values()
        for column in frame.columns
        for cell in frame[column].dropna()
        if isinstance(cell, str)
        for item in (cell, *cell.split(";"))
    }
    standards = sample_assessment.standards.standards
    allowed = from_data | {found.short for found in sources().values()}
    allowed |= {standard.name for standard in standards} | {standard.unit for standard in standards}
    values = [
        value
        for reasons in reasons_of(sample_assessment).values()
        for reason in reasons
        for value in parameter_values(reason)
    ]
    texts = {value for value in values if isinstance(value, str)}
    assert texts and sorted(texts - allowed) == []
    kinds = {type(value) for value in values} - {str, int, float, bool, Term, Quantity, Percent}
    assert kinds == set()


def test_counting_rules_are_messages_in_the_language_asked_for(marked_language):
    rules = counting_rules()
    assert [rule.key for rule in rules] == [f"counting_rule.{rule}" for rule in COUNTING_RULES]
    assert all(render(rule, "xx").startswith(MARK) for rule in rules)
    assert render(rules[0]) == "Only active services count; planned and suspended ones are listed apart."


# --- every key the engine can format is in the catalogue ----------------------------------


def coverage_reasons() -> list[Message]:
    """The reason of every sector and function status, over every combination that decides one."""
    levels = ([], ["national"], ["local"], ["national", "local"])
    sectors = [
        sector_status(count, present, on_body, body_exists)
        for count in (0, 1, 2)
        for present in levels
        for on_body in (False, True)
        for body_exists in (False, True)
    ]
    functions = [
        function_status(count, seated, body_exists)
        for count in (0, 1, 2)
        for seated in range(count + 1)
        for body_exists in (False, True)
    ]
    assert {status for status, _ in sectors} == {status for status, _ in functions} == {COVERED, PARTIAL, MISSING}
    return [reason for _, reason in sectors + functions]


def checklist_bodies() -> list[dict]:
    """Bodies that give every criterion of the checklist each answer it can give: a yes and a
    no for each yes/no column, every recorded value and one outside the vocabulary, members
    covering everything, members lacking, members not matched, no members."""
    everyone = "; ".join(f"a_{sector}" for sector in MINIMUM_SECTORS)
    bodies = [
        {"name": "No members"},
        {"name": "Unmatched", "members": "Somebody"},
        {"name": "Everyone", "member_ids": everyone},
        {"name": "Health only", "member_ids": "a_health"},
    ]
    for criterion in coordination.CHECKLIST:
        if criterion.decided_by == YES_NO:
            bodies += [{"name": "yes", criterion.target: True}, {"name": "no", criterion.target: False}]
        elif criterion.decided_by == RECORDED:
            values = [*vocabulary(criterion.vocabulary).values, "as written"]
            bodies += [{"name": value, criterion.target: value} for value in values]
    return bodies


def checklist_reasons() -> list[Message]:
    actors = actors_frame(actor(f"a_{sector}", sector, sector) for sector in MINIMUM_SECTORS)
    checklist = body_checklist(bodies_frame(checklist_bodies()), actors)
    for criterion in coordination.CHECKLIST:
        answers = set(checklist.loc[checklist["criterion"] == criterion.id, "met"])
        expected = {True, False} if criterion.decided_by == MEMBERS else {True, False, None}
        assert answers == expected, criterion.id
    criterion_names = [Message(f"criterion.{criterion.id}") for criterion in coordination.CHECKLIST]
    return list(checklist["reason"]) + criterion_names


def every_finding_frames() -> dict[str, pd.DataFrame]:
    return {
        "actors": actors_frame(EVERY_FINDING_ACTORS),
        "services": frame_of("services", EVERY_FINDING_SERVICES),
        "regions": regions_frame(EVERY_FINDING_REGIONS),
        "coordination_bodies": bodies_frame(EVERY_FINDING_BODIES),
        "links": empty_frame("links"),
    }


def finding_messages() -> list[Message]:
    found = assess(every_finding_frames()).findings
    assert {finding.message.key for finding in found} == {f"finding.{kind}" for kind in FINDING_KINDS}
    assert {finding.severity for finding in found} == set(SEVERITIES)
    return [finding.message for finding in found]


def page_words() -> list[Message]:
    """The words the pages put beside the engine's values: severities and coverage statuses."""
    return [Message(f"severity.{severity}") for severity in SEVERITIES] + [
        Message(f"coverage.status.{status}") for status in (COVERED, PARTIAL, MISSING)
    ]


def engine_keys() -> set[str]:
    """Every catalogue key the gap engine formats, found by running each part over inputs that
    take every branch: coverage reasons, each criterion x answer (and each recorded value),
    each kind of finding, the counting rules."""
    messages = coverage_reasons() + checklist_reasons() + finding_messages() + list(counting_rules()) + page_words()
    return keys_in(messages)


def missing_from_english(keys: set[str]) -> list[str]:
    return sorted(keys - set(catalogue("en")))


def test_every_key_the_engine_formats_is_in_the_english_catalogue():
    # The translated-catalogue test (test_docs_and_catalogues) then holds French and Spanish to the same keys.
    keys = engine_keys()
    assert {"criterion_reason.chaired.minister", "criterion_reason.meets_as_recorded"} <= keys
    assert {f"criterion_reason.{criterion}_unknown" for criterion in ("formal_status", "chair_rank")} <= keys
    assert missing_from_english(keys) == []


def test_a_criterion_added_without_its_texts_is_caught(monkeypatch):
    lines = load_data_file("criteria.toml")["criteria"] | tomllib.loads(UNWRITTEN_CRITERION)["criteria"]
    added = criteria_from({"criteria": lines})
    monkeypatch.setattr(coordination, "CHECKLIST", added)
    assert missing_from_english(keys_in(checklist_reasons())) == [
        "criterion.has_website",
        "criterion_reason.has_website_failed",
        "criterion_reason.has_website_met",
        "criterion_reason.has_website_unknown",
    ]


def test_every_pathway_key_built_from_the_roles_exists():
    # The referral pathway's problems: a key per role of data/pathways.toml and problem.
    keys = [ENTRY.problem(problem).key for problem in ("missing", "unlisted")]
    keys += [role.problem(problem).key for role in DESTINATIONS for problem in ("missing", "unlisted", "no_path")]
    keys += ["pathway.complete", "pathway.incomplete"]
    assert len(keys) == 2 + 3 * len(DESTINATIONS) + 2
    assert missing_from_english(set(keys)) == []


@pytest.mark.parametrize(
    ("language", "count", "ratio", "share"),
    [
        ("en", "1,118,546", "1.9", "50.6%"),
        ("fr", "1\u202f118\u202f546", "1,9", "50,6\u00a0%"),
        ("es", "1.118.546", "1,9", "50,6\u00a0%"),
    ],
)
def test_numbers_are_written_as_each_language_writes_them(language, count, ratio, share):
    from vawmap.messages import Percent, Quantity, render

    assert render(Quantity(1118546), language) == count
    assert render(Quantity(1.94), language) == ratio
    assert render(Percent(0.506, 1), language) == share
