"""Validating one response: each rule, its message, and the number and date formats accepted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys import Message, load_definition, validate_response
from surveys.messages import Amount

ALL_TYPES_YAML = """\
id: all-types
version: "1"
title: {nl: Alles, en: Everything}
fields:
  - {name: intro, type: note, label: {nl: Lees dit, en: Read this}}
  - {name: count, type: integer, required: true, min: 0, max: 500, label: {nl: Aantal, en: Count}}
  - {name: free, type: integer, label: Vrij}
  - {name: low, type: integer, min: 1, label: Laag}
  - {name: hours, type: decimal, decimals: 1, min: 0, max: 100, label: {nl: Uren, en: Hours}}
  - {name: remark, type: text, max_length: 10, label: Opmerking}
  - name: kind
    type: select_one
    label: Soort
    choices: [{value: cafe, label: {nl: Buurtcafé, en: Café}}, {value: walk, label: Wandeling}]
  - name: days
    type: select_multiple
    label: Dagen
    choices:
      - {value: mon, label: {nl: Maandag, en: Monday}}
      - {value: tue, label: {nl: Dinsdag, en: Tuesday}}
      - {value: wed, label: {nl: Woensdag, en: Wednesday}}
  - {name: period, type: month, label: Maand}
  - {name: day, type: date, label: Dag}
rules:
  - free != 13
