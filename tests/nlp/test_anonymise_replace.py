"""Replacement keeps stories readable: consistent numbering per story and configurable styles."""

from __future__ import annotations

from nlp.anonymise import (
    AnonymisedText,
    LabelStyle,
    MaskStyle,
    PiiType,
    Span,
    Style,
    TagStyle,
    anonymise,
)


def test_same_person_gets_the_same_number_also_by_first_name_or_surname() -> None:
    text = (
        "Fatima El Amrani belde Henk. Later zei Fatima dat mevrouw El Amrani ziek was. Henk lachte."
    )
    result = anonymise(text)
    assert result.text == (
        "[PERSOON-1] belde [PERSOON-2]. Later zei [PERSOON-1] dat mevrouw [PERSOON-1] ziek was. "
        "[PERSOON-2] lachte."
    )


def test_other_types_get_plain_tags_and_offsets_point_into_the_original() -> None:
    text = "Bel Sanne op 06-12345678 of kom naar de Kerkstraat 12."
    result = anonymise(text)
    assert isinstance(result, AnonymisedText)
    assert result.text == "Bel [PERSOON-1] op [TELEFOON] of kom naar de [ADRES]."
    assert [text[s.start : s.end] for s in result.spans] == [
        "Sanne",
        "06-12345678",
        "Kerkstraat 12",
    ]


def test_plain_tag_style_has_no_numbers() -> None:
    assert (
        anonymise("Bram en Noor komen.", style=Style.TAGS).text == "[PERSOON] en [PERSOON] komen."
    )


def test_mask_style_keeps_length_and_spaces() -> None:
    text = "Jan van der Berg komt."
    masked = anonymise(text, style=Style.MASK).text
    assert masked == "███ ███ ███ ████ komt."
    assert len(masked) == len(text)
    assert anonymise(text, style=MaskStyle(char="*")).text == "*** *** *** **** komt."


def test_numbered_types_and_templates_are_configurable() -> None:
    style = TagStyle(numbered_types=frozenset(PiiType), numbered_template="<{type}:{number}>")
    text = "Ahmed en Yusuf bellen 06-12345678."
    assert anonymise(text, style=style).text == "<PERSOON:1> en <PERSOON:2> bellen <TELEFOON:1>."


def test_a_callable_style_gets_span_and_number() -> None:
    def initials(span: Span, number: int | None) -> str:
        return span.text[0] + "." if span.type is PiiType.PERSOON else "…"

    assert anonymise("Mila belt 06-12345678.", style=initials).text == "M. belt …."


def test_text_without_personal_data_is_unchanged() -> None:
    text = "De kledingbank is dinsdag open van 10.00 tot 13.00 uur."
    assert anonymise(text) == AnonymisedText(text=text, spans=[])


def test_one_deidentifier_serves_several_threads_alike() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from nlp.anonymise import Deidentifier

    engine = Deidentifier()
    texts = [
        f"Sanne {n} belt Yusuf op 06-1234567{n % 10} vanaf de Kerkstraat {n}." for n in range(40)
    ]
    expected = [engine.detect(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(engine.detect, texts)) == expected


def test_label_style_writes_readable_words_and_numbers_persons() -> None:
    style = LabelStyle({PiiType.PERSOON: "naam", PiiType.TELEFOON: "telefoonnummer"})
    text = "Fatima en Kees bellen 06-12345678; mail fatima@example.nl."
    assert anonymise(text, style=style).text == (
        "[naam 1] en [naam 2] bellen [telefoonnummer]; mail [EMAIL]."
    )
