"""An upload never mixes with the sample (app_pages/data.py, app_pages/shared.py load_upload):
loaded while the sample is shown, it starts a dataset of its own; over the user's own data the
Load button says which sheets it replaces and which it adds, and "Replace everything" starts
over from the upload alone. A failed upload loses nothing already loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import ACTOR_ROWS, REGION_ROWS, xlsx
from tests.three_w_fixtures import HELPLINE_ROWS, THREE_W_REGIONS, THREE_W_WORKBOOK
from vawmap.dataset import SAMPLE_WORKBOOK, sample_dataset

APP = str(Path(__file__).parents[1] / "app.py")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A second upload: a regions sheet (replacing the 3W's) and an actors sheet (new).
REGIONS_AND_ACTORS = xlsx({"regions": REGION_ROWS, "actors": ACTOR_ROWS})
NEW_REGIONS = {row[0] for row in REGION_ROWS[1:]}
PNG_AS_XLSX = b"\x89PNG\r\n\x1a\n" + bytes(64)


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    return app.file_uploader(key="upload").set_value((name, data, XLSX_MIME)).run()


@pytest.fixture
def with_the_3w() -> AppTest:
    """The Data page after loading the 3W workbook over the sample."""
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = upload(app.switch_page("app_pages/data.py").run(), "3w.xlsx", THREE_W_WORKBOOK)
    app.button(key="apply_upload").click().run()
    return app


def regions_of(app: AppTest) -> set[str]:
    dataset = app.session_state["dataset"]
    return set(dataset["regions"]["region"]) | set(dataset["services"]["region"])


def test_loading_over_the_sample_keeps_no_sample_sheet(with_the_3w):
    dataset = with_the_3w.session_state["dataset"]

    assert not with_the_3w.exception
    assert not dataset.is_sample
    assert regions_of(with_the_3w) == set(THREE_W_REGIONS)
    assert not regions_of(with_the_3w) & set(sample_dataset()["regions"]["region"])
    assert dataset.counts() == {
        "actors": 3,  # derived: Org 0, Org 1, Org 2 name the helplines loaded
        "services": len(HELPLINE_ROWS),
        "regions": len(THREE_W_REGIONS),
        "coordination_bodies": 0,
        "links": 0,
    }
    assert SAMPLE_WORKBOOK.name not in dataset.sources


def test_the_sample_page_says_the_sample_is_not_kept():
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = upload(app.switch_page("app_pages/data.py").run(), "3w.xlsx", THREE_W_WORKBOOK)

    assert any("The sample country is not kept" in caption.value for caption in app.caption)
    assert app.button(key="apply_upload").label == "Load these sheets: Services, Regions"
    assert not [button for button in app.button if button.key == "replace_everything"]


def test_over_own_data_the_button_says_what_it_replaces_and_what_it_adds(with_the_3w):
    app = upload(with_the_3w, "more.xlsx", REGIONS_AND_ACTORS)

    assert app.button(key="apply_upload").label == "Load: replaces Regions; adds Actors"
    app.radio(key="load_mode").set_value("append").run()
    assert app.button(key="apply_upload").label == "Load: adds rows to Regions; adds Actors"
    app.radio(key="load_mode").set_value("replace").run()

    app.button(key="apply_upload").click().run()

    dataset = app.session_state["dataset"]
    assert set(dataset["regions"]["region"]) == NEW_REGIONS
    assert (~dataset["actors"]["derived"]).sum() == len(ACTOR_ROWS) - 1
    assert len(dataset["services"]) == len(HELPLINE_ROWS)  # the sheet the upload did not bring stays
    assert dataset.sources == ("3w.xlsx", "more.xlsx")


def test_replace_everything_starts_over_from_the_upload_alone(with_the_3w):
    app = upload(with_the_3w, "more.xlsx", REGIONS_AND_ACTORS)

    app.button(key="replace_everything").click().run()

    dataset = app.session_state["dataset"]
    assert not app.exception
    assert dataset.counts()["services"] == 0
    assert set(dataset["regions"]["region"]) == NEW_REGIONS
    assert dataset.sources == ("more.xlsx",)


def test_a_failed_upload_over_own_data_loses_nothing(with_the_3w):
    before = with_the_3w.session_state["dataset"]

    app = upload(with_the_3w, "broken.xlsx", PNG_AS_XLSX)

    assert not app.exception
    assert any("could not be read" in error.value for error in app.error)
    assert not [button for button in app.button if button.key in ("apply_upload", "replace_everything")]
    assert app.session_state["dataset"] is before
