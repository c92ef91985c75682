"""Minimum standards as data (data/standards.toml): load, edit, write back.

Every regional result names the standard it used and its source, so a donor can cite it.
A user may change a threshold or add a national standard; `standards_to_toml` writes the
edited set in the same format, so it can be saved and loaded again.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

from vawmap.vocab import load_data_file, vocabulary

RULES = ("per_population", "per_region", "national")
MEASURES = ("count", "capacity")
POPULATIONS = ("total", "women")


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


def _standard(raw: dict) -> Standard:
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
    _check(standard)
    return standard


def _check(standard: Standard) -> None:
    """A clear ValueError for a standard that cannot be applied."""
    known_types = set(vocabulary("service_type").values)
    problems = []
    if standard.rule not in RULES:
        problems.append(f"rule must be one of {', '.join(RULES)}")
    if standard.measure not in MEASURES:
        problems.append(f"measure must be one of {', '.join(MEASURES)}")
    if standard.population not in POPULATIONS:
        problems.append(f"population must be one of {', '.join(POPULATIONS)}")
    if standard.rule == "per_population" and not (standard.per and standard.per > 0):
        problems.append("a per_population standard needs per > 0")
    if unknown := sorted(set(standard.service_types) - known_types):
        problems.append(f"unknown service types: {', '.join(unknown)}")
    if problems:
        raise ValueError(f"standard '{standard.id}': " + "; ".join(problems))


def standards_from_dict(data: dict) -> StandardsSet:
    coverage = data.get("coverage", {})
    return StandardsSet(
        standards=tuple(_standard(raw) for raw in data.get("standard", [])),
        essential_service_types=tuple(coverage.get("essential_service_types", ())),
        essential_source=coverage.get("source", ""),
    )


@lru_cache(maxsize=1)
def default_standards() -> StandardsSet:
    """The shipped standards (data/standards.toml), read once: the set is immutable."""
    return standards_from_dict(load_data_file("standards.toml"))


def standards_from_toml(text: str) -> StandardsSet:
    return standards_from_dict(tomllib.loads(text))


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
