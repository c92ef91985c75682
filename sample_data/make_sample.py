"""Make the sample dataset: the Republic of Veldora, a fictional country.

Run from the repository root:

    python sample_data/make_sample.py

It writes `sample_country.xlsx` (the five canonical sheets, canonical column names and
vocabulary keys) and `sample_country.geojson` (the 16 regions' synthetic boundaries) next to
this file. Everything comes from `random.Random(SEED)`: no clock, no network, so two runs give
the same bytes.

The story the data tells (the app's pages rely on it):

- The Capital District is well served: every service type, shelters at or near the Council
  of Europe standard of 1 family place per 10,000 people, a one-stop centre, two rape crisis
  centres, and the national 24/7 free helpline.
- Saltmarsh (the second city) has the only other rape crisis centre and one-stop centre;
  Highcrest (the third city) has neither.
- Four remote regions (Farhollow, Mistwood, Ironhills, Duskvale) have no shelter, no
  post-rape care and no one-stop centre; most other regions have shelters, but too few places.
- No actor comes from the labour or transport sectors: they are missing from the table.
- Home affairs (interior) is resistant; education is not engaged and is missing from the
  national coordination body, which is otherwise strong (ministerial chair, terms of
  reference, action plan, secretariat) but has no budget of its own.
- Sub-national bodies exist in six regions only, some barely working (one does not meet
  and has no members).
- In seven regions the referral chain health -> police -> legal aid -> shelter is joined up
  by referral links; elsewhere it breaks off, and in Farhollow and Mistwood it does not start.
  Lifeline Veldora (the helpline), the women's ministry and UN Women broker across sectors;
  a few actors have no links at all.
- Lakeside and Sunplain give no count of women: the app must estimate it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run as a script, the package is one folder up
    sys.path.insert(0, str(REPO_ROOT))

from openpyxl import Workbook  # noqa: E402 (after the path set-up above)

from vawmap.contract import SHEET_ORDER, sheet  # noqa: E402
from vawmap.xlsx import stable_xlsx  # noqa: E402

SEED = 20261122
OUT_DIR = Path(__file__).resolve().parent
WORKBOOK_NAME = "sample_country.xlsx"
GEOJSON_NAME = "sample_country.geojson"
COUNTRY = "Republic of Veldora"
# The workbook's created and modified dates and its zip entries' dates (openpyxl would stamp the clock).
FIXED_TIMESTAMP = dt.datetime(2026, 11, 22, 0, 0, 0)

# --------------------------------------------------------------------------- regions

# A 4 x 4 grid of regions, row 0 in the north. The capital sits inside, away from the edges.
REGION_GRID = (
    ("Northmoor", "Highcrest", "Mistwood", "Farhollow"),
    ("Westreach", "Capital District", "Lakeside", "Eastvale"),
    ("Ironhills", "Stonebridge", "Sunplain", "Saltmarsh"),
    ("Duskvale", "Redcliff", "Lowriver", "Greenbay"),
)
# Region codes XV-01 ... XV-16 follow this order. XV is in ISO 3166's user-assigned range.
REGION_CODE_ORDER = (
    "Capital District",
    "Northmoor",
    "Saltmarsh",
    "Highcrest",
    "Lowriver",
    "Eastvale",
    "Westreach",
    "Ironhills",
    "Sunplain",
    "Mistwood",
    "Redcliff",
    "Lakeside",
    "Stonebridge",
    "Farhollow",
    "Greenbay",
    "Duskvale",
)
CAPITAL = "Capital District"
SECOND_CITY = "Saltmarsh"
THIRD_CITY = "Highcrest"
REMOTE_REGIONS = ("Farhollow", "Mistwood", "Ironhills", "Duskvale")
REGIONS_WITHOUT_WOMEN_COUNT = ("Lakeside", "Sunplain")

WEST_LON, NORTH_LAT = 30.0, -14.0
CELL_LON, CELL_LAT = 2.0, 1.5
CORNER_JITTER = (0.35, 0.25)  # lon, lat: well under half a cell, so every quad stays convex
EDGE_BEND = 0.2  # how far an edge's midpoint moves off the straight line
POINT_MARGIN = 0.02  # degrees kept between a service point and its region's boundary
DISTRICT_MARGIN = 0.2  # district centres sit well inside, so their services cluster inland

Point = tuple[float, float]  # (lon, lat), as GeoJSON writes them


@dataclass(frozen=True)
class Region:
    name: str
    code: str
    tier: str  # capital, city, town, remote
    population: int
    population_women: int | None
    ring: tuple[Point, ...]  # closed, counter-clockwise


def region_tier(name: str) -> str:
    if name == CAPITAL:
        return "capital"
    if name in (SECOND_CITY, THIRD_CITY):
        return "city"
    return "remote" if name in REMOTE_REGIONS else "town"


POPULATION_RANGE = {
    CAPITAL: (2_150_000, 2_250_000),
    SECOND_CITY: (820_000, 890_000),
    THIRD_CITY: (700_000, 760_000),
    "remote": (120_000, 220_000),
    "town": (250_000, 600_000),
}


def make_population(name: str, rng: random.Random) -> tuple[int, int | None]:
    low, high = POPULATION_RANGE.get(name) or POPULATION_RANGE[region_tier(name)]
    population = rng.randint(low, high)
    women = round(population * rng.uniform(0.503, 0.508))
    return population, (None if name in REGIONS_WITHOUT_WOMEN_COUNT else women)


def jittered_corners(rng: random.Random) -> list[list[Point]]:
    """The grid's corner points, shared by the up to four regions that meet there."""
    rows, cols = len(REGION_GRID), len(REGION_GRID[0])
    return [
        [
            (
                round(WEST_LON + col * CELL_LON + rng.uniform(-CORNER_JITTER[0], CORNER_JITTER[0]), 5),
                round(NORTH_LAT - row * CELL_LAT + rng.uniform(-CORNER_JITTER[1], CORNER_JITTER[1]), 5),
            )
            for col in range(cols + 1)
        ]
        for row in range(rows + 1)
    ]


def bent_midpoint(a: Point, b: Point, rng: random.Random) -> Point:
    """A point near the middle of edge a-b, pushed sideways so borders are not straight."""
    length = math.dist(a, b)
    normal = ((a[1] - b[1]) / length, (b[0] - a[0]) / length)
    bend = rng.uniform(-EDGE_BEND, EDGE_BEND)
    return (
        round((a[0] + b[0]) / 2 + bend * normal[0], 5),
        round((a[1] + b[1]) / 2 + bend * normal[1], 5),
    )


def region_rings(rng: random.Random) -> dict[str, tuple[Point, ...]]:
    """One closed, counter-clockwise octagon per grid cell; neighbours share their edges."""
    corners = jittered_corners(rng)
    rows, cols = len(REGION_GRID), len(REGION_GRID[0])
    # Midpoints of horizontal edges (corner [r][c] to [r][c+1]) and vertical ones ([r][c] to [r+1][c]).
    across = [[bent_midpoint(corners[r][c], corners[r][c + 1], rng) for c in range(cols)] for r in range(rows + 1)]
    down = [[bent_midpoint(corners[r][c], corners[r + 1][c], rng) for c in range(cols + 1)] for r in range(rows)]
    rings = {}
    for r, names in enumerate(REGION_GRID):
        for c, name in enumerate(names):
            south_west, south_east = corners[r + 1][c], corners[r + 1][c + 1]
            north_east, north_west = corners[r][c + 1], corners[r][c]
            rings[name] = (
                south_west,
                across[r + 1][c],
                south_east,
                down[r][c + 1],
                north_east,
                across[r][c],
                north_west,
                down[r][c],
                south_west,
            )
    return rings


def make_regions(rng: random.Random) -> list[Region]:
    rings = region_rings(rng)
    regions = []
    for number, name in enumerate(REGION_CODE_ORDER, start=1):
        population, women = make_population(name, rng)
        code = f"XV-{number:02d}"
        regions.append(Region(name, code, region_tier(name), population, women, rings[name]))
    return regions


