"""City-wide report speed on a generated database (issue 6; issue 13 item 4 on PostgreSQL).

Generates stories (three model theme readings each, a share checked by staff, an outcome reading
per story and theme) and monthly logs, runs ANALYZE as autovacuum would, then times the aggregate
queries and the HTML and PDF rendering of a city report (one process, so one core): one cold run
and `--runs` warm runs, whose median is printed. Targets: HTML <= 2 s, PDF <= 5 s. Usage:

    .venv/bin/python bench/bench_reports_db.py [--stories 200000] [--logs 30000]
        [--database-url URL] [--reuse] [--runs 3] [--explain] [--before-analyze SECONDS]
        [--rebuild-cells] [--pending-wijken N] [--published]

Without --database-url a temporary SQLite file is used; with a PostgreSQL URL the tables there
are dropped and recreated (COPY, autovacuum off until the bench's ANALYZE), unless --reuse
measures the data already there. --before-analyze builds one report before ANALYZE with that
statement timeout and prints the slowest statements' plans; --explain prints EXPLAIN ANALYZE of
the slowest statements of the last warm run. Before measuring, the report cells are refreshed
(the triggers logged the load) and the refresh is timed; --rebuild-cells rebuilds them all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import Table, event, func, insert, select, text

from reports import Period, build_report, render_html, render_pdf
from webapp import create_app
from webapp.extensions import db
from webapp.models import (
    ActivityReport,
    Area,
    Initiative,
    OutcomeAssignment,
    Story,
    ThemeAssignment,
)
from webapp.services.areas import area_with_descendants, find_area, load_areas
from webapp.services.report_cells import mark_every_cell_pending, refresh_report_cells
from webapp.services.report_data import _quote_candidates, build_report_input, report_scope

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


class BulkWriter:
    """Writes row dicts to a table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.postgresql = connection.dialect.name == "postgresql"

    def write(self, table: Table, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.postgresql:
            self.connection.execute(insert(table), rows)
            return
        columns = list(rows[0])
        cursor = self.connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row.values()])

    def reset_sequence(self, table: Table) -> None:
        if self.postgresql:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT max(id) FROM {table.name}))"
                )
            )


def generate(app, n_stories: int, n_logs: int, staff_checked: float, outcomes: bool) -> None:
    """The city: the same random sequence as the first version of this bench (seed 7), written
    in bulk with explicit ids; staff checks and outcome readings come from their own seeds."""
    rng = random.Random(7)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()  # benchmark data only; the app itself uses migrations
        set_autovacuum(db.engine, False)
        load_areas(db.session)
        db.session.commit()
        wijken = db.session.scalars(select(Area.id).where(Area.level == "wijk")).all()
        month_list = months(18, dt.date(2026, 11, 1))
        with db.engine.begin() as connection:
            write_city(
                connection, rng, wijken, month_list, n_stories, n_logs, staff_checked, outcomes
            )


