"""Loading a saved model bundle (joblib), shared by the theme and the outcome model."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import joblib

log = logging.getLogger(__name__)


def load_model_bundle(model_file: Path, label: str) -> object:
    """The joblib bundle in `model_file`; `label` names the model in the log.

    A model saved by another scikit-learn release still loads: it is plain linear algebra over
    our own feature code, so the version warning is logged once instead of failing; any other
    warning is passed on as it was raised.
    """
    # Imported here: scikit-learn (with SciPy) is ~110 MB that web workers never need.
    from sklearn.exceptions import InconsistentVersionWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InconsistentVersionWarning)
        bundle = joblib.load(model_file)
    for warning in caught:
        if issubclass(warning.category, InconsistentVersionWarning):
            log.warning("%s %s: %s", label, model_file, warning.message)
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return bundle
