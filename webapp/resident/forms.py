"""The resident's story form and the withdrawal form."""

from __future__ import annotations

import functools

from babel import support
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Optional, ValidationError

from ..form_choices import CachedSelect, select_choices
from ..models import AGE_BANDS
from ..services.stories import MAX_STORY_LENGTH, MIN_STORY_LENGTH, normalise_story_text

UNKNOWN = "onbekend"


def _optional_int(value):
    if value in (None, ""):
        return None
    if value == UNKNOWN:
        return UNKNOWN
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # left as text so pre_validate reports an invalid choice


class ChoiceField(SelectField):
    """A select whose "not a valid choice" message is ours, in the resident's language."""

    def pre_validate(self, form):
        # A plain scan: WTForms builds a Choice object per option, a hundred per wijk list.
        if not any(self.coerce(choice.value) == self.data for choice in self.choices or ()):
            raise ValidationError(_l("Please choose one of the options in the list."))


@functools.lru_cache(maxsize=8)
def _wtforms_translations(locale: str) -> support.Translations:
    """WTForms' own messages in one language, read once (Flask-WTF reads them per request)."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


# Options built per choices object: (wijken, initiatives, options), most recent last. The
# choices are cached per gemeente (services/story_choices.py), so the same objects come back.
_built_options: list[tuple] = []
_BUILT_OPTIONS_KEPT = 16


def _options(wijken: dict, initiatives: list[tuple[int, str]]) -> tuple[list, list, list]:
    """Select options for these choices; the same lists are reused while the choices objects
    are the same. Labels are lazy, so one set of options serves every language."""
    for built_wijken, built_initiatives, options in reversed(_built_options):
        if built_wijken is wijken and built_initiatives is initiatives:
            return options
    options = (
        select_choices({"": [("", _l("I'd rather not say"))], **wijken}),
        select_choices(
            [("", _l("I'd rather not say")), (UNKNOWN, _l("I don't know"))] + initiatives
        ),
        select_choices([("", _l("I'd rather not say"))] + [(band, band) for band in AGE_BANDS]),
    )
    _built_options.append((wijken, initiatives, options))
    del _built_options[:-_BUILT_OPTIONS_KEPT]
    return options


def story_length(_form, field) -> None:
    """Count as the server stores the text (one character per line break, trimmed) and say by
    how much it is too short or too long; the text itself is never cut."""
    length = len(normalise_story_text(field.data or ""))
    if length < MIN_STORY_LENGTH:
        raise ValidationError(
            _(
                "Your story is %(length)s characters long; please write at least %(min)s.",
                length=length,
                min=MIN_STORY_LENGTH,
            )
        )
    if length > MAX_STORY_LENGTH:
        raise ValidationError(
            _(
                "Your story is %(length)s characters long; the most is %(max)s. Please make it "
                "%(over)s characters shorter. Your text is still here.",
                length=format_decimal(length),
                max=format_decimal(MAX_STORY_LENGTH),
                over=format_decimal(length - MAX_STORY_LENGTH),
            )
        )


def story_limits_text() -> str:
    """The limits stated up front, in the reader's language: "… maximaal 5.000 tekens"."""
    return _(
        "Tell in your own words what you experienced. At least %(min)s and at most "
        "%(max)s characters.",
        min=MIN_STORY_LENGTH,
        max=format_decimal(MAX_STORY_LENGTH),
    )


class StoryForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale() or "nl"))

    # No maxlength attribute: browsers cut pasted text silently at that length.
    story = TextAreaField(
        _l("Your story"),
        validators=[DataRequired(message=_l("Please write your story.")), story_length],
        # dir=auto: a story typed in Arabic on a Dutch page (or back) runs in its own direction.
        render_kw={
            "rows": 8,
            "spellcheck": "true",
            "data-max-length": MAX_STORY_LENGTH,
            "dir": "auto",
        },
    )
    # Helps a resident find their official wijk; never stored (see resident.views).
    wijk_search = StringField(
        _l("Find your neighbourhood"),
        description=_l(
            "Type the four digits of your postcode (for example 1055) or part of the name. "
            "We only use this to find your neighbourhood and do not keep it."
        ),
        validators=[Optional()],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    # One-time token: a second send of the same form is recognised and stored once.
    inzending = HiddenField()
    wijk = ChoiceField(
        _l("Neighbourhood (optional)"),
        coerce=_optional_int,
        validators=[Optional()],
        widget=CachedSelect(),
    )
    initiative = ChoiceField(
        _l("Where did this happen? (optional)"),
        coerce=_optional_int,
        validators=[Optional()],
        widget=CachedSelect(),
    )
    age_band = ChoiceField(_l("Your age (optional)"), validators=[Optional()])
    consent_quote = BooleanField(
        _l(
            "You may use a short part of my story, without my name, in reports for the municipality."
        )
    )
    consent_research = BooleanField(
        _l("You may give my story, without my name, to researchers who study neighbourhoods.")
    )
    # Asked only where the installation relies on explicit consent for health data.
    consent_health = BooleanField(
        _l(
            "My story may be about health (my own or someone else's). I agree that Weefsel "
            "keeps and uses this as the privacy statement says."
        ),
        description=_l(
            "If you do not tick this, we still keep your story and count it in the figures, "
            "but we never quote it and never give it to researchers."
        ),
    )
    # Honeypot: hidden from people, filled in by some robots.
    website = StringField(
        _l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )

    def set_choices(self, wijken: dict, initiatives: list[tuple[int, str]]) -> None:
        self.wijk.choices, self.initiative.choices, self.age_band.choices = _options(
            wijken, initiatives
        )

    def honeypot_filled(self) -> bool:
        return bool((self.website.data or "").strip())

    def validate_story(self, field):
        if field.data and not field.errors and len(field.data.strip()) < MIN_STORY_LENGTH:
            raise ValidationError(
                _l("Your story must be between %(min)d and %(max)d characters long.")
                % {"min": MIN_STORY_LENGTH, "max": MAX_STORY_LENGTH}
            )


class WithdrawForm(FlaskForm):
    code = StringField(
        _l("Your personal code"),
        description=_l(
            "You received this code after sending your story, for example ABCD-EFGH-JKMN."
        ),
        validators=[DataRequired(message=_l("Please fill in your code."))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
