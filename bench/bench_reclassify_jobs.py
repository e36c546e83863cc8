"""Throughput of `weefsel reclassify --as-jobs`: stories classified per second with 1 and with
2 job-worker processes, on a generated database (SQLite by default, or --database-url).

    .venv/bin/python bench/bench_reclassify_jobs.py [--stories 20000] [--workers 1,2]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/weefsel_queue_bench]
        [--redis-url redis://127.0.0.1:6379/4]

The PostgreSQL database named by --database-url is dropped and created again for every run.
With --redis-url the queue lives in that Redis database (emptied before every run) instead of
huey's SQLite file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_story_post import ROOT, WEEFSEL, reset_postgres, stop  # noqa: E402

from webapp.models import BackgroundJob, Story  # noqa: E402

PHRASES = [
    "Sinds ik naar de buurthuiskamer ga voel ik me minder alleen.",
    "Bij de voedselbank hielpen ze me met mijn schulden en de Stadspas.",
    "Met de wandelgroep beweeg ik weer en mijn gezondheid is beter.",
    "In het taalcafé oefen ik Nederlands met de buren.",
    "De buurttuin brengt jong en oud samen op zaterdag.",
    "Als mantelzorger vond ik steun bij lotgenoten in de wijk.",
]


def generate(url: str, count: int) -> None:
    engine = create_engine(url)
    rng = random.Random(13)
    with engine.begin() as connection:
        for start in range(0, count, 5000):
            rows = [
                {
                    "text": " ".join(rng.sample(PHRASES, 3)) + f" Verhaal {start + n}.",
                    "channel": "form",
                    "status": "approved",
                    "submitted_month": dt.date(2026, 1 + (start + n) % 12, 1),
                    "consent_quote": False,
                    "consent_research": False,
                }
                for n in range(min(5000, count - start))
            ]
            connection.execute(insert(Story), rows)
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
    engine.dispose()


def job_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(BackgroundJob.state, func.count()).group_by(BackgroundJob.state)
        ).all()
    engine.dispose()
    return dict(rows)


def measure(url: str, instance: Path, count: int, workers: int, redis_url: str | None) -> float:
    env = {**os.environ, "WEEFSEL_DATABASE_URL": url, "WEEFSEL_INSTANCE_PATH": str(instance)}
    env.pop("WEEFSEL_REDIS_URL", None)
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        env["WEEFSEL_REDIS_URL"] = redis_url
    subprocess.run([WEEFSEL, "reclassify", "--as-jobs", "--slice", "2000"], env=env, check=True)
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "webapp", "worker", "--threads", "1", "--no-periodic"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(workers)
    ]
    try:
        while True:
            counts = job_counts(url)
            if not counts.get("queued") and not counts.get("running"):
                break
            time.sleep(0.5)
    finally:
        for process in processes:
            stop(process)
    elapsed = time.monotonic() - started
    if counts.get("failed"):
        raise SystemExit(f"{counts['failed']} jobs failed")
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default=None)
    args = parser.parse_args()
    for workers in (int(w) for w in args.workers.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            instance = Path(tmp) / "instance"
            url = args.database_url or f"sqlite:///{instance / 'weefsel.sqlite'}"
            if url.startswith("postgresql"):
                reset_postgres(url)
            env = {
                **os.environ,
                "WEEFSEL_DATABASE_URL": url,
                "WEEFSEL_INSTANCE_PATH": str(instance),
            }
            subprocess.run([WEEFSEL, "db", "upgrade"], env=env, check=True, capture_output=True)
            generate(url, args.stories)
            rate = measure(url, instance, args.stories, workers, args.redis_url)
        print(
            f"{args.stories} stories, {workers} worker process(es): {rate:.0f} stories/s "
            f"({rate / workers:.0f} per worker; includes model load at worker start; "
            f"queue: {'Redis' if args.redis_url else 'SQLite'}; load average "
            f"{' '.join(f'{v:.1f}' for v in os.getloadavg())})"
        )


if __name__ == "__main__":
    main()
