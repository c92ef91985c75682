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


def _most_common(values: pd.Series) -> object:
    counts = values.dropna().value_counts(sort=True)
    return counts.index[0] if len(counts) else pd.NA


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
    picked = services.iloc[rows]
    acronyms = picked["provider_acronym"] if "provider_acronym" in picked else pd.Series(pd.NA, index=picked.index)
    # One organisation per set of shared keys: a spelling joins the first organisation one of
    # its keys (full name, name without the bracketed acronym, the acronym) already belongs to.
    owner: dict[str, int] = {}
    pairs = pd.DataFrame({"name": picked["provider"].to_numpy(), "acronym": acronyms.to_numpy()})
    pair_codes, pair_index = pd.factorize(pd.MultiIndex.from_frame(pairs.astype(object).fillna("")))
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
    table = pd.DataFrame(
        {
            "organisation": organisation,
            "spelling": picked["provider"].astype(str).to_numpy(),
            "acronym": acronyms.astype("string").to_numpy(),
            "actor_type": picked["provider_type"].map(actor_type_of).to_numpy() if "provider_type" in picked else pd.NA,
            "cluster_sector": picked["cluster"].map(sector_of_cluster).to_numpy() if "cluster" in picked else pd.NA,
        }
    )
    grouped = table.groupby("organisation", sort=True)
    names = grouped["spelling"].agg(_display_name)
    acronym = grouped["acronym"].agg(_most_common)
    bracketed = names.map(_bracketed_acronym)
    acronym = acronym.where(acronym.notna(), bracketed)
    names = names.map(_without_bracket)
    actor_type = grouped["actor_type"].agg(_most_common)
    sector = grouped["cluster_sector"].agg(_most_common)
    sector = sector.where(sector.notna(), actor_type.map(_rules()[2]))
    derived = pd.DataFrame(
        {
            "actor_id": _new_ids(acronym, names, taken_ids),
            "name": names.astype("string"),
            "acronym": acronym.astype("string"),
            "actor_type": actor_type.astype("string"),
            "sector": sector.astype("string"),
            "level": pd.Series(pd.NA, index=names.index, dtype="string"),
            DERIVED: True,
        }
    )
    return derived.reset_index(drop=True)


def _display_name(spellings: pd.Series) -> str:
    """The most written spelling, a full name before an acronym (the longest among the most written)."""
    counts = spellings.value_counts()
    longest = max(counts.index, key=lambda text: (len(str(text)) > 8, counts[text], len(str(text))))
    return str(longest).strip()


def _bracketed_acronym(name: str) -> object:
    found = bracketed_acronyms(name)
    return found[0] if found else pd.NA


def _without_bracket(name: str) -> str:
    return without_acronym(name) or name


def _new_ids(acronyms: pd.Series, names: pd.Series, taken_ids: set[str]) -> list[str]:
    """Readable ids from the acronym or name, as the actors sheet's are made, none already taken."""
    taken = {text_key(actor_id) for actor_id in taken_ids}
    made = []
    for acronym, name in zip(acronyms, names):
        base = text_key(acronym if pd.notna(acronym) else name).replace(" ", "-")[:40] or "actor"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        made.append(candidate)
    return made
