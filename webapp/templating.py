"""Template filters and globals shared by every blueprint."""

from __future__ import annotations

import datetime as dt
import re

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app
from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from nlp.language import languages_not_read

from .auth import (
    ACCOUNT_MANAGERS,
    AUDIT_READERS,
    EXPORTERS,
    MANAGERS,
    REPORT_READERS,
    REVIEWERS,
    can_read_original_text,
    current_staff_user,
)
from .services.activity import format_number
from .services.scopes import holds_any
from .services.story_text import deidentified_text

ROLE_LABELS = {
    "admin": _l("administrator"),
    "coordinator": _l("coordinator"),
    "reviewer": _l("reviewer"),
    "staff": _l("staff member"),
    "councillor": _l("council member"),
    "researcher": _l("researcher"),
}
STATUS_LABELS = {"pending": _l("waiting"), "approved": _l("approved"), "rejected": _l("rejected")}

# (endpoint, label, roles that see it); items whose blueprint is not installed are left out.
STAFF_MENU = (
    ("staff.dashboard", _l("Overview"), MANAGERS),
    ("staff.stories", _l("Stories"), MANAGERS),
    ("review.queue", _l("Check themes"), REVIEWERS),
    ("staff.signification_gap", _l("Model and residents"), MANAGERS),
    ("staff.initiatives_list", _l("Initiatives"), MANAGERS),
    ("council.reports", _l("Reports"), REPORT_READERS),
    ("research.export", _l("Research export"), EXPORTERS),
    ("accounts.account_list", _l("Accounts"), ACCOUNT_MANAGERS),
    ("staff.audit_log", _l("Audit log"), AUDIT_READERS),
    ("staff.jobs_overview", _l("Background jobs"), MANAGERS),
)


def staff_menu() -> list[tuple[str, str]]:
    """The menu items the logged-in user may open, of the blueprints that are installed."""
    user = current_staff_user()
    if user is None:
        return []
    return [
        (endpoint, label)
        for endpoint, label, allowed in STAFF_MENU
        if endpoint in current_app.view_functions and holds_any(user, allowed)
    ]


def format_month(value: dt.date | None) -> str:
    """'december 2026'. The stand-alone month name (LLLL): Polish 'grudzień 2026', not the
    genitive 'grudnia' that belongs inside a full date."""
    return format_date(value, "LLLL yyyy") if value else ""


def format_date_long(value: dt.date | None) -> str:
    """A date written out in the page's language: '2 december 2026', '2 grudnia 2026'."""
    return format_date(value, "long") if value else ""


def language_name(code: str | None) -> str:
    """A language code in words, in the page's language ('ar' -> 'Arabisch'); else the code."""
    if not code or code == "und":
        return str(_l("undetermined"))
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(get_locale())
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def _story_language_codes(story) -> list[str]:
    """The language codes found in a story, primary first (older rows hold only the primary)."""
    return story.languages or ([story.language] if story.language else [])


def story_language_names(story) -> str:
    """The languages found in a story, primary first: 'Nederlands, Arabisch'."""
    return ", ".join(language_name(code) for code in _story_language_codes(story))


def story_languages_not_read(story) -> list[str]:
    """The languages of a story the classifiers do not read (it needs a human reader)."""
    return languages_not_read(_story_language_codes(story))


_EMAIL = re.compile(r"[^@\s,;<>()]+@[^@\s,;<>()]+\.[A-Za-z]{2,}")


def contact_links(contact: str) -> Markup:
    """A contact text ('privacy@gemeente.nl, 14 020') with its e-mail addresses as links."""
    parts, start = [], 0
    for match in _EMAIL.finditer(contact):
        parts.append(escape(contact[start : match.start()]))
        address = escape(match.group(0))
        parts.append(Markup(f'<a href="mailto:{address}">{address}</a>'))
        start = match.end()
    parts.append(escape(contact[start:]))
    return Markup("").join(parts)


def after_colon(sentence: str) -> str:
    """A sentence continued after 'Label: ', so it starts in lower case ('Er kunnen' ->
    'er kunnen'); a first word in capitals (an abbreviation) keeps them."""
    first = sentence.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() or len(first) == 1:
        return sentence[:1].lower() + sentence[1:]
    return sentence


def format_figure(value, field) -> str:
    """A monthly figure as the form writes it (services.activity.format_number): a field with
    one decimal shows '76,0' in the table as in the form."""
    return format_number(value, field, str(get_locale() or "nl"))


def format_kappa(value: float | None) -> str:
    """Cohen's kappa with two decimals in the page's language ('0,49'; '–' when unknown)."""
    return format_decimal(value, "0.00") if value is not None else "–"


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["format_date_long"] = format_date_long
    app.jinja_env.filters["format_month"] = format_month
    app.jinja_env.filters["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    # Staff pages show a story's text only through this filter: de-identified.
    app.jinja_env.filters["staff_text"] = deidentified_text
    app.jinja_env.filters["format_number"] = format_decimal
    app.jinja_env.filters["format_percent"] = format_percent
    app.jinja_env.filters["format_kappa"] = format_kappa
    app.jinja_env.filters["contact_links"] = contact_links
    app.jinja_env.filters["after_colon"] = after_colon
    app.jinja_env.filters["format_figure"] = format_figure
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals.update(
        story_language_names=story_language_names,
        story_languages_not_read=story_languages_not_read,
        current_staff_user=current_staff_user,
        staff_menu=staff_menu,
        status_label=lambda status: STATUS_LABELS.get(status, status),
        may_read_original_text=lambda story: can_read_original_text(current_staff_user(), story),
    )
