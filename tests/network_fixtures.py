"""Tiny builders for network fixtures: canonical frames (from `empty_frame`) filled from short specs.

actors_frame({"H": "health", "P": "police"})            # actor ids H, P named "Actor H", "Actor P"
links_frame(("H", "P"), ("P", "L", "coordination"))      # referral unless a type is given; None = unresolved
services_frame(service("H", "health_first_line_support", "North"), service("S", "safe_accommodation",
               "North", status="planned"), service("Hope House", "safe_accommodation", "North", listed=False))
regions_frame("North", "South")
"""

from __future__ import annotations

import pandas as pd

from vawmap.dataset import empty_frame


def filled_frame(sheet: str, columns: dict[str, list]) -> pd.DataFrame:
    """The sheet's empty canonical frame with `columns` filled in (same length); the rest NA."""
    template = empty_frame(sheet)
    rows = len(next(iter(columns.values()), []))
    frame = template.reindex(range(rows))
    for name, values in columns.items():
        frame[name] = pd.array(values, dtype=template[name].dtype)
    return frame


def actor_name(actor_id: str) -> str:
    return f"Actor {actor_id}"


def actors_frame(sectors: dict[str, str], level: str = "national") -> pd.DataFrame:
    """One actor per id -> sector, named "Actor <id>", all at `level`."""
    ids = list(sectors)
    return filled_frame(
        "actors",
        {
            "actor_id": ids,
            "name": [actor_name(actor_id) for actor_id in ids],
            "sector": list(sectors.values()),
            "actor_type": ["government"] * len(ids),
            "level": [level] * len(ids),
        },
    )


def links_frame(*links: tuple) -> pd.DataFrame:
    """(source id, target id[, link_type]) per link; link_type defaults to referral, None id = unresolved."""
    sources = [link[0] for link in links]
    targets = [link[1] for link in links]
    return filled_frame(
        "links",
        {
            "source": [source or "Unknown organisation" for source in sources],
            "target": [target or "Unknown organisation" for target in targets],
            "link_type": [link[2] if len(link) > 2 else "referral" for link in links],
            "source_id": sources,
            "target_id": targets,
        },
    )


def service(provider: str, service_type: str, region: str, status: str = "active", listed: bool = True) -> dict:
    """One service row; `listed=False` is a provider not on the actors sheet (provider_id NA)."""
    return {
        "provider": actor_name(provider) if listed else provider,
        "provider_id": provider if listed else None,
        "service_type": service_type,
        "region": region,
        "status": status,
    }


def services_frame(*rows: dict) -> pd.DataFrame:
    columns = ("provider", "provider_id", "service_type", "region", "status")
    return filled_frame("services", {name: [row[name] for row in rows] for name in columns})


def regions_frame(*names: str) -> pd.DataFrame:
    return filled_frame("regions", {"region": list(names)})
