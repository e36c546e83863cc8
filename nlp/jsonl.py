"""Reading JSON Lines: one JSON object per line, errors naming the line number.

``read_story_lines`` is the one reader of ``{"id", "text"}`` files for every command that takes
them (``weefsel classify`` and ``weefsel anonymise``): the same checks, the same messages and the
same choice between stopping at a bad line and skipping it (``BadLines``). Messages are English
msgids with ``%(name)s`` fields, so the command line can show them in the user's language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any


def N_(msgid: str) -> str:
    """Mark a msgid for Babel; the command line translates it."""
    return msgid


class JsonlLineError(ValueError):
    """A JSONL line is not valid input; `line_no` (also `line_number`) is 1-based.

    ``msgid`` and ``params`` give the reason for translation; ``message`` is it in English.
    """

    def __init__(self, line_no: int, message: str, params: dict[str, Any] | None = None):
        self.line_no = line_no
        self.msgid = message
        self.params = params or {}
        self.message = message % self.params if self.params else message
        super().__init__(f"line {line_no}: {self.message}")

    @property
    def line_number(self) -> int:
        return self.line_no

    @property
    def reason(self) -> str:
        return self.message


@dataclass(frozen=True)
class StoryLine:
    """One usable input line: its number, its "id" (any JSON value) and its "text"."""

    line_no: int
    id: Any
    text: str


@dataclass
class BadLines:
    """The bad lines met so far, and whether to go on after them.

    With ``skip_bad`` every bad line is recorded and the good ones are processed. Without it the
    first bad line stops the processing, but the rest of the file is still read, so that every
    bad line can be reported at once.
    """

    skip_bad: bool = False
    errors: list[JsonlLineError] = field(default_factory=list)

    def add(self, error: JsonlLineError) -> None:
        self.errors.append(error)

    @property
    def stopped(self) -> bool:
        return bool(self.errors) and not self.skip_bad


def iter_jsonl_objects(lines: IO[str]) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) for each non-blank line; raise JsonlLineError otherwise."""
    for line_no, line in enumerate(lines, start=1):
        item = parse_object(line_no, line)
        if item is not None:
            yield line_no, item


def parse_object(line_no: int, raw: str | bytes) -> dict | None:
    """The JSON object on one line, None for a blank line; JsonlLineError otherwise."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise JsonlLineError(
                line_no, N_("not UTF-8 text (%(error)s)"), {"error": error.reason}
            ) from error
    if not raw.strip():
        return None
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as error:
        raise JsonlLineError(
            line_no, N_("not valid JSON (%(error)s)"), {"error": error.msg}
        ) from error
    if not isinstance(item, dict):
        raise JsonlLineError(line_no, N_('expected a JSON object with "id" and "text"'))
    return item


def require_text(item: dict, line_no: int) -> str:
    """The item's "text", which must be present and a string."""
    if "text" not in item:
        raise JsonlLineError(line_no, N_('missing "text"'))
    if not isinstance(item["text"], str):
        raise JsonlLineError(
            line_no,
            N_('"text" must be a string, not %(kind)s'),
            {"kind": type(item["text"]).__name__},
        )
    return item["text"]


def parse_story_line(line_no: int, raw: str | bytes) -> StoryLine | None:
    """One ``{"id", "text"}`` line; None when blank; JsonlLineError when unusable."""
    item = parse_object(line_no, raw)
    if item is None:
        return None
    text = require_text(item, line_no)
    if "id" not in item:
        raise JsonlLineError(line_no, N_('missing "id"'))
    return StoryLine(line_no, item["id"], text)


def read_story_lines(lines: Iterable[str | bytes], bad: BadLines) -> Iterator[StoryLine]:
    """Yield the usable ``{"id", "text"}`` lines; record each bad one in ``bad``.

    Once ``bad.stopped`` nothing more is yielded, but the remaining lines are still checked.
    """
    for line_no, raw in enumerate(lines, start=1):
        try:
            story = parse_story_line(line_no, raw)
        except JsonlLineError as error:
            bad.add(error)
            continue
        if story is not None and not bad.stopped:
            yield story
