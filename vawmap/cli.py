"""python -m vawmap COMMAND ...

validate PATH... [--json] [--language en|fr|es] [--mapping FILE] [--write-mapping FILE]
                            check files; exit 0 (no errors), 1 (errors),
                            2 (a file cannot be read). Problems are worded in the language
                            (English by default), one line per problem with the rows it is on;
                            --json gives each its first row, count and rows, and its message
                            key and parameters (key, params, suggestion_key, suggestion_params),
                            and "mapping": what each sheet's columns and values were read as.
                            --mapping FILE applies a mapping profile (JSON or TOML);
                            --write-mapping FILE writes the mapping used (JSON, or TOML when
                            FILE ends in .toml), to edit and apply to next month's files
template OUT.xlsx [--data PATH...] [--language en|fr|es]   write the Excel template, its
                            instructions in the language (dropdowns list the regions and
                            actors of the given data files, when given); exit 2, and no
                            template written, when a data file cannot be read (its lists
                            would be missing without a word) or OUT cannot be written
gaps PATH... [--json] [--standards FILE] [--mapping FILE] [--language en|fr|es]   ingest
                            (through the mapping profile, when given), then the gap
                            assessment: sector coverage, regional gaps against minimum
                            standards, coordination, network, findings (findings and reasons
                            in the language asked for). First the rows loaded and set aside per
                            sheet and the problems; findings drawn from a sheet that is empty or
                            mostly set aside are withheld, and said so (--json: the "ingest"
                            key). Exit 0 when the upload has no error, 1 when it has errors
                            (rows or sheets set aside: the findings rest on what loaded), 2
                            when a file cannot be read or the standards file cannot be applied

report PATH... [--format html|xlsx] -o OUT [--boundaries GEOJSON] [--standards FILE] [--language en|fr|es]
                            the gap report as one offline HTML file (charts included) or an
                            Excel workbook (the format follows OUT's suffix unless given); the
                            map drawn from the boundaries when given. Exit codes as gaps; 2 also
                            when the boundaries cannot be read or OUT cannot be written
boundaries GEOJSON DATA... [--json] [--property NAME] [--language en|fr|es]   match the shapes
                            of a boundaries file to the regions of the data, as the Regional
                            gaps page does (by code, else by name; vawmap/places.py). --json
                            prints {"property", "matched": {region: shape label},
                            "unmatched_regions": [...], "unmatched_shapes": [...]}. Exit 0
                            when every region has a shape, 1 when some has none, 2 when a file
                            cannot be read or no property names the regions

workspace import|export|list ...   saved workspaces (see vawmap/store/commands.py)

Every error about a path is one line on stderr naming the path and why, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from vawmap.contract import sheet
from vawmap.gaps.caveats import Caveats, sheet_caveat_message
from vawmap.gaps.standards import StandardsSet
from vawmap.i18n import DEFAULT_LANGUAGE, t
from vawmap.ingest import (
    ERROR,
    PROBLEM_COLUMNS,
    IngestResult,
    SheetCounts,
    group_problems,
    ingest,
    problem_records,
    rows_text,
)
from vawmap.ingest.mapping import Mapping, ProfileError, read_profile, to_json, to_toml
from vawmap.ingest.read import prefer_system_allocator
from vawmap.messages import Message, described, message, quantity_text, render
from vawmap.store.commands import add_workspace_command
from vawmap.template import build_template
from vawmap.vocab import LANGUAGES

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
# What the system says when a path cannot be read, as catalogue keys (strerror is English only).
_OS_ERRORS = {
    FileNotFoundError: "cli.no_such_file",
    IsADirectoryError: "cli.is_a_folder",
    PermissionError: "cli.permission_denied",
}


def _read_paths(paths: list[str]) -> tuple[list[tuple[str, bytes]], list[tuple[str, Message]]]:
    """(name, bytes) of each readable path, and (path, why) for the ones that are not."""
    uploads, missing = [], []
    for path in map(Path, paths):
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError as error:
            missing.append((str(path), _os_error(error)))
    return uploads, missing


def _os_error(error: OSError) -> Message:
    key = next((key for kind, key in _OS_ERRORS.items() if isinstance(error, kind)), None)
    return message(key) if key else message("cli.os_error", reason=error.strerror or str(error))


def _write_error(error: OSError, path: str) -> Message:
    """Why a file cannot be written: a missing folder is named (the system says 'no such file')."""
    if isinstance(error, FileNotFoundError):
        return message("cli.no_such_folder", folder=str(Path(path).parent))
    return _os_error(error)


def _path_error(path: str, why: Message, language: str = DEFAULT_LANGUAGE) -> str:
    """One line naming a path that cannot be read, and why."""
    return t("cli.problem", language, severity=t("problems.error", language), where=path, text=render(why, language))


def _print_unreadable(missing: list[tuple[str, Message]], result: IngestResult, language: str) -> None:
    """On stderr, each path that could not be read and why (for the commands that go on to
    something else; validate reports them with the other problems)."""
    for path, why in missing:
        print(_path_error(path, why, language), file=sys.stderr)
    for problem in problem_records(result.problems, language):
        if problem["file"] in result.unreadable:
            text = " ".join(part for part in (problem["message"], problem["suggestion"]) if part)
            severity = t("problems.error", language)
            print(t("cli.problem", language, severity=severity, where=problem["file"], text=text), file=sys.stderr)


def _read_mapping(path: str | None, language: str) -> tuple[Mapping | None, bool]:
    """(the mapping profile at path, True), (None, True) without one, (None, False) when it
    cannot be read (said on stderr)."""
    if not path:
        return None, True
    try:
        return read_profile(Path(path).read_bytes()), True
    except OSError as error:
        print(_path_error(path, _os_error(error), language), file=sys.stderr)
    except ProfileError as problem:
        print(_path_error(path, problem.message, language), file=sys.stderr)
    return None, False


def _validate(args: argparse.Namespace) -> int:
    mapping, readable = _read_mapping(args.mapping, args.language)
    if not readable:
        return EXIT_UNREADABLE
    uploads, missing = _read_paths(args.paths)
    result = ingest(uploads, local_files=True, mapping=mapping)
    if args.write_mapping:
        profile = to_toml(result.mapping) if args.write_mapping.endswith(".toml") else to_json(result.mapping)
        if not write_file(args.write_mapping, profile.encode("utf-8"), args.language):
            return EXIT_UNREADABLE
        if not args.json:
            print(t("mapping.written", args.language, path=args.write_mapping))
    if args.json:
        report = {**result.summary(), "problems": problem_records(group_problems(result.problems), args.language)}
        report["mapping"] = result.mapping.profile()
        report["problems"] += [_missing_record(path, why, args.language) for path, why in missing]
        report["ok"] = report["ok"] and not missing
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(result, missing, args.language)
    if missing or result.unreadable:
        return EXIT_UNREADABLE
    return EXIT_OK if result.ok else EXIT_ERRORS


def _missing_record(path: str, why: Message, language: str) -> dict:
    """A path that cannot be read, as a problem record (the shape problem_records gives)."""
    said = described(why, "", language)
    return (
        dict.fromkeys(PROBLEM_COLUMNS, None)
        | {"file": path, "severity": ERROR, "message": said["text"], "count": 1, "rows": []}
        | {"key": said["key"], "params": said["params"]}
        | described(None, "suggestion", language)
    )


def _sheet_counts(name: str, counts: SheetCounts, language: str) -> str:
    """A sheet's rows read, accepted and set aside, the sheet named and the numbers written in the language."""
    numbers = {field: quantity_text(value, language) for field, value in vars(counts).items()}
    return t("cli.sheet_counts", language, sheet=sheet(name).label_in(language), **numbers)


