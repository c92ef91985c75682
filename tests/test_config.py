"""The server configuration keeps its promises: nothing leaves the host, uploads are bounded."""

import tomllib
from pathlib import Path

from vawmap.ingest import read

CONFIG = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())


def test_usage_statistics_are_off():
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_upload_limit_matches_the_ingest_limit():
    assert CONFIG["server"]["maxUploadSize"] == read.UPLOAD_LIMIT_MB


def test_error_details_are_not_shown_to_users():
    assert CONFIG["client"]["showErrorDetails"] == "none"
