"""The how-tos of CONTRIBUTING.md work as written: each test takes its example from the guide."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from vawmap.dataset import sample_dataset
from vawmap.gaps.assess import assess
from vawmap.gaps.standards import standards_from_toml
from vawmap.i18n import catalogue, catalogue_problems, read_catalogue
from vawmap.messages import Term, message, render
from vawmap.rules import ESP_SECTOR, ONE_STOP_COUNTS_AS, source
from vawmap.vocab import LANGUAGES, vocabulary

ROOT = Path(__file__).parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"
DATA = ROOT / "vawmap" / "data"
STANDARDS = DATA / "standards.toml"
ENGLISH_CATALOGUE = ROOT / "vawmap" / "locales" / "en.toml"
ESP_SECTORS = {"health", "justice_policing", "social_services", "multi_sector"}
# Modules of app_pages/ that pages import; every other module there is a page.
PAGE_HELPERS = {"__init__", "shared", "regional_view", "mapping_step"}
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"
BODIES_WITH_A_REPORT_COLUMN = b"name,level,Annual report\nNational Task Force,national,yes\nCounty Forum,national,no\n"


def guide_examples(heading: str, language: str = "toml") -> list[str]:
    """The fenced code blocks of one how-to of CONTRIBUTING.md, in order."""
    text = GUIDE.read_text()
    start = text.index(f"### {heading}\n")
    end = text.find("\n### ", start + 1)
    section = text[start : end if end > 0 else len(text)]
    blocks = re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)
    assert blocks, f"no {language} example under '{heading}'"
    return blocks


# --- Add a standard -------------------------------------------------------------------------


def test_a_standard_added_as_the_guide_shows_is_measured_in_every_region():
    example = guide_examples("Add a standard")[0]
    standards = standards_from_toml(STANDARDS.read_text() + "\n" + example)
    added = next(standard for standard in standards.enabled if standard.id == "legal_aid_in_every_region")
    frames = sample_dataset().frames
    results = assess(frames, standards).results
    mine = results[results["standard"] == added.id].set_index("region")
    services = frames["services"]
    active = services[services["status"].fillna("active").eq("active")]
    counted = active[active["service_type"].isin(["legal_aid", "one_stop_centre"])].groupby("region").size()
    regions = list(frames["regions"]["region"])
    assert set(regions) <= set(mine.index)
    assert (mine.loc[regions, "required"] == 1).all()
    assert mine.loc[regions, "actual"].tolist() == counted.reindex(regions, fill_value=0).astype(float).tolist()
    assert (mine.loc[regions, "met"] == (counted.reindex(regions, fill_value=0) >= 1)).all()
    assert "one_stop_centre" not in added.service_types and "legal_aid" in ONE_STOP_COUNTS_AS


def test_a_standard_the_engine_cannot_apply_is_refused_with_its_reason():
    example = guide_examples("Add a standard")[0].replace('"legal_aid"]', '"legal_advice_desk"]')
    with pytest.raises(ValueError, match=r"legal_aid_in_every_region.*unknown service types: legal_advice_desk"):
        standards_from_toml(STANDARDS.read_text() + "\n" + example)


# --- Add a service type ---------------------------------------------------------------------


def test_every_service_type_has_labels_and_an_esp_sector():
    service_types = vocabulary("service_type")
    assert sorted(ESP_SECTOR) == sorted(service_types.values)
    assert set(ESP_SECTOR.values()) <= ESP_SECTORS
    for language in LANGUAGES:
        assert all(service_types.label(value, language) for value in service_types.values), language


def test_the_engine_counts_every_service_type_of_the_vocabulary():
    tallies = assess(sample_dataset().frames).tallies
    assert list(tallies.recorded.columns) == list(vocabulary("service_type").values)
    assert list(tallies.counted.columns) == list(vocabulary("service_type").values)


# --- Add a coordination criterion -----------------------------------------------------------


@pytest.fixture
def contract_with(monkeypatch):
    """Make the contract data/contract.toml plus a block of TOML, for one test. What is built
    from the contract and kept (the sheet specs, the pandera schemas) is dropped before and
    after, so no other test sees the extra column."""
    from vawmap import contract
    from vawmap.ingest import schemas

    def forget() -> None:
        contract.sheets.cache_clear()
        schemas.schema.cache_clear()

    def extend(block: str) -> None:
        data = tomllib.loads((DATA / "contract.toml").read_text() + "\n" + block)
        monkeypatch.setattr(contract, "load_data_file", lambda name: data)
        forget()

    yield extend
    monkeypatch.undo()
    forget()


def test_a_criterion_added_as_the_guide_shows_is_read_checked_and_worded(monkeypatch, contract_with):
    from vawmap import i18n
    from vawmap.gaps import coordination
    from vawmap.ingest import ingest

    column_block, criterion_line, texts = guide_examples("Add a coordination criterion")
    contract_with(column_block)
    criteria_data = tomllib.loads((DATA / "criteria.toml").read_text())
    criteria_data["criteria"].update(tomllib.loads("[criteria]\n" + criterion_line)["criteria"])
    monkeypatch.setattr(coordination, "CHECKLIST", coordination.criteria_from(criteria_data))
    english = {**catalogue("en"), **i18n.flatten(tomllib.loads(texts))}
    monkeypatch.setattr(i18n, "catalogue", lambda language: english)

    uploaded = ingest([("bodies.csv", BODIES_WITH_A_REPORT_COLUMN)]).frames["coordination_bodies"]
    assert uploaded["annual_report"].tolist() == [True, False]
    checklist = coordination.body_checklist(uploaded, sample_dataset()["actors"])
    rows = checklist[checklist["criterion"] == "annual_report"]
    assert rows["met"].tolist() == [True, False]
    assert render(rows["reason"].iloc[0]) == f"Publishes a yearly progress report ({source('networks').short})."
    assert render(rows["reason"].iloc[1]) == f"No yearly progress report ({source('networks').short})."


def test_a_criterion_on_a_column_the_contract_lacks_is_refused():
    from vawmap.gaps import coordination

    criterion_line = guide_examples("Add a coordination criterion")[1]
    criteria_data = tomllib.loads("[criteria]\n" + criterion_line)
    with pytest.raises(ValueError, match="'annual_report' is not a yes_no column of coordination_bodies"):
        coordination.criteria_from(criteria_data)


# --- Add a page -----------------------------------------------------------------------------


def registered_pages() -> list[str]:
    return re.findall(r'st\.Page\(\s*"app_pages/(\w+)\.py"', (ROOT / "app.py").read_text())


def test_every_page_file_is_in_the_navigation_and_runs_in_every_language():
    files = {path.stem for path in (ROOT / "app_pages").glob("*.py")} - PAGE_HELPERS
    pages = registered_pages()
    assert sorted(pages) == sorted(files)
    titles = re.findall(r'title=tr\("(nav\.\w+)"\)', (ROOT / "app.py").read_text())
    assert len(titles) == len(pages)
    for language in LANGUAGES:
        assert [key for key in titles if key not in catalogue(language)] == [], language
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    app.selectbox(key="language").set_value("fr").run()
    for page in pages:
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, page
        assert app.title and app.title[0].value, page


# --- Add a language -------------------------------------------------------------------------


@pytest.fixture
def pseudo_catalogue(tmp_path) -> Path:
    """A catalogue of a made-up language "xx": every English text wrapped in ⟦ ⟧, as a
    translator's copy of en.toml would be, each {placeholder} kept."""
    text = re.sub(
        r'^([a-z_0-9]+ = ")(.*)("(\s+#.*)?)$',
        lambda found: f"{found[1]}{PSEUDO_OPEN}{found[2]}{PSEUDO_CLOSE}{found[3]}",
        ENGLISH_CATALOGUE.read_text(),
        flags=re.M,
    )
    path = tmp_path / "xx.toml"
    path.write_text(text)
    return path


