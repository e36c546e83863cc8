"""Classifying stories with a trained theme model: `ThemeClassifier` and JSONL streaming."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import scipy.sparse

    from nlp.denials import Denial, DenialRules

import numpy as np

from nlp.jsonl import BadLines, StoryLine, read_story_lines
from nlp.language import (
    SUPPORTED_LANGUAGES,
    UNDETERMINED,
    ReadablePart,
    readable_parts,
    word_weights_with,
)
from nlp.model_files import load_model_bundle

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).parent / "models"
CURRENT_POINTER_NAME = "CURRENT"
MODEL_FILE_NAME = "model.joblib"
BUNDLE_FORMAT = "weefsel-theme-model/1"
SCORE_DECIMALS = 4
CLASSIFIABLE_LANGUAGES = (*SUPPORTED_LANGUAGES, UNDETERMINED)


class ModelNotFoundError(FileNotFoundError):
    """No trained theme model where one was expected (run `weefsel train`)."""


@dataclass
class ThemeResult:
    """The themes of one story: labels, a calibrated probability per theme, and its language.

    Only the story's Dutch and English sentences are read (`text_read`, see
    `nlp.language.readable_part`); `language` is the language of what was read, `left_out` the
    other languages of the sentences that were not. A story with nothing readable (all in
    another language) gets no labels and no scores: it is marked, not misread. A story with
    something left out still needs a human reader for that part.
    """

    labels: list[str]
    scores: dict[str, float]
    language: str
    model_version: str = ""
    left_out: list[str] = field(default_factory=list)
    text_read: str = field(default="", repr=False)
    # Every language found in the whole story, read or not (from the same detection).
    languages: list[str] = field(default_factory=list, repr=False)

    @property
    def readable(self) -> bool:
        """Whether the models read (part of) the story."""
        return self.language in CLASSIFIABLE_LANGUAGES

    def to_dict(self) -> dict:
        result = asdict(self)
        del result["text_read"], result["languages"]  # the output lines keep their fields
        return result


def current_model_dir(models_dir: Path | str | None = None) -> Path:
    """The model directory named in models_dir/CURRENT."""
    models_dir = Path(models_dir) if models_dir is not None else MODELS_DIR
    pointer = models_dir / CURRENT_POINTER_NAME
    if not pointer.exists():
        raise ModelNotFoundError(f"no {pointer}; train a model first (weefsel train)")
    return models_dir / pointer.read_text(encoding="utf8").strip()


class ThemeClassifier:
    """A loaded theme model: predict themes of texts and explain them."""

    def __init__(
        self, bundle: dict, path: Path | None = None, denial_rules: DenialRules | None = None
    ):
        """`denial_rules`: the flat denials left out when a theme is scored (nlp/denials.py);
        default those of nlp/data/lexicons, `DenialRules({}, {})` for none."""
        if bundle.get("format") != BUNDLE_FORMAT:
            raise ValueError(f"unsupported model format {bundle.get('format')!r}")
        self.bundle = bundle
        self.path = path
        self.version: str = bundle["version"]
        self.theme_keys: list[str] = list(bundle["theme_keys"])
        self.pipeline = bundle["pipeline"]
        self.thresholds = dict(
            zip(self.theme_keys, self.estimator.thresholds_.tolist(), strict=True)
        )
        self._language_weights = word_weights_with({"nl": bundle.get("dutch_words", ())})
        if denial_rules is None:
            from nlp.denials import load_denial_rules  # with scikit-learn: only where models run

            denial_rules = load_denial_rules()
        self.denial_rules = denial_rules

    @classmethod
    def load(cls, path: Path | str | None = None) -> ThemeClassifier:
        """Load a model: a model directory, its model.joblib, or a models directory with a
        CURRENT pointer (as `train_theme_model(models_dir=...)` writes); default: the CURRENT
        model in nlp/models."""
        path = Path(path) if path is not None else current_model_dir()
        if path.is_dir() and not (path / MODEL_FILE_NAME).exists():
            if (path / CURRENT_POINTER_NAME).exists():
                path = current_model_dir(path)
        model_file = path / MODEL_FILE_NAME if path.is_dir() else path
        if not model_file.exists():
            raise ModelNotFoundError(f"no theme model at {model_file}")
        bundle = load_model_bundle(model_file, "theme model")
        return cls(bundle, model_file.parent)

    @property
    def analyzer(self):
        return self.pipeline.named_steps["analyse"].analyzer

    @property
    def features(self):
        return self.pipeline.named_steps["features"]

    @property
    def estimator(self):
        return self.pipeline.named_steps["classify"]

    @property
    def cue_lexicon(self):
        return self.features.named_transformers["cues"].lexicon

    def probabilities(self, texts: Sequence[str]) -> tuple[np.ndarray, list]:
        """(calibrated probabilities (n_texts, n_themes), analysed texts); a theme a text
        denies is also scored without the denying clauses, and the lower score counts (see
        `denials_in`)."""
        analysed = list(self.analyzer.analyse_many(list(texts)))
        if not analysed:
            return np.zeros((0, len(self.theme_keys))), analysed
        rows = self.estimator.predict_proba(self.feature_matrix(analysed))
        self._score_without_denials(rows, analysed)
        return rows, analysed

    def denials_in(self, analysed) -> list[Denial]:
        """The clauses of an analysed text that deny one of this model's themes."""
        return [
            denial
            for denial in self.denial_rules.find(analysed, self.cue_lexicon)
            if denial.theme in self.theme_keys
        ]

    def _score_without_denials(self, rows: np.ndarray, analysed: list) -> None:
        """Replace, in place, the score of each denied theme by its score on the text with
        the denying clauses left out ("" when nothing else is left), when that is lower."""
        from nlp.denials import denials_by_theme, texts_without

        redo: list[tuple[int, int, str]] = []  # (text index, theme column, text without)
        for index, analysis in enumerate(analysed):
            for theme, denials in denials_by_theme(self.denials_in(analysis)).items():
                column = self.theme_keys.index(theme)
                redo.append((index, column, texts_without(analysis, denials)))
        if not redo:
            return
        again = list(self.analyzer.analyse_many([text for _, _, text in redo]))
        scores = self.estimator.predict_proba(self.feature_matrix(again))
        for (index, column, _), row in zip(redo, scores, strict=True):
            # a denial is evidence against the theme: leaving it out never raises the score
            rows[index, column] = min(rows[index, column], row[column])

    def feature_matrix(self, analysed: list) -> scipy.sparse.csr_matrix:
        """What the pipeline's FeatureUnion computes, without its per-call machinery (joblib,
        output wrapping), which dominates the time for a single short story."""
        import scipy.sparse as sp  # here: report pages import this module, not SciPy

        union = self.features
        weights = union.transformer_weights or {}
        blocks = []
        for name, transformer in union.transformer_list:
            block = transformer.transform(analysed)
            weight = weights.get(name)
            blocks.append(block * weight if weight not in (None, 1, 1.0) else block)
        return sp.hstack(blocks, format="csr")

    def readable_parts(self, texts: Sequence[str]) -> list[ReadablePart]:
        """What the models read of each text: its Dutch and English sentences and their
        language (see `nlp.language.readable_part`), with this model's Dutch vocabulary as
        evidence. Languages are detected here once per story (all stories' sentences in one
        run of the language model); everything else uses the result."""
        return readable_parts(texts, self._language_weights)

    def predict(self, texts: Sequence[str]) -> list[ThemeResult]:
        """Themes, scores and language for each text, in order, read from its Dutch and English
        part (`ThemeResult.text_read`, also what the outcome model reads)."""
        parts = self.readable_parts(texts)
        readable = [i for i, part in enumerate(parts) if part.language in CLASSIFIABLE_LANGUAGES]
        probabilities, _ = self.probabilities([parts[i].text for i in readable])
        rows = dict(zip(readable, probabilities, strict=True))
        thresholds = np.array([self.thresholds[key] for key in self.theme_keys])
        results = []
        for index, part in enumerate(parts):
            if index not in rows:  # nothing readable: marked with its language, not misread
                left_out = list(dict.fromkeys([part.language, *part.left_out]))
                results.append(
                    ThemeResult(
                        [], {}, part.language, self.version, left_out, "", list(part.languages)
                    )
                )
                continue
            row = rows[index]
            labels = [
                key for key, p, t in zip(self.theme_keys, row, thresholds, strict=True) if p >= t
            ]
            scores = {
                key: round(float(p), SCORE_DECIMALS)
                for key, p in zip(self.theme_keys, row, strict=True)
            }
            results.append(
                ThemeResult(
                    labels,
                    scores,
                    part.language,
                    self.version,
                    list(part.left_out),
                    part.text,
                    list(part.languages),
                )
            )
        return results

    def predict_labels(self, texts: Sequence[str]) -> list[list[str]]:
        """Only the labels of each text (what `evaluate` compares with the truth)."""
        return [result.labels for result in self.predict(texts)]

    def explain(self, text: str, theme: str) -> list[dict]:
        """Evidence for `theme` in `text`: cue phrases, weighted n-grams and sentences, each
        with character offsets into `text` (see nlp/explain.py)."""
        from nlp.explain import explain_theme

        return [evidence.to_dict() for evidence in explain_theme(self, text, theme)]

    def explain_all(self, text: str) -> dict[str, list[dict]]:
        """`explain` for every theme of the model, sharing the work between them."""
        return self.explain_many([text])[0]

    def explain_many(self, texts: Sequence[str]) -> list[dict[str, list[dict]]]:
        """`explain_all` for each text, their sentences scored in one batch (what the
        classification job stores for the review screen)."""
        from nlp.explain import explain_texts

        return [
            {theme: [evidence.to_dict() for evidence in items] for theme, items in found.items()}
            for found in explain_texts(self, texts)
        ]


