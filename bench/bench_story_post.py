"""The story request path against its floor, side by side, with wrk.

Starts a bare Flask "floor" (POST + one INSERT; GET rendering a template as large as the story
form page) and Weefsel (`weefsel serve`, CSRF on, rate limit off as for load tests), both under
gunicorn with the same worker settings, on SQLite (WAL) and on PostgreSQL. Runs wrk
(16 connections, 15 s by default) against each, counts acknowledged submissions (303) against
rows stored, and prints throughput, p99 latency, ratios to the floor and web-worker memory.
With several gemeenten (the demo) it uses the first gemeente's form, and each POST carries a
submission token of its own, as every form a resident opens does.

    .venv/bin/python bench/bench_story_post.py [--seconds 15] [--connections 16]
        [--databases sqlite,postgresql] [--pg-url postgresql://postgres@127.0.0.1:5432/weefsel_queue]
        [--workers 2] [--threads 4] [--worker-class gthread]

wrk is installed with apt-get when missing. Only loopback traffic; every run stops by itself.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
WEEFSEL = str(Path(sys.executable).with_name("weefsel"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GEMEENTE_LINK = re.compile(r'<a href="(/verhaal\?gemeente=[^"]+)"')
TOKEN_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STORY = (
    "Sinds ik naar de buurthuiskamer ga heb ik weer mensen om mee te praten "
    "en voel ik me minder alleen."
)
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/weefsel_queue_bench"

WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end
function init(args) acked = 0; other = 0; sent = 0 end
-- A POST carries a submission token of its own, as each form a resident opens does; a GET the
-- same request every time.
if wrk.method == "POST" then
  function request()
    sent = sent + 1
    local body = wrk.body .. "&inzending=bench" .. thread_id .. "x" .. sent
    return wrk.format(nil, nil, nil, body)
  end
end
function response(status, headers, body)
  if status == {ok_status} then acked = acked + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("acked"); o = o + t:get("other") end
  local e = summary.errors
  io.write(string.format("RESULT acked=%d other=%d requests=%d seconds=%.3f p50_us=%d p99_us=%d "
    .. "socket_errors=%d\\n", a, o, summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout))
end
"""

