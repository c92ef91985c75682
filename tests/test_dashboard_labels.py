"""vawmap.dashboard.labels: actor names beside their dots, never over each other, at most 40,
the most influential kept; and vawmap.map_labels: region names on the map, inside their shapes."""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
from PIL import Image

from vawmap.dashboard.labels import LABEL_LIMIT, boxes_overlap, place_labels, short_name
from vawmap.map_labels import label_font, label_point, region_labels

PLOT_PX = (800, 500)
RANGE = (0.0, 10.0)


def points(xs, ys, priority=None) -> pd.DataFrame:
    count = len(xs)
    return pd.DataFrame(
        {
            "x": np.asarray(xs, dtype=float),
            "y": np.asarray(ys, dtype=float),
            "name": [f"Organisation number {i}" for i in range(count)],
            "priority": np.arange(count, dtype=float) if priority is None else priority,
        }
    )


# 90 actors packed into a 10 × 10 plot: far more names than fit. Priority rises with the index.
CROWD = points([0.5 + (i * 37 % 97) / 97 * 9 for i in range(90)], [0.5 + (i * 53 % 89) / 89 * 9 for i in range(90)])
HALF_CROWD = CROWD.head(30)  # some names fit clear of every other dot
# 12 actors in two widely spaced columns: every name fits.
SPARSE = points([0.5 + 5 * (i % 2) for i in range(12)], [1 + 1.6 * (i // 2) for i in range(12)])
# 60 actors spaced so that every name would fit on a huge canvas: only the limit stops them.
MANY = points([(i % 6) * 1.6 + 0.5 for i in range(60)], [(i // 6) * 0.95 + 0.4 for i in range(60)])
HUGE_PX = (6000, 6000)


def placed_for(table: pd.DataFrame, size=PLOT_PX) -> pd.DataFrame:
    return place_labels(table["x"], table["y"], table["name"], table["priority"], RANGE, RANGE, size)


def test_no_two_placed_names_overlap_in_a_crowd():
    placed = placed_for(CROWD)
    assert (placed["label"] != "").sum() > 5
    assert not boxes_overlap(placed)


def test_the_overlap_check_can_fail():
    overlapping = pd.DataFrame({"x0": [0.0, 5.0], "y0": [0.0, 5.0], "x1": [10.0, 15.0], "y1": [10.0, 15.0]})
    assert boxes_overlap(overlapping)


def test_every_name_is_written_when_there_is_room():
    placed = placed_for(SPARSE)
    assert list(placed["label"]) == list(SPARSE["name"])


def test_at_most_forty_names_and_the_most_influential_kept():
    placed = placed_for(MANY, HUGE_PX)
    written = placed["label"] != ""
    assert written.sum() == LABEL_LIMIT
    assert set(MANY.index[written]) == set(MANY.nlargest(LABEL_LIMIT, "priority").index)


def test_the_most_influential_actor_of_a_crowd_is_named():
    placed = placed_for(CROWD)
    assert placed.loc[CROWD["priority"].idxmax(), "label"] != ""


def test_no_name_but_the_ten_most_influential_covers_another_actors_dot():
    placed = placed_for(HALF_CROWD)
    dots = np.column_stack([HALF_CROWD["x"] / 10 * PLOT_PX[0], HALF_CROWD["y"] / 10 * PLOT_PX[1]])
    below_top_ten = HALF_CROWD["priority"] < HALF_CROWD["priority"].nlargest(10).min()
    assert (placed["label"][below_top_ten] != "").sum() > 0
    for own, box in placed[below_top_ten].dropna(subset=["x0"]).iterrows():
        inside = (
            (dots[:, 0] > box["x0"]) & (dots[:, 0] < box["x1"]) & (dots[:, 1] > box["y0"]) & (dots[:, 1] < box["y1"])
        )
        inside[own] = False
        assert not inside.any(), own


def test_names_stay_inside_the_plot():
    placed = placed_for(CROWD).dropna(subset=["x0"])
    assert (placed["x0"] >= 0).all() and (placed["x1"] <= PLOT_PX[0]).all()
    assert (placed["y0"] >= 0).all() and (placed["y1"] <= PLOT_PX[1]).all()


def test_placement_is_the_same_each_time():
    pd.testing.assert_frame_equal(placed_for(CROWD), placed_for(CROWD))


def test_a_long_name_is_shortened_with_an_ellipsis():
    written = short_name("Ministère de la Promotion de la Femme, de l'Enfant et de la Famille")
    assert written.endswith("…") and len(written) <= 28


# ----------------------------------------------------------------------------- region names


def square(left: float, bottom: float, side: float = 1.0) -> dict:
    ring = [[left, bottom], [left + side, bottom], [left + side, bottom + side], [left, bottom + side]]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def collection(shapes: dict[str, dict]) -> dict:
    features = [{"type": "Feature", "id": name, "properties": {}, "geometry": shape} for name, shape in shapes.items()]
    return {"type": "FeatureCollection", "features": features}


# A U open to the north: its vertices' mean point (x 1.5) lies in the gap between the arms.
U_SHAPE = np.array([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]], dtype=float)


def test_a_region_name_is_written_inside_a_concave_shape():
    x, y = label_point(U_SHAPE)
    assert not (1 < x < 2 and y > 1), (x, y)  # not in the gap of the U
    assert 0 < x < 3 and 0 < y < 3


def test_every_region_far_enough_apart_is_named_in_one_image_layer():
    shapes = collection({"North": square(0, 2), "South": square(0, 0), "Elsewhere": square(2, 0)})
    labels = region_labels(shapes, ["North", "South", "Elsewhere"], zoom=7)
    assert sorted(labels.names) == ["Elsewhere", "North", "South"]
    assert labels.layer is not None and labels.layer["sourcetype"] == "image"
    data = labels.layer["source"]
    assert data.startswith("data:image/png;base64,")  # drawn here: nothing fetched from any host
    image = Image.open(io.BytesIO(base64.b64decode(data.split(",", 1)[1])))
    assert image.mode == "LA" and image.getextrema()[1] == (0, 255)  # transparent around opaque text


def test_names_that_would_overlap_at_a_small_zoom_are_left_to_the_hover():
    shapes = collection({"Northern Highlands": square(0, 0.05, 0.05), "Southern Lowlands": square(0, 0, 0.05)})
    labels = region_labels(shapes, ["Northern Highlands", "Southern Lowlands"], zoom=5)
    assert len(labels.names) == 1


def test_only_the_regions_asked_for_are_named():
    shapes = collection({"North": square(0, 2), "South": square(0, 0)})
    assert region_labels(shapes, ["South"], zoom=7).names == ["South"]
    assert region_labels(shapes, [], zoom=7).layer is None


def test_region_names_are_drawn_in_a_font_with_accents():
    # Pillow's fallback font has ASCII only: "é" would come out as the same empty box as "\u0378".
    font = label_font(30)
    assert font.getmask("é").getbbox() != font.getmask("\u0378").getbbox()
    assert font.getbbox("Côte") != font.getbbox("C\u0378te")