"""


@pytest.fixture(scope="module")
def definition(tmp_path_factory):
    """Module-scoped so that hypothesis tests can use it too."""
    path = tmp_path_factory.mktemp("definitions") / "all_types.yaml"
    path.write_text(ALL_TYPES_YAML, encoding="utf-8")
    return load_definition(path)


def errors_for(definition, **raw):
    """msgids and params per field for this raw response (count defaults to a valid 1)."""
    result = validate_response(definition, {"count": "1", **raw})
    return {
        name: [(m.msgid, dict(m.params)) for m in messages]
        for name, messages in result.errors.items()
    }


def test_a_complete_response_becomes_typed_values(definition):
    result = validate_response(
        definition,
        {
            "count": " 12 ",
            "free": "-3",
            "hours": "12,5",
            "remark": "Fijn\r\nzo",
            "kind": "walk",
            "days": ["tue", "mon"],
            "period": "2024-03",
            "day": "15-03-2024",
            "csrf_token": "ignored",
        },
    )

    assert result.ok, result.errors
    assert result.values == {
        "count": 12,
        "free": -3,
        "low": None,
        "hours": Decimal("12.5"),
        "remark": "Fijn\nzo",
        "kind": "walk",
        "days": ["mon", "tue"],
        "period": dt.date(2024, 3, 1),
        "day": dt.date(2024, 3, 15),
    }


def test_required_field_left_empty_is_an_error_and_optional_ones_are_none(definition):
    result = validate_response(definition, {"count": "  ", "days": []})

    assert [m.msgid for m in result.errors["count"]] == ["This field is required."]
    assert "count" not in result.values
    assert result.values["hours"] is None and result.values["days"] == []


@pytest.mark.parametrize(
    ("field", "raw", "msgid", "params"),
    [
        ("count", "veel", "Must be a whole number between %(min)s and %(max)s.", {"min": 0, "max": 500}),
        ("count", "501", "Must be a whole number between %(min)s and %(max)s.", {"min": 0, "max": 500}),
        ("count", "-1", "Must be a whole number between %(min)s and %(max)s.", {"min": 0, "max": 500}),
        ("count", "12,5", "Must be a whole number between %(min)s and %(max)s.", {"min": 0, "max": 500}),
        ("low", "0", "Must be a whole number of at least %(min)s.", {"min": 1}),
        ("free", "x", "Must be a whole number.", {}),
        ("free", "1,234", "Write the number without a thousands separator, for example %(example)s.",
         {"example": "1234"}),
        ("hours", "100,5", "Must be a number between %(min)s and %(max)s.", {"min": 0, "max": 100}),
        ("hours", "1,25", "Use at most %(decimals)s digit(s) after the decimal comma.", {"decimals": 1}),
        ("hours", "1,234.5", "Write the number without a thousands separator, for example %(example)s.",
         {"example": "1234,5"}),
        ("remark", "elf tekens!", "Must be at most %(max_length)s characters long (now %(length)s).",
         {"max_length": 10, "length": 11}),
        ("kind", "bowling", "Unknown option '%(value)s'; choose from %(options)s.",
         {"value": "bowling", "options": "cafe, walk"}),
        ("days", "mon, sun", "Unknown option '%(value)s'; choose from %(options)s.",
         {"value": "sun", "options": "mon, tue, wed"}),
        ("period", "2024-13", "Must be a month written as YYYY-MM, for example %(example)s.",
         {"example": "2024-03"}),
        ("day", "31-02-2024", "Must be a date written as YYYY-MM-DD or DD-MM-YYYY, for example %(example)s.",
         {"example": "2024-03-15"}),
        ("kind", ["cafe", "walk"], "Give a single answer.", {}),
        ("free", "13", "Must not be %(value)s.", {"value": 13}),
    ],
)  # fmt: skip
def test_each_rule_reports_its_message_with_parameters(definition, field, raw, msgid, params):
    assert errors_for(definition, **{field: raw}) == {field: [(msgid, params)]}


def test_decimals_accept_comma_or_point_and_are_rounded_to_the_allowed_places(definition):
    values = [
        validate_response(definition, {"count": "1", "hours": raw}).values["hours"]
        for raw in ("12", "12.5", "12,50", ",5")
    ]

    assert values == [Decimal("12.0"), Decimal("12.5"), Decimal("12.5"), Decimal("0.5")]


def test_choices_match_values_then_labels_in_any_language_and_case(definition):
    def value_of(name, raw):
        result = validate_response(definition, {"count": "1", name: raw})
        assert result.ok, result.errors
        return result.values[name]

    assert value_of("kind", "Buurtcafé") == "cafe"
    assert value_of("kind", "CAFÉ") == "cafe"
    assert value_of("days", "wed mon") == ["mon", "wed"]
    assert value_of("days", "Dinsdag; Monday") == ["mon", "tue"]
    assert value_of("days", ["tue", "tue"]) == ["tue"]


def test_cross_field_rules_report_on_the_left_field_with_the_definitions_message(
    activity_definition,
):
    raw = {
        "activiteiten": "4",
        "bezoeken": "40",
        "unieke_deelnemers": "50",
        "nieuwe_deelnemers": "60",
        "vrijwilligers": "3",
        "vrijwilligersuren": "10",
        "maaltijden": "0",
        "verwijzingen": "0",
    }

    result = validate_response(activity_definition, raw)

    assert set(result.errors) == {"unieke_deelnemers", "nieuwe_deelnemers"}
    [message] = result.errors["unieke_deelnemers"]
    assert message.render(lang="nl") == "Er kunnen niet meer unieke deelnemers zijn dan bezoeken."
    assert message.render(lang="en") == "There cannot be more unique participants than visits."
    assert message.params["other_value"] == 40
    assert validate_response(
        activity_definition, {**raw, "unieke_deelnemers": "40", "nieuwe_deelnemers": "40"}
    ).ok


def test_a_rule_is_skipped_while_the_other_value_is_missing_or_invalid(activity_definition):
    result = validate_response(activity_definition, {"bezoeken": "veel", "unieke_deelnemers": "50"})

    assert "unieke_deelnemers" not in result.errors
    assert "bezoeken" in result.errors


def test_rule_without_own_message_names_the_other_fields_label_in_the_users_language(tmp_path):
    path = tmp_path / "plain_rule.yaml"
    path.write_text(
        "id: r\nversion: '1'\ntitle: R\nfields:\n"
        "  - {name: a, type: integer, label: {nl: Deel, en: Part}}\n"
        "  - {name: b, type: integer, label: {nl: Geheel, en: Whole}}\n"
        "rules: ['a <= b']\n",
        encoding="utf-8",
    )
    definition = load_definition(path)

    [message] = validate_response(definition, {"a": "5", "b": "3"}).errors["a"]

    assert message.render(lang="en") == "Must not be more than Whole (3)."
    translations = {
        "Must not be more than %(other)s (%(other_value)s).": "Mag niet meer zijn dan %(other)s (%(other_value)s)."
    }
    assert message.render(translations.get, lang="nl") == "Mag niet meer zijn dan Geheel (3)."


def test_message_renders_through_gettext_with_its_parameters():
    message = Message("Must be a whole number between %(min)s and %(max)s.", {"min": 0, "max": 500})

    assert str(message) == "Must be a whole number between 0 and 500."
    assert message.render(lambda msgid: "Tussen %(min)s en %(max)s.") == "Tussen 0 en 500."


@given(number=st.integers(min_value=0, max_value=500))
def test_every_whole_number_in_range_round_trips(definition, number):
    assert validate_response(definition, {"count": str(number)}).values["count"] == number


@given(number=st.decimals(min_value=0, max_value=100, places=1))
def test_every_decimal_with_one_place_round_trips_with_a_decimal_comma(definition, number):
    raw = str(number).replace(".", ",")
    assert validate_response(definition, {"count": "1", "hours": raw}).values["hours"] == number


def test_a_translation_with_broken_format_fields_falls_back_to_english():
    message = Message("Must be at least %(min)s.", {"min": 3})

    assert message.render(lambda msgid: "Minstens %(minimum)s.") == "Must be at least 3."


@pytest.mark.parametrize("raw", ["18.000,00", "18000", "18.000", "18 000", "18000,00"])
def test_dutch_numbers_are_read_as_dutch_people_write_them(write_file, raw):
    definition = load_definition(
        write_file(
            "money.yaml",
            """\
            id: money
            version: "1"
            title: Money
            fields:
              - {name: euros, type: decimal, label: Euros, decimals: 2, max: 50000}
              - {name: people, type: integer, label: People}
            """,
        )
    )

    result = validate_response(definition, {"euros": raw, "people": raw})

    assert result.ok, result.errors
    assert result.values == {"euros": Decimal("18000.00"), "people": 18000}


def test_range_messages_write_their_bounds_in_the_readers_language(definition):
    [message] = validate_response(definition, {"count": "501"}).errors["count"]

    assert message.render(lang="nl") == "Must be a whole number between 0 and 500."
    big = Message("Must be a number of at most %(max)s.", {"max": Amount(Decimal("50000.5"))})
    assert big.render(lang="nl") == "Must be a number of at most 50.000,5."
    assert big.render(lang="en") == "Must be a number of at most 50,000.5."
