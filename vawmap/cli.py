"""python -m vawmap COMMAND ...

validate PATH... [--json]   check files; exit 0 (no errors), 1 (errors), 2 (a file cannot be read)
template OUT.xlsx [--data PATH...]   write the Excel template (dropdowns list the regions
                            and actors of the given data files, when given)
gaps PATH... [--json] [--standards FILE] [--language en|fr|es]   ingest, then the gap
                            assessment: sector coverage, regional gaps against minimum
                            standards, coordination, network, findings (findings and reasons
                            in the language asked for); exit 2 when a file cannot be read
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vawmap.i18n import DEFAULT_LANGUAGE, t
from vawmap.ingest import PROBLEM_COLUMNS, IngestResult, ingest, problem_records
from vawmap.template import build_template
from vawmap.vocab import LANGUAGES

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def _read_paths(paths: list[str]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(name, bytes) of each readable path, and the messages for the ones that are not."""
    uploads, missing = [], []
    for path in map(Path, paths):
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError as error:
            missing.append(f"{path}: {error.strerror or error}")
    return uploads, missing


def _validate(args: argparse.Namespace) -> int:
    uploads, missing = _read_paths(args.paths)
    result = ingest(uploads)
    if args.json:
        report = {**result.summary(), "problems": problem_records(result.problems)}
        report["problems"] += [_missing_record(message) for message in missing]
        report["ok"] = report["ok"] and not missing
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(result, missing)
    if missing or result.unreadable:
        return EXIT_UNREADABLE
    return EXIT_OK if result.ok else EXIT_ERRORS


def _missing_record(message: str) -> dict:
    file, _, reason = message.partition(": ")
    return dict.fromkeys(PROBLEM_COLUMNS, None) | {"file": file, "severity": "error", "message": reason}


def _print_report(result: IngestResult, missing: list[str]) -> None:
    for message in missing:
        print(f"error: {message}")
    for name, counts in result.counts.items():
        print(f"{name}: {counts.rows} rows, {counts.accepted} accepted, {counts.rejected} set aside")
    for problem in problem_records(result.problems):
        where = ", ".join(
            part
            for part in (
                problem["file"],
                problem["sheet"],
                f"row {problem['row']}" if problem["row"] else "",
                f"column '{problem['column']}'" if problem["column"] else "",
            )
            if part
        )
        fix = f" {problem['suggestion']}" if problem["suggestion"] else ""
        print(f"{problem['severity']}: {where}: {problem['message']}{fix}")
    if result.ok and not missing:
        print(t("cli.ok"))


def _template(args: argparse.Namespace) -> int:
    regions, actors = [], []
    if args.data:
        uploads, missing = _read_paths(args.data)
        for message in missing:
            print(f"error: {message}", file=sys.stderr)
        frames = ingest(uploads).frames
        if "regions" in frames:
            regions = frames["regions"]["region"].dropna().tolist()
        if "actors" in frames:
            actors = frames["actors"]["name"].dropna().tolist()
    Path(args.out).write_bytes(build_template(regions=regions, actors=actors))
    print(t("cli.template_written", path=args.out))
    return EXIT_OK


def _gaps(args: argparse.Namespace) -> int:
    from vawmap.dataset import Dataset
    from vawmap.gaps.assess import assess, report_text, to_json
    from vawmap.gaps.standards import default_standards, standards_from_toml

    uploads, missing = _read_paths(args.paths)
    for message in missing:
        print(f"error: {message}", file=sys.stderr)
    result = ingest(uploads)
    for name in result.unreadable:
        print(f"error: {t('cli.unreadable', file=name)}", file=sys.stderr)
    if missing or result.unreadable:
        return EXIT_UNREADABLE
    standards = standards_from_toml(Path(args.standards).read_text()) if args.standards else default_standards()
    assessment = assess(Dataset().with_upload(result).frames, standards)
    if args.json:
        print(json.dumps(to_json(assessment, args.language), ensure_ascii=False, indent=2, default=str))
    else:
        print(report_text(assessment, args.language))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vawmap", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check workbooks or CSV files against the data contract")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--json", action="store_true", help="print one JSON object")
    validate.set_defaults(run=_validate)
    template = commands.add_parser("template", help="write the Excel template")
    template.add_argument("out", metavar="OUT.xlsx")
    template.add_argument("--data", nargs="*", metavar="PATH", help="take region and actor lists from these files")
    template.set_defaults(run=_template)
    gaps = commands.add_parser("gaps", help="gap assessment of a dataset")
    gaps.add_argument("paths", nargs="+", metavar="PATH")
    gaps.add_argument("--json", action="store_true", help="print one JSON object")
    gaps.add_argument("--standards", metavar="FILE", help="a standards TOML file (default: the built-in one)")
    gaps.add_argument(
        "--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="the language of findings and reasons"
    )
    gaps.set_defaults(run=_gaps)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
