"""Cohen's kappa checked against hand-computed values."""

import pytest

from nlp.agreement import cohens_kappa


def test_kappa_matches_hand_computed_example():
    # 10 items: both yes 4, both no 3, A yes/B no 2, A no/B yes 1.
    a = [1] * 4 + [0] * 3 + [1] * 2 + [0]
    b = [1] * 4 + [0] * 3 + [0] * 2 + [1]
    # p_o = 0.7; p_yes(A)=0.6, p_yes(B)=0.5 -> p_e = 0.3 + 0.2 = 0.5; kappa = 0.4
    assert cohens_kappa(a, b) == pytest.approx(0.4)


def test_perfect_and_chance_agreement():
    assert cohens_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == pytest.approx(1.0)
    assert cohens_kappa([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.0)
    assert cohens_kappa([1, 1, 1], [1, 1, 1]) == 1.0
    assert cohens_kappa([], []) is None


def test_kappa_refuses_unequal_lengths():
    with pytest.raises(ValueError):
        cohens_kappa([1], [1, 0])
