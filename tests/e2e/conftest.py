"""Fixtures of the browser tests: a live server of the app, Chromium, and a page that records
the host of every request it makes (tests/e2e/live_app.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.live_app import CHROMIUM, CHROMIUM_ARGS, recording_page, running_server

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def fresh_server():
    """A server no browser has talked to yet (for the cold deep link)."""
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():  # the test modules skip (or, in CI, fail) before this
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A page that records the host of every request it makes."""
    context, page = recording_page(browser, VIEWPORT)
    yield page
    context.close()
