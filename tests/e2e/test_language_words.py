"""Every word a French or Spanish reader sees is French or Spanish: Chromium reads every page of
the navigation (each tab of a page that has tabs, every expander opened, the options of every
list, the text plotly draws) in the language chosen in the sidebar, and fails on
(a) a sentence or label of the English catalogue that the language's catalogue words otherwise,
(b) a raw vocabulary code, contract column or sheet name (head_of_government, service_type,
    coordination_bodies),
(c) a Streamlit default that the page could have set (a multiselect's "Choose options"), and
(d) a metric label cut off at the projector's 1440×900.

The app runs on a store of its own holding a workspace of the sample country with two versions
and a workshop record, so the Workshop, Edit and version comparison show their tables too.
What is found is reported as a list of (page, offending text).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from contextlib import suppress
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from tests.e2e.live_app import CHROMIUM, NAVIGATION, ROOT, recording_page, running_server
from tests.mapping_fixtures import HUMANITARIAN_3W, as_csv
from vawmap.contract import SHEET_ORDER, sheet
from vawmap.dataset import sample_dataset
from vawmap.i18n import catalogue, t
from vawmap.store import create_workspace, open_store, save_version
from vawmap.store import workshop as records
from vawmap.vocab import load_data_file

if not Path(CHROMIUM).exists():
    # scripts/test.sh installs Chromium; in CI its absence is a failure, never a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: scripts/test.sh should have installed Debian's chromium")
    pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)", allow_module_level=True)

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-output" / "screenshots" / "words"
PROJECTOR = {"width": 1440, "height": 900}  # pages are read (and metric labels measured) at this size
WIDE = {"width": 1600, "height": 900}  # the whole navigation shows in French and Spanish
WORKSPACE = "Sample words"
LANGUAGE_NAMES = {"fr": "Français", "es": "Español"}
# Words Streamlit writes itself and gives no parameter to change: they stay in English whatever
# the session's language (README, "The pages"). Each is taken out of the text before the scan.
# Others the scan does not read, for the same reason: the tables' toolbar and column menus (on
# hover), the greyed "None" of an empty cell in an editor, and "N more" where the navigation
# folds the links that do not fit (outside the main area).
STREAMLIT_OWN_WORDS = tuple(
    re.compile(pattern, re.MULTILINE)
    for pattern in (
        r"^Upload$",  # st.file_uploader's button (a line of its own),
        r"\d+MB per file",  # ... its size limit ("50MB per file • XLSX, XLSM, CSV")
        r"Drag and drop files? here",  # ... and its drop zone's words while a file is dragged over it
        r"Browse files",
    )
)
# Texts that name codes on purpose: the columns a scorecard sheet must have, as the file names them.
CODES_NAMED_ON_PURPOSE = ("workshop.upload_scores",)
# Pages whose tables are editors: their grid's hidden table for screen readers holds what a cell
# stores (a vocabulary code), while the cell shows its label (SelectboxColumn's format_func);
# the labels are checked by tests/test_language_edges.py instead.
EDITOR_PAGES = {"edit"}
# Streamlit's words for a widget that takes its own (placeholder=, help=, column_config): each
# one the pages show must be given in the language.
STREAMLIT_SETTABLE_WORDS = ("Choose an option", "Choose options", "No options to select", "Choose or add options")
# Markdown and icons of the catalogue's texts, which the page shows as formatting, not as text.
_MARKUP = re.compile(r"\*\*|`|:material/\w+:|:\w+\[|\]")
_PLACEHOLDER = re.compile(r"\{\w+[^}]*\}")
_LETTER = re.compile(r"[^\W\d_]")


def is_sentence_or_label(literal: str) -> bool:
    """Long enough to be a sentence or a label: two words, or one of eight letters or more
    (punctuation between placeholders, "{actor} · {field}: {before}", is no word)."""
    words = [word for word in literal.split() if _LETTER.search(word)]
    return len(words) >= 2 or len(_LETTER.findall(literal)) >= 8


def english_patterns(language: str) -> dict[str, re.Pattern[str]]:
    """Each English catalogue text the language words otherwise, as a pattern over shown text:
    its placeholders match anything, its spaces any run of white space."""
    english, translated = catalogue("en"), catalogue(language)
    patterns = {}
    for key, text in english.items():
        if translated.get(key, text).strip() == text.strip():
            continue  # the same word in both (Actions, Source): not a sign of English
        plain = _MARKUP.sub("", text)
        parts = [part.strip() for part in _PLACEHOLDER.split(plain)]
        literal = " ".join(part for part in parts if part)
        if not is_sentence_or_label(literal):
            continue
        body = r".{1,80}?".join(r"\s+".join(map(re.escape, part.split())) for part in parts if part)
        patterns[key] = re.compile(rf"(?<!\w){body}(?!\w)")
    return patterns


def raw_codes() -> set[str]:
    """Vocabulary codes and contract column names a reader would take for a typo: those with an _."""
    codes = {value for entries in load_data_file("vocab.toml").values() for value in entries}
    codes |= {name for sheet_name in SHEET_ORDER for name in sheet(sheet_name).columns} | set(SHEET_ORDER)
    return {code for code in codes if "_" in code}


@lru_cache(maxsize=1)
def data_words() -> tuple[str, ...]:
    """The data's own words (the sample's names of actors, regions, bodies, providers, notes;
    the mapped 3W's headers and cells): English because the fictional country and the file
    write English, not because the app forgot a translation.
    Longest first, so a name is taken out before a shorter one inside it."""
    frames = sample_dataset().frames
    words = {
        str(value)
        for frame in frames.values()
        for column in frame.columns
        if frame[column].dtype == object or str(frame[column].dtype).startswith("str")
        for value in frame[column].dropna().unique()
        if isinstance(value, str) and " " in value.strip() and "_" not in value  # a list of codes is no name
    }
    words |= {str(cell) for row in HUMANITARIAN_3W for cell in row}  # the 3W the Data page maps: its own headers
    return tuple(sorted(words, key=len, reverse=True))


def offences(text: str, language: str) -> list[str]:
    """What in `text` is English the language words otherwise, or a raw code."""
    found = [f"Streamlit's default, to set: {words!r}" for words in STREAMLIT_SETTABLE_WORDS if words in text]
    for pattern in STREAMLIT_OWN_WORDS:
        text = pattern.sub(" ", text)
    on_purpose = (t(key, language) for key in CODES_NAMED_ON_PURPOSE)
    for words in (*on_purpose, *data_words()):
        text = text.replace(words, " ")
    found += [
        f"English ({key}): {match[0]!r}"
        for key, pattern in english_patterns(language).items()
        if (match := pattern.search(text))
    ]
    found += [f"code: {code}" for code in sorted(raw_codes()) if re.search(rf"(?<![\w.]){re.escape(code)}(?!\w)", text)]
    return found


# ── the store the server runs on ─────────────────────────────────────────────


@pytest.fixture(scope="module")
def words_server(tmp_path_factory):
    """A server on a store of its own: the sample as a workspace of two versions (the second
    without one actor) and a workshop record of a session, an action item and scores."""
    folder = tmp_path_factory.mktemp("store")
    engine = open_store(f"sqlite:///{folder / 'vawmap.sqlite'}")
    frames = sample_dataset().frames
    create_workspace(engine, WORKSPACE)
    save_version(engine, WORKSPACE, frames, author="Test")
    fewer = {**frames, "actors": frames["actors"].iloc[1:]}
    save_version(engine, WORKSPACE, fewer, author="Test", parent=1)
    actor_ids = list(frames["actors"]["actor_id"].dropna()[:2])
    session = records.add_session(engine, WORKSPACE, dt.date(2026, 3, 14), place="Capital", actors=actor_ids)
    records.add_sector_note(engine, WORKSPACE, session, "women_gender", "Shelter funding cut")
    records.record_change(engine, WORKSPACE, session, actor_ids[0], "engagement", "neutral", "not_engaged")
    records.add_decision(engine, WORKSPACE, session, "Map the referral pathway", actor_ids[0])
    records.add_action(engine, WORKSPACE, session, "Draft the pathway", actor_ids[1], dt.date(2026, 1, 5))
    records.set_criteria(engine, WORKSPACE, ["Policy"])
    scores = pd.DataFrame(
        {"year": [2025, 2026], "actor_id": actor_ids[:1] * 2, "criterion": ["Policy"] * 2, "score": [7.0, 4.0]}
    ).assign(rationale="")
    records.save_scores(engine, WORKSPACE, scores)
    engine.dispose()
    with running_server({"VAWMAP_DATA_DIR": str(folder)}) as url:
        yield url


# ── reading a page as a reader of the language sees it ───────────────────────

# Every text plotly drew as SVG: axis titles, ticks, legends, colour bars, annotations (not hover).
CHART_TEXT = """() => [...document.querySelectorAll('.js-plotly-plot svg text')]
    .filter(node => !node.closest('.hoverlayer') && node.textContent.trim())
    .map(node => node.textContent).join('\\n')"""
# The cells and headers of each table: the grid draws on a canvas and keeps them in a table for
# screen readers, which innerText leaves out.
TABLE_TEXT = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"] table')]
    .map(table => table.textContent ? [...table.querySelectorAll('th, td')].map(c => c.textContent).join('\\n') : '')
    .join('\\n')"""
