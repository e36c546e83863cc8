"""Form fields more than one blueprint uses."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _
from wtforms import DecimalField
from wtforms.widgets import TextInput

from surveys.values import InvalidValue, parse_decimal


class DutchDecimalField(DecimalField):
    """A decimal typed and shown the way the page's language writes numbers: ``18.000,00`` is
    read (as are ``18000`` and ``18.000``), and a stored 18000 is shown as ``18.000,00``.

    Parsing is the one rule of ``surveys.values.parse_decimal``, shared with the survey forms
    and the CSV import.

    The input is a text input (with ``inputmode="decimal"`` for phone keyboards), never
    ``type="number"``: a number input cannot read ``9.500,00``, shows it empty and sends it
    back empty, so saving an untouched form would erase the amount.
    """

    widget = TextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_decimal(valuelist[0], self.places)
        except InvalidValue:
            self.data = None
            raise ValueError(_("Please fill in an amount, for example 18.000,00.")) from None
        if self.places is not None:
            self.data = self.data.quantize(Decimal(1).scaleb(-self.places))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        pattern = "#,##0." + "0" * self.places if self.places else "#,##0.##########"
        return format_decimal(self.data, pattern)
