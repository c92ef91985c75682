"""Ingest: uploaded files -> clean canonical frames + a problems table (see pipeline.py)."""

from vawmap.ingest.pipeline import IngestResult, SheetCounts, ingest
from vawmap.ingest.problems import ERROR, PROBLEM_COLUMNS, WARNING, problem_records, render_problems

__all__ = [
    "ERROR",
    "PROBLEM_COLUMNS",
    "WARNING",
    "IngestResult",
    "SheetCounts",
    "ingest",
    "problem_records",
    "render_problems",
]
