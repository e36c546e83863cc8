"""Self-signification: question kinds with which residents give meaning to their own story.

- *slider*: a point between two poles; answered on five points (0, 25, 50, 75, 100 %);
- *triad*: a point inside a triangle with three labelled corners, kept as three weights
  (thousandths) that sum to exactly 1;
- *before_after*: worse / the same / better / don't know, compared with before.

Every such question is optional and can be answered "n.v.t." (``nvt``, not applicable). Without
JavaScript a triad is answered with two choices ("what mattered most", "and second") that
``triad_weights_from_ranking`` turns into weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from surveys.messages import N_, LocalizedText, Message
from surveys.model import SIGNIFICATION_TYPES, Choice, Field, FieldType, SurveyDefinition
from surveys.values import InvalidValue

NOT_APPLICABLE = "nvt"
EQUAL = "gelijk"  # the triad fallback's "all equally"
NOTHING_ELSE = "niets"  # the triad fallback's "nothing else mattered"
SLIDER_POINTS = (0, 25, 50, 75, 100)
WORSE, SAME, BETTER, DONT_KNOW = "slechter", "hetzelfde", "beter", "weet_niet"
BEFORE_AFTER_VALUES = (WORSE, SAME, BETTER, DONT_KNOW)
# Default labels; a definition may relabel the four answers with its own `choices`.
# tr/ar/pl were written with care but not checked by a native speaker yet.
BEFORE_AFTER_LABELS: dict[str, LocalizedText] = {
    WORSE: {"nl": "Slechter", "en": "Worse", "tr": "Daha kötü", "ar": "أسوأ", "pl": "Gorzej"},
    SAME: {"nl": "Hetzelfde", "en": "The same", "tr": "Aynı", "ar": "كما هو", "pl": "Tak samo"},
    BETTER: {"nl": "Beter", "en": "Better", "tr": "Daha iyi", "ar": "أفضل", "pl": "Lepiej"},
    DONT_KNOW: {
        "nl": "Weet ik niet",
        "en": "I don't know",
        "tr": "Bilmiyorum",
        "ar": "لا أعرف",
        "pl": "Nie wiem",
    },
}
THOUSAND = 1000


@dataclass(frozen=True)
class SignificationAnswer:
    """One resident's answer to one self-signification question (a skipped one has none).

    ``weights`` are thousandths per corner in corner order and sum to 1000; ``position`` is a
    slider's place from the left pole (0) to the right pole (100).
    """

    question: str
    kind: FieldType
    not_applicable: bool = False
    choice: str | None = None
    position: int | None = None
    weights: tuple[int, int, int] | None = None

    @property
    def weight_fractions(self) -> tuple[float, float, float] | None:
        """The triad weights as fractions of 1."""
        if self.weights is None:
            return None
        first, second, third = (weight / THOUSAND for weight in self.weights)
        return first, second, third


def signification_fields(definition: SurveyDefinition) -> tuple[Field, ...]:
    """The self-signification questions of a definition, in order."""
    return tuple(field for field in definition.fields if field.type in SIGNIFICATION_TYPES)


def before_after_choices(field: Field) -> tuple[Choice, ...]:
    """The four before/after answers with the definition's labels, or the default ones."""
    own = {choice.value: choice for choice in field.choices}
    return tuple(
        own.get(value) or Choice(value=value, label=BEFORE_AFTER_LABELS[value])
        for value in BEFORE_AFTER_VALUES
    )


def signification_issues(field: Field, issue: Callable[..., object]) -> Iterator:
    """Problems with a field's poles, corners and before/after answers (see definition_checks)."""
    wanted = {FieldType.SLIDER: ("poles", 2), FieldType.TRIAD: ("corners", 3)}
    for attribute in ("poles", "corners"):
        options: tuple[Choice, ...] = getattr(field, attribute)
        needed = wanted.get(field.type)
        if needed and needed[0] == attribute:
            if len(options) != needed[1]:
                yield issue(
                    attribute,
                    N_("A '%(type)s' question needs exactly %(count)s %(what)s; found %(found)s."),
                    {
                        "type": str(field.type),
                        "count": needed[1],
                        "what": attribute,
                        "found": len(options),
                    },
                )
            yield from _option_issues(options, attribute, issue)
        elif options:
            yield issue(
                attribute,
                N_("Only '%(type)s' questions have %(what)s."),
                {"type": "slider" if attribute == "poles" else "triad", "what": attribute},
            )
    if field.type is FieldType.BEFORE_AFTER:
        unknown = [c.value for c in field.choices if c.value not in BEFORE_AFTER_VALUES]
        if unknown:
            yield issue(
                "choices",
                N_(
                    "A before_after question only relabels the answers %(values)s, not '%(found)s'."
                ),
                {"values": ", ".join(BEFORE_AFTER_VALUES), "found": ", ".join(unknown)},
            )
    if field.type in SIGNIFICATION_TYPES and field.required:
        yield issue("required", N_("Residents may always skip this question; remove 'required'."))


