"""Names that point to other sheets: regions, and actors named by name, acronym or id.

Both are matched on the text key (case, accents and punctuation ignored). A name that is
not found gets the nearest known spelling as a suggestion (rapidfuzz); nothing is merged
without the user's say-so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vawmap.cells import LIST_JOIN
from vawmap.ingest.normalise import split_list, text_by_codes
from vawmap.places import PlaceMatcher, place_matcher
from vawmap.vocab import nearest, text_key

SUGGESTION_CUTOFF = 80
ORG_NAME_LIMIT = 300  # characters: a longer cell is no organisation's name
# An acronym in brackets after a name: one word, mostly capitals ("(UNICEF)", "(MSF-B)"), not
# a place or a note ("(Liberia)", "(ex CARE)").
_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]\s]{2,15})\s*[)\]]")


def compact_key(text: object) -> str:
    """The text key without spaces: "Save the Children" and "SavetheChildren" are one name."""
    return text_key(text).replace(" ", "")


def bracketed_acronyms(name: object) -> list[str]:
    """The acronyms written in brackets in a name: "United Nations Children's Fund (UNICEF)" → ["UNICEF"]."""
    found = _BRACKETED.findall(str(name))
    return [word for word in found if sum(ch.isupper() for ch in word) * 2 > sum(ch.isalpha() for ch in word)]


def without_acronym(name: object) -> str:
    """The name without its bracketed acronyms ("" when nothing else is left)."""
    text = str(name)
    for word in bracketed_acronyms(text):
        text = re.sub(rf"[(\[]\s*{re.escape(word)}\s*[)\]]", " ", text)
    return " ".join(text.split())


def org_keys(name: object) -> list[str]:
    """The keys an organisation's name is known by: the whole name, the name without a
    bracketed acronym, and that acronym, each ignoring case, accents, punctuation and spacing."""
    keys = [compact_key(name)]
    if len(str(name)) > ORG_NAME_LIMIT:  # no organisation's name: not searched for an acronym
        return keys
    if acronyms := bracketed_acronyms(name):
        keys += [compact_key(without_acronym(name)), *(compact_key(word) for word in acronyms)]
    return [key for key in dict.fromkeys(keys) if key]


def _text_keys(name: object) -> list[str]:
    return [text_key(name)]


@dataclass(frozen=True)
class NameIndex:
    """Key of every accepted spelling -> the canonical value it stands for. `keys` gives the
    keys a name is looked up by, in order (its text key, unless the index says otherwise)."""

    by_key: dict[str, str]
    display: dict[str, str]  # text key -> spelling to show in a suggestion
    keys: Callable[[object], list[str]] = field(default=_text_keys)

    def resolve(self, name: object) -> str | None:
        for key in self.keys(name):
            if key in self.by_key:
                return self.by_key[key]
        return None

    def suggest(self, name: object) -> str | None:
        return nearest(name, self.display, SUGGESTION_CUTOFF)

    def __len__(self) -> int:
        return len(self.by_key)


@dataclass(frozen=True)
class RegionIndex(NameIndex):
    """Regions by code or name, matched as vawmap/places.py says (the boundaries use the same)."""

    matcher: PlaceMatcher = field(default_factory=lambda: place_matcher([]))

    def resolve(self, name: object) -> str | None:
        return self.matcher.match(name)

    def __len__(self) -> int:
        return len(self.matcher.display)

    def by_code(self, codes: pd.Series) -> pd.Series:
        """The region each code names (NA when none)."""
        return codes.map(self.matcher.by_code_of, na_action="ignore").astype("string")


def region_index(regions: pd.DataFrame) -> RegionIndex:
    """Regions by name or code; a code resolves to the region's name."""
    matcher = place_matcher(regions["region"], regions["region_code"])
    return RegionIndex({}, dict(matcher.display), matcher=matcher)


def actor_index(actors: pd.DataFrame) -> NameIndex:
    """Actors by id, name or acronym (in that order of precedence) -> actor_id, the names
    compared as org_keys does (a bracketed acronym in a name is also the actor's acronym)."""
    by_key: dict[str, str] = {}
    display: dict[str, str] = {}
    for column in ("actor_id", "name", "acronym"):
        for spelling, actor_id in zip(actors[column], actors["actor_id"]):
            if pd.notna(spelling) and pd.notna(actor_id):
                for key in org_keys(spelling):
                    by_key.setdefault(key, actor_id)
    for name in actors["name"].dropna():
        display[text_key(name)] = name
    return NameIndex(by_key, display, org_keys)


@dataclass
class Unresolved:
    value: str
    positions: np.ndarray
    suggestion: str | None


def resolve_column(values: pd.Series, index: NameIndex) -> tuple[pd.Series, list[Unresolved]]:
    """Each value's canonical form (NA when unknown) and the unknown values with suggestions."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    resolved = [index.resolve(value) for value in distinct]
    column = text_by_codes(resolved, codes).set_axis(values.index)
    unresolved = [
        Unresolved(str(value), np.flatnonzero(codes == code), index.suggest(value))
        for code, (value, found) in enumerate(zip(distinct, resolved))
        if found is None
    ]
    return column, unresolved


def resolve_list_column(values: pd.Series, index: NameIndex) -> tuple[pd.Series, list[Unresolved]]:
    """Like resolve_column for '; '-separated lists: the ids found, joined; each unknown item."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    joined, unresolved = [], []
    for code, value in enumerate(distinct):
        found = []
        for item in split_list(value):
            actor_id = index.resolve(item)
            if actor_id is None:
                unresolved.append(Unresolved(item, np.flatnonzero(codes == code), index.suggest(item)))
            elif actor_id not in found:
                found.append(actor_id)
        joined.append(LIST_JOIN.join(found) or None)
    return text_by_codes(joined, codes).set_axis(values.index), unresolved


# Columns naming actors, and the id column each resolves into.
ACTOR_REFERENCES = {
    "services": {"provider": "provider_id"},
    "coordination_bodies": {"chair": "chair_id", "members": "member_ids"},
    "links": {"source": "source_id", "target": "target_id"},
}


def link_actor_ids(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every frame with its actor id columns recomputed against its actors (quietly)."""
    index = actor_index(frames["actors"])
    linked = dict(frames)
    for sheet_name, references in ACTOR_REFERENCES.items():
        frame = frames[sheet_name].copy()
        for column, id_column in references.items():
            resolve = resolve_list_column if column == "members" else resolve_column
            frame[id_column] = resolve(frame[column], index)[0]
        linked[sheet_name] = frame
    return linked
