"""Texts kept on disk while an export is made, so its memory does not grow with the texts.

A large export first reads every story once: its anonymised text goes to a `TextSpool` (a
temporary file) and the story stays in memory without it (`ExportStory(text="",
text_digest=...)`), which is all `generalise` needs. `SpooledRecords` then gives the writers the
generalised records with their texts read back from the spool, one at a time, as often as a
writer iterates over them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO

from .data import ExportRecord, ExportStory


class TextSpool:
    """Append-only texts in a temporary file; `add` returns where a text is, `read` reads it."""

    def __init__(self, directory: str | None = None):
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=directory)
        self._end = 0

    def add(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8")
        self._file.seek(self._end)
        self._file.write(data)
        where = (self._end, len(data))
        self._end += len(data)
        return where

    def read(self, where: tuple[int, int]) -> str:
        offset, length = where
        self._file.seek(offset)
        return self._file.read(length).decode("utf-8")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TextSpool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def keep(self, story: ExportStory) -> tuple[ExportStory, tuple[int, int]]:
        """The story without its text (digest kept for ordering), and where its text went."""
        digest = hashlib.sha256(story.text.encode("utf-8")).hexdigest()
        return dataclasses.replace(story, text="", text_digest=digest), self.add(story.text)


class SpooledRecords(Sequence[ExportRecord]):
    """Records held without their texts; iterating reads each text back from the spool.

    `without_text` are the records as `generalise` made them from text-less stories;
    `places[i]` is where the text of record i is in `spool`.
    """

    def __init__(
        self,
        without_text: Sequence[ExportRecord],
        places: Sequence[tuple[int, int]],
        spool: TextSpool,
    ):
        if len(without_text) != len(places):
            raise ValueError("one text place per record is needed")
        self.without_text = without_text
        self._places = places
        self._spool = spool

    def __len__(self) -> int:
        return len(self.without_text)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return dataclasses.replace(
            self.without_text[index], text=self._spool.read(self._places[index])
        )

    def __iter__(self) -> Iterator[ExportRecord]:
        for record, place in zip(self.without_text, self._places, strict=True):
            yield dataclasses.replace(record, text=self._spool.read(place))


def described_records(records: Sequence[ExportRecord]) -> Sequence[ExportRecord]:
    """The records to count and describe (datasheet, columns): without reading texts back.

    Any sequence that carries its records' metadata as `without_text` (`SpooledRecords`, the
    archive's progress counter) is described by that."""
    return getattr(records, "without_text", records)
