"""Tests that keep the docs and the catalogues honest."""

import ast
import re
from pathlib import Path

from vawmap.cli import build_parser
from vawmap.contract import SHEET_ORDER
from vawmap.gaps.assess import TEXT_REPORT_WORDS
from vawmap.i18n import catalogue, catalogue_problems
from vawmap.vocab import LANGUAGES, vocabularies

ROOT = Path(__file__).parents[1]
SOURCES = [*ROOT.glob("vawmap/**/*.py"), ROOT / "app.py", *ROOT.glob("app_pages/*.py")]
KEY_SHAPED = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
FILE_ENDINGS = {"py", "toml", "csv", "tsv", "xlsx", "json", "geojson", "md", "txt", "png"}


def text_keys_written_in_code() -> dict[str, list[str]]:
    """Every string in the code shaped like a catalogue key ("sectors.intro") whose first part
    is a section of the English catalogue, with where it stands: the keys passed to t(), tr()
    and message(), but also to page_start(), empty_state() or kept in a constant. Keys built
    from values (f"criterion.{id}") are not here: tests/test_gaps_language.py and the other
    features' tests enumerate them from the data."""
    sections = {key.split(".")[0] for key in catalogue("en")}
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        inside_fstrings = {
            id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
        }
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if (
                isinstance(text, str)
                and id(node) not in inside_fstrings
                and KEY_SHAPED.match(text)
                and text.split(".")[0] in sections
                and text.rsplit(".", 1)[1] not in FILE_ENDINGS
            ):
                found.setdefault(text, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_text_key_written_in_code_is_in_the_english_catalogue():
    english = catalogue("en")
    found = text_keys_written_in_code()
    assert len(found) >= 200, "the scan found too few keys to be reading the code"
    assert {key: places for key, places in found.items() if key not in english} == {}


def test_every_vocabulary_value_has_a_label_in_every_language():
    for vocabulary in vocabularies().values():
        for language in LANGUAGES:
            assert set(vocabulary.labels[language]) == set(vocabulary.values), (vocabulary.name, language)
            assert all(vocabulary.labels[language].values())


def test_every_cli_command_appears_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    commands = build_parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"python -m vawmap {command}" in readme, command


def test_translated_catalogues_are_complete_with_the_same_placeholders():
    # The sidebar offers every language, so a missing key would show English mid-page.
    english = catalogue("en")
    for language in LANGUAGES[1:]:
        assert catalogue(language), language
        assert catalogue_problems(catalogue(language), english) == [], language


def test_the_completeness_check_names_each_kind_of_problem():
    english = {"home.title": "Welcome to {place}", "home.intro": "Hello", "app.language_name": "English"}
    translated = {"home.title": "Bienvenue", "app.language_name": " ", "app.extra": "en trop"}
    assert catalogue_problems(translated, english) == [
        "missing: home.intro",
        "not in English: app.extra",
        "empty: app.language_name",
        "placeholders differ from English: home.title",
    ]


def test_the_template_instructions_come_in_every_language():
    for language in LANGUAGES:
        assert catalogue(language)["template.rules.confidentiality"], language


# --- keys built from values -----------------------------------------------------------------
# A key written as an f-string (f"criterion.{id}") is formatted from a value at run time. Each
# such pattern found in the code must be registered below with every key it can produce, taken
# from the code's own data, and every one of those must be in the English catalogue. A new
# f-string key fails the first test until it is registered here.

FORMATTING_CALLS = {"t", "tr", "message", "Message", "text"}  # text(...): the template's "template." + key


def formatted_key_patterns() -> dict[str, list[str]]:
    """Every f-string key passed to a wording call, as a pattern ("criterion.{}"), with where."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.JoinedStr)):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in FORMATTING_CALLS:
                continue
            parts = node.args[0].values
            pattern = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in parts)
            if name == "text":
                pattern = "template." + pattern
            found.setdefault(pattern, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def keys_of_each_pattern() -> dict[str, set[str]]:
    from vawmap.dashboard.stakeholders import QUADRANTS
    from vawmap.dataset import APPEND, REPLACE
    from vawmap.gaps.assess import COUNTING_RULES
    from vawmap.gaps.coordination import CHECKLIST, MEMBERS, RECORDED
    from vawmap.gaps.coverage import COVERED, MISSING, PARTIAL
    from vawmap.gaps.findings import FINDING_NEEDS, SEVERITIES
    from vawmap.gaps.pathways import DESTINATIONS, ENTRY
    from vawmap.gaps.standards import STANDARD_WORDS, default_standards
    from vawmap.ingest import ERROR, GROUP_COLUMNS, WARNING
    from vawmap.ingest.normalise import REASONS
    from vawmap.ingest.read import NOT_SPREADSHEETS
    from vawmap.ingest.schemas import WIDE_RULES
    from vawmap.report.content import COLUMN_KEYS, SECTION_KEYS, SHEET_KEYS, YES_NO_WORDS
    from vawmap.rules import SECTOR_FAMILIES
    from vawmap.template import RULES

    recorded = [criterion for criterion in CHECKLIST if criterion.decided_by == RECORDED]
    outcomes = {
        criterion.id: ("met", "failed") if criterion.decided_by == MEMBERS else ("met", "failed", "unknown")
        for criterion in CHECKLIST
    }
    template_texts = {f"template.sheets.{name}" for name in SHEET_ORDER} | {f"template.rules.{rule}" for rule in RULES}
    return {
        "criterion.{}": {f"criterion.{criterion.id}" for criterion in CHECKLIST},
        "criterion_reason.{}_{}": {
            f"criterion_reason.{key}_{outcome}" for key, found in outcomes.items() for outcome in found
        },
        "criterion_reason.{}.{}": {
            f"criterion_reason.{criterion.words}.{value}"
            for criterion in recorded
            for value in vocabulary_values(criterion.vocabulary)
        },
        "criterion_reason.{}_as_recorded": {
            f"criterion_reason.{criterion.words}_as_recorded" for criterion in recorded
        },
        "counting_rule.{}": {f"counting_rule.{rule}" for rule in COUNTING_RULES},
        "severity.{}": {f"severity.{severity}" for severity in SEVERITIES},
        "finding.tier_{}": {"finding.tier_minimum", "finding.tier_recommended"},
        "pathway.{}.{}": {ENTRY.problem(problem).key for problem in ("missing", "unlisted")}
        | {role.problem(problem).key for role in DESTINATIONS for problem in ("missing", "unlisted", "no_path")},
        "coverage.status.{}": {f"coverage.status.{status}" for status in (COVERED, PARTIAL, MISSING)},
        "sectors.{}_heading": {"sectors.minimum_heading", "sectors.recommended_heading"},
        # The columns the Sector coverage page shows (its two tables).
        "sectors.column.{}": {
            f"sectors.column.{name}"
            for name in ("sector", "function", "status", "actor_count", "levels", "engagement", "actors", "reason")
        },
        "stakeholders.filter.{}": {
            f"stakeholders.filter.{name}" for name in ("sector", "actor_type", "level", "region")
        },
        "stakeholders.quadrant.{}": {f"stakeholders.quadrant.{name}" for name in QUADRANTS.values()},
        "stakeholders.network_{}": {f"stakeholders.network_{name}" for name in ("actors", "brokers", "isolated")},
        "store.findings_{}": {"store.findings_resolved", "store.findings_new"},
        "data.compare_{}": {
            f"data.compare_{part}"
            for part in (
                "actors_added",
                "actors_removed",
                "actors_changed",
                "services_added",
                "services_removed",
                "ratios",
                "findings_resolved",
                "findings_new",
            )
        },
        "data.mode_{}": {f"data.mode_{mode}" for mode in (REPLACE, APPEND)},
        "data.effect_{}": {f"data.effect_{mode}" for mode in (REPLACE, APPEND)},
        "caveat.kind.{}": {f"caveat.kind.{kind}" for kind in FINDING_NEEDS},
        "caveat.sheet.{}": {f"caveat.sheet.{name}" for name in SHEET_ORDER},
        "problems.{}": {f"problems.{name}" for name in (ERROR, WARNING, *GROUP_COLUMNS)},
        "problem.{}": {f"problem.{why}" for why in REASONS},
        # A list item of no vocabulary is answered with the vocabulary's own suggestion instead.
        "problem.{}_fix": {f"problem.{why}_fix" for why in REASONS if why != "unknown_item"},
        "{}_fix": {f"{rule.message_key}_fix" for rule in WIDE_RULES.values()},
        "problem.kind.{}": {f"problem.kind.{name}" for name in vocabularies()},
        "read.file_kind.{}": {f"read.file_kind.{kind}" for kind in NOT_SPREADSHEETS.values()},
        # The ways one feature of a GeoJSON can be wrong (tests/test_geo.py reads a file for each).
        "regional.geojson.{}": {
            f"regional.geojson.{problem}"
            for problem in (
                "feature_not_object",
                "feature_properties_not_object",
                "feature_not_polygon",
                "feature_not_degrees",
            )
        },
        "template.{}": template_texts | {f"template.{key}" for key in template_literals()},
        "template.sheets.{}": {f"template.sheets.{name}" for name in SHEET_ORDER},
        "template.rules.{}": {f"template.rules.{rule}" for rule in RULES},
        "report.section.{}": {f"report.section.{key}" for key in SECTION_KEYS},
        "report.sheet.{}": {f"report.sheet.{key}" for key in SHEET_KEYS},
        "report.column.{}": {f"report.column.{key}" for key in COLUMN_KEYS},
        "report.{}": {f"report.{word}" for word in YES_NO_WORDS.values()},
        "report.download_{}": {"report.download_html", "report.download_xlsx"},
        "charts.family.{}": {f"charts.family.{family}" for family in SECTOR_FAMILIES},
        "standard.{}.{}": {
            f"standard.{standard.id}.{field}" for standard in default_standards().standards for field in STANDARD_WORDS
        },
        "cli.text.{}": {f"cli.text.{word}" for word in TEXT_REPORT_WORDS},
    }


def vocabulary_values(name: str) -> tuple[str, ...]:
    return vocabularies()[name].values


def template_literals() -> set[str]:
    """The keys the template words with text("...") written out."""
    tree = ast.parse((ROOT / "vawmap" / "template.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "text"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_key_built_from_a_value_is_registered_with_the_keys_it_can_give():
    found = formatted_key_patterns()
    assert len(found) >= 20, "the scan found too few formatted keys to be reading the code"
    registered = keys_of_each_pattern()
    assert {pattern: places for pattern, places in found.items() if pattern not in registered} == {}
    assert sorted(set(registered) - set(found)) == []  # nothing registered that the code no longer builds


def test_every_key_a_pattern_can_give_is_in_the_english_catalogue():
    english = catalogue("en")
    for pattern, keys in keys_of_each_pattern().items():
        assert keys, pattern
        prefix = pattern.split("{")[0]
        assert all(key.startswith(prefix) for key in keys), pattern
        assert sorted(key for key in keys if key not in english) == [], pattern