def ring_contains(ring: tuple[Point, ...], lon: float, lat: float) -> bool:
    """Ray casting: does the closed ring contain the point?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def distance_to_segment(p: Point, a: Point, b: Point) -> float:
    ab = (b[0] - a[0], b[1] - a[1])
    t = ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / (ab[0] ** 2 + ab[1] ** 2)
    t = min(1.0, max(0.0, t))
    return math.dist(p, (a[0] + t * ab[0], a[1] + t * ab[1]))


def well_inside(ring: tuple[Point, ...], point: Point, margin: float = POINT_MARGIN) -> bool:
    if not ring_contains(ring, *point):
        return False
    return all(distance_to_segment(point, a, b) > margin for a, b in zip(ring, ring[1:]))


def random_point_in(ring: tuple[Point, ...], rng: random.Random, margin: float = POINT_MARGIN) -> Point:
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    while True:
        point = (round(rng.uniform(min(lons), max(lons)), 5), round(rng.uniform(min(lats), max(lats)), 5))
        if well_inside(ring, point, margin):
            return point


def point_near(centre: Point, ring: tuple[Point, ...], rng: random.Random, spread: float = 0.06) -> Point:
    """A service point scattered around its district's centre, still inside the region."""
    while True:
        point = (round(rng.gauss(centre[0], spread), 5), round(rng.gauss(centre[1], spread), 5))
        if well_inside(ring, point):
            return point


# ---------------------------------------------------------------------------- actors


@dataclass
class Actor:
    name: str
    acronym: str | None
    actor_type: str
    sector: str
    level: str
    region: str | None = None  # where it works; a national actor with a region serves only there
    provides: tuple[str, ...] = ()  # service types it runs
    functions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # target groups it adds to every service it runs
    notes: str | None = None
    email: str | None = None
    phone: str | None = None
    actor_id: str = ""
    influence: int = 0
    interest: int = 0
    engagement: str = ""


HEALTH_SERVICES = ("health_first_line_support", "post_rape_care", "mental_health_care", "medico_legal_documentation")

NATIONAL_ACTORS = (
    # Government and state institutions
    Actor(
        "Office of the President",
        "OP",
        "government",
        "head_of_government",
        "national",
        functions=("policy_development",),
    ),
    Actor(
        "Ministry of Gender, Women and Children's Affairs",
        "MGWCA",
        "government",
        "women_gender",
        "national",
        provides=("community_outreach", "economic_empowerment"),
        functions=(
            "policy_development",
            "cross_government_coordination",
            "national_action_plan",
            "monitoring_implementation",
            "roles_responsibilities",
        ),
    ),
    Actor(
        "Parliamentary Committee on Gender and Social Development",
        None,
        "state_institution",
        "women_gender",
        "national",
        functions=("monitoring_implementation",),
    ),
    Actor(
        "Department of Social Welfare",
        "DSW",
        "government",
        "social_welfare",
        "national",
        provides=("safe_accommodation", "material_financial_aid", "children_support", "psychosocial_support"),
        functions=("referral_system",),
    ),
    Actor(
        "Ministry of Health",
        "MoH",
        "government",
        "health",
        "national",
        provides=HEALTH_SERVICES,
        functions=("policy_development", "data_collection"),
    ),
    Actor(
        "Veldora National Referral Hospital",
        "VNRH",
        "state_institution",
        "health",
        "national",
        CAPITAL,
        provides=(*HEALTH_SERVICES, "one_stop_centre"),
    ),
    Actor(
        "Ministry of Education",
        "MoE",
        "government",
        "education",
        "national",
        notes="Invited to the national steering committee; has not sent a representative.",
    ),
    Actor(
        "Ministry of Home Affairs",
        "MoHA",
        "government",
        "interior",
        "national",
        notes="Declined the invitation to the 2026 scoping workshop.",
    ),
    Actor("Department of Immigration and Civil Registration", "DICR", "government", "interior", "national"),
    Actor("Veldora Correctional Service", "VCS", "state_institution", "interior", "national"),
    Actor(
        "Ministry of Justice and Constitutional Affairs",
        "MoJCA",
        "government",
        "justice",
        "national",
        functions=("policy_development", "roles_responsibilities"),
    ),
    Actor("Judiciary of Veldora", None, "state_institution", "justice", "national", provides=("protection_orders",)),
    Actor(
        "Legal Aid Board",
        "LAB",
        "state_institution",
        "justice",
        "national",
        provides=("legal_aid",),
        functions=("referral_system",),
    ),
    Actor(
        "National Human Rights Commission",
        "NHRC",
        "state_institution",
        "justice",
        "national",
        functions=("monitoring_implementation",),
    ),
    Actor(
        "National Police Service",
        "NPS",
        "state_institution",
        "police",
        "national",
        provides=("police_response",),
        functions=("data_collection",),
    ),
    Actor(
        "National Police Service — Family Protection Unit",
        "FPU",
        "state_institution",
        "police",
        "national",
        provides=("police_response",),
        functions=("referral_system", "data_collection"),
    ),
    Actor(
        "National Police Academy", "NPA", "state_institution", "police", "national", functions=("capacity_building",)
    ),
    Actor(
        "Office of the Director of Public Prosecutions",
        "ODPP",
        "state_institution",
        "prosecution",
        "national",
        provides=("prosecution_support",),
    ),
    Actor("Ministry of Local Government and Rural Development", "MoLGRD", "government", "local_government", "national"),
    Actor("Ministry of Defence", "MoD", "government", "defence_security", "national"),
    Actor("Veldora Defence Force — Military Police", "VDF-MP", "state_institution", "defence_security", "national"),
    Actor(
        "Ministry of Foreign Affairs and International Cooperation",
        "MoFAIC",
        "government",
        "foreign_affairs",
        "national",
        functions=("international_coordination",),
    ),
    Actor("Ministry of Finance and Economic Planning", "MoFEP", "government", "finance_planning", "national"),
    Actor("Ministry of Information and Broadcasting", "MIB", "government", "information_media", "national"),
    Actor(
        "Veldora Broadcasting Corporation",
        "VBC",
        "state_institution",
        "information_media",
        "national",
        functions=("awareness_campaigns",),
    ),
    Actor("Department of Religious Affairs", "DRA", "government", "religious_affairs", "national"),
    Actor(
        "National Statistics Office",
        "NSO",
        "state_institution",
        "statistics",
        "national",
        functions=("data_collection", "research_evaluation"),
    ),
    # Women's organisations
    Actor(
        "Veldora Women's Legal Network",
        "VWLN",
        "womens_organisation",
        "womens_organisations",
        "national",
        provides=("legal_aid",),
        phone="+000 555 0102",
        functions=("state_civil_society_intermediary", "capacity_building", "civil_society_collaboration"),
    ),
    Actor(
        "Women's Shelter Alliance of Veldora",
        "WSAV",
        "womens_organisation",
        "womens_organisations",
        "national",
        provides=("safe_accommodation", "crisis_counselling", "psychosocial_support"),
        email="shelters@example.org",
        functions=("referral_system", "capacity_building"),
    ),
    Actor(
        "Sisters Against Violence",
        "SAV",
        "womens_organisation",
        "womens_organisations",
        "national",
        provides=("womens_counselling_centre", "crisis_counselling", "psychosocial_support", "community_outreach"),
        functions=("awareness_campaigns",),
    ),
    Actor(
        "Rural Women's Voice",
        "RWV",
        "womens_organisation",
        "womens_organisations",
        "national",
        provides=("community_outreach", "economic_empowerment"),
        groups=("older_women", "minority_women"),
    ),
    Actor(
        "Disabled Women's Association of Veldora",
        "DWAV",
        "womens_organisation",
        "womens_organisations",
        "national",
        provides=("psychosocial_support", "community_outreach"),
        groups=("women_with_disabilities",),
    ),
    Actor(
        "Young Women's Leadership Initiative",
        "YWLI",
        "womens_organisation",
        "womens_organisations",
        "national",
        provides=("community_outreach", "economic_empowerment"),
        groups=("adolescent_girls",),
    ),
    Actor(
        "Association of Women Lawyers of Veldora",
        "AWLV",
        "womens_organisation",
        "womens_organisations",
        "national",
        provides=("legal_aid",),
    ),
    Actor(
        "Veldora Feminist Coalition",
        None,
        "womens_organisation",
        "womens_organisations",
        "national",
        functions=("awareness_campaigns", "monitoring_implementation", "civil_society_collaboration"),
    ),
    Actor(
        "Veldora Media Women's Association",
        "VMWA",
        "womens_organisation",
        "information_media",
        "national",
        functions=("awareness_campaigns",),
    ),
    # Civil society and faith groups
    Actor(
        "Lifeline Veldora",
        None,
        "ngo",
        "civil_society",
        "national",
        provides=("crisis_counselling", "psychosocial_support"),
        email="info@example.org",
        phone="+000 555 0101",
        functions=("referral_system", "data_collection"),
    ),
    Actor(
        "Veldora Child Helpline",
        "VCH",
        "ngo",
        "civil_society",
        "national",
        provides=("children_support",),
        groups=("children",),
    ),
    Actor(
        "Child Protection Network Veldora",
        "CPNV",
        "ngo",
        "civil_society",
        "national",
        provides=("children_support",),
        groups=("children",),
    ),
    Actor(
        "Men for Equality Veldora",
        "MEV",
        "ngo",
        "civil_society",
        "national",
        provides=("community_outreach",),
        functions=("awareness_campaigns",),
    ),
    Actor(
        "Veldora Relief Society",
        "VRS",
        "ngo",
        "civil_society",
        "national",
        provides=("material_financial_aid", "psychosocial_support"),
    ),
    Actor(
        "Rainbow Veldora",
        None,
        "ngo",
        "civil_society",
        "national",
        provides=("psychosocial_support", "crisis_counselling"),
        groups=("lgbtqi",),
    ),
    Actor(
        "Migrant Women's Support Network",
        "MWSN",
        "ngo",
        "civil_society",
        "national",
        provides=("legal_aid", "material_financial_aid"),
        groups=("migrant_refugee_women",),
    ),
    Actor(
        "Veldora Counselling Association",
        "VCA",
        "ngo",
        "civil_society",
        "national",
        provides=("mental_health_care", "psychosocial_support"),
    ),
    Actor(
        "Inter-Religious Council of Veldora",
        "IRCV",
        "community_faith",
        "religious_affairs",
        "national",
        provides=("community_outreach",),
    ),
    Actor(
        "St Brigid's Mission Health Service",
        "SBMHS",
        "community_faith",
        "health",
        "national",
        provides=("health_first_line_support", "mental_health_care"),
    ),
    # International
    Actor(
        "Care Across Borders",
        "CAB",
        "international_ngo",
        "un_international",
        "national",
        provides=("psychosocial_support", "material_financial_aid", "economic_empowerment"),
        groups=("migrant_refugee_women",),
    ),
    Actor(
        "Health Without Frontiers International",
        "HWFI",
        "international_ngo",
        "un_international",
        "national",
        provides=("health_first_line_support", "post_rape_care", "mental_health_care"),
    ),
    Actor(
        "Justice Bridge International",
        "JBI",
        "international_ngo",
        "un_international",
        "national",
        provides=("legal_aid",),
        functions=("capacity_building",),
    ),
    Actor(
        "United Nations Entity for Gender Equality and the Empowerment of Women",
        "UN Women",
        "un_agency",
        "un_international",
        "national",
        functions=("international_coordination", "capacity_building", "national_action_plan"),
    ),
    Actor(
        "United Nations Population Fund",
        "UNFPA",
        "un_agency",
        "un_international",
        "national",
        functions=("capacity_building", "data_collection"),
    ),
    Actor(
        "United Nations Children's Fund",
        "UNICEF",
        "un_agency",
        "un_international",
        "national",
        functions=("capacity_building",),
    ),
    Actor(
        "United Nations Development Programme",
        "UNDP",
        "un_agency",
        "un_international",
        "national",
        functions=("international_coordination",),
    ),
    # Donors
    Actor(
        "Nordland Development Cooperation",
        "NDC",
        "donor",
        "donor",
        "national",
        functions=("international_coordination",),
    ),
    Actor("Embassy of Aurelia — Gender Equality Fund", "AGEF", "donor", "donor", "national"),
    Actor("Global Fund for Women's Safety", "GFWS", "donor", "donor", "national"),
    Actor("Veldora Community Foundation", "VCF", "donor", "donor", "national"),
    Actor("Meridian Union Delegation to Veldora", None, "donor", "donor", "national"),
    # Academia and private sector
    Actor(
        "University of Veldora — Centre for Gender Studies",
        "UoV-CGS",
        "academic",
        "academia",
        "national",
        functions=("research_evaluation", "data_collection"),
    ),
    Actor(
        "Veldora Telecom",
        "VelTel",
        "private_sector",
        "private_sector",
        "national",
        notes="Zero-rates calls to the national helpline.",
    ),
    Actor("Veldora Chamber of Commerce and Industry", "VCCI", "private_sector", "private_sector", "national"),
)

