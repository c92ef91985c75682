"""Streamlit glue shared by the pages: the session's dataset, language and cached calls.

Per-user data lives only in st.session_state; the cached functions are pure and keyed on
their arguments (file bytes, frames), so users never see each other's data.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from vawmap.contract import sheet
from vawmap.dashboard.network_drawing import NetworkDrawing, network_drawing
from vawmap.dataset import APPEND, REPLACE, Dataset, sample_dataset
from vawmap.gaps.assess import Assessment, assess
from vawmap.gaps.caveats import SheetIntake, intake_after
from vawmap.i18n import DEFAULT_LANGUAGE, t
from vawmap.ingest import ERROR, GROUP_COLUMNS, WARNING, IngestResult, group_problems, render_problems
from vawmap.ingest.isolated import PickledResults, pickled_ingest, upload_digest
from vawmap.ingest.mapping import Mapping as ColumnMapping
from vawmap.ingest.mapping import to_json as mapping_json
from vawmap.ingest.problems import row_list_text
from vawmap.messages import Message, message, percent_text, quantity_text, render
from vawmap.store import (
    StoreError,
    create_workspace,
    database_url,
    list_workspaces,
    load_version,
    newest_version,
    open_store,
    save_version,
)
from vawmap.store.access import may_edit, needs_passphrase
from vawmap.store.workspaces import source_record
from vawmap.template import build_template

DATASET_KEY = "dataset"
WORKSPACE_KEY = "workspace"  # (name, version number, dataset token) of the workspace version opened
WORKSPACE_FAILED_KEY = "workspace_failed"  # the link that could not be opened (said once)
SOURCES_KEY = "sources"  # {dataset token: [(file, sha256, size)]}: the files of the loaded upload
MAPPING_USED_KEY = "mapping_used"  # {dataset token: the mapping profile (JSON) the upload was read through}
AUTHOR_KEY = "author"  # the name the user types once per session, for the versions they save
UNLOCKED_KEY = "unlocked"  # the workspaces this session gave the editor passphrase of
INTAKE_KEY = "intake"  # (dataset token, {sheet: SheetIntake}): how the dataset's uploads went
DISPLAY_LIMIT = 2_000  # rows a table sends to the browser per rerun; downloads have them all
LANGUAGE_KEY = "language"
# The Data page's table of problems: where (the first row, the rows, how many), then what.
PROBLEM_TABLE_COLUMNS = ["file", "sheet", "row", "rows", "count", "column", "severity", "message", "suggestion"]


def language() -> str:
    return st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)


def tr(key: str, **params) -> str:
    """t() in the session's language."""
    return t(key, language(), **params)


# ── text from the data, shown as typed ─────────────────────────────────────────────────────
# Nearly every Streamlit element reads its text as Markdown (st.markdown's documentation):
# GitHub-flavoured Markdown, KaTeX between $, :color[...] and other directives, :material/...:
# icons, emoji shortcodes, typographic arrows. An uploaded name means none of that, so md()
# escapes each character where Markdown would give it a meaning, and only there: an ordinary
# name (Côte d'Ivoire, Women's Network, sample_country.xlsx) is left exactly as it was.
# Options of a select box or multiselect and the cells of st.dataframe are plain text: they
# take names as they are (escaped, their backslashes would show). Charts: vawmap.charts.shown().

