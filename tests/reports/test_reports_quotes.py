"""Quotes are confident, varied, shortened at sentence boundaries and de-identified by the one
nlp path (no pattern list of their own)."""

from __future__ import annotations

import reports.quotes
from nlp.anonymise import deidentified_text
from reports.data import QuoteCandidate
from reports.quotes import (
    MAX_WORDS,
    deidentified_quote,
    quote_labels,
    quotes_for_themes,
    select_quotes,
    shorten,
)

from .factories import noord_q1


def candidate(story_id, text, score, month="2026-01", wijk="Banne", theme="eenzaamheid"):
    return QuoteCandidate(story_id, theme, text, score, month, wijk)


def test_near_duplicates_are_skipped_for_a_different_quote():
    picked = select_quotes(noord_q1().quote_candidates, "eenzaamheid")
    assert [c.story_id for c in picked] == [1, 3]


def test_selection_prefers_other_wijken_and_months_over_slightly_higher_scores():
    candidates = [
        candidate(1, "De koffieochtend geeft mijn week houvast.", 0.95),
        candidate(2, "Mijn buren helpen met boodschappen sinds mijn val.", 0.90),
        candidate(3, "Bij het taalcafé heb ik vriendinnen gevonden.", 0.86, "2026-02", "Oost"),
        candidate(4, "Eindelijk iemand om mee te praten in de moestuin.", 0.84, "2026-03", "Zuid"),
        candidate(5, "Op zondag eet ik mee aan de lange tafel.", 0.60, "2026-03", "West"),
    ]
    picked = select_quotes(candidates, "eenzaamheid")
    assert [c.story_id for c in picked] == [1, 3, 4, 2]
    assert len(select_quotes(candidates, "eenzaamheid", max_quotes=2)) == 2


def test_only_the_requested_theme_is_quoted():
    picked = select_quotes(noord_q1().quote_candidates, "armoede")
    assert [c.story_id for c in picked] == [5]


def test_shorten_keeps_whole_sentences_under_the_word_limit_and_marks_the_cut():
    text = "Ik kom hier elke week. " + " ".join(["woord"] * 36) + ". Dit is de derde zin."
    short, cut = shorten(text)
    assert short == "Ik kom hier elke week. …"
    assert cut


def test_shorten_leaves_a_short_quote_alone():
    assert shorten("Fijn dat jullie er zijn. Tot dinsdag!") == (
        "Fijn dat jullie er zijn. Tot dinsdag!",
        False,
    )


def test_shorten_cuts_a_single_overlong_sentence_at_the_word_limit():
    short, cut = shorten(" ".join(f"w{i}" for i in range(60)))
    assert cut and short.endswith(" …")
    assert len(short.split()) == MAX_WORDS + 1


def test_contact_details_are_removed_as_a_last_safety_net():
    text = (
        "Mail jan.devries@example.nl of bel 06-71920384, +31 6 1234 5678 of 020-1234567; "
        "ik woon op 1021 AB. In 2026 en 2027 kom ik weer."
    )
    masked = deidentified_quote(text)
    assert "example.nl" not in masked and "71920384" not in masked and "1234567" not in masked
    assert "1021 AB" not in masked
    assert masked.count("[phone number]") == 3
    assert "In 2026 en 2027 kom ik weer." in masked


def test_quotes_catch_what_only_the_nlp_path_knows():
    text = "Fatima zei: mail jan punt jansen apenstaartje gmail punt com, ik heb Parkinson."
    assert deidentified_quote(text) == "[name 1] zei: mail [e-mail], ik heb Parkinson."


def test_quote_masking_is_the_nlp_de_identification_with_readable_tags():
    text = "Kees (06 7192 0384, insta: kees_kookt) woont op de Dorpsstraat 4, 3012 AB."
    assert deidentified_quote(text) == deidentified_text(text, quote_labels())
    assert deidentified_quote(text) == (
        "[name 1] ([phone number], insta: [social media name]) woont op de [address], [postcode]."
    )