REGIONAL_ACTORS = (
    # Capital District
    Actor(
        "Capital City Council",
        "CCC",
        "government",
        "local_government",
        "local",
        CAPITAL,
        provides=("community_outreach", "material_financial_aid"),
    ),
    Actor(
        "Capital Rape Crisis Centre",
        "CRCC",
        "womens_organisation",
        "womens_organisations",
        "local",
        CAPITAL,
        provides=("crisis_counselling", "psychosocial_support"),
        email="crcc@example.org",
    ),
    Actor(
        "Safe Haven Women's Refuge",
        None,
        "womens_organisation",
        "womens_organisations",
        "local",
        CAPITAL,
        provides=("safe_accommodation", "crisis_counselling"),
    ),
    Actor(
        "Capital Women's Counselling Centre",
        "CWCC",
        "womens_organisation",
        "womens_organisations",
        "local",
        CAPITAL,
        provides=("womens_counselling_centre", "psychosocial_support"),
    ),
    Actor("Capital Community Legal Clinic", "CCLC", "ngo", "civil_society", "local", CAPITAL, provides=("legal_aid",)),
    # Saltmarsh, the second city
    Actor("Saltmarsh Regional Council", None, "government", "local_government", "subnational", SECOND_CITY),
    Actor(
        "Saltmarsh Women's Rights Collective",
        "SWRC",
        "womens_organisation",
        "womens_organisations",
        "subnational",
        SECOND_CITY,
        provides=("safe_accommodation", "crisis_counselling", "womens_counselling_centre"),
    ),
    Actor(
        "Saltmarsh General Hospital",
        "SGH",
        "state_institution",
        "health",
        "local",
        SECOND_CITY,
        provides=("health_first_line_support", "post_rape_care", "medico_legal_documentation"),
    ),
    Actor(
        "Saltmarsh Interfaith Refuge",
        None,
        "community_faith",
        "civil_society",
        "local",
        SECOND_CITY,
        provides=("safe_accommodation",),
    ),
    Actor(
        "Saltmarsh Legal Advice Centre", "SLAC", "ngo", "civil_society", "local", SECOND_CITY, provides=("legal_aid",)
    ),
    Actor(
        "Saltmarsh Institute of Social Research",
        "SISR",
        "academic",
        "academia",
        "subnational",
        SECOND_CITY,
        functions=("research_evaluation",),
    ),
    # Highcrest, the third city
    Actor("Highcrest Regional Council", None, "government", "local_government", "subnational", THIRD_CITY),
    Actor(
        "Highcrest Women's Forum",
        "HWF",
        "womens_organisation",
        "womens_organisations",
        "subnational",
        THIRD_CITY,
        provides=("safe_accommodation", "psychosocial_support", "community_outreach"),
    ),
    Actor("Highcrest Paralegal Clinic", None, "ngo", "civil_society", "local", THIRD_CITY, provides=("legal_aid",)),
    Actor("Highcrest Mining Company", "HMC", "private_sector", "private_sector", "subnational", THIRD_CITY),
    # Towns
    Actor("Lowriver Regional Council", None, "government", "local_government", "subnational", "Lowriver"),
    Actor(
        "Lowriver Women's Cooperative",
        "LWC",
        "womens_organisation",
        "womens_organisations",
        "local",
        "Lowriver",
        provides=("economic_empowerment", "safe_accommodation"),
    ),
    Actor("Lowriver Justice Centre", None, "ngo", "civil_society", "local", "Lowriver", provides=("legal_aid",)),
    Actor("Greenbay Regional Council", None, "government", "local_government", "subnational", "Greenbay"),
    Actor(
        "Greenbay Family Support Centre",
        "GFSC",
        "ngo",
        "social_welfare",
        "local",
        "Greenbay",
        provides=("safe_accommodation", "psychosocial_support"),
    ),
    Actor("Greenbay Paralegal Association", None, "ngo", "civil_society", "local", "Greenbay", provides=("legal_aid",)),
    Actor("Eastvale Regional Council", None, "government", "local_government", "subnational", "Eastvale"),
    Actor(
        "Eastvale Women's Shelter Trust",
        "EWST",
        "womens_organisation",
        "womens_organisations",
        "subnational",
        "Eastvale",
        provides=("safe_accommodation",),
    ),
    Actor("Eastvale Law Clinic", None, "ngo", "civil_society", "local", "Eastvale", provides=("legal_aid",)),
    Actor(
        "Stonebridge Community Legal Centre",
        "SCLC",
        "ngo",
        "civil_society",
        "local",
        "Stonebridge",
        provides=("legal_aid",),
    ),
    Actor(
        "House of Hope Stonebridge",
        None,
        "community_faith",
        "civil_society",
        "local",
        "Stonebridge",
        provides=("safe_accommodation",),
    ),
    Actor("Northmoor Regional Council", None, "government", "local_government", "subnational", "Northmoor"),
    Actor(
        "Northmoor Women's Action Group",
        "NWAG",
        "womens_organisation",
        "womens_organisations",
        "local",
        "Northmoor",
        provides=("community_outreach", "psychosocial_support", "safe_accommodation"),
    ),
    Actor(
        "Westreach Mothers' Union",
        None,
        "community_faith",
        "civil_society",
        "local",
        "Westreach",
        provides=("community_outreach", "material_financial_aid"),
    ),
    Actor(
        "Redcliff Safe House",
        None,
        "womens_organisation",
        "womens_organisations",
        "local",
        "Redcliff",
        provides=("safe_accommodation",),
    ),
    Actor(
        "Lakeside Women's Circle",
        None,
        "womens_organisation",
        "womens_organisations",
        "local",
        "Lakeside",
        provides=("psychosocial_support", "community_outreach"),
    ),
    Actor(
        "Sunplain Youth Network",
        "SYN",
        "ngo",
        "civil_society",
        "local",
        "Sunplain",
        provides=("community_outreach", "children_support"),
        groups=("adolescent_girls",),
    ),
    # Remote regions: no one to run a shelter
    Actor(
        "Mistwood Village Elders Council",
        None,
        "community_faith",
        "civil_society",
        "local",
        "Mistwood",
        provides=("community_outreach",),
    ),
    Actor(
        "Ironhills Women Miners' Association",
        "IWMA",
        "womens_organisation",
        "womens_organisations",
        "local",
        "Ironhills",
        provides=("economic_empowerment", "community_outreach"),
    ),
    Actor("Duskvale Regional Council", None, "government", "local_government", "subnational", "Duskvale"),
)


