"""vawmap.dashboard.sectors: the counts above the Sector coverage page's bars."""

from __future__ import annotations

import pandas as pd

from vawmap.dashboard import sectors


def test_status_counts_counts_each_status_including_absent_ones():
    coverage = pd.DataFrame({"status": ["covered", "missing", "missing"]})
    assert sectors.status_counts(coverage) == {"covered": 1, "partial": 0, "missing": 2}
