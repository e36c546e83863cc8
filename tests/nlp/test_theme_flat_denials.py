"""Flat denials of a theme are left out when it is scored (nlp/denials.py): a text that only
denies gets no theme; relief stories, contrasts and other evidence keep it."""

from pathlib import Path

import pytest

from nlp.classify import ThemeClassifier
from nlp.denials import DenialRules, load_denial_rules, texts_without
from nlp.themes import DataFileError

# text: themes that must not be assigned (the text only denies them)
DENIALS = {
    "issue_14_lonely": ("Ik ben helemaal niet eenzaam, ik heb genoeg mensen om me heen", set()),
    "issue_14_money": ("Ik heb geen geldproblemen, we redden ons prima.", set()),
    "lonely_inverted": ("Eenzaam ben ik nooit geweest, mijn kinderen komen elke week.", set()),
    "lonely_hoor": ("Ik voel me niet eenzaam hoor, ik heb genoeg vrienden.", set()),
    "healthy": ("Ik mankeer niks, ik ben kerngezond.", set()),
    "english_lonely": ("I never feel lonely, I have plenty of friends.", set()),
    "english_money": ("We have no money worries, we manage fine.", set()),
    "english_healthy": ("I'm perfectly healthy, nothing wrong with me.", set()),
    "alone_but_not_lonely": ("Ik ben alleen maar niet eenzaam.", set()),
    "english_alone_but_not_lonely": ("I live alone but not lonely.", set()),
    "conceded_living_alone": ("Ik woon alleen, maar ik ben nooit eenzaam.", set()),
    "english_conceded_living_alone": ("I live on my own but I'm never lonely.", set()),
    "money_inverted": ("Geldproblemen hebben wij niet, ik kom hier voor de koffie.", set()),
    "not_because_lonely": ("Ik kom niet omdat ik eenzaam ben, ik kom voor het biljarten.", set()),
    "certainly_not_alone": ("Zeker niet alleen: mijn dochter woont om de hoek.", set()),
    "no_health_problems": ("Ik heb geen gezondheidsproblemen en ga nooit naar de dokter.", set()),
}

# text: themes that must stay assigned
KEPT = {
    "relief_not_lonely_since": (
        "Ik ben niet meer eenzaam sinds ik bij de koffieochtend kom.",
        {"eenzaamheid"},
    ),
    "negated_money_is_no_denial": (
        "Ik heb niet genoeg geld en kan niet alles betalen.",
        {"armoede"},
    ),
    "relief_no_debts_thanks_to": ("Ik heb geen schulden meer dankzij de schuldhulp.", {"armoede"}),
    "relief_now_no_longer": (
        "Ik ben nu niet meer eenzaam, want ik ga elke week naar het buurthuis.",
        {"eenzaamheid"},
    ),
    "relief_english_anymore": (
        "I'm not lonely anymore since I joined the walking group.",
        {"eenzaamheid"},
    ),
    "relief_english_thanks_to": (
        "We have no debts anymore thanks to the debt counsellor.",
        {"armoede"},
    ),
    "contrast_maar_quiet_house": (
        "Ik ben niet eenzaam, maar sinds mijn man is overleden is het wel erg stil in huis.",
        {"eenzaamheid"},
    ),
    "contrast_maar_energy_bill": (
        "Ik heb geen geldzorgen, maar de energierekening kan ik deze maand niet betalen.",
        {"armoede"},
    ),
    "contrast_but_nobody_visits": (
        "I'm not lonely, but since my wife died nobody visits me anymore.",
        {"eenzaamheid"},
    ),
    "contrast_but_rent": (
        "We have no money problems, but we can't pay the rent this month.",
        {"armoede"},
    ),
    "contrast_until_heart_attack": (
        "Ik was altijd kerngezond, tot ik vorig jaar een hartinfarct kreeg.",
        {"gezondheid"},
    ),
    "denial_of_one_theme_keeps_another": (
        "Ik heb geen geldproblemen. Wel heb ik veel pijn in mijn rug en ga ik twee keer per week "
        "naar de fysiotherapeut.",
        {"gezondheid"},
    ),
    "denial_for_self_neighbour_alone": (
        "Ik ben helemaal niet eenzaam, maar mijn buurvrouw zit de hele dag alleen en niemand "
        "komt bij haar.",
        {"eenzaamheid"},
    ),
}


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return ThemeClassifier.load()


