"""Where to write actor names beside their dots on the influence/interest grid and the network.

A name is tried right, left, above and below its dot, in that order; the first spot whose text
box (estimated from the number of characters and the font size) overlaps no name already placed
and no other dot, and stays inside the plot, is kept. Actors are taken most influential first and
at most `limit` names are written, so the names that matter survive a crowded picture; the rest
stay on hover. The ten most influential are named even where no spot is clear of other dots.
Deterministic: the same table gives the same labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LABEL_LIMIT = 40  # names written beside their dots; more would not be read on a projector
LABEL_FONT_PX = 14
CHARACTER_WIDTH = 0.6  # average advance of a character of a sans-serif font, in em (generous)
LINE_HEIGHT = 1.3  # in em
MARKER_PX = 8  # half the size of the biggest dot, plus a gap
ALWAYS_NAMED = 10  # the most influential actors named even where their name covers other dots
LONGEST_NAME = 28  # characters written; longer names end with "…" (the whole name on hover)
# Plotly's textposition for each spot tried, and where the box then sits relative to the dot:
# (horizontal: -1 left of, 0 centred on, 1 right of; vertical: -1 below, 0 centred, 1 above).
SPOTS = (("middle right", 1, 0), ("middle left", -1, 0), ("top center", 0, 1), ("bottom center", 0, -1))


def short_name(name: object, longest: int = LONGEST_NAME) -> str:
    text = " ".join(str(name).split())
    return text if len(text) <= longest else text[: longest - 1].rstrip() + "…"


def text_box(text: str, font_px: float = LABEL_FONT_PX) -> tuple[float, float]:
    """Estimated width and height in pixels of one line of text."""
    return len(text) * CHARACTER_WIDTH * font_px + 4, LINE_HEIGHT * font_px


def _to_pixels(values: np.ndarray, low: float, high: float, size: float) -> np.ndarray:
    span = high - low if high > low else 1.0
    return (values - low) / span * size


def place_labels(
    x: pd.Series,
    y: pd.Series,
    names: pd.Series,
    priority: pd.Series,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    size_px: tuple[float, float],
    limit: int = LABEL_LIMIT,
    font_px: float = LABEL_FONT_PX,
) -> pd.DataFrame:
    """One row per point (same index): `label` (the name as written, "" when not written),
    `position` (plotly's textposition) and the label's box in plot pixels (x0, y0, x1, y1; NaN
    when not written). Points are taken by `priority`, highest first (ties by name)."""
    width, height = size_px
    px = _to_pixels(np.asarray(x, dtype=float), *x_range, width)
    py = _to_pixels(np.asarray(y, dtype=float), *y_range, height)
    order = (
        pd.DataFrame({"priority": np.asarray(priority, dtype=float), "name": [str(n) for n in names]})
        .reset_index(drop=True)
        .sort_values(["priority", "name"], ascending=[False, True], kind="stable")
        .index.to_numpy()
    )
    count = len(px)
    labels = [""] * count
    positions = ["middle right"] * count
    boxes = np.full((count, 4), np.nan)
    placed: list[tuple[float, float, float, float]] = []
    for rank, i in enumerate(order):
        if len(placed) >= limit:
            break
        if not (np.isfinite(px[i]) and np.isfinite(py[i])):
            continue
        text = short_name(names.iloc[i])
        box_width, box_height = text_box(text, font_px)
        spots = [_box(px[i], py[i], box_width, box_height, spot) for spot in SPOTS]
        # A name never covers another name; it avoids covering other dots, except the names of
        # the few most influential actors, which are written even in a crowd.
        tries = [(True, spot, box) for spot, box in zip(SPOTS, spots)]
        if rank < ALWAYS_NAMED:
            tries += [(False, spot, box) for spot, box in zip(SPOTS, spots)]
        for clear_of_dots, (position, _, _), box in tries:
            if not _fits(box, width, height) or overlaps(box, placed):
                continue
            if clear_of_dots and _covers_dot(box, px, py, i):
                continue
            labels[i], positions[i], boxes[i] = text, position, box
            placed.append(box)
            break
    return pd.DataFrame(
        {
            "label": labels,
            "position": positions,
            "x0": boxes[:, 0],
            "y0": boxes[:, 1],
            "x1": boxes[:, 2],
            "y1": boxes[:, 3],
        },
        index=names.index,
    )


def _box(x: float, y: float, width: float, height: float, spot: tuple) -> tuple[float, float, float, float]:
    _, across, up = spot
    left = x + (MARKER_PX if across > 0 else -MARKER_PX - width if across < 0 else -width / 2)
    bottom = y + (MARKER_PX if up > 0 else -MARKER_PX - height if up < 0 else -height / 2)
    return left, bottom, left + width, bottom + height


def _fits(box, width: float, height: float) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height


def overlaps(box, placed: list) -> bool:
    """Whether the box (x0, y0, x1, y1) overlaps any of the placed ones."""
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)


def _covers_dot(box, px: np.ndarray, py: np.ndarray, own: int) -> bool:
    """Whether the box covers the dot of another point (its own dot is beside it)."""
    inside = (px > box[0] - 3) & (px < box[2] + 3) & (py > box[1] - 3) & (py < box[3] + 3)
    inside[own] = False
    return bool(inside.any())


def boxes_overlap(boxes: pd.DataFrame) -> bool:
    """Whether any two written labels' boxes overlap (for tests and checks)."""
    written = boxes.dropna(subset=["x0"])[["x0", "y0", "x1", "y1"]].to_numpy()
    return any(overlaps(tuple(written[i]), [tuple(b) for b in written[i + 1 :]]) for i in range(len(written)))
