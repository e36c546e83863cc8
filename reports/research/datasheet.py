"""The datasheet of a research export: its numbers as JSON-ready data (datasheet.json).

Every number in README.md comes from here, so the two never disagree. Counts describe the
exported records only; no number about suppressed stories is given beyond how many there were.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from .data import ExportMeta, ExportRecord, ordered_theme_keys
from .generalise import GeneralisationReport

SCHEMA = "weefsel.research-export.datasheet.v1"
CONSENT_RULE = "research_consent_and_not_withdrawn"
NOT_EXPORTED: tuple[str, ...] = (
    "database_ids",
    "exact_dates",
    "initiative",
    "names_of_residents_or_staff",
    "contact_details",
)


def build_datasheet(
    records: Sequence[ExportRecord],
    meta: ExportMeta,
    report: GeneralisationReport,
    files: Sequence[str] = (),
) -> dict[str, Any]:
    """The export's datasheet: counts, date range, anonymisation, model, k-anonymity, files.

    No count between 1 and k-1 appears anywhere in it (nor in the README built from it): such
    a count reads "< k", since a small count of a category can itself single people out.
    """
    sheet = {
        "schema": SCHEMA,
        "title": meta.project_name,
        "created_at": meta.created_at.isoformat(),
        "exported_by": meta.exported_by,
        "software": meta.software,
        "files": list(files),
        "consent_rule": CONSENT_RULE,
        "filters": dict(meta.filters),
        "counts": _counts(records, meta, report),
        "date_range": _date_range(records),
        "anonymisation": {
            "method": _plain(meta.anonymiser),
            "recall": meta.anonymiser_recall,
            "precision": meta.anonymiser_precision,
            "evaluation": _plain(meta.anonymiser_evaluation),
        },
        "theme_model": {"model_version": meta.model_version},
        "k_anonymity": _k_anonymity(report),
        "not_exported": list(NOT_EXPORTED),
        "usage_terms": meta.usage_terms,
    }
    sheet["counts"] = _protected(sheet["counts"], report.k)
    sheet["k_anonymity"] = _protected(sheet["k_anonymity"], report.k)
    return sheet


# Keys whose values are counts of stories (or maps of value -> count of stories).
_COUNT_KEYS = {
    "stories",
    "stories_eligible",
    "stories_suppressed",
    "stories_without_theme",
    "by_model",
    "by_human",
    "stories_kept_wijk_and_month",
}
_COUNT_MAPS = {"languages", "channels", "periods", "areas", "age_bands"}


def safe_count(n: int, k: int) -> int | str:
    """n, or "< k" for a count of 1 to k-1."""
    return f"< {k}" if 0 < n < k else n


def _protected(value: Any, k: int, key: str = "") -> Any:
    if isinstance(value, dict):
        if key in _COUNT_MAPS:
            return {name: safe_count(n, k) for name, n in value.items()}
        return {name: _protected(item, k, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_protected(item, k, key) for item in value]
    if key in _COUNT_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return safe_count(value, k)
    return value


def _counts(
    records: Sequence[ExportRecord], meta: ExportMeta, report: GeneralisationReport
) -> dict[str, Any]:
    names = meta.theme_names()
    themes = []
    for key in ordered_theme_keys(records, meta.themes):
        tagged = [record for record in records if key in record.theme_keys]
        by_human = sum(record.theme_source(key) == "human" for record in tagged)
        theme = names.get(key)
        themes.append(
            {
                "key": key,
                "name_nl": theme.name_nl if theme else key,
                "name_en": theme.name_en if theme else key,
                "stories": len(tagged),
                "by_model": len(tagged) - by_human,
                "by_human": by_human,
            }
        )
    return {
        "stories": len(records),
        "stories_eligible": report.n_input,
        "stories_suppressed": report.n_suppressed,
        "stories_without_theme": sum(not record.theme_keys for record in records),
        "themes": themes,
        "languages": _sorted_counts(record.language for record in records),
        "channels": _sorted_counts(record.channel for record in records),
        "outcomes": _sorted_counts(record.outcome or "unread" for record in records),
        "periods": dict(sorted(Counter(record.period for record in records).items())),
        "areas": _sorted_counts(record.area for record in records),
        "age_bands": dict(sorted(Counter(record.age_band for record in records).items())),
    }


def _sorted_counts(values: Any) -> dict[str, int]:
    """Value -> count, most frequent first, then alphabetical."""
    counts = Counter(values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _date_range(records: Sequence[ExportRecord]) -> dict[str, str] | None:
    if not records:
        return None
    first = min(records, key=lambda record: record.period_start)
    last = max(records, key=lambda record: record.period_end)
    return {
        "start": first.period_start.isoformat(),
        "end": last.period_end.isoformat(),
        "first_period": first.period,
        "last_period": last.period,
    }


def _k_anonymity(report: GeneralisationReport) -> dict[str, Any]:
    return {
        "method": report.method,
        "stories_kept_wijk_and_month": report.kept_wijk_and_month,
        "kept_wijk_and_month_share": round(report.kept_wijk_and_month_share, 4),
        "k": report.k,
        "quasi_identifiers": list(report.quasi_identifiers),
        "max_suppression": report.max_suppression,
        "level": _level(report.level),
        "smallest_class": report.smallest_class,
        "stories_suppressed": report.n_suppressed,
        "suppressed_share": round(report.suppressed_share, 4),
        "levels_considered": [
            {
                **_level(outcome.level),
                "classes": outcome.n_classes,
                "small_classes": outcome.n_small_classes,
                "stories_suppressed": outcome.n_suppressed,
                "chosen": outcome.level == report.level,
            }
            for outcome in report.outcomes
        ],
        "steps": [
            {
                "action": step.action,
                "field": step.field,
                "stories": step.n_records,
                "from": step.from_level,
                "to": step.to_level,
                "values": step.n_values,
            }
            for step in report.steps
        ],
    }


def _level(level: Any) -> dict[str, str]:
    return {"area": level.area, "age_band": level.age, "period": level.period}


def _plain(text):
    """A text, or a text per language as a plain dict (JSON-able)."""
    return text if isinstance(text, str) else dict(text)