def health_directorate(region: str) -> str:
    return f"{region} Health Directorate"


def police_command(region: str) -> str:
    return f"{region} Police Command"


def regional_state_actors(region: str) -> list[Actor]:
    """Every region has a health directorate and a police command."""
    return [
        Actor(
            health_directorate(region), None, "government", "health", "subnational", region, provides=HEALTH_SERVICES
        ),
        Actor(
            police_command(region),
            None,
            "state_institution",
            "police",
            "subnational",
            region,
            provides=("police_response",),
        ),
    ]


BASE_INFLUENCE = {
    "government": 4,
    "state_institution": 4,
    "un_agency": 4,
    "donor": 4,
    "international_ngo": 3,
    "community_faith": 3,
    "womens_organisation": 2,
    "ngo": 2,
    "academic": 2,
    "private_sector": 2,
}
BASE_INTEREST = {
    "womens_organisation": 5,
    "un_agency": 5,
    "ngo": 4,
    "international_ngo": 4,
    "donor": 4,
    "government": 3,
    "state_institution": 3,
    "academic": 3,
    "community_faith": 2,
    "private_sector": 1,
}
LEVEL_INFLUENCE = {"national": 1, "subnational": 0, "local": -1}
# Sectors that do not see themselves as concerned (UN Women, "Engage institutional sectors").
DISTANT_SECTORS = ("defence_security", "foreign_affairs", "religious_affairs", "private_sector", "education")


def clamp(value: int) -> int:
    return min(5, max(1, value))


def engagement_for(actor: Actor, rng: random.Random) -> str:
    if actor.sector == "interior":
        return "resistant"
    if actor.sector == "education":
        return "not_engaged"
    if actor.sector in DISTANT_SECTORS:
        return rng.choice(("neutral", "not_engaged"))
    if actor.actor_type == "womens_organisation":
        return "committed"
    if actor.interest >= 4:
        return rng.choice(("committed", "engaged"))
    return rng.choice(("engaged", "engaged", "neutral"))


def score_actor(actor: Actor, rng: random.Random) -> None:
    wobble = (-1, 0, 0, 1)
    actor.influence = clamp(BASE_INFLUENCE[actor.actor_type] + LEVEL_INFLUENCE[actor.level] + rng.choice(wobble))
    actor.interest = clamp(BASE_INTEREST[actor.actor_type] + rng.choice(wobble))
    if actor.sector == "interior":
        actor.interest = rng.choice((1, 2))
    elif actor.sector in DISTANT_SECTORS:
        actor.interest = min(actor.interest, 2)
    actor.engagement = engagement_for(actor, rng)


def make_actors(rng: random.Random) -> list[Actor]:
    templates = [*NATIONAL_ACTORS, *REGIONAL_ACTORS]
    for region in REGION_CODE_ORDER:
        templates += regional_state_actors(region)
    actors = [replace(template) for template in templates]  # fresh copies: the tables stay untouched
    for number, actor in enumerate(actors, start=1):
        actor.actor_id = f"A{number:03d}"
        score_actor(actor, rng)
    check_references_unique(actors)
    return actors


def check_references_unique(actors: list[Actor]) -> None:
    """Names, acronyms and ids must each point at one actor, or services could not name their provider."""
    references = [a.name for a in actors] + [a.acronym for a in actors if a.acronym] + [a.actor_id for a in actors]
    repeated = sorted({r for r in references if references.count(r) > 1})
    if repeated:
        raise ValueError(f"actor references used twice: {repeated}")


def actor_row(actor: Actor) -> dict:
    return {
        "name": actor.name,
        "actor_id": actor.actor_id,
        "acronym": actor.acronym,
        "actor_type": actor.actor_type,
        "sector": actor.sector,
        "level": actor.level,
        "region": actor.region,
        "influence": actor.influence,
        "interest": actor.interest,
        "engagement": actor.engagement,
        "functions": "; ".join(actor.functions) or None,
        "contact_email": actor.email,
        "contact_phone": actor.phone,
        "notes": actor.notes,
    }


def mention(actor: Actor, rng: random.Random, acronym_share: float = 0.2, id_share: float = 0.0) -> str:
    """How someone would write the actor: mostly its name, sometimes its acronym or its id."""
    draw = rng.random()
    if draw < id_share:
        return actor.actor_id
    if draw < id_share + acronym_share and actor.acronym:
        return actor.acronym
    return actor.name


# -------------------------------------------------------------------------- services

