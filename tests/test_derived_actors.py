"""Organisations that services name and no actors sheet lists become actors: one per
organisation whatever its spellings, with its type read from an org-type column as people write
it, its sector from the 3W cluster where that names one, and flagged to complete."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.builders import xlsx
from vawmap.dashboard.stakeholders import SECTOR_NOT_GIVEN, sector_level_matrix
from vawmap.dataset import Dataset, sample_dataset
from vawmap.gaps.coverage import MISSING, sector_coverage
from vawmap.ingest import ingest
from vawmap.ingest.derived import actor_type_of

# A 3W as a new user brings it: organisation names in several spellings, an acronym column,
# an org-type column in the words people write, a cluster column, no actors sheet.
THREE_W_HEADER = ["Organisation", "Org. Acronym", "Type of Organization", "Sector/Cluster", "Service type", "Region"]
THREE_W_ROWS = [
    THREE_W_HEADER,
    ["United Nations Children's Fund (UNICEF)", "", "UN agency", "Health", "Helpline", "Lofa"],
    ["UNICEF", "", "UN Agencies", "Health", "Helpline", "Bong"],
    ["unicef", "", "", "", "Legal aid", "Bong"],
    ["Save the Children", "SCI", "INGO", "Education", "Helpline", "Lofa"],
    ["SavetheChildren", "", "Int'l NGO", "Education", "Legal aid", "Bong"],
    ["Ministère de la Santé", "", "Goverment", "Protection", "Helpline", "Lofa"],
    ["ministere de la sante", "", "Goverment", "Protection", "Legal aid", "Bong"],
    ["Mystery Org", "", "", "", "Helpline", "Lofa"],
]
THREE_W = xlsx({"services": THREE_W_ROWS})
ORGANISATIONS = 4  # UNICEF, Save the Children, the ministry, Mystery Org

ORG_TYPE_SPELLINGS = {
    "INGO": "international_ngo",
    "Int'l NGO": "international_ngo",
    "International NGOs": "international_ngo",
    "ONG internationale": "international_ngo",
    "NGOs": "ngo",
    "Nat. NGO": "ngo",
    "ONG nationale": "ngo",
    "UN agency": "un_agency",
    "UN Agencies": "un_agency",
    "Agence des Nations Unies": "un_agency",
    "Agencia de la ONU": "un_agency",
    "Goverment": "government",
    "Govt": "government",
    "Gobierno": "government",
    "Women's organisations": "womens_organisation",
    "CBO": "community_faith",
    "Faith-based organisation": "community_faith",
    "Donors": "donor",
}


def derived_of(rows=THREE_W_ROWS) -> tuple[pd.DataFrame, Dataset]:
    result = ingest([("3w.xlsx", xlsx({"services": rows}))])
    return result.derived["actors"], Dataset().with_upload(result)


@pytest.mark.parametrize(("written", "actor_type"), ORG_TYPE_SPELLINGS.items())
def test_org_types_are_read_as_people_write_them(written, actor_type):
    assert actor_type_of(written) == actor_type


@pytest.mark.parametrize("written", ["", "xyz", "Other", "N/A"])
def test_an_org_type_not_recognised_is_left_to_complete(written):
    assert actor_type_of(written) is None


def test_each_organisation_becomes_one_actor_whatever_its_spellings():
    derived, dataset = derived_of()

    assert len(derived) == ORGANISATIONS
    actors = dataset["actors"].set_index("name")
    assert sorted(actors.index) == [
        "Ministère de la Santé",
        "Mystery Org",
        "Save the Children",
        "United Nations Children's Fund",
    ]
    assert actors.loc["United Nations Children's Fund", "acronym"] == "UNICEF"
    assert actors.loc["Save the Children", "acronym"] == "SCI"
    assert actors["derived"].all()
    services = dataset["services"]
    assert services["provider_id"].notna().all()
    # Health and Education cluster rows are no service for survivors (set aside), yet their
    # organisations are at the table: Save the Children is an actor and provides no service here.
    assert set(services["provider_id"]) == set(actors["actor_id"]) - {actors.loc["Save the Children", "actor_id"]}


def test_type_and_sector_come_from_the_3w_where_it_says_them():
    _, dataset = derived_of()
    actors = dataset["actors"].set_index("name")

    assert actors.loc["United Nations Children's Fund", ["actor_type", "sector"]].tolist() == ["un_agency", "health"]
    assert actors.loc["Save the Children", ["actor_type", "sector"]].tolist() == ["international_ngo", "education"]
    # Protection says what the ministry does, not which sector it represents: left to complete
    assert actors.loc["Ministère de la Santé", "actor_type"] == "government"
    assert pd.isna(actors.loc["Ministère de la Santé", "sector"])
    assert actors.loc["Mystery Org", ["actor_type", "sector", "level"]].isna().all()
    assert actors["level"].isna().all()  # a 3W never says the level: kept, to complete


def test_a_derived_actor_without_sector_is_shown_as_sector_not_given_and_covers_nothing():
    _, dataset = derived_of()
    actors = dataset["actors"]

    matrix = sector_level_matrix(actors)
    assert matrix.loc[SECTOR_NOT_GIVEN].sum() == 2  # the ministry and Mystery Org, not hidden
    coverage = sector_coverage(actors, dataset["coordination_bodies"]).set_index("sector")
    assert coverage.loc["health", "actor_count"] == 1  # UNICEF, from the Health cluster
    assert coverage.loc["justice", "status"] == MISSING
    assert int(coverage["actor_count"].sum()) == 2  # UNICEF (health), Save the Children (education)


def test_an_organisation_an_actors_sheet_lists_is_not_derived():
    known = sample_dataset().frames
    listed = known["actors"].iloc[0]
    rows = [THREE_W_HEADER, [str(listed["name"]).upper(), "", "", "", "Helpline", "Lofa"], THREE_W_ROWS[-1]]

    result = ingest([("3w.xlsx", xlsx({"services": rows}))], known=known)

    assert result.derived["actors"]["name"].tolist() == ["Mystery Org"]
    assert result.frames["services"]["provider_id"].iloc[0] == listed["actor_id"]


def test_a_near_miss_of_a_listed_actor_stays_a_warning_not_a_second_actor():
    known = sample_dataset().frames
    name = str(known["actors"]["name"].iloc[0])
    typo = name[:-1]  # one letter short
    rows = [THREE_W_HEADER, [typo, "", "", "", "Helpline", "Lofa"]]

    result = ingest([("3w.xlsx", xlsx({"services": rows}))], known=known)

    assert result.derived["actors"].empty
    assert result.problems["message"].map(lambda said: said.key).tolist().count("problem.actor_unknown") == 1


def test_derived_ids_never_take_a_listed_actors_id():
    actors = [
        ["Name", "Acronym", "Actor type", "Sector", "Level"],
        ["Some ministry", "SCI", "government", "health", "national"],
    ]
    services = [["Provider", "Service type", "Region"], ["Save the Children International", "Helpline", "Lofa"]]
    result = ingest([("3w.xlsx", xlsx({"actors": actors, "services": services}))])
    dataset = Dataset().with_upload(result)

    assert dataset["actors"]["actor_id"].is_unique
    assert len(dataset.derived_actors()) == 1


def test_loading_an_actors_sheet_later_keeps_the_derived_actors_it_does_not_list():
    _, dataset = derived_of()
    actors = [
        ["Name", "Acronym", "Actor type", "Sector", "Level"],
        ["UNICEF", "UNICEF", "un_agency", "un_international", "national"],
    ]

    later = dataset.with_upload(ingest([("actors.xlsx", xlsx({"actors": actors}))]))

    assert sorted(later.derived_actors()["name"]) == ["Ministère de la Santé", "Mystery Org", "Save the Children"]
    assert (~later["actors"]["derived"]).sum() == 1
    assert later["services"]["provider_id"].notna().all()


def test_validate_json_counts_the_derived_actors(tmp_path, capsys):
    from vawmap.cli import main

    path = tmp_path / "3w.xlsx"
    path.write_bytes(THREE_W)
    main(["validate", str(path), "--json"])

    assert json.loads(capsys.readouterr().out)["derived"] == {"actors": ORGANISATIONS}


def test_the_data_page_says_how_many_organisations_become_actors():
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60).run()
    app = app.switch_page("app_pages/data.py").run()
    app = app.file_uploader(key="upload").set_value(("3w.xlsx", THREE_W, "application/octet-stream")).run()

    assert not app.exception
    # over the sample, names the sample's actors already have are not derived again
    [said] = [info.value for info in app.info if "organisations that the services name" in info.value]
    assert int(said.split()[0]) in range(1, ORGANISATIONS + 1)
