"""Synthetic datasets of any size, for the benchmarks and for tests on more data than the sample.

Both are deterministic (seeded), so a benchmark run measures the same data every time:
  build_dataset(services, regions, actors)   frames of a made-up country of that size
  sample_with_services(services)              the sample country (Veldora) with that many services
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from vawmap.dataset import Dataset, empty_frame, sample_dataset
from vawmap.rules import MINIMUM_SECTORS
from vawmap.vocab import vocabulary


def build_dataset(services: int, regions: int, actors: int, seed: int = 11) -> dict:
    """Dataset frames of the given size, with the canonical columns and dtypes: services,
    regions and actors picked at random (seeded), 2 links per actor, a coordination body per
    two regions, every value in the vocabularies."""
    rng = np.random.default_rng(seed)
    region_names = np.array([f"Region {number:04d}" for number in range(regions)])
    actor_ids = np.array([f"A{number:05d}" for number in range(actors)])
    sectors = list(MINIMUM_SECTORS) + list(vocabulary("sector").values[8:])
    types = np.array(vocabulary("service_type").values)

    def functions_of(count: int) -> list:
        """A functions cell per actor: up to three coordination functions, blank for a third."""
        choices = vocabulary("coordination_function").values
        return [
            None if rng.random() < 1 / 3 else "; ".join(rng.choice(choices, rng.integers(1, 4), replace=False))
            for _ in range(count)
        ]

    def typed(sheet: str, columns: dict) -> pd.DataFrame:
        empty = empty_frame(sheet)
        return pd.DataFrame(
            {name: columns.get(name, pd.Series([None] * len(next(iter(columns.values()))))) for name in empty.columns}
        ).astype(empty.dtypes.to_dict())

    frames = {
        "regions": typed(
            "regions",
            {
                "region": region_names,
                "population": rng.integers(20_000, 2_000_000, regions),
                "population_women": rng.integers(10_000, 1_000_000, regions),
            },
        ),
        "actors": typed(
            "actors",
            {
                "actor_id": actor_ids,
                "name": np.char.add("Actor ", actor_ids),
                "actor_type": rng.choice(vocabulary("actor_type").values, actors),
                "sector": rng.choice(sectors, actors),
                "level": rng.choice(["national", "local"], actors),
                "region": rng.choice(region_names, actors),
                "engagement": rng.choice(vocabulary("engagement").values, actors),
                "functions": functions_of(actors),
            },
        ),
        "services": typed(
            "services",
            {
                "provider": np.char.add("Actor ", rng.choice(actor_ids, services)),
                "provider_id": rng.choice(actor_ids, services),
                "service_type": rng.choice(types, services),
                "region": rng.choice(region_names, services),
                "capacity": rng.integers(0, 30, services),
                "status": rng.choice(["active", "planned", "suspended"], services, p=[0.9, 0.07, 0.03]),
                "open_24_7": rng.random(services) < 0.3,
                "free_of_charge": rng.random(services) < 0.9,
                "target_groups": rng.choice(["women; children", "women", "adolescent_girls"], services),
            },
        ),
        "coordination_bodies": typed(
            "coordination_bodies",
            {
                "name": [f"Body {number}" for number in range(regions // 2)],
                "level": ["national"] + ["subnational"] * (regions // 2 - 1),
                "region": rng.choice(region_names, regions // 2),
                "member_ids": ["; ".join(rng.choice(actor_ids, 12)) for _ in range(regions // 2)],
                "meeting_frequency": rng.choice(vocabulary("meeting_frequency").values, regions // 2),
            },
        ),
        "links": typed(
            "links",
            {
                "source_id": rng.choice(actor_ids, actors * 2),
                "target_id": rng.choice(actor_ids, actors * 2),
                "link_type": rng.choice(vocabulary("link_type").values, actors * 2),
            },
        ),
    }
    for sheet, column in (("links", "source"), ("links", "target")):
        frames[sheet][column] = frames[sheet][f"{column}_id"]
    return frames


def sample_with_services(services: int, seed: int = 5) -> Dataset:
    """The sample country with `services` services (the sample's, drawn at random with their
    providers) spread over its regions."""
    sample = sample_dataset()
    rng = np.random.default_rng(seed)
    original = sample["services"]
    rows = original.iloc[rng.integers(0, len(original), services)].reset_index(drop=True)
    rows["region"] = pd.array(rng.choice(sample["regions"]["region"].to_numpy(dtype=object), services), dtype="string")
    frames = dict(sample.frames, services=rows)
    return replace(sample, frames=frames, token=f"bench-{services}", is_sample=False)