def _print_report(result: IngestResult, missing: list[tuple[str, Message]], language: str) -> None:
    for path, why in missing:
        print(_path_error(path, why, language))
    for name, counts in result.counts.items():
        print(_sheet_counts(name, counts, language))
    _print_problems(result, language)
    if result.ok and not missing:
        print(t("cli.ok", language))


def _print_problems(result: IngestResult, language: str) -> None:
    """One line per group of problems: where (file, sheet, its rows, column), what and how to fix it."""
    for problem in problem_records(group_problems(result.problems), language):
        where = ", ".join(
            part
            for part in (
                problem["file"],
                problem["sheet"],
                rows_text(problem["rows"], problem["count"], language) if problem["rows"] else "",
                t("cli.column", language, column=problem["column"]) if problem["column"] else "",
            )
            if part
        )
        text = f"{problem['message']} {problem['suggestion']}" if problem["suggestion"] else problem["message"]
        print(
            t("cli.problem", language, severity=t(f"problems.{problem['severity']}", language), where=where, text=text)
        )


def _template(args: argparse.Namespace) -> int:
    regions, actors = [], []
    if args.data:
        uploads, missing = _read_paths(args.data)
        result = ingest(uploads, local_files=True)
        if missing or result.unreadable:
            _print_unreadable(missing, result, args.language)
            print(t("cli.template_not_written", args.language), file=sys.stderr)
            return EXIT_UNREADABLE
        if "regions" in result.frames:
            regions = result.frames["regions"]["region"].dropna().tolist()
        if "actors" in result.frames:
            actors = result.frames["actors"]["name"].dropna().tolist()
    workbook = build_template(regions=regions, actors=actors, language=args.language)
    if not write_file(args.out, workbook, args.language):
        return EXIT_UNREADABLE
    print(t("cli.template_written", args.language, path=args.out))
    return EXIT_OK


