"""Select options in the shape WTForms 3.3+ wants (SelectChoice), from (value, label) pairs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError


def select_choices(options: Iterable[tuple] | Mapping[str, Iterable[tuple]]) -> list[SelectChoice]:
    """Pairs become options; a mapping {group label: pairs} becomes option groups ("" = no group)."""
    if isinstance(options, Mapping):
        return [
            SelectChoice(value, label, optgroup=group or None)
            for group, pairs in options.items()
            for value, label in pairs
        ]
    return [SelectChoice(value, label) for value, label in options]


class ChoiceField(SelectField):
    """A select whose "not a valid choice" message is ours, in the user's language (also when
    the value is outside the user's scope: another gemeente's area is simply not a choice)."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Please choose one of the options in the list.")) from None
