"""Benchmarks: scripts that print measured figures, never pass/fail tests.

  python -m vawmap.bench ingest [--rows 1000000 --xlsx-rows 100000 --rounds 3]
  python -m vawmap.bench gaps [--services 1000000 --small-services 100000 --regions 1000 --actors 5000]
  python -m vawmap.bench pages [--services 100000]
  python -m vawmap.bench hostile [--out bench-output] [--fast]
  python -m vawmap.bench store [--services 100000 --rounds 5 --url URL]

`ingest` builds a services CSV of --rows rows and a services workbook of --xlsx-rows rows (plus
actors and regions sheets, so references are resolved), in the messy shapes real files have,
then times, in one run, each side in a fresh child process (peak memory is the child's VmHWM,
read from /proc at its end), the sides interleaved over --rounds rounds (medians):
  CSV   vawmap: what `python -m vawmap gaps CSV --json` does, end to end (read, ingest, the
        gap assessment, the JSON written), against pandas.read_csv(engine="pyarrow") and a
        groupby(["Region", "Service type"]).size(). Goals: at most 3x the time, 2.5x the memory.
  XLSX  vawmap's full ingest (read + headers + normalise + validate + references) against
        pandas.read_excel(sheet_name=None, engine="calamine"), read only. Goal: at most 1.5x.
Both sides' times are measured inside the child, after its imports.

`gaps` builds two datasets in memory (vawmap.synthetic.build_dataset: 1,000 regions, 5,000
actors and 10,000 links, with 1,000,000 and 100,000 services) and times, in one process and interleaved, the
whole gap engine (`assess`) on each against a bare `groupby(["region", "service_type"]).size()`
on the large one's services. It prints medians of wall-clock and of CPU time (the engine runs
on one thread: its CPU time is its wall time, give or take the machine's noise), and the time
Python's garbage collector took during the engine's rounds: a full collection walks every object
of the process and is billed to whichever round triggers it, which spreads the rounds.
Goals: the whole engine within 4x that bare groupby, in wall-clock and in CPU time; the whole
engine within 0.15 s at 100,000 services.

`hostile` writes the hostile corpus (tests/hostile_corpus.py: far cells, zip bombs, entity
expansion, hundreds of sheets, a million-row CSV, long cells, stray quotes, NULs, encodings,
formula, Markdown and survivor payloads) and answers each file two ways, measuring wall time
and peak memory: through the CLI (`python -m vawmap validate FILE --json`, a whole process: its
peak resident memory) and through the upload check (the limited child process of
vawmap/ingest/isolated.py); peak memory is each process's VmHWM, read from /proc every 5 ms. Files over the upload limit
go through the CLI only, as a browser cannot send them. Goal: every file answered within 10 s
and 1 GB.

`store` saves the sample country with 100,000 services as a workspace version and opens the
newest version again (vawmap/store), in one run against a bare `DataFrame.to_sql` of the same
frames (one table per sheet) and `read_sql` of them back, on a fresh SQLite file (or the
database of `--url`); medians of interleaved rounds, and the ratios. It also times an edit of one
cell of those services saved through the merge (vawmap/editing.py save_edit).
Goals: a version saved within 2 s and the newest version opened within 1 s.

`pages` runs every dashboard page with Streamlit's AppTest, on the sample country and on the
same country with 100,000 services, and times a rerun (caches warm, as when a user clicks):
Goal: a rerun on 100,000 services within 2x the same rerun on the sample.
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
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


def build_services_csv(rows: int, seed: int = 7) -> bytes:
    """A services CSV of `rows` rows in the shape of build_workbook's services sheet, built
    with numpy (a million rows in seconds): mixed spellings of types and yes/no, French
    values, blanks, day-first dates, numbers with and without decimals."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)

    def pick(values: list) -> np.ndarray:
        return np.asarray(values, dtype=object)[rng.integers(0, len(values), rows)]

    def numbered(prefix: str, count: int) -> np.ndarray:
        return np.char.add(prefix, rng.integers(0, count, rows).astype(str))

    capacity = pd.array(rng.integers(0, 40, rows), dtype="Int64")
    capacity[rng.random(rows) < 0.3] = pd.NA
    frame = pd.DataFrame(
        {
            "Provider": numbered("Organisation ", 150),
            "Service type": pick(SERVICE_TYPES),
            "Region": pick(REGIONS),
            "District": numbered("District ", 60),
            "Location": numbered("Town ", 900),
            "Latitude": rng.uniform(-20, -14, rows).round(5),
            "Longitude": rng.uniform(30, 38, rows).round(5),
            "Capacity": capacity,
            "Open 24/7": pick(YES_NO),
            "Free of charge": pick(YES_NO),
            "Target groups": pick(TARGETS),
            "Status": pick(["active", "Actif", "planned", ""]),
            "Last verified": pick(["2026-03-01", "15/04/2026", ""]),
        }
    )
    return frame.to_csv(index=False).encode()