def write_file(path: str, data: bytes, language: str) -> bool:
    """Write the bytes; when that fails, say why on stderr (one line) and return False."""
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        print(_path_error(path, _write_error(error, path), language), file=sys.stderr)
        return False
    return True


def _gaps(args: argparse.Namespace) -> int:
    from vawmap.dataset import Dataset
    from vawmap.gaps.assess import assess, report_text, to_json
    from vawmap.gaps.caveats import ingest_json, intake_of

    inputs = _standards_and_boundaries(args)
    if inputs is None:
        return EXIT_UNREADABLE
    standards, _ = inputs
    mapping, readable = _read_mapping(args.mapping, args.language)
    if not readable:
        return EXIT_UNREADABLE
    result = _loaded(args.paths, args.language, mapping)
    if result is None:
        return EXIT_UNREADABLE
    dataset = Dataset().with_upload(result)
    intake = intake_of(result)
    found = dataset.caveats(intake)
    assessment = assess(dataset.frames, standards)
    assessment = replace(assessment, findings=found.shown(assessment.findings))  # none drawn from thin sheets
    if args.json:
        report = {"ingest": ingest_json(intake, found, args.language), **to_json(assessment, args.language)}
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        _print_intake(result, found, args.language)
        print(report_text(assessment, args.language))
    return EXIT_OK if result.ok else EXIT_ERRORS


def _standards_and_boundaries(args: argparse.Namespace) -> tuple[StandardsSet, dict | None] | None:
    """The standards (the file's, else the defaults) and the boundaries when the command takes
    them, read before any work: a file that cannot be used stops the command (None, and why on
    stderr). Local boundaries may be of any size, as for the boundaries command."""
    from vawmap import geo
    from vawmap.gaps.standards import StandardsProblem, default_standards, standards_from_bytes

    boundaries = getattr(args, "boundaries", None)
    standards, geojson = default_standards(), None
    try:
        if args.standards:
            standards = standards_from_bytes(Path(args.standards).read_bytes())
        if boundaries:
            geojson = geo.read_geojson(Path(boundaries).read_bytes(), limit_mb=None)
    except OSError as error:
        print(_path_error(error.filename or args.standards, _os_error(error), args.language), file=sys.stderr)
        return None
    except (StandardsProblem, geo.BoundaryProblem) as problem:
        where = args.standards if isinstance(problem, StandardsProblem) else str(boundaries)
        print(_path_error(where, problem.message, args.language), file=sys.stderr)
        return None
    return standards, geojson


def _report(args: argparse.Namespace) -> int:
    """The gap report of the data files, written to OUT (exit codes as gaps)."""
    from vawmap import geo
    from vawmap.dataset import Dataset
    from vawmap.gaps.assess import assess
    from vawmap.gaps.caveats import intake_of
    from vawmap.report import html, xlsx
    from vawmap.report.content import report_content

    inputs = _standards_and_boundaries(args)
    if inputs is None:
        return EXIT_UNREADABLE
    standards, geojson = inputs
    result = _loaded(args.paths, args.language)
    if result is None:
        return EXIT_UNREADABLE
    dataset = Dataset().with_upload(result)
    assessment = assess(dataset.frames, standards)
    boundaries = None
    if geojson is not None:
        prop = geo.best_property(geojson, dataset["regions"])
        if prop is not None:
            boundaries = geo.match_boundaries(geojson, prop, dataset["regions"], list(assessment.people.index))
        if boundaries is None or not boundaries.matched:
            print(t("regional.boundaries_none_matched", args.language), file=sys.stderr)
            boundaries = None
    content = report_content(dataset, assessment, args.language, boundaries=boundaries, intake=intake_of(result))
    kind = args.format or ("xlsx" if args.out.lower().endswith(".xlsx") else "html")
    data = xlsx.report_xlsx(content) if kind == "xlsx" else html.report_html(content)
    if not write_file(args.out, data, args.language):
        return EXIT_UNREADABLE
    print(t("report.written", args.language, path=args.out))
    return EXIT_OK if result.ok else EXIT_ERRORS


def _loaded(paths: list[str], language: str, mapping: Mapping | None = None) -> IngestResult | None:
    """The local files read and checked (any size); None, with why on stderr, when one cannot be read."""
    uploads, missing = _read_paths(paths)
    result = ingest(uploads, local_files=True, mapping=mapping)
    if missing or result.unreadable:
        _print_unreadable(missing, result, language)
        return None
    return result


def _print_intake(result: IngestResult, found: Caveats, language: str) -> None:
    """Before the findings: each sheet's rows loaded and set aside, the problems (one line per
    group), then the sheets too thin to conclude from and the findings withheld."""
    print(t("cli.rows_heading", language))
    for name, counts in result.counts.items():
        print("  " + _sheet_counts(name, counts, language))
    _print_problems(result, language)
    if found.sheets:
        print(t("cli.caveats_heading", language))
        for caveat in found.sheets:
            print("  " + render(sheet_caveat_message(caveat), language))
        for withheld in found.withheld:
            print("  " + render(withheld.message, language))
    print()


