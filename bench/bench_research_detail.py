"""How much detail a research export keeps at k=5: global level versus local recoding.

Prints, for the demo data and for a generated city of 10,000 stories, the share of exported
stories that kept both their wijk and their month, the share left out, and the smallest group,
for the old single global level and for local recoding (reports.research.local_recoding).

    .venv/bin/python bench/bench_research_detail.py [--stories 10000] [--k 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports.research.data import ExportStory  # noqa: E402
from reports.research.generalise import generalise  # noqa: E402
from webapp.services.areas import read_area_rows  # noqa: E402

AGE_BANDS = ("tot 18", "18-29", "30-44", "45-64", "65-79", "80+")
AGE_WEIGHTS = (2, 10, 18, 28, 27, 15)


def demo_stories() -> list[ExportStory]:
    """The demo data's research-consented stories, as the export selects them."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db
    from webapp.services.demo_data import load_demo_data
    from webapp.services.research_export import ExportFilter, select_stories

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "bench",
                "RATELIMIT": "off",
            }
        )
        with app.app_context():
            upgrade()
            load_demo_data(db.session, today=dt.date(2026, 12, 1))
            stories = select_stories(db.session, ExportFilter())
            db.engine.dispose()
    return stories


def generated_city(n: int, seed: int = 11) -> list[ExportStory]:
    """A city of `n` stories over 24 months: wijken of very different sizes (Zipf-like),
    10 % naming only a stadsdeel, 5 % no area, 8 % no age band."""
    rng = random.Random(seed)
    rows = read_area_rows()
    by_code = {row["code"]: row for row in rows}
    wijken = [row for row in rows if row["level"] == "wijk"]
    weights = [1 / (rank + 1) for rank in range(len(wijken))]
    months = [dt.date(2025 + (m // 12), m % 12 + 1, 1) for m in range(24)]
    stories = []
    for story_id in range(n):
        wijk = rng.choices(wijken, weights)[0]
        stadsdeel = by_code[wijk["parent_code"]]
        city = by_code[stadsdeel["parent_code"]]
        draw = rng.random()
        stories.append(
            ExportStory(
                id=story_id,
                text=f"verhaal {story_id}",
                month=rng.choice(months),
                wijk=wijk["name"] if draw >= 0.15 else None,
                stadsdeel=stadsdeel["name"] if draw >= 0.05 else None,
                city=city["name"],
                age_band=rng.choices(AGE_BANDS, AGE_WEIGHTS)[0] if rng.random() > 0.08 else None,
            )
        )
    return stories


def describe(name: str, stories: list[ExportStory], k: int) -> None:
    print(f"\n{name}: {len(stories)} stories, k={k}")
    for method, local in (("global level", False), ("local recoding", True)):
        result = generalise(stories, k=k, local=local)
        report = result.report
        kept = sum(
            r.area_level == "wijk" and len(r.period) == 7 for r in result.records
        )  # 'YYYY-MM'
        classes = Counter((r.area, r.age_band, r.period) for r in result.records)
        share = kept / len(result.records) if result.records else 0.0
        print(
            f"  {method:15s} kept wijk+month {share:6.1%} of exported "
            f"({kept}/{len(result.records)}), left out {report.suppressed_share:5.1%}, "
            f"smallest group {min(classes.values(), default=0)}, "
            f"level {report.level.label}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    describe("demo data", demo_stories(), args.k)
    describe("generated city", generated_city(args.stories), args.k)


if __name__ == "__main__":
    main()
