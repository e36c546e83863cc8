"""Replaces detected spans so a story stays readable: '[PERSOON-1] belde [PERSOON-2]'."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from nlp.deid.lexicon import fold_accents
from nlp.deid.tokens import PARTICLES
from nlp.deid.types import PiiType, Span

# A callable style gets the span and its per-story number (None for unnumbered types).
StyleFunction = Callable[[Span, int | None], str]


class Style(Enum):
    """Built-in replacement styles."""

    NUMBERED = "numbered"  # [PERSOON-1], [PERSOON-2], [ADRES]
    TAGS = "tags"  # [PERSOON], [ADRES]
    MASK = "mask"  # ██████ (same length as the original)


@dataclass(frozen=True)
class TagStyle:
    """Bracketed type tags; types in ``numbered_types`` get a per-story number."""

    numbered_types: frozenset[PiiType] = field(default_factory=lambda: frozenset({PiiType.PERSOON}))
    template: str = "[{type}]"
    numbered_template: str = "[{type}-{number}]"

    def __call__(self, span: Span, number: int | None) -> str:
        if number is not None and span.type in self.numbered_types:
            return self.numbered_template.format(type=span.type, number=number)
        return self.template.format(type=span.type)


@dataclass(frozen=True)
class MaskStyle:
    """Overwrites every non-space character with ``char``, so lengths and line breaks stay."""

    char: str = "█"

    def __call__(self, span: Span, number: int | None) -> str:
        return re.sub(r"\S", self.char, span.text)


@dataclass(frozen=True)
class LabelStyle:
    """Bracketed words a reader understands ('[telefoonnummer]', '[naam 2]'), one per type.

    ``labels`` maps each type to its (translated) word; a type without a label keeps its
    type tag. Persons get their per-story number so two people stay two people.
    """

    labels: Mapping[PiiType, str]

    def __call__(self, span: Span, number: int | None) -> str:
        label = self.labels.get(span.type, str(span.type))
        if number is not None and span.type is PiiType.PERSOON:
            return f"[{label} {number}]"
        return f"[{label}]"


BUILT_IN: dict[Style, StyleFunction] = {
    Style.NUMBERED: TagStyle(),
    Style.TAGS: TagStyle(numbered_types=frozenset()),
    Style.MASK: MaskStyle(),
}


def resolve_style(style: Style | StyleFunction) -> StyleFunction:
    """A callable for any accepted style value."""
    if isinstance(style, Style):
        return BUILT_IN[style]
    if callable(style):
        return style
    raise TypeError(f"style must be a Style or a callable, not {type(style).__name__}")


def span_numbers(spans: list[Span]) -> dict[int, int]:
    """Per-type numbers for one story: span index -> 1, 2, ...; the same value, the same number.

    Persons are matched by name parts (see person_numbers), other types by their text without
    spaces and case ('06-1234 5678' and '06-12345678' are one number).
    """
    numbers = person_numbers(spans)
    seen: dict[tuple[PiiType, str], int] = {}
    counts: dict[PiiType, int] = {}
    for index, span in enumerate(spans):
        if span.type is PiiType.PERSOON:
            continue
        key = (span.type, re.sub(r"[\s\-.()]", "", span.text.lower()))
        if key not in seen:
            counts[span.type] = counts.get(span.type, 0) + 1
            seen[key] = counts[span.type]
        numbers[index] = seen[key]
    return numbers


def person_numbers(spans: list[Span]) -> dict[int, int]:
    """Number the persons of one story: span index -> 1, 2, ...

    'Fatima El Amrani', later 'Fatima' and 'mevrouw El Amrani' all get the same number: a
    mention whose name parts are a subset of an earlier person's parts (or the reverse) is
    that person; with several candidates the most recently mentioned wins.
    """
    people: list[set[str]] = []
    last_seen: list[int] = []
    numbers: dict[int, int] = {}
    for index, span in enumerate(spans):
        if span.type is not PiiType.PERSOON:
            continue
        parts = name_parts(span.text)
        match = _matching_person(people, last_seen, parts)
        if match is None:
            people.append(set(parts))
            last_seen.append(index)
            match = len(people) - 1
        else:
            people[match] |= parts
            last_seen[match] = index
        numbers[index] = match + 1
    return numbers


def name_parts(name: str) -> set[str]:
    """Lower-case, accent-free name words without particles: 'Jan van der Berg' -> {jan, berg}."""
    words = re.split(r"[\s\-]+", fold_accents(name.lower()))
    parts = {w.strip(".'’") for w in words if w and w not in PARTICLES}
    return {p for p in parts if p} or {name.lower()}


def _matching_person(people: list[set[str]], last_seen: list[int], parts: set[str]) -> int | None:
    candidates = [i for i, known in enumerate(people) if parts <= known or known <= parts]
    if not candidates:
        return None
    return max(candidates, key=lambda i: last_seen[i])


def replace_spans(text: str, spans: list[Span], style: Style | StyleFunction) -> str:
    """``text`` with every span replaced according to ``style`` (spans sorted, no overlaps)."""
    render = resolve_style(style)
    numbers = span_numbers(spans)
    pieces: list[str] = []
    position = 0
    for index, span in enumerate(spans):
        pieces.append(text[position : span.start])
        pieces.append(render(span, numbers.get(index)))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)
