"""Tests that keep the docs and the catalogues honest."""

import re
from pathlib import Path

from vawmap.cli import build_parser
from vawmap.i18n import catalogue, catalogue_problems
from vawmap.vocab import LANGUAGES, vocabularies

ROOT = Path(__file__).parents[1]
SOURCES = [*ROOT.glob("vawmap/**/*.py"), ROOT / "app.py", *ROOT.glob("app_pages/*.py")]
# t("key"), tr("key") and message("key") / Message("key"): the keys written out in the code.
# Keys built from values (f"criterion.{id}") are enumerated from the data by the tests of the
# feature that builds them (tests/test_gaps_language.py for the gap engine).
TEXT_KEY_CALL = re.compile(r"""\b(?:t|tr|message|Message)\(\s*f?["']([a-z_]+\.[a-z_.{}]+)["']""")


def used_text_keys() -> set[str]:
    return {key for path in SOURCES for key in TEXT_KEY_CALL.findall(path.read_text())}


def test_every_text_key_used_in_code_is_in_the_english_catalogue():
    english = catalogue("en")
    fixed = {key for key in used_text_keys() if "{" not in key}
    assert fixed, "the pattern found no t() calls"
    assert sorted(fixed - set(english)) == []


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
