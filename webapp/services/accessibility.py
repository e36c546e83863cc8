"""The facts of the accessibility statement, read from a data file that fails loudly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

STATEMENT_FILE = Path(__file__).resolve().parent.parent / "data" / "accessibility.yaml"
STATUSES = ("full", "partial", "none")


class StatementFileError(ValueError):
    """The statement file is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class AccessibilityStatement:
    organisation: str
    status: str
    statement_date: dt.date
    last_checked: dt.date
    contact_email: str
    answer_within_weeks: int


def load_accessibility_statement(path: Path = STATEMENT_FILE) -> AccessibilityStatement:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def required(key: str, kind: type):
        value = data.get(key)
        if not isinstance(value, kind) or value in ("", None):
            raise StatementFileError(f"{path}: '{key}' must be a {kind.__name__}")
        return value

    status = required("status", str)
    if status not in STATUSES:
        raise StatementFileError(f"{path}: 'status' must be one of {STATUSES}")
    return AccessibilityStatement(
        organisation=required("organisation", str),
        status=status,
        statement_date=required("statement_date", dt.date),
        last_checked=required("last_checked", dt.date),
        contact_email=required("contact_email", str),
        answer_within_weeks=required("answer_within_weeks", int),
    )


def accessibility_contact(
    config, statement: AccessibilityStatement, gemeente_privacy_contact: str | None = None
) -> str:
    """Where visitors report an accessibility problem: the installation's dedicated setting
    (WEEFSEL_ACCESSIBILITY_CONTACT), else the municipality's own contact (the gemeente's
    privacy contact from areas.csv, then WEEFSEL_PRIVACY_CONTACT), and only when none is
    configured the address in the statement file."""
    return (
        config.get("ACCESSIBILITY_CONTACT", "")
        or gemeente_privacy_contact
        or config.get("PRIVACY_CONTACT", "")
        or statement.contact_email
    )
