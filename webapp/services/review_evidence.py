"""Why the models read a story as they did: computed in the job workers, where the models are
loaded, and stored on the model's rows for the review screen. `weefsel reclassify` computes it
with the themes; for new stories a job of its own adds it a little after their themes, when the
form is quiet (services/themes.py add_missing_evidence), so that residents' stories come first.

The review screen marks the evidence in the de-identified text staff see
(`story_text.deidentified_text`), so the offsets belong to that text. Each stored evidence
carries a stamp of the text it was computed on; when the story's de-identified text is no
longer that text (the de-identification lists changed), the evidence is not shown: the screen
says it is not computed yet, as for stories classified before evidence was kept, until the next
classification of the story (`weefsel reclassify`) computes it again. A web worker never loads
a model (or scikit-learn) to show a review screen.

Stored form: {"text": stamp, "items": [[kind, start, end, weight, detail], ...]}, the items of
`ThemeClassifier.explain` / `OutcomeModel.explain` without their text, which is the de-identified
text's slice start:end.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from babel.numbers import format_decimal

from .story_text import deidentified_text

FIELDS = ("kind", "start", "end", "weight", "detail")


PERCENT_DECIMALS = 3  # at most: beyond that no staff member can act on the difference


def score_against_threshold(
    score: float, threshold: float | None, locale: str
) -> tuple[str, str | None]:
    """A model row's chance and threshold as percentages (without the sign) for `locale`, with
    the fewest decimals that keep their order visible: 0.3955 against 0.40 gives ('39,6', '40,0')
    in Dutch, not '40' and '40', so "below the threshold" reads true. The one formatting rule
    for chance and threshold on the review screen."""
    score_pct = score * 100
    if threshold is None:
        return _percent(score_pct, 0, locale), None
    threshold_pct = threshold * 100
    decimals = 0
    while decimals < PERCENT_DECIMALS and (
        round(score_pct, decimals) == round(threshold_pct, decimals)
    ) != (score == threshold):
        decimals += 1
    return _percent(score_pct, decimals, locale), _percent(threshold_pct, decimals, locale)


def _percent(value: float, decimals: int, locale: str) -> str:
    pattern = "0." + "0" * decimals if decimals else "0"
    return format_decimal(round(value, decimals), format=pattern, locale=locale)


def text_stamp(text: str) -> str:
    """A short fingerprint of the text the evidence was computed on."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def pack_evidence(items: Sequence[dict], shown_text: str) -> dict:
    """Evidence items (dicts with FIELDS and "text") in the stored form."""
    return {
        "text": text_stamp(shown_text),
        "items": [[item[name] for name in FIELDS] for item in items],
    }


def unpack_evidence(stored: dict | None, shown_text: str) -> list[dict] | None:
    """The evidence items again, each with its text; None when there is none for this text
    (not computed yet, or computed on a de-identified text that has changed since)."""
    if not stored or stored.get("text") != text_stamp(shown_text):
        return None
    items = []
    for values in stored.get("items", ()):
        item = dict(zip(FIELDS, values, strict=True))
        item["text"] = shown_text[item["start"] : item["end"]]
        items.append(item)
    return items


@dataclass
class StoryEvidence:
    """The stored evidence of one story: per theme, and for the model's outcome."""

    themes: dict[str, dict] = field(default_factory=dict)
    outcome: dict | None = None


def read_evidence(
    texts: Sequence[str],
    scored_themes: Sequence[Iterable[str]],
    classifier,
    outcome_model=None,
    outcome_labels: Sequence[str | None] | None = None,
) -> list[StoryEvidence]:
    """Evidence for each story's scored themes and for the outcome the model read, marked in its
    de-identified text.

    `scored_themes`: per text, the themes the theme model scored (its model rows); an empty one
    where it read nothing. `outcome_labels`: per text, the outcome the model read (None where
    none). Every scored theme and every read outcome gets stored evidence, empty where nothing
    in the text points to it, so that "not computed yet" means exactly that."""
    shown = [deidentified_text(text) for text in texts]
    scored_themes = [list(themes) for themes in scored_themes]
    explained = [i for i, themes in enumerate(scored_themes) if themes and shown[i]]
    found_per_text: dict[int, dict] = dict(
        zip(explained, classifier.explain_many([shown[i] for i in explained]), strict=True)
    )
    evidence = [StoryEvidence() for _ in texts]
    for index, themes in enumerate(scored_themes):
        found = found_per_text.get(index, {})
        evidence[index].themes = {
            theme: pack_evidence(found.get(theme, ()), shown[index]) for theme in themes
        }
    for index, label in enumerate(outcome_labels or ()):
        if label is None:
            continue
        # The outcome the screen states is the one explained.
        items = outcome_model.explain(shown[index], label) if shown[index] and outcome_model else ()
        evidence[index].outcome = pack_evidence(items, shown[index])
    return evidence


def theme_explanations(
    model_rows: dict, theme_keys: Sequence[str], shown_text: str
) -> dict[str, dict]:
    """What the review screen shows per theme from the model rows' stored evidence: the text
    with its marked words, the strongest sentences, the denying clauses; "computed" False
    where the story has a model row for the theme but no evidence for this text."""
    explanations = {}
    for key in theme_keys:
        row = model_rows.get(key)
        evidence = unpack_evidence(row.evidence, shown_text) if row is not None else None
        items = evidence or []
        explanations[key] = {
            "computed": row is None or evidence is not None,
            "segments": highlight_segments(shown_text, items),
            "sentences": evidence_sentences(items),
            "denials": evidence_denials(items),
            "has_evidence": has_marked_evidence(items),
        }
    return explanations


@dataclass(frozen=True)
class TextSegment:
    text: str
    marked: bool
    weight: float = 0.0


# Evidence kinds that are not marked in the text: whole sentences, and clauses that deny the
# theme (they are listed apart: they were left out when the theme was scored).
NOT_MARKED = ("sentence", "denial")


def highlight_segments(text: str, evidence: list[dict]) -> list[TextSegment]:
    """Split text into plain and highlighted parts from evidence offsets (overlaps merged)."""
    spans = sorted(
        (max(0, e["start"]), min(len(text), e["end"]), float(e.get("weight", 0.0)))
        for e in evidence
        if e.get("kind") not in NOT_MARKED and e["end"] > e["start"]
    )
    merged: list[list] = []
    for start, end, weight in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = max(merged[-1][2], weight)
        else:
            merged.append([start, end, weight])
    segments, position = [], 0
    for start, end, weight in merged:
        if start > position:
            segments.append(TextSegment(text[position:start], False))
        segments.append(TextSegment(text[start:end], True, weight))
        position = end
    if position < len(text):
        segments.append(TextSegment(text[position:], False))
    return segments


def has_marked_evidence(evidence: list[dict]) -> bool:
    """Whether any evidence is marked in the text by `highlight_segments`."""
    return any(e.get("kind") not in NOT_MARKED for e in evidence)


def evidence_denials(evidence: list[dict]) -> list[str]:
    """The clauses in which the writer denies the theme, in text order (nlp/denials.py)."""
    return [
        e["text"] for e in sorted(evidence, key=lambda e: e["start"]) if e.get("kind") == "denial"
    ]


def evidence_sentences(evidence: list[dict], limit: int = 2) -> list[str]:
    sentences = sorted(
        (e for e in evidence if e.get("kind") == "sentence"), key=lambda e: -e.get("weight", 0)
    )
    return [e["text"] for e in sentences[:limit]]
