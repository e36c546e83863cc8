"""REFI-QDA project (.qdpx) writer: stories as text sources, themes as codes, metadata as variables.

A .qdpx is a ZIP with `project.qde` (XML in namespace urn:QDA-XML:project:1.0, valid against
schema/Project-mrt2019.xsd) and `Sources/<guid>.txt`. ATLAS.ti, NVivo, MAXQDA and QualCoder
import it. What we write:

- Users: the exporting role, the theme model (its version) and "human coder"; each coding's
  creatingUser says whether the model or a person assigned the theme.
- CodeBook: one codable Code per theme (name, colour, definition as Description).
- Variables: period, area, age band, language, channel, outcome (Text), plus the residents' own
  answers (`sig_...` columns, Text) when any story has them; every TextSource carries their
  VariableValues (the schema's place for document variables).
- Sources: one TextSource per story, named by its export id, text in `Sources/<guid>.txt`
  (UTF-8, no BOM, line ends normalised to "\\n" because the QDA programs count positions after
  reading the file with their own newline handling). One PlainTextSelection covers the whole
  text (startPosition 0, endPosition = its length in Unicode code points) and holds one Coding per
  theme. An empty text gets its codings on the source itself.

GUIDs are uuid5 of the export seed, so the same export gives the same file byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from lxml import etree

from .data import (
    ExportMeta,
    ExportRecord,
    ExportTheme,
    ordered_theme_keys,
    signification_columns,
)
from .spool import described_records

NAMESPACE = "urn:QDA-XML:project:1.0"
SCHEMA_PATH = Path(__file__).parent / "schema" / "Project-mrt2019.xsd"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "Sources"
# Above this many records an entry may pass 2 GiB, so it is written as ZIP64 from the start.
LARGE_EXPORT = 200_000
GUID_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-5e7f-9c0d-2b3a4c5d6e7f")
# Distinct, colour-blind-friendly enough colours (Okabe-Ito, then Tableau); cycled when exhausted.
CODE_COLOURS: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#B07AA1",
)
VARIABLE_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "period": "Periode",
        "area": "Gebied",
        "age_band": "Leeftijdsgroep",
        "language": "Taal",
        "channel": "Kanaal",
        "outcome": "Uitkomst",
    },
    "en": {
        "period": "Period",
        "area": "Area",
        "age_band": "Age band",
        "language": "Language",
        "channel": "Channel",
        "outcome": "Outcome",
    },
}
PROJECT_DESCRIPTION = {
    "nl": "Geanonimiseerde verhalen met toestemming voor onderzoek; zie README.md in de export.",
    "en": "Anonymised stories with consent for research; see README.md in the export.",
}
HUMAN_CODER = {"nl": "menselijke codeur", "en": "human coder"}
# XML 1.0 forbids most control characters; lxml refuses them, so they are dropped from names.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export_guid(seed: str, kind: str, name: str) -> str:
    """A reproducible GUID for one object (`kind` 'code', 'source', …) of one export."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{seed}\x1f{kind}\x1f{name}"))


def qdpx_text(text: str) -> str:
    """The text as stored in Sources/: CRLF and lone CR become LF (see module docstring)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def xml_safe(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry."""
    return _XML_INVALID.sub("", value)


def xml_datetime(moment: dt.datetime) -> str:
    """xsd:dateTime in seconds; aware datetimes in UTC with 'Z'."""
    moment = moment.replace(microsecond=0)
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


