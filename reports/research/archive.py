"""The export archive: the chosen formats plus README.md and datasheet.json in one ZIP.

Entries carry `meta.created_at` as their timestamp, so one export gives the same bytes twice.
Every entry is written record by record into the ZIP (the .qdpx through a temporary file,
because it is a ZIP itself), so a large export needs memory for the records' metadata only
when the records are `SpooledRecords`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from .data import ExportMeta, ExportRecord, ordered_theme_keys
from .datasheet import build_datasheet
from .generalise import GeneralisationReport
from .qdpx import LARGE_EXPORT, write_qdpx
from .readme import render_readme
from .spool import described_records
from .tabular import write_csv, write_jsonl

FORMATS: dict[str, str] = {"csv": "stories.csv", "jsonl": "stories.jsonl", "qdpx": "stories.qdpx"}
README_NAME = "README.md"
DATASHEET_NAME = "datasheet.json"
# How the archive reports progress: (records written so far, records to write in all formats).
Progress = Callable[[int, int], None]


class _Counted(Sequence[ExportRecord]):
    """The records, reporting to `progress` as a writer goes through them the first time."""

    def __init__(self, records: Sequence[ExportRecord], tick: Callable[[], None]):
        self.records, self._tick, self.without_text = records, tick, described_records(records)
        self._counted = False

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index):  # type: ignore[override]
        return self.records[index]

    def __iter__(self) -> Iterator[ExportRecord]:
        if self._counted:
            yield from self.records
            return
        for record in self.records:
            yield record
            self._tick()
        self._counted = True


def _writers(
    records: Sequence[ExportRecord], meta: ExportMeta
) -> dict[str, Callable[[IO[bytes]], None]]:
    theme_keys = ordered_theme_keys(described_records(records), meta.themes)
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
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write a ZIP with the chosen formats ('csv', 'jsonl', 'qdpx'), README.md and datasheet.json.

    Returns the datasheet (the same dict as datasheet.json), e.g. for the audit log.
    `records` may be `SpooledRecords` (texts read back from disk while writing).
    """
    chosen = list(dict.fromkeys(formats))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"formats must be some of {sorted(FORMATS)}, got {chosen}")
    if report.n_output != len(records):
        raise ValueError("the records do not belong to this generalisation report")
    files = [FORMATS[name] for name in chosen] + [README_NAME, DATASHEET_NAME]
    datasheet = build_datasheet(described_records(records), meta, report, files)
    stamp = max(meta.created_at.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    total = len(records) * len(chosen)
    written = [0]

    def tick() -> None:
        written[0] += 1
        if progress is not None and written[0] % 500 == 0:
            progress(written[0], total)

    large = len(records) > LARGE_EXPORT
    with zipfile.ZipFile(fileobj, "w") as archive:
        for name in chosen:
            counted = _Counted(records, tick)
            writer = _writers(counted, meta)[name]
            if name == "qdpx":
                # A .qdpx is itself a ZIP: built in a temporary file (zipfile needs to seek),
                # then stored as is, since compressing it again gains nothing.
                with tempfile.TemporaryFile() as qdpx:
                    writer(qdpx)
                    qdpx.seek(0)
                    info = _entry(FORMATS[name], stamp, zipfile.ZIP_STORED)
                    with archive.open(info, "w", force_zip64=large) as entry:
                        shutil.copyfileobj(qdpx, entry, 1 << 20)
            else:
                info = _entry(FORMATS[name], stamp)
                with archive.open(info, "w", force_zip64=large) as entry:
                    writer(entry)
            written[0] = chosen.index(name) * len(records) + len(records)
            if progress is not None:
                progress(written[0], total)
        readme = render_readme(datasheet).encode("utf-8")
        archive.writestr(_entry(README_NAME, stamp), readme)
        sheet = json.dumps(datasheet, ensure_ascii=False, indent=2) + "\n"
        archive.writestr(_entry(DATASHEET_NAME, stamp), sheet.encode("utf-8"))
    return datasheet


def _entry(name: str, stamp: dt.datetime, method: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = method
    return info
