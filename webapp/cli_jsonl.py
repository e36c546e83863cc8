"""One way for every JSONL command (``classify``, ``anonymise``) to read input, write output and
handle bad lines.

Each bad line is reported with its line number. With ``--skip-bad`` the good lines are written
and the bad ones left out. Without it the command stops at the first bad line, still lists every
bad line, and writes nothing: the output goes to a temporary file (or, for stdout, a spooled
buffer) that only replaces the target when the whole input was good. So a failed run never
leaves a half-written file that looks complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import click

from nlp.jsonl import BadLines, JsonlLineError

from .cli_i18n import N_, cli_gettext

SKIP_BAD_HELP = N_("leave out bad lines (each is reported) instead of stopping")
SPOOL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class JsonlOutcome:
    """How many records were written and which lines were left out."""

    written: int
    bad: list[JsonlLineError]


def run_jsonl_command(
    input_path: str,
    output_path: str,
    skip_bad: bool,
    process: Callable[[IO[bytes], IO[str], BadLines], int],
) -> JsonlOutcome:
    """Run ``process(source, target, bad)`` with the shared input, output and bad-line rules;
    ClickException (in the user's language) when bad lines stop the command."""
    _ = cli_gettext()
    if input_path != "-" and not Path(input_path).is_file():
        raise click.ClickException(_("The file %(path)s does not exist.") % {"path": input_path})
    bad = BadLines(skip_bad=skip_bad)
    with _open_input(input_path) as source, _staged_output(output_path) as staged:
        written = process(source, staged.file, bad)
        for error in bad.errors:
            click.echo(describe_bad_line(error, _), err=True)
        if bad.errors and not skip_bad:
            staged.keep = False
            raise click.ClickException(
                _(
                    "Nothing was written: %(count)s bad line(s). Correct them, or use "
                    "--skip-bad to leave them out."
                )
                % {"count": len(bad.errors)}
            )
    if bad.errors:
        click.echo(
            _("%(count)s bad line(s) left out.") % {"count": len(bad.errors)},
            err=True,
        )
    return JsonlOutcome(written, bad.errors)


def describe_bad_line(error: JsonlLineError, gettext: Callable[[str], str]) -> str:
    """``regel 3: geen geldige JSON (…)`` in the user's language."""
    reason = gettext(error.msgid) % error.params if error.params else gettext(error.msgid)
    return gettext("line %(line)s: %(reason)s") % {"line": error.line_no, "reason": reason}


# The reasons nlp.jsonl gives, so Babel extracts them for the catalogs.
_REASONS = (
    N_("not UTF-8 text (%(error)s)"),
    N_("not valid JSON (%(error)s)"),
    N_('expected a JSON object with "id" and "text"'),
    N_('missing "text"'),
    N_('"text" must be a string, not %(kind)s'),
    N_('missing "id"'),
    N_("id %(id)s: %(error)s"),
)


def _open_input(path: str) -> contextlib.AbstractContextManager[IO[bytes]]:
    """Bytes, so a line that is not UTF-8 is reported as that line, not as a crash."""
    if path == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    return open(path, "rb")  # noqa: SIM115


@dataclass
class _Staged:
    file: IO[str]
    keep: bool = True


@contextlib.contextmanager
def _staged_output(path: str) -> Iterator[_Staged]:
    """A file to write to that becomes ``path`` (or goes to stdout) only if kept to the end."""
    if path == "-":
        with tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8") as buffer:
            staged = _Staged(buffer)
            yield staged
            if staged.keep:
                buffer.seek(0)
                shutil.copyfileobj(buffer, sys.stdout)
        return
    target = Path(path)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed when kept
        "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", delete=False
    )
    staged = _Staged(handle)
    try:
        yield staged
    except BaseException:
        staged.keep = False
        raise
    finally:
        handle.close()
        if staged.keep:
            os.replace(handle.name, target)
        else:
            os.unlink(handle.name)
