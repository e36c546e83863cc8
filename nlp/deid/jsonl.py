"""Streams a JSONL file of stories through the de-identifier (the `weefsel anonymise` CLI)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO

from nlp.deid.detector import Deidentifier, UnsafeTextError
from nlp.deid.replace import Style, StyleFunction, replace_spans
from nlp.jsonl import N_, BadLines, JsonlLineError, StoryLine, read_story_lines

BATCH_SIZE = 256


def anonymise_jsonl(
    in_fp: IO[str] | IO[bytes] | Iterable[str | bytes],
    out_fp: IO[str],
    progress: bool | None = None,
    *,
    deidentifier: Deidentifier | None = None,
    style: Style | StyleFunction = Style.NUMBERED,
    batch_size: int = BATCH_SIZE,
    bad: BadLines | None = None,
) -> int:
    """Read {"id", "text"} lines, write {"id", "text", "spans"} lines in the same order.

    Span offsets point into the original text. Works in batches, so memory stays flat for any
    number of lines. ``progress=None`` shows a tqdm bar only when stderr is a terminal.
    Bad lines (malformed, a missing field, a text that is too long or binary) go to ``bad``
    (see ``nlp.jsonl.BadLines``); without one, the first raises JsonlLineError with its line
    number. Returns the number of records written.
    """
    strict = bad is None
    bad = bad or BadLines()
    engine = deidentifier or default_deidentifier()
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(unit=" texts", file=sys.stderr)
    written = 0
    try:
        for batch in _batches(read_story_lines(in_fp, bad), batch_size):
            out_lines = []
            for story in batch:
                line = _anonymised_line(engine, story, style, bad)
                if bad.stopped:
                    break
                if line is not None:
                    out_lines.append(line)
            out_fp.write("".join(out_lines))
            written += len(out_lines)
            if bar is not None:
                bar.update(len(out_lines))
    finally:
        if bar is not None:
            bar.close()
    if strict and bad.errors:
        raise bad.errors[0]
    return written


def _batches(stories: Iterable[StoryLine], size: int) -> Iterator[list[StoryLine]]:
    iterator = iter(stories)
    while batch := list(islice(iterator, size)):
        yield batch


def _anonymised_line(
    engine: Deidentifier, story: StoryLine, style: Style | StyleFunction, bad: BadLines
) -> str | None:
    try:
        spans = engine.detect(story.text)
    except UnsafeTextError as error:
        bad.add(
            JsonlLineError(
                story.line_no, N_("id %(id)s: %(error)s"), {"id": repr(story.id), "error": error}
            )
        )
        return None
    result = {
        "id": story.id,
        "text": replace_spans(story.text, spans, style),
        "spans": [span.as_dict() for span in spans],
    }
    return json.dumps(result, ensure_ascii=False) + "\n"


_DEFAULT: Deidentifier | None = None


def default_deidentifier() -> Deidentifier:
    """The process-wide Deidentifier used when the caller passes none."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Deidentifier()
    return _DEFAULT
