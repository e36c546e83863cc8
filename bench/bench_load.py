"""Concurrent load on a served Weefsel: residents reading and sending stories, initiatives
opening their form. Starts `weefsel serve` (gunicorn) on 127.0.0.1 with a temporary database,
runs a bounded number of requests from many threads and prints throughput and latencies.

    .venv/bin/python bench/bench_load.py [--clients 32] [--seconds 20] [--database-url URL]

Only loopback traffic; the loop stops by itself.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEEFSEL = str(Path(sys.executable).with_name("weefsel"))
TOKEN_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STORY = "Sinds ik naar de buurthuiskamer ga heb ik weer mensen om mee te praten en voel ik me minder alleen."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:  # not up yet: refused, reset or timed out
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not come up")


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def resident_session(client: Client) -> list[tuple[str, float, int]]:
    """Read the form, send a story, read the thank-you page: what one resident does."""
    timings = []
    started = time.perf_counter()
    status, page = client.get("/verhaal")
    timings.append(("GET /verhaal", time.perf_counter() - started, status))
    token = TOKEN_INPUT.search(page).group(1)
    started = time.perf_counter()
    status = client.post("/verhaal", {"csrf_token": token, "story": STORY, "consent_quote": "y"})
    timings.append(("POST /verhaal (+classify)", time.perf_counter() - started, status))
    return timings


def run_load(
    base: str, clients: int, seconds: float, max_requests: int
) -> list[tuple[str, float, int]]:
    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def worker() -> None:
        client = Client(base)
        while time.time() < stop_at:
            with lock:
                if len(results) >= max_requests:
                    return
            try:
                timings = resident_session(client)
                timings.append(("GET /", *_timed(lambda: client.get("/")[0])))
            except Exception as error:  # noqa: BLE001 - count every failure
                timings = [("error", 0.0, getattr(error, "code", 599))]
            with lock:
                results.extend(timings)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _timed(call) -> tuple[float, int]:
    started = time.perf_counter()
    status = call()
    return time.perf_counter() - started, status


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def report(results: list[tuple[str, float, int]], seconds: float) -> None:
    by_kind: dict[str, list[tuple[float, int]]] = {}
    for kind, elapsed, status in results:
        by_kind.setdefault(kind, []).append((elapsed, status))
    ok = sum(1 for _, _, status in results if status < 400)
    print(
        f"requests: {len(results)}  ok: {ok}  failed: {len(results) - ok}  throughput: {len(results) / seconds:.1f} req/s"
    )
    print(f"  {'request':<28}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind, rows in sorted(by_kind.items()):
        times = sorted(elapsed * 1000 for elapsed, _ in rows)
        errors = sum(1 for _, status in rows if status >= 400)
        print(
            f"  {kind:<28}{len(rows):>7}{statistics.median(times):>9.1f}"
            f"{percentile(times, 0.95):>9.1f}{percentile(times, 0.99):>9.1f}{errors:>8}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="weefsel-load-"))
    env = dict(os.environ, WEEFSEL_INSTANCE_PATH=str(instance), WEEFSEL_RATELIMIT="off")
    if args.database_url:
        env["WEEFSEL_DATABASE_URL"] = args.database_url
    subprocess.run([WEEFSEL, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([WEEFSEL, "demo", "load"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [WEEFSEL, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/")
        run_load(base, 2, 2, 50)  # warm every worker
        print(
            f"{args.clients} clients for {args.seconds:.0f} s against {args.workers} gunicorn workers "
            f"({'PostgreSQL' if args.database_url else 'SQLite'})"
        )
        started = time.perf_counter()
        results = run_load(base, args.clients, args.seconds, args.max_requests)
        report(results, time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
