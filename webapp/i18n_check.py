"""Fail when the translation catalogs are stale or a Dutch translation is missing.

Run by `make test`: extracts the messages from the code into a temporary template and compares
it with translations/messages.pot and the nl/en catalogs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

from .config import PROJECT_ROOT, TRANSLATIONS_PATH

KEYWORDS = ["_", "gettext", "ngettext:1,2", "lazy_gettext", "_l", "N_", "pgettext:1c,2"]
REQUIRED_COMPLETE = ("nl",)
LOCALES = ("nl", "en")


def extract_template(target: Path) -> None:
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    command = [
        pybabel,
        "-q",
        "extract",
        "-F",
        "babel.cfg",
        "-o",
        str(target),
        "--no-location",
        "--omit-header",
    ]
    for keyword in KEYWORDS:
        command += ["-k", keyword]
    subprocess.run(command + ["."], cwd=PROJECT_ROOT, check=True)


def message_ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def catalog_problems() -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract_template(fresh)
        in_code = message_ids(fresh)
    pot = TRANSLATIONS_PATH / "messages.pot"
    if not pot.exists():
        return [f"{pot} is missing: run `make translations-update`"]
    if message_ids(pot) != in_code:
        missing = sorted(in_code - message_ids(pot))[:10]
        extra = sorted(message_ids(pot) - in_code)[:10]
        problems.append(
            f"messages.pot is stale (new: {missing}, gone: {extra}); run `make translations-update`"
        )
    for locale in LOCALES:
        po_path = TRANSLATIONS_PATH / locale / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            problems.append(f"{po_path} is missing")
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        if ids != in_code:
            problems.append(f"{locale} catalog is stale; run `make translations-update`")
        if locale in REQUIRED_COMPLETE:
            for message in catalog:
                if not message.id:
                    continue
                untranslated = not message.string or (
                    isinstance(message.string, tuple) and not all(message.string)
                )
                if untranslated or message.fuzzy:
                    problems.append(f"{locale}: no (or fuzzy) translation for {message.id!r}")
    return problems


def main() -> int:
    problems = catalog_problems()
    for problem in problems:
        print(f"translations: {problem}", file=sys.stderr)
    if not problems:
        print("translations: catalogs up to date, Dutch complete")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
