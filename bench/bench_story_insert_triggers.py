"""What the report-cell triggers add to a story INSERT (issue 13 item 4).

Inserts `--stories` stories one single-row Core INSERT at a time, with the change-log triggers
(webapp/report_cell_triggers.py) and without them, alternating over `--rounds` rounds, and
prints the median time per story of each. Two shapes: one transaction per story (what a
submission costs, commit included) and all of them in one transaction (the statement alone).
The tables are dropped and recreated. Usage:

    .venv/bin/python bench/bench_story_insert_triggers.py [--stories 10000] [--rounds 3]
        [--database-url URL]    # default: a temporary SQLite file
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, insert, select

from webapp import create_app
from webapp.extensions import db
from webapp.models import Area, ReportCellChange, Story
from webapp.report_cell_triggers import create_triggers, drop_triggers
from webapp.services.areas import load_areas


def story_row(n: int, wijken: list[int]) -> dict:
    return {
        "text": "Sinds mijn vrouw overleed kom ik hier elke week koffie drinken.",
        "language": "nl",
        "channel": "form",
        "submitted_month": dt.date(2026, 1 + n % 12, 1),
        "area_id": wijken[n % len(wijken)],
        "status": "pending",
        "consent_quote": False,
        "consent_research": False,
    }


def insert_stories(engine, rows: list[dict], per_story_transaction: bool) -> float:
    """Seconds per story for single-row INSERTs."""
    statement = insert(Story.__table__)
    started = time.perf_counter()
    if per_story_transaction:
        for row in rows:
            with engine.begin() as connection:
                connection.execute(statement, row)
    else:
        with engine.begin() as connection:
            for row in rows:
                connection.execute(statement, row)
    return (time.perf_counter() - started) / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="weefsel-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(workdir), "SECRET_KEY": "bench"}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()  # with the triggers, as migration 0016 creates them
        load_areas(db.session)
        db.session.commit()
        wijken = db.session.scalars(select(Area.id).where(Area.level == "wijk")).all()
        engine = db.engine
    rows = [story_row(n, wijken) for n in range(args.stories)]
    print(f"database: {url.split('@')[-1]}; {args.stories:,} stories per measurement")
    for per_story in (True, False):
        shape = "one transaction per story" if per_story else "one transaction for all"
        times: dict[str, list[float]] = {"with triggers": [], "without triggers": []}
        for _ in range(args.rounds):
            for mode in times:
                with engine.begin() as connection:
                    if mode == "with triggers":
                        create_triggers(connection)
                    else:
                        drop_triggers(connection)
                times[mode].append(insert_stories(engine, rows, per_story))
                with engine.begin() as connection:  # the same table size for every run
                    connection.execute(delete(Story.__table__))
                    connection.execute(delete(ReportCellChange.__table__))
        load = " ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"{shape} (load average {load}):")
        medians = {mode: statistics.median(values) * 1e6 for mode, values in times.items()}
        for mode, median in medians.items():
            print(
                f"  {mode:<18}{median:9.1f} µs per story   (runs: "
                + ", ".join(f"{v * 1e6:.1f}" for v in times[mode])
                + ")"
            )
        added = medians["with triggers"] - medians["without triggers"]
        print(f"  {'trigger adds':<18}{added:9.1f} µs per story")
    with engine.begin() as connection:
        create_triggers(connection)


if __name__ == "__main__":
    main()
