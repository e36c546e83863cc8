"""The part of a story the classifiers read: its Dutch and English sentences, in order."""

from __future__ import annotations

import pytest

from nlp.classify import ThemeClassifier
from nlp.language import identify_languages, languages_not_read, readable_part

TURKISH_LONELY = "Üç yıldır bu mahallede yaşıyorum ama hâlâ kimseyi tanımıyorum, çok yalnızım."
TURKISH_FAMILY = "Çocuklarım başka şehirde oturuyor ve beni nadiren arıyorlar."
DUTCH_MONEY = "De huur is weer omhoog gegaan en ik kan de energierekening niet meer betalen."
DUTCH_HELP = "Bij het geldloket helpen ze me nu met een betalingsregeling."
ENGLISH = "I only moved here in March and I still don't know a single neighbour."


def test_dutch_part_of_a_half_turkish_story_is_read_in_order():
    story = f"{TURKISH_LONELY} {DUTCH_MONEY} {TURKISH_FAMILY} {DUTCH_HELP}"
    part = readable_part(story)
    assert part.text == f"{DUTCH_MONEY} {DUTCH_HELP}"
    assert part.left_out == ("tr",) and not part.complete
    assert [story[start:end] for start, end in part.spans] == [DUTCH_MONEY, DUTCH_HELP]


def test_dutch_and_english_are_both_read():
    story = f"{ENGLISH}\n{DUTCH_MONEY}"
    part = readable_part(story)
    assert part.text == story and part.complete


def test_a_single_language_text_is_returned_unchanged():
    story = f"  {DUTCH_MONEY}\n\n{DUTCH_HELP}  "
    assert readable_part(story).text == story


def test_short_sentences_follow_the_sentence_before_them():
    story = f"{DUTCH_MONEY} Echt! {TURKISH_LONELY} Çok üzgünüm. {DUTCH_HELP}"
    part = readable_part(story)
    assert part.text == f"{DUTCH_MONEY} Echt! {DUTCH_HELP}"
    assert part.left_out == ("tr",)
    assert readable_part(f"Ja! {DUTCH_HELP}").text == f"Ja! {DUTCH_HELP}"


def test_a_short_sentence_the_model_is_sure_of_is_left_out():
    assert readable_part(f"{DUTCH_HELP} Dziękuję bardzo.").text == DUTCH_HELP


def test_a_quote_in_another_language_inside_a_dutch_sentence_stays():
    story = 'Mijn buurvrouw zei "Allah razı olsun, komşum" en toen voelde ik me minder alleen.'
    assert readable_part(story).text == story


def test_a_quoted_sentence_in_another_language_is_left_out():
    story = f'{DUTCH_HELP} Mijn moeder zei altijd: "{TURKISH_FAMILY}" {DUTCH_MONEY}'
    part = readable_part(story)
    assert TURKISH_FAMILY not in part.text
    assert DUTCH_HELP in part.text and DUTCH_MONEY in part.text
    assert part.left_out == ("tr",)


def test_a_text_with_no_readable_part():
    part = readable_part(f"{TURKISH_LONELY} {TURKISH_FAMILY}")
    assert (part.text, part.spans, part.left_out) == ("", (), ("tr",))
    assert readable_part("Nie mam pieniędzy na czynsz.").left_out == ("pl",)


def test_text_without_letters_is_kept():
    assert readable_part("12345 👍👍 !!").text == "12345 👍👍 !!"
    assert readable_part("") == readable_part("")
    assert readable_part("").text == "" and readable_part("").left_out == ()


@pytest.mark.parametrize(
    "story",
    [
        f"{DUTCH_MONEY} {DUTCH_HELP}",
        f"{ENGLISH} {DUTCH_HELP}",
        f"{ENGLISH} {ENGLISH}",
        f"{TURKISH_LONELY} {DUTCH_MONEY} {TURKISH_FAMILY} {DUTCH_HELP}",
        f"{ENGLISH} {TURKISH_FAMILY} {ENGLISH}",
        "knie doet weer pijn",
        "12345",
    ],
)
def test_the_language_of_what_is_read_follows_the_rule_of_identify_languages(story):
    part = readable_part(story)
    assert part.language == identify_languages(part.text).primary


def test_a_text_with_nothing_readable_has_the_language_it_is_in():
    assert readable_part(f"{TURKISH_LONELY} {TURKISH_FAMILY}").language == "tr"
    assert readable_part("").language == "und"


def test_languages_not_read_are_the_ones_besides_dutch_english_and_undetermined():
    assert languages_not_read(["nl", "tr", "en", "und", "ar"]) == ["tr", "ar"]
    assert languages_not_read(None) == []


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    return ThemeClassifier.load()


def test_half_turkish_story_gets_themes_from_its_dutch_part(classifier: ThemeClassifier):
    story = f"{TURKISH_LONELY} {DUTCH_MONEY} {TURKISH_FAMILY} {DUTCH_HELP}"
    result = classifier.predict([story])[0]
    assert result.language == "nl" and result.left_out == ["tr"]
    assert result.labels == ["armoede"]  # the loneliness is in the Turkish part: a human reads it
    assert result.text_read == f"{DUTCH_MONEY} {DUTCH_HELP}"
    assert "text_read" not in result.to_dict()


def test_story_with_nothing_readable_is_marked_with_its_language(classifier: ThemeClassifier):
    result = classifier.predict([f"{TURKISH_LONELY} {TURKISH_FAMILY}"])[0]
    assert (result.labels, result.scores, result.language) == ([], {}, "tr")
    assert result.left_out == ["tr"] and not result.readable


def test_dutch_story_is_read_whole(classifier: ThemeClassifier):
    story = f"{DUTCH_MONEY} {DUTCH_HELP}"
    result = classifier.predict([story])[0]
    assert result.text_read == story and result.left_out == [] and result.readable
