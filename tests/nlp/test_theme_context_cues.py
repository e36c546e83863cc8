"""Context combinations of the cue features: money amounts beside a price or a collection,
living alone beside contentment, health words beside work (nlp/cue_features.py)."""

import pickle

import numpy as np
import pytest

from nlp.cue_features import AMOUNT, CURRENCY, CueFeatures, theme_cues
from nlp.cue_lexicon import CueLexicon, load_cue_lexicon
from nlp.text_analysis import DutchTextAnalyzer, packaged_lemma_table


@pytest.fixture(scope="module")
def analyzer():
    return DutchTextAnalyzer(packaged_lemma_table("nl"))


@pytest.fixture(scope="module")
def lexicon():
    return load_cue_lexicon(known_words=packaged_lemma_table("nl").keys())


def combinations(lexicon, analyzer, text: str, theme: str) -> set[tuple[str, str]]:
    return set(theme_cues(lexicon, analyzer.analyse(text))[theme].combination_sentences)


@pytest.mark.parametrize(
    "text",
    [
        "We haalden € 87,- op voor het goede doel.",
        "De entree is 5 euro per persoon.",
        "Met de subsidie van 3.500 eur kochten we een koelkast.",
    ],
)
def test_an_amount_beside_a_price_or_collection_is_a_money_purpose(lexicon, analyzer, text):
    assert (AMOUNT, "money_purpose") in combinations(lexicon, analyzer, text, "armoede")


def test_an_amount_beside_a_shortage_is_not_a_money_purpose(lexicon, analyzer):
    found = combinations(lexicon, analyzer, "Ik kan die 40 euro echt niet betalen.", "armoede")
    assert (AMOUNT, "cannot_afford") in found
    assert (AMOUNT, "money_purpose") not in found


@pytest.mark.parametrize(
    "text", ["Geld is een probleem, de euro is gevallen.", "Er lagen 20 boeken op tafel."]
)
def test_an_amount_needs_a_number_next_to_a_currency_word(lexicon, analyzer, text):
    assert not any(AMOUNT in pair for pair in combinations(lexicon, analyzer, text, "armoede"))


def test_an_amount_sentence_without_theme_cues_counts_only_for_combinations(lexicon, analyzer):
    # "€ 87" names no armoede cue: the sentence feeds the combination, not the cue counts
    cues = theme_cues(lexicon, analyzer.analyse("We haalden € 87 op. Dankzij jullie!"))["armoede"]
    assert (AMOUNT, "money_purpose") in cues.combination_sentences
    assert not cues.affirmative and not cues.cue_sentences and not cues.relief_sentences


def test_living_alone_with_contentment_differs_from_living_alone_without(lexicon, analyzer):
    content = combinations(
        lexicon, analyzer, "Ik woon alleen en geniet van de rust.", "eenzaamheid"
    )
    lonely = combinations(lexicon, analyzer, "Ik woon alleen en niemand belt me.", "eenzaamheid")
    assert ("alone_state", "contentment") in content
    assert ("alone_state", "contentment") not in lonely


def test_health_words_at_work_have_a_work_context(lexicon, analyzer):
    found = combinations(
        lexicon, analyzer, "Ik werk als verpleegkundige in het ziekenhuis.", "gezondheid"
    )
    assert ("health_words", "work_context") in found
    ill = combinations(lexicon, analyzer, "Ik lag drie weken in het ziekenhuis.", "gezondheid")
    assert ("health_words", "work_context") not in ill


def test_a_lexicon_without_currency_words_keeps_its_features(lexicon, analyzer):
    """Models saved before the context categories carry a lexicon without them; their cue
    features must not change."""
    modifiers = {k: v for k, v in lexicon.modifiers.items() if k != CURRENCY}
    old = CueLexicon(lexicon.themes.values(), modifiers)
    texts = ["We haalden € 87 op. Dankzij jullie!", "Ik kan die 40 euro niet betalen."]
    analysed = [analyzer.analyse(text) for text in texts]
    for text in analysed:
        assert not any(
            AMOUNT in pair for pair in theme_cues(old, text)["armoede"].combination_sentences
        )
    features = CueFeatures(old).fit(analysed)
    rows = features.transform(analysed)
    names = list(features.get_feature_names_out())
    amount_columns = [i for i, name in enumerate(names) if "amount" in name]
    assert amount_columns and np.all(rows[:, amount_columns] == 0)


def test_context_categories_are_known_apart_from_modifiers_and_survive_saving(lexicon):
    assert {CURRENCY, "money_purpose", "contentment", "work_context"} <= lexicon.contexts
    assert "negation" not in lexicon.contexts and "negation" in lexicon.modifiers
    loaded = pickle.loads(pickle.dumps(lexicon))
    assert loaded.contexts == lexicon.contexts and loaded.modifiers == lexicon.modifiers
