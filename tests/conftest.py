"""Settings and fixtures shared by every test.

Property tests (hypothesis) try 25 examples each in the fast tier a developer runs, and 150 in
CI (`HYPOTHESIS_PROFILE=ci`, set by .ci/run): the same properties, searched harder where time
allows.
"""

import os

import pytest
from hypothesis import HealthCheck, settings
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import app_test as app_test_module

# The store's fixtures (a SQLite file and a real PostgreSQL database): `store`, `store_url`, `postgres`.
pytest_plugins = ["tests.store_fixtures"]

settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def served(monkeypatch) -> dict[str, bytes]:
    """Every file the app hands to the browser (downloads), by the URL its button points to."""
    files: dict[str, bytes] = {}

    class RecordingStorage(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            files[self.get_url(file_id)] = bytes(self.get_file(file_id).content)
            return file_id

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    return files
