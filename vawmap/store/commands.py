"""python -m vawmap workspace import|export|list, on the store the app uses
(VAWMAP_DATA_DIR / VAWMAP_DATABASE_URL).

workspace import PATH... --name NAME [--author A] [--note N] [--language en|fr|es]
                            a new workspace (or a new version of an existing one) from files;
                            exit 1 when the files have errors (rows or sheets set aside: the
                            version holds what loaded), 2 when a file cannot be read; a
                            backup's workshop record is added to the workspace's, and its
                            scorecards and criteria replace the workspace's
workspace export NAME -o OUT.xlsx [--version N]   every sheet, the version notes, the workshop
                            record and scorecards, as one .xlsx that imports again as it is
workspace compare NAME V1 V2 [--json]   actors added, removed and changed, services added
                            and removed, each region's standard ratios before and after,
                            findings resolved and new
workspace list [--json]     the workspaces, their versions and the newest one
The app opens a workspace at /?ws=NAME (and a version at /?ws=NAME&v=N).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from vawmap.dataset import Dataset
from vawmap.i18n import t
from vawmap.messages import render
from vawmap.store import backup
from vawmap.store.database import open_store
from vawmap.store.workshop import record_frames, restore_records
from vawmap.store.workspaces import (
    StoreError,
    create_workspace,
    list_workspaces,
    load_version,
    save_version,
    source_record,
    versions_of,
)

EXIT_OK, EXIT_ERRORS, EXIT_FAILED = 0, 1, 2


def add_workspace_command(commands, add_language) -> None:
    """The `workspace` command and its three subcommands, on the CLI's subparsers."""
    workspace = commands.add_parser("workspace", help="saved workspaces: import, export, compare, list, passphrase")
    actions = workspace.add_subparsers(dest="action", required=True)
    importing = actions.add_parser("import", help="files into a workspace, as its next version")
    importing.add_argument("paths", nargs="+", metavar="PATH")
    importing.add_argument("--name", required=True, help="the workspace (made when it does not exist)")
    importing.add_argument("--author", default=getpass.getuser(), help="who saves (default: the login name)")
    importing.add_argument("--note", default="", help="what this version is")
    add_language(importing, "the language of the messages and of a new workspace")
    importing.set_defaults(run=_import)
    exporting = actions.add_parser("export", help="a workspace version as one .xlsx")
    exporting.add_argument("name")
    exporting.add_argument("-o", "--out", required=True, metavar="OUT.xlsx")
    exporting.add_argument("--version", type=int, help="the version's number (default: the newest)")
    add_language(exporting, "the language of the messages")
    exporting.set_defaults(run=_export)
    comparing = actions.add_parser("compare", help="what changed between two versions")
    comparing.add_argument("name")
    comparing.add_argument("before", type=int, metavar="V1")
    comparing.add_argument("after", type=int, metavar="V2")
    comparing.add_argument("--json", action="store_true", help="print one JSON object")
    add_language(comparing, "the language of the findings")
    comparing.set_defaults(run=_compare)
    protecting = actions.add_parser("passphrase", help="set or remove a workspace's editor passphrase")
    protecting.add_argument("name")
    protecting.add_argument("--remove", action="store_true", help="remove it: anyone may change the workspace")
    add_language(protecting, "the language of the messages and prompts")
    protecting.set_defaults(run=_passphrase)
    listing = actions.add_parser("list", help="the workspaces and their versions")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    add_language(listing, "the language of the messages")
    listing.set_defaults(run=_list)


def _import(args: argparse.Namespace) -> int:
    from vawmap.cli import _print_report, _read_paths  # the CLI's own reading and reporting
    from vawmap.ingest import ingest

    uploads, missing = _read_paths(args.paths)
    result = ingest(uploads, local_files=True)
    _print_report(result, missing, args.language)
    if missing or result.unreadable or not result.loadable:
        print(t("store.not_imported", args.language, name=args.name), file=sys.stderr)
        return EXIT_FAILED
    engine = open_store()
    if args.name not in {space.name for space in list_workspaces(engine)}:
        create_workspace(engine, args.name, args.language)
    version = save_version(
        engine,
        args.name,
        Dataset().with_upload(result).frames,
        author=args.author,
        note=args.note,
        sources=[source_record(name, data) for name, data in uploads],
    )
    for _, data in uploads:  # a workspace backup brings its workshop record and scorecards back
        if kept := backup.read_record_sheets(data):
            restore_records(engine, args.name, kept)
    print(t("store.imported", args.language, name=args.name, number=version.number))
    return EXIT_OK if result.ok else EXIT_ERRORS