FLOOR_APP = """
import os
from flask import Flask, redirect, render_template, request
from sqlalchemy import create_engine, text

app = Flask(__name__, template_folder=os.environ["FLOOR_TEMPLATES"])
engine = create_engine(os.environ["FLOOR_DATABASE_URL"], pool_pre_ping=True)
if engine.dialect.name == "sqlite":
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):
        for pragma in ("busy_timeout=10000", "journal_mode=WAL", "synchronous=NORMAL"):
            connection.execute("PRAGMA " + pragma)

@app.get("/verhaal")
def form():
    return render_template("floor_form.html", title="Vertel uw verhaal")


@app.post("/verhaal")
def store():
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO floor_story (text) VALUES (:text)"), {"text": request.form["story"]}
        )
    return redirect("/verhaal/bedankt", code=303)
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's wrk …", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not come up")


def demo_instance(database_url: str, instance: Path, **settings: str) -> dict:
    """The environment of a Weefsel on `database_url` with the demo data loaded (migrated and
    loaded here), rate limit off, the job queue in `instance`; `settings` are more
    WEEFSEL_* variables (without the prefix)."""
    env = {
        **os.environ,
        "WEEFSEL_DATABASE_URL": database_url,
        "WEEFSEL_INSTANCE_PATH": str(instance),
        "WEEFSEL_RATELIMIT": "off",
        **{f"WEEFSEL_{name}": value for name, value in settings.items()},
    }
    env.pop("WEEFSEL_REDIS_URL", None)
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([WEEFSEL, *command], env=env, check=True, capture_output=True)
    return env


def start_server(command: list[str], env: dict, cwd: Path | str = ROOT) -> subprocess.Popen:
    """A server process in its own session (so `stop` ends it with all its workers)."""
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def worker_rss_mb(master_pid: int) -> list[float]:
    """RSS of the gunicorn workers (children of the master) in MB."""
    result = subprocess.run(
        ["ps", "-o", "pid=,rss=,args=", "--ppid", str(master_pid)], capture_output=True, text=True
    )
    sizes = []
    for line in result.stdout.splitlines():
        _pid, rss, args = line.split(None, 2)
        if "webapp worker" not in args:
            sizes.append(int(rss) / 1024)
    return sizes


def job_worker_rss_mb(master_pid: int) -> float | None:
    result = subprocess.run(
        ["ps", "-o", "pid=,rss=,args=", "--ppid", str(master_pid)], capture_output=True, text=True
    )
    for line in result.stdout.splitlines():
        _pid, rss, args = line.split(None, 2)
        if "webapp worker" in args:
            return int(rss) / 1024
    return None


def server_cpu_seconds(master_pid: int, web_only: bool = True, jobs_only: bool = False) -> float:
    """CPU time (user + system) used so far by the server's master and web workers (or, with
    `jobs_only`, by its job worker).

    The machine is shared, so requests per second move with other people's load; CPU time per
    request does not, and the ratio of the two servers' CPU cost is printed beside the
    throughput ratio."""
    result = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(master_pid)], capture_output=True, text=True
    )
    pids = [] if jobs_only else [master_pid]
    for line in result.stdout.splitlines():
        pid, args = line.split(None, 1)
        is_job_worker = "webapp worker" in args
        if (jobs_only and is_job_worker) or (not jobs_only and not (web_only and is_job_worker)):
            pids.append(int(pid))
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run_wrk(
    wrk: str, url: str, method: str, body: str, cookie: str, ok: int, args, server_pid: int
) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        WRK_SCRIPT.format(method=method, body=body, cookie=cookie, ok_status=ok), encoding="utf-8"
    )
    command = [wrk, "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s", "--latency"]
    command += ["-s", str(script), url]
    cpu_before = server_cpu_seconds(server_pid)
    output = subprocess.run(command, capture_output=True, text=True, timeout=args.seconds + 60)
    cpu_used = server_cpu_seconds(server_pid) - cpu_before
    script.unlink()
    match = re.search(r"RESULT (.*)", output.stdout)
    if not match:
        raise SystemExit(f"wrk printed no result:\n{output.stdout}\n{output.stderr}")
    figures = dict(item.split("=") for item in match.group(1).split())
    figures = {key: float(value) for key, value in figures.items()}
    figures["rate"] = figures["acked"] / figures["seconds"]
    figures["cpu_ms"] = cpu_used * 1000 / max(1.0, figures["requests"])
    return figures


def session_and_token(base: str) -> tuple[str, str, str, str]:
    """GET the form once: its path (the first gemeente's form when the installation serves
    several), its page, its session cookie and CSRF token (reused by every POST)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    path = "/verhaal"
    with opener.open(base + path, timeout=30) as response:
        page = response.read().decode()
    chooser = GEMEENTE_LINK.search(page)
    if chooser:  # the resident first picks their gemeente, then uses its form
        path = html.unescape(chooser.group(1))
        with opener.open(base + path, timeout=30) as response:
            page = response.read().decode()
    match = TOKEN_INPUT.search(page)
    if match is None:
        raise SystemExit(f"no CSRF token in the form at {path}")
    # The session cookie is Secure; wrk talks plain HTTP to loopback, so it is sent by hand.
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return path, page, cookie, match.group(1)


