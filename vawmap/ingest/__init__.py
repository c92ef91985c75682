"""Ingest: uploaded files -> clean canonical frames + a problems table (see pipeline.py)."""

from vawmap.ingest.pipeline import IngestResult, SheetCounts, ingest
from vawmap.ingest.problems import (
    ERROR,
    GROUP_COLUMNS,
    PROBLEM_COLUMNS,
    WARNING,
    group_problems,
    problem_records,
    render_problems,
    rows_text,
)

__all__ = [
    "ERROR",
    "GROUP_COLUMNS",
    "PROBLEM_COLUMNS",
    "WARNING",
    "IngestResult",
    "SheetCounts",
    "group_problems",
    "ingest",
    "problem_records",
    "render_problems",
    "rows_text",
]
