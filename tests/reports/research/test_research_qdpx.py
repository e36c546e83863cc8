"""The .qdpx is valid against the REFI-QDA schema and re-reads with the same sources and codings."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from reports.research import SCHEMA_PATH, generalise, read_qdpx, validate_qdpx, write_qdpx
from reports.research.qdpx import PROJECT_FILE, qdpx_text

from .factories import make_meta, make_record, make_story, tricky_records

SHARED_SCHEMA = Path("/work/shared/standards/refi-qda/Project-mrt2019.xsd")


def qdpx_bytes(records, meta=None, locale="nl") -> bytes:
    buffer = io.BytesIO()
    write_qdpx(records, meta or make_meta(), buffer, locale)
    return buffer.getvalue()


def project_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(PROJECT_FILE))


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


@pytest.fixture(scope="module")
def tricky_qdpx() -> bytes:
    return qdpx_bytes(tricky_records())


def test_project_is_valid_against_the_refi_qda_schema(schema, tricky_qdpx):
    schema.assertValid(project_xml(tricky_qdpx))
    validate_qdpx(io.BytesIO(tricky_qdpx))


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="shared standards folder not present")
def test_bundled_schema_is_the_published_one():
    assert SCHEMA_PATH.read_bytes() == SHARED_SCHEMA.read_bytes()


def test_archive_holds_the_project_and_one_utf8_text_per_story(tricky_qdpx):
    with zipfile.ZipFile(io.BytesIO(tricky_qdpx)) as archive:
        names = archive.namelist()
        texts = [archive.read(name) for name in names if name.startswith("Sources/")]
    assert names[0] == PROJECT_FILE
    assert len(texts) == len(tricky_records())
    assert all(name.endswith(".txt") for name in names[1:])
    assert not any(text.startswith(b"\xef\xbb\xbf") for text in texts)


def test_rereading_gives_the_same_sources_codes_and_codings(tricky_qdpx):
    records = tricky_records()
    project = read_qdpx(io.BytesIO(tricky_qdpx))

    assert [code.name for code in project.codes.values()] == [
        "Eenzaamheid",
        "Armoede",
        "Gezondheid",
    ]
    assert project.codes[next(iter(project.codes))].description == "Je alleen voelen."
    assert [source.name for source in project.sources] == [r.export_id for r in records]
    names = {"eenzaamheid": "Eenzaamheid", "armoede": "Armoede", "gezondheid": "Gezondheid"}
    for source, record in zip(project.sources, records, strict=True):
        assert source.text == qdpx_text(record.text)
        assert source.code_names == {names[key] for key in record.theme_keys}
        assert len(source.codings) == len(record.theme_keys)
        for coding in source.codings:
            assert (coding.start, coding.end) == (0, len(source.text))
        assert source.variables == {
            "Periode": "2026-Q1",
            "Gebied": "West",
            "Leeftijdsgroep": "30-44",
            "Taal": "nl",
            "Kanaal": "form",
            "Uitkomst": record.outcome,
        }


def test_positions_count_code_points_after_line_ends_became_lf(tricky_qdpx):
    project = read_qdpx(io.BytesIO(tricky_qdpx))
    crlf = project.source("S0005")
    assert crlf.text == "Regel één\nregel twee\n"
    assert crlf.codings[0].end == len("Regel één\nregel twee\n") == 21
    emoji = project.source("S0002")
    assert emoji.codings[0].end == len("Emoji 👩🏽‍🦱 en 🎉, en een vlag 🇳🇱.")


def test_coder_says_whether_model_or_person_assigned_the_theme(tricky_qdpx):
    project = read_qdpx(io.BytesIO(tricky_qdpx))
    second = {coding.code_name: coding.user for coding in project.source("S0002").codings}
    assert second == {
        "Eenzaamheid": "menselijke codeur",
        "Armoede": "model weefsel.themes.v3-2026-03",
    }
    # gezondheid was proposed by the model and confirmed by a person: one coding, the person's
    fourth = project.source("S0004").codings
    assert [(coding.code_name, coding.user) for coding in fourth] == [
        ("Gezondheid", "menselijke codeur")
    ]
    assert set(project.users.values()) >= {"onderzoeker"}


def test_empty_text_gets_its_codings_on_the_source_and_stays_valid(schema):
    records = [make_record(1, "", (("armoede", 0.9, "model"),))]
    data = qdpx_bytes(records)
    schema.assertValid(project_xml(data))
    source = read_qdpx(io.BytesIO(data)).sources[0]
    assert (source.text, source.code_names) == ("", {"Armoede"})
    assert project_xml(data).find(".//{urn:QDA-XML:project:1.0}PlainTextSelection") is None


def test_an_export_without_stories_is_still_a_valid_project(schema):
    data = qdpx_bytes([])
    schema.assertValid(project_xml(data))
    project = read_qdpx(io.BytesIO(data))
    assert project.sources == ()
    assert len(project.codes) == 3


def test_characters_xml_cannot_carry_are_dropped_from_names(schema):
    record = make_record(1, "tekst met \x07 bel", (("armoede", 0.9, "model"),))
    meta = make_meta(project_name="Export\x0b 2026", exported_by="onder\x00zoeker")
    data = qdpx_bytes([record], meta)
    schema.assertValid(project_xml(data))
    project = read_qdpx(io.BytesIO(data))
    assert project.name == "Export 2026"
    assert project.sources[0].text == "tekst met \x07 bel"  # the .txt keeps it


def test_same_export_gives_the_same_bytes_and_another_seed_other_guids():
    records = tricky_records()
    assert qdpx_bytes(records) == qdpx_bytes(records)
    first = read_qdpx(io.BytesIO(qdpx_bytes(records)))
    other = read_qdpx(io.BytesIO(qdpx_bytes(records, make_meta(seed="another export"))))
    assert set(first.codes).isdisjoint(other.codes)
    assert [s.guid for s in first.sources] != [s.guid for s in other.sources]


def test_english_locale_names_codes_and_variables_in_english():
    data = qdpx_bytes(tricky_records()[:2], locale="en")
    project = read_qdpx(io.BytesIO(data))
    assert {code.name for code in project.codes.values()} == {"Loneliness", "Poverty", "Health"}
    assert set(project.sources[0].variables) == {
        "Period",
        "Area",
        "Age band",
        "Language",
        "Channel",
        "Outcome",
    }


def test_themes_unknown_to_the_codebook_still_become_codes(schema):
    record = make_record(1, "tekst", (("nieuw_thema", 0.5, "model"),))
    data = qdpx_bytes([record])
    schema.assertValid(project_xml(data))
    assert read_qdpx(io.BytesIO(data)).sources[0].code_names == {"nieuw_thema"}


def test_generalised_stories_export_to_a_valid_qdpx(schema):
    stories = [make_story(i, wijk="Lombok" if i % 4 else "Oog in Al") for i in range(24)]
    records = generalise(stories).records
    data = qdpx_bytes(records)
    schema.assertValid(project_xml(data))
    assert len(read_qdpx(io.BytesIO(data)).sources) == len(records) == 24
