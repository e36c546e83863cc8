"""Re-read a .qdpx into a plain summary: codes, sources with their texts, codings and variables.

For tests and for the lead's checks that an export says what it should; it reads what
`write_qdpx` writes (text sources, whole-text or partial selections, source-level codings) and
ignores the rest of the standard (pictures, PDFs, notes, sets, graphs).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from lxml import etree

from .qdpx import NAMESPACE, SOURCES_DIR

_NS = {"q": NAMESPACE}
_INTERNAL = "internal://"


@dataclass(frozen=True)
class QdpxCode:
    """A code of the codebook."""

    guid: str
    name: str
    description: str
    color: str | None


@dataclass(frozen=True)
class QdpxCoding:
    """A code applied to characters [start, end) of a source (whole source: 0..len(text))."""

    code_guid: str
    code_name: str
    start: int
    end: int
    user: str


@dataclass(frozen=True)
class QdpxSource:
    """One text source: its name, full text, codings and variable values (name -> value)."""

    guid: str
    name: str
    text: str
    codings: tuple[QdpxCoding, ...]
    variables: dict[str, str]

    @property
    def code_names(self) -> set[str]:
        """Names of the codes applied anywhere in this source."""
        return {coding.code_name for coding in self.codings}


@dataclass(frozen=True)
class QdpxProject:
    """What a .qdpx holds, as far as the research export uses the standard."""

    name: str
    origin: str | None
    created: str | None
    users: dict[str, str]
    codes: dict[str, QdpxCode]
    variables: dict[str, str]
    sources: tuple[QdpxSource, ...]

    def source(self, name: str) -> QdpxSource:
        """The source with this name (the export id); KeyError if absent."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


def _parser() -> etree.XMLParser:
    # A .qdpx may come from elsewhere: no entity expansion, no network, no huge trees.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_qdpx(fileobj: IO[bytes]) -> QdpxProject:
    """Parse a .qdpx (ZIP) into a `QdpxProject`; texts are read from its Sources/ folder."""
    with zipfile.ZipFile(fileobj) as archive:
        names = archive.namelist()
        project_name = next((name for name in names if name.endswith(".qde")), None)
        if project_name is None:
            raise ValueError("no .qde project file in the archive")
        root = etree.fromstring(archive.read(project_name), _parser())
        texts = {
            name.split("/", 1)[1]: archive.read(name).decode("utf-8-sig")
            for name in names
            if name.lower().startswith(SOURCES_DIR.lower() + "/") and not name.endswith("/")
        }
    users = {
        user.get("guid"): user.get("name", "") for user in root.iterfind("q:Users/q:User", _NS)
    }
    codes = {
        code.get("guid"): QdpxCode(
            code.get("guid"),
            code.get("name"),
            code.findtext("q:Description", default="", namespaces=_NS),
            code.get("color"),
        )
        for code in root.iterfind(".//q:CodeBook//q:Code", _NS)
    }
    variables = {
        variable.get("guid"): variable.get("name")
        for variable in root.iterfind("q:Variables/q:Variable", _NS)
    }
    sources = tuple(
        _read_source(element, texts, users, codes, variables)
        for element in root.iterfind("q:Sources/q:TextSource", _NS)
    )
    return QdpxProject(
        name=root.get("name"),
        origin=root.get("origin"),
        created=root.get("creationDateTime"),
        users=users,
        codes=codes,
        variables=variables,
        sources=sources,
    )


def _read_source(
    element: etree._Element,
    texts: dict[str, str],
    users: dict[str, str],
    codes: dict[str, QdpxCode],
    variables: dict[str, str],
) -> QdpxSource:
    path = element.get("plainTextPath") or ""
    if path.startswith(_INTERNAL):
        text = texts[path[len(_INTERNAL) :]]
    else:
        text = element.findtext("q:PlainTextContent", default="", namespaces=_NS)
    codings = [
        _coding(coding, 0, len(text), users, codes) for coding in element.iterfind("q:Coding", _NS)
    ]
    for selection in element.iterfind("q:PlainTextSelection", _NS):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        codings += [
            _coding(coding, start, end, users, codes)
            for coding in selection.iterfind("q:Coding", _NS)
        ]
    values = {}
    for value in element.iterfind("q:VariableValue", _NS):
        reference = value.find("q:VariableRef", _NS).get("targetGUID")
        found = [child.text or "" for child in value if child.tag != f"{{{NAMESPACE}}}VariableRef"]
        values[variables.get(reference, reference)] = found[0] if found else ""
    return QdpxSource(element.get("guid"), element.get("name", ""), text, tuple(codings), values)


def _coding(
    coding: etree._Element,
    start: int,
    end: int,
    users: dict[str, str],
    codes: dict[str, QdpxCode],
) -> QdpxCoding:
    target = coding.find("q:CodeRef", _NS).get("targetGUID")
    code = codes.get(target)
    user = users.get(coding.get("creatingUser", ""), "")
    return QdpxCoding(target, code.name if code else "", start, end, user)
