"""Memory of one web worker as it serves each audience in turn (issue 13: ≤ 300 MB per worker).

Starts `weefsel serve` with one worker (no job worker) on a fresh SQLite database with the demo
data, then walks as a resident, a coordinator (story list, theme review, agreement), a
councillor (city report as HTML, then as PDF) and a researcher (export page), and prints the
worker's RSS after each step: what a worker that serves every kind of page grows to. The last
line is the peak RSS of the short-lived child that renders the PDF (reports/isolated.py).

    .venv/bin/python bench/bench_worker_memory.py
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_story_post import (  # noqa: E402
    WEEFSEL,
    demo_instance,
    free_port,
    start_server,
    stop,
    wait_until_up,
    worker_rss_mb,
)

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
GEMEENTE_LINK = re.compile(r'<a href="(/verhaal\?gemeente=[^"]+)"')
ACCOUNTS = {
    "coordinator": ("beheer@demo.weefsel.nl", "demo-beheer-2026"),
    "councillor": ("raad@demo.weefsel.nl", "demo-raad-2026"),
    "researcher": ("onderzoek@demo.weefsel.nl", "demo-onderzoek-2026"),
}
STORY = "Sinds ik naar de buurthuiskamer ga, heb ik weer mensen om mee te praten. Fijn!"


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=300) as response:
            return response.read().decode("utf-8", "replace")

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=300) as response:
            return response.read().decode("utf-8", "replace")

    def log_in(self, email: str, password: str) -> None:
        token = CSRF.search(self.get("/beheer/inloggen")).group(1)
        page = self.post(
            "/beheer/inloggen", {"csrf_token": token, "email": email, "password": password}
        )
        if "uitloggen" not in page:
            raise SystemExit(f"could not log in as {email}")


def resident(base: str) -> None:
    browser = Browser(base)
    page = browser.get("/verhaal")
    chooser = GEMEENTE_LINK.search(page)
    path = html.unescape(chooser.group(1)) if chooser else "/verhaal"
    page = browser.get(path)
    browser.post(path, {"csrf_token": CSRF.search(page).group(1), "story": STORY})


def coordinator_stories(base: str) -> None:
    browser = Browser(base)
    browser.log_in(*ACCOUNTS["coordinator"])
    browser.get("/beheer/")
    browser.get("/beheer/verhalen")


def coordinator_review(base: str) -> None:
    browser = Browser(base)
    browser.log_in(*ACCOUNTS["coordinator"])
    queue = browser.get("/beheer/themas/")
    browser.get("/beheer/themas/overeenstemming")
    story = re.search(r'href="(/beheer/themas/verhaal/\d+)"', queue)
    if story is None:
        raise SystemExit("no story in the review queue")
    browser.get(story.group(1))


def councillor_query(browser: Browser) -> str:
    area = re.search(r'<option[^>]*value="([^"]+)"', browser.get("/raad/")).group(1)
    return urllib.parse.urlencode({"periode": "2026", "gebied": html.unescape(area)})


def councillor_html(base: str) -> None:
    browser = Browser(base)
    browser.log_in(*ACCOUNTS["councillor"])
    query = councillor_query(browser)
    page = browser.get(f"/raad/?{query}")
    if "<svg" not in page and "<img" not in page:
        raise SystemExit(f"no report with charts for {query}")


def councillor_pdf(base: str) -> None:
    browser = Browser(base)
    browser.log_in(*ACCOUNTS["councillor"])
    pdf = browser.get(f"/raad/rapport.pdf?{councillor_query(browser)}")
    if not pdf.startswith("%PDF"):
        raise SystemExit("the city report PDF did not come")


def researcher(base: str) -> None:
    browser = Browser(base)
    browser.log_in(*ACCOUNTS["researcher"])
    browser.get("/onderzoek/export")


class ChildPeak:
    """The highest peak RSS (VmHWM) of any child of the web worker while it runs: the
    short-lived process that renders a PDF (reports/isolated.py), so that what left the worker
    is still counted somewhere."""

    def __init__(self, master_pid: int):
        self.master_pid, self.peak_mb = master_pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> ChildPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _children(self, pid: int) -> list[str]:
        result = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
        )
        return result.stdout.split()

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            for worker in self._children(self.master_pid):
                for child in self._children(int(worker)):
                    try:
                        status = Path(f"/proc/{child}/status").read_text()
                    except OSError:
                        continue
                    peak = re.search(r"VmHWM:\s+(\d+) kB", status)
                    if peak:
                        self.peak_mb = max(self.peak_mb, int(peak.group(1)) / 1024)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        instance = Path(directory)
        env = demo_instance(f"sqlite:///{instance / 'weefsel.db'}", instance, SECURE_COOKIES="0")
        port = free_port()
        server = start_server(
            [WEEFSEL, "serve", "--port", str(port), "--workers", "1", "--no-job-worker"], env
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/verhaal")
            print(f"{'after':44}{'web worker RSS MB':>18}")
            print(f"{'start (warm-up done)':44}{worker_rss_mb(server.pid)[0]:>18.0f}")
            with ChildPeak(server.pid) as children:
                for label, walk in (
                    ("a resident's story (form and POST)", resident),
                    ("a coordinator: dashboard, story list", coordinator_stories),
                    ("a coordinator: theme review queue and story", coordinator_review),
                    ("a councillor: city report HTML", councillor_html),
                    ("a councillor: city report HTML and PDF", councillor_pdf),
                    ("a researcher: the export page", researcher),
                ):
                    walk(base)
                    print(f"{label:44}{worker_rss_mb(server.pid)[0]:>18.0f}")
            print(f"{'(PDF render child, peak; exits when done)':44}{children.peak_mb:>18.0f}")
        finally:
            stop(server)


if __name__ == "__main__":
    main()