# How many service points of each type a region of each tier gets, as (fewest, most).
SERVICE_MIX = {
    "capital": {
        "health_first_line_support": (12, 15),
        "post_rape_care": (5, 6),
        "mental_health_care": (6, 8),
        "medico_legal_documentation": (3, 5),
        "police_response": (9, 11),
        "prosecution_support": (3, 4),
        "legal_aid": (9, 11),
        "protection_orders": (3, 5),
        "crisis_counselling": (6, 8),
        "safe_accommodation": (11, 11),
        "womens_counselling_centre": (5, 6),
        "psychosocial_support": (9, 11),
        "material_financial_aid": (5, 7),
        "economic_empowerment": (6, 8),
        "children_support": (6, 8),
        "community_outreach": (8, 10),
    },
    "city": {
        "health_first_line_support": (7, 9),
        "post_rape_care": (2, 3),
        "mental_health_care": (2, 3),
        "medico_legal_documentation": (1, 2),
        "police_response": (4, 6),
        "prosecution_support": (1, 2),
        "legal_aid": (3, 5),
        "protection_orders": (1, 2),
        "crisis_counselling": (2, 4),
        "safe_accommodation": (3, 3),
        "womens_counselling_centre": (1, 2),
        "psychosocial_support": (3, 5),
        "material_financial_aid": (2, 4),
        "economic_empowerment": (2, 4),
        "children_support": (2, 4),
        "community_outreach": (3, 5),
    },
    "town": {
        "health_first_line_support": (4, 6),
        "post_rape_care": (1, 2),
        "mental_health_care": (1, 2),
        "medico_legal_documentation": (0, 1),
        "police_response": (2, 4),
        "prosecution_support": (1, 1),
        "legal_aid": (2, 4),
        "protection_orders": (0, 1),
        "crisis_counselling": (1, 2),
        "safe_accommodation": (1, 2),
        "womens_counselling_centre": (0, 1),
        "psychosocial_support": (2, 4),
        "material_financial_aid": (1, 3),
        "economic_empowerment": (1, 3),
        "children_support": (1, 3),
        "community_outreach": (2, 4),
    },
    # Remote: no shelter, no post-rape care, no one-stop centre.
    "remote": {
        "health_first_line_support": (2, 3),
        "mental_health_care": (0, 1),
        "police_response": (1, 2),
        "legal_aid": (0, 1),
        "psychosocial_support": (1, 1),
        "material_financial_aid": (0, 1),
        "economic_empowerment": (0, 1),
        "children_support": (0, 1),
        "community_outreach": (1, 2),
    },
}
SHELTER_PLACES = {"capital": (16, 30), "city": (6, 18), "town": (4, 14)}  # family places per shelter
DISTRICTS_PER_TIER = {"capital": 6, "city": 4, "town": 3, "remote": 2}
OPEN_24_7_SHARE = {
    "helpline": 1.0,
    "one_stop_centre": 1.0,
    "safe_accommodation": 0.9,
    "police_response": 0.7,
    "post_rape_care": 0.6,
    "crisis_counselling": 0.3,
}
NOT_FREE_SHARE = {"mental_health_care": 0.3, "economic_empowerment": 0.2, "medico_legal_documentation": 0.15}
OPTIONAL_GROUPS = ("women_with_disabilities", "migrant_refugee_women", "lgbtqi", "older_women", "minority_women")
LANGUAGE_BY_ROW = ("Norric", "Kessa", "Marri", "Saltish")  # each grid row's regional language
STREETS = (
    "Market Road",
    "Station Street",
    "Church Lane",
    "Independence Avenue",
    "Hospital Road",
    "Lake Drive",
    "Mill Street",
    "Harbour Road",
    "School Lane",
    "Unity Avenue",
    "Garden Street",
    "Council Road",
)
NAME_STARTS = (
    "Ash",
    "Bel",
    "Cor",
    "Dun",
    "Elm",
    "Fen",
    "Gar",
    "Hal",
    "Kel",
    "Lor",
    "Mar",
    "Nor",
    "Orm",
    "Pen",
    "Ros",
    "Sel",
    "Tam",
    "Ulm",
    "Var",
    "Wen",
    "Yar",
    "Brae",
    "Cald",
    "Thorn",
)
NAME_ENDS = ("ford", "wick", "ton", "by", "mere", "stead", "holm", "dale", "brook", "field", "gate", "haven")
FIRST_VERIFIED = dt.date(2025, 1, 6)
LAST_VERIFIED = dt.date(2026, 10, 30)


@dataclass
class District:
    name: str
    centre: Point


@dataclass
class ServiceContext:
    """What every service row needs to look up."""

    rng: random.Random
    regions: dict[str, Region]
    actors: list[Actor]
    districts: dict[str, list[District]] = field(default_factory=dict)
    donors: list[Actor] = field(default_factory=list)

    def by_name(self, name: str) -> Actor:
        return next(actor for actor in self.actors if actor.name == name)


def make_districts(regions: list[Region], rng: random.Random) -> dict[str, list[District]]:
    names = sorted({start + end for start in NAME_STARTS for end in NAME_ENDS})
    rng.shuffle(names)
    districts = {}
    for region in regions:
        districts[region.name] = [
            District(names.pop(), random_point_in(region.ring, rng, DISTRICT_MARGIN))
            for _ in range(DISTRICTS_PER_TIER[region.tier])
        ]
    return districts


def region_language(region: str) -> str:
    row = next(r for r, names in enumerate(REGION_GRID) if region in names)
    return LANGUAGE_BY_ROW[row]


def choose_provider(ctx: ServiceContext, service_type: str, region: str) -> Actor:
    """A local provider most of the time, else one that works nationwide."""
    offering = [a for a in ctx.actors if service_type in a.provides]
    local = [a for a in offering if a.region == region]
    nationwide = [a for a in offering if a.region is None]
    if local and (not nationwide or ctx.rng.random() < 0.75):
        return ctx.rng.choice(local)
    if not nationwide:
        raise ValueError(f"no actor runs {service_type} in {region}")
    return ctx.rng.choice(nationwide)


def target_groups(service_type: str, provider: Actor, rng: random.Random) -> str:
    groups = ["children", "adolescent_girls"] if service_type == "children_support" else ["women", "adolescent_girls"]
    groups += [g for g in provider.groups if g not in groups]
    for group in rng.sample(OPTIONAL_GROUPS, rng.choice((0, 0, 1, 2))):
        if group not in groups:
            groups.append(group)
    return "; ".join(groups)


def capacity_for(service_type: str, tier: str, rng: random.Random) -> int | None:
    if service_type == "safe_accommodation":
        return rng.randint(*SHELTER_PLACES[tier])
    if service_type == "one_stop_centre":
        return rng.randint(6, 12)
    if service_type == "economic_empowerment" and rng.random() < 0.5:
        return rng.randint(10, 40)
    return None


def status(rng: random.Random) -> str:
    draw = rng.random()
    return "planned" if draw < 0.05 else "suspended" if draw < 0.08 else "active"


def funders(ctx: ServiceContext) -> str | None:
    if ctx.rng.random() > 0.35:
        return None
    return "; ".join(donor.name for donor in ctx.rng.sample(ctx.donors, ctx.rng.choice((1, 1, 2))))


def verified_on(rng: random.Random) -> dt.date:
    return FIRST_VERIFIED + dt.timedelta(days=rng.randint(0, (LAST_VERIFIED - FIRST_VERIFIED).days))


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def confidentiality(service_type: str, rng: random.Random) -> str | None:
    """Blank for most shelters (the default, yes, applies); an explicit no for everything else."""
    if service_type == "safe_accommodation":
        return "yes" if rng.random() < 0.15 else None
    return "no"


