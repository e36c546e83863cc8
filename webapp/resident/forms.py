"""The resident's story form and the withdrawal form."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from babel import support
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
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


@dataclass(frozen=True)
class StoryOptions:
    """The three selects' options and the values each accepts (as the field coerces them)."""

    wijk: list
    initiative: list
    age_band: list
    wijk_values: frozenset
    initiative_values: frozenset
    age_band_values: frozenset


# Options built per choices object: (wijken, initiatives, options), most recent last. The
# choices are cached per gemeente (services/story_choices.py), so the same objects come back.
_built_options: list[tuple] = []
_BUILT_OPTIONS_KEPT = 16


# Age bands stored as Dutch words; the numeric ones read the same in every language.
AGE_BAND_WORDS = {"tot 18": _l("under 18")}


def story_options(wijken: dict, initiatives: list[tuple[int, str]]) -> StoryOptions:
    """Select options for these choices; the same lists are reused while the choices objects
    are the same. Labels are lazy, so one set of options serves every language."""
    for built_wijken, built_initiatives, options in reversed(_built_options):
        if built_wijken is wijken and built_initiatives is initiatives:
            return options
    wijk = select_choices({"": [("", _l("I'd rather not say"))], **wijken})
    initiative = select_choices(
        [("", _l("I'd rather not say")), (UNKNOWN, _l("I don't know"))] + initiatives
    )
    age_band = select_choices(
        [("", _l("I'd rather not say"))]
        + [(band, AGE_BAND_WORDS.get(band, band)) for band in AGE_BANDS]
    )
    options = StoryOptions(
        wijk,
        initiative,
        age_band,
        frozenset(_optional_int(choice.value) for choice in wijk),
        frozenset(_optional_int(choice.value) for choice in initiative),
        frozenset(str(choice.value) for choice in age_band),
    )
    _built_options.append((wijken, initiatives, options))
    del _built_options[:-_BUILT_OPTIONS_KEPT]
    return options


def wijk_search_hint(example_postcode: str | None) -> str:
    """How to find a wijk, with a postcode of the resident's own gemeente as the example."""
    if example_postcode:
        return _(
            "Type the four digits of your postcode (for example %(postcode)s) or part of the "
            "name. We only use this to find your neighbourhood and do not keep it.",
            postcode=example_postcode,
        )
    return _(
        "Type the four digits of your postcode or part of the name. "
        "We only use this to find your neighbourhood and do not keep it."
    )


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
    # Its description comes from wijk_search_hint (the example depends on the gemeente).
    wijk_search = StringField(
        _l("Find your neighbourhood"),
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
        _l("At which initiative was this? (optional)"),
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
        options = story_options(wijken, initiatives)
        self.wijk.choices, self.initiative.choices = options.wijk, options.initiative
        self.age_band.choices = options.age_band

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


@dataclass(frozen=True)
class PostedStory:
    """The story form's values as StoryForm reads them (coerced), once they are valid."""

    story: str
    wijk: int | None
    initiative: int | str | None
    age_band: str | None
    consent_quote: bool
    consent_research: bool
    consent_health: bool | None


def honeypot_filled(posted: Mapping[str, str]) -> bool:
    """The field hidden from people was filled in: a robot sent this form."""
    return bool((posted.get("website") or "").strip())


_FALSE_VALUES = ("false", "")  # a posted BooleanField value that means "not ticked"


def plainly_valid_story(
    posted: Mapping[str, str], options: StoryOptions, health_asked: bool, check_csrf: bool
) -> PostedStory | None:
    """The posted form's values when it is plainly valid, else None: then StoryForm validates
    it and explains every problem in the resident's language.

    This is StoryForm's validation for the common case without building the form (binding and
    validating its eleven fields cost more than storing the story). It accepts only what
    StoryForm accepts, with the same values (tests/webapp/test_story_form_speed.py compares
    the two); anything unusual (a blank-looking choice, a token to check, an error to show)
    is left to the form.
    """
    story = posted.get("story", "")
    if not story.strip():
        return None
    length = len(normalise_story_text(story))
    if not MIN_STORY_LENGTH <= length <= MAX_STORY_LENGTH or len(story.strip()) < MIN_STORY_LENGTH:
        return None
    wijk = _optional_int(posted.get("wijk", ""))
    initiative = _optional_int(posted.get("initiative", ""))
    age_band = posted.get("age_band")  # None when not sent, as the field leaves it
    if (
        wijk not in options.wijk_values
        or initiative not in options.initiative_values
        or (age_band is not None and age_band not in options.age_band_values)
    ):
        return None
    if check_csrf:
        try:
            validate_csrf(posted.get("csrf_token"))
        except ValidationError:
            return None
    return PostedStory(
        story=story,
        wijk=wijk,
        initiative=initiative,
        age_band=age_band,
        consent_quote=posted.get("consent_quote", "") not in _FALSE_VALUES,
        consent_research=posted.get("consent_research", "") not in _FALSE_VALUES,
        consent_health=(
            posted.get("consent_health", "") not in _FALSE_VALUES if health_asked else None
        ),
    )


def posted_story_from(form: StoryForm) -> PostedStory:
    """The same values from a validated StoryForm."""
    return PostedStory(
        story=form.story.data,
        wijk=form.wijk.data,
        initiative=form.initiative.data,
        age_band=form.age_band.data,
        consent_quote=form.consent_quote.data,
        consent_research=form.consent_research.data,
        consent_health=form.consent_health.data if "consent_health" in form else None,
    )