def write_city(connection, rng, wijken, month_list, n_stories, n_logs, staff_checked, outcomes):
    writer = BulkWriter(connection)
    n_initiatives = max(1, n_logs // len(month_list))
    initiatives = [
        {
            "id": i + 1,
            "slug": f"ini-{i}",
            "name": f"Initiatief {i}",
            "area_id": rng.choice(wijken),
            "active": True,
            "subsidy_eur_per_year": rng.choice((None, 2500, 8000, 15000)),
            "created_at": dt.datetime(2025, 1, 1),
        }
        for i in range(n_initiatives)
    ]
    writer.write(Initiative.__table__, initiatives)
    writer.write(ActivityReport.__table__, activity_logs(rng, n_initiatives, month_list, n_logs))
    checks, readings = random.Random(11), random.Random(13)
    batch = 20_000
    for start in range(0, n_stories, batch):
        count = min(batch, n_stories - start)
        stories = [
            {
                "id": start + n + 1,
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
            for n in range(count)
        ]
        writer.write(Story.__table__, stories)
        # The first version read the new ids back newest first and drew scores in that order.
        scores = {
            (story_id, theme): rng.random()
            for story_id in range(start + count, start, -1)
            for theme in THEMES
        }
        assignments, outcome_rows = [], []
        for story in stories:
            story_id, checked = story["id"], checks.random() < staff_checked
            for theme in THEMES:
                assignments.append(theme_row(story_id, theme, scores[(story_id, theme)], checked))
            if checked:  # a staff member agrees with the model on four themes in five
                for theme in THEMES:
                    agrees = checks.random() >= 0.2
                    model_says = scores[(story_id, theme)] > 0.5
                    assignments.append(staff_row(story_id, theme, model_says == agrees))
            if outcomes:
                outcome_rows.extend(outcome_readings(readings, story_id, scores, checked))
        writer.write(ThemeAssignment.__table__, assignments)
        writer.write(OutcomeAssignment.__table__, outcome_rows)
    for table in (Initiative, ActivityReport, Story, ThemeAssignment, OutcomeAssignment):
        writer.reset_sequence(table.__table__)


def activity_logs(rng, n_initiatives, month_list, n_logs) -> list[dict]:
    logs = []
    for initiative_id in range(1, n_initiatives + 1):
        for month in month_list:
            if len(logs) >= n_logs:
                break
            unique = rng.randint(5, 80)
            logs.append(
                {
                    "id": len(logs) + 1,
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
    return logs


CREATED = dt.datetime(2026, 1, 1)


def theme_row(story_id: int, theme: str, score: float, checked: bool) -> dict:
    """The model's reading; superseded when staff checked the story (as record_review does)."""
    return {
        "story_id": story_id,
        "theme": theme,
        "score": score,
        "assigned": score > 0.5,
        "superseded": checked,
        "source": "model",
        "model_version": "bench",
        "created_at": CREATED,
    }


def staff_row(story_id: int, theme: str, assigned: bool) -> dict:
    return {
        "story_id": story_id,
        "theme": theme,
        "score": None,
        "assigned": assigned,
        "superseded": False,
        "source": "human",
        "model_version": None,
        "created_at": CREATED + dt.timedelta(days=30),
    }


OUTCOMES = ("beter", "slechter", "gemengd", "geen")


def outcome_readings(rng, story_id: int, scores: dict, checked: bool) -> list[dict]:
    """The outcome model's reading of the story and of each assigned theme (as
    store_model_outcomes writes them), and a staff reading of the story where staff checked it."""
    outcome = rng.choice(OUTCOMES)
    rows = [
        {
            "story_id": story_id,
            "theme": None,
            "outcome": outcome,
            "scores": None,
            "source": "model",
            "model_version": "bench",
            "created_at": CREATED,
        }
    ]
    rows.extend(
        {**rows[0], "theme": theme, "outcome": outcome}
        for theme in THEMES
        if scores[(story_id, theme)] > 0.5
    )
    if checked:
        rows.append(
            {
                **rows[0],
                "outcome": rng.choice(OUTCOMES),
                "source": "human",
                "model_version": None,
                "created_at": CREATED + dt.timedelta(days=30),
            }
        )
    return rows


BENCH_TABLES = ("story", "theme_assignment", "outcome_assignment", "activity_report", "initiative")


def set_autovacuum(engine, enabled: bool) -> None:
    """Off during the load, so the planner really has no statistics until the bench's ANALYZE."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for table in BENCH_TABLES:
            connection.execute(
                text(f"ALTER TABLE {table} SET (autovacuum_enabled = {str(enabled).lower()})")
            )


def analyze(engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    set_autovacuum(engine, True)


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"  {label:<34}{seconds:7.2f} s")
    return result, seconds


class StatementLog:
    """Every SQL statement the report runs, with its parameters and wall time."""

    def __init__(self, engine):
        self.engine, self.entries = engine, []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "handle_error", self._failed)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        seconds = time.perf_counter() - conn.info.pop("bench_started")
        self.entries.append((seconds, statement, parameters, "done"))

    def _failed(self, context):
        started = context.connection.info.pop("bench_started", None) if context.connection else None
        seconds = time.perf_counter() - started if started else 0.0
        self.entries.append((seconds, context.statement, context.parameters, "cancelled"))

    def slowest(self, count: int = 3):
        return sorted(self.entries, key=lambda entry: -entry[0])[:count]

    def clear(self) -> None:
        self.entries = []

    def stop(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        event.remove(self.engine, "handle_error", self._failed)


def print_plans(engine, entries, analyse: bool, timeout_s: float | None = None) -> None:
    """EXPLAIN (ANALYZE when asked) of logged statements, on PostgreSQL."""
    if engine.dialect.name != "postgresql":
        return
    for seconds, statement, parameters, state in entries:
        print(f"--- {seconds:.2f} s ({state}): {' '.join(statement.split())[:160]} …")
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            if timeout_s:
                cursor.execute(f"SET statement_timeout = '{int(timeout_s * 1000)}ms'")
            explain = "EXPLAIN (ANALYZE, TIMING OFF)" if analyse else "EXPLAIN"
            cursor.execute(f"{explain} {statement}", parameters)
            for (line,) in cursor.fetchall():
                print("   ", line)
        except Exception as error:  # noqa: BLE001 - a cancelled EXPLAIN ANALYZE is a result here
            print(f"    EXPLAIN ANALYZE stopped: {str(error).splitlines()[0]}")
        finally:
            raw.rollback()
            raw.close()


def quotes_before_analyze(app, engine, period: Period, area_code: str) -> None:
    """The quote selection alone on the fresh load: its time and its statements' plans."""
    log = StatementLog(engine)
    with app.app_context():
        area = find_area(db.session, area_code)
        areas = area_with_descendants(db.session, area)
        scope = report_scope(db.session, area, areas, period)
        print("quote candidates before ANALYZE:")
        timed("quote selection", lambda: _quote_candidates(db.session, scope, areas, THEMES))
        db.session.remove()
    print(f"  {len(log.entries)} statements, slowest {log.slowest(1)[0][0]:.3f} s; their plans:")
    slowest = {entry[1]: entry for entry in log.slowest(len(log.entries))}
    print_plans(engine, list(slowest.values())[:3], analyse=True)
    log.stop()


def report_before_analyze(app, engine, period: Period, area: str, timeout_s: float) -> None:
    """One report on the fresh load, each statement cut off after `timeout_s`."""
    log = StatementLog(engine)

    @event.listens_for(engine, "connect")
    def _timeout(dbapi_connection, record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{int(timeout_s * 1000)}ms'")

    engine.dispose()  # new connections get the timeout
    print(f"report before ANALYZE (statement timeout {timeout_s:.0f} s):")
    with app.app_context():
        try:
            timed("aggregate queries", lambda: build_report_input(db.session, period, area))
        except Exception as error:  # noqa: BLE001 - printed: the point of this run
            db.session.rollback()
            print(f"  stopped: {type(error).__name__}: {str(error).splitlines()[0]}")
        db.session.remove()
    event.remove(engine, "connect", _timeout)
    engine.dispose()
    print("slowest statements before ANALYZE (plans without statistics):")
    print_plans(engine, log.slowest(), analyse=False)
    log.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--logs", type=int, default=30_000)
    parser.add_argument("--staff-checked", type=float, default=0.01)
    parser.add_argument("--no-outcomes", action="store_true")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--reuse", action="store_true", help="measure the data already there")
    parser.add_argument("--runs", type=int, default=3, help="warm runs (median printed)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--before-analyze", type=float, default=0, metavar="SECONDS")
    parser.add_argument("--period", default="2026")
    parser.add_argument("--area", default="rotterdam")
    parser.add_argument(
        "--rebuild-cells", action="store_true", help="rebuild every report cell before measuring"
    )
    parser.add_argument(
        "--published",
        action="store_true",
        help="as the council page builds a calendar period's report: with its grid of hidden cells",
    )
    parser.add_argument(
        "--pending-wijken",
        type=int,
        default=0,
        metavar="N",
        help="after the refresh, a new story in N wijken of the last month (pending cells)",
    )
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
    period = Period.parse(args.period)
    with app.app_context():
        engine = db.engine
    if not args.reuse:
        print(
            f"database: {url.split('@')[-1]}; generating {args.stories:,} stories and "
            f"{args.logs:,} monthly logs …"
        )
        timed(
            "generate data",
            lambda: generate(
                app, args.stories, args.logs, args.staff_checked, not args.no_outcomes
            ),
        )
        if args.before_analyze:
            quotes_before_analyze(app, engine, period, args.area)
            report_before_analyze(app, engine, period, args.area, args.before_analyze)
        # Right after a bulk load the planner has no statistics and may pick a plan that runs
        # for minutes; a deployment's autovacuum does this too, a bench must do it itself.
        timed("ANALYZE (planner statistics)", lambda: analyze(engine))
    refresh_cells(app, engine, args.rebuild_cells)
    if args.pending_wijken:
        write_since_refresh(app, args.pending_wijken)
    log = StatementLog(engine)
    with app.app_context():
        totals = []
        for run in range(args.runs + 1):
            label = "cold" if run == 0 else f"warm {run}"
            print(f"report {args.area} {args.period} ({label}; load average {load_average()}):")
            log.clear()
            totals.append(measure_report(period, args.area, args.published))
    warm = totals[1:] or totals
    print(f"median of {len(warm)} warm run(s):")
    for index, label in enumerate(("aggregate queries", "HTML page total", "PDF total")):
        print(f"  {label:<34}{statistics.median(t[index] for t in warm):7.2f} s")
    if args.explain:
        print("slowest statements of the last run:")
        print_plans(engine, log.slowest(), analyse=True)


def refresh_cells(app, engine, rebuild: bool) -> None:
    """Fold the load's change log into the report cells, as the job sweep would, and time it.
    A database generated before the cells existed gets their tables and triggers here, and
    --rebuild-cells logs every cell so the refresh builds them all."""
    with app.app_context():
        db.create_all()  # only the tables missing (the cells on an older load) and the triggers
        if rebuild:
            print(f"  cells marked pending for a rebuild: {mark_every_cell_pending(db.session):,}")
        pending = db.session.scalar(text("SELECT count(*) FROM report_cell_change"))
        print(f"refresh report cells ({pending:,} change rows; load average {load_average()}):")
        done, _ = timed("refresh", lambda: refresh_report_cells(db.session))
        print(f"  {done.slices:,} wijk-month slices recomputed, {done.cells:,} cell rows")
        db.session.remove()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE report_cell, report_cell_change"))


def write_since_refresh(app, wijken: int) -> None:
    """One new story in each of `wijken` wijken in the last month, after the refresh: as on a
    busy day, those wijk-months are pending and the report counts them from the stories."""
    with app.app_context():
        last = db.session.scalar(select(func.max(Story.submitted_month)))
        chosen = db.session.scalars(select(Area.id).where(Area.level == "wijk")).all()[:wijken]
        for area_id in chosen:
            db.session.add(
                Story(
                    text=TEXTS[0],
                    language="nl",
                    channel="form",
                    submitted_month=last,
                    area_id=area_id,
                    status="pending",
                )
            )
        db.session.commit()
        pending = db.session.scalar(text("SELECT count(*) FROM report_cell_change"))
        print(f"wrote a story in {len(chosen)} wijken of {last:%Y-%m}: {pending} change rows")
        db.session.remove()


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def measure_report(period: Period, area: str, published: bool) -> tuple[float, float, float]:
    """Time each step of one report; prints the HTML and PDF totals against their targets."""
    data, query_s = timed(
        "aggregate queries",
        lambda: build_report_input(db.session, period, area, published=published),
    )
    report, build_s = timed("figures, quotes, charts", lambda: build_report(data, locale="nl"))
    _, html_s = timed("render HTML", lambda: render_html(report, io.StringIO(), fragment=True))
    _, pdf_s = timed("render PDF", lambda: render_pdf(report, io.BytesIO()))
    html_total, pdf_total = query_s + build_s + html_s, query_s + build_s + pdf_s
    print(f"  {'HTML page total (target <= 2 s)':<34}{html_total:7.2f} s")
    print(f"  {'PDF total (target <= 5 s)':<34}{pdf_total:7.2f} s")
    return query_s, html_total, pdf_total


if __name__ == "__main__":
    main()
