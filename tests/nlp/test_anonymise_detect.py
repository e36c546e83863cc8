"""Detection of each kind of personal data, with positive and negative examples.

Development examples written for these tests (not taken from the annotated test set)."""

from __future__ import annotations

import pytest

from nlp.anonymise import Deidentifier, PiiType, Span, detect_personal_data


@pytest.fixture(scope="module")
def engine() -> Deidentifier:
    return Deidentifier()


def found(engine: Deidentifier, text: str) -> list[tuple[str, str]]:
    spans = engine.detect(text)
    for span in spans:
        assert text[span.start : span.end] == span.text
    return [(str(s.type), s.text) for s in spans]


def of_type(engine: Deidentifier, text: str, pii_type: PiiType) -> list[str]:
    return [s.text for s in engine.detect(text) if s.type is pii_type]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Gisteren kwam Wessel langs om de fietsen te maken.", "Wessel"),
        ("'Kom gerust langs,' zegt Yusra (34) uit de wijk.", "Yusra"),
        ("De brief was ondertekend door mevrouw De Groot.", "De Groot"),
        ("We spraken met meneer van der Meulen over de lift.", "van der Meulen"),
        ("Wethouder is nog niet gekozen, maar Kerem Aydın helpt mee.", "Kerem Aydın"),
        ("Op de foto staat Mohamed el Khattabi met zijn dochter.", "Mohamed el Khattabi"),
        ("Met vriendelijke groet,\nA.J. Postma", "A.J. Postma"),
        ("Mijn buurvrouw Wiesława bakt elke week brood.", "Wiesława"),
        ("Haar zoon Tesfay zit in groep zeven.", "Tesfay"),
        ("Het kookclubje van Ravi Ramdin draait al jaren.", "Ravi Ramdin"),
        ("ik heb met hatice afgesproken bij de school", "hatice"),
    ],
)
def test_person_names_are_found_without_titles(engine: Deidentifier, text: str, name: str) -> None:
    assert name in of_type(engine, text, PiiType.PERSOON)


@pytest.mark.parametrize(
    "text",
    [
        "We haalden brood bij Albert Heijn en kleding bij het Leger des Heils.",
        "De Voedselbank Rotterdam deelt pakketten uit in Buurthuis De Ster.",
        "Bewoners uit Overvecht, Kanaleneiland en Rotterdam-Zuid kwamen kijken.",
        "Een roos voor de koning, zei de bakker tegen de visser.",
        "Op woensdag is de inloop open van 10.00 tot 12.00 uur.",
        "De lessen Nederlands en Engels beginnen in september.",
    ],
)
def test_organisations_places_and_common_words_are_no_persons(
    engine: Deidentifier, text: str
) -> None:
    assert of_type(engine, text, PiiType.PERSOON) == []


def test_ambiguous_name_needs_a_capital_mid_sentence(engine: Deidentifier) -> None:
    text = "Ik plukte een roos voor Roos."
    assert of_type(engine, text, PiiType.PERSOON) == ["Roos"]


def test_a_name_found_once_is_found_everywhere_in_the_text(engine: Deidentifier) -> None:
    text = "Zorano Ivić opende de deur. Later bracht Zorano soep."
    assert of_type(engine, text, PiiType.PERSOON) == ["Zorano Ivić", "Zorano"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Ze woont op de Kerkstraat 12a in Utrecht.", "Kerkstraat 12a"),
        ("Adres: Oude Binnenweg 125-3 3-hoog", "Oude Binnenweg 125-3 3-hoog"),
        ("Het pand aan de Burgemeester de Vlugtlaan 4 is dicht.", "Burgemeester de Vlugtlaan 4"),
        ("We lopen elke dag over de Westersingel naar huis.", "Westersingel"),
        ("Het feest is op de Laan van Meerdervoort 20.", "Laan van Meerdervoort 20"),
    ],
)
def test_addresses_with_and_without_house_numbers(
    engine: Deidentifier, text: str, address: str
) -> None:
    assert of_type(engine, text, PiiType.ADRES) == [address]


def test_house_numbers_without_street_are_no_address(engine: Deidentifier) -> None:
    assert of_type(engine, "De buren van nummer 12 en 3 hoog klaagden.", PiiType.ADRES) == []


