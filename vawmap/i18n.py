"""One small translation function for every user-visible text.

Catalogues live in vawmap/locales/<language>.toml as tables of keys; `t("home.title")`
reads `[home] title = "..."`. A key missing from a language falls back to English, and a
key missing from English is a bug that the tests catch (tests/test_i18n.py).
Vocabulary values (sectors, service types...) carry their own labels in data/vocab.toml:
use `label(vocab, value)`.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from vawmap.vocab import LANGUAGES, vocabulary

DEFAULT_LANGUAGE = "en"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, str]:
    path = resources.files("vawmap.locales").joinpath(f"{language}.toml")
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return _flatten(tomllib.load(handle))


def t(key: str, language: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for `key` in `language`, with `{name}` placeholders filled from params."""
    text = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**params) if params else text


def label(vocab: str, value: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The display label of a vocabulary value, e.g. label("sector", "women_gender")."""
    return vocabulary(vocab).label(value, language)
