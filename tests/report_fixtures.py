"""Data for the report tests: the sample with its boundaries, and a small dataset whose names
are hostile (markup, script, formulas) with a confidential shelter whose place is a secret."""

from __future__ import annotations

from vawmap import geo
from vawmap.dataset import SAMPLE_GEOJSON, Dataset, sample_dataset
from vawmap.gaps.assess import assess
from vawmap.ingest import ingest
from vawmap.report.content import Report, report_content

SCRIPT = "<script>alert(1)</script>"
CLOSE_SCRIPT = "</script><script>document.title='owned'</script>"
# In a script, "<!--<script>" makes the parser skip the next "</script>": the page would break
# (plotly writes a figure's JSON with < and / escaped, so it never does).
COMMENT_SCRIPT = "<!--<script>"
IMAGE = '<img src="https://example.com/x.png">'
HYPERLINK = '=HYPERLINK("http://x","y")'
PLUS = "+1"
AT_SUM = "@SUM(A1)"
MINUS = "-2+3"
FORMULA_NAMES = (HYPERLINK, PLUS, AT_SUM, MINUS)
SHELTER_DISTRICT = "Quietdale"
SHELTER_ADDRESS = "7 Secret Lane"
SHELTER_LATITUDE = "-15.4321"
SHELTER_LONGITUDE = "33.4321"
SHELTER_SECRETS = (SHELTER_DISTRICT, SHELTER_ADDRESS, SHELTER_LATITUDE, SHELTER_LONGITUDE)
CONTACT_EMAIL = "director@private.example"


def _quoted(text: str) -> str:
    """A CSV cell holding `text` as it is."""
    return '"' + text.replace('"', '""') + '"'


REGIONS_CSV = (
    "region,population,population_women\n"
    f"{_quoted(SCRIPT)},200000,100000\n"
    f"{_quoted(HYPERLINK)},150000,80000\n"
    f"{PLUS},120000,60000\n"
    "Northmoor,300000,150000\n"
    f"{_quoted(COMMENT_SCRIPT)},90000,45000\n"
)
ACTORS_CSV = (
    "name,actor_type,sector,level,region,influence,interest,contact_email\n"
    f"{_quoted(CLOSE_SCRIPT)},government,health,national,,5,5,{CONTACT_EMAIL}\n"
    f"{_quoted(AT_SUM)},government,police,national,,4,2,\n"
    f"{_quoted(IMAGE)},ngo,womens_organisations,national,,2,5,\n"
    f"{_quoted(MINUS)},government,justice,national,,3,3,\n"
)
SERVICES_CSV = (
    "provider,service_type,region,district,location,latitude,longitude,capacity,confidential\n"
    f"{_quoted(IMAGE)},safe_accommodation,Northmoor,{SHELTER_DISTRICT},{SHELTER_ADDRESS},"
    f"{SHELTER_LATITUDE},{SHELTER_LONGITUDE},12,\n"
    f"{_quoted(AT_SUM)},police_response,{_quoted(SCRIPT)},Brook,1 Open Street,,,,no\n"
    f"{_quoted(CLOSE_SCRIPT)},health_first_line_support,{PLUS},Elm,2 Open Street,,,,no\n"
)
BODIES_CSV = (
    "name,level,region,chair_rank,formal_status,members\n"
    f"{_quoted(HYPERLINK)},national,,minister,yes,{_quoted(AT_SUM + ';' + MINUS)}\n"
)


def hostile_uploads() -> list[tuple[str, bytes]]:
    return [
        ("regions.csv", REGIONS_CSV.encode()),
        ("actors.csv", ACTORS_CSV.encode()),
        ("services.csv", SERVICES_CSV.encode()),
        ("coordination_bodies.csv", BODIES_CSV.encode()),
    ]


def hostile_report_dataset() -> Dataset:
    return Dataset().with_upload(ingest(hostile_uploads()))


def sample_report(language: str, with_boundaries: bool = False) -> Report:
    dataset = sample_dataset()
    assessment = assess(dataset.frames)
    boundaries = None
    if with_boundaries:
        geojson = geo.read_geojson(SAMPLE_GEOJSON.read_bytes())
        prop = geo.best_property(geojson, dataset["regions"])
        assert prop is not None
        boundaries = geo.match_boundaries(geojson, prop, dataset["regions"], list(assessment.people.index))
    return report_content(dataset, assessment, language, boundaries=boundaries)