def test_quotes_module_has_no_pattern_list_of_its_own():
    names = vars(reports.quotes)
    assert not [n for n in names if "EMAIL" in n or "PHONE" in n or "POSTCODE" in n]
    assert "mask_contact_details" not in names


def test_quotes_for_themes_masks_and_shortens_in_dutch(noord_report):
    quote = noord_report.quotes["gezondheid"][0]
    assert "[telefoonnummer]" in quote.text
    assert "12345678" not in quote.text
    assert quotes_for_themes([], ["gezondheid"]) == {"gezondheid": []}


def test_themes_with_too_few_stories_get_no_quotes():
    data = noord_q1()
    from reports import build_report

    counts = [row for row in data.story_counts_by_month_theme if row.theme != "armoede"]
    report = build_report(noord_q1(story_counts_by_month_theme=counts))
    assert "armoede" not in report.quotes


def test_quotes_with_contact_details_or_several_tags_are_left_out():
    worried = QuoteCandidate(
        1,
        "gezondheid",
        "Mijn buurman [PERSOON-1] van de [ADRES] is ziek.",
        0.99,
        "2026-01",
    )
    phone = QuoteCandidate(
        2,
        "gezondheid",
        "Bel mij op [TELEFOON], ik wil graag hulp.",
        0.98,
        "2026-01",
    )
    two_names = QuoteCandidate(
        3,
        "gezondheid",
        "[PERSOON-1] en [PERSOON-2] wandelen nu elke week mee.",
        0.97,
        "2026-02",
    )
    one_name = QuoteCandidate(
        4,
        "gezondheid",
        "Dankzij [PERSOON-1] beweeg ik weer elke dag.",
        0.70,
        "2026-02",
    )
    clean = QuoteCandidate(5, "gezondheid", "Sinds de wandelgroep slaap ik beter.", 0.60, "2026-03")
    picked = select_quotes([worried, phone, two_names, one_name, clean], "gezondheid")
    assert [c.story_id for c in picked] == [4, 5]


def test_contact_details_beyond_the_printed_excerpt_do_not_exclude_a_quote():
    """Only the shortened text a reader sees counts: a long story whose phone number comes after
    the excerpt can still be quoted, and its excerpt holds no tag."""
    opening = "Sinds ik bij de huiskamer kom voel ik me veel minder alleen. " * 4
    long_story = QuoteCandidate(
        1, "eenzaamheid", opening + "Bel me op [TELEFOON] of mail [EMAIL].", 0.9, "2026-01"
    )
    early_phone = QuoteCandidate(
        2, "eenzaamheid", "Bel me op [TELEFOON]. " + opening, 0.95, "2026-01"
    )
    picked = select_quotes([long_story, early_phone], "eenzaamheid")
    assert [c.story_id for c in picked] == [1]
    quotes = quotes_for_themes([long_story, early_phone], ["eenzaamheid"])["eenzaamheid"]
    assert "[" not in quotes[0].text and quotes[0].shortened


def test_quotes_prefer_stories_that_report_a_change_when_the_outcome_is_known():
    texts = {
        1: "Het geld is elke maand op voor de twintigste.",
        2: "Door de schuldhulp slaap ik weer rustig.",
        3: "De voedselbank zit naast de kerk.",
        4: "Sinds de Stadspas stopte kan mijn zoon niet meer zwemmen.",
    }

    def told(story_id, score, outcome, month):
        return QuoteCandidate(story_id, "armoede", texts[story_id], score, month, outcome=outcome)

    candidates = [
        told(1, 0.95, "geen", "2026-01"),
        told(2, 0.80, "beter", "2026-02"),
        told(3, 0.75, None, "2026-03"),
        told(4, 0.70, "slechter", "2026-04"),
    ]
    picked = select_quotes(candidates, "armoede", max_quotes=2)
    assert [c.story_id for c in picked] == [2, 4]


def test_type_tags_left_by_the_report_service_become_readable_words():
    text = "Dankzij [PERSOON-1] en [PERSOON-2] bel ik niet meer naar [TELEFOON]."
    assert (
        deidentified_quote(text)
        == "Dankzij [name 1] en [name 2] bel ik niet meer naar [phone number]."
    )