def service_row(
    ctx: ServiceContext, service_type: str, region_name: str, provider: Actor | None = None, **fixed
) -> dict:
    rng, region = ctx.rng, ctx.regions[region_name]
    provider = provider or choose_provider(ctx, service_type, region_name)
    district = rng.choice(ctx.districts[region_name])
    lon, lat = point_near(district.centre, region.ring, rng)
    row = {
        "provider": mention(provider, rng, acronym_share=0.14, id_share=0.06),
        "service_type": service_type,
        "region": region_name,
        "district": district.name,
        "location": f"{rng.randint(1, 240)} {rng.choice(STREETS)}, {district.name}",
        "latitude": lat,
        "longitude": lon,
        "confidential": confidentiality(service_type, rng),
        "capacity": capacity_for(service_type, region.tier, rng),
        "open_24_7": yes_no(rng.random() < OPEN_24_7_SHARE.get(service_type, 0.05)),
        "free_of_charge": yes_no(rng.random() >= NOT_FREE_SHARE.get(service_type, 0.04)),
        "target_groups": target_groups(service_type, provider, rng),
        "languages": f"Veldoran; English; {region_language(region_name)}" if rng.random() < 0.5 else "Veldoran",
        "status": status(rng),
        "funded_by": funders(ctx),
        "last_verified": verified_on(rng),
    }
    row.update(fixed)
    return row


def landmark_services(ctx: ServiceContext) -> list[dict]:
    """The few service points the story names: helplines, one-stop and rape crisis centres."""
    always = {"status": "active", "open_24_7": "yes", "free_of_charge": "yes"}
    lifeline, child_line = ctx.by_name("Lifeline Veldora"), ctx.by_name("Veldora Child Helpline")
    return [
        service_row(
            ctx,
            "helpline",
            CAPITAL,
            lifeline,
            **always,
            location="National GBV helpline 1525 (call centre)",
            contact_phone="+000 555 1525",
            target_groups="women; adolescent_girls; women_with_disabilities; lgbtqi",
        ),
        service_row(
            ctx,
            "helpline",
            CAPITAL,
            child_line,
            **always,
            location="Child helpline 116 (call centre)",
            target_groups="children; adolescent_girls",
            contact_phone="+000 555 0116",
        ),
        service_row(
            ctx,
            "helpline",
            THIRD_CITY,
            ctx.by_name("Highcrest Women's Forum"),
            status="active",
            open_24_7="no",
            free_of_charge="yes",
            contact_email="helpline.highcrest@example.org",
        ),
        service_row(ctx, "one_stop_centre", CAPITAL, ctx.by_name("Veldora National Referral Hospital"), **always),
        service_row(ctx, "one_stop_centre", SECOND_CITY, ctx.by_name("Saltmarsh General Hospital"), **always),
        service_row(
            ctx,
            "rape_crisis_centre",
            CAPITAL,
            ctx.by_name("Capital Rape Crisis Centre"),
            **always,
            contact_email="crcc@example.org",
        ),
        service_row(
            ctx,
            "rape_crisis_centre",
            CAPITAL,
            ctx.by_name("Capital Rape Crisis Centre"),
            status="active",
            open_24_7="no",
            free_of_charge="yes",
        ),
        service_row(
            ctx, "rape_crisis_centre", SECOND_CITY, ctx.by_name("Saltmarsh Women's Rights Collective"), **always
        ),
    ]


def first_providers() -> dict[tuple[str, str], str]:
    """(region, service type) -> the actor that runs the first such service: those in a referral chain."""
    first = {}
    for region in REGION_CODE_ORDER:
        first[(region, "health_first_line_support")] = health_directorate(region)
        first[(region, "police_response")] = police_command(region)
    for region, (legal_aid, shelter) in JOINED_UP_CHAINS.items():
        first[(region, "legal_aid")] = legal_aid
        first[(region, "safe_accommodation")] = shelter
    return first


def mapped_services(ctx: ServiceContext) -> list[dict]:
    first = first_providers()
    rows = []
    for region_name in REGION_CODE_ORDER:
        mix = SERVICE_MIX[ctx.regions[region_name].tier]
        for service_type, (fewest, most) in mix.items():
            named = first.get((region_name, service_type))
            for number in range(ctx.rng.randint(fewest, most)):
                provider = ctx.by_name(named) if named and number == 0 else None
                rows.append(service_row(ctx, service_type, region_name, provider))
    return rows


def make_services(regions: list[Region], actors: list[Actor], rng: random.Random) -> list[dict]:
    ctx = ServiceContext(rng, {r.name: r for r in regions}, actors)
    ctx.districts = make_districts(regions, rng)
    ctx.donors = [a for a in actors if a.actor_type == "donor"]
    return landmark_services(ctx) + mapped_services(ctx)


# ------------------------------------------------------------------ coordination bodies

NATIONAL_BODY_MEMBERS = (  # every minimum sector but education
    "Ministry of Gender, Women and Children's Affairs",
    "Ministry of Health",
    "Ministry of Home Affairs",
    "Ministry of Justice and Constitutional Affairs",
    "National Police Service — Family Protection Unit",
    "Office of the Director of Public Prosecutions",
    "Veldora Women's Legal Network",
    "Women's Shelter Alliance of Veldora",
    "Department of Social Welfare",
    "Ministry of Local Government and Rural Development",
    "Legal Aid Board",
    "National Statistics Office",
    "National Human Rights Commission",
    "United Nations Entity for Gender Equality and the Empowerment of Women",
    "United Nations Population Fund",
)


@dataclass(frozen=True)
class Body:
    name: str
    region: str | None
    chair: str
    chair_rank: str
    checklist: str  # formal status, terms of reference, action plan, secretariat, budget: "y"/"n" each
    meets: str
    last_meeting: dt.date | None
    members: tuple[str, ...]
    notes: str | None = None


BODIES = (
    Body(
        "National Steering Committee on Ending Violence against Women",
        None,
        "Ministry of Gender, Women and Children's Affairs",
        "minister",
        "yyyyn",
        "quarterly",
        dt.date(2026, 9, 17),
        NATIONAL_BODY_MEMBERS,
        "Education was invited but has not joined. Home Affairs sends a junior officer.",
    ),
    Body(
        "Capital District GBV Coordination Forum",
        CAPITAL,
        "Capital City Council",
        "director",
        "yyyyn",
        "monthly",
        dt.date(2026, 10, 8),
        (
            "Capital City Council",
            health_directorate(CAPITAL),
            police_command(CAPITAL),
            "Capital Rape Crisis Centre",
            "Safe Haven Women's Refuge",
            "Capital Community Legal Clinic",
            "Capital Women's Counselling Centre",
            "Veldora National Referral Hospital",
            "Lifeline Veldora",
        ),
    ),
    Body(
        "Saltmarsh Regional GBV Task Force",
        SECOND_CITY,
        "Saltmarsh Regional Council",
        "director",
        "yynnn",
        "monthly",
        dt.date(2026, 10, 20),
        (
            "Saltmarsh Regional Council",
            health_directorate(SECOND_CITY),
            police_command(SECOND_CITY),
            "Saltmarsh General Hospital",
            "Saltmarsh Women's Rights Collective",
            "Saltmarsh Legal Advice Centre",
            "Saltmarsh Interfaith Refuge",
        ),
    ),
    Body(
        "Highcrest Protection Working Group",
        THIRD_CITY,
        health_directorate(THIRD_CITY),
        "other",
        "nynnn",
        "quarterly",
        dt.date(2026, 7, 2),
        (
            health_directorate(THIRD_CITY),
            police_command(THIRD_CITY),
            "Highcrest Women's Forum",
            "Highcrest Paralegal Clinic",
        ),
    ),
    Body(
        "Lowriver GBV Sub-Committee",
        "Lowriver",
        "Lowriver Regional Council",
        "director",
        "ynnnn",
        "irregular",
        dt.date(2025, 11, 13),
        (
            "Lowriver Regional Council",
            health_directorate("Lowriver"),
            "Lowriver Women's Cooperative",
            "Lowriver Justice Centre",
        ),
    ),
    Body(
        "Eastvale Referral Network",
        "Eastvale",
        "Eastvale Women's Shelter Trust",
        "other",
        "nnnnn",
        "biannual",
        dt.date(2026, 4, 22),
        (
            "Eastvale Women's Shelter Trust",
            "Eastvale Law Clinic",
            police_command("Eastvale"),
            "Eastvale Regional Council",
        ),
    ),
    Body(
        "Northmoor Women's Safety Committee",
        "Northmoor",
        "Northmoor Regional Council",
        "other",
        "ynnnn",
        "none",
        None,
        (),
        "Set up by decree in 2024; has not met since.",
    ),
)
CHECKLIST = ("formal_status", "terms_of_reference", "action_plan", "secretariat", "dedicated_budget")