def _export(args: argparse.Namespace) -> int:
    from vawmap.cli import write_file

    engine = open_store()
    try:
        dataset = load_version(engine, args.name, args.version)
        versions = versions_of(engine, args.name)
        kept = record_frames(engine, args.name)
    except StoreError as error:
        print(render(error.message, args.language), file=sys.stderr)
        return EXIT_FAILED
    if not write_file(args.out, backup.workbook_bytes(dataset, versions, kept), args.language):
        return EXIT_FAILED
    print(t("store.exported", args.language, name=args.name, path=args.out))
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    from vawmap.compare import compare
    from vawmap.gaps.assess import assess

    engine = open_store()
    try:
        before, after = load_version(engine, args.name, args.before), load_version(engine, args.name, args.after)
    except StoreError as error:
        print(render(error.message, args.language), file=sys.stderr)
        return EXIT_FAILED
    found = compare(before.frames, after.frames, assess(before.frames), assess(after.frames))
    report = comparison_record(found, args.language)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    print(t("store.compared", args.language, name=args.name, before=args.before, after=args.after))
    actors, services = report["actors"], report["services"]
    counts = {f"actors_{what}": len(rows) for what, rows in actors.items()}
    counts |= {f"services_{what}": len(rows) for what, rows in services.items()}
    print("  " + t("store.compare_counts", args.language, ratios=len(report["ratios"]), **counts))
    for what in ("resolved", "new"):
        print("  " + t(f"store.findings_{what}", args.language, count=len(report["findings"][what])))
        for finding in report["findings"][what]:
            print(f"    - {finding['text']}")
    return EXIT_OK


def comparison_record(found, language: str) -> dict:
    """The comparison as JSON-ready data, findings worded in the language (with their keys)."""
    from vawmap.messages import plain

    def rows(frame) -> list[dict]:
        return json.loads(frame.to_json(orient="records"))

    def findings(items) -> list[dict]:
        return [
            {"severity": f.severity, "region": f.region, "text": render(f.message, language), **plain(f.message)}
            for f in items
        ]

    return {
        "actors": {
            "added": rows(found.actors_added),
            "removed": rows(found.actors_removed),
            "changed": rows(found.actors_changed),
        },
        "services": {"added": rows(found.services_added), "removed": rows(found.services_removed)},
        "ratios": rows(found.ratios),
        "findings": {"resolved": findings(found.findings_resolved), "new": findings(found.findings_new)},
    }


def _passphrase(args: argparse.Namespace) -> int:
    """Read from the terminal (asked twice, not echoed) or, from a script, one line of stdin."""
    from vawmap.store.access import set_passphrase

    passphrase = None
    if not args.remove:
        if sys.stdin.isatty():
            passphrase = getpass.getpass(t("store.passphrase_prompt", args.language, name=args.name))
            if getpass.getpass(t("store.passphrase_again", args.language)) != passphrase:
                print(t("store.passphrase_differ", args.language), file=sys.stderr)
                return EXIT_FAILED
        else:
            passphrase = sys.stdin.readline().rstrip("\r\n")
    try:
        set_passphrase(open_store(), args.name, passphrase)
    except StoreError as error:
        print(render(error.message, args.language), file=sys.stderr)
        return EXIT_FAILED
    said = "store.passphrase_removed" if args.remove else "store.passphrase_set"
    print(t(said, args.language, name=args.name))
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    spaces = list_workspaces(open_store())
    if args.json:
        records = [
            {
                "name": space.name,
                "language": space.language,
                "created_at": space.created_at.isoformat(),
                "versions": space.versions,
                "latest": space.latest,
            }
            for space in spaces
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return EXIT_OK
    for space in spaces:
        print(t("store.listed", args.language, name=space.name, versions=space.versions, latest=space.latest or "—"))
    return EXIT_OK