def _element(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(
        parent, f"{{{NAMESPACE}}}{tag}", {k: xml_safe(v) for k, v in attributes.items()}
    )


def _text_element(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = _element(parent, tag)
    element.text = xml_safe(text)
    return element


def _code_themes(described: Sequence[ExportRecord], meta: ExportMeta) -> list[ExportTheme]:
    known = meta.theme_names()
    return [
        known.get(key, ExportTheme(key, key, key))
        for key in ordered_theme_keys(described, meta.themes)
    ]


def _top(tag: str, **attributes: str) -> etree._Element:
    """An element directly under Project, written on its own by the streaming writer."""
    return etree.Element(
        f"{{{NAMESPACE}}}{tag}",
        {k: xml_safe(v) for k, v in attributes.items()},
        nsmap={None: NAMESPACE},
    )


def write_project(
    records: Sequence[ExportRecord], meta: ExportMeta, out: IO[bytes], locale: str = "nl"
) -> None:
    """Write project.qde for these records to `out`, one source at a time (bounded memory)."""
    described = described_records(records)
    seed, created = meta.export_seed, xml_datetime(meta.created_at)
    users = {
        "exporter": export_guid(seed, "user", "exporter"),
        "model": export_guid(seed, "user", "model"),
        "human": export_guid(seed, "user", "human"),
    }
    user_list = _top("Users")
    _element(user_list, "User", guid=users["exporter"], name=meta.exported_by)
    _element(user_list, "User", guid=users["model"], name=f"model {meta.model_version}")
    _element(user_list, "User", guid=users["human"], name=HUMAN_CODER.get(locale, "human coder"))

    code_guids: dict[str, str] = {}
    codebook = None
    themes = _code_themes(described, meta)
    if themes:
        codebook = _top("CodeBook")
        codes = _element(codebook, "Codes")
        for index, theme in enumerate(themes):
            code_guids[theme.key] = export_guid(seed, "code", theme.key)
            name = theme.name_en if locale == "en" else theme.name_nl
            code = _element(
                codes,
                "Code",
                guid=code_guids[theme.key],
                name=name or theme.key,
                isCodable="true",
                color=CODE_COLOURS[index % len(CODE_COLOURS)],
            )
            if theme.definition:
                _text_element(code, "Description", theme.definition)

    names = dict(VARIABLE_NAMES.get(locale, VARIABLE_NAMES["en"]))
    # residents' own answers (self-signification) as document variables, named by their column
    names.update({column: column for column in signification_columns(described)})
    variable_guids = {field: export_guid(seed, "variable", field) for field in names}
    variables = _top("Variables")
    for field, name in names.items():
        _element(
            variables, "Variable", guid=variable_guids[field], name=name, typeOfVariable="Text"
        )
    description = _top("Description")
    description.text = xml_safe(PROJECT_DESCRIPTION.get(locale, PROJECT_DESCRIPTION["en"]))

    attributes = {
        "name": xml_safe(meta.project_name),
        "origin": xml_safe(meta.software),
        "creatingUserGUID": users["exporter"],
        "creationDateTime": created,
    }
    with etree.xmlfile(out, encoding="UTF-8") as xml:
        xml.write_declaration()
        with xml.element(f"{{{NAMESPACE}}}Project", attributes, nsmap={None: NAMESPACE}):
            for part in (user_list, codebook, variables):
                if part is not None:
                    xml.write("\n", part, pretty_print=True)
            if len(described):
                with xml.element(f"{{{NAMESPACE}}}Sources"):
                    for record in records:
                        source = _top("Sources")
                        _add_source(
                            source, record, seed, created, users, code_guids, variable_guids
                        )
                        xml.write("\n", source[0], pretty_print=True)
            xml.write("\n", description, pretty_print=True)


def build_project(
    records: Sequence[ExportRecord], meta: ExportMeta, locale: str = "nl"
) -> etree._ElementTree:
    """The project.qde document for these records (not yet validated)."""
    buffer = io.BytesIO()
    write_project(records, meta, buffer, locale)
    return etree.ElementTree(etree.fromstring(buffer.getvalue()))


def _add_source(
    sources: etree._Element,
    record: ExportRecord,
    seed: str,
    created: str,
    users: dict[str, str],
    code_guids: dict[str, str],
    variable_guids: dict[str, str],
) -> None:
    """One TextSource with its whole-text selection, codings and variable values."""
    guid = export_guid(seed, "source", record.export_id)
    source = _element(
        sources,
        "TextSource",
        guid=guid,
        name=record.export_id,
        plainTextPath=f"internal://{guid}.txt",
        creatingUser=users["exporter"],
        creationDateTime=created,
    )
    text = qdpx_text(record.text)
    holder = source
    if text and record.theme_keys:
        holder = _element(
            source,
            "PlainTextSelection",
            guid=export_guid(seed, "selection", record.export_id),
            name=record.export_id,
            startPosition="0",
            endPosition=str(len(text)),
            creatingUser=users["exporter"],
            creationDateTime=created,
        )
    for key in record.theme_keys:
        coding = _element(
            holder,
            "Coding",
            guid=export_guid(seed, "coding", f"{record.export_id}\x1f{key}"),
            creatingUser=users[record.theme_source(key)],
            creationDateTime=created,
        )
        _element(coding, "CodeRef", targetGUID=code_guids[key])
    for field, variable_guid in variable_guids.items():
        value = _element(source, "VariableValue")
        _element(value, "VariableRef", targetGUID=variable_guid)
        if field in VARIABLE_NAMES["en"]:
            text = getattr(record, field)
        else:
            answer = record.signification.get(field)
            text = "" if answer is None else str(answer)
        _text_element(value, "TextValue", text)


def _zip_info(name: str, moment: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_qdpx(
    records: Sequence[ExportRecord], meta: ExportMeta, fileobj: IO[bytes], locale: str = "nl"
) -> None:
    """Write the records as a REFI-QDA project (.qdpx ZIP) to a binary file-like object.

    `locale` ('nl' or 'en') chooses the code and variable names. The project and the texts are
    written record by record, so memory does not grow with the number of stories.
    """
    stamp = max(meta.created_at.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    with zipfile.ZipFile(fileobj, "w") as archive:
        large = len(records) > LARGE_EXPORT
        with archive.open(_zip_info(PROJECT_FILE, stamp), "w", force_zip64=large) as entry:
            write_project(records, meta, entry, locale)
        for record in records:
            guid = export_guid(meta.export_seed, "source", record.export_id)
            path = f"{SOURCES_DIR}/{guid}.txt"
            archive.writestr(_zip_info(path, stamp), qdpx_text(record.text).encode("utf-8"))


def load_schema(schema_path: Path | str = SCHEMA_PATH) -> etree.XMLSchema:
    """The REFI-QDA project schema as an lxml validator."""
    return etree.XMLSchema(etree.parse(str(schema_path)))


def validate_qdpx(fileobj: IO[bytes], schema_path: Path | str = SCHEMA_PATH) -> None:
    """Raise `lxml.etree.DocumentInvalid` unless the .qdpx's project.qde is schema-valid."""
    with zipfile.ZipFile(fileobj) as archive:
        document = etree.fromstring(archive.read(PROJECT_FILE))
    load_schema(schema_path).assertValid(document)
