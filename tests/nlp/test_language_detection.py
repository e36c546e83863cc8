"""Story languages with py3langid's packaged model: primary language and languages found."""

from __future__ import annotations

from nlp.language import StoryLanguages, detect_language, identify_languages, sentences_of

DUTCH = "Sinds ik naar het taalcafé ga, heb ik nieuwe vrienden gemaakt in de buurt."
ARABIC = "منذ أن بدأت أذهب إلى مقهى اللغة لم أعد أشعر بالوحدة."
ENGLISH = "I moved here last year and did not know anyone in the neighbourhood."
TURKISH = "Her hafta mahalle evine gidiyorum ve orada komşularımla çay içiyorum."
POLISH = "Od kiedy chodzę do kawiarenki językowej, nie czuję się już samotna."


def test_one_language_story_has_that_language_only():
    for text, code in ((DUTCH, "nl"), (ARABIC, "ar"), (TURKISH, "tr"), (POLISH, "pl")):
        assert identify_languages(f"{text} {text}") == StoryLanguages(code, (code,))


def test_mixed_story_finds_every_language_and_the_one_most_of_it_is_in():
    mixed = f"{DUTCH} {ARABIC} {DUTCH}"
    assert identify_languages(mixed) == StoryLanguages("nl", ("nl", "ar"))
    switching = (
        f"{ENGLISH}\nNu ga ik elke week naar de buurthuiskamer en praat ik Nederlands met de buren."
    )
    assert set(identify_languages(switching).found) == {"en", "nl"}


def test_a_short_aside_in_another_language_is_not_a_language_of_the_story():
    story = f"{DUTCH} {DUTCH} {DUTCH} {DUTCH} {DUTCH} Thank you all."
    assert identify_languages(story).found == ("nl",)


def test_text_without_letters_is_undetermined():
    assert identify_languages("12345 👍👍 !!") == StoryLanguages("und", ())
    assert detect_language("") == "und"


def test_moroccan_arabic_is_stored_as_arabic():
    assert detect_language("واش نتا مزيان؟ أنا بخير الحمد لله، كنمشي كل سيمانة للجمعية") == "ar"


def test_sentences_split_at_end_marks_and_line_breaks_also_in_arabic():
    assert sentences_of("Eén. Twee!\nDrie? أربعة؟ خمسة") == [
        "Eén.",
        "Twee!",
        "Drie?",
        "أربعة؟",
        "خمسة",
    ]
