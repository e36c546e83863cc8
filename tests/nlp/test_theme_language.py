"""The light language identifier: Dutch and English read, other languages marked."""

import pytest

from nlp.language import detect_language

CASES = {
    "dutch_sentence": ("Sinds ik hier kom voel ik me niet meer alleen.", "nl"),
    "dutch_short_without_stop_words": ("top georganiseerd!!", "nl"),
    "dutch_short_note": ("knie doet weer pijn", "nl"),
    "english_short": ("Feeling lonely since my wife died", "en"),
    "english_money": ("I cannot pay my rent", "en"),
    "english_two_words": ("nice group, thanks", "en"),
    "turkish": ("Çok yalnızım, kimse beni aramıyor", "tr"),
    "polish": ("Nie mam pieniędzy na jedzenie", "pl"),
    "arabic_script": ("أنا وحيد جدا ولا أحد يزورني", "ar"),
    "russian_cyrillic": ("Я очень одинок", "ru"),
    "german": ("Ich bin so allein seit mein Mann gestorben ist", "de"),
    "french": ("Je suis seule depuis la mort de mon mari", "fr"),
    "spanish": ("No tengo dinero para pagar el alquiler", "es"),
    "emoji_only": ("👍👍", "und"),
    "digits_only": ("12345", "und"),
    "dutch_with_accents": ("Één café, één idee: geïnteresseerd?", "nl"),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_detect_language(text: str, expected: str):
    assert detect_language(text) == expected


def test_extra_vocabulary_counts_as_evidence():
    assert detect_language("boodschappenlijstje", {"nl": {"boodschappenlijstje"}}) == "nl"
