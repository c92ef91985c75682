"""Minimum standards as data (data/standards.toml): load, edit, write back.

Every regional result names the standard it used and its source, so a donor can cite it.
A user may change a threshold or add a national standard; `standards_to_toml` writes the
edited set in the same format, so it can be saved and loaded again.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

from vawmap.i18n import catalogue
from vawmap.messages import Message, message, render
from vawmap.vocab import load_data_file, vocabulary

RULES = ("per_population", "per_region", "national")
MEASURES = ("count", "capacity")
POPULATIONS = ("total", "women")
# The yes/no service columns a national standard can require (the engine encodes these: gaps/regions.py).
REQUIREMENTS = ("open_24_7", "free_of_charge")
_TOML_PLACE = re.compile(r"line (?P<line>\d+), column (?P<column>\d+)")


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    service_types: tuple[str, ...]
    rule: str
    source: str
    measure: str = "count"
    unit: str = "services"
    population: str = "total"
    per: float | None = None
    minimum: int = 1
    requires: tuple[str, ...] = ()
    enabled: bool = True

    def with_threshold(self, per: float | None = None, minimum: int | None = None) -> Standard:
        """The same standard with another threshold (a national variant, say)."""
        return replace(self, per=self.per if per is None else per, minimum=self.minimum if minimum is None else minimum)


@dataclass(frozen=True)
class StandardsSet:
    standards: tuple[Standard, ...]
    essential_service_types: tuple[str, ...] = field(default=())
    essential_source: str = ""

    @property
    def enabled(self) -> tuple[Standard, ...]:
        return tuple(standard for standard in self.standards if standard.enabled)

    def by_rule(self, rule: str) -> tuple[Standard, ...]:
        return tuple(standard for standard in self.enabled if standard.rule == rule)


# What of a standard is said in words, and translated when the standard is one the app ships.
STANDARD_WORDS = ("name", "unit")


@lru_cache(maxsize=1024)
def standard_word(standard_id: str, field: str, text: str) -> Message | str:
    """A standard's name or unit as the reader's language says it: for a standard the app
    ships, unchanged, its catalogue message (standard.<id>.<field>); a standard the user added
    or renamed keeps their words as typed."""
    key = f"standard.{standard_id}.{field}"
    return message(f"standard.{standard_id}.{field}") if catalogue("en").get(key) == text else text


class StandardsProblem(ValueError):
    """A standards file that cannot be applied; `message` says why (its str() is the English
    wording, for logs and tracebacks)."""

    def __init__(self, said: Message) -> None:
        super().__init__(render(said))
        self.message = said


# Each field of a [[standard]]: how to check its type, and the words for that type.
_TEXT, _LIST, _NUMBER = "standards_file.kind_text", "standards_file.kind_list", "standards_file.kind_number"
_WHOLE, _YES_NO = "standards_file.kind_whole", "standards_file.kind_yes_no"
_FIELDS = {
    "id": _TEXT,
    "name": _TEXT,
    "service_types": _LIST,
    "rule": _TEXT,
    "source": _TEXT,
    "measure": _TEXT,
    "unit": _TEXT,
    "population": _TEXT,
    "per": _NUMBER,
    "minimum": _WHOLE,
    "requires": _LIST,
    "enabled": _YES_NO,
}
_REQUIRED = ("id", "name", "service_types", "rule", "source")


def _is_kind(value: object, kind: str) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if kind == _LIST:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == _YES_NO:
        return isinstance(value, bool)
    if kind == _WHOLE:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _field_problems(raw: dict) -> list[Message]:
    problems = [message("standards_file.missing_field", field=name) for name in _REQUIRED if name not in raw]
    for name, kind in _FIELDS.items():
        if name in raw and not _is_kind(raw[name], kind):
            problems.append(message("standards_file.wrong_type", field=name, kind=message(kind)))
    return problems


def _standard(raw: object, number: int) -> Standard:
    if not isinstance(raw, dict):
        raise StandardsProblem(message("standards_file.not_tables"))
    shown = message("standards_file.named", id=raw["id"]) if isinstance(raw.get("id"), str) else None
    shown = shown or message("standards_file.number", number=number)
    if problems := _field_problems(raw):
        raise StandardsProblem(message("standards_file.invalid", standard=shown, problems=problems))
    standard = Standard(
        id=raw["id"],
        name=raw["name"],
        service_types=tuple(raw["service_types"]),
        rule=raw["rule"],
        source=raw["source"],
        measure=raw.get("measure", "count"),
        unit=raw.get("unit", "services"),
        population=raw.get("population", "total"),
        per=raw.get("per"),
        minimum=raw.get("minimum", 1),
        requires=tuple(raw.get("requires", ())),
        enabled=raw.get("enabled", True),
    )
    if problems := _rule_problems(standard):
        raise StandardsProblem(message("standards_file.invalid", standard=shown, problems=problems))
    return standard


def _rule_problems(standard: Standard) -> list[Message]:
    """What makes a standard impossible to apply."""
    problems = []
    if standard.rule not in RULES:
        problems.append(message("standards_file.bad_rule", values=list(RULES)))
    if standard.measure not in MEASURES:
        problems.append(message("standards_file.bad_measure", values=list(MEASURES)))
    if standard.population not in POPULATIONS:
        problems.append(message("standards_file.bad_population", values=list(POPULATIONS)))
    if standard.rule == "per_population" and not (standard.per and standard.per > 0):
        problems.append(message("standards_file.needs_per"))
    if unknown := _unknown_service_types(standard.service_types):
        problems.append(message("standards_file.unknown_service_types", values=unknown))
    if set(standard.requires) - set(REQUIREMENTS):
        problems.append(message("standards_file.bad_requires", values=list(REQUIREMENTS)))
    return problems


def _unknown_service_types(service_types) -> list[str]:
    return sorted(set(service_types) - set(vocabulary("service_type").values))


def _coverage(data: dict) -> tuple[tuple[str, ...], str]:
    coverage = data.get("coverage", {})
    if not isinstance(coverage, dict):
        raise StandardsProblem(message("standards_file.not_table", field="coverage"))
    types, source = coverage.get("essential_service_types", []), coverage.get("source", "")
    problems = []
    if not _is_kind(types, _LIST):
        problems.append(message("standards_file.wrong_type", field="essential_service_types", kind=message(_LIST)))
    elif unknown := _unknown_service_types(types):
        problems.append(message("standards_file.unknown_service_types", values=unknown))
    if not _is_kind(source, _TEXT):
        problems.append(message("standards_file.wrong_type", field="source", kind=message(_TEXT)))
    if problems:
        raise StandardsProblem(message("standards_file.coverage_invalid", problems=problems))
    return tuple(types), source


def standards_from_dict(data: dict) -> StandardsSet:
    """The standards of a parsed file, or StandardsProblem saying what cannot be applied."""
    raws = data.get("standard", [])
    if not isinstance(raws, list):
        raise StandardsProblem(message("standards_file.not_tables"))
    essential, source = _coverage(data)
    return StandardsSet(
        standards=tuple(_standard(raw, number) for number, raw in enumerate(raws, start=1)),
        essential_service_types=essential,
        essential_source=source,
    )


@lru_cache(maxsize=1)
def default_standards() -> StandardsSet:
    """The shipped standards (data/standards.toml), read once: the set is immutable."""
    return standards_from_dict(load_data_file("standards.toml"))


def standards_from_toml(text: str) -> StandardsSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib says where in English only ("Invalid value (at line 3, column 7)"): keep the place.
        if place := _TOML_PLACE.search(str(error)):
            raise StandardsProblem(
                message("standards_file.not_toml_at", line=int(place["line"]), column=int(place["column"]))
            ) from None
        raise StandardsProblem(message("standards_file.not_toml")) from None
    return standards_from_dict(data)


def standards_from_bytes(data: bytes) -> StandardsSet:
    """The standards of a file's bytes (UTF-8 TOML), or StandardsProblem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StandardsProblem(message("standards_file.not_text")) from None
    if "\x00" in text:
        raise StandardsProblem(message("standards_file.not_text"))
    return standards_from_toml(text)


def standards_to_toml(standards: StandardsSet) -> str:
    """The set in the data file's format (JSON string quoting is valid TOML)."""
    lines = [
        "[coverage]",
        f"essential_service_types = {json.dumps(list(standards.essential_service_types))}",
        f"source = {json.dumps(standards.essential_source, ensure_ascii=False)}",
    ]
    for standard in standards.standards:
        lines += ["", "[[standard]]"]
        for key, value in asdict(standard).items():
            if value is None:
                continue
            value = list(value) if isinstance(value, tuple) else value
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
