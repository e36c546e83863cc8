"""A saved outcome model: the fitted estimator with its version, loaded as one object.

    nlp/models/outcome/<version>/model.joblib, model_card.json, model_card.md
    nlp/models/outcome/CURRENT   (the version in force)

`OutcomeModel.predict` gives, per story, the outcome, a calibrated probability per outcome and,
for each theme the story has, the outcome of the sentences about that theme (when the theme
model can point to them).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import joblib
import numpy as np

from nlp.model_files import load_model_bundle
from nlp.outcome.labels import BETTER, MIXED, OUTCOMES, WORSE

log = logging.getLogger(__name__)

OUTCOME_MODELS_DIR = Path(__file__).resolve().parent.parent / "models" / "outcome"
CURRENT_POINTER_NAME = "CURRENT"
MODEL_FILE_NAME = "model.joblib"
BUNDLE_FORMAT = "weefsel-outcome-model/1"
SCORE_DECIMALS = 4


class OutcomeModelNotFoundError(FileNotFoundError):
    """No trained outcome model where one was expected (run `weefsel outcome train`)."""


@dataclass
class OutcomeResult:
    """What changed for the people in one story, with a probability per outcome."""

    outcome: str
    scores: dict[str, float]
    model_version: str = ""
    theme_outcomes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def current_outcome_model_dir(models_dir: Path | str | None = None) -> Path:
    """The model directory named in models_dir/CURRENT."""
    models_dir = Path(models_dir) if models_dir is not None else OUTCOME_MODELS_DIR
    pointer = models_dir / CURRENT_POINTER_NAME
    if not pointer.exists():
        raise OutcomeModelNotFoundError(f"no {pointer}; train an outcome model first")
    return models_dir / pointer.read_text(encoding="utf8").strip()


def point_current_to(models_dir: Path | str, version: str) -> None:
    """Make `version` the outcome model in force (CURRENT rewritten atomically)."""
    from nlp.governance import point_current_to as point

    try:
        point(models_dir, version, MODEL_FILE_NAME)
    except FileNotFoundError as error:
        raise OutcomeModelNotFoundError(str(error)) from None


class OutcomeModel:
    """A loaded outcome model: outcome per story and per theme, and the evidence for it."""

    def __init__(self, bundle: dict, path: Path | None = None):
        if bundle.get("format") != BUNDLE_FORMAT:
            raise ValueError(f"unsupported outcome model format {bundle.get('format')!r}")
        self.bundle = bundle
        self.path = path
        self.version: str = bundle["version"]
        self.estimator = bundle["estimator"]

    @classmethod
    def load(cls, path: Path | str | None = None) -> OutcomeModel:
        """Load a model directory, its model.joblib, or a models directory with CURRENT
        (default: the CURRENT model in nlp/models/outcome)."""
        path = Path(path) if path is not None else current_outcome_model_dir()
        if path.is_dir() and not (path / MODEL_FILE_NAME).exists():
            if (path / CURRENT_POINTER_NAME).exists():
                path = current_outcome_model_dir(path)
        model_file = path / MODEL_FILE_NAME if path.is_dir() else path
        if not model_file.exists():
            raise OutcomeModelNotFoundError(f"no outcome model at {model_file}")
        bundle = load_model_bundle(model_file, "outcome model")
        return cls(bundle, model_file.parent)

    def save(self, model_dir: Path | str) -> Path:
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.bundle, model_dir / MODEL_FILE_NAME, compress=3)
        self.path = model_dir
        return model_dir

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self.estimator.predict_proba(list(texts))

    def predict(
        self, texts: Sequence[str], themes_per_text: Sequence[dict[str, list[str]]] | None = None
    ) -> list[OutcomeResult]:
        """Outcome and scores per text. `themes_per_text` gives, per text, each of its themes
        with the sentences about it (see nlp.outcome.per_theme); each gets its own outcome."""
        texts = list(texts)
        results = [self._result(row) for row in self.probabilities(texts)]
        for result, sentences_by_theme in zip(results, themes_per_text or [], strict=False):
            result.theme_outcomes = self.theme_outcomes(result.outcome, sentences_by_theme)
        return results

    def theme_outcomes(
        self, story_outcome: str, sentences_by_theme: dict[str, list[str]]
    ) -> dict[str, str]:
        """The outcome of each theme of a story, from the sentences about it (see below). A
        mixed story about one theme is mixed for that theme: both changes are about it."""
        if len(sentences_by_theme) == 1:
            return dict.fromkeys(sentences_by_theme, story_outcome)
        return {
            theme: self._theme_outcome(story_outcome, sentences)
            for theme, sentences in sentences_by_theme.items()
        }

    def _theme_outcome(self, story_outcome: str, sentences: list[str]) -> str:
        """The outcome for one theme of a story.

        A story that changed one way (or not at all) changed that way for each of its themes;
        sentence-by-sentence readings would lose the context ("Sinds ik hier kom ..." /
        "... voel ik me beter"). Only a mixed story is split: each theme gets the direction
        (`beter` or `slechter`) its own sentences read as (see nlp.outcome.per_theme), and
        stays `gemengd` only when the story is one sentence and cannot be split. (Keeping `gemengd` for a theme whose sentences hold cues of both
        directions was measured worse by cross-validation on the corpus: most such themes
        changed one way and share a sentence with the other theme.)
        """
        if story_outcome != MIXED or not sentences:
            return story_outcome
        row = self.probabilities([" ".join(sentences)])[0]
        return max((BETTER, WORSE), key=lambda outcome: row[OUTCOMES.index(outcome)])

    def _result(self, row: np.ndarray) -> OutcomeResult:
        scores = {o: round(float(p), SCORE_DECIMALS) for o, p in zip(OUTCOMES, row, strict=True)}
        return OutcomeResult(OUTCOMES[int(row.argmax())], scores, self.version)

    def predict_outcomes(self, texts: Sequence[str]) -> list[str]:
        """Only the outcome word of each text (what evaluation compares with the truth)."""
        return [result.outcome for result in self.predict(texts)]

    def explain(self, text: str, outcome: str | None = None) -> list[dict]:
        """Evidence for the outcome of `text` (see OutcomeClassifier.explain)."""
        return self.estimator.explain(text, outcome)
