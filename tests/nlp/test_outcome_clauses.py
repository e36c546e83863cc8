"""Clause, time and modality features of the outcome model (nlp/outcome/clauses.py)."""

from __future__ import annotations

import pytest

from nlp.outcome.clauses import FEATURE_NAMES, ClauseFeatures
from nlp.outcome.cues import load_outcome_lexicon
from nlp.text_analysis import DutchTextAnalyzer


@pytest.fixture(scope="module")
def features():
    transformer = ClauseFeatures(load_outcome_lexicon()).fit([])
    analyzer = DutchTextAnalyzer({"zat": "zitten", "voelde": "voelen", "used": "use"})

    def of(text: str) -> dict[str, float]:
        row = transformer.transform([analyzer.analyse(text)])[0]
        return dict(zip(FEATURE_NAMES, row.tolist(), strict=True))

    return of


def test_a_better_and_a_worse_clause_across_maar_show_both_directions(features):
    mixed = features("Ik voel me beter, maar de schulden worden erger.")
    assert mixed["clause_max_better"] > 0 and mixed["clause_max_worse"] > 0
    assert mixed["clauses_both"] == 1.0
    assert mixed["opposite_across_break"] == 1.0
    assert mixed["last_clause_worse"] == 1.0
    one_way = features("Ik voel me beter en ik ben opgelucht.")
    assert one_way["clauses_both"] == 0.0 and one_way["clause_max_worse"] == 0.0


def test_a_hoped_for_change_is_counted_apart_from_a_real_one(features):
    hoped = features("Ik hoop dat het volgende maand beter wordt.")
    assert hoped["hypothetical_better"] > 0 and hoped["real_better"] == 0.0
    assert hoped["only_hypothetical_change"] == 1.0
    real = features("Het gaat beter met me.")
    assert real["real_better"] > 0 and real["only_hypothetical_change"] == 0.0


def test_a_turn_from_past_to_now_is_read_with_the_states_on_either_side(features):
    better = features("Vroeger zat ik altijd alleen thuis. Nu heb ik vrienden.")
    assert better["past_then_present"] == 1.0
    assert better["then_bad_now_good"] == 1.0 and better["then_good_now_bad"] == 0.0
    worse = features("I used to be happy with my friends. Now I am lonely.")
    assert worse["then_good_now_bad"] == 1.0 and worse["then_bad_now_good"] == 0.0


def test_still_the_same_without_a_turn_marks_no_change(features):
    assert features("Ik ben nog steeds alleen.")["persist_without_contrast"] == 1.0
    assert features("Vroeger zat ik alleen, nu nog steeds.")["persist_without_contrast"] == 0.0
