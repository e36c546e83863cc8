"""Impact reports for councillors: aggregates -> figures -> charts -> HTML/PDF/JSON. No Flask.

report = build_report(report_input, locale="nl")
render_html(report, fileobj); render_pdf(report, fileobj); render_json(report, fileobj)
"""

from .data import (
    ActivityMonth,
    Area,
    InitiativeActivity,
    MonthTotal,
    Period,
    PeriodError,
    QuoteCandidate,
    ReportInput,
    ReportQuery,
    SubareaThemeCount,
    ThemeCount,
    ThemeMonthCount,
)
from .html import render_html
from .i18n import translator
from .json_export import render_json
from .pdf import render_pdf
from .report import Report, build_report
from .suppression import SuppressionRules

__all__ = [
    "ActivityMonth",
    "Area",
    "InitiativeActivity",
    "MonthTotal",
    "Period",
    "PeriodError",
    "QuoteCandidate",
    "Report",
    "ReportInput",
    "ReportQuery",
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
