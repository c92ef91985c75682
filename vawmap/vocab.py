"""Controlled vocabularies (data/vocab.toml) and the text key used to match them.

Matching is on a *key*: lower case, accents and apostrophes removed, every other run of
punctuation or space turned into one space. "Ministère de la Santé" and
"ministere de la  sante" share the key "ministere de la sante".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

_APOSTROPHES = re.compile(r"['’`´]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def text_key(text: object) -> str:
    """The matching key of a header, sheet name or vocabulary value."""
    plain = str(text)
    if plain.isascii():  # nothing to decompose: the character loop below was most of the cost
        plain = plain.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", plain.casefold())
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        plain = plain.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NOT_ALNUM.sub(" ", _APOSTROPHES.sub("", plain)).strip()


def nearest(text: object, choices: dict[str, str], cutoff: int = 80) -> str | None:
    """The value of the choice whose text key is closest to `text`'s (rapidfuzz ratio at
    least `cutoff`), or None. `choices` maps text keys to what to suggest."""
    found = process.extractOne(text_key(text), list(choices), scorer=fuzz.ratio, score_cutoff=cutoff)
    return choices[found[0]] if found else None


def load_data_file(name: str) -> dict:
    """A TOML file shipped in vawmap/data."""
    with resources.files("vawmap.data").joinpath(name).open("rb") as handle:
        return tomllib.load(handle)


LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True)
class Vocabulary:
    """One controlled list: canonical values, their labels, and every accepted spelling."""

    name: str
    values: tuple[str, ...]
    labels: dict[str, dict[str, str]]  # language -> value -> label
    lookup: dict[str, str]  # text key of any accepted spelling -> canonical value

    def match(self, text: object) -> str | None:
        """The canonical value for a cell, or None when it is not recognised."""
        return self.lookup.get(text_key(text))

    def label(self, value: str, language: str = "en") -> str:
        return self.labels.get(language, self.labels["en"]).get(value, value)


def _build_vocabulary(name: str, entries: dict) -> Vocabulary:
    lookup: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for value, entry in entries.items():
        for language in LANGUAGES:
            labels[language][value] = entry[language]
        spellings = [value, *(entry[lang] for lang in LANGUAGES), *entry.get("also", [])]
        for spelling in spellings:
            key = text_key(spelling)
            if lookup.setdefault(key, value) != value:
                raise ValueError(f"vocab.toml [{name}]: '{spelling}' means both {lookup[key]} and {value}")
    return Vocabulary(name, tuple(entries), labels, lookup)


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, Vocabulary]:
    data = load_data_file("vocab.toml")
    data.pop("yes_no")
    return {name: _build_vocabulary(name, entries) for name, entries in data.items()}


def vocabulary(name: str) -> Vocabulary:
    return vocabularies()[name]


@lru_cache(maxsize=1)
def yes_no_lookup() -> dict[str, bool]:
    """Text key of every accepted yes/no spelling -> True/False."""
    data = load_data_file("vocab.toml")["yes_no"]
    lookup = {text_key(word): True for word in data["yes"]}
    lookup.update({text_key(word): False for word in data["no"]})
    return lookup
