"""Change cues in a story: which words say that something got better or worse, and features.

The cue lexicon (nlp/data/outcome/cues.yaml) is matched with the theme model's matcher
(`nlp.cue_lexicon.CueLexicon`: lemmas, phrases with gaps, one typing error in long words).
Single cues are then read in context within their sentence, because most change words point
either way depending on what they go with:

    "niet meer" + a bad state       -> better  ("ik ben niet meer alleen", "geen schulden meer")
    "niet meer" + anything else     -> worse   ("ik kan niet meer fietsen")
    "niemand/nooit/niks meer"       -> worse   ("niemand belt meer")
    "weer" + an ability/good state  -> better  ("ik durf weer", "ik lach weer")
    "weer" + a bad state            -> worse   ("ik zit weer alleen")
    "minder" + bad / "meer" + good  -> better; "meer" + bad / "minder" + good -> worse
    a negated change word           -> the direction flips or vanishes ("niet beter")

Each reading is a `ChangeCue` (shown as evidence) and counted as a feature. Wishes, plans,
questions and "nog steeds" are counted too: they mark stories in which nothing changed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from nlp.cue_lexicon import CueLexicon, CueMatch, load_theme_lexicon
from nlp.outcome.labels import BETTER, WORSE
from nlp.text_analysis import AnalysedText

CUES_PATH = Path(__file__).resolve().parent.parent / "data" / "outcome" / "cues.yaml"
WINDOW = 4  # tokens on either side in which a modifier finds its state word
CATEGORIES = (
    "improve",
    "worsen",
    "good_state",
    "bad_state",
    "ability",
    "change",
    "before",
    "again",
    "no_longer",
    "nobody_anymore",
    "more",
    "less",
    "contrast",
    "persist",
    "wish",
    "negation",
)
READINGS = (
    "improve",
    "worsen",
    "improve_negated",
    "worsen_negated",
    "no_longer_bad",
    "no_longer_other",
    "nobody_anymore",
    "again_good",
    "again_bad",
    "less_bad",
    "more_good",
    "more_bad",
    "less_good",
)
DIRECTION = {
    "improve": BETTER,
    "no_longer_bad": BETTER,
    "again_good": BETTER,
    "less_bad": BETTER,
    "more_good": BETTER,
    "worsen": WORSE,
    "no_longer_other": WORSE,
    "nobody_anymore": WORSE,
    "again_bad": WORSE,
    "more_bad": WORSE,
    "less_good": WORSE,
    "worsen_negated": BETTER,
}


@dataclass
class ChangeCue:
    """One reading of a change cue in a text, with character offsets for highlighting."""

    reading: str  # one of READINGS
    direction: str  # "beter", "slechter" or "" (no direction)
    text: str
    start: int
    end: int
    sentence: int

    def to_dict(self) -> dict:
        return asdict(self)


def load_outcome_lexicon(
    path: Path | str | None = None, known_words: Iterable[str] = ()
) -> CueLexicon:
    """The outcome cue lexicon as a CueLexicon with one owner, "outcome"."""
    lexicon = load_theme_lexicon(Path(path) if path is not None else CUES_PATH)
    unknown = sorted(set(lexicon.categories) - set(CATEGORIES))
    if unknown:
        from nlp.themes import DataFileError

        raise DataFileError(path or CUES_PATH, 1, f"unknown cue categories {unknown}")
    return CueLexicon([lexicon], {}, known_words)


def _near(matches: list[CueMatch], match: CueMatch, before: int, after: int) -> bool:
    """Whether one of `matches` lies in the same sentence within the window around `match`."""
    return any(
        other.sentence == match.sentence
        and other.start < match.end + after
        and other.end > match.start - before
        and (other.start, other.end) != (match.start, match.end)
        for other in matches
    )


# How cues are read. 2: "meer"/"minder" inside "niet meer" or "niemand ... meer" is part of
# that cue, not a cue of its own ("ik ben niet meer alleen" read as "more_bad" too in 1).
# A model keeps the version it was trained with (`reading_version_` on its cue transformers);
# models saved before there was a version read as in 1.
READING_VERSION = 2


def reading_version_of(transformer) -> int:
    """The cue reading a fitted transformer (or estimator) was trained with."""
    return getattr(transformer, "reading_version_", 1)


def _inside(match: CueMatch, others: list[CueMatch]) -> bool:
    return any(
        other.sentence == match.sentence
        and other.start <= match.start
        and match.end <= other.end
        and (other.start, other.end) != (match.start, match.end)
        for other in others
    )


def change_cues(
    lexicon: CueLexicon, analysed: AnalysedText, version: int = READING_VERSION
) -> tuple[list[ChangeCue], dict]:
    """The directional readings of a text's cues, and its raw category matches (`version`:
    see READING_VERSION)."""
    by_category: dict[str, list[CueMatch]] = defaultdict(list)
    for match in dict.fromkeys(lexicon.find_cues(analysed)):
        by_category[match.category].append(match)
    bad, good = by_category["bad_state"], by_category["good_state"] + by_category["ability"]
    negations = by_category["negation"]
    readings: list[tuple[str, CueMatch]] = []
    for match in by_category["improve"]:
        negated = _near(negations, match, 2, 0)
        readings.append(("improve_negated" if negated else "improve", match))
    for match in by_category["worsen"]:
        negated = _near(negations, match, 2, 0)
        readings.append(("worsen_negated" if negated else "worsen", match))
    nobody = by_category["nobody_anymore"]
    for match in by_category["no_longer"]:
        if _near(nobody, match, 0, 0):
            continue
        kind = "no_longer_bad" if _near(bad, match, WINDOW, WINDOW) else "no_longer_other"
        readings.append((kind, match))
    readings += [("nobody_anymore", match) for match in nobody]
    for match in by_category["again"]:
        if _near(bad, match, WINDOW, WINDOW):
            readings.append(("again_bad", match))
        elif _near(good, match, WINDOW, WINDOW):
            readings.append(("again_good", match))
    for category, on_bad, on_good in (
        ("less", "less_bad", "less_good"),
        ("more", "more_bad", "more_good"),
    ):
        for match in by_category[category]:
            if version >= 2 and _inside(match, by_category["no_longer"] + nobody):
                continue  # the "meer" of "niet meer": read above
            if _near(bad, match, 1, WINDOW):
                readings.append((on_bad, match))
            elif _near(by_category["good_state"], match, 1, WINDOW):
                readings.append((on_good, match))
    cues = []
    for reading, match in readings:
        start, end = analysed.starts[match.start], analysed.ends[match.end - 1]
        cues.append(
            ChangeCue(
                reading,
                DIRECTION.get(reading, ""),
                analysed.text[start:end],
                start,
                end,
                match.sentence,
            )
        )
    cues.sort(key=lambda cue: (cue.start, cue.end))
    return cues, by_category


def _feature_names() -> list[str]:
    names = [f"cat:{category}" for category in CATEGORIES]
    names += [f"read:{reading}" for reading in READINGS]
    names += [
        "better_sentences",
        "worse_sentences",
        "both_directions",
        "both_with_contrast",
        "better_share",
        "worse_share",
        "no_direction",
        "before_and_now",
        "question_marks",
        "wish_without_change",
        "persist_without_change",
        "length",
    ]
    return names


class ChangeCueFeatures(ABC, TransformerMixin, BaseEstimator):
    """Dense features per analysed text read from its change cues (a subclass names them and
    computes `features_of`). Fitting records the cue reading, which the fitted transformer
    keeps using (READING_VERSION)."""

    lexicon: CueLexicon

    @abstractmethod
    def feature_names(self) -> list[str]:
        """The names of the features, in the order `features_of` returns them."""

    @abstractmethod
    def features_of(self, analysed: AnalysedText) -> list[float]:
        """The features of one analysed text."""

    def fit(self, analysed_texts: Sequence[AnalysedText], y=None) -> ChangeCueFeatures:
        self.feature_names_ = np.array(self.feature_names(), dtype=object)
        self.n_features_in_ = 1
        self.reading_version_ = READING_VERSION
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.feature_names_

    def transform(self, analysed_texts: Sequence[AnalysedText]) -> np.ndarray:
        rows = np.array([self.features_of(a) for a in analysed_texts], dtype=np.float64)
        return rows.reshape(len(analysed_texts), len(self.feature_names_))

    def cues_of(self, analysed: AnalysedText) -> tuple[list[ChangeCue], dict]:
        """`change_cues` as this transformer was trained to read them."""
        return change_cues(self.lexicon, analysed, reading_version_of(self))


class OutcomeCueFeatures(ChangeCueFeatures):
    """Dense cue features per analysed text (log counts and shares; see module docstring)."""

    def __init__(self, lexicon: CueLexicon, scale: float = 1.0):
        self.lexicon = lexicon
        self.scale = scale

    def feature_names(self) -> list[str]:
        return _feature_names()

    def transform(self, analysed_texts: Sequence[AnalysedText]) -> np.ndarray:
        return super().transform(analysed_texts) * self.scale

    def features_of(self, analysed: AnalysedText) -> list[float]:
        cues, by_category = self.cues_of(analysed)
        sentences = max(1, len(analysed.sentence_starts))
        better = {cue.sentence for cue in cues if cue.direction == BETTER}
        worse = {cue.sentence for cue in cues if cue.direction == WORSE}
        counts = defaultdict(int)
        for cue in cues:
            counts[cue.reading] += 1
        contrast_sentences = {m.sentence for m in by_category["contrast"]}
        both = bool(better and worse)
        changed = bool(better or worse)
        values = [np.log1p(len(by_category[c])) for c in CATEGORIES]
        values += [np.log1p(counts[r]) for r in READINGS]
        values += [
            np.log1p(len(better)),
            np.log1p(len(worse)),
            float(both),
            float(both and bool(contrast_sentences & (better | worse))),
            len(better) / sentences,
            len(worse) / sentences,
            float(not changed),
            float(bool(by_category["before"]) and bool(by_category["change"])),
            np.log1p(analysed.text.count("?")),
            float(bool(by_category["wish"]) and not changed),
            float(bool(by_category["persist"]) and not changed),
            np.log1p(len(analysed.lower)) / 5,
        ]
        return values
