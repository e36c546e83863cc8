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


def unused_version(models_dir: Path, version: str, chosen: bool) -> str:
    """A version whose folder in `models_dir` does not exist yet: training never writes over a
    model, whether it is the one in force or one kept for a rollback.

    A generated version (date and a fingerprint of the data and settings) that exists already
    means the same data and settings were trained before, perhaps with other code: the new
    candidate gets a suffix (-2, -3, ...). A version the caller chose must be new."""
    if not (models_dir / version).exists():
        return version
    if chosen:
        raise FileExistsError(f"model {version} exists in {models_dir}: choose another version")
    number = 2
    while (models_dir / f"{version}-{number}").exists():
        number += 1
    return f"{version}-{number}"