# Markup anywhere in a line: emphasis, code, strikethrough, links and images, HTML and
# autolinks, KaTeX, directives and icons, tables; a backslash makes each literal (CommonMark).
_INLINE = re.compile(r"([\\`*~\[\]<>$:|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # &lt; &#60; would be read as the character they name
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # only between two letters is _ never emphasis
# Markup at the start of a line (a name may open an element): headings, lists, rules.
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")
# Some rules run after escapes are undone: the GFM autolinks (https://..., www., name@host),
# emoji and logo shortcodes (:name:) and the typographic arrows (--, ->, <=... between
# spaces). An invisible WORD JOINER inside each breaks them; the line never breaks there.
_WORD_JOINER = "\u2060"
_JOIN_AFTER = re.compile(r"([:@]|\bwww(?=\.))", re.IGNORECASE)
_ARROW = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")
# A line break would let the next line start a heading, a list or a code block.
_LINE_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def md(text: object) -> str:
    """Text from the data (a name, a file name) as Markdown that shows exactly that text."""
    text = _LINE_SPACE.sub(" ", str(text))
    text = _ARROW.sub(lambda found: found[1][0] + _WORD_JOINER + found[1][1:], text)
    text = _JOIN_AFTER.sub(lambda found: found[1] + _WORD_JOINER, text)
    text = _INLINE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(lambda found: found[1] + found[2][:-1] + "\\" + found[2][-1], text)


def number(value: float) -> str:
    """A count or a quantity as the session's language writes it (1 118 546 in French)."""
    return quantity_text(value, language())


def percent(value: float) -> str:
    """A share as the session's language writes it (45 % in French)."""
    return percent_text(value, language=language())


def said(value: Message) -> str:
    """A message in the session's language, for a Markdown element: the data it quotes escaped."""
    return render(value, language(), escape=md)


@st.cache_data(show_spinner=False)
def _sample() -> Dataset:
    return sample_dataset()


def current_dataset() -> Dataset:
    """The session's dataset: the workspace version the link names (?ws=NAME&v=N), loaded when
    the link changes; else what the session loaded; else the sample."""
    opened = _workspace_from_link()
    if opened is not None:
        return opened
    if DATASET_KEY not in st.session_state:
        st.session_state[DATASET_KEY] = _sample()
    return st.session_state[DATASET_KEY]


def current_workspace() -> tuple[str, int] | None:
    """(workspace, version number) of what the session shows, when it comes from a workspace."""
    shown = st.session_state.get(WORKSPACE_KEY)
    dataset = st.session_state.get(DATASET_KEY)
    if shown is None or dataset is None or dataset.token != shown[2]:
        return None
    return shown[0], shown[1]


def _workspace_from_link() -> Dataset | None:
    name = st.query_params.get("ws")
    if not name:
        return None
    asked = st.query_params.get("v")
    number = int(asked) if asked and asked.isdigit() else None
    shown = st.session_state.get(WORKSPACE_KEY)
    if shown is not None and shown[0] == name and (number is None or shown[1] == number):
        return None  # opened already: the session's dataset is it, or what was loaded since
    if st.session_state.get(WORKSPACE_FAILED_KEY) == (name, number):
        return None
    try:
        opened_number = newest_version(open_store(), name) if number is None else number
        dataset = workspace_version(name, opened_number)
    except StoreError as error:
        st.session_state[WORKSPACE_FAILED_KEY] = (name, number)
        st.error(render(error.message, language()), icon=":material/error:")
        return None
    set_dataset(dataset)
    st.session_state[WORKSPACE_KEY] = (name, opened_number, dataset.token)
    st.query_params["v"] = str(opened_number)  # the link now names the version shown
    return dataset


def workspace_version(name: str, number: int) -> Dataset:
    """A workspace version; StoreError when there is none."""
    return _stored_version(database_url(), name, number)


@st.cache_resource(show_spinner=False, max_entries=16)
def _stored_version(url: str, name: str, number: int) -> Dataset:
    """A version never changes: loaded once per server, shared read-only by the sessions
    showing it. Keyed by the store too, so two stores' versions of one name never mix."""
    return load_version(open_store(url), name, number)


def is_protected(name: str) -> bool:
    """Whether the workspace has an editor passphrase (False for one not saved yet)."""
    try:
        return needs_passphrase(open_store(), name)
    except StoreError:
        return False


def unlock(name: str, passphrase: str) -> bool:
    """Give the workspace's editor passphrase for this session; True when it is the right one.
    Only the fact is kept in the session, never the passphrase."""
    if not may_edit(open_store(), name, passphrase):
        return False
    st.session_state.setdefault(UNLOCKED_KEY, set()).add(name)
    return True


def unlocked(name: str) -> bool:
    """Whether this session gave the workspace's passphrase (no database read)."""
    return name in st.session_state.get(UNLOCKED_KEY, set())


def may_change(name: str) -> bool:
    """Whether this session may save into the workspace: one without a passphrase, one not
    saved yet, or one whose passphrase the session gave."""
    return unlocked(name) or not is_protected(name)


def sees_contacts() -> bool:
    """Contacts are shown only to an editor of a protected workspace, who gave its passphrase:
    without one, anyone who opens the app would see them."""
    shown = current_workspace()
    return shown is not None and unlocked(shown[0]) and is_protected(shown[0])


def save_to_workspace(name: str, author: str, note: str) -> int:
    """Save the session's dataset as the next version of the workspace (made when new), its
    parent the version the session shows; the link then names the saved version."""
    engine, dataset = open_store(), current_dataset()
    if not may_change(name):
        raise StoreError(message("store.passphrase_needed", name=name))
    if name not in {space.name for space in list_workspaces(engine)}:
        create_workspace(engine, name, language())
    shown = current_workspace()
    parent = shown[1] if shown is not None and shown[0] == name else None
    sources = st.session_state.get(SOURCES_KEY, {}).get(dataset.token, [])
    mapping = st.session_state.get(MAPPING_USED_KEY, {}).get(dataset.token)
    saved = save_version(
        engine, name, dataset.frames, author=author, note=note, sources=sources, parent=parent, mapping=mapping
    )
    open_version(name, saved.number, current_intake())
    return saved.number


def open_version(name: str, number: int, intake: Mapping[str, SheetIntake] | None = None) -> None:
    """Show a version the session just saved, and name it in the link."""
    stored = workspace_version(name, number)
    set_dataset(stored, intake)
    st.session_state[WORKSPACE_KEY] = (name, number, stored.token)
    st.query_params.update({"ws": name, "v": str(number)})


def remember_sources(
    dataset: Dataset, uploads: Sequence[tuple[str, bytes]], mapping: ColumnMapping | None = None
) -> None:
    """The files a dataset was loaded from (name, sha256, size), and the mapping they were read
    through, kept for its first save."""
    st.session_state[SOURCES_KEY] = {dataset.token: [source_record(name, data) for name, data in uploads]}
    st.session_state[MAPPING_USED_KEY] = {dataset.token: mapping_json(mapping)} if mapping is not None else {}


def set_dataset(dataset: Dataset, intake: Mapping[str, SheetIntake] | None = None) -> None:
    """Make `dataset` the session's, with how its sheets' uploads went (rows set aside...)."""
    st.session_state[DATASET_KEY] = dataset
    st.session_state[INTAKE_KEY] = (dataset.token, dict(intake or {}))


def reset_to_sample() -> None:
    set_dataset(_sample())


def current_intake() -> dict[str, SheetIntake]:
    """How the current dataset's sheets were uploaded; {} when not known (the sample, a dataset
    set some other way): then only empty sheets are caveats."""
    token, intake = st.session_state.get(INTAKE_KEY, (None, {}))
    return intake if token == current_dataset().token else {}


def load_upload(result: IngestResult, mode: str = REPLACE, start_over: bool = False) -> Dataset:
    """Load an upload's accepted rows. Over the sample (or when starting over) the dataset is the
    upload alone: a real country's sheets are never mixed with the fictional one's. Otherwise
    the upload replaces (or, appending, adds to) the sheets it brings and keeps the others."""
    current = current_dataset()
    alone = start_over or current.is_sample
    loaded = (Dataset() if alone else current).with_upload(result, mode)
    before = {} if alone else current_intake()
    set_dataset(loaded, intake_after(before, result, mode == APPEND, loaded.counts()))
    return loaded


def upload_effect(dataset: Dataset, result: IngestResult) -> tuple[list[str], list[str]]:
    """The sheets an upload would replace (they hold rows now, other than rows derived from
    another sheet, as the actors a 3W names are) and those it would add."""
    derived = dataset.derived_counts()
    replaced = [name for name in result.loadable if len(dataset[name]) > derived.get(name, 0)]
    return replaced, [name for name in result.loadable if name not in replaced]


@st.cache_resource(show_spinner=False)
def _upload_checks() -> PickledResults:
    """The results of upload checks, by a digest of the files: a bounded number of bytes in all,
    never the uploaded bytes themselves (an unbounded cache keyed on them once held gigabytes)."""
    return PickledResults()


def check_upload(
    uploads: tuple[tuple[str, bytes], ...], known: dict[str, pd.DataFrame], mapping: ColumnMapping | None = None
) -> IngestResult:
    """ingest() of the uploads (through the mapping, when given), run in a child process with
    memory and time limits, so a hostile or broken file never takes the server down
    (vawmap/ingest/isolated.py). Not keyed on the language: the problems are messages, worded
    anew when the language changes."""
    checks, key = _upload_checks(), upload_digest(uploads, known, mapping)
    pickled = checks.get(key)
    if pickled is None:
        pickled = pickled_ingest(uploads, known, mapping=mapping)
        checks.put(key, pickled)
    return pickle.loads(pickled)  # each session gets its own frames


@st.cache_data(show_spinner=False, max_entries=4)
def template_bytes(regions: tuple[str, ...], actors: tuple[str, ...], language: str) -> bytes:
    return build_template(regions=regions, actors=actors, language=language)


def problem_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The problems in the session's language, one row per group of rows with the same problem:
    messages and suggestions worded, severities and headers translated, the group's first row,
    its rows ("3–12, 14 …") and how many (the CSV download lists every row)."""
    groups = group_problems(problems)
    shown = render_problems(groups, language())
    shown["severity"] = shown["severity"].map({severity: tr(f"problems.{severity}") for severity in (ERROR, WARNING)})
    shown["rows"] = [row_list_text(rows, count) for rows, count in zip(groups["rows"], groups["count"])]
    return shown[PROBLEM_TABLE_COLUMNS].rename(columns={column: tr(f"problems.{column}") for column in GROUP_COLUMNS})


def sheet_label(sheet_name: str) -> str:
    return sheet(sheet_name).label_in(language())


# ── the gap engine and the dashboard tables, cached on the dataset's token ─────────────────
# A leading underscore keeps an argument out of the cache key: the token names the content.
# The assessment holds no words (its findings and reasons are Messages), so it is cached on
# the token alone: a change of language re-renders the same assessment without recomputing it.


@st.cache_data(show_spinner=False, max_entries=16)
def assessment_of(_dataset: Dataset, token: str) -> Assessment:
    return assess(_dataset.frames)


def current_assessment() -> Assessment:
    dataset = current_dataset()
    return assessment_of(dataset, dataset.token)


@st.cache_data(show_spinner=False, max_entries=16)
def network_drawing_of(_dataset: Dataset, token: str) -> NetworkDrawing:
    metrics = assessment_of(_dataset, token).actor_metrics
    return network_drawing(_dataset["actors"], _dataset["links"], metrics)


def empty_state(message_key: str, page: str = "app_pages/data.py") -> None:
    """What is missing and where to add it, instead of an empty chart."""
    st.info(tr(message_key), icon=":material/info:")
    st.page_link(page, label=tr("nav.data"), icon=":material/table_view:")


def page_start(
    title_key: str, needs: tuple[str, ...], empty_key: str, intro_key: str | None = None
) -> tuple[Dataset, Assessment]:
    """A page's title and intro; when every sheet it needs is empty, what to add (and stop)."""
    dataset = current_dataset()
    st.title(tr(title_key))
    if intro_key:
        st.caption(tr(intro_key))
    if all(dataset[name].empty for name in needs):
        empty_state(empty_key)
        st.stop()
    return dataset, current_assessment()