def body_row(body: Body, actors_by_name: dict[str, Actor], rng: random.Random) -> dict:
    row = {
        "name": body.name,
        "level": "subnational" if body.region else "national",
        "region": body.region,
        "chair": mention(actors_by_name[body.chair], rng),
        "chair_rank": body.chair_rank,
        "meeting_frequency": body.meets,
        "last_meeting": body.last_meeting,
        "members": "; ".join(mention(actors_by_name[m], rng, 0.4) for m in body.members) or None,
        "notes": body.notes,
    }
    row.update({item: yes_no(answer == "y") for item, answer in zip(CHECKLIST, body.checklist)})
    return row


def make_bodies(actors: list[Actor], rng: random.Random) -> list[dict]:
    actors_by_name = {actor.name: actor for actor in actors}
    return [body_row(body, actors_by_name, rng) for body in BODIES]


# ----------------------------------------------------------------------------- links

# Regions where referral links join health -> police -> legal aid -> shelter: (legal aid, shelter).
JOINED_UP_CHAINS = {
    CAPITAL: ("Capital Community Legal Clinic", "Safe Haven Women's Refuge"),
    SECOND_CITY: ("Saltmarsh Legal Advice Centre", "Saltmarsh Women's Rights Collective"),
    THIRD_CITY: ("Highcrest Paralegal Clinic", "Highcrest Women's Forum"),
    "Lowriver": ("Lowriver Justice Centre", "Lowriver Women's Cooperative"),
    "Greenbay": ("Greenbay Paralegal Association", "Greenbay Family Support Centre"),
    "Eastvale": ("Eastvale Law Clinic", "Eastvale Women's Shelter Trust"),
    "Stonebridge": ("Stonebridge Community Legal Centre", "House of Hope Stonebridge"),
}
# Regions where the chain breaks off after health -> police (Northmoor reaches legal aid, no further).
BROKEN_CHAINS = ("Northmoor", "Redcliff", "Westreach", "Lakeside", "Sunplain", "Duskvale", "Ironhills")
# Farhollow and Mistwood: no referral links at all.

BROKERS = {
    ("Lifeline Veldora", "referral"): (
        "National Police Service — Family Protection Unit",
        "Legal Aid Board",
        "Women's Shelter Alliance of Veldora",
        "Capital Rape Crisis Centre",
        "Veldora National Referral Hospital",
        "Department of Social Welfare",
        "Veldora Child Helpline",
        "Sisters Against Violence",
        "Rainbow Veldora",
        "Migrant Women's Support Network",
        "Disabled Women's Association of Veldora",
        police_command(CAPITAL),
    ),
    ("Ministry of Gender, Women and Children's Affairs", "coordination"): (
        "Ministry of Health",
        "Ministry of Justice and Constitutional Affairs",
        "National Police Service",
        "Office of the Director of Public Prosecutions",
        "Ministry of Local Government and Rural Development",
        "Department of Social Welfare",
        "Veldora Women's Legal Network",
        "Women's Shelter Alliance of Veldora",
        "Ministry of Finance and Economic Planning",
        "Ministry of Information and Broadcasting",
        "Parliamentary Committee on Gender and Social Development",
        "Ministry of Home Affairs",
    ),
    ("United Nations Entity for Gender Equality and the Empowerment of Women", "coordination"): (
        "United Nations Population Fund",
        "United Nations Children's Fund",
        "United Nations Development Programme",
        "Ministry of Gender, Women and Children's Affairs",
        "Ministry of Foreign Affairs and International Cooperation",
        "Care Across Borders",
        "Health Without Frontiers International",
        "Justice Bridge International",
    ),
}

OTHER_LINKS = {
    "referral": (
        ("Veldora National Referral Hospital", "National Police Service — Family Protection Unit"),
        ("Veldora National Referral Hospital", "Capital Rape Crisis Centre"),
        ("Capital Rape Crisis Centre", "Safe Haven Women's Refuge"),
        ("Capital Rape Crisis Centre", "Capital Community Legal Clinic"),
        (health_directorate(CAPITAL), "Capital Women's Counselling Centre"),
        ("Capital Women's Counselling Centre", "Veldora Women's Legal Network"),
        ("Saltmarsh General Hospital", "Saltmarsh Women's Rights Collective"),
        ("Saltmarsh Women's Rights Collective", "Saltmarsh Interfaith Refuge"),
        ("Veldora Child Helpline", "Child Protection Network Veldora"),
        ("Child Protection Network Veldora", "Department of Social Welfare"),
        ("Rainbow Veldora", "Sisters Against Violence"),
        ("Migrant Women's Support Network", "Legal Aid Board"),
        ("Disabled Women's Association of Veldora", "Women's Shelter Alliance of Veldora"),
        ("National Police Service — Family Protection Unit", "Office of the Director of Public Prosecutions"),
        ("Office of the Director of Public Prosecutions", "Veldora Women's Legal Network"),
        ("Sisters Against Violence", "Women's Shelter Alliance of Veldora"),
        ("Highcrest Women's Forum", health_directorate(THIRD_CITY)),
        ("Lowriver Women's Cooperative", health_directorate("Lowriver")),
        ("Health Without Frontiers International", "Capital Women's Counselling Centre"),
        ("Lakeside Women's Circle", "Women's Shelter Alliance of Veldora"),
        ("Westreach Mothers' Union", health_directorate("Westreach")),
        ("Sunplain Youth Network", "Child Protection Network Veldora"),
        ("Northmoor Women's Action Group", health_directorate("Northmoor")),
        ("Veldora Counselling Association", "Lifeline Veldora"),
        ("St Brigid's Mission Health Service", "Veldora Relief Society"),
        ("Association of Women Lawyers of Veldora", "Women's Shelter Alliance of Veldora"),
        ("Veldora Relief Society", "Care Across Borders"),
    ),
    "coordination": (
        ("Veldora Women's Legal Network", "Association of Women Lawyers of Veldora"),
        ("Women's Shelter Alliance of Veldora", "Sisters Against Violence"),
        ("Women's Shelter Alliance of Veldora", "Safe Haven Women's Refuge"),
        ("Women's Shelter Alliance of Veldora", "Eastvale Women's Shelter Trust"),
        ("Women's Shelter Alliance of Veldora", "Redcliff Safe House"),
        ("Capital City Council", health_directorate(CAPITAL)),
        ("Capital City Council", police_command(CAPITAL)),
        ("Saltmarsh Regional Council", health_directorate(SECOND_CITY)),
        ("Saltmarsh Regional Council", police_command(SECOND_CITY)),
        ("Highcrest Regional Council", health_directorate(THIRD_CITY)),
        ("Lowriver Regional Council", police_command("Lowriver")),
        ("Greenbay Regional Council", health_directorate("Greenbay")),
        ("Eastvale Regional Council", "Eastvale Women's Shelter Trust"),
        ("Northmoor Regional Council", "Northmoor Women's Action Group"),
        ("Veldora Feminist Coalition", "Veldora Women's Legal Network"),
        ("Men for Equality Veldora", "Young Women's Leadership Initiative"),
        ("Rural Women's Voice", "Ironhills Women Miners' Association"),
        ("Inter-Religious Council of Veldora", "Mistwood Village Elders Council"),
    ),
    "information_sharing": (
        ("National Statistics Office", "Ministry of Health"),
        ("National Statistics Office", "National Police Service"),
        ("National Statistics Office", "Ministry of Gender, Women and Children's Affairs"),
        ("National Statistics Office", "University of Veldora — Centre for Gender Studies"),
        ("National Statistics Office", "United Nations Population Fund"),
        ("University of Veldora — Centre for Gender Studies", "Veldora Women's Legal Network"),
        ("University of Veldora — Centre for Gender Studies", "Sisters Against Violence"),
        ("University of Veldora — Centre for Gender Studies", "Saltmarsh Institute of Social Research"),
        ("Saltmarsh Institute of Social Research", "Saltmarsh Women's Rights Collective"),
        ("Lifeline Veldora", "National Statistics Office"),
        ("Veldora Telecom", "Lifeline Veldora"),
        ("Veldora Broadcasting Corporation", "Ministry of Information and Broadcasting"),
        ("Veldora Broadcasting Corporation", "Men for Equality Veldora"),
        ("Veldora Media Women's Association", "Veldora Broadcasting Corporation"),
        ("Inter-Religious Council of Veldora", "Ministry of Gender, Women and Children's Affairs"),
        ("National Human Rights Commission", "Veldora Women's Legal Network"),
        ("United Nations Children's Fund", "Ministry of Education"),
        ("United Nations Entity for Gender Equality and the Empowerment of Women", "Veldora Feminist Coalition"),
        ("National Police Academy", "National Police Service — Family Protection Unit"),
        ("Department of Immigration and Civil Registration", "Migrant Women's Support Network"),
        ("Veldora Defence Force — Military Police", "National Police Service"),
        ("Judiciary of Veldora", "Office of the Director of Public Prosecutions"),
    ),
    "funding": (
        ("Nordland Development Cooperation", "Women's Shelter Alliance of Veldora"),
        ("Nordland Development Cooperation", "Veldora Women's Legal Network"),
        ("Nordland Development Cooperation", "Lifeline Veldora"),
        ("Nordland Development Cooperation", "Capital Rape Crisis Centre"),
        ("Embassy of Aurelia — Gender Equality Fund", "Rural Women's Voice"),
        ("Embassy of Aurelia — Gender Equality Fund", "Disabled Women's Association of Veldora"),
        ("Embassy of Aurelia — Gender Equality Fund", "Saltmarsh Women's Rights Collective"),
        ("Embassy of Aurelia — Gender Equality Fund", "Highcrest Women's Forum"),
        ("Global Fund for Women's Safety", "Safe Haven Women's Refuge"),
        ("Global Fund for Women's Safety", "Eastvale Women's Shelter Trust"),
        ("Global Fund for Women's Safety", "Lowriver Women's Cooperative"),
        ("Global Fund for Women's Safety", "Young Women's Leadership Initiative"),
        ("Veldora Community Foundation", "Northmoor Women's Action Group"),
        ("Veldora Community Foundation", "Lakeside Women's Circle"),
        ("Veldora Community Foundation", "Sunplain Youth Network"),
        ("Meridian Union Delegation to Veldora", "Ministry of Gender, Women and Children's Affairs"),
        ("Meridian Union Delegation to Veldora", "Legal Aid Board"),
    ),
    "reporting": (
        ("National Police Service — Family Protection Unit", "National Police Service"),
        ("Office of the Director of Public Prosecutions", "Ministry of Justice and Constitutional Affairs"),
        ("Ministry of Gender, Women and Children's Affairs", "Office of the President"),
        ("Department of Social Welfare", "Ministry of Gender, Women and Children's Affairs"),
        ("National Human Rights Commission", "Parliamentary Committee on Gender and Social Development"),
        ("Veldora Correctional Service", "Ministry of Home Affairs"),
        *((health_directorate(region), "Ministry of Health") for region in REMOTE_REGIONS),
        *((police_command(region), "National Police Service") for region in REMOTE_REGIONS),
    ),
}
# Actors nobody links to: the app's network page should find them.
ISOLATED = (
    "Ministry of Defence",
    "Department of Religious Affairs",
    "Veldora Chamber of Commerce and Industry",
    "Highcrest Mining Company",
    "Duskvale Regional Council",
)
LINK_NOTES = {
    "funding": "Core and project funding, 2025-2027.",
    "reporting": "Quarterly report.",
}


