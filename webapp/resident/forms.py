"""The resident's story form and the withdrawal form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..form_choices import ChoiceField, select_choices
from ..models import AGE_BANDS
from ..services.stories import MAX_STORY_LENGTH, MIN_STORY_LENGTH

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


class StoryForm(FlaskForm):
    story = TextAreaField(
        _l("Your story"),
        description=_l("Tell in your own words what you experienced. At least 20 characters."),
        validators=[
            DataRequired(message=_l("Please write your story.")),
            Length(
                min=MIN_STORY_LENGTH,
                max=MAX_STORY_LENGTH,
                message=_l("Your story must be between %(min)d and %(max)d characters long."),
            ),
        ],
        render_kw={"rows": 8, "maxlength": MAX_STORY_LENGTH, "spellcheck": "true"},
    )
    wijk = ChoiceField(
        _l("Neighbourhood (optional)"),
        coerce=_optional_int,
        validators=[Optional()],
    )
    initiative = ChoiceField(
        _l("Where did this happen? (optional)"),
        coerce=_optional_int,
        validators=[Optional()],
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
    # Honeypot: hidden from people, filled in by some robots.
    website = StringField(
        _l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )

    def set_choices(self, wijken: dict, initiatives: list[tuple[int, str]]) -> None:
        self.wijk.choices = select_choices({"": [("", _l("I'd rather not say"))], **wijken})
        self.initiative.choices = select_choices(
            [("", _l("I'd rather not say")), (UNKNOWN, _l("I don't know"))] + initiatives
        )
        self.age_band.choices = select_choices(
            [("", _l("I'd rather not say"))] + [(band, band) for band in AGE_BANDS]
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