@pytest.mark.parametrize("postcode", ["3012 AB", "3012AB", "1056 ec"])
def test_postcodes(engine: Deidentifier, postcode: str) -> None:
    assert of_type(engine, f"Stuur het naar {postcode} Amsterdam.", PiiType.POSTCODE) == [postcode]


def test_years_and_amounts_are_no_postcodes(engine: Deidentifier) -> None:
    assert of_type(engine, "In 2019 EN 2020 gaven we 1500 euro uit.", PiiType.POSTCODE) == []


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "06 1234 5678",
        "+31 6 12345678",
        "+31 (0)20 123 4567",
        "(010) 123 45 67",
        "0031 6 12345678",
        "06.12.34.56.78",
    ],
)
def test_phone_numbers(engine: Deidentifier, number: str) -> None:
    assert of_type(engine, f"Bel {number} na vijf uur.", PiiType.TELEFOON) == [number]


def test_dates_amounts_and_short_codes_are_no_phone_numbers(engine: Deidentifier) -> None:
    text = "Op 12-03-2024 kostte het € 1.234,56; bel 112 bij nood. Er kwamen 14 020 bezoekers."
    assert of_type(engine, text, PiiType.TELEFOON) == []


def test_municipal_number_after_a_phone_word_is_a_phone_number(engine: Deidentifier) -> None:
    assert of_type(engine, "Bel de gemeente op 14 010.", PiiType.TELEFOON) == ["14 010"]


@pytest.mark.parametrize(
    "email", ["j.devries@gmail.com", "info@buurthuis-oost.nl", "kees(at)ziggo.nl"]
)
def test_email_addresses(engine: Deidentifier, email: str) -> None:
    assert of_type(engine, f"Mail {email}.", PiiType.EMAIL) == [email]


def test_at_sign_meaning_at_is_no_email_or_handle(engine: Deidentifier) -> None:
    assert found(engine, "Koffie om 10:00 @ het buurthuis.") == []


def test_valid_iban_is_found_and_invalid_is_not(engine: Deidentifier) -> None:
    assert of_type(engine, "Maak over op NL91 ABNA 0417 1643 00.", PiiType.IBAN) == [
        "NL91 ABNA 0417 1643 00"
    ]
    assert of_type(engine, "Maak over op NL91ABNA0417164300.", PiiType.IBAN) == [
        "NL91ABNA0417164300"
    ]
    assert of_type(engine, "Maak over op NL92ABNA0417164300.", PiiType.IBAN) == []


def test_bsn_needs_the_eleven_test(engine: Deidentifier) -> None:
    assert of_type(engine, "Mijn BSN is 111222333.", PiiType.BSN) == ["111222333"]
    assert of_type(engine, "Mijn BSN is 1112.22.333.", PiiType.BSN) == ["1112.22.333"]
    assert of_type(engine, "Pakketnummer 111222334.", PiiType.BSN) == []


def test_birth_dates_only_by_context(engine: Deidentifier) -> None:
    text = "Emma is geboren op 3 mei 2015. Op 12 maart 2024 was de markt."
    assert of_type(engine, text, PiiType.GEBOORTEDATUM) == ["3 mei 2015"]
    assert of_type(engine, "Kind: Sem, geb. 17-08-2021.", PiiType.GEBOORTEDATUM) == ["17-08-2021"]


def test_urls_and_handles(engine: Deidentifier) -> None:
    text = "Volg @buurtmoeder_010 of kijk op www.facebook.com/jan.jansen en https://x.nl/a."
    assert found(engine, text) == [
        ("HANDLE", "@buurtmoeder_010"),
        ("URL", "www.facebook.com/jan.jansen"),
        ("URL", "https://x.nl/a"),
    ]


def test_handle_inside_an_url_is_one_url(engine: Deidentifier) -> None:
    assert found(engine, "Zie tiktok.com/@buurtkeuken voor filmpjes.") == [
        ("URL", "tiktok.com/@buurtkeuken")
    ]


def test_module_function_returns_sorted_non_overlapping_spans() -> None:
    spans = detect_personal_data("Fatima belt 06-12345678 en mailt fatima@example.nl.")
    assert all(isinstance(s, Span) for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize("bsn", ["232 679 381", "2326.79.381", "232679381"])
def test_bsn_in_groups(engine: Deidentifier, bsn: str) -> None:
    assert of_type(engine, f"BSN: {bsn}", PiiType.BSN) == [bsn]
