"""Research export of many stories: wall time, stories/s and peak memory of the streaming export.

Generates N stories with research consent (default 100,000; three themes each, texts with names,
addresses and e-mail addresses for the anonymiser to remove), then runs the export (CSV, JSONL
and .qdpx, k=5) in a fresh process, as `weefsel export` and the export job do, and prints its
wall time, stories/s and peak RSS. Target (issue 13): <= 500 MB RSS for 100,000 stories.

    .venv/bin/python bench/bench_export.py [--stories 100000] [--database-url URL]

Without --database-url a temporary SQLite file is used; with a PostgreSQL URL the tables there
are dropped and recreated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from sqlalchemy import func, insert, select, text

from webapp import create_app
from webapp.extensions import db
from webapp.models import Area, Story, ThemeAssignment
from webapp.services.areas import load_areas

THEMES = ("eenzaamheid", "armoede", "gezondheid")
NAMES = ("Jan de Vries", "Fatima el Amrani", "Piet Jansen", "Sanne Bakker", "Mohamed Yilmaz")
STREETS = ("Kalverstraat 12", "Dorpsweg 3", "Laan van Meerdervoort 88", "Beukenlaan 7")
TEXTS = (
    "Sinds mijn vrouw overleed kom ik hier elke week koffie drinken en praat ik weer met mensen. "
    "{name} van de {street} haalt me op. Bel me gerust op 06-12345678.",
    "Aan het eind van de maand is er niets meer over, de voedselbank helpt ons de week door. "
    "Mail {email} als je meer wilt weten; ik woon op de {street}.",
    "Na mijn hartinfarct wandel ik met de groep; de huisarts is tevreden over mijn bloeddruk. "
    "{name} loopt altijd mee en we drinken na afloop thee.",
    "Het buurtfeest was gezellig, de kinderen hebben de hele middag geschminkt en gedanst. "
    "Volgend jaar helpt {name} weer met de kraam.",
)
AGE_BANDS = ("18-29", "30-44", "45-64", "65-79", "80+", None)


def months(count: int, end: dt.date) -> list[dt.date]:
    result, year, month = [], end.year, end.month
    for _ in range(count):
        result.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def story_text(rng: random.Random, number: int) -> str:
    name = rng.choice(NAMES)
    email = f"{name.split()[0].lower()}{number}@example.org"
    return rng.choice(TEXTS).format(name=name, street=rng.choice(STREETS), email=email)


def generate(app, n_stories: int) -> None:
    rng = random.Random(13)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()  # benchmark data only; the app itself uses migrations
        load_areas(db.session)
        wijken = db.session.scalars(select(Area.id).where(Area.level == "wijk")).all()
        month_list = months(18, dt.date(2026, 11, 1))
        batch = 10_000
        for start in range(0, n_stories, batch):
            count = min(batch, n_stories - start)
            stories = [
                {
                    "text": story_text(rng, start + i),
                    "language": rng.choice(("nl",) * 9 + ("en",)),
                    "channel": "form",
                    "submitted_month": rng.choice(month_list),
                    "area_id": rng.choice(wijken),
                    "age_band": rng.choice(AGE_BANDS),
                    "consent_quote": False,
                    "consent_research": True,
                    "status": "approved",
                    "classified_version": "bench",
                    "theme_uncertainty": rng.random(),
                }
                for i in range(count)
            ]
            db.session.execute(insert(Story), stories)
            ids = db.session.scalars(select(Story.id).order_by(Story.id.desc()).limit(count)).all()
            db.session.execute(
                insert(ThemeAssignment),
                [
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
                ],
            )
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def app_for(url: str, workdir: Path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(workdir),
            "SECRET_KEY": "bench",
            "WITHDRAWAL_CODE_KEY": "bench",
            "RATELIMIT": "off",
        }
    )


def export_only(url: str, workdir: Path) -> None:
    """The measured part, in its own process so its peak RSS is the export's."""
    from webapp.services.research_export import ExportFilter, export_research_archive

    app = app_for(url, workdir)
    target = workdir / "export.zip"
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 5 or done == total:
            last[0] = now
            print(f"  progress {done:,} / {total:,}", file=sys.stderr, flush=True)

    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Story))
        started = time.perf_counter()
        with open(target, "wb") as handle:
            sheet = export_research_archive(
                db.session,
                ExportFilter(),
                ["csv", "jsonl", "qdpx"],
                handle,
                actor="bench",
                progress=progress,
            )
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with zipfile.ZipFile(target) as archive:
        lines = sum(1 for _ in io.TextIOWrapper(archive.open("stories.jsonl"), encoding="utf-8"))
    print(f"stories in database        {n:>12,}")
    print(f"stories exported           {sheet['counts']['stories']!s:>12}")
    print(f"JSONL lines in the archive {lines:>12,}")
    print(f"archive size               {target.stat().st_size / 1e6:>9.1f} MB")
    print(f"wall time                  {seconds:>10.1f} s")
    print(f"stories/s                  {n / seconds:>12,.0f}")
    print(f"peak RSS (export process)  {peak_mb:>9.0f} MB   (target <= 500 MB for 100,000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--export-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="weefsel-bench-export-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    if args.export_only:
        export_only(url, workdir)
        return
    print(f"database: {url.split('@')[-1]}; generating {args.stories:,} stories …", flush=True)
    started = time.perf_counter()
    generate(app_for(url, workdir), args.stories)
    print(f"generated in {time.perf_counter() - started:.1f} s; exporting …", flush=True)
    command = [sys.executable, __file__, "--export-only", "--workdir", str(workdir)]
    subprocess.run([*command, "--database-url", url], check=True)


if __name__ == "__main__":
    main()
