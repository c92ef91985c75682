"""The Sector coverage page's counts."""

from __future__ import annotations

import pandas as pd

from vawmap.gaps.coverage import COVERED, MISSING, PARTIAL


def status_counts(coverage: pd.DataFrame) -> dict[str, int]:
    """How many rows are covered, partial and missing."""
    counts = coverage["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in (COVERED, PARTIAL, MISSING)}
