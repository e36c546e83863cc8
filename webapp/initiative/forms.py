"""The monthly form is built from the survey definition; WTForms only guards it with CSRF."""

from __future__ import annotations

from flask_wtf import FlaskForm


class CsrfOnlyForm(FlaskForm):
    """CSRF protection for forms whose fields come from a survey definition."""
