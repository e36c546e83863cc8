"""Faults under load: 64 concurrent story submitters for 60 s against `weefsel serve`
(gunicorn + job worker), on SQLite and PostgreSQL, with kill -9 of a web worker and of the job
worker during the load. Prints 5xx responses, acknowledged (303) stories against stories
stored, and whether every story got its themes afterwards (jobs finished by the restarted
worker).

    .venv/bin/python bench/bench_faults.py [--seconds 60] [--connections 64]
        [--databases sqlite,postgresql] [--pg-url URL] [--no-kills]

Only loopback traffic; the load stops by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_story_post import (  # noqa: E402
    DEFAULT_PG,
    STORY,
    WEEFSEL,
    count_rows,
    count_rows_where,
    demo_instance,
    ensure_wrk,
    free_port,
    reset_postgres,
    session_and_token,
    start_server,
    stop,
    wait_until_up,
)

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) acked = 0; server_errors = 0; unavailable = 0; other = 0 end
function response(status, headers, body)
  if status == 303 then acked = acked + 1
  elseif status == 503 then unavailable = unavailable + 1
  elseif status >= 500 then server_errors = server_errors + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local a, s, u, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("acked"); s = s + t:get("server_errors"); o = o + t:get("other")
    u = u + t:get("unavailable")
  end
  local e = summary.errors
  io.write(string.format("RESULT acked=%d server_errors=%d unavailable=%d other=%d "
    .. "socket_errors=%d p99_ms=%.1f\\n",
    a, s, u, o, e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000))
end
"""


def children(master_pid: int) -> list[tuple[int, str]]:
    result = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(master_pid)], capture_output=True, text=True
    )
    rows = []
    for line in result.stdout.splitlines():
        pid, args = line.split(None, 1)
        rows.append((int(pid), args))
    return rows


def kill_later(master_pid: int, at: float, which: str, log: list[str]) -> threading.Timer:
    def kill() -> None:
        for pid, args in children(master_pid):
            is_job_worker = "webapp worker" in args
            if (which == "job") == is_job_worker:
                os.kill(pid, signal.SIGKILL)
                log.append(f"t={at:.0f}s kill -9 {which} worker {pid}")
                return

    timer = threading.Timer(at, kill)
    timer.start()
    return timer


def restart_cluster_later(cluster: str, at: float, down: float, log: list[str]) -> threading.Timer:
    """Stop a private PostgreSQL cluster ("15/faults") for `down` seconds during the load."""
    version, name = cluster.split("/")

    def restart() -> None:
        subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True)
        log.append(f"t={at:.0f}s PostgreSQL cluster {cluster} stopped for {down:.0f} s")
        time.sleep(down)
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True)

    timer = threading.Timer(at, restart)
    timer.start()
    return timer


def run(database_url: str, instance: Path, wrk: str, args) -> dict:
    env = demo_instance(database_url, instance, JOBS_STALE_SECONDS="10")
    before = count_rows(database_url, "story")
    port = free_port()
    server = start_server(
        [WEEFSEL, "serve", "--port", str(port), "--workers", "2", "--threads", "4"], env
    )
    base = f"http://127.0.0.1:{port}"
    kills: list[str] = []
    try:
        wait_until_up(base + "/verhaal")
        _page, cookie, token = session_and_token(base)
        body = urllib.parse.urlencode({"csrf_token": token, "story": STORY})
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(WRK_SCRIPT.format(body=body, cookie=cookie), encoding="utf-8")
        timers = []
        if not args.no_kills:
            timers.append(kill_later(server.pid, args.seconds / 3, "web", kills))
            timers.append(kill_later(server.pid, 2 * args.seconds / 3, "job", kills))
        if args.restart_cluster:
            timers.append(
                restart_cluster_later(args.restart_cluster, args.seconds / 2, args.down, kills)
            )
        command = [wrk, "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s"]
        command += ["--timeout", "30s"]  # a slow answer is not a lost one: wait for it
        command += ["-s", str(script), base + "/verhaal"]
        output = subprocess.run(command, capture_output=True, text=True, timeout=args.seconds + 90)
        for timer in timers:
            timer.cancel()
        script.unlink()
        match = re.search(r"RESULT (.*)", output.stdout)
        if not match:
            raise SystemExit(f"wrk printed no result:\n{output.stdout}\n{output.stderr}")
        result = {k: float(v) for k, v in (item.split("=") for item in match.group(1).split())}
        result["stored"] = count_rows(database_url, "story") - before
        started = time.monotonic()
        while time.monotonic() - started < 300:
            waiting = count_rows_where(database_url, "story", "classified_version IS NULL")
            if waiting == 0:
                break
            time.sleep(2)
        result["unclassified"] = waiting
        result["drain_seconds"] = time.monotonic() - started
        result["kills"] = kills
    finally:
        stop(server)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--no-kills", action="store_true")
    parser.add_argument(
        "--restart-cluster",
        default=None,
        help='stop and start this private cluster mid-load, e.g. "15/faults" (never the shared one)',
    )
    parser.add_argument("--down", type=float, default=5.0, help="seconds the cluster is down")
    args = parser.parse_args()
    wrk = ensure_wrk()
    print(f"{args.connections} submitters for {args.seconds} s; CSRF on, rate limit off")
    for name in args.databases.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            instance = Path(tmp) / "instance"
            if name == "sqlite":
                url = f"sqlite:///{instance / 'weefsel.sqlite'}"
            else:
                reset_postgres(args.pg_url)
                url = args.pg_url
            r = run(url, instance, wrk, args)
        lost = max(0, int(r["acked"] - r["stored"]))
        print(f"\n== {name} ==")
        for line in r["kills"]:
            print(f"  {line}")
        print(
            f"  acknowledged {int(r['acked'])}, stored {int(r['stored'])}, lost {lost}; "
            f"5xx {int(r['server_errors'])} (+ {int(r['unavailable'])} deliberate 503 'probeer "
            f"het zo nog eens'), other non-303 {int(r['other'])}, "
            f"connection errors/timeouts {int(r['socket_errors'])}; p99 {r['p99_ms']:.0f} ms"
        )
        print(
            f"  themes: {r['unclassified']} stories without themes "
            f"{r['drain_seconds']:.0f} s after the load"
        )


if __name__ == "__main__":
    main()
