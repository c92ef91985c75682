"""vawmap.dashboard.data: the Data page's search and CSV download."""

from __future__ import annotations

import pandas as pd

from vawmap.dashboard.data import csv_bytes, search_rows

UTF8_BOM = b"\xef\xbb\xbf"


SEARCH_ROWS = pd.DataFrame(
    {
        "provider": ["Safe Haven Refuge", "safe haven annex", "Police Station", "Safe Haven Mobile", "A.B Clinic"],
        "region": pd.array(["North", "South", "North", None, "South"], dtype="string"),
        "capacity": pd.array([10, 4, None, 2, None], dtype="Int64"),
    }
)


def test_search_rows_filters_by_region_and_text_ignoring_case():
    found = search_rows(SEARCH_ROWS, "SAFE haven", ["North"])
    assert list(found["provider"]) == ["Safe Haven Refuge"]


def test_search_rows_by_text_alone_includes_rows_without_a_region():
    found = search_rows(SEARCH_ROWS, "haven", [])
    assert list(found["provider"]) == ["Safe Haven Refuge", "safe haven annex", "Safe Haven Mobile"]


def test_search_rows_by_region_alone():
    assert list(search_rows(SEARCH_ROWS, "", ["South"])["provider"]) == ["safe haven annex", "A.B Clinic"]


def test_search_rows_with_blank_text_and_no_region_keeps_everything():
    assert len(search_rows(SEARCH_ROWS, "   ", [])) == len(SEARCH_ROWS)


def test_search_rows_matches_numbers_and_takes_text_literally():
    assert list(search_rows(SEARCH_ROWS, "10", [])["provider"]) == ["Safe Haven Refuge"]
    # "." is not a regex wildcard: "a.b" matches "A.B Clinic" only
    assert list(search_rows(SEARCH_ROWS, "a.b", [])["provider"]) == ["A.B Clinic"]
    assert search_rows(SEARCH_ROWS, "(", []).empty


def test_csv_bytes_start_with_the_utf8_bom_and_keep_accents():
    data = csv_bytes(pd.DataFrame({"provider": ["Ministère de la Santé"]}))
    assert data.startswith(UTF8_BOM)
    assert data[len(UTF8_BOM) :].decode("utf-8") == "provider\r\nMinistère de la Santé\r\n"
