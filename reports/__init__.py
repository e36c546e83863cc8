"""Impact reports for councillors: aggregates -> figures -> charts -> HTML/PDF/JSON. No Flask.

    report = build_report(report_input, locale="nl")
    render_html(report, fileobj); render_pdf(report, fileobj); render_json(report, fileobj)

The input dataclasses import cheaply; the renderers (matplotlib, fpdf2) load on first use, so
`from reports.data import ReportInput` or `reports.research` do not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .data import (
    ActivityMonth,
    Area,
    InitiativeActivity,
    MonthTotal,
    Period,
    PeriodError,
    PeriodTooLong,
    QuoteCandidate,
    ReportInput,
    ReportQuery,
    SubareaActivity,
    SubareaThemeCount,
    ThemeCount,
    ThemeMonthCount,
)

if TYPE_CHECKING:
    from .html import render_html
    from .i18n import translator
    from .json_export import render_json
    from .pdf import render_pdf
    from .report import Report, build_report
    from .suppression import SuppressionRules

_LAZY = {
    "Report": ".report",
    "build_report": ".report",
    "render_html": ".html",
    "render_pdf": ".pdf",
    "render_json": ".json_export",
    "translator": ".i18n",
    "SuppressionRules": ".suppression",
}

__all__ = [
    "ActivityMonth",
    "Area",
    "InitiativeActivity",
    "MonthTotal",
    "Period",
    "PeriodError",
    "PeriodTooLong",
    "QuoteCandidate",
    "Report",
    "ReportInput",
    "ReportQuery",
    "SubareaActivity",
    "SubareaThemeCount",
    "SuppressionRules",
    "ThemeCount",
    "ThemeMonthCount",
    "build_report",
    "render_html",
    "render_json",
    "render_pdf",
    "translator",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