# Metric labels wider than the space they have: the reader sees them cut.
CUT_METRICS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetricLabel"]')]
    .filter(label => [label, ...label.querySelectorAll('*')].some(node => node.scrollWidth > node.clientWidth + 1))
    .map(label => label.innerText)"""


def wait_for_run(page: Page) -> None:
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")


def visible_text(page: Page, tables: bool = True) -> str:
    """The main area as a person reads it, the tables' cells (unless `tables` is False: editors)
    and the charts' text."""
    main = page.locator("[data-testid='stMain']").inner_text()
    cells = page.evaluate(TABLE_TEXT) if tables else ""
    return "\n".join((main, cells, page.evaluate(CHART_TEXT))).replace("\u2060", "")


def list_options(page: Page, within: str = "[data-testid='stMain']") -> str:
    """The options of every select box and multiselect shown now `within` the element the
    selector names, each list opened in turn."""
    texts = []
    boxes = page.locator(f"{within} :is([data-testid='stSelectbox'], [data-testid='stMultiSelect'])")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if not box.is_visible():
            continue
        try:
            box.locator("input").first.click(timeout=5_000)
            options = page.get_by_role("option")
            options.first.wait_for(timeout=5_000)
            texts += options.all_inner_texts()
        except PlaywrightTimeout:
            continue
        finally:
            page.keyboard.press("Escape")
    return "\n".join(texts)


