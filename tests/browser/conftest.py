"""A real site (`recommender serve` in a subprocess) and headless Chromium from the operating system.

Playwright cannot download its own browser here, so it drives Debian's /usr/bin/chromium. Without
it (or without Playwright) these tests skip with a message, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright or axe-playwright-python is not installed (pip install -e '.[browser]')"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    why = _missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {why}")
        pytest.skip(f"browser tests skipped: {why}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """The address of a site started exactly as a person starts it: `recommender serve --port 0`."""
    log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen([sys.executable, "-m", "recommender", "serve", "--port", "0"],
                               stderr=log, stdout=subprocess.DEVNULL, text=True)
    match = None
    deadline = time.monotonic() + 60
    while match is None and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
        log.seek(0)
        match = re.search(r"http://127\.0\.0\.1:\d+", log.read())
    if match is None:
        process.kill()
        log.seek(0)
        pytest.fail(f"recommender serve did not start: {log.read()}")
    yield match.group()
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture()
def page(browser: Any, site: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser profile (no cookies) per test; JavaScript off when the test is marked `no_js`."""
    js = request.node.get_closest_marker("no_js") is None
    context = browser.new_context(base_url=site, java_script_enabled=js, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture()
def downloads() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="recommender-browser-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "no_js: run the page with JavaScript turned off")
