"""The app served live for the browser tests: a streamlit server of this app on a free local
port, Debian's Chromium and the host every request of a page goes to. The fixtures that use
them are in tests/e2e/conftest.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).parents[2]
CHROMIUM = "/usr/bin/chromium"
# The navigation in its order (app.py): each page's url path and its catalogue section.
NAVIGATION = (
    ("overview", "overview"),
    ("stakeholders", "stakeholders"),
    ("sectors", "sectors"),
    ("regional_gaps", "regional"),
    ("coordination", "coordination"),
    ("workshop", "workshop"),
    ("data", "data"),
    ("edit", "edit"),
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {seconds} s")


@contextmanager
def running_server(env: Mapping[str, str] | None = None) -> Iterator[str]:
    """A streamlit server of this app on a free local port, stopped afterwards; `env` adds to
    its environment (VAWMAP_DATA_DIR: a store of its own)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def request_hosts(url: str) -> set[str]:
    """The host a request goes to. A blob: URL stays in the browser and names the origin that
    made it (MapLibre starts its worker from one: blob:http://127.0.0.1:port/uuid); a data: URL
    goes nowhere. Anything else without a host is recorded as '' and fails the check."""
    if url.startswith("data:"):
        return set()
    if url.startswith("blob:"):
        url = url[len("blob:") :]
    return {urlparse(url).netloc}


def recording_page(browser, viewport: dict[str, int]):
    """A new page of its own context that records the host of every request it makes."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.requested_hosts = set()
    page.on("request", lambda request: page.requested_hosts.update(request_hosts(request.url)))
    return context, page
