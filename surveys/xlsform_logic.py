"""The expressions of an XLSForm's survey rows: parsed with ``logic_parser``, with every problem
reported at its row and column, and hidden calculations outside the subset left out."""

from __future__ import annotations

from collections.abc import Callable

from surveys.logic_parser import ExpressionError, parse_expression, references
from surveys.messages import N_
from surveys.model import Expression, Field, FieldType
from surveys.xlsform_sheets import SheetRow, SheetTable

TRUE_TEXTS = {"yes", "true", "1", "true()"}
FALSE_TEXTS = {"", "no", "false", "0", "false()"}
Report = Callable[..., None]


class RowLogic:
    """Reads the expression columns of survey rows; ``report(row, column, msgid, params,
    warning=False)`` is told what is wrong, ``skipped_names`` collects what was left out."""

    def __init__(self, survey: SheetTable, report: Report, skipped_names: set[str]) -> None:
        self.survey = survey
        self.report = report
        self.skipped_names = skipped_names

    def expression(
        self, row: SheetRow, key: str, *, allow_columns: bool = False
    ) -> Expression | None:
        """The parsed expression in column ``key``, None when empty or (reported) unsupported."""
        text = self.survey.text(row, key)
        if not text:
            return None
        if text.strip().lower() in TRUE_TEXTS | FALSE_TEXTS:  # ``relevant: false``, as some write
            constant = "true" if text.strip().lower() in TRUE_TEXTS else "false"
            return Expression(text, ["call", constant, []])
        try:
            return Expression(text, parse_expression(text, allow_columns=allow_columns))
        except ExpressionError as exc:
            self.report(row.number, key, exc.message.msgid, dict(exc.message.params))
            return None

    def calculation(self, row: SheetRow, field_type: FieldType) -> Expression | None:
        if field_type is not FieldType.CALCULATE:
            if self.survey.text(row, "calculation"):
                self.report(
                    row.number,
                    "calculation",
                    N_(
                        "A calculation on a question is not supported; the question is asked "
                        "without it."
                    ),
                    warning=True,
                )
            return None
        if not self.survey.text(row, "calculation"):
            self.report(row.number, "calculation", N_("This calculate row has no calculation."))
            return None
        return self.expression(row, "calculation")

    def calculation_left_out(self, row: SheetRow, name: str) -> bool:
        """A hidden calculation using a function outside the subset (``pulldata()``,
        ``jr:choice-name()``, ``format-date()`` …) is left out with a warning, as nobody is
        asked anything by it; what refers to it sees an empty value."""
        text = self.survey.text(row, "calculation")
        try:
            parse_expression(text)
        except ExpressionError as exc:
            if "function" not in exc.message.msgid:
                return False
            self.skipped_names.add(name)
            self.report(
                row.number,
                "calculation",
                N_(
                    "The calculation '%(expression)s' uses %(token)s(), which is not supported; "
                    "it is left out and counts as empty."
                ),
                {"expression": text, "token": exc.message.params.get("token", "")},
                warning=True,
            )
            return True
        return False

    def check_references(self, fields: list[Field], rows: list[int]) -> None:
        """Report every ``${name}`` that is neither a question nor something left out."""
        names = {item.name for item in fields} | self.skipped_names
        for item, row in zip(fields, rows, strict=True):
            for key in ("relevant", "constraint", "required_if", "choice_filter", "calculation"):
                expression = getattr(item, key)
                if expression is None:
                    continue
                for name in sorted(references(expression.tree) - names):
                    column = "required" if key == "required_if" else key
                    self.report(
                        row,
                        column,
                        N_("'%(expression)s' refers to '%(name)s', which is not in this form."),
                        {"expression": expression.text, "name": name},
                    )

    def required_expression(self, row: SheetRow) -> Expression | None:
        """``required`` holding an expression such as ``${kinderen} > 0`` instead of yes/no."""
        text = self.survey.text(row, "required").strip().lower()
        if text in TRUE_TEXTS or text in FALSE_TEXTS:
            return None
        return self.expression(row, "required")
