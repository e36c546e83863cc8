"""City-wide report speed on a generated database: 200,000 stories and 30,000 monthly logs.

Prints the time to run the aggregate queries and render HTML and PDF (one process, so one core).
Targets (issue 6): HTML <= 2 s, PDF <= 5 s. Usage:

    .venv/bin/python bench/bench_reports_db.py [--stories 200000] [--logs 30000] [--database-url URL]

Without --database-url a temporary SQLite file is used; with a PostgreSQL URL the tables there
are dropped and recreated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select, text

from reports import Period, build_report, render_html, render_pdf
from webapp import create_app
from webapp.extensions import db
from webapp.models import ActivityReport, Area, Initiative, Story, ThemeAssignment
from webapp.services.areas import load_areas
from webapp.services.report_data import build_report_input

THEMES = ("eenzaamheid", "armoede", "gezondheid")
TEXTS = (
    "Sinds mijn vrouw overleed kom ik hier elke week koffie drinken en praat ik weer met mensen.",
    "Aan het eind van de maand is er niets meer over, de voedselbank helpt ons de week door.",
    "Na mijn hartinfarct wandel ik met de groep; de huisarts is tevreden over mijn bloeddruk.",
    "Het buurtfeest was gezellig, de kinderen hebben de hele middag geschminkt en gedanst.",
)


def months(count: int, end: dt.date) -> list[dt.date]:
    result, year, month = [], end.year, end.month
    for _ in range(count):
        result.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def generate(app, n_stories: int, n_logs: int) -> None:
    rng = random.Random(7)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()  # benchmark data only; the app itself uses migrations
        load_areas(db.session)
        wijken = db.session.scalars(select(Area.id).where(Area.level == "wijk")).all()
        month_list = months(18, dt.date(2026, 11, 1))
        initiatives = [
            {
                "slug": f"ini-{i}",
                "name": f"Initiatief {i}",
                "area_id": rng.choice(wijken),
                "active": True,
                "subsidy_eur_per_year": rng.choice((None, 2500, 8000, 15000)),
                "created_at": dt.datetime(2025, 1, 1),
            }
            for i in range(max(1, n_logs // len(month_list)))
        ]
        db.session.execute(insert(Initiative), initiatives)
        initiative_ids = db.session.scalars(select(Initiative.id)).all()
        logs = []
        for initiative_id in initiative_ids:
            for month in month_list:
                if len(logs) >= n_logs:
                    break
                unique = rng.randint(5, 80)
                logs.append(
                    {
                        "initiative_id": initiative_id,
                        "month": month,
                        "definition_id": "maandregistratie",
                        "locked": False,
                        "created_at": dt.datetime(2026, 1, 1),
                        "updated_at": dt.datetime(2026, 1, 1),
                        "values": {
                            "activiteiten": rng.randint(1, 20),
                            "bezoeken": unique * 3,
                            "unieke_deelnemers": unique,
                            "nieuwe_deelnemers": rng.randint(0, 5),
                            "vrijwilligers": rng.randint(1, 10),
                            "vrijwilligersuren": rng.randint(5, 120),
                            "maaltijden": rng.randint(0, 100),
                            "verwijzingen": 1,
                        },
                    }
                )
        db.session.execute(insert(ActivityReport), logs)
        batch = 20_000
        for start in range(0, n_stories, batch):
            count = min(batch, n_stories - start)
            stories = [
                {
                    "text": rng.choice(TEXTS),
                    "language": "nl",
                    "channel": "form",
                    "submitted_month": rng.choice(month_list),
                    "area_id": rng.choice(wijken),
                    "consent_quote": rng.random() < 0.6,
                    "consent_research": rng.random() < 0.5,
                    "status": "approved",
                    "classified_version": "bench",
                    "theme_uncertainty": rng.random(),
                }
                for _ in range(count)
            ]
            db.session.execute(insert(Story), stories)
            ids = db.session.scalars(select(Story.id).order_by(Story.id.desc()).limit(count)).all()
            assignments = [
                {
                    "story_id": story_id,
                    "theme": theme,
                    "score": score,
                    "assigned": score > 0.5,
                    "source": "model",
                    "model_version": "bench",
                    "created_at": dt.datetime(2026, 1, 1),
                }
                for story_id in ids
                for theme in THEMES
                for score in (rng.random(),)
            ]
            db.session.execute(insert(ThemeAssignment), assignments)
            db.session.commit()


def analyze(session) -> None:
    session.execute(text("ANALYZE"))
    session.commit()


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"  {label:<34}{seconds:7.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--logs", type=int, default=30_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--period", default="2026")
    parser.add_argument("--area", default="rotterdam")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="weefsel-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(workdir),
            "SECRET_KEY": "bench",
            "RATELIMIT": "off",
        }
    )
    print(
        f"database: {url.split('@')[-1]}; generating {args.stories:,} stories and {args.logs:,} monthly logs …"
    )
    _, gen_seconds = timed("generate data", lambda: generate(app, args.stories, args.logs))
    with app.app_context():
        # Right after a bulk load the planner has no statistics and may pick a plan that runs
        # for minutes; a deployment's autovacuum does this too, a bench must do it itself.
        timed("ANALYZE (planner statistics)", lambda: analyze(db.session))
        period = Period.parse(args.period)
        for run in ("cold", "warm"):
            print(f"report {args.area} {args.period} ({run}):")
            measure_report(period, args.area)


def measure_report(period: Period, area: str) -> None:
    """Time each step of one report; prints the HTML and PDF totals against their targets."""
    data, query_s = timed("aggregate queries", lambda: build_report_input(db.session, period, area))
    report, build_s = timed("figures, quotes, charts", lambda: build_report(data, locale="nl"))
    _, html_s = timed("render HTML", lambda: render_html(report, io.StringIO(), fragment=True))
    _, pdf_s = timed("render PDF", lambda: render_pdf(report, io.BytesIO()))
    print(f"  {'HTML page total (target <= 2 s)':<34}{query_s + build_s + html_s:7.2f} s")
    print(f"  {'PDF total (target <= 5 s)':<34}{query_s + build_s + pdf_s:7.2f} s")


if __name__ == "__main__":
    main()
