"""Numbers on the pages and in the charts as each language writes them: counts, shares, large
populations shortened, and the separators plotly writes ticks and hover numbers with."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from vawmap import charts, geo
from vawmap.dataset import SAMPLE_GEOJSON, sample_dataset
from vawmap.messages import compact_text, number_separators
from vawmap.report.figures import printed_choropleth

APP = str(Path(__file__).parents[1] / "app.py")
SPACED_PERCENT = re.compile(r"\d[\u00a0\u202f]%")  # 45 %, as French and Spanish write it
BARS = pd.DataFrame({"region": ["North", "South"], "required": [12.5, 3.0], "actual": [1.5, 4.0]})


@pytest.mark.parametrize(
    ("language", "separators", "population"),
    [("en", ".,", "1.2M"), ("fr", ",\u202f", "1,2\u00a0M"), ("es", ",.", "1,2\u00a0M")],
)
def test_each_language_writes_its_own_decimal_sign_and_shortens_a_population(language, separators, population):
    assert number_separators(language) == separators
    assert compact_text(1_234_567, language) == population


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_charts_write_their_numbers_with_the_languages_separators(language):
    figure = charts.standard_bars(BARS, "places", language)
    assert figure.layout.separators == number_separators(language)


def test_the_coordination_page_writes_shares_as_french_does():
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["language"] = "fr"
    app.run()
    app.switch_page("app_pages/coordination.py").run()
    assert not app.exception
    shares = [metric.value for metric in app.metric if "%" in metric.value]
    shares += [expander.label for expander in app.expander if "%" in expander.label]
    assert shares and all(SPACED_PERCENT.search(share) for share in shares), shares


def test_the_reports_map_writes_hover_numbers_with_the_languages_separators():
    geojson = geo.read_geojson(SAMPLE_GEOJSON.read_bytes())
    dataset = sample_dataset()
    regions = list(dataset["regions"]["region"])
    match = geo.match_boundaries(geojson, "region", dataset["regions"], regions)
    table = pd.DataFrame({"region": regions, "value": 0.25})
    figure = printed_choropleth(table, match.geojson, "Carte", "score", "fr")
    assert figure.layout.separators == number_separators("fr")