def _option_issues(options: tuple[Choice, ...], attribute: str, issue) -> Iterator:
    seen: set[str] = set()
    for option in options:
        if (
            not option.value
            or any(ch in option.value for ch in " ,;")
            or option.value
            in {
                NOT_APPLICABLE,
                EQUAL,
                NOTHING_ELSE,
            }
        ):
            yield issue(
                attribute,
                N_(
                    "Invalid value '%(value)s': no spaces, commas or semicolons, not nvt/gelijk/niets."
                ),
                {"value": option.value},
            )
        if option.value in seen:
            yield issue(attribute, N_("Duplicate value '%(value)s'."), {"value": option.value})
        seen.add(option.value)
        if not any(text.strip() for text in option.label.values()):
            yield issue(attribute, N_("Every pole and corner needs a label."))


def parse_signification_value(field: Field, text: str) -> SignificationAnswer | None:
    """One answer from its text form: ``nvt``; a slider's 0-100; a triad's "a,b,c" weights;
    a before/after value or label. None when empty; InvalidValue when not acceptable."""
    text = text.strip()
    if not text:
        return None
    if text.casefold() in {NOT_APPLICABLE, "n.v.t.", "n/a"}:
        return SignificationAnswer(field.name, field.type, not_applicable=True)
    if field.type is FieldType.SLIDER:
        return SignificationAnswer(field.name, field.type, position=_slider_position(text))
    if field.type is FieldType.TRIAD:
        return SignificationAnswer(field.name, field.type, weights=parse_triad_weights(text))
    folded = text.casefold()
    for choice in before_after_choices(field):
        if folded in {choice.value, *(label.strip().casefold() for label in choice.label.values())}:
            return SignificationAnswer(field.name, field.type, choice=choice.value)
    raise InvalidValue(Message(N_("Please choose one of the options.")))


def _slider_position(text: str) -> int:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise InvalidValue(Message(N_("Please choose a point on the scale.")))
    return int(value.to_integral_value())


def parse_triad_weights(text: str) -> tuple[int, int, int]:
    """ "0.6,0.3,0.1" (or any three non-negative numbers) -> thousandths summing to 1000."""
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    try:
        values = [Decimal(part) for part in parts] if len(parts) == 3 else []
    except InvalidOperation:
        values = []
    if len(values) != 3 or not all(v.is_finite() and v >= 0 for v in values) or not sum(values):
        raise InvalidValue(Message(N_("Please place the point inside the triangle.")))
    return normalised_weights(values)


def normalised_weights(values) -> tuple[int, int, int]:
    """Scale three non-negative numbers to thousandths that sum to exactly 1000
    (largest remainder, so rounding never makes the sum 999 or 1001)."""
    total = sum(Decimal(value) for value in values)
    exact = [Decimal(value) * THOUSAND / total for value in values]
    whole = [int(value) for value in exact]
    order = sorted(range(3), key=lambda i: exact[i] - whole[i], reverse=True)
    for index in order[: THOUSAND - sum(whole)]:
        whole[index] += 1
    first, second, third = whole
    return first, second, third


def triad_weights_from_ranking(field: Field, most: str, second: str) -> tuple[int, int, int]:
    """The no-JavaScript triad: "what mattered most" and "and second" as a point.

    Only one thing -> that corner; two things -> on their edge, two thirds towards the first;
    all equally -> the centre. InvalidValue when the choices do not fit together.
    """
    corners = [corner.value for corner in field.corners]
    if most == EQUAL:
        if second and second != NOTHING_ELSE:
            raise InvalidValue(
                Message(N_("You chose 'all equally'; leave the second question empty."))
            )
        return normalised_weights([1, 1, 1])
    if most not in corners or (second and second not in (*corners, NOTHING_ELSE)):
        raise InvalidValue(Message(N_("Please choose one of the options.")))
    if second == most:
        raise InvalidValue(Message(N_("Choose something else as second, or 'nothing else'.")))
    weights = [0, 0, 0]
    weights[corners.index(most)] = 2 if second and second != NOTHING_ELSE else 1
    if second and second != NOTHING_ELSE:
        weights[corners.index(second)] = 1
    return normalised_weights(weights)


def read_signification_form(
    definition: SurveyDefinition, form: Mapping[str, str], prefix: str = ""
) -> tuple[dict[str, SignificationAnswer], dict[str, list[Message]]]:
    """Answers and errors from a posted form.

    Keys per question ``<prefix><name>``: the answer's text form (``nvt``, a slider point, a
    before/after value, or the triad's weights set by the triangle); for a triad without
    JavaScript also ``<prefix><name>_most`` and ``<prefix><name>_second``.
    """
    answers: dict[str, SignificationAnswer] = {}
    errors: dict[str, list[Message]] = {}
    for field in signification_fields(definition):
        key = prefix + field.name
        text = (form.get(key) or "").strip()
        try:
            if field.type is FieldType.TRIAD and not text:
                most = (form.get(key + "_most") or "").strip()
                second = (form.get(key + "_second") or "").strip()
                if most == NOT_APPLICABLE:
                    text = NOT_APPLICABLE
                elif most:
                    weights = triad_weights_from_ranking(field, most, second)
                    answers[field.name] = SignificationAnswer(
                        field.name, field.type, weights=weights
                    )
                    continue
                elif second and second != NOTHING_ELSE:
                    raise InvalidValue(Message(N_("First choose what mattered most.")))
            answer = parse_signification_value(field, text)
        except InvalidValue as exc:
            errors.setdefault(field.name, []).append(exc.message)
            continue
        if answer is not None:
            answers[field.name] = answer
    return answers, errors
