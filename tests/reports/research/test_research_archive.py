"""The export archive holds the chosen formats and a datasheet whose numbers match the records."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from reports.research import generalise, read_qdpx, write_export_archive

from .factories import make_meta, make_story


@pytest.fixture(scope="module")
def generalised():
    """24 stories in Lombok, 2 in Oog in Al (both West), one from Zuid in another month, 2 in Tigrinya."""
    stories = [
        make_story(
            i, themes=(("armoede", 0.8, "model"),) if i % 2 else (("eenzaamheid", None, "human"),)
        )
        for i in range(24)
    ]
    stories += [make_story(100 + i, wijk="Oog in Al", language="ti") for i in range(2)]
    stories.append(make_story(200, "uit Zuid", wijk="Hoograven", stadsdeel="Zuid"))
    return generalise(stories, k=5)


def archive_of(result, formats=("csv", "jsonl", "qdpx"), meta=None):
    buffer = io.BytesIO()
    datasheet = write_export_archive(
        result.records, meta or make_meta(), result.report, formats, buffer
    )
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue())), datasheet


def test_archive_contains_the_formats_readme_and_datasheet(generalised):
    archive, _ = archive_of(generalised)
    assert archive.namelist() == [
        "stories.csv",
        "stories.jsonl",
        "stories.qdpx",
        "README.md",
        "datasheet.json",
    ]
    project = read_qdpx(io.BytesIO(archive.read("stories.qdpx")))
    assert len(project.sources) == len(generalised.records)


def test_only_the_chosen_formats_are_written(generalised):
    archive, _ = archive_of(generalised, formats=["jsonl"])
    assert archive.namelist() == ["stories.jsonl", "README.md", "datasheet.json"]


def test_datasheet_counts_match_the_records(generalised):
    archive, returned = archive_of(generalised)
    sheet = json.loads(archive.read("datasheet.json"))
    assert sheet == returned
    counts = sheet["counts"]
    # the Zuid story is the only one in its (stadsdeel, band, month): 1 of 27 is within 5 %,
    # and a count below k is never printed
    assert (counts["stories"], counts["stories_eligible"], counts["stories_suppressed"]) == (
        26,
        27,
        "< 5",
    )
    themes = {theme["key"]: theme for theme in counts["themes"]}
    assert (themes["armoede"]["stories"], themes["armoede"]["by_model"]) == (14, 14)
    assert (themes["eenzaamheid"]["stories"], themes["eenzaamheid"]["by_human"]) == (12, 12)
    assert themes["gezondheid"]["stories"] == 0
    assert counts["languages"] == {"nl": 24, "overig": "< 5"}
    assert sheet["date_range"] == {
        "start": "2026-01-01",
        "end": "2026-01-31",
        "first_period": "2026-01",
        "last_period": "2026-01",
    }
    k_anon = sheet["k_anonymity"]
    assert (k_anon["k"], k_anon["smallest_class"]) == (5, 26)
    assert k_anon["level"] == {"area": "stadsdeel", "age_band": "band", "period": "month"}
    assert [step["action"] for step in k_anon["steps"]] == ["coarsen", "suppress", "recode_rare"]
    assert sum(level["chosen"] for level in k_anon["levels_considered"]) == 1
    assert sheet["anonymisation"]["recall"] == 0.934
    assert sheet["theme_model"]["model_version"] == "weefsel.themes.v3-2026-03"


def test_readme_states_the_numbers_in_dutch_then_english(generalised):
    archive, _ = archive_of(generalised)
    readme = archive.read("README.md").decode("utf-8")
    dutch, english = readme.split("\n---\n")
    assert "Verhalen in deze export: **26** (van 27 geschikte verhalen; < 5 weggelaten" in dutch
    assert "Stories in this export: **26** (of 27 eligible stories; < 5 left out" in english
    assert "**k = 5**" in dutch and "**k = 5**" in english
    assert "recall: 93,4 %; precisie: 87,1 %" in dutch
    assert "recall: 93.4 %; precision: 87.1 %" in english
    assert "weefsel.themes.v3-2026-03" in dutch and "weefsel.themes.v3-2026-03" in english
    assert "Gebied grover gemaakt: wijk → stadsdeel (26 verhalen)" in dutch
    assert "Area coarsened: wijk (neighbourhood) → stadsdeel (district) (26 stories)" in english
    assert "| Armoede | 14 | 14 | 0 |" in dutch
    assert "| Loneliness | 12 | 0 | 12 |" in english
    assert "2026-01-01 t/m 2026-01-31" in dutch
    for tool in ("ATLAS.ti", "NVivo", "MAXQDA", "QualCoder"):
        assert tool in dutch and tool in english
    assert "toestemming gaf voor onderzoek" in dutch and "Withdrawn" in english
    assert "Tigrinya" not in readme and " ti:" not in readme


def test_empty_export_still_explains_itself():
    result = generalise([make_story(i) for i in range(3)])
    archive, sheet = archive_of(result)
    readme = archive.read("README.md").decode("utf-8")
    assert sheet["counts"]["stories"] == 0
    assert sheet["date_range"] is None
    assert "Geen verhalen, dus geen periode." in readme
    assert "< 5 verhalen weggelaten" in readme and "3 verhalen" not in readme


def test_same_export_gives_the_same_archive_bytes(generalised):
    first, second = io.BytesIO(), io.BytesIO()
    for buffer in (first, second):
        write_export_archive(
            generalised.records, make_meta(), generalised.report, ["csv", "qdpx"], buffer
        )
    assert first.getvalue() == second.getvalue()


@pytest.mark.parametrize("formats", [[], ["pdf"], ["csv", "xlsx"]])
def test_unknown_or_no_formats_are_refused(generalised, formats):
    with pytest.raises(ValueError, match="formats"):
        archive_of(generalised, formats=formats)


def test_records_from_another_generalisation_are_refused(generalised):
    other = generalise([make_story(i) for i in range(5)])
    with pytest.raises(ValueError, match="do not belong"):
        write_export_archive(other.records, make_meta(), generalised.report, ["csv"], io.BytesIO())


def test_readme_names_the_selection_and_the_method_in_each_sections_language(generalised):
    meta = make_meta(
        filters={"period": "2026", "area_code": "rotterdam"},
        anonymiser={"nl": "regels en namenlijsten", "en": "rules and name lists"},
        anonymiser_evaluation={"nl": "300 geannoteerde teksten", "en": "300 annotated texts"},
    )
    archive, sheet = archive_of(generalised, meta=meta)
    dutch, english = archive.read("README.md").decode("utf-8").split("\n---\n")

    assert "- Periode: 2026\n- Gebied: rotterdam" in dutch
    assert "- Period: 2026\n- Area: rotterdam" in english
    assert "period:" not in dutch and "area_code" not in dutch + english
    assert "met **regels en namenlijsten**" in dutch and "(300 geannoteerde teksten)" in dutch
    assert "with **rules and name lists**" in english and "(300 annotated texts)" in english
    assert sheet["anonymisation"]["method"] == {
        "nl": "regels en namenlijsten",
        "en": "rules and name lists",
    }
