"""Benchmarks: scripts that print measured figures, never pass/fail tests.

  python -m vawmap.bench ingest [--rows 100000]
  python -m vawmap.bench gaps [--services 1000000 --regions 1000 --actors 5000]

builds a services workbook (plus actors and regions sheets, so references are resolved),
then times in the same run, each in a fresh child process so peak memory is its own:
  baseline  pandas.read_excel(engine="openpyxl"), every sheet, read only
  vawmap    the full ingest: read + find headers + normalise + validate + references
Goal (issue 2): vawmap's full ingest at least 5x faster than the baseline read alone.

`gaps` builds a dataset in memory and times, in one process, the whole gap engine
(`assess`) against a bare `groupby(["region", "service_type"]).size()` on the same services.
Goal (issue 3): the whole engine within 3x that bare groupby.

`pages` runs every dashboard page with Streamlit's AppTest, on the sample country and on the
same country with 100,000 services, and times a rerun (caches warm, as when a user clicks):
Goal (issue 4): a rerun on 100,000 services within 2x the same rerun on the sample.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import random
import resource
import sys
import time
from pathlib import Path

REGIONS = [f"Region {number:02d}" for number in range(1, 17)]
SERVICE_TYPES = [
    "helpline",
    "Refuge",
    "legal_aid",
    "Police",
    "post_rape_care",
    "psychosocial_support",
    "Aide juridique",
    "safe_accommodation",
    "health_first_line_support",
    "one_stop_centre",
]
YES_NO = ["yes", "no", "oui", "Sí", "", "x"]
TARGETS = ["women; adolescent_girls", "femmes, enfants", "women", "", "women_with_disabilities; older_women"]


def build_workbook(rows: int, seed: int = 7) -> bytes:
    """A services workbook of `rows` rows in the messy shape real uploads have."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    actors = workbook.create_sheet("Acteurs")
    actors.append(["Nom", "Sigle", "Type d'acteur", "Secteur", "Niveau", "Région"])
    for number in range(150):
        actors.append([f"Organisation {number}", f"ORG{number}", "ngo", "civil_society", "local", rng.choice(REGIONS)])
    regions = workbook.create_sheet("regions")
    regions.append(["region", "region_code", "population"])
    for number, name in enumerate(REGIONS, 1):
        regions.append([name, f"XB-{number:02d}", rng.randint(100_000, 2_000_000)])
    services = workbook.create_sheet("services")
    services.append(["Service mapping, all regions"])
    services.append([])
    services.append(
        [
            "Provider",
            "Service type",
            "Region",
            "District",
            "Location",
            "Latitude",
            "Longitude",
            "Capacity",
            "Open 24/7",
            "Free of charge",
            "Target groups",
            "Status",
            "Last verified",
        ]
    )
    for number in range(rows):
        services.append(
            [
                f"ORG{rng.randrange(150)}" if number % 3 else f"Organisation {rng.randrange(150)}",
                rng.choice(SERVICE_TYPES),
                rng.choice(REGIONS),
                f"District {rng.randrange(60)}",
                f"Town {rng.randrange(900)}",
                round(rng.uniform(-20, -14), 5),
                round(rng.uniform(30, 38), 5),
                rng.choice([rng.randint(0, 40), str(rng.randint(0, 40)), None]),
                rng.choice(YES_NO),
                rng.choice(YES_NO),
                rng.choice(TARGETS),
                rng.choice(["active", "Actif", "planned", ""]),
                rng.choice(["2026-03-01", "15/04/2026", None]),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _run_baseline(path: str) -> tuple[float, float, int]:
    import pandas as pd

    start = time.perf_counter()
    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    seconds = time.perf_counter() - start
    return seconds, _peak_rss_mb(), sum(len(frame) for frame in frames.values())


def _run_vawmap(path: str) -> tuple[float, float, int]:
    from vawmap.ingest import ingest

    data = Path(path).read_bytes()
    start = time.perf_counter()
    result = ingest([(Path(path).name, data)])
    seconds = time.perf_counter() - start
    return seconds, _peak_rss_mb(), sum(len(frame) for frame in result.frames.values())


def _in_child(function, path: str) -> tuple[float, float, int]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, (path,))


def bench_ingest(rows: int, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"services_{rows}.xlsx"
    if not path.exists():
        start = time.perf_counter()
        path.write_bytes(build_workbook(rows))
        print(f"built {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
    baseline_s, baseline_mb, baseline_rows = _in_child(_run_baseline, str(path))
    vawmap_s, vawmap_mb, vawmap_rows = _in_child(_run_vawmap, str(path))
    print(f"rows: {rows:,} services (+150 actors, 16 regions)")
    print(
        f"baseline pandas.read_excel(openpyxl): {baseline_s:7.2f} s  peak RSS {baseline_mb:7.0f} MB  ({baseline_rows:,} rows read)"
    )
    print(
        f"vawmap full ingest:                   {vawmap_s:7.2f} s  peak RSS {vawmap_mb:7.0f} MB  ({vawmap_rows:,} rows accepted)"
    )
    ratio = baseline_s / vawmap_s
    print(f"ratio baseline / vawmap: {ratio:.1f}x (goal: at least 5x) -> {'met' if ratio >= 5 else 'NOT met'}")


def build_dataset(services: int, regions: int, actors: int, seed: int = 11) -> dict:
    """Dataset frames of the given size, with the canonical columns and dtypes."""
    import numpy as np
    import pandas as pd

    from vawmap.dataset import empty_frame
    from vawmap.rules import MINIMUM_SECTORS
    from vawmap.vocab import vocabulary

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


def bench_gaps(services: int, regions: int, actors: int, rounds: int = 7) -> None:
    import statistics

    from vawmap.gaps import assess as engine

    start = time.perf_counter()
    frames = build_dataset(services, regions, actors)
    print(
        f"built {services:,} services, {regions:,} regions, {actors:,} actors, {len(frames['links']):,} links "
        f"in {time.perf_counter() - start:.1f} s"
    )
    frame = frames["services"]
    baselines, totals, processor = [], [], []
    for _ in range(rounds):  # interleaved, so both sides share the machine's ups and downs
        start = time.perf_counter()
        frame.groupby(["region", "service_type"]).size()
        baselines.append(time.perf_counter() - start)
        start, cpu_start = time.perf_counter(), time.process_time()
        assessment = engine.assess(frames)
        totals.append(time.perf_counter() - start)
        processor.append(time.process_time() - cpu_start)
    baseline, total = statistics.median(baselines), statistics.median(totals)
    print(
        f"bare groupby(['region', 'service_type']).size(): {baseline:6.3f} s  (median of {rounds}; "
        f"first {baselines[0]:.3f} s)"
    )
    print(
        f"whole gap engine (assess):                       {total:6.3f} s  (median of {rounds}; "
        f"first {totals[0]:.3f} s; {len(assessment.findings):,} findings)"
    )
    print(
        f"  CPU time of the engine, all threads: {statistics.median(processor):.3f} s (median; "
        f"it runs the network and the actor tables beside the services)"
    )
    timings = {}
    for part, function, arguments in _engine_parts(frames):
        part_start = time.perf_counter()
        function(*arguments)
        timings[part] = time.perf_counter() - part_start
    print(
        "  parts, timed again one by one: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in timings.items())
    )
    ratio = total / baseline
    print(f"ratio engine / groupby: {ratio:.1f}x (goal: at most 3x) -> {'met' if ratio <= 3 else 'NOT met'}")
    print(f"peak RSS: {_peak_rss_mb():.0f} MB")


def _engine_parts(frames: dict) -> list:
    from vawmap.gaps import coordination, coverage, network, regions

    listed = regions.listed_regions(frames["regions"])
    encoded = regions.encode_services(frames["services"], listed)
    graph = network.actor_graph(frames["actors"], frames["links"])
    return [
        ("encode services", regions.encode_services, (frames["services"], listed)),
        ("tallies (with the counting pass)", regions.tally_services, (encoded,)),
        ("accessibility (counts already made)", regions.accessibility, (encoded,)),
        ("sector coverage", coverage.sector_coverage, (frames["actors"], frames["coordination_bodies"])),
        ("function coverage", coverage.function_coverage, (frames["actors"], frames["coordination_bodies"])),
        ("body checklist", coordination.body_checklist, (frames["coordination_bodies"], frames["actors"])),
        ("actor graph", network.actor_graph, (frames["actors"], frames["links"])),
        ("actor metrics (sampled betweenness)", network.metrics_of, (frames["actors"], graph)),
        ("referral pathways", network.pathways_of, (graph, encoded, frames["services"])),
    ]


PAGES = ("overview", "stakeholders", "sectors", "regional_gaps", "coordination", "data")
# (label, page, widget key, value): the same pages with a user's choice made before the reruns
PAGE_STATES = (
    ("data, searching", "data", "search_services", "women"),
    ("regional_gaps, region open", "regional_gaps", "selected_region", "Farhollow"),
)


def sample_with_services(services: int, seed: int = 5):
    """The sample country with `services` services spread over its regions and actors."""
    from dataclasses import replace

    import numpy as np
    import pandas as pd

    from vawmap.dataset import sample_dataset

    sample = sample_dataset()
    rng = np.random.default_rng(seed)
    original = sample["services"]
    rows = original.iloc[rng.integers(0, len(original), services)].reset_index(drop=True)
    rows["region"] = pd.array(rng.choice(sample["regions"]["region"].to_numpy(dtype=object), services), dtype="string")
    frames = dict(sample.frames, services=rows)
    return replace(sample, frames=frames, token=f"bench-{services}", is_sample=False)


def _time_reruns(dataset, page: str, reruns: int, state: tuple[str, str] | None = None) -> float:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=600)
    app.session_state["dataset"] = dataset
    app.run()
    app.switch_page(f"app_pages/{page}.py").run()  # first visit: fills the caches
    if state:
        key, value = state
        if key == "selected_region":
            app.session_state[key] = value
        else:
            app.text_input(key=key).set_value(value)
        app.run()
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].value}")
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def bench_pages(services: int, reruns: int) -> None:
    from vawmap.dataset import sample_dataset

    sample = sample_dataset()
    large = sample_with_services(services)
    print(
        f"sample: {len(sample['services']):,} services; large: {len(large['services']):,} services "
        f"(same regions and actors); median of {reruns} reruns each, caches warm"
    )
    worst = 0.0
    cases = [(page, page, None) for page in PAGES] + [
        (label, page, (key, value)) for label, page, key, value in PAGE_STATES
    ]
    for label, page, state in cases:
        small_time, large_time = _time_reruns(sample, page, reruns, state), _time_reruns(large, page, reruns, state)
        worst = max(worst, large_time / small_time)
        print(
            f"  {label:<27} sample {small_time:6.3f} s   100k {large_time:6.3f} s   "
            f"ratio {large_time / small_time:4.2f}x"
        )
    print(f"worst ratio: {worst:.2f}x (goal: at most 2x) -> {'met' if worst <= 2 else 'NOT met'}")
    print(f"peak RSS: {_peak_rss_mb():.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vawmap.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest_parser = commands.add_parser("ingest", help="ingest vs pandas.read_excel(openpyxl)")
    ingest_parser.add_argument("--rows", type=int, default=100_000)
    ingest_parser.add_argument("--out", type=Path, default=Path("bench-output"))
    gaps_parser = commands.add_parser("gaps", help="the whole gap engine vs a bare groupby")
    gaps_parser.add_argument("--services", type=int, default=1_000_000)
    gaps_parser.add_argument("--regions", type=int, default=1_000)
    gaps_parser.add_argument("--actors", type=int, default=5_000)
    gaps_parser.add_argument("--rounds", type=int, default=7, help="interleaved runs of each side (medians)")
    pages_parser = commands.add_parser("pages", help="a page rerun on 100,000 services vs on the sample")
    pages_parser.add_argument("--services", type=int, default=100_000)
    pages_parser.add_argument("--reruns", type=int, default=5)
    args = parser.parse_args(argv)
    if args.command == "ingest":
        bench_ingest(args.rows, args.out)
    elif args.command == "pages":
        bench_pages(args.services, args.reruns)
    else:
        bench_gaps(args.services, args.regions, args.actors, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
