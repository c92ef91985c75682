"""Streamlit glue shared by the pages: the session's dataset, language and cached calls.

Per-user data lives only in st.session_state; the cached functions are pure and keyed on
their arguments (file bytes, frames), so users never see each other's data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vawmap.contract import sheet
from vawmap.dashboard.network_drawing import NetworkDrawing, network_drawing
from vawmap.dataset import Dataset, sample_dataset
from vawmap.gaps.assess import Assessment, assess
from vawmap.i18n import DEFAULT_LANGUAGE, t
from vawmap.ingest import ERROR, PROBLEM_COLUMNS, WARNING, IngestResult, ingest, render_problems
from vawmap.template import build_template

DATASET_KEY = "dataset"
DISPLAY_LIMIT = 2_000  # rows a table sends to the browser per rerun; downloads have them all
LANGUAGE_KEY = "language"


def language() -> str:
    return st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)


def tr(key: str, **params) -> str:
    """t() in the session's language."""
    return t(key, language(), **params)


@st.cache_data(show_spinner=False)
def _sample() -> Dataset:
    return sample_dataset()


def current_dataset() -> Dataset:
    if DATASET_KEY not in st.session_state:
        st.session_state[DATASET_KEY] = _sample()
    return st.session_state[DATASET_KEY]


def set_dataset(dataset: Dataset) -> None:
    st.session_state[DATASET_KEY] = dataset


def reset_to_sample() -> None:
    st.session_state[DATASET_KEY] = _sample()


# Not keyed on the language: the problems are messages, worded anew when the language changes.
@st.cache_data(show_spinner=False, max_entries=8)
def check_upload(uploads: tuple[tuple[str, bytes], ...], known: dict[str, pd.DataFrame]) -> IngestResult:
    return ingest(list(uploads), known=known)


@st.cache_data(show_spinner=False, max_entries=4)
def template_bytes(regions: tuple[str, ...], actors: tuple[str, ...], language: str) -> bytes:
    return build_template(regions=regions, actors=actors, language=language)


def problem_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The problems in the session's language: messages and suggestions worded, severities and
    headers translated."""
    shown = render_problems(problems, language())
    shown["severity"] = shown["severity"].map({severity: tr(f"problems.{severity}") for severity in (ERROR, WARNING)})
    return shown.rename(columns={column: tr(f"problems.{column}") for column in PROBLEM_COLUMNS})


def sheet_label(sheet_name: str) -> str:
    labels = sheet(sheet_name).labels
    return labels.get(language(), labels["en"])


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