def referral_chain_pairs() -> list[tuple[str, str]]:
    pairs = []
    for region, (legal_aid, shelter) in JOINED_UP_CHAINS.items():
        police = police_command(region)
        pairs += [(health_directorate(region), police), (police, legal_aid), (legal_aid, shelter)]
    for region in BROKEN_CHAINS:
        pairs.append((health_directorate(region), police_command(region)))
    pairs.append((police_command("Northmoor"), "Legal Aid Board"))
    return pairs


def link_plan() -> list[tuple[str, str, str]]:
    """(source, target, link_type) for every link, before anyone's name is abbreviated."""
    plan = [(source, target, "referral") for source, target in referral_chain_pairs()]
    for (broker, link_type), partners in BROKERS.items():
        plan += [(broker, partner, link_type) for partner in partners]
    for link_type, pairs in OTHER_LINKS.items():
        plan += [(source, target, link_type) for source, target in pairs]
    return plan


def make_links(actors: list[Actor], rng: random.Random) -> list[dict]:
    actors_by_name = {actor.name: actor for actor in actors}
    plan = link_plan()
    if len(set(plan)) != len(plan):
        raise ValueError("a link is planned twice")
    linked = {name for source, target, _ in plan for name in (source, target)}
    if set(actors_by_name) - linked != set(ISOLATED):
        raise ValueError(f"actors without links: {sorted(set(actors_by_name) - linked)}, expected {ISOLATED}")
    return [
        {
            "source": mention(actors_by_name[source], rng),
            "target": mention(actors_by_name[target], rng),
            "link_type": link_type,
            "notes": LINK_NOTES.get(link_type),
        }
        for source, target, link_type in plan
    ]


# ---------------------------------------------------------------------------- output


def region_row(region: Region) -> dict:
    return {
        "region": region.name,
        "region_code": region.code,
        "parent": COUNTRY,
        "population": region.population,
        "population_women": region.population_women,
    }


def write_workbook(path: Path, sheets: dict[str, list[dict]]) -> None:
    workbook = Workbook(write_only=True)
    for sheet_name in SHEET_ORDER:
        columns = list(sheet(sheet_name).columns)
        for row in sheets[sheet_name]:
            if set(row) - set(columns):
                raise ValueError(f"{sheet_name}: not in the contract: {sorted(set(row) - set(columns))}")
        worksheet = workbook.create_sheet(sheet_name)
        worksheet.freeze_panes = "A2"
        worksheet.append(columns)
        for row in sheets[sheet_name]:
            worksheet.append([row.get(column) for column in columns])
    title = f"{COUNTRY} (fictional sample data)"
    path.write_bytes(stable_xlsx(workbook, creator="sample_data/make_sample.py", title=title, dated=FIXED_TIMESTAMP))


def write_geojson(path: Path, regions: list[Region]) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"region": region.name, "region_code": region.code},
            "geometry": {"type": "Polygon", "coordinates": [[list(point) for point in region.ring]]},
        }
        for region in regions
    ]
    # One feature per line, keys sorted: stable bytes and a readable diff.
    lines = ",\n".join(json.dumps(feature, sort_keys=True, ensure_ascii=False) for feature in features)
    name = json.dumps(f"{COUNTRY} (fictional)", ensure_ascii=False)
    text = f'{{"features": [\n{lines}\n], "name": {name}, "type": "FeatureCollection"}}\n'
    path.write_text(text, encoding="utf-8", newline="\n")


def build(rng: random.Random) -> tuple[dict[str, list[dict]], list[Region]]:
    regions = make_regions(rng)
    actors = make_actors(rng)
    sheets = {
        "actors": [actor_row(actor) for actor in actors],
        "services": make_services(regions, actors, rng),
        "regions": [region_row(region) for region in regions],
        "coordination_bodies": make_bodies(actors, rng),
        "links": make_links(actors, rng),
    }
    return sheets, regions


def main(out_dir: Path = OUT_DIR) -> dict[str, int]:
    """Write the workbook and the boundaries into out_dir; return the row count of each sheet."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sheets, regions = build(random.Random(SEED))
    write_workbook(out_dir / WORKBOOK_NAME, sheets)
    write_geojson(out_dir / GEOJSON_NAME, regions)
    return {name: len(rows) for name, rows in sheets.items()}


if __name__ == "__main__":
    for sheet_name, count in main().items():
        print(f"{sheet_name}: {count} rows")
