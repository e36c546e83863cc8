"""Scores de-identification output against an annotated set (recall, precision, leak).

Definitions (spans are character offsets, end exclusive):

* **Recall of type T**: a gold span of type T is *found* when one predicted span of ANY type
  covers at least 50% of the gold span's characters. Recall = found / gold spans of type T.
  Overall recall pools all gold spans. The type does not matter here: a name hidden as
  [ADRES] is still hidden.
* **Precision of type T**: a predicted span of type T is *correct* when a gold span of the SAME
  type overlaps it by at least 50% of the predicted span's length or of the gold span's length.
  Precision = correct / predicted spans of type T; overall precision pools all predictions.
  Predicted types outside our scheme (a baseline's 'leeftijd') are correct when they overlap a
  gold span of any type by that rule.
* **Leak**: gold personal-data characters (whitespace excluded) that no predicted span
  covers, divided by all gold personal-data characters. Lower is better.

Usage: ``python -m nlp.deid_score GOLD.jsonl PREDICTED.jsonl`` (both with "id" and "spans").
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nlp.deid.types import PiiType

OVERLAP = 0.5
SCHEME = frozenset(t.value for t in PiiType)
SpanDict = Mapping[str, object]


@dataclass
class DeidScores:
    """Counts behind the figures; ``to_dict`` gives the figures."""

    gold: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    pii_chars: int = 0
    leaked_chars: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, pii_type: str | None = None) -> float:
        """Share of gold spans found (of one type, or all)."""
        gold = self.gold[pii_type] if pii_type else sum(self.gold.values())
        found = self.found[pii_type] if pii_type else sum(self.found.values())
        return found / gold if gold else 1.0

    def precision(self, pii_type: str | None = None) -> float:
        """Share of predicted spans that are correct (of one type, or all)."""
        predicted = self.predicted[pii_type] if pii_type else sum(self.predicted.values())
        correct = self.correct[pii_type] if pii_type else sum(self.correct.values())
        return correct / predicted if predicted else 1.0

    @property
    def leak(self) -> float:
        """Share of personal-data characters left visible."""
        return self.leaked_chars / self.pii_chars if self.pii_chars else 0.0

    def to_dict(self) -> dict[str, object]:
        """Figures as plain JSON-ready data."""
        types = sorted(set(self.gold) | set(self.predicted))
        return {
            "recall": round(self.recall(), 4),
            "precision": round(self.precision(), 4),
            "leak": round(self.leak, 4),
            "gold_spans": sum(self.gold.values()),
            "predicted_spans": sum(self.predicted.values()),
            "per_type": {
                t: {
                    "gold": self.gold[t],
                    "recall": round(self.recall(t), 4) if self.gold[t] else None,
                    "predicted": self.predicted[t],
                    "precision": round(self.precision(t), 4) if self.predicted[t] else None,
                }
                for t in types
            },
        }


def score(
    gold: Iterable[Mapping[str, object]], predicted: Mapping[str, list[SpanDict]]
) -> DeidScores:
    """Compare gold records ({"id","text","spans"}) with predicted spans per id."""
    scores = DeidScores()
    for record in gold:
        text = str(record["text"])
        gold_spans = list(record["spans"])  # type: ignore[call-overload]
        pred_spans = list(predicted.get(str(record["id"]), []))
        score_text(scores, str(record["id"]), text, gold_spans, pred_spans)
    return scores


def score_text(
    scores: DeidScores, text_id: str, text: str, gold: list[SpanDict], pred: list[SpanDict]
) -> None:
    """Add one text's counts to ``scores``."""
    for g in gold:
        g_type, g_start, g_end = str(g["type"]), int(g["start"]), int(g["end"])  # type: ignore[call-overload]
        scores.gold[g_type] += 1
        if any(_overlap(g_start, g_end, p) >= OVERLAP * (g_end - g_start) for p in pred):
            scores.found[g_type] += 1
        else:
            scores.misses.append((text_id, g_type, text[g_start:g_end]))
    for p in pred:
        p_type, p_start, p_end = str(p["type"]), int(p["start"]), int(p["end"])  # type: ignore[call-overload]
        scores.predicted[p_type] += 1
        same_type = [g for g in gold if str(g["type"]) == p_type or p_type not in SCHEME]
        if any(_matches(p_start, p_end, g) for g in same_type):
            scores.correct[p_type] += 1
        else:
            scores.false_positives.append((text_id, p_type, text[p_start:p_end]))
    covered = [False] * len(text)
    for p in pred:
        for k in range(max(0, int(p["start"])), min(len(text), int(p["end"]))):  # type: ignore[call-overload]
            covered[k] = True
    for g in gold:
        for k in range(int(g["start"]), int(g["end"])):  # type: ignore[call-overload]
            if not text[k].isspace():
                scores.pii_chars += 1
                scores.leaked_chars += not covered[k]


def _overlap(start: int, end: int, span: SpanDict) -> int:
    return max(0, min(end, int(span["end"])) - max(start, int(span["start"])))  # type: ignore[call-overload]


def _matches(start: int, end: int, gold: SpanDict) -> bool:
    shared = _overlap(start, end, gold)
    gold_len = int(gold["end"]) - int(gold["start"])  # type: ignore[call-overload]
    return shared > 0 and (shared >= OVERLAP * (end - start) or shared >= OVERLAP * gold_len)


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """All records of a JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Print the scores of a predicted JSONL file against a gold JSONL file."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m nlp.deid_score GOLD.jsonl PREDICTED.jsonl", file=sys.stderr)
        return 2
    gold = read_jsonl(Path(args[0]))
    predicted = {str(r["id"]): list(r["spans"]) for r in read_jsonl(Path(args[1]))}  # type: ignore[call-overload]
    print(json.dumps(score(gold, predicted).to_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
