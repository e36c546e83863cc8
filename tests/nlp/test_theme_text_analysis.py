"""Dutch text analysis: tokens with offsets into the text, lookup lemmas, sentences."""

from nlp.text_analysis import DutchTextAnalyzer

TEXT = "'Ik ben alleen.' Zegt ze.  Mijn armen o.a. doen pijn!! Echt\nnieuwe regel "


def test_token_offsets_point_into_the_text():
    analysed = DutchTextAnalyzer({}).analyse(TEXT)
    assert [TEXT[s:e].lower() for s, e in zip(analysed.starts, analysed.ends, strict=True)] == list(
        analysed.lower
    )
    assert "o.a." in analysed.lower  # a common abbreviation stays one token


def test_lemmas_come_from_the_lookup_table():
    analysed = DutchTextAnalyzer({"ben": "zijn", "armen": "arm"}).analyse(TEXT)
    assert analysed.lemmas[analysed.lower.index("armen")] == "arm"
    assert analysed.lemmas[analysed.lower.index("ben")] == "zijn"
    assert analysed.lemmas[analysed.lower.index("pijn")] == "pijn"


def test_sentences_split_after_end_punctuation_closing_quotes_and_line_breaks():
    analysed = DutchTextAnalyzer({}).analyse(TEXT)
    sentences = [" ".join(analysed.lower[s:e]) for s, e in analysed.sentence_spans()]
    assert sentences == [
        "' ik ben alleen . '",
        "zegt ze .",
        "mijn armen o.a. doen pijn ! !",
        "echt",
        "nieuwe regel",
    ]


def test_empty_and_blank_texts_have_no_tokens():
    analyzer = DutchTextAnalyzer({})
    for text in ("", "   \n "):
        analysed = analyzer.analyse(text)
        assert analysed.lower == () and analysed.sentence_spans() == [(0, 0)]
