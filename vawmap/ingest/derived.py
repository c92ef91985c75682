"""Actors derived from services: the organisations a services sheet (a 3W, a service list) names
and no actors sheet lists.

A 3W has no actors sheet, so without this none of its organisations would be at the table. Each
organisation becomes one actor: its name, its acronym when the file gives one, its type from an
org-type column (read through data/derived_actors.toml, which knows the spellings, plurals,
abbreviations and typos people write), its sector from the 3W's cluster where that says which
sector it represents (Health → health), else from its type (a UN agency is UN and international).
Its level is never known: it is kept and flagged `to_complete`, never set aside for it.

Names are matched as references.org_keys does (case, accents, punctuation and spacing ignored;
"United Nations Children's Fund (UNICEF)" is also "UNICEF"), so the spellings of one
organisation make one actor.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from vawmap.ingest.references import (
    ORG_NAME_LIMIT,
    NameIndex,
    bracketed_acronyms,
    compact_key,
    org_keys,
    without_acronym,
)
from vawmap.vocab import load_data_file, nearest, text_key, vocabulary

DERIVED = "derived"  # the actors frame's column saying an actor was derived from services
TYPO_CUTOFF = 85  # rapidfuzz ratio for an org-type spelling not listed ("Goverment")
TYPO_MIN_LENGTH = 5  # shorter spellings ("UN", "NGO") are matched exactly, never by nearness


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(org-type spelling key -> actor_type, cluster key -> sector, actor_type -> sector)."""
    data = load_data_file("derived_actors.toml")
    types = dict(vocabulary("actor_type").lookup)
    types.update(
        {text_key(spelling): value for value, spellings in data["actor_type"].items() for spelling in spellings}
    )
    clusters = {
        text_key(spelling): value for value, spellings in data["cluster_sector"].items() for spelling in spellings
    }
    return types, clusters, dict(data["type_sector"])


def actor_type_of(text: object) -> str | None:
    """The actor_type an org-type cell means ("INGO", "Int'l NGO", "Goverment"), or None."""
    if text is None or pd.isna(text):
        return None
    types = _rules()[0]
    key = text_key(text)
    if key in types:
        return types[key]
    if key.endswith("s") and key[:-1] in types:  # a plural not listed
        return types[key[:-1]]
    if len(key) >= TYPO_MIN_LENGTH:
        return nearest(key, {spelling: value for spelling, value in types.items() if len(spelling) >= 3}, TYPO_CUTOFF)
    return None


def sector_of_cluster(text: object) -> str | None:
    """The sector a 3W cluster names, when it names one (Health → health), else None."""
    if text is None or pd.isna(text):
        return None
    return _rules()[1].get(text_key(text))


def derive_actors(services: pd.DataFrame, listed: NameIndex | None, taken_ids: set[str]) -> pd.DataFrame:
    """The actors the services name that `listed` (the actors sheets) does not, nor nearly: one row per
    organisation, with the actors columns it can fill, `derived` True and `to_complete` True
    when its sector or level is not known. Ids are new (none of `taken_ids`)."""
    providers = services["provider"]
    codes, distinct = pd.factorize(providers, use_na_sentinel=True)
    # A near miss of a listed actor ("Ministry of Helth") is likely a typo: it stays a warning
    # with the suggestion (the user decides), never a second actor.
    unlisted = np.array(
        [
            len(str(name)) <= ORG_NAME_LIMIT  # a longer cell stays an unknown provider
            and (listed is None or (listed.resolve(name) is None and listed.suggest(name) is None))
            for name in distinct
        ],
        dtype=bool,
    )
    rows = np.flatnonzero((codes >= 0) & unlisted[np.maximum(codes, 0)])
    if not len(rows):
        return pd.DataFrame(columns=["actor_id", "name", "acronym", "actor_type", "sector", "level", DERIVED])
    wanted = [name for name in ("provider", "provider_acronym", "provider_type", "cluster") if name in services]
    picked = services[wanted] if len(rows) == len(services) else services[wanted].iloc[rows]
    acronyms = picked["provider_acronym"] if "provider_acronym" in picked else pd.Series(pd.NA, index=picked.index)
    # One organisation per set of shared keys: a spelling joins the first organisation one of
    # its keys (full name, name without the bracketed acronym, the acronym) already belongs to.
    owner: dict[str, int] = {}
    pair_codes, pair_index = _distinct_pairs(picked["provider"], acronyms, codes[rows])
    count = 0
    pair_owner = np.empty(len(pair_index), dtype=int)
    for number, (name, acronym) in enumerate(pair_index):
        keys = org_keys(name) + ([compact_key(acronym)] if acronym else [])
        found = next((owner[key] for key in keys if key in owner), None)
        if found is None:
            found, count = count, count + 1
        for key in keys:
            owner.setdefault(key, found)
        pair_owner[number] = found
    organisation = pair_owner[pair_codes]
    # Each organisation's name, acronym, type and cluster: counted over the distinct values (a
    # 3W of a million rows names a few thousand organisations), never row by row in Python.
    written = np.bincount(pair_codes, minlength=len(pair_index))
    names, acronym = _names_and_acronyms(pair_index, pair_owner, written, count)
    actor_type = _most_common_per(organisation, *_meanings(picked, "provider_type", actor_type_of), count)
    sector = _most_common_per(organisation, *_meanings(picked, "cluster", sector_of_cluster), count)
    sector = sector.where(sector.notna(), actor_type.map(_rules()[2]))
    derived = pd.DataFrame(
        {
            "actor_id": readable_ids(acronym, names, taken_ids),
            "name": names.astype("string"),
            "acronym": acronym.astype("string"),
            "actor_type": actor_type.astype("string"),
            "sector": sector.astype("string"),
            "level": pd.Series(pd.NA, index=names.index, dtype="string"),
            DERIVED: True,
        }
    )
    return derived.reset_index(drop=True)


