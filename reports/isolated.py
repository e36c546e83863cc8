"""Rendering a report's PDF in a short-lived child process.

The PDF renderer loads fpdf2 and draws its charts as PNG with matplotlib: about 60 MB that a
process keeps for the rest of its life once it has rendered one PDF. A web worker that renders
the PDF of one small report would carry that for every later request (issue 13: at most 300 MB
per web worker), so the web app asks a child process, which exits when the PDF is written and
gives the memory back at once. The child runs the same `render_pdf`, so the PDF is the same
byte for byte. Job workers and the CLI call `render_pdf` directly.

    pdf = render_pdf_in_child(report)     # bytes

Protocol: the parent writes a pickled Report on the child's stdin, the child writes the PDF on
its stdout. Both ends are this module (no untrusted pickle).
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 300


class RenderFailed(RuntimeError):
    """The child process did not produce the document."""


def render_pdf_in_child(report: Report, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The report as PDF bytes, rendered by `render_pdf` in a child process."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "reports.isolated"],
            input=pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL),
            capture_output=True,
            timeout=timeout,
            cwd=ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RenderFailed(f"PDF rendering took more than {timeout:.0f} s") from error
    if completed.returncode != 0 or not completed.stdout.startswith(b"%PDF"):
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RenderFailed(f"PDF rendering failed ({completed.returncode}): {detail}")
    return completed.stdout


def _main() -> None:
    from .pdf import render_pdf

    report = pickle.load(sys.stdin.buffer)
    buffer = io.BytesIO()
    render_pdf(report, buffer)
    sys.stdout.buffer.write(buffer.getvalue())
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main()
