"""What a large export keeps on disk while it is made, so its memory does not grow with the texts.

A large export first reads every story once: its anonymised text and its theme scores go to a
`TextSpool` (a temporary file) and the story stays in memory without them (`TextSpool.keep`:
no text, only its digest; themes without scores, shared between stories), which is all
`generalise` and the datasheet need. `SpooledRecords` then gives the writers the generalised
records with text and scores read back from the spool, one record at a time, as often as a
writer iterates over them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import IO

from .data import ExportRecord, ExportStory, ThemeTag


class TextSpool:
    """Append-only entries in a temporary file, numbered 0, 1, 2 … in the order kept."""

    def __init__(self, directory: str | None = None):
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=directory)
        self._starts = array("q", [0])  # entry i spans starts[i]..starts[i + 1]
        self._scoreless: dict[tuple, tuple[ThemeTag, ...]] = {}

    def __len__(self) -> int:
        return len(self._starts) - 1

    def _add(self, data: bytes) -> int:
        self._file.seek(self._starts[-1])
        self._file.write(data)
        self._starts.append(self._starts[-1] + len(data))
        return len(self._starts) - 2

    def _read(self, index: int) -> bytes:
        self._file.seek(self._starts[index])
        return self._file.read(self._starts[index + 1] - self._starts[index])

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> TextSpool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def keep(self, story: ExportStory) -> ExportStory:
        """The story as it stays in memory: its id becomes its entry number in the spool, its
        text only a digest (for ordering), its themes keys and sources without scores."""
        themes = [[tag.key, tag.score, tag.source] for tag in story.themes]
        entry = self._add(json.dumps([story.text, themes], ensure_ascii=False).encode("utf-8"))
        return dataclasses.replace(
            story,
            id=entry,
            text="",
            text_digest=hashlib.sha256(story.text.encode("utf-8")).hexdigest(),
            themes=self._shared_themes(story.themes),
        )

    def _shared_themes(self, themes: Sequence[ThemeTag]) -> tuple[ThemeTag, ...]:
        key = tuple((tag.key, tag.source) for tag in themes)
        if key not in self._scoreless:
            self._scoreless[key] = tuple(ThemeTag(name, None, source) for name, source in key)
        return self._scoreless[key]

    def restore(self, record: ExportRecord, entry: int) -> ExportRecord:
        """The record with the text and theme scores of spool entry `entry`."""
        text, themes = json.loads(self._read(entry))
        return dataclasses.replace(
            record, text=text, themes=tuple(ThemeTag(*theme) for theme in themes)
        )


class SpooledRecords(Sequence[ExportRecord]):
    """Records held without text and theme scores; iterating reads them back from the spool.

    `without_text` are the records as `generalise` made them from stories kept by `spool`;
    `entries[i]` is the spool entry of record i (`GeneralisedResult.source_ids`).
    """

    def __init__(
        self, without_text: Sequence[ExportRecord], entries: Sequence[int], spool: TextSpool
    ):
        if len(without_text) != len(entries):
            raise ValueError("one spool entry per record is needed")
        self.without_text = without_text
        self._entries = entries
        self._spool = spool

    def __len__(self) -> int:
        return len(self.without_text)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._spool.restore(self.without_text[index], self._entries[index])

    def __iter__(self) -> Iterator[ExportRecord]:
        for record, entry in zip(self.without_text, self._entries, strict=True):
            yield self._spool.restore(record, entry)


def described_records(records: Sequence[ExportRecord]) -> Sequence[ExportRecord]:
    """The records to count and describe (datasheet, columns) without reading the spool back.

    Any sequence that carries its records' metadata as `without_text` (`SpooledRecords`, the
    archive's progress counter) is described by that: theme keys and sources, no scores."""
    return getattr(records, "without_text", records)
