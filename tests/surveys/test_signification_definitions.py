"""Self-signification question kinds: the shipped story definition, broken files, answers."""

from __future__ import annotations

import pytest

from surveys import DefinitionError, load_definition, validate_response
from surveys.loading import DEFAULT_STORY_DEFINITION, check_definition_file
from surveys.model import FieldType
from surveys.signification import (
    BEFORE_AFTER_VALUES,
    before_after_choices,
    normalised_weights,
    parse_triad_weights,
    read_signification_form,
    signification_fields,
    triad_weights_from_ranking,
)
from surveys.values import InvalidValue

UI_LANGUAGES = ("nl", "en", "tr", "ar", "pl")

HEADER = """\
id: verhaal-test
version: "3"
title: {nl: Test, en: Test}
fields:
"""  # 4 lines: the first field starts on line 5

GOOD_FIELDS = """\
  - name: waarover
    type: triad
    label: {nl: Waarover, en: About what}
    corners:
      - {value: contact, theme: eenzaamheid, label: {nl: Contact, en: Contact}}
      - {value: geld, theme: armoede, label: {nl: Geld, en: Money}}
      - {value: zorg, label: {nl: Zorg, en: Care}}
  - name: voor_na
    type: before_after
    label: {nl: Voor en na, en: Before and after}
    choices:
      - {value: beter, label: {nl: Beter dan eerst, en: Better than before}}
  - name: alleen
    type: slider
    label: {nl: Ik voel me, en: I feel}
    poles:
      - {value: minder, label: {nl: minder alleen, en: less alone}}
      - {value: zelfde, label: {nl: niet anders, en: no different}}
"""


def test_shipped_story_definition_has_at_most_three_optional_questions_in_every_language():
    definition = load_definition(DEFAULT_STORY_DEFINITION)

    questions = signification_fields(definition)
    assert definition.id == "verhaal" and definition.version
    assert 1 <= len(questions) <= 3
    assert {question.type for question in questions} == {
        FieldType.TRIAD,
        FieldType.SLIDER,
        FieldType.BEFORE_AFTER,
    }
    for question in questions:
        assert not question.required
        options = [*question.corners, *question.poles, *before_after_choices(question)]
        for texts in [question.label, *(option.label for option in options)]:
            assert set(UI_LANGUAGES) <= set(texts), texts
    triad = next(q for q in questions if q.type is FieldType.TRIAD)
    assert [corner.theme for corner in triad.corners] == ["eenzaamheid", "armoede", "gezondheid"]


def test_good_definition_loads_poles_corners_and_relabelled_answers(write_file):
    definition = load_definition(write_file("story.yaml", HEADER + GOOD_FIELDS))

    triad, before_after, slider = definition.fields
    assert [(c.value, c.theme) for c in triad.corners] == [
        ("contact", "eenzaamheid"),
        ("geld", "armoede"),
        ("zorg", None),
    ]
    assert [pole.label_for("en") for pole in slider.poles] == ["less alone", "no different"]
    choices = before_after_choices(before_after)
    assert [choice.value for choice in choices] == list(BEFORE_AFTER_VALUES)
    assert choices[2].label_for("nl") == "Beter dan eerst"  # the definition's own label
    assert choices[0].label_for("tr") == "Daha kötü"  # the default label


