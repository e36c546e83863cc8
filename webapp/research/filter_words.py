"""An export's filter in words for the research pages: 'Periode: 2026, Gebied: Rotterdam'."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Area
from ..services.areas import area_label
from ..services.themes import theme_names
from ..templating import language_name

# The keys of ExportFilter.as_dict(); the words are those of the export form's fields.
FILTER_LABELS = {
    "period": _l("Period"),
    "area_code": _l("Area"),
    "theme": _l("Theme"),
    "language": _l("Language"),
}


def _value_in_words(key: str, value: str) -> str:
    if key == "area_code":
        area = db.session.scalar(select(Area).where(Area.code == value))
        return area_label(area) if area is not None else value
    if key == "theme":
        return theme_names(str(get_locale() or "nl")).get(value, value)
    if key == "language":
        return language_name(value)
    return value


def filter_in_words(filters: dict[str, str]) -> str:
    """The filter's parts, each as 'label: value', joined by commas ('' for no filter)."""
    return ", ".join(
        f"{FILTER_LABELS.get(key, key)}: {_value_in_words(key, value)}"
        for key, value in filters.items()
    )
