"""CPU time of one story form GET and POST inside the process (Flask test client), with an
optional profile: the figure behind bench_story_post.py's "CPU ms/req", without wrk, gunicorn
or other people's load in it.

    PYTHONPATH=. .venv/bin/python bench/profile_story_post.py [--requests 2000]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/weefsel_profile]
        [--profile post|get] [--top 40]

The database is a fresh SQLite file (WAL) unless --database-url is given (that database is
migrated and loaded with the demo data; use a scratch one). CSRF is on and a job queue in the
instance folder receives the classification requests, as in `weefsel serve`; no job worker runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
WIJK_OPTION = re.compile(r'<select[^>]*name="wijk"[^>]*>.*?<option[^>]*value="(\d+)"', re.S)
GEMEENTE_LINK = re.compile(r'<a href="(/verhaal\?gemeente=[^"]+)"')
STORY = (
    "Sinds ik naar de buurthuiskamer ga heb ik weer mensen om mee te praten "
    "en voel ik me minder alleen."
)


def environment(database_url: str, instance: Path) -> dict:
    env = {
        **os.environ,
        "WEEFSEL_DATABASE_URL": database_url,
        "WEEFSEL_INSTANCE_PATH": str(instance),
        "WEEFSEL_RATELIMIT": "off",
        "WEEFSEL_LANG": "en",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("WEEFSEL_REDIS_URL", None)
    return env


def prepare(database_url: str, instance: Path) -> dict:
    env = environment(database_url, instance)
    for command in (["db", "upgrade"], ["demo", "load", "--force"]):
        subprocess.run(
            [sys.executable, "-m", "webapp", *command], env=env, check=True, capture_output=True
        )
    return env


def floor_cpu_ms(url: str, page: str, count: int) -> tuple[float, float]:
    """The same two requests against a bare Flask app (GET renders a template as large as the
    form page; POST does one INSERT), as bench_story_post.py's floor, in this process."""
    from flask import Flask, redirect, render_template, request
    from jinja2 import DictLoader
    from sqlalchemy import create_engine, event, text

    floor_url = (
        url if url.startswith("postgresql") else url.replace("weefsel.sqlite", "floor.sqlite")
    )
    engine = create_engine(floor_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            for pragma in ("busy_timeout=10000", "journal_mode=WAL", "synchronous=NORMAL"):
                connection.execute("PRAGMA " + pragma)

    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS floor_story"))
        serial = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
        connection.execute(
            text(f"CREATE TABLE floor_story (id {serial} PRIMARY KEY, text TEXT NOT NULL)")
        )
    template = page.replace("{", "&#123;").replace("}", "&#125;")
    template = template.replace("Tell your story", "{{ title }}", 1)
    floor = Flask("floor")
    floor.jinja_loader = DictLoader({"floor_form.html": template})

    @floor.get("/verhaal")
    def form():
        return render_template("floor_form.html", title="Tell your story")

    @floor.post("/verhaal")
    def store():
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO floor_story (text) VALUES (:text)"),
                {"text": request.form["story"]},
            )
        return redirect("/verhaal/bedankt", code=303)

    client = floor.test_client()
    get = lambda: client.get("/verhaal")  # noqa: E731
    post = lambda: client.post("/verhaal", data={"story": STORY})  # noqa: E731
    for call in (get, post):
        for _ in range(50):
            call()
    result = cpu_ms_per_request(get, count), cpu_ms_per_request(post, count)
    engine.dispose()
    return result


def cpu_ms_per_request(call, count: int) -> float:
    started = time.process_time()
    for _ in range(count):
        call()
    return (time.process_time() - started) * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--profile", choices=["get", "post"])
    parser.add_argument(
        "--callees", help="with --profile: also list what functions matching this call"
    )
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument(
        "--wijk", action="store_true", help="choose the form's first wijk, as most residents do"
    )
    parser.add_argument("--save", help="with --profile: also write the raw profile here (pstats)")
    parser.add_argument(
        "--instance", help="keep the instance (and SQLite file) here and reuse it next time"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(args.instance or Path(tmp) / "instance").resolve()
        url = args.database_url or f"sqlite:///{instance / 'weefsel.sqlite'}"
        prepared = args.instance and (instance / "prepared").exists()
        if args.database_url and not prepared:
            from sqlalchemy import create_engine, text

            name = url.rsplit("/", 1)[1]
            admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        if prepared:
            os.environ.update(environment(url, instance))
        else:
            os.environ.update(prepare(url, instance))
            (instance / "prepared").write_text(url, encoding="utf-8")

        from webapp import create_app
        from webapp.server import warm_up

        app = create_app()
        warm_up(app)
        client = app.test_client()
        path = "/verhaal"
        page = client.get(path).get_data(as_text=True)
        chooser = GEMEENTE_LINK.search(page)
        if chooser:  # several gemeenten: a resident first picks theirs, then uses its form
            path = chooser.group(1)
            page = client.get(path).get_data(as_text=True)
        match = TOKEN_INPUT.search(page)
        if match is None:
            raise SystemExit(f"no CSRF token in the form page:\n{page[:3000]}")
        token = match.group(1)
        body = {"csrf_token": token, "story": STORY, "consent_quote": "y"}
        if args.wijk:
            body["wijk"] = WIJK_OPTION.search(page).group(1)

        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        def post() -> None:
            response = client.post(path, data=body)
            assert response.status_code == 303, response.status_code

        for call in (get, post):  # warm every cache first
            for _ in range(50):
                call()
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            call = get if args.profile == "get" else post
            profiler.runcall(cpu_ms_per_request, call, args.requests)
            if args.save:
                profiler.dump_stats(args.save)
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
            if args.callees:
                stats.sort_stats("cumulative").print_callees(args.callees)
            return
        print(f"database: {url.split(':', 1)[0]}, {args.requests} requests each, CPU ms/request")
        weefsel_get = cpu_ms_per_request(get, args.requests)
        weefsel_post = cpu_ms_per_request(post, args.requests)
        floor_get, floor_post = floor_cpu_ms(url, page, args.requests)
        print(f"{'':6}{'floor':>8}{'weefsel':>9}{'ratio':>7}   ({path})")
        for label, floor, weefsel in (
            ("GET", floor_get, weefsel_get),
            ("POST", floor_post, weefsel_post),
        ):
            print(f"{label:6}{floor:>8.3f}{weefsel:>9.3f}{floor / weefsel:>7.2f}")


if __name__ == "__main__":
    main()