def reset_postgres(url: str) -> None:
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def count_rows(url: str, table: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return count


def gunicorn_options(args) -> list[str]:
    return [
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        args.worker_class,
    ]


def measure_floor(wrk, database_url: str, template: Path, args) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app_file = Path(tmp) / "floor_app.py"
        app_file.write_text(FLOOR_APP, encoding="utf-8")
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS floor_story"))
            serial = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
            connection.execute(
                text(f"CREATE TABLE floor_story (id {serial} PRIMARY KEY, text TEXT NOT NULL)")
            )
        engine.dispose()
        port = free_port()
        env = {
            **os.environ,
            "FLOOR_DATABASE_URL": database_url,
            "FLOOR_TEMPLATES": str(template.parent),
        }
        server = start_server(
            [GUNICORN, "--bind", f"127.0.0.1:{port}", *gunicorn_options(args), "floor_app:app"],
            env,
            cwd=tmp,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/verhaal")
            body = urllib.parse.urlencode({"story": STORY})
            get = run_wrk(wrk, base + "/verhaal", "GET", "", "", 200, args, server.pid)
            post = run_wrk(wrk, base + "/verhaal", "POST", body, "", 303, args, server.pid)
        finally:
            stop(server)
        post["stored"] = count_rows(database_url, "floor_story")
        return {"get": get, "post": post}


def measure_weefsel(wrk, database_url: str, instance: Path, args) -> dict:
    env = demo_instance(database_url, instance, LANG="en")
    before = count_rows(database_url, "story")
    port = free_port()
    serve = [WEEFSEL, "serve", "--port", str(port), "--workers", str(args.workers)]
    serve += ["--threads", str(args.threads), "--worker-class", args.worker_class]
    serve += ["--no-job-worker"] if args.no_job_worker else ["--job-worker"]
    server = start_server(serve, env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/verhaal")
        path, page, cookie, token = session_and_token(base)
        body = urllib.parse.urlencode({"csrf_token": token, "story": STORY, "consent_quote": "y"})
        get = run_wrk(wrk, base + path, "GET", "", cookie, 200, args, server.pid)
        job_cpu_before = server_cpu_seconds(server.pid, jobs_only=True)
        post = run_wrk(wrk, base + path, "POST", body, cookie, 303, args, server.pid)
        rss = worker_rss_mb(server.pid)
        job_rss = job_worker_rss_mb(server.pid)
        post["stored"] = count_rows(database_url, "story") - before
        # The job worker gives every new story its themes; how long until it has caught up?
        started = time.monotonic()
        waiting = None
        while not args.no_job_worker and time.monotonic() - started < 300:
            waiting = count_rows_where(database_url, "story", "classified_version IS NULL")
            if waiting == 0:
                break
            time.sleep(1)
        drain = time.monotonic() - started
        job_cpu = server_cpu_seconds(server.pid, jobs_only=True) - job_cpu_before
    finally:
        stop(server)
    return {
        "get": get,
        "post": post,
        "page": page,
        "rss": rss,
        "job_rss": job_rss,
        "unclassified_after": waiting,
        "drain_seconds": drain,
        # The job worker's CPU from the start of the POST run until the themes caught up.
        "job_cpu_ms_per_story": job_cpu * 1000 / max(1, post["stored"]),
    }


def count_rows_where(url: str, table: str, condition: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table} WHERE {condition}")).scalar()
    engine.dispose()
    return count


def floor_template(page: str, directory: Path) -> Path:
    """The Weefsel form page as a Jinja template of the same size for the floor's GET."""
    body = page.replace("{", "&#123;").replace("}", "&#125;")
    template = body.replace("Vertel uw verhaal", "{{ title }}", 1)
    path = directory / "floor_form.html"
    path.write_text(template, encoding="utf-8")
    return path


def report(name: str, floor: dict, weefsel: dict) -> None:
    fp, wp, fg, wg = floor["post"], weefsel["post"], floor["get"], weefsel["get"]
    print(f"\n== {name} ==")
    print(
        f"{'':28}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'acked':>8}{'stored':>8}"
        f"{'CPU ms/req':>12}"
    )
    for label, row in (
        ("floor GET /verhaal", fg),
        ("weefsel GET /verhaal", wg),
        ("floor POST /verhaal", fp),
        ("weefsel POST /verhaal", wp),
    ):
        errors = int(row["other"] + row["socket_errors"])
        stored = str(int(row["stored"])) if "stored" in row else ""
        print(
            f"{label:28}{row['rate']:>10.0f}{row['p50_us'] / 1000:>9.1f}"
            f"{row['p99_us'] / 1000:>9.1f}{errors:>8}{int(row['acked']):>8}{stored:>8}"
            f"{row['cpu_ms']:>12.2f}"
        )
    print(
        f"story POST ratio to floor: {wp['rate'] / fp['rate']:.2f} by req/s, "
        f"{fp['cpu_ms'] / wp['cpu_ms']:.2f} by CPU per request  (target ≥ 0.5)"
    )
    print(
        f"form GET ratio to floor:   {wg['rate'] / fg['rate']:.2f} by req/s, "
        f"{fg['cpu_ms'] / wg['cpu_ms']:.2f} by CPU per request  (target ≥ 0.5)"
    )
    # wrk stops counting at the deadline, so requests in flight then are stored but not counted.
    print(f"acknowledged but not stored: {max(0, int(wp['acked'] - wp['stored']))}")
    rss = ", ".join(f"{size:.0f}" for size in weefsel["rss"])
    print(f"web worker RSS MB: {rss}   job worker RSS MB: {weefsel['job_rss'] or 0:.0f}")
    print(
        f"themes: {weefsel['unclassified_after']} stories unclassified after "
        f"{weefsel['drain_seconds']:.0f} s of draining; job worker CPU "
        f"{weefsel['job_cpu_ms_per_story']:.2f} ms per story"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument(
        "--no-job-worker", action="store_true", help="serve without the job worker (themes wait)"
    )
    args = parser.parse_args()
    wrk = ensure_wrk()
    print(
        f"wrk {args.connections} connections, {args.seconds} s; gunicorn {args.workers} workers × "
        f"{args.threads} threads ({args.worker_class}); CSRF on, rate limit off"
    )
    for name in args.databases.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            instance = Path(tmp) / "instance"
            if name == "sqlite":
                weefsel_url = f"sqlite:///{instance / 'weefsel.sqlite'}"
                floor_url = f"sqlite:///{Path(tmp) / 'floor.sqlite'}"
            else:
                reset_postgres(args.pg_url)
                weefsel_url = floor_url = args.pg_url
            weefsel = measure_weefsel(wrk, weefsel_url, instance, args)
            template = floor_template(weefsel["page"], Path(tmp))
            floor = measure_floor(wrk, floor_url, template, args)
            report(name, floor, weefsel)


if __name__ == "__main__":
    main()