def classify_jsonl(
    lines: IO[str] | Iterable[str],
    output: IO[str],
    classifier: ThemeClassifier,
    batch_size: int = 512,
    show_progress: bool | None = None,
    outcome_model=None,
    bad: BadLines | None = None,
) -> int:
    """Classify JSONL {"id", "text"} lines into {"id", "labels", "scores", "language"} lines,
    plus {"outcome", "outcome_scores"} when an outcome model (nlp.outcome.OutcomeModel) is given
    and "languages_left_out" when part of a story is in a language the models do not read.

    Streams in batches (memory stays flat), keeps the input order and shows a tqdm bar only
    when stderr is a terminal. Bad lines go to ``bad`` (see ``nlp.jsonl.BadLines``); without
    one, the first bad line raises JsonlLineError naming its line, after the results of the
    lines before it are written. Returns the number of lines written.
    """
    strict = bad is None
    bad = bad or BadLines()
    written = classify_stories(
        read_story_lines(lines, bad), output, classifier, batch_size, show_progress, outcome_model
    )
    if strict and bad.errors:
        raise bad.errors[0]
    return written


def classify_stories(
    stories: Iterable[StoryLine],
    output: IO[str],
    classifier: ThemeClassifier,
    batch_size: int = 512,
    show_progress: bool | None = None,
    outcome_model=None,
) -> int:
    """Write one {"id", "labels", "scores", "language"} line per story, in batches, plus
    {"outcome", "outcome_scores"} when an outcome model is given and "languages_left_out" when
    part of the story was not read (see `classify_jsonl`)."""
    from tqdm import tqdm

    if show_progress is None:
        show_progress = sys.stderr.isatty()
    written = 0
    batch: list[StoryLine] = []

    def flush() -> None:
        nonlocal written
        texts = [story.text for story in batch]
        results = classifier.predict(texts)
        outcomes = _outcomes_of(classifier, outcome_model, results)
        for story, result, outcome in zip(batch, results, outcomes, strict=True):
            record = {
                "id": story.id,
                "labels": result.labels,
                "scores": result.scores,
                "language": result.language,
            }
            if outcome is not None:
                record["outcome"], record["outcome_scores"] = outcome
            if result.left_out:
                record["languages_left_out"] = result.left_out
            output.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += len(batch)
        batch.clear()

    with tqdm(disable=not show_progress, unit=" stories", file=sys.stderr) as progress:
        for story in stories:
            batch.append(story)
            if len(batch) >= batch_size:
                flush()
                progress.update(batch_size)
        remaining = len(batch)
        flush()
        progress.update(remaining)
    return written


def _outcomes_of(classifier, outcome_model, results: list[ThemeResult]) -> list:
    """(outcome, scores) per story, or None per story without an outcome model.

    A story with nothing the models read gets "geen" with equal scores: nothing was read, and
    its language code marks it for a human reader.
    """
    if outcome_model is None:
        return [None] * len(results)
    from nlp.outcome import OUTCOMES, read_outcomes

    unread = ("geen", {outcome: round(1 / len(OUTCOMES), SCORE_DECIMALS) for outcome in OUTCOMES})
    return [
        unread if outcome is None else (outcome.outcome, outcome.scores)
        for outcome in read_outcomes(outcome_model, classifier, results)
    ]