def _meanings(picked: pd.DataFrame, column: str, meaning) -> tuple[np.ndarray, list]:
    """What each row's cell of `column` means, as a code into the distinct meanings (-1: none),
    and those meanings: `meaning` is asked once per distinct cell, never row by row."""
    if column not in picked:
        return np.full(len(picked), -1, dtype=np.intp), []
    codes, distinct = pd.factorize(picked[column], use_na_sentinel=True)
    meaning_codes, meanings = pd.factorize(
        pd.Series([meaning(value) for value in distinct] + [None], dtype=object), use_na_sentinel=True
    )
    return meaning_codes[codes], list(meanings)  # code -1 takes the last slot: no meaning


def _most_common_per(organisation: np.ndarray, codes: np.ndarray, meanings: list, count: int) -> pd.Series:
    """Each organisation's most written meaning, the first written among equals (NA when it has none)."""
    known, width = codes >= 0, max(len(meanings), 1)
    pair_codes, pairs = pd.factorize(organisation[known].astype(np.int64) * width + codes[known])
    tally = pd.DataFrame(
        {
            "organisation": pairs // width,
            "meaning": pairs % width,
            "times": np.bincount(pair_codes, minlength=len(pairs)),
        }
    )
    ranked = tally.sort_values(["organisation", "times"], ascending=[True, False], kind="stable")
    best = ranked.drop_duplicates("organisation")
    values = np.array(meanings, dtype=object)[best["meaning"].to_numpy()] if len(best) else []
    found = pd.Series(values, index=best["organisation"].to_numpy(), dtype="string")
    return found.reindex(range(count))


def _distinct_pairs(
    names: pd.Series, acronyms: pd.Series, name_codes: np.ndarray
) -> tuple[np.ndarray, list[tuple[object, str]]]:
    """Each row's (name, acronym) pair as a code, and the distinct pairs in order of first
    appearance (a missing acronym as ""): integer codes combined, not a MultiIndex of a million
    Python tuples (0.7 s at a million rows). `name_codes`: the names already as codes."""
    codes, _ = pd.factorize(name_codes)  # in order of first appearance among these rows
    acronym_codes, acronym_values = pd.factorize(acronyms, use_na_sentinel=True)
    if len(acronym_values):  # else each name is its pair
        codes, _ = pd.factorize(codes.astype(np.int64) * (len(acronym_values) + 1) + (acronym_codes + 1))
    firsts = np.flatnonzero(~pd.Series(codes).duplicated().to_numpy())  # the first row of pair 0, 1, 2...
    written_names = names.take(firsts).to_numpy(dtype=object)
    written_acronyms = acronyms.take(firsts).astype(object).to_numpy()
    pairs = [(name, "" if pd.isna(acronym) else acronym) for name, acronym in zip(written_names, written_acronyms)]
    return codes, pairs


def _names_and_acronyms(
    pair_index: list[tuple[object, str]], pair_owner: np.ndarray, written: np.ndarray, count: int
) -> tuple[pd.Series, pd.Series]:
    """Each organisation's name (its most written full spelling, a full name before an acronym,
    without a bracketed acronym) and its acronym (the most written one given, else the one in
    brackets)."""
    best_name: dict[int, tuple] = {}
    best_acronym: dict[int, tuple[int, str]] = {}
    for (name, acronym), owner, times in zip(pair_index, pair_owner, written):
        text = str(name).strip()
        rank = (len(text) > 8, int(times), len(text))
        if owner not in best_name or rank > best_name[owner][0]:
            best_name[owner] = (rank, text)
        if acronym and (owner not in best_acronym or times > best_acronym[owner][0]):
            best_acronym[owner] = (int(times), str(acronym).strip())
    full = [best_name[owner][1] for owner in range(count)]
    names = pd.Series([_without_bracket(text) for text in full], dtype="string")
    acronyms = pd.Series(
        [
            best_acronym[owner][1] if owner in best_acronym else _bracketed_acronym(full[owner])
            for owner in range(count)
        ],
        dtype="string",
    )
    return names, acronyms


def _bracketed_acronym(name: str) -> object:
    found = bracketed_acronyms(name)
    return found[0] if found else pd.NA


def _without_bracket(name: str) -> str:
    return without_acronym(name) or name


def readable_ids(acronyms, names, taken_ids: set[str]) -> list[str]:
    """Readable ids from each acronym, else name ("unfpa", "ministry-of-health", then "-2"...),
    none of `taken_ids`: for actors an actors sheet gives without an id and for derived ones."""
    taken = {text_key(actor_id) for actor_id in taken_ids}
    made = []
    for acronym, name in zip(acronyms, names):
        written = acronym if pd.notna(acronym) else name if pd.notna(name) else "actor"
        base = text_key(written).replace(" ", "-")[:40] or "actor"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        made.append(candidate)
    return made
