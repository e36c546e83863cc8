"""The span type shared by detectors, replacement, the JSONL stream and the scorer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PiiType(StrEnum):
    """Kinds of personal data Weefsel removes from stories."""

    PERSOON = "PERSOON"
    ADRES = "ADRES"
    POSTCODE = "POSTCODE"
    TELEFOON = "TELEFOON"
    EMAIL = "EMAIL"
    IBAN = "IBAN"
    BSN = "BSN"
    GEBOORTEDATUM = "GEBOORTEDATUM"
    URL = "URL"
    HANDLE = "HANDLE"


# When two detections overlap, the one with the higher priority wins; structured, validated
# types beat the context-based ones.
PRIORITY: dict[PiiType, int] = {
    PiiType.EMAIL: 10,
    PiiType.IBAN: 9,
    PiiType.URL: 8,
    PiiType.BSN: 7,
    PiiType.TELEFOON: 6,
    PiiType.POSTCODE: 5,
    PiiType.GEBOORTEDATUM: 5,
    PiiType.HANDLE: 4,
    PiiType.ADRES: 3,
    PiiType.PERSOON: 2,
}


@dataclass(frozen=True, slots=True)
class Span:
    """One piece of personal data: character offsets into the original text, end exclusive."""

    start: int
    end: int
    type: PiiType
    text: str

    def as_dict(self) -> dict[str, object]:
        """The JSONL form: offsets and type, no text (the output must not repeat the PII)."""
        return {"start": self.start, "end": self.end, "type": str(self.type)}


def resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping spans: higher priority first, then the longer span wins."""
    if len(spans) < 2:
        return [s for s in spans if s.end > s.start]
    kept: list[Span] = []
    for span in sorted(spans, key=_rank):
        if span.end <= span.start:
            continue
        for k in kept:
            if span.end > k.start and span.start < k.end:
                break  # overlaps a span kept before it
        else:
            kept.append(span)
    kept.sort(key=_start)
    return kept


def _rank(span: Span) -> tuple[int, int, int]:
    return (-PRIORITY[span.type], span.start - span.end, span.start)


def _start(span: Span) -> int:
    return span.start
