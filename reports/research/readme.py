"""README.md of a research export: the datasheet in words, Dutch first, then English.

Rendered only from `build_datasheet`'s dict, so README.md and datasheet.json state the same
numbers.
"""

from __future__ import annotations

from typing import Any

LEVEL_WORDS = {
    "nl": {
        "wijk": "wijk",
        "stadsdeel": "stadsdeel",
        "city": "gemeente",
        "band": "leeftijdsgroep",
        "broad": "brede leeftijdsgroep",
        "none": "geen leeftijd",
        "month": "maand",
        "quarter": "kwartaal",
        "year": "jaar",
    },
    "en": {
        "wijk": "wijk (neighbourhood)",
        "stadsdeel": "stadsdeel (district)",
        "city": "city",
        "band": "age band",
        "broad": "broad age band",
        "none": "no age",
        "month": "month",
        "quarter": "quarter",
        "year": "year",
    },
}
FIELD_WORDS = {
    "nl": {"area": "Gebied", "age_band": "Leeftijdsgroep", "period": "Periode"},
    "en": {"area": "Area", "age_band": "Age band", "period": "Period"},
}
FIELD_WORDS["nl"] |= {"language": "Taal", "channel": "Kanaal"}
FIELD_WORDS["en"] |= {"language": "Language", "channel": "Channel"}
# The keys of an export's filter (webapp ExportFilter.as_dict()).
FILTER_WORDS = {
    "nl": {"period": "Periode", "area_code": "Gebied", "theme": "Thema", "language": "Taal"},
    "en": {"period": "Period", "area_code": "Area", "theme": "Theme", "language": "Language"},
}
FILE_WORDS = {
    "nl": {
        "stories.csv": "één rij per verhaal (UTF-8 met BOM, komma's)",
        "stories.jsonl": "één JSON-object per regel",
        "stories.qdpx": "REFI-QDA-project voor ATLAS.ti, NVivo, MAXQDA, QualCoder",
        "README.md": "deze uitleg",
        "datasheet.json": "deze cijfers, machineleesbaar",
    },
    "en": {
        "stories.csv": "one row per story (UTF-8 with BOM, commas)",
        "stories.jsonl": "one JSON object per line",
        "stories.qdpx": "REFI-QDA project for ATLAS.ti, NVivo, MAXQDA, QualCoder",
        "README.md": "this explanation",
        "datasheet.json": "these numbers, machine-readable",
    },
}
USAGE = {
    "nl": "Alleen voor het onderzoek waarvoor deze export is gemaakt. Niet delen met anderen, "
    "niet koppelen aan andere gegevens om mensen te herkennen, en geen poging doen om "
    "schrijvers te achterhalen. Citeer korte fragmenten, nooit met gebied en periode samen "
    "als dat iemand herkenbaar maakt. Bewaar de export beveiligd en verwijder hem na het "
    "onderzoek; vraag voor later werk een nieuwe export aan, zodat ingetrokken verhalen er "
    "niet meer in zitten.",
    "en": "Only for the research this export was made for. Do not share it, do not link it "
    "to other data to recognise people, and make no attempt to identify writers. Quote short "
    "passages, never together with area and period where that would make someone "
    "recognisable. Store the export securely and delete it after the research; ask for a new "
    "export for later work, so that withdrawn stories are no longer in it.",
}
IMPORT_STEPS = {
    "nl": [
        "**ATLAS.ti** (9 of nieuwer): startscherm of *Bestand* → *Project importeren* → "
        "kies `stories.qdpx`.",
        "**NVivo** (14): *File* → *Import* → *REFI-QDA Project* (of bij een nieuw project "
        "'importeren uit REFI-QDA').",
        "**MAXQDA** (2020 of nieuwer): *Import* → *REFI-QDA-project (QDPX)*.",
        "**QualCoder**: menu *Project* → *REFI-QDA project import* → kies `stories.qdpx`.",
    ],
    "en": [
        "**ATLAS.ti** (9 or later): welcome screen or *File* → *Import Project* → choose "
        "`stories.qdpx`.",
        "**NVivo** (14): *File* → *Import* → *REFI-QDA Project* (or create a new project "
        "from a REFI-QDA project).",
        "**MAXQDA** (2020 or later): *Import* → *REFI-QDA Project (QDPX)*.",
        "**QualCoder**: *Project* menu → *REFI-QDA project import* → choose `stories.qdpx`.",
    ],
}
TEXT = {
    "nl": {
        "title": "Onderzoeksexport",
        "intro": "Gemaakt op {created_at} door de rol '{exported_by}' met {software}.",
        "files": "Bestanden",
        "consent": "Toestemming",
        "consent_rule": "Alleen verhalen waarvan de schrijver toestemming gaf voor onderzoek. "
        "Ingetrokken verhalen zijn verwijderd en zitten nooit in een export.",
        "filters": "Selectie",
        "counts": "Aantallen",
        "stories": "Verhalen in deze export: **{stories}** (van {eligible} geschikte verhalen; "
        "{suppressed} weggelaten voor k-anonimiteit).",
        "no_theme": "Verhalen zonder thema: {n}.",
        "theme_table": "| Thema | Verhalen | door model | door mens |",
        "per": "Per {what}",
        "date_range": "Periode: {start} t/m {end} ({first_period} – {last_period}).",
        "no_dates": "Geen verhalen, dus geen periode.",
        "anonymisation": "Anonimisering",
        "anon_text": "De teksten zijn vóór de export geanonimiseerd met **{method}**. "
        "Gemeten recall: {recall}; precisie: {precision}{evaluation}. Een recall onder 100 % "
        "betekent dat er nog herkenbare details in teksten kunnen staan: lees ze met zorg.",
        "model": "Thema's",
        "model_text": "Thema's zijn toegekend door het model **{version}** of door een "
        "medewerker (kolom `source` in JSONL; codeur in de .qdpx).",
        "own_title": "Eigen antwoorden van bewoners",
        "own_text": "Kolommen `sig_…` (CSV), het object `signification` (JSONL) en de gelijknamige "
        "documentvariabelen (.qdpx) bevatten wat de schrijver zelf over het verhaal zei, met de "
        "vragenlijst waaronder dat gebeurde (`sig_definition_id`, `sig_definition_version`; zie "
        "`surveys/definitions/verhaal.yaml`): per hoek van de driehoek een gewicht van 0 tot 1 "
        "(samen 1), voor/na als `slechter`, `hetzelfde`, `beter` of `weet_niet`, een schuifvraag "
        "als 0 tot 100 (0 = linkerpool). `nvt` = niet van toepassing; leeg = overgeslagen.",
        "k_title": "k-anonimiteit",
        "k_text": "Elke combinatie van gebied × leeftijdsgroep × periode komt in deze export "
        "minstens **k = {k}** keer voor (kleinste groep: {smallest}). Gekozen detail: "
        "gebied = {area}, leeftijd = {age}, periode = {period}. Maximaal toegestaan weglaten "
        "vóór verder grover maken: {share}.",
        "k_local": "Elke combinatie van gebied × leeftijdsgroep × periode komt in deze export "
        "minstens **k = {k}** keer voor (kleinste groep: {smallest}). Detail is per groep "
        "verhalen bewaard waar k dat toelaat (lokale hercodering): **{kept}** van de verhalen "
        "hield wijk én maand. Het grofste gebruikte detail: gebied = {area}, leeftijd = {age}, "
        "periode = {period}.",
        "steps": "Wat er met de gegevens is gedaan:",
        "no_steps": "Niets grover gemaakt of weggelaten.",
        "coarsen": "{field} grover gemaakt: {src} → {dst} ({n} verhalen).",
        "suppress": "{n} verhalen weggelaten: hun combinatie van gebied × leeftijdsgroep × "
        "periode kwam minder dan {k} keer voor.",
        "recode_rare": "{field}: {values} zeldzame waarde(n) (minder dan {k} verhalen) "
        "getoond als 'overig' ({n} verhalen).",
        "not_exported": "Niet geëxporteerd: database-id's, exacte datums, initiatief, namen en "
        "contactgegevens. Id's S0001… gelden alleen binnen deze export.",
        "import": "De .qdpx openen",
        "import_after": "Elk verhaal wordt een document (S0001…), elk thema een code over de "
        "hele tekst; periode, gebied, leeftijdsgroep, taal, kanaal en uitkomst "
        "(beter, slechter, gemengd, geen; een controle door een medewerker gaat voor het model) "
        "staan als documentvariabelen. Menunamen verschillen per versie: zoek op 'REFI-QDA' of 'QDPX'.",
        "csv_excel": "CSV in Nederlandse Excel: *Gegevens* → *Van tekst/CSV*, "
        "scheidingsteken komma, codering UTF-8.",
        "usage": "Gebruik",
        "unknown": "onbekend",
    },
    "en": {
        "title": "Research export",
        "intro": "Made on {created_at} by the role '{exported_by}' with {software}.",
        "files": "Files",
        "consent": "Consent",
        "consent_rule": "Only stories whose writer consented to research use. Withdrawn "
        "stories are deleted and are never in an export.",
        "filters": "Selection",
        "counts": "Counts",
        "stories": "Stories in this export: **{stories}** (of {eligible} eligible stories; "
        "{suppressed} left out for k-anonymity).",
        "no_theme": "Stories without a theme: {n}.",
        "theme_table": "| Theme | Stories | by model | by a person |",
        "per": "Per {what}",
        "date_range": "Period: {start} to {end} ({first_period} – {last_period}).",
        "no_dates": "No stories, so no period.",
        "anonymisation": "Anonymisation",
        "anon_text": "The texts were anonymised before export with **{method}**. Measured "
        "recall: {recall}; precision: {precision}{evaluation}. Recall below 100 % means "
        "identifying details may remain in texts: read them with care.",
        "model": "Themes",
        "model_text": "Themes were assigned by the model **{version}** or by a staff member "
        "(`source` in JSONL; coder in the .qdpx).",
        "own_title": "Residents' own answers",
        "own_text": "Columns `sig_…` (CSV), the `signification` object (JSONL) and the document "
        "variables of the same name (.qdpx) hold what the writer said about the story, with the "
        "questionnaire it was given under (`sig_definition_id`, `sig_definition_version`; see "
        "`surveys/definitions/verhaal.yaml`): per corner of the triangle a weight from 0 to 1 "
        "(together 1), before/after as `slechter` (worse), `hetzelfde` (same), `beter` (better) "
        "or `weet_niet` (don't know), a slider as 0 to 100 (0 = left pole). `nvt` = not "
        "applicable; empty = skipped.",
        "k_title": "k-anonymity",
        "k_text": "Every combination of area × age band × period occurs at least **k = {k}** "
        "times in this export (smallest group: {smallest}). Detail chosen: area = {area}, "
        "age = {age}, period = {period}. Most stories that may be left out before coarsening "
        "further: {share}.",
        "k_local": "Every combination of area × age band × period occurs at least **k = {k}** "
        "times in this export (smallest group: {smallest}). Detail is kept per group of stories "
        "where k allows (local recoding): **{kept}** of the stories kept both wijk and month. "
        "The coarsest detail used: area = {area}, age = {age}, period = {period}.",
        "steps": "What was done to the data:",
        "no_steps": "Nothing coarsened or left out.",
        "coarsen": "{field} coarsened: {src} → {dst} ({n} stories).",
        "suppress": "{n} stories left out: their combination of area × age band × period "
        "occurred fewer than {k} times.",
        "recode_rare": "{field}: {values} rare value(s) (fewer than {k} stories) shown as "
        "'overig' (other) ({n} stories).",
        "not_exported": "Not exported: database ids, exact dates, initiative, names and contact "
        "details. Ids S0001… are only valid within this export.",
        "import": "Opening the .qdpx",
        "import_after": "Each story becomes a document (S0001…), each theme a code over the "
        "whole text; period, area, age band, language, channel and outcome (beter, slechter, "
        "gemengd, geen; a staff check overrides the model) are document variables. "
        "Menu names differ between versions: look for 'REFI-QDA' or 'QDPX'.",
        "csv_excel": "CSV in Excel: *Data* → *From Text/CSV*, comma delimiter, UTF-8.",
        "usage": "Use",
        "unknown": "unknown",
    },
}


