"""Render-only benchmark for reports/: a city-wide report as HTML, PDF and JSON on one core.

Input: reports.example_input (18 months, 3 themes, 8 stadsdelen, 500 initiatives), i.e. the
aggregated rows the webapp's report service would pass. Budget: HTML <= 2 s, PDF <= 5 s,
charts included. Prints cold (first render in the process) and warm (median) times.

    .venv/bin/python bench/bench_reports_render.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from collections.abc import Callable

BUDGET_SECONDS = {"html": 2.0, "pdf": 5.0}


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per format")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    started = time.perf_counter()
    from reports import build_report, render_html, render_json, render_pdf
    from reports.example_input import example_report_input

    import_seconds = time.perf_counter() - started
    data = example_report_input(months=18, stadsdelen=8, initiatives=500)
    rows = (
        len(data.story_counts_by_month_theme)
        + len(data.story_counts_by_subarea_theme)
        + len(data.activity_by_month)
        + len(data.top_initiatives)
    )
    print(f"reports render bench: 18 months, 3 themes, 8 stadsdelen, 500 initiatives ({rows} rows)")
    print(f"  import reports (matplotlib, fpdf2, babel): {import_seconds:.2f} s")

    renderers = {
        "build": lambda: build_report(data, "nl"),
        "html": lambda: render_html(build_report(data, "nl"), io.BytesIO()),
        "pdf": lambda: render_pdf(build_report(data, "nl"), io.BytesIO()),
        "json": lambda: render_json(build_report(data, "nl"), io.BytesIO()),
    }
    failed = False
    for name, action in renderers.items():
        cold_wall, _cold_cpu = _timed(action)
        warm = [_timed(action) for _ in range(args.repeat)]
        wall = statistics.median(w for w, _ in warm)
        cpu = statistics.median(c for _, c in warm)
        budget = BUDGET_SECONDS.get(name)
        verdict = ""
        if budget is not None:
            ok = max(cold_wall, wall) <= budget
            failed |= not ok
            verdict = f"  budget {budget:.0f} s: {'ok' if ok else 'OVER'}"
        print(
            f"  {name:5s} cold {cold_wall:6.3f} s   warm median {wall:6.3f} s"
            f" (cpu {cpu:6.3f} s){verdict}"
        )
    buffer = io.BytesIO()
    render_pdf(build_report(data, "nl"), buffer)
    html = io.BytesIO()
    render_html(build_report(data, "nl"), html)
    print(
        f"  sizes: html {len(html.getvalue()) / 1024:.0f} KiB, pdf {len(buffer.getvalue()) / 1024:.0f} KiB"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