def open_expanders(page: Page) -> None:
    closed = page.locator("[data-testid='stMain'] [data-testid='stExpander'] details:not([open]) > summary")
    for _ in range(closed.count()):
        summary = closed.first
        if not summary.is_visible():
            break
        summary.click()
        wait_for_run(page)


TAB_SHOWN = "[data-testid='stMain'] [role='tabpanel']:visible"


def read_everything(page: Page, tables: bool = True) -> tuple[str, list[str]]:
    """What the page shows: every tab in turn, every expander opened, every list's options;
    and its metric labels cut off."""
    page.wait_for_timeout(500)  # plotly draws after the run ends
    open_expanders(page)
    texts, cut = [visible_text(page, tables), list_options(page)], page.evaluate(CUT_METRICS)
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        if not tab.is_visible():
            continue
        tab.click()
        wait_for_run(page)
        page.wait_for_timeout(500)
        open_expanders(page)
        texts += [visible_text(page, tables), list_options(page, TAB_SHOWN)]  # the lists outside: read above
        cut += page.evaluate(CUT_METRICS)
    return "\n".join(texts), sorted(set(cut))


def choose_language(page: Page, language: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=LANGUAGE_NAMES[language]).click()
    page.get_by_role("link", name=t("nav.overview", language)).first.wait_for(timeout=45_000)
    wait_for_run(page)


def go_to(page: Page, position: int, section: str, language: str) -> None:
    """The page by its link in the navigation, read at the projector's 1440×900: the
    navigation is widened for the click only, as French and Spanish fold its last links."""
    page.set_viewport_size(WIDE)
    page.locator("[data-testid='stTopNavLink']").nth(position).click()
    page.get_by_role("heading", name=t(f"{section}.title", language)).first.wait_for(timeout=60_000)
    wait_for_run(page)
    page.set_viewport_size(PROJECTOR)
    page.wait_for_timeout(300)  # the layout follows the new width


