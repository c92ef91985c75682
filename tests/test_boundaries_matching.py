"""`python -m vawmap boundaries` matches shapes to regions as the Regional gaps page does, and
on the page the shapes left over can be paired with the regions left over, by hand."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from vawmap.cli import main
from vawmap.dataset import SAMPLE_GEOJSON, SAMPLE_WORKBOOK, sample_dataset

APP = str(Path(__file__).parents[1] / "app.py")


def renamed_sample_boundaries() -> tuple[bytes, str, str, str]:
    """The sample boundaries as another office writes them: the first region with "Region" after
    its name, the second renamed beyond recognition. (bytes, first region, second region, new name)."""
    geojson = json.loads(SAMPLE_GEOJSON.read_text(encoding="utf-8"))
    for feature in geojson["features"]:  # names only: no code to match on
        feature["properties"] = {"region": feature["properties"]["region"]}
    first, second = (feature["properties"]["region"] for feature in geojson["features"][:2])
    geojson["features"][0]["properties"]["region"] = f"{first} Region"
    geojson["features"][1]["properties"]["region"] = "Old Province 7"
    return json.dumps(geojson).encode("utf-8"), first, second, "Old Province 7"


def test_boundaries_json_names_the_property_the_matches_and_what_is_left(tmp_path, capsys):
    data, first, second, renamed = renamed_sample_boundaries()
    path = tmp_path / "adm1.geojson"
    path.write_bytes(data)

    code = main(["boundaries", str(path), str(SAMPLE_WORKBOOK), "--json"])

    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"property", "matched", "unmatched_regions", "unmatched_shapes"}
    assert report["property"] == "region"
    assert report["matched"][first] == f"{first} Region"
    assert report["unmatched_regions"] == [second]
    assert report["unmatched_shapes"] == [renamed]
    assert len(report["matched"]) == len(sample_dataset()["regions"]) - 1
    assert code == 1  # a region has no shape


def test_boundaries_of_the_sample_match_every_region(capsys):
    assert main(["boundaries", str(SAMPLE_GEOJSON), str(SAMPLE_WORKBOOK), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["unmatched_regions"] == [] and report["unmatched_shapes"] == []


def test_an_unreadable_boundaries_file_is_named_with_why(tmp_path, capsys):
    path = tmp_path / "adm1.geojson"
    path.write_text("{not json")

    assert main(["boundaries", str(path), str(SAMPLE_WORKBOOK)]) == 2
    assert str(path) in capsys.readouterr().err


def test_a_shape_left_over_is_paired_by_hand_and_the_pair_kept():
    data, _, second, renamed = renamed_sample_boundaries()
    app = AppTest.from_file(APP, default_timeout=60).run()
    app = app.switch_page("app_pages/regional_gaps.py").run()
    app = app.file_uploader(key="boundaries_upload").set_value(("adm1.geojson", data, "application/geo+json")).run()
    assert not app.exception
    [pairing] = [box for box in app.selectbox if box.label == renamed]
    assert pairing.options == ["— no region —", second]

    pairing.set_value(second).run()

    assert not app.exception
    assert app.session_state["boundary_pairs"] == {renamed: second}
    assert not any(second in warning.value for warning in app.warning)  # every region has its shape now