def _boundaries(args: argparse.Namespace) -> int:
    from vawmap import geo
    from vawmap.dataset import Dataset
    from vawmap.gaps.regions import region_list

    try:
        geojson = geo.read_geojson(Path(args.geojson).read_bytes(), limit_mb=None)  # local files: any size
    except OSError as error:
        print(_path_error(args.geojson, _os_error(error), args.language), file=sys.stderr)
        return EXIT_UNREADABLE
    except geo.BoundaryProblem as problem:
        print(_path_error(args.geojson, problem.message, args.language), file=sys.stderr)
        return EXIT_UNREADABLE
    result = _loaded(args.paths, args.language)
    if result is None:
        return EXIT_UNREADABLE
    dataset = Dataset().with_upload(result)
    names = region_list(dataset["regions"], dataset["services"])
    prop = args.property or geo.best_property(geojson, dataset["regions"], names)
    if prop is None:
        print(_path_error(args.geojson, message("cli.boundaries_no_property"), args.language), file=sys.stderr)
        return EXIT_UNREADABLE
    match = geo.match_boundaries(geojson, prop, dataset["regions"], names)
    report = {
        "property": prop,
        "matched": match.shapes,
        "unmatched_regions": match.regions_without_shape,
        "unmatched_shapes": match.shapes_without_region,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(t("cli.boundaries_property", args.language, property=prop))
        print(t("cli.boundaries_matched", args.language, count=len(match.shapes)))
        for region, shape in match.shapes.items():
            print(f"  {region} <- {shape}")
        for heading, values in (
            ("cli.boundaries_unmatched_regions", match.regions_without_shape),
            ("cli.boundaries_unmatched_shapes", match.shapes_without_region),
        ):
            print(t(heading, args.language, count=len(values)))
            for value in values:
                print(f"  {value}")
    return EXIT_ERRORS if match.regions_without_shape else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vawmap", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check workbooks or CSV files against the data contract")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--json", action="store_true", help="print one JSON object")
    validate.add_argument("--mapping", metavar="FILE", help="apply this mapping profile (JSON or TOML)")
    validate.add_argument("--write-mapping", metavar="FILE", help="write the mapping used (JSON; TOML for .toml)")
    _add_language(validate, "the language of the problems (text and JSON)")
    validate.set_defaults(run=_validate)
    template = commands.add_parser("template", help="write the Excel template")
    template.add_argument("out", metavar="OUT.xlsx")
    template.add_argument("--data", nargs="*", metavar="PATH", help="take region and actor lists from these files")
    _add_language(template, "the language of the instructions sheet")
    template.set_defaults(run=_template)
    gaps = commands.add_parser("gaps", help="gap assessment of a dataset")
    gaps.add_argument("paths", nargs="+", metavar="PATH")
    gaps.add_argument("--json", action="store_true", help="print one JSON object")
    gaps.add_argument("--standards", metavar="FILE", help="a standards TOML file (default: the built-in one)")
    gaps.add_argument("--mapping", metavar="FILE", help="apply this mapping profile (JSON or TOML)")
    _add_language(gaps, "the language of findings and reasons (text and JSON)")
    gaps.set_defaults(run=_gaps)
    report = commands.add_parser("report", help="the gap report as one offline HTML file or an Excel workbook")
    report.add_argument("paths", nargs="+", metavar="PATH")
    report.add_argument("--format", choices=("html", "xlsx"), help="default: from OUT's suffix (.xlsx or else html)")
    report.add_argument("-o", "--out", required=True, metavar="OUT")
    report.add_argument(
        "--boundaries", metavar="GEOJSON", help="region boundaries to draw the map (default: a tile grid)"
    )
    report.add_argument("--standards", metavar="FILE", help="a standards TOML file (default: the built-in one)")
    _add_language(report, "the language of the report")
    report.set_defaults(run=_report)
    boundaries = commands.add_parser("boundaries", help="match a boundaries GeoJSON to the regions of the data")
    boundaries.add_argument("geojson", metavar="GEOJSON")
    boundaries.add_argument("paths", nargs="+", metavar="DATA")
    boundaries.add_argument("--json", action="store_true", help="print one JSON object")
    boundaries.add_argument("--property", metavar="NAME", help="the property naming the regions (default: the best)")
    _add_language(boundaries, "the language of the text output")
    boundaries.set_defaults(run=_boundaries)
    add_workspace_command(commands, _add_language)
    return parser


def _add_language(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help=f"{what} (default: en)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    prefer_system_allocator()
    return args.run(args)
