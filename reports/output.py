"""Writing text to file-like objects that may be opened in text or binary mode."""

from __future__ import annotations

import io
from typing import IO


def write_text(fileobj: IO, text: str) -> None:
    """Write `text` to a text stream as is, or UTF-8 encoded to a binary one."""
    if isinstance(fileobj, io.TextIOBase):
        fileobj.write(text)
        return
    try:
        fileobj.write(text.encode("utf-8"))
    except TypeError:
        fileobj.write(text)
