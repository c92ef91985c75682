"""The gap engine speaks in message keys: no words in the assessment, every key it can format in
the catalogues, and the words in whatever language the edges ask for."""

import pytest

from vawmap import i18n
from vawmap.dataset import sample_dataset
from vawmap.gaps.assess import COUNTING_RULES, assess, counting_rules
from vawmap.i18n import catalogue
from vawmap.messages import Message, Sentences, render

MARK = "«"


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
    }


# --- no words in the assessment ------------------------------------------------------------


def test_the_assessment_holds_messages_not_sentences(sample_assessment):
    for table, reasons in reasons_of(sample_assessment).items():
        assert reasons, table
        assert [reason for reason in reasons if not isinstance(reason, Message)] == [], table


def test_every_reason_and_finding_renders_in_the_language_asked_for(sample_assessment, marked_language):
    # Each message, and each message nested in it (a tier, a reason inside a finding, a
    # criterion's name), comes from the catalogue of the language asked for.
    for table, reasons in reasons_of(sample_assessment).items():
        for reason in reasons:
            english = [inner.key for inner in messages_within(reason) if not render(inner, "xx").startswith(MARK)]
            assert english == [], (table, reason.key)


def test_counting_rules_are_messages_in_the_language_asked_for(marked_language):
    rules = counting_rules()
    assert [rule.key for rule in rules] == [f"counting_rule.{rule}" for rule in COUNTING_RULES]
    assert all(render(rule, "xx").startswith(MARK) for rule in rules)
    assert render(rules[0]) == "Only active services count; planned and suspended ones are listed apart."


def test_every_pathway_key_built_from_a_value_exists():
    # The referral pathway's problems (vawmap/gaps/network.py): a key per step and problem.
    english = catalogue("en")
    keys = [
        f"pathway.{step}.{problem}"
        for step in ("police", "legal_aid", "safe_accommodation")
        for problem in ("missing", "unlisted", "no_path")
    ]
    keys += ["pathway.entry.missing", "pathway.entry.unlisted"]
    assert [key for key in keys if key not in english] == []
