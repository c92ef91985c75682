"""What each page sends to the browser, driven by AppTest: the bytes of every element (tables as
Arrow, charts as JSON, texts) hold no confidential service's coordinate or address, and every
download the Data page offers is free of them and of formulas."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from tests.privacy_fixtures import (
    OPEN_BAD_LATITUDE,
    SERVICES_CSV,
    SHELTERS_PLACES,
    formula_cells,
    leaks,
    secrets_of,
)
from vawmap.dataset import sample_dataset

APP = str(Path(__file__).parents[1] / "app.py")
PAGES = ("overview", "stakeholders", "sectors", "coordination", "regional_gaps", "data")
HOSTILE_FILE_NAME = "=1+2.csv"
TEMPLATE_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sent(app: AppTest) -> bytes:
    """The bytes of every element of the last run, as the browser receives them."""
    return b"".join(node.proto.SerializeToString() for node in app if getattr(node, "proto", None) is not None)


def open_address(services) -> str:
    """An address of an open service: the search must find what may be sent."""
    return services.loc[~services["confidential"].fillna(True).astype(bool), "location"].dropna().iloc[0]


def test_no_page_sends_a_confidential_services_place_nor_does_any_regions_drill_down():
    services = sample_dataset()["services"]
    secrets = secrets_of(services)
    app = AppTest.from_file(APP, default_timeout=60).run()
    seen = {}
    for page in PAGES:
        seen[page] = sent(app.switch_page(f"app_pages/{page}.py").run())
        assert not app.exception, page
    regions = services.loc[services["confidential"].fillna(True).astype(bool), "region"].unique()
    assert len(regions) >= 10
    app.switch_page("app_pages/regional_gaps.py")
    for region in regions:
        app.session_state["selected_region"] = region
        app.run()
        assert app.subheader[0].value == region  # the drill-down is open
        seen[region] = sent(app)
    assert {place: leaks(data, secrets) for place, data in seen.items() if leaks(data, secrets)} == {}
    assert open_address(services).encode() in seen["data"]  # open services keep their place


@pytest.fixture(scope="module")
def hostile_upload():
    """The Data page after the upload of SERVICES_CSV under a name that starts a formula: what it
    sent, and the bytes of each download it offers (a callable is called, as a click would)."""
    offered: dict[str, tuple[bytes, str]] = {}
    real = st.download_button

    def recording(label, data, *args, **kwargs):
        made = data() if callable(data) else data
        offered[kwargs["key"]] = (made, kwargs["mime"])
        return real(label, data, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(st, "download_button", recording)
        app = AppTest.from_file(APP, default_timeout=60).run()
        app.switch_page("app_pages/data.py").run()
        app.file_uploader(key="upload").set_value((HOSTILE_FILE_NAME, SERVICES_CSV, "text/csv")).run()
    assert not app.exception
    return sent(app), offered


def test_the_data_page_offers_the_downloads_checked_here(hostile_upload):
    _, offered = hostile_upload
    tables = {f"download_{name}" for name in ("actors", "services", "regions", "coordination_bodies", "links")}
    assert set(offered) == {"download_problems", "download_set_aside_services", "download_template"} | tables


def test_an_uploaded_shelters_place_is_neither_shown_nor_downloadable(hostile_upload):
    shown, offered = hostile_upload
    assert [place for place in SHELTERS_PLACES if place.encode() in shown] == []
    for key, (data, _) in offered.items():
        assert [place for place in SHELTERS_PLACES if place.encode() in data] == [], key
    assert OPEN_BAD_LATITUDE.encode() in shown and OPEN_BAD_LATITUDE.encode() in offered["download_problems"][0]


def test_the_sample_tables_downloads_send_no_confidential_place(hostile_upload):
    _, offered = hostile_upload
    assert leaks(offered["download_services"][0], secrets_of(sample_dataset()["services"])) == []


def test_no_download_of_the_data_page_holds_a_formula(hostile_upload):
    _, offered = hostile_upload
    for key, (data, mime) in offered.items():
        if mime == TEMPLATE_MIME:
            workbook = load_workbook(io.BytesIO(data))
            assert not [cell for ws in workbook for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
        else:
            assert formula_cells(data) == [], key
    problems = offered["download_problems"][0].decode("utf-8-sig")
    # The =HYPERLINK provider is no problem now: it is an organisation no actors sheet lists, made
    # an actor (vawmap/ingest/derived.py); the file's name still reaches the problems, quoted.
    assert f"'{HOSTILE_FILE_NAME}" in problems
