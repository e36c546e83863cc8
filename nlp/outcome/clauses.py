"""Clause, time and modality features of a story, on top of its change cues (nlp/outcome/cues.py).

Three things the cue counts alone miss, each chosen by leave-one-writer-out validation
(bench/bench_outcome_writers.py):

- clauses: a sentence is cut before a contrast word ("..., maar het geld is op"; the same
  words as nlp/outcome/per_theme.py); per clause
  the better cues minus the worse cues give its direction. A mixed story has a clearly better
  and a clearly worse clause, often on either side of a contrast; the max-better and max-worse
  clause scores show both directions even when one side has more cues.
- hypothetical sentences: a change cue in a sentence with a wish, plan, condition or future
  ("ik hoop dat het beter wordt", "volgende maand gaan we ...", "als de bus weer rijdt") is
  no change that happened; such cues are counted apart from real ones.
- time contrast: a past clause ("vroeger", "vorig jaar", past tense) followed later by a present
  one ("nu", "inmiddels", "sinds", "tegenwoordig") tells a change; "nog steeds" and "al jaren"
  with no such contrast tell none.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.cue_lexicon import CueLexicon
from nlp.outcome.cues import ChangeCueFeatures
from nlp.outcome.labels import BETTER, WORSE
from nlp.outcome.per_theme import CLAUSE_BREAKS
from nlp.text_analysis import AnalysedText

FUTURE_WORDS = frozenset(
    "zal zullen zult straks binnenkort volgende volgend will 'll gonna hoop hoopt hopen hope "
    "zou zouden would wens wish wil willen want misschien maybe perhaps plan plannen "
    "van plan".split()
)
CONDITION_WORDS = frozenset({"als", "indien", "mocht", "if", "unless", "tenzij"})
PRESENT_WORDS = frozenset(
    "nu inmiddels tegenwoordig sinds sindsdien intussen ondertussen now nowadays since "
    "lately".split()
)
PAST_WORDS = frozenset(
    "vroeger toen eerst destijds geleden vorig vorige eerder ooit used ago before "
    "was waren had hadden were".split()
)
PERSIST_WORDS = frozenset({"nog", "steeds", "altijd", "still", "always"})
STRONG_PAST_ENDINGS = ("de", "te", "den", "ten")


def _is_past_verb(word: str, lemma: str) -> bool:
    """A rough past-tense test: Dutch weak verbs (voelde, werkte) and English -ed forms,
    only for words whose lemma differs (so "hebbende" or "rente" do not count)."""
    if word == lemma or len(word) < 5:
        return word in PAST_WORDS
    if lemma.endswith("en") and word.endswith(STRONG_PAST_ENDINGS):
        return True
    return word.endswith("ed") and not lemma.endswith("ed")


def _clause_ids(analysed: AnalysedText) -> list[int]:
    """The clause number of each token: a new clause at each sentence and before a break word."""
    ids, clause = [], -1
    starts = set(analysed.sentence_starts)
    for index, word in enumerate(analysed.lower):
        if index in starts or (word in CLAUSE_BREAKS and index not in starts):
            clause += 1
        ids.append(max(clause, 0))
    return ids


FEATURE_NAMES = (
    "clause_max_better",
    "clause_max_worse",
    "clauses_better",
    "clauses_worse",
    "clauses_both",
    "opposite_across_break",
    "last_clause_better",
    "last_clause_worse",
    "real_better",
    "real_worse",
    "hypothetical_better",
    "hypothetical_worse",
    "only_hypothetical_change",
    "hypothetical_sentence_share",
    "past_share",
    "past_then_present",
    "persist_without_contrast",
    "then_bad_now_good",
    "then_good_now_bad",
)


class ClauseFeatures(ChangeCueFeatures):
    """Dense clause, modality and time features per analysed text (see module docstring)."""

    def __init__(self, lexicon: CueLexicon):
        self.lexicon = lexicon

    def feature_names(self) -> list[str]:
        return list(FEATURE_NAMES)

    def features_of(self, analysed: AnalysedText) -> list[float]:
        cues, by_category = self.cues_of(analysed)
        clause_of = _clause_ids(analysed)
        token_at = {start: index for index, start in enumerate(analysed.starts)}
        spans = analysed.sentence_spans()
        hypothetical = {
            number
            for number, (first, last) in enumerate(spans)
            if _is_hypothetical(analysed.lower[first:last])
        }
        score: dict[int, int] = {}
        real = {BETTER: 0, WORSE: 0}
        imagined = {BETTER: 0, WORSE: 0}
        for cue in cues:
            if not cue.direction:
                continue
            clause = clause_of[token_at[cue.start]]
            score[clause] = score.get(clause, 0) + (1 if cue.direction == BETTER else -1)
            (imagined if cue.sentence in hypothetical else real)[cue.direction] += 1
        better = sorted(c for c, s in score.items() if s > 0)
        worse = sorted(c for c, s in score.items() if s < 0)
        last = max(score, key=lambda c: c) if score else None
        changed_real = real[BETTER] + real[WORSE] > 0
        switch = _present_after_past(analysed)
        past_then_present = switch is not None
        then_now = _states_then_and_now(by_category, switch)
        persist = any(word in PERSIST_WORDS for word in analysed.lower)
        return [
            np.log1p(max([s for s in score.values() if s > 0], default=0)),
            np.log1p(max([-s for s in score.values() if s < 0], default=0)),
            np.log1p(len(better)),
            np.log1p(len(worse)),
            float(bool(better and worse)),
            float(_opposite_across_break(analysed, clause_of, better, worse)),
            float(last is not None and score[last] > 0),
            float(last is not None and score[last] < 0),
            np.log1p(real[BETTER]),
            np.log1p(real[WORSE]),
            np.log1p(imagined[BETTER]),
            np.log1p(imagined[WORSE]),
            float(not changed_real and imagined[BETTER] + imagined[WORSE] > 0),
            len(hypothetical) / max(1, len(spans)),
            _past_share(analysed),
            float(past_then_present),
            float(persist and not past_then_present and not changed_real),
            float(then_now[("bad_state", False)] and then_now[("good_state", True)]),
            float(then_now[("good_state", False)] and then_now[("bad_state", True)]),
        ]


def _is_hypothetical(words: Sequence[str]) -> bool:
    return any(word in FUTURE_WORDS or word in CONDITION_WORDS for word in words)


def _opposite_across_break(
    analysed: AnalysedText, clause_of: list[int], better: list[int], worse: list[int]
) -> bool:
    """Whether a better and a worse clause lie next to each other with a break word between."""
    break_clauses = {clause_of[i] for i, word in enumerate(analysed.lower) if word in CLAUSE_BREAKS}
    return any(
        (b + 1 == w and w in break_clauses) or (w + 1 == b and b in break_clauses)
        for b in better
        for w in worse
    )


def _past_share(analysed: AnalysedText) -> float:
    pasts = sum(
        _is_past_verb(word, lemma)
        for word, lemma in zip(analysed.lower, analysed.lemmas, strict=True)
    )
    return pasts / max(1, len(analysed.lower)) * 5


def _present_after_past(analysed: AnalysedText) -> int | None:
    """The token where a story turns from the past to the present ("Vroeger zat ik thuis, nu
    ..."): the first present marker after a past-tense word or past marker, or None."""
    seen_past = False
    for index, (word, lemma) in enumerate(zip(analysed.lower, analysed.lemmas, strict=True)):
        if seen_past and word in PRESENT_WORDS:
            return index
        seen_past = seen_past or _is_past_verb(word, lemma)
    return None


def _states_then_and_now(by_category: dict, switch: int | None) -> dict:
    """Whether good and bad states occur before (False) and after (True) the turn to now."""
    found = dict.fromkeys(
        [(c, now) for c in ("good_state", "bad_state") for now in (False, True)], False
    )
    if switch is None:
        return found
    for category in ("good_state", "bad_state"):
        for match in by_category[category]:
            found[(category, match.start >= switch)] = True
    return found
