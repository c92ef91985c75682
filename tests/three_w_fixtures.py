"""A 3W-like table as a new user brings it: the services of a few organisations in two regions,
written in the humanitarian cluster's words, so that most rows are set aside on upload.

Rows 2–19 and 21–22 say "Case management" and rows 23–24 "Dignity kits" (neither is a
service type of the vocabulary: errors, set aside); rows 20, 25 and 26 are helplines and load.
Of 25 rows, 22 are set aside with errors: far more than half. The regions sheet is fine.
"""

from __future__ import annotations

from tests.builders import csv_bytes, xlsx

THREE_W_REGIONS = ("Lofa", "Bong")
CASE_MANAGEMENT_ROWS = (*range(2, 20), 21, 22)
DIGNITY_KIT_ROWS = (23, 24)
HELPLINE_ROWS = (20, 25, 26)
THREE_W_ROW_COUNT = 25
THREE_W_SET_ASIDE = len(CASE_MANAGEMENT_ROWS) + len(DIGNITY_KIT_ROWS)


def _service(excel_row: int) -> list[str]:
    if excel_row in HELPLINE_ROWS:
        kind = "Helpline"
    elif excel_row in DIGNITY_KIT_ROWS:
        kind = "Dignity kits"
    else:
        kind = "Case management"
    return [f"Org {excel_row % 4}", kind, THREE_W_REGIONS[excel_row % 2]]


THREE_W_SERVICE_ROWS = [["Organisation", "Service type", "Region"]] + [
    _service(row) for row in range(2, 2 + THREE_W_ROW_COUNT)
]
THREE_W_REGION_ROWS = [["Region", "Population"], ["Lofa", 367376], ["Bong", 467561]]

THREE_W_SERVICES_CSV = csv_bytes("".join(",".join(map(str, row)) + "\n" for row in THREE_W_SERVICE_ROWS))
THREE_W_REGIONS_CSV = csv_bytes("".join(",".join(map(str, row)) + "\n" for row in THREE_W_REGION_ROWS))
THREE_W_WORKBOOK = xlsx({"services": THREE_W_SERVICE_ROWS, "regions": THREE_W_REGION_ROWS})


def run_cli_on_three_w(capsys, tmp_path, command: str, *options: str) -> tuple[int, str]:
    """`python -m vawmap COMMAND` on the 3W services and its regions, written to tmp_path:
    (exit code, what it printed)."""
    from vawmap.cli import main

    services, regions = tmp_path / "services.csv", tmp_path / "regions.csv"
    services.write_bytes(THREE_W_SERVICES_CSV)
    regions.write_bytes(THREE_W_REGIONS_CSV)
    code = main([command, str(services), str(regions), *options])
    return code, capsys.readouterr().out
