"""XLSForm expressions: parsed once, evaluated like XPath, applied to responses in form order."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys import FieldType, check_definition_file, load_definition, validate_response
from surveys.logic_eval import Context, evaluate, holds
from surveys.logic_parser import ExpressionError, parse_expression, references


def value_of(text: str, **values) -> object:
    return evaluate(parse_expression(text), Context(values, today=dt.date(2026, 3, 15)))


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("${a} > 3 and ${b} = 'yes'", {"a": 4, "b": "yes"}, True),
        ("${a} > 3 or not(${b} = 'yes')", {"a": 1, "b": "no"}, True),
        ("${a} > 3", {"a": None}, False),  # an empty answer is no number
        ("${a} = ''", {"a": None}, True),
        ("${a} != ''", {"a": 0}, True),
        ("selected(${days}, 'tue')", {"days": ["mon", "tue"]}, True),
        ("count-selected(${days}) >= 2", {"days": ["mon"]}, False),
        ("string-length(${t}) <= 3", {"t": "abcd"}, False),
        ("regex(${p}, '^[0-9]{4}[A-Z]{2}$')", {"p": "1012AB"}, True),
        ("${a} div 2 = 2.5 and ${a} mod 2 = 1", {"a": 5}, True),
        ("${d} < today()", {"d": dt.date(2026, 3, 1)}, True),
        ("if(${a} > 1, 'many', 'few')", {"a": 2}, "many"),
        ("concat(${a}, '-', ${b})", {"a": 1, "b": "x"}, "1-x"),
        ("-${a} + 2 * 3", {"a": 1}, 5.0),
    ],
)
def test_expressions_evaluate_like_xpath(text, values, expected):
    assert value_of(text, **values) == expected


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("pulldata('a', 'b', 'c', 'd')", "pulldata"),
        ("${a} > ", ""),
        ("/data/a = 1", "/data/a = 1"),
        ("visits > 1", "visits"),
        ("selected(${a})", "selected"),
    ],
)
def test_unsupported_or_broken_expressions_raise_a_message_naming_the_part(text, token):
    with pytest.raises(ExpressionError) as raised:
        parse_expression(text)

    assert raised.value.message.params.get("token", "") == token
    assert raised.value.message.params.get("expression", text) == text


def test_references_lists_every_field_an_expression_reads():
    tree = parse_expression("selected(${a}, 'x') and (${b} + ${c.d}) > 1")

    assert references(tree) == {"a", "b", "c.d"}


@given(st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_comparisons_agree_with_python_for_any_numbers(a, b):
    for op, python in [("<", a < b), ("<=", a <= b), ("=", a == b), ("!=", a != b)]:
        assert holds(parse_expression(f"${{a}} {op} ${{b}}"), Context({"a": a, "b": b})) is python


def test_division_by_zero_and_text_arithmetic_give_nan_not_an_exception():
    assert math.isinf(value_of("1 div 0"))
    assert math.isnan(value_of("'x' + 1"))


LOGIC_SURVEY = [
    ["type", "name", "label", "relevant", "required", "constraint", "constraint_message",
     "choice_filter", "calculation", "parameters"],
    ["select_one yes_no", "children", "Children?", None, "yes"],
    ["integer", "how_many", "How many?", "${children} = 'yes'", "yes", ". > 0 and . < 20"],
    ["text", "postcode", "Postcode", None, None, "regex(., '^[0-9]{4} ?[A-Z]{2}$')",
     "Write a postcode like 1012 AB"],
    ["select one from wijken", "wijk", "Wijk"],
    ["select_one buurten", "buurt", "Buurt", None, "${wijk} != ''", None, None,
     "wijk = ${wijk}"],
    ["range", "mark", "Mark", None, None, None, None, None, None, "start=1 end=10 step=1"],
    ["calculate", "double", None, None, None, None, None, None, "${how_many} * 2"],
    ["note", "summary", "You have ${double} half-children", "${double} > 10"],
]  # fmt: skip
LOGIC_CHOICES = [
    ["list_name", "name", "label", "wijk"],
    ["yes_no", "yes", "Yes"],
    ["yes_no", "no", "No"],
    ["wijken", "noord", "Noord"],
    ["wijken", "zuid", "Zuid"],
    ["buurten", "b1", "Buurt 1", "noord"],
    ["buurten", "b2", "Buurt 2", "zuid"],
]


@pytest.fixture
def logic_form(write_xlsx):
    return load_definition(
        write_xlsx("logic.xlsx", {"survey": LOGIC_SURVEY, "choices": LOGIC_CHOICES})
    )


def test_skip_logic_drops_hidden_answers_and_their_required_check(logic_form):
    result = validate_response(logic_form, {"children": "no", "how_many": "30"})

    assert result.ok
    assert result.values["how_many"] is None and result.values["double"] is None


def test_shown_question_is_required_and_its_constraint_checked(logic_form):
    missing = validate_response(logic_form, {"children": "yes"})
    too_many = validate_response(logic_form, {"children": "yes", "how_many": "25"})
    fine = validate_response(logic_form, {"children": "yes", "how_many": "6"})

    assert missing.errors["how_many"][0].msgid == "This field is required."
    assert too_many.errors["how_many"][0].params == {"min": 1, "max": 19}
    assert fine.ok and fine.values["double"] == 12


def test_expression_constraint_uses_the_authors_message(logic_form):
    result = validate_response(logic_form, {"children": "no", "postcode": "12345"})

    assert result.errors["postcode"][0].render(lang="nl") == "Write a postcode like 1012 AB"
    assert validate_response(logic_form, {"children": "no", "postcode": "1012 AB"}).ok


def test_required_expression_and_choice_filter_follow_the_earlier_answer(logic_form):
    needs_buurt = validate_response(logic_form, {"children": "no", "wijk": "noord"})
    wrong_buurt = validate_response(logic_form, {"children": "no", "wijk": "noord", "buurt": "b2"})

    assert needs_buurt.errors["buurt"][0].msgid == "This field is required."
    assert wrong_buurt.errors["buurt"][0].params == {"value": "b2"}
    assert validate_response(logic_form, {"children": "no", "wijk": "zuid", "buurt": "b2"}).ok


def test_range_becomes_a_bounded_number_and_select_one_from_spelling_is_read(logic_form):
    mark = logic_form.field("mark")

    assert (mark.type, mark.min, mark.max) == (FieldType.INTEGER, 1, 10)
    assert logic_form.field("wijk").type is FieldType.SELECT_ONE
    assert validate_response(logic_form, {"children": "no", "mark": "11"}).errors["mark"]


def test_reference_to_a_missing_question_is_reported_on_its_cell(write_xlsx):
    survey = [["type", "name", "label", "relevant"], ["integer", "a", "A", "${b} > 1"]]

    [problem] = check_definition_file(write_xlsx("ref.xlsx", {"survey": survey}))

    assert (problem.row, problem.column, problem.message.params["name"]) == (2, "relevant", "b")


def test_time_datetime_and_acknowledge_questions_are_read(write_xlsx):
    survey = [
        ["type", "name", "label"],
        ["time", "start_time", "Start"],
        ["dateTime", "moment", "Moment"],
        ["acknowledge", "agree", "I agree"],
    ]
    definition = load_definition(write_xlsx("kinds.xlsx", {"survey": survey}))

    result = validate_response(
        definition, {"start_time": "14.30", "moment": "15-03-2024 09:05", "agree": "OK"}
    )

    assert [f.type for f in definition.fields] == [
        FieldType.TIME,
        FieldType.DATETIME,
        FieldType.SELECT_ONE,
    ]
    assert result.values == {
        "start_time": dt.time(14, 30),
        "moment": dt.datetime(2024, 3, 15, 9, 5),
        "agree": "OK",
    }
    wrong = validate_response(definition, {"start_time": "25:00", "moment": "morgen"})
    assert wrong.errors["start_time"][0].params == {"example": "14:30"}
    assert wrong.errors["moment"][0].params == {"example": "2024-03-15 14:30"}


def test_kobo_blocks_repeats_and_trigger_columns_leave_the_rest_of_the_form_usable(write_xlsx):
    survey = [
        ["type", "name", "label", "relevant", "trigger"],
        ["integer", "visits", "Visits", None, "${kids}"],
        ["begin_repeat", "people", "People"],
        ["integer", "kids", "Kids"],
        ["end_repeat"],
        ["begin_kobomatrix", "grid", "Grid"],
        ["text", "cell", "Cell"],
        ["end_kobomatrix"],
        ["text", "why", "Why?", "${kids} > 0"],
    ]

    problems = check_definition_file(write_xlsx("kobo.xlsx", {"survey": survey}))
    definition = load_definition(write_xlsx("kobo.xlsx", {"survey": survey}))

    assert all(p.warning for p in problems)
    assert {(p.row, p.column) for p in problems} == {(2, "trigger"), (3, "type"), (6, "type")}
    assert [f.name for f in definition.fields] == ["visits", "why"]
    # A question left out counts as empty, so what depends on it stays hidden.
    assert validate_response(definition, {"visits": "2", "why": "x"}).values["why"] is None
