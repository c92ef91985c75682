"""The workbook contract (data/contract.toml) as Python objects.

A `SheetSpec` knows its columns; a `ColumnSpec` knows its kind, its vocabulary, whether it is
required, its range, and every header spelling and HXL hashtag that means it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from vawmap.vocab import LANGUAGES, load_data_file, text_key

SHEET_ORDER = ("actors", "services", "regions", "coordination_bodies", "links")

KINDS = frozenset(
    {"text", "id", "vocab", "vocab_list", "yes_no", "integer", "number", "date", "region", "actor", "actor_list"}
)


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str
    labels: dict[str, str]
    header_keys: frozenset[str]  # text keys of every accepted header spelling
    hxl: tuple[str, ...] = ()
    vocab: str | None = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    default: object = None
    personal: bool = False
    help: str = ""  # in English
    helps: dict[str, str] = field(default_factory=dict)  # language -> help, when the contract gives one

    def label_in(self, language: str) -> str:
        """The column's header in `language`; English for a language the contract does not give."""
        return self.labels.get(language, self.labels["en"])

    def help_in(self, language: str) -> str:
        """What the column expects, in `language` (en, fr, es); English when the contract has no such help."""
        return self.helps.get(language) or self.help

    @property
    def vocabulary(self) -> str:
        """The vocabulary of a vocab or vocab_list column (the contract file is checked to give one)."""
        if self.vocab is None:
            raise ValueError(f"column {self.name} has no vocabulary")
        return self.vocab

    @property
    def is_list(self) -> bool:
        return self.kind in ("vocab_list", "actor_list")


@dataclass(frozen=True)
class SheetSpec:
    name: str
    labels: dict[str, str]
    name_keys: frozenset[str]  # text keys of every accepted sheet name
    columns: dict[str, ColumnSpec] = field(default_factory=dict)

    def label_in(self, language: str) -> str:
        """The sheet's name in `language`; English for a language the contract does not give."""
        return self.labels.get(language, self.labels["en"])

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(name for name, column in self.columns.items() if column.required)


def _column(name: str, raw: dict) -> ColumnSpec:
    if raw["kind"] not in KINDS:
        raise ValueError(f"contract.toml: column {name} has unknown kind {raw['kind']!r}")
    if raw["kind"] in ("vocab", "vocab_list") and not raw.get("vocab"):
        raise ValueError(f"contract.toml: column {name} is of kind {raw['kind']} but names no vocab")
    labels = {language: raw[language] for language in LANGUAGES}
    spellings = [name, *labels.values(), *raw.get("also", [])]
    return ColumnSpec(
        name=name,
        kind=raw["kind"],
        labels=labels,
        header_keys=frozenset(text_key(s) for s in spellings),
        hxl=tuple(raw.get("hxl", ())),
        vocab=raw.get("vocab"),
        required=raw.get("required", False),
        min=raw.get("min"),
        max=raw.get("max"),
        default=raw.get("default"),
        personal=raw.get("personal", False),
        help=raw.get("help", ""),
        helps={language: raw[f"help_{language}"] for language in LANGUAGES if raw.get(f"help_{language}")},
    )


@lru_cache(maxsize=1)
def sheets() -> dict[str, SheetSpec]:
    """The contract of data/contract.toml."""
    return sheets_from(load_data_file("contract.toml"))


def sheets_from(data: dict) -> dict[str, SheetSpec]:
    """The sheet specs of a parsed contract file, in SHEET_ORDER."""
    specs = {}
    for name in SHEET_ORDER:
        raw = data[name]
        labels = {language: raw[language] for language in LANGUAGES}
        spellings = [name, *labels.values(), *raw.get("also", [])]
        columns = {col: _column(col, spec) for col, spec in raw["columns"].items()}
        specs[name] = SheetSpec(name, labels, frozenset(text_key(s) for s in spellings), columns)
    return specs


def sheet(name: str) -> SheetSpec:
    return sheets()[name]
