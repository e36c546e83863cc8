"""A live server on a free port plus Debian's headless Chromium, driven by Playwright.

No browser download: Playwright launches /usr/bin/chromium. Without it the tests skip and
say why.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("WEEFSEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(make_app):
    """Serve a fresh app in a thread; yields (base_url, app)."""
    app = make_app(SERVER_NAME=None)
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def browser_page(tmp_path):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package to run browser tests"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def screenshot_dir():
    """Screenshots land in test-output/screenshots (git-ignored) for people to look at."""
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    return target
