"""The problems of an ingest result as a reader gets them: worded records (vawmap.ingest.problem_records).

problems_of(result, ERROR, "region")  # the errors on the region column, in English
"""

from __future__ import annotations

from vawmap.ingest import problem_records


def problems_of(result, severity: str | None = None, column: str | None = None, language: str = "en") -> list[dict]:
    """The problems as records worded in `language`, optionally only one severity and/or one column."""
    return [
        record
        for record in problem_records(result.problems, language)
        if (severity is None or record["severity"] == severity) and (column is None or record["column"] == column)
    ]
