"""A small workbook whose names are Markdown, HTML and KaTeX, as an attacker would upload them.

Shared by the page tests (tests/test_text_is_text.py) and the browser test: every region,
actor, body and the file name itself carries markup that must show as typed, never rendered.
Two ordinary names ride along, to show ordinary text is left exactly as it was.

    ingest([(HOSTILE_FILE_NAME, hostile_workbook())])
"""

from __future__ import annotations

import json

from tests.builders import xlsx

BOLD = "**bold**"
IMAGE_TAG = '<img src="https://example.com/x.png">'
IMAGE_MARKDOWN = "![x](https://example.com/y.png)"
KATEX = "$x^2$"
RED = ":red[red]"
LINK = "[link](https://example.com)"
HTML_BOLD = "<b>b</b>"
ICON = ":material/home:"
MARKUP = (BOLD, IMAGE_TAG, IMAGE_MARKDOWN, KATEX, RED, LINK, HTML_BOLD, ICON)
OUTSIDE_HOST = "example.com"

# Regions: two hostile, one ordinary. Each region has a population, so every page measures it.
REGION_BOLD_IMAGE = f"{BOLD} {IMAGE_TAG}"
REGION_IMAGE_KATEX = f"{IMAGE_MARKDOWN} {KATEX} {HTML_BOLD}"
ORDINARY_REGION = "Côte d'Or District"
REGIONS = (REGION_BOLD_IMAGE, REGION_IMAGE_KATEX, ORDINARY_REGION)

# Actors: the broker links three other sectors; the isolated actor has no link.
BROKER = f"{LINK} {HTML_BOLD}"
POLICE = f"{RED} {ICON}"
ORDINARY_ACTOR = "Women's Network"
JUSTICE = f"{KATEX} {BOLD}"
ISOLATED = f"{IMAGE_TAG} {RED}"
ACTORS = (BROKER, POLICE, ORDINARY_ACTOR, JUSTICE, ISOLATED)

BODY = f"{BOLD} {IMAGE_MARKDOWN} {ICON}"
SHAPE = f"{HTML_BOLD} {LINK}"  # a shape of the boundaries file that names no region
HOSTILE_FILE_NAME = f"{BOLD} {KATEX} {RED} {HTML_BOLD}.xlsx"

HOSTILE_SHEETS = {
    "regions": [
        ["Region", "Population", "Population of women"],
        [REGION_BOLD_IMAGE, 200_000, 100_000],
        [REGION_IMAGE_KATEX, 150_000, 80_000],
        [ORDINARY_REGION, 300_000, 160_000],
    ],
    "actors": [
        ["Name", "Actor type", "Sector", "Level", "Region", "Influence", "Interest"],
        [BROKER, "Government", "Health", "National", None, 5, 5],
        [POLICE, "Government", "Police", "National", None, 4, 2],
        [ORDINARY_ACTOR, "NGO", "Women's organisations", "National", None, 2, 5],
        [JUSTICE, "Government", "Justice", "Subnational", REGION_BOLD_IMAGE, 3, 3],
        [ISOLATED, "NGO", "Health", "Subnational", REGION_IMAGE_KATEX, 1, 1],
    ],
    "services": [
        ["Provider", "Service type", "Region"],
        [BROKER, "Helpline", REGION_BOLD_IMAGE],
        [ORDINARY_ACTOR, "Helpline", ORDINARY_REGION],
        [ISOLATED, "Health first-line support", REGION_IMAGE_KATEX],
    ],
    "coordination_bodies": [
        ["Name", "Level", "Region", "Chair", "Members"],
        [BODY, "Subnational", REGION_BOLD_IMAGE, BROKER, f"{BROKER}; {POLICE}"],
    ],
    "links": [
        ["Source", "Target", "Link type"],
        [BROKER, POLICE, "Referral"],
        [BROKER, ORDINARY_ACTOR, "Coordination"],
        [BROKER, JUSTICE, "Referral"],
    ],
}


def hostile_workbook() -> bytes:
    """The five sheets as one .xlsx workbook."""
    return xlsx(HOSTILE_SHEETS)


def hostile_boundaries() -> bytes:
    """A GeoJSON with a square for two of the regions (not REGION_IMAGE_KATEX) and one for SHAPE."""
    names = (REGION_BOLD_IMAGE, ORDINARY_REGION, SHAPE)
    features = [
        {
            "type": "Feature",
            "properties": {"region": name},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]},
        }
        for x, name in enumerate(names)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode("utf-8")