def open_region(page: Page, language: str) -> None:
    """The drill-down of the first region of the list (its shortfalls and services tabs)."""
    combobox = page.get_by_role("combobox", name=t("regional.region_label", language), exact=True)
    for _ in range(3):  # a click during the rerun a scroll started may close the list again
        combobox.click()
        with suppress(PlaywrightTimeout):
            page.get_by_role("option").first.click(timeout=5_000)
            break
    else:
        page.screenshot(path=SHOTS / "region_list_failed.png", full_page=True)
    page.locator("[data-testid='stMetricLabel']", has_text=t("home.population", language)).first.wait_for(
        timeout=45_000
    )
    wait_for_run(page)


def scan(page: Page, server: str, language: str) -> dict[str, list[str]]:
    """(page, offending text) of every page of the navigation, in `language`."""
    page.goto(f"{server}/?ws={WORKSPACE.replace(' ', '+')}")
    page.get_by_role("heading", name=t("overview.title")).first.wait_for(timeout=60_000)
    wait_for_run(page)
    choose_language(page, language)
    found: dict[str, list[str]] = {}
    for position, (path, section) in enumerate(NAVIGATION):
        go_to(page, position, section, language)
        text, cut = read_everything(page, tables=path not in EDITOR_PAGES)
        if path == "regional_gaps":
            open_region(page, language)
            more, more_cut = read_everything(page)
            text, cut = text + "\n" + more, cut + more_cut
        if path == "data":  # a 3W to map: the mapping step, the check's counts and problems
            page.locator("input[type='file']").first.set_input_files(
                files=[{"name": "3w.csv", "mimeType": "text/csv", "buffer": as_csv(HUMANITARIAN_3W)}]
            )
            page.get_by_text(t("mapping.heading", language)).first.wait_for(timeout=45_000)
            wait_for_run(page)
            more, more_cut = read_everything(page)
            text, cut = text + "\n" + more, cut + more_cut
        if path == "workshop":  # the room view for the projector, then back
            page.get_by_text(t("workshop.room_toggle", language)).first.click()
            page.get_by_role("heading", name=t("workshop.room_title", language)).first.wait_for(timeout=45_000)
            wait_for_run(page)
            page.wait_for_timeout(500)
            text += "\n" + visible_text(page)
            page.get_by_text(t("workshop.room_toggle", language)).first.click()
            page.get_by_role("heading", name=t("workshop.title", language)).first.wait_for(timeout=45_000)
            wait_for_run(page)
        SHOTS.mkdir(parents=True, exist_ok=True)  # what was read, to look at when the scan fails
        page.screenshot(path=SHOTS / f"{path}_{language}.png", full_page=True)
        (SHOTS / f"{path}_{language}.txt").write_text(text, encoding="utf-8")
        found[path] = offences(text, language) + [f"metric label cut: {label!r}" for label in cut]
        assert page.locator("[data-testid='stException']").count() == 0, (path, language)
    return found


def readable(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}: {offence}" for path, offences_ in found.items() for offence in offences_)


@pytest.fixture
def wide_page(browser):
    context, page = recording_page(browser, WIDE)
    yield page
    context.close()


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_word_of_every_page_is_in_the_chosen_language(words_server, wide_page, language):
    found = scan(wide_page, words_server, language)
    counts = {path: len(offences_) for path, offences_ in found.items()}
    assert not any(counts.values()), f"{counts}\n{readable(found)}"


def test_the_scan_finds_english_and_codes():
    """The scan's own check: it must be able to fail."""
    text = "Pour tous: Top findings · service_type · head_of_government · Safe accommodation\nUpload\nChoose options"
    found = offences(text, "fr")
    assert "Streamlit's default, to set: 'Choose options'" in found
    assert "English (overview.top_findings): 'Top findings'" in found
    assert {"code: service_type", "code: head_of_government"} <= set(found)
    assert offences(t("overview.top_findings", "fr") + " · Hébergement sûr", "fr") == []