# Each side of `ingest`, run by a fresh interpreter: the seconds of its work after its imports,
# then its peak resident memory (VmHWM, the whole process), printed as one JSON line.
_CHILD_END = """
seconds = time.perf_counter() - start
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))
"""
# Imports are outside the clock on both sides (the baseline's `import pandas` too): what the
# `gaps` command imports when it runs, and pandera's checks, which it imports (with hypothesis,
# when installed) on its first validation.
_IMPORTS_OF_GAPS = """
import vawmap.dataset, vawmap.gaps.assess, vawmap.gaps.caveats, vawmap.gaps.standards
import pandera.backends.pandas.builtin_checks
"""
_SIDES = {
    "csv_baseline": """
import json, sys, time
import pandas as pd
start = time.perf_counter()
frame = pd.read_csv(sys.argv[1], engine="pyarrow")
counts = frame.groupby(["Region", "Service type"]).size()
""",
    "csv_vawmap": """
import contextlib, io, json, os, sys, time
from vawmap import cli
"""
    + _IMPORTS_OF_GAPS
    + """
start = time.perf_counter()
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    code = cli.main(["gaps", sys.argv[1], "--json"])
""",
    "xlsx_baseline": """
import json, sys, time
import pandas as pd
start = time.perf_counter()
frames = pd.read_excel(sys.argv[1], sheet_name=None, engine="calamine")
""",
    "xlsx_vawmap": """
import json, sys, time
from pathlib import Path
from vawmap.ingest import ingest
"""
    + _IMPORTS_OF_GAPS
    + """
data = Path(sys.argv[1]).read_bytes()
start = time.perf_counter()
result = ingest([(Path(sys.argv[1]).name, data)], local_files=True)
""",
}


