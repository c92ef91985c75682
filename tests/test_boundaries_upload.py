"""The Regional gaps page explains a boundaries file it cannot use in the session's language,
and keeps the bundled map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vawmap.dataset import SAMPLE_GEOJSON
from vawmap.i18n import t
from vawmap.vocab import LANGUAGES

APP = str(Path(__file__).parents[1] / "app.py")
UPLOAD_NAME = "districts.geojson"


def regional_gaps_in(language: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.selectbox(key="language").set_value(language).run()
    app.switch_page("app_pages/regional_gaps.py").run()
    return app


def boundaries_with_text_coordinates() -> bytes:
    """The sample boundaries, the first feature's coordinates replaced by text."""
    geojson = json.loads(SAMPLE_GEOJSON.read_text(encoding="utf-8"))
    geojson["features"][0]["geometry"]["coordinates"] = "not coordinates"
    return json.dumps(geojson).encode("utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_broken_boundaries_file_is_explained_in_the_session_language(language):
    app = regional_gaps_in(language)
    uploader = app.file_uploader(key="boundaries_upload")
    app = uploader.set_value((UPLOAD_NAME, boundaries_with_text_coordinates(), "application/geo+json")).run()
    assert not app.exception
    problem = t("regional.geojson.feature_not_degrees", language, number=1)
    assert [error.value for error in app.error] == [
        t("regional.boundaries_unreadable", language, file=UPLOAD_NAME, problem=problem)
    ]
    assert "boundaries" not in app.session_state
    assert any(chart.key == "region_map" for chart in app.get("plotly_chart"))
