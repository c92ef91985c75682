"""The gap engine writes every sentence through the catalogue, in the language it is asked for."""

import pytest

from vawmap import i18n
from vawmap.dataset import sample_dataset
from vawmap.gaps.assess import COUNTING_RULES, assess, counting_rules
from vawmap.gaps.coordination import CRITERIA, YES_NO_CRITERIA
from vawmap.i18n import catalogue
from vawmap.messages import render_all
from vawmap.vocab import vocabulary

MARK = "«"


@pytest.fixture
def marked_language(monkeypatch):
    """A language "xx" whose every text starts with MARK, so an English sentence stands out."""
    english = catalogue("en")
    marked = {key: MARK + text for key, text in english.items()}
    monkeypatch.setattr(i18n, "catalogue", lambda language: marked if language == "xx" else english)
    return "xx"


def test_every_reason_of_the_assessment_is_in_the_language_asked_for(marked_language):
    assessment = assess(sample_dataset().frames, language=marked_language)
    reasons = {
        "sector_coverage": assessment.sector_coverage["reason"],
        "function_coverage": assessment.function_coverage["reason"],
        "checklist": assessment.checklist["reason"],
        "pathways": render_all(assessment.pathways["reason"], marked_language),  # Messages, worded at the edge
    }
    for table, column in reasons.items():
        assert len(column), table
        english = [reason for reason in column if not reason.startswith(MARK)]
        assert english == [], table


def test_counting_rules_come_in_the_language_asked_for(marked_language):
    rules = counting_rules(marked_language)
    assert len(rules) == len(COUNTING_RULES)
    assert all(rule.startswith(MARK) for rule in rules)


def test_the_english_counting_rules_are_the_constant():
    assert counting_rules() == COUNTING_RULES == counting_rules("en")


def test_every_reason_key_built_from_a_value_exists():
    # These keys are built from data values at run time, so the static key check cannot see them.
    english = catalogue("en")
    keys = [f"criterion_reason.chaired.{rank}" for rank in vocabulary("chair_rank").values]
    keys += [f"criterion_reason.meets.{frequency}" for frequency in vocabulary("meeting_frequency").values]
    keys += [
        f"criterion_reason.{criterion}_{answer}"
        for criterion in YES_NO_CRITERIA
        for answer in ("met", "failed", "unknown")
    ]
    keys += [
        f"pathway.{step}.{problem}"
        for step in ("police", "legal_aid", "safe_accommodation")
        for problem in ("missing", "unlisted", "no_path")
    ]
    keys += ["pathway.entry.missing", "pathway.entry.unlisted"]
    assert [key for key in keys if key not in english] == []
    assert set(YES_NO_CRITERIA) <= set(CRITERIA)
