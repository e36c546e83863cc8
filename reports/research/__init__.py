"""Research export: consented, anonymised stories as k-anonymous CSV, JSONL and REFI-QDA. No Flask.

The caller selects stories with research consent that are not withdrawn and anonymises their
texts; this package takes that plain data and does the rest:

    result = generalise(stories, k=5)                      # ExportStory -> ExportRecord + report
    write_export_archive(result.records, meta, result.report, ("csv", "jsonl", "qdpx"), fileobj)

or the single writers: write_csv(records, f), write_jsonl(records, f), write_qdpx(records, meta, f);
read_qdpx(f) and validate_qdpx(f) re-read and check a .qdpx.
"""

from .archive import FORMATS, write_export_archive
from .data import ExportMeta, ExportRecord, ExportStory, ExportTheme, ThemeTag
from .datasheet import build_datasheet
from .generalise import (
    AGE_BROAD,
    LEVELS,
    GeneralisationLevel,
    GeneralisationReport,
    GeneralisationStep,
    GeneralisedResult,
    LevelOutcome,
    generalise,
)
from .qdpx import SCHEMA_PATH, validate_qdpx, write_qdpx
from .qdpx_reader import QdpxCode, QdpxCoding, QdpxProject, QdpxSource, read_qdpx
from .readme import render_readme
from .tabular import write_csv, write_jsonl

__all__ = [
    "AGE_BROAD",
    "FORMATS",
    "LEVELS",
    "SCHEMA_PATH",
    "ExportMeta",
    "ExportRecord",
    "ExportStory",
    "ExportTheme",
    "GeneralisationLevel",
    "GeneralisationReport",
    "GeneralisationStep",
    "GeneralisedResult",
    "LevelOutcome",
    "QdpxCode",
    "QdpxCoding",
    "QdpxProject",
    "QdpxSource",
    "ThemeTag",
    "build_datasheet",
    "generalise",
    "read_qdpx",
    "render_readme",
    "validate_qdpx",
    "write_csv",
    "write_export_archive",
    "write_jsonl",
    "write_qdpx",
]
