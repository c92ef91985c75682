"""Matching region names and codes between files: the one matcher that the upload (services and
actors naming regions, vawmap/ingest/references.py) and the boundaries (vawmap/geo.py) share.

A place is found by its code (P-code, ISO 3166-2) first, then by its name, trying keys from the
strictest to the loosest and stopping at the first that names exactly one region:

1. the text key (case, accents and punctuation ignored): "Nord-Ouest" = "nord ouest";
2. the place key: words such as "Region", "Province", "State" dropped, "St." read as "Saint",
   spaces ignored: "Kayes Region" = "Kayes", "Nord Ouest" = "NordOuest", "St. Louis" = "Saint-Louis";
   with `spelling=True` doubled letters are ignored too ("Grand Basa" = "Grand Bassa"): the
   boundaries accept it, an upload asks first (a typo's fix is the user's to accept, so it
   stays a suggestion there);
3. the place key without its first or its last word, as a country name written before or after
   the region's ("Liberia Lofa", "Lofa (Liberia)"): only when that leaves one region, and never
   a word that tells regions apart ("Nord" is not "Nord-Ouest", nor "Upper" "Upper Nile").

A key two regions share ("North Darfur", "South Darfur" → "darfur") is ambiguous and matches
neither: a wrong match would move services between regions, so it is left to the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process

from vawmap.vocab import load_data_file, text_key

_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    """(words that only say what kind of area it is, abbreviations -> the word, words that tell
    regions apart) of data/places.toml."""
    data = load_data_file("places.toml")
    generic = frozenset(text_key(word) for word in data["generic"])
    abbreviations = {text_key(short): text_key(word) for short, word in data["abbreviations"].items()}
    return generic, abbreviations, frozenset(text_key(word) for word in data["qualifiers"])


def _tokens(text: object) -> list[str]:
    generic, abbreviations, _ = _words()
    words = [abbreviations.get(word, word) for word in text_key(text).split()]
    kept = [word for word in words if word not in generic]
    return kept or words  # a name made only of generic words ("Capital District") keeps them


def _droppable(word: str) -> bool:
    """Whether a first or last word may be a country's name: never a word that tells regions
    apart ("Nord" is not "Nord-Ouest"), nor a misspelt generic word ("Capital Distric")."""
    generic, _, qualifiers = _words()
    if len(word) < 4 or word in qualifiers or word.isdigit():
        return False
    return process.extractOne(word, generic, scorer=fuzz.ratio, score_cutoff=75) is None


def _squeezed(words: list[str]) -> str:
    return _DOUBLED.sub(r"\1", "".join(words))


@dataclass(frozen=True)
class PlaceKeys:
    """The keys of one place name (see the module's docstring)."""

    text: str  # 1: the text key
    place: str  # 2: the place key
    squeezed: str  # 2, with spelling: the place key with doubled letters single
    trimmed: tuple[str, ...]  # 3: the place key without the first, or the last, word


def place_keys(text: object) -> PlaceKeys:
    words = _tokens(text)
    trimmed = []
    if len(words) > 1:
        trimmed += ["".join(words[1:])] if _droppable(words[0]) else []
        trimmed += ["".join(words[:-1])] if _droppable(words[-1]) else []
    return PlaceKeys(text_key(text), "".join(words), _squeezed(words), tuple(trimmed))


def _unique(claims: dict[str, set[str]]) -> dict[str, str]:
    return {key: next(iter(regions)) for key, regions in claims.items() if len(regions) == 1}


@dataclass(frozen=True)
class PlaceMatcher:
    """Regions by code and by the keys of their names; a key two regions share is left out."""

    by_code: dict[str, str]
    by_text: dict[str, str]
    by_place: dict[str, str]
    by_squeezed: dict[str, str]
    by_trimmed: dict[str, str]
    display: dict[str, str]  # text key -> region, for suggestions

    def by_code_of(self, code: object) -> str | None:
        if code is None or pd.isna(code):
            return None
        return self.by_code.get(text_key(code))

    def by_name_of(self, name: object, spelling: bool = False) -> str | None:
        if name is None or pd.isna(name):
            return None
        keys = place_keys(name)
        if keys.text in self.by_text:
            return self.by_text[keys.text]
        if keys.place in self.by_place:
            return self.by_place[keys.place]
        if spelling and keys.squeezed in self.by_squeezed:
            return self.by_squeezed[keys.squeezed]
        # One side has a word more (a country name, a word not known as generic): only when
        # exactly one region is left.
        found = {self.by_place[key] for key in keys.trimmed if key in self.by_place}
        if keys.place in self.by_trimmed:
            found.add(self.by_trimmed[keys.place])
        return found.pop() if len(found) == 1 else None

    def match(self, name: object = None, code: object = None, spelling: bool = False) -> str | None:
        """The region a (name, code) pair means: by code first, else by name, else the name
        read as a code; None when unknown or ambiguous."""
        return self.by_code_of(code) or self.by_name_of(name, spelling) or self.by_code_of(name)


def place_matcher(names: Iterable[object], codes: Iterable[object] | None = None) -> PlaceMatcher:
    """The matcher of a region list (names, and their codes when known)."""
    names = list(names)
    codes = list(codes) if codes is not None else [None] * len(names)
    by_code: dict[str, str] = {}
    display: dict[str, str] = {}
    text: dict[str, set[str]] = {}
    place: dict[str, set[str]] = {}
    squeezed: dict[str, set[str]] = {}
    trimmed: dict[str, set[str]] = {}
    for name, code in zip(names, codes):
        if name is None or pd.isna(name):
            continue
        region = str(name)
        display.setdefault(text_key(region), region)
        if code is not None and not pd.isna(code) and text_key(code):
            by_code.setdefault(text_key(code), region)
        keys = place_keys(region)
        text.setdefault(keys.text, set()).add(region)
        place.setdefault(keys.place, set()).add(region)
        squeezed.setdefault(keys.squeezed, set()).add(region)
        for key in keys.trimmed:
            trimmed.setdefault(key, set()).add(region)
    return PlaceMatcher(by_code, _unique(text), _unique(place), _unique(squeezed), _unique(trimmed), display)


def fold_spellings(columns: list[pd.Series]) -> dict[str, str]:
    """Without a region list, the places the sheets name are the regions: spellings of one place
    ("Lofa", "Lofa County", "LOFA") become its most written spelling. Only the place key joins
    spellings (no trimming, no spelling fixes): nothing else is known to tell them apart."""
    if not columns:
        return {}
    counts = pd.concat([column.dropna().astype(str) for column in columns]).value_counts(sort=True)
    chosen: dict[str, str] = {}
    folded: dict[str, str] = {}
    for spelling in counts.index:  # most written first
        key = place_keys(spelling).place
        folded[spelling] = chosen.setdefault(key, spelling)
    return {spelling: region for spelling, region in folded.items() if spelling != region}
