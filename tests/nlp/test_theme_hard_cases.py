"""The shipped theme model on named hard cases: relief, negation, confusers, implicit cues,
short English texts and stories in other languages."""

import pytest

from nlp.classify import ThemeClassifier

# name: (text, themes that must be assigned, themes that must not be assigned)
HARD_CASES = {
    "relief_no_longer_alone": (
        "Sinds ik hier kom voel ik me niet meer alleen.",
        {"eenzaamheid"},
        {"armoede", "gezondheid"},
    ),
    "relief_finally_someone_to_talk_to": (
        "Eindelijk iemand om mee te praten op dinsdagmiddag.",
        {"eenzaamheid"},
        {"armoede"},
    ),
    "relief_debts_paid_off_with_help": (
        "De schulden zijn afbetaald dankzij het schuldhulpmaatje.",
        {"armoede"},
        {"eenzaamheid"},
    ),
    "negation_no_pain_anymore_after_operation": (
        "Na de operatie heb ik eindelijk geen pijn meer in mijn heup.",
        {"gezondheid"},
        {"eenzaamheid"},
    ),
    "negation_nobody_calls": ("Niemand belt me ooit.", {"eenzaamheid"}, {"armoede", "gezondheid"}),
    "alleen_means_only_opening_hours": (
        "We zijn alleen op dinsdag en vrijdag open.",
        set(),
        {"eenzaamheid"},
    ),
    "alleen_means_only_weather": (
        "Alleen jammer dat het regende, verder een top dag.",
        set(),
        {"eenzaamheid"},
    ),
    "arm_body_part_box_under_arm": (
        "Hij kwam binnen met een doos onder de arm.",
        set(),
        {"armoede", "gezondheid"},
    ),
    "arm_body_part_broken_is_health_not_poverty": (
        "Ik heb mijn arm gebroken bij het fietsen.",
        {"gezondheid"},
        {"armoede"},
    ),
    "figurative_healthy_discussion": (
        "Het was een gezonde discussie over de kleur van de bankjes.",
        set(),
        {"gezondheid"},
    ),
    "figurative_sick_of_the_bus": (
        "Ik werd er ziek van dat de bus weer te laat was.",
        set(),
        {"gezondheid"},
    ),
    "neutral_money_for_playground": (
        "We hebben geld opgehaald voor de nieuwe speeltuin.",
        set(),
        {"armoede"},
    ),
    "implicit_money_end_of_month": (
        "Aan het eind van de maand is er niets over.",
        {"armoede"},
        {"gezondheid"},
    ),
    "implicit_money_heating_off": (
        "De verwarming blijft uit, de energierekening is te hoog.",
        {"armoede"},
        set(),
    ),
    "implicit_money_swimming_lessons": (
        "Ik kan de zwemles van mijn zoon niet betalen.",
        {"armoede"},
        set(),
    ),
    "implicit_loneliness_quiet_house_on_sunday": (
        "Op zondag is het zo stil in huis.",
        {"eenzaamheid"},
        {"armoede"},
    ),
    "implicit_loneliness_children_never_visit": (
        "Mijn kinderen komen nooit meer op bezoek.",
        {"eenzaamheid"},
        set(),
    ),
    "implicit_health_knee": ("Mijn knie doet zeer als ik de trap op ga.", {"gezondheid"}, set()),
    "implicit_health_sugar": (
        "Mijn suiker is te hoog en ik moet insuline spuiten.",
        {"gezondheid"},
        set(),
    ),
    "implicit_health_sleep_and_worry": (
        "Ik slaap slecht en pieker de hele nacht.",
        {"gezondheid"},
        set(),
    ),
    "misspelled_loneliness": ("ik voel me zo eenzaamhied", {"eenzaamheid"}, set()),
    "english_short_rent": ("Can't pay the rent this month.", {"armoede"}, {"gezondheid"}),
    "english_short_knee": ("My knee hurts again.", {"gezondheid"}, {"armoede"}),
    "english_short_lonely": (
        "Lonely since I moved here, I don't know anyone.",
        {"eenzaamheid"},
        set(),
    ),
    "english_short_party_has_no_theme": ("Great party, thanks to all volunteers!", set(), None),
    "two_themes_alone_and_empty_fridge": (
        "Alleen thuis en de koelkast is leeg.",
        {"eenzaamheid", "armoede"},
        set(),
    ),
    "street_party_has_no_theme": ("Het straatfeest was hartstikke leuk.", set(), None),
}


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return ThemeClassifier.load()


@pytest.mark.parametrize("text, required, forbidden", HARD_CASES.values(), ids=HARD_CASES.keys())
def test_hard_case(classifier: ThemeClassifier, text: str, required: set, forbidden):
    result = classifier.predict([text])[0]
    labels = set(result.labels)
    assert required <= labels, result
    if forbidden is None:
        assert labels == required, result
    else:
        assert not labels & forbidden, result


@pytest.mark.parametrize(
    "text, language",
    [
        ("Çok yalnızım, kimse beni aramıyor.", "tr"),
        ("Nie mam pieniędzy na czynsz.", "pl"),
        ("لا أحد يزورني منذ وفاة زوجي", "ar"),
    ],
    ids=["turkish", "polish", "arabic"],
)
def test_foreign_language_is_marked_not_misread(classifier: ThemeClassifier, text, language):
    result = classifier.predict([text])[0]
    assert result.language == language
    assert result.labels == [] and result.scores == {}


def test_dutch_and_english_get_a_score_for_every_theme(classifier: ThemeClassifier):
    for result in classifier.predict(["Ik ben moe.", "I am tired."]):
        assert set(result.scores) == set(classifier.theme_keys)
        assert all(0.0 <= score <= 1.0 for score in result.scores.values())
    assert [r.language for r in classifier.predict(["Ik ben moe.", "I am tired."])] == ["nl", "en"]


def test_results_carry_the_model_version(classifier: ThemeClassifier):
    assert classifier.version.startswith("themes-")
    assert classifier.predict(["Hallo"])[0].model_version == classifier.version
