"""The assessment's rules as data (data/rules.toml): sector tiers, the one-stop rule, sources.

Kept apart from the code so that a coordinator can read and change them without Python;
tests/test_rules.py checks that every value they name is in the vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vawmap.vocab import load_data_file


@dataclass(frozen=True)
class Source:
    """A public document a rule comes from: `short` beside a result, `full` in the method."""

    id: str
    short: str
    full: str


@lru_cache(maxsize=1)
def _rules() -> dict:
    return load_data_file("rules.toml")


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    return {key: Source(key, raw["short"], raw["full"]) for key, raw in _rules()["sources"].items()}


def source(key: str) -> Source:
    return sources()[key]


# Minimum membership of a national coordination network, then the sectors recommended beyond it.
MINIMUM_SECTORS: tuple[str, ...] = tuple(_rules()["sectors"]["minimum"])
RECOMMENDED_SECTORS: tuple[str, ...] = tuple(_rules()["sectors"]["recommended"])
# A one-stop centre counts as itself and toward each of these service types.
ONE_STOP_COUNTS_AS: tuple[str, ...] = tuple(_rules()["one_stop_centre"]["counts_as"])
# The UN Essential Services Package sector of each service type.
ESP_SECTOR: dict[str, str] = dict(_rules()["esp_sector"])
# The chart family of each sector (one hue per family), families in legend order.
SECTOR_FAMILIES: tuple[str, ...] = tuple(_rules()["sector_families"])
SECTOR_FAMILY: dict[str, str] = {
    sector: family for family, sectors in _rules()["sector_families"].items() for sector in sectors
}
