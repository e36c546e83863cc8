"""Streams a JSONL file of stories through the de-identifier (the `weefsel anonymise` CLI)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

from nlp.deid.detector import Deidentifier, UnsafeTextError
from nlp.deid.replace import Style, StyleFunction, replace_spans
from nlp.jsonl import JsonlLineError  # one error type for every JSONL command

BATCH_SIZE = 256


def anonymise_jsonl(
    in_fp: IO[str] | IO[bytes],
    out_fp: IO[str],
    progress: bool | None = None,
    *,
    deidentifier: Deidentifier | None = None,
    style: Style | StyleFunction = Style.NUMBERED,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Read {"id", "text"} lines, write {"id", "text", "spans"} lines in the same order.

    Span offsets point into the original text. Works in batches, so memory stays flat for any
    number of lines. ``progress=None`` shows a tqdm bar only when stderr is a terminal.
    Raises JsonlLineError (with the line number) on a malformed line, a missing field, or a
    text that is too long or binary. Returns the number of records written.
    """
    engine = deidentifier or default_deidentifier()
    show = sys.stderr.isatty() if progress is None else progress
    lines: Iterable[tuple[int, str | bytes]] = enumerate(in_fp, start=1)
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(unit=" texts", file=sys.stderr)
    written = 0
    try:
        for batch in _batches(lines, batch_size):
            out_lines = [_process_line(engine, number, raw, style) for number, raw in batch]
            out_lines = [line for line in out_lines if line is not None]
            out_fp.write("".join(out_lines))
            written += len(out_lines)
            if bar is not None:
                bar.update(len(out_lines))
    finally:
        if bar is not None:
            bar.close()
    return written


def _batches(
    lines: Iterable[tuple[int, str | bytes]], size: int
) -> Iterator[list[tuple[int, str | bytes]]]:
    iterator = iter(lines)
    while batch := list(islice(iterator, size)):
        yield batch


def _process_line(
    engine: Deidentifier, number: int, raw: str | bytes, style: Style | StyleFunction
) -> str | None:
    record = parse_line(number, raw)
    if record is None:
        return None
    text = record["text"]
    try:
        spans = engine.detect(text)
    except UnsafeTextError as error:
        raise JsonlLineError(number, f"id {record['id']!r}: {error}") from error
    result = {
        "id": record["id"],
        "text": replace_spans(text, spans, style),
        "spans": [span.as_dict() for span in spans],
    }
    return json.dumps(result, ensure_ascii=False) + "\n"


def parse_line(number: int, raw: str | bytes) -> dict[str, Any] | None:
    """The record on one input line, None for a blank line; JsonlLineError if unusable."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise JsonlLineError(number, f"not UTF-8: {error}") from error
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        raise JsonlLineError(number, f"malformed JSON: {error.msg}") from error
    if not isinstance(record, dict):
        raise JsonlLineError(number, "expected a JSON object with 'id' and 'text'")
    if "id" not in record or "text" not in record:
        raise JsonlLineError(number, "missing 'id' or 'text'")
    if not isinstance(record["text"], str):
        raise JsonlLineError(number, "'text' must be a string")
    return record


_DEFAULT: Deidentifier | None = None


def default_deidentifier() -> Deidentifier:
    """The process-wide Deidentifier used when the caller passes none."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Deidentifier()
    return _DEFAULT