def render_readme(datasheet: dict[str, Any]) -> str:
    """README.md for an export: a Dutch section, then the same in English."""
    return "\n\n---\n\n".join(_section(datasheet, locale) for locale in ("nl", "en")) + "\n"


def _in_language(text: str | dict[str, str] | None, locale: str) -> str:
    """A text given once, or per language (then this section's language)."""
    if isinstance(text, dict):
        return text.get(locale) or next(iter(text.values()), "")
    return text or ""


def _percent(value: float | None, locale: str) -> str:
    if value is None:
        return TEXT[locale]["unknown"]
    text = f"{100 * value:.1f} %"
    return text.replace(".", ",") if locale == "nl" else text


def _section(sheet: dict[str, Any], locale: str) -> str:
    t, words = TEXT[locale], LEVEL_WORDS[locale]
    counts, k_anon, anon = sheet["counts"], sheet["k_anonymity"], sheet["anonymisation"]
    lines = [f"# {t['title']}: {sheet['title']}", ""]
    lines += [t["intro"].format(**sheet), ""]
    lines += [f"## {t['files']}", ""]
    lines += [f"- `{name}`: {FILE_WORDS[locale].get(name, '')}" for name in sheet["files"]]
    lines += ["", f"## {t['consent']}", "", t["consent_rule"], ""]
    if sheet["filters"]:
        lines += [f"## {t['filters']}", ""]
        labels = FILTER_WORDS[locale]
        lines += [f"- {labels.get(key, key)}: {value}" for key, value in sheet["filters"].items()]
        lines += [""]
    lines += [f"## {t['counts']}", ""]
    lines += [
        t["stories"].format(
            stories=counts["stories"],
            eligible=counts["stories_eligible"],
            suppressed=counts["stories_suppressed"],
        ),
        "",
    ]
    dates = sheet["date_range"]
    lines += [t["date_range"].format(**dates) if dates else t["no_dates"], ""]
    lines += [t["theme_table"], "|---|---:|---:|---:|"]
    for theme in counts["themes"]:
        name = theme[f"name_{locale}"]
        lines.append(f"| {name} | {theme['stories']} | {theme['by_model']} | {theme['by_human']} |")
    lines += ["", t["no_theme"].format(n=counts["stories_without_theme"]), ""]
    for field, key in (("language", "languages"), ("channel", "channels")):
        what = FIELD_WORDS[locale][field].lower()
        joined = ", ".join(f"{value}: {n}" for value, n in counts[key].items()) or "–"
        lines += [f"{t['per'].format(what=what)}: {joined}.", ""]
    lines += [f"## {t['anonymisation']}", ""]
    evaluation = _in_language(anon["evaluation"], locale)
    evaluation = f" ({evaluation})" if evaluation else ""
    lines += [
        t["anon_text"].format(
            method=_in_language(anon["method"], locale),
            recall=_percent(anon["recall"], locale),
            precision=_percent(anon["precision"], locale),
            evaluation=evaluation,
        ),
        "",
    ]
    lines += [
        f"## {t['model']}",
        "",
        t["model_text"].format(version=sheet["theme_model"]["model_version"]),
        "",
    ]
    lines += [f"## {t['own_title']}", "", t["own_text"], ""]
    level = k_anon["level"]
    lines += [f"## {t['k_title']}", ""]
    lines += [
        t["k_local" if k_anon.get("method") == "local" else "k_text"].format(
            k=k_anon["k"],
            smallest=k_anon["smallest_class"] if k_anon["smallest_class"] is not None else "–",
            area=words[level["area"]],
            age=words[level["age_band"]],
            period=words[level["period"]],
            share=_percent(k_anon["max_suppression"], locale),
            kept=_percent(k_anon.get("kept_wijk_and_month_share", 0), locale),
        ),
        "",
        t["steps"],
        "",
    ]
    steps = [_step(step, k_anon["k"], locale) for step in k_anon["steps"]]
    lines += [f"- {step}" for step in steps] or [f"- {t['no_steps']}"]
    lines += ["", t["not_exported"], ""]
    lines += [f"## {t['import']}", ""]
    lines += [f"- {step}" for step in IMPORT_STEPS[locale]]
    lines += ["", t["import_after"], "", t["csv_excel"], ""]
    lines += [f"## {t['usage']}", "", sheet["usage_terms"] or USAGE[locale]]
    return "\n".join(lines)


def _step(step: dict[str, Any], k: int, locale: str) -> str:
    t, words = TEXT[locale], LEVEL_WORDS[locale]
    field = FIELD_WORDS[locale].get(step["field"], step["field"])
    if step["action"] == "coarsen":
        return t["coarsen"].format(
            field=field, src=words[step["from"]], dst=words[step["to"]], n=step["stories"]
        )
    if step["action"] == "suppress":
        return t["suppress"].format(n=step["stories"], k=k)
    return t["recode_rare"].format(field=field, values=step["values"], k=k, n=step["stories"])
