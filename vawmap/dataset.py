"""The loaded dataset: the five canonical frames and where they came from.

A Dataset is never changed in place: an upload makes a new one (`with_upload`), so a failed
or rejected upload leaves the loaded data exactly as it was. Every frame always has every
canonical column, plus the actor id columns the references resolve to (provider_id...).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from vawmap.contract import SHEET_ORDER, sheet
from vawmap.gaps.caveats import Caveats, SheetIntake, caveats
from vawmap.ingest import IngestResult, ingest
from vawmap.ingest.derived import DERIVED
from vawmap.ingest.normalise import column_dtype
from vawmap.ingest.references import ACTOR_REFERENCES, actor_index, link_actor_ids

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLE_WORKBOOK = SAMPLE_DIR / "sample_country.xlsx"
SAMPLE_GEOJSON = SAMPLE_DIR / "sample_country.geojson"
REPLACE, APPEND = "replace", "append"


def empty_frame(sheet_name: str) -> pd.DataFrame:
    """A frame with no rows and every canonical (and derived id) column, correctly typed."""
    columns = {name: pd.Series(dtype=column_dtype(spec)) for name, spec in sheet(sheet_name).columns.items()}
    for id_column in ACTOR_REFERENCES.get(sheet_name, {}).values():
        columns[id_column] = pd.Series(dtype="string")
    if sheet_name == "actors":  # True for an organisation only services named (vawmap/ingest/derived.py)
        columns[DERIVED] = pd.Series(dtype="bool")
    return pd.DataFrame(columns)


def _conform(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the canonical columns, in order."""
    template = empty_frame(sheet_name)
    missing = {name: template[name].reindex(frame.index) for name in template.columns if name not in frame}
    conformed = frame.assign(**missing)[list(template.columns)].reset_index(drop=True)
    if sheet_name == "actors":
        conformed[DERIVED] = conformed[DERIVED].astype("boolean").fillna(False).astype(bool)
    return conformed


def _with_derived(actors: pd.DataFrame, derived: pd.DataFrame | None) -> pd.DataFrame:
    """The actors and, after them, the derived actors none of them already is."""
    if derived is None or not len(derived):
        return actors
    if len(actors):
        listed = actor_index(actors)
        derived = derived[[listed.resolve(name) is None for name in derived["name"]]]
        derived = derived[~derived["actor_id"].isin(actors["actor_id"])]
    derived = _conform("actors", derived).astype(empty_frame("actors").dtypes.to_dict())
    return pd.concat([actors, derived], ignore_index=True)


@dataclass(frozen=True)
class Dataset:
    frames: dict[str, pd.DataFrame] = field(default_factory=lambda: {name: empty_frame(name) for name in SHEET_ORDER})
    sources: tuple[str, ...] = ()
    loaded_at: str | None = None  # ISO time (UTC) of the last upload applied; None for the sample or empty set
    is_sample: bool = False
    # Names this content: pages cache on it instead of hashing every frame on each rerun.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __getitem__(self, sheet_name: str) -> pd.DataFrame:
        return self.frames[sheet_name]

    def counts(self) -> dict[str, int]:
        return {name: len(self.frames[name]) for name in SHEET_ORDER}

    def derived_counts(self) -> dict[str, int]:
        """Rows made from other sheets, per sheet: the actors derived from services."""
        return {"actors": int(self.frames["actors"][DERIVED].sum())}

    def caveats(self, intake: Mapping[str, SheetIntake]) -> Caveats:
        """The sheets too thin to conclude from and the findings withheld: every page, the report
        and the CLI ask here, so none forgets the actors derived from services."""
        return caveats(self.counts(), intake, self.derived_counts())

    def derived_actors(self) -> pd.DataFrame:
        """The actors made from the organisations services name (their sector or level may be missing)."""
        actors = self.frames["actors"]
        return actors[actors[DERIVED]]

    @property
    def is_empty(self) -> bool:
        return not any(self.counts().values())

    def with_upload(self, result: IngestResult, mode: str = REPLACE, when: dt.datetime | None = None) -> Dataset:
        """A new dataset with the upload's accepted rows replacing (or added to) its sheets."""
        frames = dict(self.frames)
        # Actors derived from the services loaded before stay while no actors sheet lists them.
        earlier = frames["actors"][frames["actors"][DERIVED]]
        for name, uploaded in result.loadable.items():
            uploaded = _conform(name, uploaded)
            if mode == APPEND and len(frames[name]):
                combined = pd.concat([frames[name], uploaded], ignore_index=True)
                uploaded = combined.drop_duplicates(ignore_index=True)
            frames[name] = uploaded
        if "actors" in result.loadable:
            frames["actors"] = _with_derived(frames["actors"], earlier)
        frames["actors"] = _with_derived(frames["actors"], result.derived.get("actors"))
        frames = link_actor_ids(frames)
        files = tuple(dict.fromkeys(result.sources))
        # UTC, as the store keeps a version's time: pages and reports say "UTC" after it.
        stamp = (when or dt.datetime.now(dt.UTC).replace(tzinfo=None)).isoformat(timespec="seconds")
        return replace(
            self, frames=frames, sources=self.sources + files, loaded_at=stamp, is_sample=False, token=uuid.uuid4().hex
        )


def dataset_from_files(paths: list[Path]) -> tuple[Dataset, IngestResult]:
    """Ingest files from disk into a fresh dataset."""
    result = ingest([(path.name, path.read_bytes()) for path in paths])
    return Dataset().with_upload(result), result


@lru_cache(maxsize=1)
def sample_dataset() -> Dataset:
    """The bundled fictional country, ingested like any upload."""
    dataset, _ = dataset_from_files([SAMPLE_WORKBOOK])
    return replace(dataset, sources=(SAMPLE_WORKBOOK.name,), loaded_at=None, is_sample=True, token="sample")