BROKEN = {
    "triad with two corners": (
        "  - name: t\n    type: triad\n    label: T\n    corners:\n"
        "      - {value: a, label: A}\n      - {value: b, label: B}\n",
        8,
        "fields[1].corners",
        "needs exactly 3 corners; found 2",
    ),
    "slider without poles": (
        "  - {name: s, type: slider, label: S}\n",
        5,
        "fields[1]",
        "needs exactly 2 poles; found 0",
    ),
    "poles on a before_after question": (
        "  - name: b\n    type: before_after\n    label: B\n    poles:\n"
        "      - {value: a, label: A}\n",
        8,
        "fields[1].poles",
        "Only 'slider' questions have poles",
    ),
    "unknown before_after answer": (
        "  - name: b\n    type: before_after\n    label: B\n    choices:\n"
        "      - {value: veel_beter, label: Veel beter}\n",
        8,
        "fields[1].choices",
        "not 'veel_beter'",
    ),
    "required self-signification question": (
        "  - name: s\n    type: slider\n    label: S\n    required: true\n    poles:\n"
        "      - {value: a, label: A}\n      - {value: b, label: B}\n",
        8,
        "fields[1].required",
        "may always skip",
    ),
    "reserved corner value": (
        "  - name: t\n    type: triad\n    label: T\n    corners:\n"
        "      - {value: nvt, label: A}\n      - {value: b, label: B}\n      - {value: c, label: C}\n",
        8,
        "fields[1].corners",
        "Invalid value 'nvt'",
    ),
    "misspelled corner key": (
        "  - name: t\n    type: triad\n    label: T\n    corners:\n"
        "      - {value: a, label: A, thema: armoede}\n"
        "      - {value: b, label: B}\n      - {value: c, label: C}\n",
        9,
        "fields[1].corners[1].thema",
        "Unknown key 'thema'",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_definition_names_file_line_and_key(write_file, case):
    text, line, column, fragment = BROKEN[case]
    path = write_file("verhaal.yaml", HEADER + text)

    problems = check_definition_file(path)

    assert problems, case
    problem = next(p for p in problems if fragment in p.message.render())
    assert (problem.file, problem.row, problem.column) == ("verhaal.yaml", line, column)
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert f"verhaal.yaml, line {line}" in str(error.value)


def test_weights_are_thousandths_that_always_sum_to_one():
    assert normalised_weights([1, 1, 1]) == (334, 333, 333)
    assert parse_triad_weights("0.6,0.3,0.1") == (600, 300, 100)
    assert parse_triad_weights("2;1;1") == (500, 250, 250)
    for raw in ("0.333,0.333,0.333", "1,0,0", "0.0001,0.0001,5", "7,11,13"):
        assert sum(parse_triad_weights(raw)) == 1000
    for bad in ("0,0,0", "1,2", "a,b,c", "-1,1,1", "nan,1,1"):
        with pytest.raises(InvalidValue):
            parse_triad_weights(bad)


def test_no_javascript_ranking_becomes_a_point(write_file):
    triad = load_definition(write_file("story.yaml", HEADER + GOOD_FIELDS)).field("waarover")

    assert triad_weights_from_ranking(triad, "geld", "niets") == (0, 1000, 0)
    assert triad_weights_from_ranking(triad, "geld", "") == (0, 1000, 0)
    assert triad_weights_from_ranking(triad, "contact", "zorg") == (667, 0, 333)
    assert triad_weights_from_ranking(triad, "gelijk", "") == (334, 333, 333)
    for most, second in (("geld", "geld"), ("gelijk", "zorg"), ("iets", "")):
        with pytest.raises(InvalidValue):
            triad_weights_from_ranking(triad, most, second)


def test_form_answers_skips_and_not_applicable(write_file):
    definition = load_definition(write_file("story.yaml", HEADER + GOOD_FIELDS))

    answers, errors = read_signification_form(
        definition,
        {"s_waarover_most": "zorg", "s_waarover_second": "geld", "s_voor_na": "Beter dan eerst"},
        prefix="s_",
    )
    assert errors == {}
    assert answers["waarover"].weights == (0, 333, 667)
    assert answers["voor_na"].choice == "beter"
    assert "alleen" not in answers  # skipped: no answer at all

    answers, errors = read_signification_form(
        definition,
        {"s_waarover": "0.2,0.2,0.6", "s_waarover_most": "geld", "s_alleen": "nvt"},
        prefix="s_",
    )
    assert answers["waarover"].weights == (200, 200, 600)  # the triangle wins over the fallback
    assert answers["alleen"].not_applicable and answers["alleen"].position is None

    answers, errors = read_signification_form(
        definition, {"s_alleen": "130", "s_waarover_second": "geld", "s_voor_na": "super"}, "s_"
    )
    assert set(errors) == {"alleen", "waarover", "voor_na"} and answers == {}


def test_validate_response_reads_the_text_form_of_each_kind(write_file):
    definition = load_definition(write_file("story.yaml", HEADER + GOOD_FIELDS))

    result = validate_response(
        definition, {"waarover": "1,1,2", "voor_na": "slechter", "alleen": "25"}
    )

    assert result.ok
    assert result.values["waarover"].weight_fractions == (0.25, 0.25, 0.5)
    assert result.values["voor_na"].choice == "slechter"
    assert result.values["alleen"].position == 25
