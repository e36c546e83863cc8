"""CSV and JSONL writers for the research export: one row or line per story.

Both write bytes to a binary file-like object (a file opened "wb", a ZIP entry, io.BytesIO).

CSV: RFC 4180 (comma, double quotes, CRLF between rows), UTF-8 *with* a byte order mark so
that Excel shows accented letters and emoji; Python (`encoding="utf-8-sig"`), R and pandas read
the BOM transparently. Texts are written unchanged, so line breaks inside a text stay inside its
quoted cell, except that a cell a spreadsheet would run as a formula starts with a quote
(`reports.spreadsheet_safety`). Themes appear twice: `themes` (keys joined with ";") and one 0/1 column per theme.
Residents' own answers (self-signification) follow as `sig_...` columns when any story has them.

JSONL: one JSON object per line, UTF-8 without BOM, "\n" line ends, non-ASCII unescaped; each
theme keeps its score and whether the model or a person assigned it.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from ..spreadsheet_safety import safe_csv_chunks
from .data import ExportRecord, ordered_theme_keys, signification_columns
from .spool import described_records

CSV_BASE_COLUMNS: tuple[str, ...] = (
    "id",
    "text",
    "period",
    "area",
    "age_band",
    "language",
    "channel",
    "themes",
    "outcome",
)
THEME_COLUMN_PREFIX = "theme_"
OUTCOME_COLUMN_PREFIX = "outcome_"
THEME_SEPARATOR = ";"


def csv_columns(theme_keys: Sequence[str]) -> list[str]:
    """The CSV header: the base columns, then `theme_<key>` per theme, then `outcome_<key>`
    per theme (the outcome for that theme; empty when the story is not about it)."""
    return [
        *CSV_BASE_COLUMNS,
        *(THEME_COLUMN_PREFIX + key for key in theme_keys),
        *(OUTCOME_COLUMN_PREFIX + key for key in theme_keys),
    ]


def write_csv(
    records: Sequence[ExportRecord], fileobj: IO[bytes], theme_keys: Sequence[str] | None = None
) -> None:
    """Write the records as CSV (UTF-8 with BOM); `theme_keys` fixes the 0/1 columns' order.

    Without `theme_keys` the columns are the themes that occur in the records, sorted.
    """
    described = described_records(records)
    keys = list(theme_keys) if theme_keys is not None else ordered_theme_keys(described)
    own = signification_columns(described)

    def rows():
        yield [*csv_columns(keys), *own]
        for record in records:
            present = set(record.theme_keys)
            yield [
                record.export_id,
                record.text,
                record.period,
                record.area,
                record.age_band,
                record.language,
                record.channel,
                THEME_SEPARATOR.join(record.theme_keys),
                record.outcome,
                *(1 if key in present else 0 for key in keys),
                *(record.theme_outcomes.get(key, "") if key in present else "" for key in keys),
                *(_cell(record.signification.get(column)) for column in own),
            ]

    fileobj.write(codecs.BOM_UTF8)
    for chunk in safe_csv_chunks(rows()):
        fileobj.write(chunk.encode("utf-8"))


def record_json(record: ExportRecord) -> dict[str, Any]:
    """One record as a JSON-ready dict (the shape of a JSONL line)."""
    return {
        "id": record.export_id,
        "text": record.text,
        "period": record.period,
        "period_start": record.period_start.isoformat(),
        "period_end": record.period_end.isoformat(),
        "area": record.area,
        "area_level": record.area_level,
        "age_band": record.age_band,
        "language": record.language,
        "channel": record.channel,
        "themes": [
            {"key": tag.key, "score": tag.score, "source": tag.source} for tag in record.themes
        ],
        "signification": dict(record.signification) or None,
        "outcome": record.outcome or None,
        "theme_outcomes": {
            key: value for key, value in record.theme_outcomes.items() if key in record.theme_keys
        },
    }


def _cell(value: Any) -> Any:
    return "" if value is None else value


def write_jsonl(records: Iterable[ExportRecord], fileobj: IO[bytes]) -> None:
    """Write one JSON object per record and line (UTF-8, no BOM, "\\n" line ends)."""
    for record in records:
        line = json.dumps(record_json(record), ensure_ascii=False, allow_nan=False)
        fileobj.write(_escape_line_separators(line).encode("utf-8") + b"\n")


def _escape_line_separators(line: str) -> str:
    # str.splitlines() also breaks on these; escaped, a JSONL line stays one line for any reader.
    for char in _LINE_SEPARATORS:
        line = line.replace(char, f"\\u{ord(char):04x}")
    return line


_LINE_SEPARATORS = ("\x85", "\u2028", "\u2029")
