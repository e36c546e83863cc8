"""How long and how much memory a hostile spreadsheet upload costs before it is refused.

Builds an XLSX whose one sheet holds 200,000 rows (it compresses to well under 100 KB) and an
XLSX with a DOCTYPE in workbook.xml, reads each the way the activity import does
(surveys.read_tables), and prints the seconds and the peak Python memory until the refusal.

    .venv/bin/python bench/bench_upload_caps.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from surveys.table_files import MAX_ROWS, TableFileError, read_tables  # noqa: E402

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(rows: int, doctype: bool = False) -> bytes:
    head = '<!DOCTYPE workbook [<!ENTITY a "aaaa">]>' if doctype else ""
    sheet_rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(1, rows + 1)
    )
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?>{head}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{sheet_rows}'
            "</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _read(data: bytes) -> str:
    try:
        read_tables(io.BytesIO(data), "upload.xlsx")
        return "read (not refused)"
    except TableFileError as error:
        return f"refused: {error}"


def measure(label: str, data: bytes) -> None:
    """Time on its own pass (tracemalloc slows Python down), then peak memory on another."""
    started = time.perf_counter()
    outcome = _read(data)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    _read(data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label}: {len(data) / 1024:.0f} KB upload, {seconds:.2f} s, "
        f"peak {peak / 2**20:.1f} MB Python memory, {outcome}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    print(f"row cap: {MAX_ROWS}")
    measure(f"{args.rows} rows", workbook(args.rows))
    measure("DOCTYPE in workbook.xml", workbook(10, doctype=True))


if __name__ == "__main__":
    main()
