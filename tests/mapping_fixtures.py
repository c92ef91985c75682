"""Tables as real sources write them, for the column and value mapping: 3W long tables in
English, French and Spanish, HXL 1.0- and 1.1-tagged tables with two header rows, OCHA 5W
headers, and a humanitarian 3W whose Shelter, Health and Food cluster rows sit next to GBV rows.
"""

from __future__ import annotations

from tests.builders import csv_bytes, xlsx


def as_csv(rows: list[list[object]]) -> bytes:
    return csv_bytes("".join(",".join(str(cell) for cell in row) + "\n" for row in rows))


# A who-what-where table: organisation, its type, activity, region, P-code and country.
THREE_W_EN = [
    ["Organisation", "Organisation type", "Activity", "Region", "P-code", "Country"],
    ["Women's Aid Liberia", "NGO", "Helpline", "Lofa", "LR08", "Liberia"],
    ["Ministry of Health", "Government", "Post-rape care", "Bong", "LR01", "Liberia"],
    ["Legal Aid Network", "NGO", "Legal aid", "Lofa", "LR08", "Liberia"],
]
THREE_W_FR = [
    ["Nom de l'organisation", "Type d'organisation", "Activité", "Région", "Code P", "Pays"],
    ["Association des femmes juristes", "ONG", "Aide juridique", "Kayes", "ML01", "Mali"],
    ["Ministère de la Santé", "Gouvernement", "Soins après un viol", "Mopti", "ML05", "Mali"],
]
# The same with a typographic apostrophe.
THREE_W_FR_TYPOGRAPHIC = [[cell.replace("'", "’") for cell in THREE_W_FR[0]], *THREE_W_FR[1:]]
THREE_W_ES = [
    ["Nombre de la organización", "Tipo de organización", "Actividad", "Departamento", "Pcode", "País"],
    ["Fundación Mujeres", "ONG", "Línea de ayuda", "Cauca", "CO19", "Colombia"],
    ["Fiscalía", "Gobierno", "Apoyo a la fiscalía", "Nariño", "CO52", "Colombia"],
]
THREE_W_COLUMNS = {
    "provider": 0,
    "provider_type": 1,
    "service_type": 2,
    "region": 3,
    "region_code": 4,
}

# HXL 1.1: a text header row, then a hashtag row with attributes.
HXL_11 = [
    ["Implementing partner", "Partner type", "Sector", "Activity", "Region", "Region code", "Notes"],
    ["#org+impl", "#org+type", "#sector+cluster", "#activity", "#adm1+name", "#adm1+code", "#x_notes"],
    ["IRC", "INGO", "GBV", "Psychosocial support", "Lofa", "LR08", ""],
    ["IRC", "INGO", "GBV", "Case management", "Bong", "LR01", ""],
]
# HXL 1.0: the older hashtags (#adm1 for the name, #adm1_id for the code, #lat_deg/#lon_deg).
HXL_10 = [
    ["Who", "What", "Where", "Where code", "Lat", "Lon"],
    ["#org", "#activity", "#adm1", "#adm1_id", "#lat_deg", "#lon_deg"],
    ["IRC", "Helpline", "Lofa", "LR08", "8.1", "-9.7"],
]
HXL_COLUMNS = {
    "HXL 1.1": (
        HXL_11,
        {"provider": 0, "provider_type": 1, "cluster": 2, "service_type": 3, "region": 4, "region_code": 5},
    ),
    "HXL 1.0": (
        HXL_10,
        {"provider": 0, "service_type": 1, "region": 2, "region_code": 3, "latitude": 4, "longitude": 5},
    ),
}

# OCHA 5W headers.
FIVE_W = [
    ["Implementing partner", "Sector/Cluster", "Admin1", "Admin1 P-code", "Activity", "Status"],
    ["UNFPA", "Protection – GBV", "Lofa", "LR08", "Clinical management of rape", "Ongoing"],
    ["UNFPA", "GBV", "Bong", "LR01", "Dignity kits", "Ongoing"],
]
FIVE_W_COLUMNS = {"provider": 0, "cluster": 1, "region": 2, "region_code": 3, "service_type": 4, "status": 5}

# A humanitarian 3W: GBV rows next to Shelter, Health, Food, WASH, Logistics and Education
# cluster rows. Excel rows 2 and 3 are GBV (a type named, then none); 4–9 are other clusters.
HUMANITARIAN_3W = [
    ["Organisation", "Sector", "Activity", "Region"],
    ["IRC", "GBV", "Helpline", "Lofa"],
    ["UNFPA", "Violencia de género", "Case management", "Bong"],
    ["NRC", "Shelter", "Shelter", "Lofa"],
    ["MSF", "Health", "Clinic", "Bong"],
    ["WFP", "Food Security", "Food distribution", "Lofa"],
    ["Oxfam", "WASH", "Latrines", "Bong"],
    ["WFP", "Logistics", "Trucks", "Lofa"],
    ["Save the Children", "Education", "Schools", "Bong"],
]
HUMANITARIAN_GBV_ROWS = {2: "helpline", 3: "vaw_service_unspecified"}
HUMANITARIAN_SET_ASIDE_ROWS = [4, 5, 6, 7, 8, 9]

# A service list with a misspelt service type and a misspelt region, for "accept all suggestions".
MISSPELT_SERVICES = [
    ["Provider", "Service type", "Region"],
    ["MoH", "Helpine", "Montserrado"],
    ["MoH", "Legal aid", "Grand Basa"],
]
MISSPELT_REGIONS = [["Region", "Population"], ["Grand Bassa", 250000], ["Montserrado", 1500000]]
MISSPELT_WORKBOOK = xlsx({"services": MISSPELT_SERVICES, "regions": MISSPELT_REGIONS})