@pytest.mark.parametrize("text, required", DENIALS.values(), ids=DENIALS.keys())
def test_text_that_only_denies_gets_no_theme(classifier: ThemeClassifier, text, required):
    result = classifier.predict([text])[0]
    assert set(result.labels) == required, result


@pytest.mark.parametrize("text, required", KEPT.values(), ids=KEPT.keys())
def test_relief_contrast_and_other_evidence_keep_the_theme(classifier, text, required):
    result = classifier.predict([text])[0]
    assert required <= set(result.labels), result


def test_other_theme_is_not_denied_by_a_money_denial(classifier: ThemeClassifier):
    text = KEPT["denial_of_one_theme_keeps_another"][0]
    result = classifier.predict([text])[0]
    assert "armoede" not in result.labels and "gezondheid" in result.labels, result


def test_only_the_denied_theme_is_scored_without_the_clause(classifier: ThemeClassifier):
    text = DENIALS["issue_14_lonely"][0]
    without_rules = ThemeClassifier(classifier.bundle, classifier.path, DenialRules({}, {}))
    plain = without_rules.predict([text])[0].scores
    denied = classifier.predict([text])[0].scores
    assert denied["eenzaamheid"] < plain["eenzaamheid"]
    assert denied["armoede"] == plain["armoede"] and denied["gezondheid"] == plain["gezondheid"]


def test_evidence_shows_the_denial_and_no_cue_inside_it(classifier: ThemeClassifier):
    text = "Ik ben helemaal niet eenzaam, ik heb genoeg mensen om me heen."
    evidence = classifier.explain(text, "eenzaamheid")
    denials = [e for e in evidence if e["kind"] == "denial"]
    assert [e["text"] for e in denials] == [
        "Ik ben helemaal niet eenzaam",
        "ik heb genoeg mensen om me heen",
    ]
    assert denials[0]["detail"] == "denial:helemaal niet eenzaam" and denials[0]["weight"] > 0
    assert not [e for e in evidence if e["kind"] in ("cue", "ngram")]


def test_clauses_are_left_out_from_the_text(classifier: ThemeClassifier):
    analysed = classifier.analyzer.analyse(
        "Ik heb geen geldproblemen, maar mijn knie doet zeer. Verder gaat alles goed."
    )
    denials = [d for d in classifier.denials_in(analysed) if d.theme == "armoede"]
    assert texts_without(analysed, denials) == "maar mijn knie doet zeer. Verder gaat alles goed."


def _lexicon_dir(tmp_path: Path, denials: str, guards: str) -> Path:
    (tmp_path / "armoede.yaml").write_text(
        f"theme: armoede\ncategories:\n  money: [geld]\n{denials}", encoding="utf8"
    )
    (tmp_path / "modifiers.yaml").write_text(
        f"modifiers:\n  negation: [geen]\n{guards}", encoding="utf8"
    )
    return tmp_path


def test_rules_are_read_from_the_lexicon_files(tmp_path, classifier: ThemeClassifier):
    directory = _lexicon_dir(
        tmp_path, "denials: [geen geldzorgen]\n", "denial_guards:\n  change: [meer]\n"
    )
    rules = load_denial_rules(directory)
    assert rules.denials == {"armoede": ["geen geldzorgen"]}
    found = rules.find(classifier.analyzer.analyse("Wij hebben geen geldzorgen."), None)
    assert [(d.theme, d.first_token, d.end_token) for d in found] == [("armoede", 0, 5)]
    changed = classifier.analyzer.analyse("Wij hebben geen geldzorgen meer.")
    assert rules.find(changed, None) == []


def test_a_bad_denials_entry_names_the_file_and_line(tmp_path):
    directory = _lexicon_dir(tmp_path, "denials: {geen: geldzorgen}\n", "")
    with pytest.raises(DataFileError, match=r"armoede\.yaml:4: denials must be a list"):
        load_denial_rules(directory)


def test_an_unknown_guard_is_refused(tmp_path):
    directory = _lexicon_dir(tmp_path, "", "denial_guards:\n  chnage: [meer]\n")
    with pytest.raises(DataFileError, match="unknown denial guards"):
        load_denial_rules(directory)
