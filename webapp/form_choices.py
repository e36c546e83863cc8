"""Select options in the shape WTForms 3.3+ wants (SelectChoice), from (value, label) pairs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import Select


def select_choices(options: Iterable[tuple] | Mapping[str, Iterable[tuple]]) -> list[SelectChoice]:
    """Pairs become options; a mapping {group label: pairs} becomes option groups ("" = no group)."""
    if isinstance(options, Mapping):
        return [
            SelectChoice(value, label, optgroup=group or None)
            for group, pairs in options.items()
            for value, label in pairs
        ]
    return [SelectChoice(value, label) for value, label in options]


class CachedSelect(Select):
    """A select that renders the same options once: the wijk list has a hundred options, and
    escaping them took longer than the rest of the story page. The cache key holds the options'
    text, the chosen value and the attributes, so a changed list or language renders anew."""

    def __init__(self, multiple: bool = False, maxsize: int = 64):
        super().__init__(multiple=multiple)
        self.maxsize = maxsize
        self._rendered: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, field, **kwargs) -> Markup:
        options = tuple(
            (choice.value, str(choice.label), choice.optgroup) for choice in field.choices or ()
        )
        key = (field.name, field.id, repr(field.data), repr(sorted(kwargs.items())), options)
        with self._lock:
            cached = self._rendered.get(key)
            if cached is not None:
                self._rendered.move_to_end(key)
                return cached
        html = super().__call__(field, **kwargs)
        with self._lock:
            self._rendered[key] = html
            while len(self._rendered) > self.maxsize:
                self._rendered.popitem(last=False)
        return html


class ChoiceField(SelectField):
    """A select whose "not a valid choice" message is ours, in the user's language (also when
    the value is outside the user's scope: another gemeente's area is simply not a choice)."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(_l("Please choose one of the options in the list.")) from None
