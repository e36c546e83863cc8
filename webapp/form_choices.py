"""Select options in the shape WTForms 3.3+ wants (SelectChoice), from (value, label) pairs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms.fields.choices import SelectChoice


def select_choices(options: Iterable[tuple] | Mapping[str, Iterable[tuple]]) -> list[SelectChoice]:
    """Pairs become options; a mapping {group label: pairs} becomes option groups ("" = no group)."""
    if isinstance(options, Mapping):
        return [
            SelectChoice(value, label, optgroup=group or None)
            for group, pairs in options.items()
            for value, label in pairs
        ]
    return [SelectChoice(value, label) for value, label in options]