def _run_side(side: str, path: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one side in a fresh interpreter."""
    import json
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _SIDES[side] + _CHILD_END, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["peak_mb"]


INGEST_CSV_TIME_GOAL, INGEST_CSV_MEMORY_GOAL, INGEST_XLSX_TIME_GOAL = 3.0, 2.5, 1.5


def _compare(label: str, baseline: str, ours: str, path: Path, rounds: int) -> tuple[float, float]:
    """Interleaved rounds of both sides, after one of each not counted: prints medians, returns
    the time and memory ratios. (The first rounds of a fresh file ran up to twice as slow: the
    file and the interpreters' own files coming into the page cache.)"""
    figures: dict[str, list[tuple[float, float]]] = {baseline: [], ours: []}
    for side in figures:
        _run_side(side, path)  # the warm-up round
    for _ in range(rounds):
        for side in figures:
            figures[side].append(_run_side(side, path))
    medians = {
        side: (statistics.median(s for s, _ in runs), statistics.median(mb for _, mb in runs))
        for side, runs in figures.items()
    }
    for side, (seconds, peak_mb) in medians.items():
        times = ", ".join(f"{s:.2f}" for s, _ in figures[side])
        print(f"  {label} {side:14} {seconds:7.2f} s (rounds: {times})  peak {peak_mb:6.0f} MB")
    time_ratio = medians[ours][0] / medians[baseline][0]
    memory_ratio = medians[ours][1] / medians[baseline][1]
    return time_ratio, memory_ratio


def _verdict(ratio: float, goal: float) -> str:
    return f"{ratio:.2f}x (goal: at most {goal:g}x) -> {'met' if ratio <= goal else 'NOT met'}"


def bench_ingest(rows: int, xlsx_rows: int, rounds: int, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = out_dir / f"services_{rows}.csv", out_dir / f"services_{xlsx_rows}.xlsx"
    for path, build, count in ((csv_path, build_services_csv, rows), (xlsx_path, build_workbook, xlsx_rows)):
        if not path.exists():
            start = time.perf_counter()
            path.write_bytes(build(count))
            print(f"built {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
    print(f"medians of {rounds} interleaved rounds after a warm-up round, each side in a fresh process")
    print(f"CSV: {rows:,} services, {csv_path.stat().st_size / 1e6:.0f} MB")
    csv_time, csv_memory = _compare("csv ", "csv_baseline", "csv_vawmap", csv_path, rounds)
    print(f"XLSX: {xlsx_rows:,} services (+150 actors, 16 regions)")
    xlsx_time, xlsx_memory = _compare("xlsx", "xlsx_baseline", "xlsx_vawmap", xlsx_path, rounds)
    print(f"CSV gaps end to end / read_csv(pyarrow) + groupby, time:   {_verdict(csv_time, INGEST_CSV_TIME_GOAL)}")
    print(f"CSV gaps end to end / read_csv(pyarrow) + groupby, memory: {_verdict(csv_memory, INGEST_CSV_MEMORY_GOAL)}")
    print(f"XLSX ingest / read_excel(calamine), time:                  {_verdict(xlsx_time, INGEST_XLSX_TIME_GOAL)}")
    print(f"XLSX ingest / read_excel(calamine), memory:                {xlsx_memory:.2f}x (no goal)")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


GAPS_RATIO_GOAL = 4.0  # the engine against the bare groupby, wall-clock and CPU time alike
GAPS_SMALL_GOAL = 0.15  # seconds for the whole engine at --small-services


@dataclass
class Timings:
    """Wall-clock and CPU seconds of the rounds of one side of a benchmark."""

    wall: list = field(default_factory=list)
    cpu: list = field(default_factory=list)

    def measure(self, function, *arguments):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*arguments)
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        return result

    def text(self) -> str:
        return (
            f"wall {statistics.median(self.wall):6.3f} s ({min(self.wall):.3f}-{max(self.wall):.3f}), "
            f"CPU {statistics.median(self.cpu):6.3f} s ({min(self.cpu):.3f}-{max(self.cpu):.3f})"
        )


@dataclass
class Collector:
    """Time Python's cyclic garbage collector spends while `counting` (a gc callback)."""

    counting: bool = False
    seconds: float = 0.0
    full: int = 0  # collections of the oldest generation: every object of the process
    started: float = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        elif self.counting:
            self.seconds += time.perf_counter() - self.started
            self.full += info["generation"] == 2


def bench_gaps(services: int, small_services: int, regions: int, actors: int, rounds: int = 7) -> None:
    from vawmap.gaps.assess import assess
    from vawmap.synthetic import build_dataset

    start = time.perf_counter()
    large, small = build_dataset(services, regions, actors), build_dataset(small_services, regions, actors)
    print(
        f"built {services:,} and {small_services:,} services, {regions:,} regions, {actors:,} actors, "
        f"{len(large['links']):,} links in {time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    assessment = assess(large)
    print(f"first (cold) call of the engine on {services:,} services: {time.perf_counter() - start:.3f} s")
    groupby, engine, engine_small, collector = Timings(), Timings(), Timings(), Collector()
    gc.callbacks.append(collector)
    for _ in range(rounds):  # interleaved, so every side shares the machine's ups and downs
        groupby.measure(lambda: large["services"].groupby(["region", "service_type"]).size())
        collector.counting = True
        engine.measure(assess, large)
        engine_small.measure(assess, small)
        collector.counting = False
    gc.callbacks.remove(collector)
    print(f"medians (and ranges) of {rounds} interleaved rounds:")
    print(f"  bare groupby(['region', 'service_type']).size(), {services:,} services: {groupby.text()}")
    print(f"  whole gap engine (assess), {services:,} services:                      {engine.text()}")
    print(f"  whole gap engine (assess), {small_services:,} services:                        {engine_small.text()}")
    print(f"  ({len(assessment.findings):,} findings on {services:,} services)")
    print(
        f"  garbage collection during the engine's {2 * rounds} rounds: {collector.seconds:.3f} s in all, "
        f"{collector.full} full collections"
    )
    parts = {name: Timings() for name, _, _ in _engine_parts(large)}
    for _ in range(3):
        for name, function, arguments in _engine_parts(large):
            parts[name].measure(function, *arguments)
    print(
        "  parts, timed again one by one (median CPU of 3): "
        + ", ".join(f"{name} {statistics.median(timings.cpu):.3f} s" for name, timings in parts.items())
    )
    for kind in ("wall", "cpu"):
        ratio = statistics.median(getattr(engine, kind)) / statistics.median(getattr(groupby, kind))
        verdict = "met" if ratio <= GAPS_RATIO_GOAL else "NOT met"
        print(f"{kind} ratio engine / groupby: {ratio:.1f}x (goal: at most {GAPS_RATIO_GOAL:g}x) -> {verdict}")
    small_time = statistics.median(engine_small.wall)
    verdict = "met" if small_time <= GAPS_SMALL_GOAL else "NOT met"
    print(f"engine at {small_services:,} services: {small_time:.3f} s (goal: at most {GAPS_SMALL_GOAL} s) -> {verdict}")
    print(f"peak RSS: {_peak_rss_mb():.0f} MB")


def _engine_parts(frames: dict) -> list:
    """(name, function, arguments) of each part of the engine, its inputs computed beforehand."""
    from vawmap.gaps import coordination, coverage, regions
    from vawmap.gaps.graph import actor_graph
    from vawmap.gaps.metrics import actor_metrics
    from vawmap.gaps.pathways import referral_pathways
    from vawmap.gaps.standards import default_standards

    listed = regions.listed_regions(frames["regions"])
    encoded = regions.encode_services(frames["services"], listed)
    tallies = regions.tally_services(encoded)
    graph = actor_graph(frames["actors"], frames["links"])
    return [
        ("encode services", regions.encode_services, (frames["services"], listed)),
        ("count services", regions.count_services, (encoded,)),
        ("tallies", regions.tally_services, (encoded,)),
        ("accessibility", regions.accessibility, (encoded,)),
        ("coverage scores", regions.coverage_scores, (tallies, default_standards())),
        ("sector coverage", coverage.sector_coverage, (frames["actors"], frames["coordination_bodies"])),
        ("function coverage", coverage.function_coverage, (frames["actors"], frames["coordination_bodies"])),
        ("body checklist", coordination.body_checklist, (frames["coordination_bodies"], frames["actors"])),
        ("actor graph", actor_graph, (frames["actors"], frames["links"])),
        ("actor metrics", actor_metrics, (frames["actors"], graph)),
        ("referral pathways", referral_pathways, (encoded, graph, frames["services"])),
    ]


PAGES = ("overview", "stakeholders", "sectors", "regional_gaps", "coordination", "data")
# (label, page, widget key, value): the same pages with a user's choice made before the reruns
PAGE_STATES = (
    ("data, searching", "data", "search_services", "women"),
    ("regional_gaps, region open", "regional_gaps", "selected_region", "Farhollow"),
)


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
    from vawmap.synthetic import sample_with_services

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


HOSTILE_SECONDS_GOAL = 10.0
HOSTILE_MB_GOAL = 1024.0


@dataclass
class Answer:
    """How one file was answered: what was said, in how long, with how much memory."""

    said: str
    seconds: float
    peak_mb: float

    def within_goal(self) -> bool:
        return self.seconds <= HOSTILE_SECONDS_GOAL and self.peak_mb <= HOSTILE_MB_GOAL


def _through_cli(path: Path) -> Answer:
    """`python -m vawmap validate PATH --json` in its own process. Its peak memory is read from
    /proc (VmHWM), not from wait4: a child's ru_maxrss starts at its parent's size when it forks."""
    import json
    import subprocess

    watch = _PeakWatch()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "vawmap", "validate", str(path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    watch(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    code = process.returncode
    try:
        summary = json.loads(output)
        keys = sorted({problem["key"] for problem in summary["problems"] if problem["severity"] == "error"})
        said = f"exit {code} " + (
            ",".join(keys) if keys else f"{sum(sheet['accepted'] for sheet in summary['sheets'].values())} rows"
        )
    except (ValueError, KeyError, TypeError):
        said = f"exit {code} (no JSON)"
    return Answer(said, seconds, watch.peak_mb())


class _PeakWatch:
    """The peak resident memory (VmHWM) of a process, read from /proc every 5 ms until it ends."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._threads: list = []

    def __call__(self, pid: int) -> None:
        import threading

        thread = threading.Thread(target=self._watch, args=(pid,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self, pid: int) -> None:
        while True:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return
            lines = [line for line in status.splitlines() if line.startswith("VmHWM:")]
            if not lines:  # a zombie: it has ended
                return
            self.peak_kb = max(self.peak_kb, int(lines[0].split()[1]))
            time.sleep(0.005)

    def peak_mb(self) -> float:
        for thread in self._threads:
            thread.join()
        return self.peak_kb / 1024


def _through_upload_check(path: Path) -> Answer:
    import pickle

    from vawmap.ingest.isolated import pickled_ingest

    data = path.read_bytes()
    watch = _PeakWatch()
    start = time.perf_counter()
    result = pickle.loads(pickled_ingest([(path.name, data)], on_start=watch))
    seconds = time.perf_counter() - start
    errors = result.problems[result.problems["severity"] == "error"]
    keys = sorted({message.key for message in errors["message"]})
    said = ",".join(keys) if keys else f"{sum(counts.accepted for counts in result.counts.values())} rows"
    return Answer(said, seconds, watch.peak_mb())


def bench_hostile(out_dir: Path, fast_only: bool) -> None:
    # The corpus is the tests' (run from the repository's root, as the other benchmarks are).
    from tests.hostile_corpus import write_corpus
    from vawmap.ingest.read import UPLOAD_LIMIT_MB

    start = time.perf_counter()
    corpus = write_corpus(out_dir / "hostile", fast_only=fast_only)
    print(f"wrote {len(corpus)} files to {out_dir / 'hostile'} in {time.perf_counter() - start:.1f} s")
    print(f"goal: every file answered within {HOSTILE_SECONDS_GOAL:.0f} s and {HOSTILE_MB_GOAL:.0f} MB\n")
    header = f"{'file':30} {'size MB':>8}  {'expected':30} {'CLI: answer':34} {'s':>6} {'MB':>6}"
    print(header + f"  {'upload check: answer':34} {'s':>6} {'MB':>6}")
    missed = 0
    for case, path in corpus:
        size = path.stat().st_size
        cli = _through_cli(path)
        row = f"{case.name:30} {size / 1e6:8.2f}  {(case.expect + ' ' + case.key):30} "
        row += f"{cli.said[:34]:34} {cli.seconds:6.2f} {cli.peak_mb:6.0f}"
        missed += not cli.within_goal()
        if size <= UPLOAD_LIMIT_MB * 1024 * 1024:
            upload = _through_upload_check(path)
            row += f"  {upload.said[:34]:34} {upload.seconds:6.2f} {upload.peak_mb:6.0f}"
            missed += not upload.within_goal()
        else:
            row += f"  {'(over the upload limit)':34}"
        print(row)
    print(f"\nanswers outside the goal: {missed}")


def _median(times: list[float]) -> float:
    return statistics.median(times)


def bench_store(services: int, rounds: int, url: str | None) -> None:
    import tempfile

    import pandas as pd
    from sqlalchemy import create_engine

    from vawmap.editing import editor_frame, keyed_version, save_edit
    from vawmap.store import create_workspace, load_version, open_store, save_version
    from vawmap.synthetic import sample_with_services

    frames = sample_with_services(services).frames
    folder = Path(tempfile.mkdtemp(prefix="vawmap-bench-store-"))
    store = open_store(url or f"sqlite:///{folder / 'vawmap-store.sqlite'}")
    bare = create_engine(f"sqlite:///{folder / 'bare.sqlite'}") if url is None else store
    workspace = f"bench {time.time_ns()}"
    create_workspace(store, workspace)
    print(
        f"{store.dialect.name}: {len(frames['services']):,} services, {len(frames['actors']):,} actors, "
        f"{sum(len(frame) for frame in frames.values()):,} rows in all; median of {rounds} interleaved rounds"
    )
    saves, opens, writes, reads = [], [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        save_version(store, workspace, frames, author="bench")
        saves.append(time.perf_counter() - start)
        start = time.perf_counter()
        load_version(store, workspace)
        opens.append(time.perf_counter() - start)
        start = time.perf_counter()
        for name, frame in frames.items():
            frame.to_sql(f"bare_{name}", bare, if_exists="replace", index=False)
        writes.append(time.perf_counter() - start)
        start = time.perf_counter()
        for name in frames:
            pd.read_sql(f"SELECT * FROM bare_{name}", bare)
        reads.append(time.perf_counter() - start)
    save_time, open_time, write_time, read_time = map(_median, (saves, opens, writes, reads))
    print(
        f"  save a version  {save_time:7.3f} s  bare to_sql   {write_time:7.3f} s  ratio {save_time / write_time:5.2f}"
    )
    print(f"  open the newest {open_time:7.3f} s  bare read_sql {read_time:7.3f} s  ratio {open_time / read_time:5.2f}")
    newest = keyed_version(store, workspace)
    shown = editor_frame("services", newest["services"])
    shown.loc[0, "capacity"] = 12
    start = time.perf_counter()
    outcome = save_edit(store, workspace, rounds, {"services": shown}, author="bench")
    edit_time = time.perf_counter() - start
    print(f"  an edit of one cell of {services:,} services, merged, checked and saved: {edit_time:.3f} s")
    assert outcome.saved is not None
    met = save_time <= 2 and open_time <= 1
    print(f"goals (save <= 2 s, open <= 1 s): {'met' if met else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vawmap.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest_parser = commands.add_parser("ingest", help="gaps on a CSV vs read_csv, ingest of an XLSX vs read_excel")
    ingest_parser.add_argument("--rows", type=int, default=1_000_000, help="services in the CSV")
    ingest_parser.add_argument("--xlsx-rows", type=int, default=100_000, help="services in the workbook")
    ingest_parser.add_argument("--rounds", type=int, default=5, help="interleaved runs of each side (medians)")
    ingest_parser.add_argument("--out", type=Path, default=Path("bench-output"))
    gaps_parser = commands.add_parser("gaps", help="the whole gap engine vs a bare groupby")
    gaps_parser.add_argument("--services", type=int, default=1_000_000)
    gaps_parser.add_argument("--small-services", type=int, default=100_000, help="the second, smaller case")
    gaps_parser.add_argument("--regions", type=int, default=1_000)
    gaps_parser.add_argument("--actors", type=int, default=5_000)
    gaps_parser.add_argument("--rounds", type=int, default=7, help="interleaved runs of each side (medians)")
    pages_parser = commands.add_parser("pages", help="a page rerun on 100,000 services vs on the sample")
    pages_parser.add_argument("--services", type=int, default=100_000)
    pages_parser.add_argument("--reruns", type=int, default=5)
    store_parser = commands.add_parser("store", help="saving and opening a workspace version vs bare to_sql/read_sql")
    store_parser.add_argument("--services", type=int, default=100_000)
    store_parser.add_argument("--rounds", type=int, default=5)
    store_parser.add_argument("--url", help="a database URL (default: a fresh SQLite file)")
    hostile_parser = commands.add_parser("hostile", help="the hostile corpus through the CLI and the upload check")
    hostile_parser.add_argument("--out", type=Path, default=Path("bench-output"))
    hostile_parser.add_argument("--fast", action="store_true", help="only the small files the tests use")
    args = parser.parse_args(argv)
    if args.command == "hostile":
        bench_hostile(args.out, args.fast)
    elif args.command == "ingest":
        bench_ingest(args.rows, args.xlsx_rows, args.rounds, args.out)
    elif args.command == "pages":
        bench_pages(args.services, args.reruns)
    elif args.command == "store":
        bench_store(args.services, args.rounds, args.url)
    else:
        bench_gaps(args.services, args.small_services, args.regions, args.actors, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
