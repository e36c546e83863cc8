"""Reading JSON Lines: one JSON object per line, errors naming the line number."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO


class JsonlLineError(ValueError):
    """A JSONL line is not valid input; `line_no` (also `line_number`) is 1-based."""

    def __init__(self, line_no: int, message: str):
        self.line_no = line_no
        self.message = message
        super().__init__(f"line {line_no}: {message}")

    @property
    def line_number(self) -> int:
        return self.line_no

    @property
    def reason(self) -> str:
        return self.message


def iter_jsonl_objects(lines: IO[str]) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) for each non-blank line; raise JsonlLineError otherwise."""
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise JsonlLineError(line_no, f"not valid JSON ({error.msg})") from error
        if not isinstance(item, dict):
            raise JsonlLineError(line_no, "expected a JSON object")
        yield line_no, item


def require_text(item: dict, line_no: int) -> str:
    """The item's "text", which must be present and a string."""
    if "text" not in item:
        raise JsonlLineError(line_no, 'missing "text"')
    if not isinstance(item["text"], str):
        raise JsonlLineError(line_no, f'"text" must be a string, not {type(item["text"]).__name__}')
    return item["text"]
