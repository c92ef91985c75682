"""One small translation function for every user-visible text.

Catalogues live in vawmap/locales/<language>.toml as tables of keys; `t("home.title")`
reads `[home] title = "..."`. A key missing from a language falls back to English, and a
key missing from English is a bug that the tests catch (tests/test_docs_and_catalogues.py,
with `catalogue_problems`). Vocabulary values (sectors, service types...) carry their own
labels in data/vocab.toml: use `label(vocab, value)`. The domain never calls these: it
returns Messages (vawmap/messages.py) that the pages, the CLI and the exports render.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from vawmap.vocab import LANGUAGES, vocabulary

DEFAULT_LANGUAGE = "en"


_PLACEHOLDER = re.compile(r"\{(\w+)")


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested TOML tables as flat keys: {"home": {"title": "..."}} gives {"home.title": "..."}."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def read_catalogue(path: Path) -> dict[str, str]:
    """A catalogue file as flat keys: [home] title = "..." gives {"home.title": "..."}."""
    with path.open("rb") as handle:
        return flatten(tomllib.load(handle))


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, str]:
    """The catalogue of a language of LANGUAGES ({} for an unknown language)."""
    path = Path(str(resources.files("vawmap.locales").joinpath(f"{language}.toml")))
    return read_catalogue(path) if path.is_file() else {}


def catalogue_problems(translated: dict[str, str], english: dict[str, str]) -> list[str]:
    """What keeps a translated catalogue from standing in for the English one: keys it lacks,
    keys English does not have, empty texts, and texts whose {placeholders} differ."""
    problems = [f"missing: {key}" for key in sorted(set(english) - set(translated))]
    problems += [f"not in English: {key}" for key in sorted(set(translated) - set(english))]
    for key in sorted(set(translated) & set(english)):
        if not str(translated[key]).strip():
            problems.append(f"empty: {key}")
        elif set(_PLACEHOLDER.findall(translated[key])) != set(_PLACEHOLDER.findall(english[key])):
            problems.append(f"placeholders differ from English: {key}")
    return problems


def t(key: str, language: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for `key` in `language`, with `{name}` placeholders filled from params."""
    text = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**params) if params else text


def label(vocab: str, value: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The display label of a vocabulary value, e.g. label("sector", "women_gender")."""
    return vocabulary(vocab).label(value, language)
