"""Self-signification: the story form's weight, and the report figures and triad chart for many
answers.

Form: the /verhaal page plus every stylesheet, script and icon it links, raw and gzipped
(budget 50 KB raw). Report: compute_signification + model_resident_agreement + the triad SVG for
N seeded answers (default 20,000), cold and warm.

    .venv/bin/python bench/bench_signification.py [--answers 20000]
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import tempfile
import time

FORM_BUDGET_BYTES = 50 * 1024


def form_weight() -> tuple[int, int, dict[str, int]]:
    from flask_migrate import upgrade

    from webapp import create_app

    with tempfile.TemporaryDirectory() as directory:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite",
                "SECRET_KEY": "bench",
                "INSTANCE_PATH": directory,
                "SERVER_NAME": "localhost",
            }
        )
        with app.app_context():
            upgrade()
            client = app.test_client()
            page = client.get("/verhaal").get_data()
            parts = {"/verhaal (HTML)": page}
            for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', page):
                response = client.get(asset.decode())
                parts[asset.decode()] = response.get_data()
                response.close()
    raw = sum(len(body) for body in parts.values())
    zipped = sum(len(gzip.compress(body)) for body in parts.values())
    return raw, zipped, {name: len(body) for name, body in parts.items()}


def report_timings(n: int, repeat: int = 5) -> tuple[float, float]:
    from reports.signification import (
        Corner,
        SignificationInput,
        SignificationRow,
        compute_signification,
        model_resident_agreement,
    )
    from reports.signification_render import triad_svg
    from reports.suppression import SuppressionRules
    from surveys.signification import normalised_weights

    rng = random.Random(17)
    themes = ("eenzaamheid", "armoede", "gezondheid")
    corners = tuple(Corner(t[:4], {"nl": t}, t) for t in themes)
    rows = [
        SignificationRow(
            themes=(rng.choice(themes),),
            model_themes=(rng.choice(themes),),
            subarea=f"wijk {rng.randrange(40)}",
            before_after=rng.choice(("beter", "hetzelfde", "slechter", "weet_niet", None)),
            weights=tuple(w / 1000 for w in normalised_weights([rng.random() for _ in range(3)])),
            model_outcome=rng.choice(("beter", "slechter", "geen", "gemengd", None)),
        )
        for _ in range(n)
    ]
    data = SignificationInput("verhaal", "1", corners, rows)

    def run() -> float:
        start = time.perf_counter()
        figures = compute_signification(data, SuppressionRules(), themes)
        model_resident_agreement(data)
        triad_svg(figures.triad, list(themes))
        return time.perf_counter() - start

    cold = run()
    warm = statistics.median(run() for _ in range(repeat))
    return cold, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20_000)
    args = parser.parse_args()
    raw, zipped, parts = form_weight()
    for name, size in parts.items():
        print(f"  {name}: {size:,} bytes")
    verdict = "within" if raw <= FORM_BUDGET_BYTES else "OVER"
    print(f"story form total: {raw:,} bytes raw, {zipped:,} gzipped ({verdict} 50 KB budget)")
    cold, warm = report_timings(args.answers)
    print(
        f"report figures + agreement + triad SVG, {args.answers:,} answers: "
        f"cold {cold:.2f} s, warm {warm:.2f} s"
    )
    return 0 if raw <= FORM_BUDGET_BYTES else 1


if __name__ == "__main__":
    raise SystemExit(main())
