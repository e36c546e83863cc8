"""What the theme figures rest on, said truthfully: who assigned the themes and how well.

The counts of stories per theme come from a language model unless staff checked a story;
these sentences and the model-quality table say how many were checked and what the model's
measured precision and recall are, so a reader knows the figures are estimates.
"""

from __future__ import annotations

from .data import ReportInput
from .figures import Figures
from .tables import Cell, Formatter, Table


def theme_source_sentences(data: ReportInput, figures: Figures, fmt: Formatter) -> list[str]:
    """'41 of 220 stories were checked by staff; the themes of the others are estimates.'"""
    _, numbers = fmt._, fmt.numbers
    checked, total = data.stories_checked_by_staff, figures.story_total
    if checked is None or not total.shown:
        return [
            _(
                "Themes were assigned by a language model unless staff checked the story: "
                "the numbers per theme are estimates."
            )
        ]
    if checked == 0:
        return [
            _(
                "Staff checked the themes of none of these %(total)s stories: every number per "
                "theme is an estimate by a language model."
            )
            % {"total": numbers.count(total.value)}
        ]
    if checked >= total.value:
        return [
            _("Staff checked the themes of all %(total)s stories.")
            % {"total": numbers.count(total.value)}
        ]
    return [
        _(
            "Staff checked the themes of %(checked)s of %(total)s stories; the themes of the "
            "other stories were assigned by a language model, so the numbers per theme are "
            "estimates."
        )
        % {"checked": numbers.count(checked), "total": numbers.count(total.value)}
    ]


def model_quality_table(
    data: ReportInput, theme_names: dict[str, str], fmt: Formatter
) -> Table | None:
    """Per theme how often the model is right when it chooses a theme (precision) and how
    many stories about a theme it finds (recall), from its model card."""
    if not data.model_quality:
        return None
    _, numbers = fmt._, fmt.numbers
    rows = []
    for key, name in theme_names.items():
        quality = data.model_quality.get(key)
        if quality is None:
            continue
        rows.append(
            [
                Cell(name, numeric=False),
                Cell(numbers.percent(quality["precision"], 0)),
                Cell(numbers.percent(quality["recall"], 0)),
                Cell(numbers.count(quality["support"])),
            ]
        )
    if not rows:
        return None
    header = [
        _("Theme"),
        _("Correctly chosen"),
        _("Found"),
        _("Measured on stories"),
    ]
    # Plain words instead of "precision" and "recall", which councillors need not know.
    notes = [
        _(
            '"Correctly chosen": of the stories the language model puts under a theme, the part '
            'that is really about it. "Found": of the stories that are really about a theme, '
            "the part the language model puts under it."
        ),
        _(
            "Measured by comparing the language model %(version)s with people's judgement on "
            "stories it had not seen during training."
        )
        % {"version": data.model_version or "?"},
    ]
    return Table(_("How reliable the language model is"), header, rows, notes)