def test_a_language_added_from_a_fixture_catalogue_passes_the_completeness_check(pseudo_catalogue, monkeypatch):
    from vawmap import i18n

    english = catalogue("en")
    translated = read_catalogue(pseudo_catalogue)
    assert all(text.startswith(PSEUDO_OPEN) for text in translated.values())
    assert catalogue_problems(translated, english) == []

    monkeypatch.setattr(i18n, "catalogue", lambda language: translated if language == "xx" else english)
    said = message("finding.sector_missing", sector=Term("sector", "health"), tier=message("finding.tier_minimum"))
    assert render(said, "xx").startswith(PSEUDO_OPEN) and "⟦minimum⟧" in render(said, "xx")


def test_a_half_translated_catalogue_fails_the_completeness_check(pseudo_catalogue):
    lines = pseudo_catalogue.read_text().splitlines()
    without_intro = [line for line in lines if not line.startswith("intro = ")]  # [home] intro, [sectors] intro...
    broken = "\n".join(without_intro).replace("{region}", "{région}", 1)
    pseudo_catalogue.write_text(broken)
    problems = catalogue_problems(read_catalogue(pseudo_catalogue), catalogue("en"))
    assert "missing: home.intro" in problems
    assert any(problem.startswith("placeholders differ from English: ") for problem in problems)


def test_every_language_is_named_in_itself_for_the_menu():
    names = {language: catalogue(language)["app.language_name"] for language in LANGUAGES}
    assert names["en"] == "English" and len(set(names.values())) == len(LANGUAGES)
    assert pd.Series(names).str.strip().astype(bool).all()


# --- The rules' sources ---------------------------------------------------------------------


def test_every_source_a_rule_names_is_a_public_document_of_rules_toml():
    from vawmap.rules import sources
    from vawmap.vocab import load_data_file

    rules = load_data_file("rules.toml")
    named = [*rules["sectors"]["minimum_sources"], *rules["sectors"]["recommended_sources"]]
    named += [rules["one_stop_centre"]["source"]]
    named += [raw["source"] for raw in load_data_file("criteria.toml")["criteria"].values()]
    assert named and sorted(set(named) - set(sources())) == []
    assert all(source.short and len(source.full) > len(source.short) for source in sources().values())
