"""render_json: the report's numbers for dashboards, suppressed cells as null with a flag.

The shape is versioned by `schema`; every number is {"value", "unit", "suppressed", "basis"}.
"""

from __future__ import annotations

import json
from typing import IO, Any

from .figures import CountTable, Figures
from .outcomes import outcomes_json
from .output import write_text
from .report import Report
from .suppression import Basis, Metric

SCHEMA = "weefsel.report.v1"


def basis_json(basis: Basis) -> dict[str, Any]:
    share = basis.reporting_share
    return {
        "stories": basis.stories,
        "initiatives_reporting": basis.initiatives_reporting,
        "initiatives_active": basis.initiatives_active,
        "initiatives_reporting_share": round(share, 4) if share is not None else None,
        "initiatives_funded": basis.initiatives_funded,
    }


def metric_json(metric: Metric | None) -> dict[str, Any] | None:
    """A metric as JSON; a suppressed one has value null and "suppressed": true."""
    if metric is None:
        return None
    value = None if metric.suppressed or metric.value is None else metric.value
    if isinstance(value, float):
        value = round(value, 6)
        if value.is_integer() and metric.unit in ("count", "hours"):
            value = int(value)
    result = {
        "value": value,
        "unit": metric.unit,
        "suppressed": metric.suppressed,
        "basis": basis_json(metric.basis),
    }
    if metric.interval is not None and value is not None:
        result["interval_95"] = [round(bound, 6) for bound in metric.interval]
    return result


def _count_table_json(table: CountTable, row_key: str) -> list[dict[str, Any]]:
    rows = []
    for row in table.rows:
        entry: dict[str, Any] = {row_key: row}
        if row_key == "month":
            entry["incomplete"] = row in table.incomplete
        if table.row_totals:
            entry["total"] = metric_json(table.row_totals[row])
        entry["themes"] = {theme: metric_json(table.cell(row, theme)) for theme in table.themes}
        rows.append(entry)
    return rows


def figures_json(figures: Figures) -> dict[str, Any]:
    """All figures as plain JSON-ready data."""
    activity = figures.activity
    return {
        "stories": {"total": metric_json(figures.story_total)},
        "themes": [
            {
                "key": theme.key,
                "name": theme.name,
                "count": metric_json(theme.count),
                "share": metric_json(theme.share),
                "previous_count": metric_json(theme.previous_count),
                "change_count": metric_json(theme.change_count),
                "change_share": metric_json(theme.change_share),
            }
            for theme in figures.themes
        ],
        "by_month": _count_table_json(figures.by_month, "month"),
        "by_subarea": _count_table_json(figures.by_subarea, "subarea"),
        "activity": {
            "basis": basis_json(activity.basis),
            "totals": {name: metric_json(m) for name, m in activity.totals.items()},
            "by_month": [
                {"month": month, "incomplete": month in activity.incomplete}
                | {name: metric_json(m) for name, m in activity.by_month[month].items()}
                for month in activity.months
            ],
        },
        "reach": {key: metric_json(m) for key, m in figures.reach.items()},
        "cost": {key: metric_json(m) for key, m in figures.cost.items()},
        "top_initiatives": [
            {"name": name, "activities": metric_json(acts), "visits": metric_json(visits)}
            for name, acts, visits in figures.top_initiatives
        ],
    }


def report_json(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data: query, figures and quotes."""
    query = report.query
    period, area = query.period, query.area
    return {
        "schema": SCHEMA,
        "locale": report.locale,
        "title": report.title,
        "subtitle": report.subtitle,
        "generated_on": report.generated_on.isoformat(),
        "query": {
            "period": {
                "kind": period.kind,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "label": period.label,
            },
            "area": {
                "level": area.level,
                "code": area.code,
                "name": area.name,
                "population": area.population,
            },
            "theme": query.theme,
            "initiative": query.initiative,
        },
        "has_data": report.has_data,
        "message": None if report.has_data else report.no_data_message,
        **figures_json(report.figures),
        "quotes": {
            theme: [
                {"text": q.text, "month": q.month, "wijk": q.wijk, "shortened": q.shortened}
                for q in quotes
            ]
            for theme, quotes in report.quotes.items()
            if quotes
        },
        "signification": _signification_json(report),
        "outcomes": outcomes_json(report.outcomes),
    }


def _signification_json(report: Report) -> dict[str, Any] | None:
    if report.signification is None:
        return None
    # imported here: signification_render uses this module's metric_json
    from .signification_render import signification_json

    return signification_json(report.signification)


def render_json(report: Report, fileobj: IO, *, indent: int | None = 2) -> None:
    """Write the report's numbers as JSON to `fileobj` (text or binary)."""
    write_text(fileobj, json.dumps(report_json(report), ensure_ascii=False, indent=indent))
