"""The export archive: the chosen formats plus README.md and datasheet.json in one ZIP.

Entries carry `meta.created_at` as their timestamp, so one export gives the same bytes twice.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from .data import ExportMeta, ExportRecord, ordered_theme_keys
from .datasheet import build_datasheet
from .generalise import GeneralisationReport
from .qdpx import write_qdpx
from .readme import render_readme
from .tabular import write_csv, write_jsonl

FORMATS: dict[str, str] = {"csv": "stories.csv", "jsonl": "stories.jsonl", "qdpx": "stories.qdpx"}
README_NAME = "README.md"
DATASHEET_NAME = "datasheet.json"


def _writers(
    records: Sequence[ExportRecord], meta: ExportMeta
) -> dict[str, Callable[[IO[bytes]], None]]:
    theme_keys = ordered_theme_keys(records, meta.themes)
    return {
        "csv": lambda fileobj: write_csv(records, fileobj, theme_keys),
        "jsonl": lambda fileobj: write_jsonl(records, fileobj),
        "qdpx": lambda fileobj: write_qdpx(records, meta, fileobj),
    }


def write_export_archive(
    records: Sequence[ExportRecord],
    meta: ExportMeta,
    report: GeneralisationReport,
    formats: Iterable[str],
    fileobj: IO[bytes],
) -> dict[str, Any]:
    """Write a ZIP with the chosen formats ('csv', 'jsonl', 'qdpx'), README.md and datasheet.json.

    Returns the datasheet (the same dict as datasheet.json), e.g. for the audit log.
    """
    chosen = list(dict.fromkeys(formats))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"formats must be some of {sorted(FORMATS)}, got {chosen}")
    if report.n_output != len(records):
        raise ValueError("the records do not belong to this generalisation report")
    files = [FORMATS[name] for name in chosen] + [README_NAME, DATASHEET_NAME]
    datasheet = build_datasheet(records, meta, report, files)
    stamp = max(meta.created_at.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    writers = _writers(records, meta)
    with zipfile.ZipFile(fileobj, "w") as archive:
        for name in chosen:
            buffer = io.BytesIO()
            writers[name](buffer)
            # A .qdpx is itself a ZIP: stored as is, compressing it again gains nothing.
            method = zipfile.ZIP_STORED if name == "qdpx" else zipfile.ZIP_DEFLATED
            archive.writestr(_entry(FORMATS[name], stamp, method), buffer.getvalue())
        readme = render_readme(datasheet).encode("utf-8")
        archive.writestr(_entry(README_NAME, stamp), readme)
        sheet = json.dumps(datasheet, ensure_ascii=False, indent=2) + "\n"
        archive.writestr(_entry(DATASHEET_NAME, stamp), sheet.encode("utf-8"))
    return datasheet


def _entry(name: str, stamp: dt.datetime, method: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = method
    return info
