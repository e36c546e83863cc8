"""Public API for removing personal data from Dutch stories (no Flask, no database).

    >>> from nlp.anonymise import anonymise
    >>> anonymise("Fatima woont aan de Kerkstraat 12.").text
    '[PERSOON-1] woont aan de [ADRES].'

``detect_personal_data`` returns typed spans with offsets into the original text;
``anonymise`` also replaces them (numbered tags by default, see ``Style``);
``deidentified_text`` is the text as staff, reports and exports may see it;
``anonymise_jsonl`` streams a JSONL file; ``Deidentifier`` loads the lists once and can be
shared between threads (the module-level functions use one shared instance).
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.deid.detector import (
    MAX_TEXT_CHARS,
    BinaryTextError,
    Deidentifier,
    TextTooLongError,
    UnsafeTextError,
)
from nlp.deid.jsonl import JsonlLineError, anonymise_jsonl, default_deidentifier
from nlp.deid.lexicon import ListFileError
from nlp.deid.replace import (
    LabelStyle,
    MaskStyle,
    Style,
    StyleFunction,
    TagStyle,
    replace_spans,
)
from nlp.deid.types import PiiType, Span

__all__ = [
    "MAX_TEXT_CHARS",
    "AnonymisedText",
    "BinaryTextError",
    "Deidentifier",
    "JsonlLineError",
    "LabelStyle",
    "ListFileError",
    "MaskStyle",
    "PiiType",
    "Span",
    "Style",
    "StyleFunction",
    "TagStyle",
    "TextTooLongError",
    "UnsafeTextError",
    "anonymise",
    "anonymise_jsonl",
    "deidentified_text",
    "detect_personal_data",
]


@dataclass(frozen=True)
class AnonymisedText:
    """The replaced text and the spans found, with offsets into the original text."""

    text: str
    spans: list[Span]


def detect_personal_data(text: str, deidentifier: Deidentifier | None = None) -> list[Span]:
    """Personal-data spans in ``text``, sorted and non-overlapping."""
    return (deidentifier or default_deidentifier()).detect(text)


def anonymise(
    text: str,
    style: Style | StyleFunction = Style.NUMBERED,
    deidentifier: Deidentifier | None = None,
) -> AnonymisedText:
    """``text`` with its personal data replaced; persons numbered consistently per text."""
    spans = detect_personal_data(text, deidentifier)
    return AnonymisedText(text=replace_spans(text, spans, style), spans=spans)


def deidentified_text(
    text: str,
    style: Style | StyleFunction = Style.NUMBERED,
    deidentifier: Deidentifier | None = None,
) -> str:
    """The text as anyone but its writer may see it: staff screens, reports, share pages and
    exports all show this, never the original. Idempotent: tags it wrote are left alone."""
    return anonymise(text, style, deidentifier).text
