"""Tests that keep the docs and the catalogues honest."""

import ast
import re
from pathlib import Path

from vawmap.cli import build_parser
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
