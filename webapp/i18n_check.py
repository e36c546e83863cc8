"""Fail when the translation catalogs are stale or a required translation is missing.

Run by `make test`: extracts the messages from the code into a temporary template and compares
it with translations/messages.pot and every catalog. Dutch must be complete. Turkish, Arabic and
Polish must be complete for what residents and initiatives read: every message that occurs in
one of RESIDENT_SOURCES (a new string there, e.g. on a new public page, needs all three);
staff, council and research screens fall back to Dutch in those languages.
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
RESIDENT_COMPLETE = ("tr", "ar", "pl")
LOCALES = ("nl", "en", "tr", "ar", "pl")
# Where the messages of the public pages live (path prefixes, relative to the project root).
RESIDENT_SOURCES = (
    "webapp/templates/",
    "webapp/resident/",
    "webapp/initiative/",
    "webapp/site.py",
    "webapp/errors.py",
    "webapp/languages.py",
    "surveys/responses.py",
    "surveys/values.py",
)


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
        "--omit-header",
    ]
    for keyword in KEYWORDS:
        command += ["-k", keyword]
    subprocess.run(command + ["."], cwd=PROJECT_ROOT, check=True)


def message_ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def resident_message_ids(path: Path) -> set[str]:
    """The msgids of an extracted template (with locations) used in RESIDENT_SOURCES."""
    with path.open("rb") as handle:
        return {
            m.id if isinstance(m.id, str) else m.id[0]
            for m in read_po(handle)
            if m.id and any(file.startswith(RESIDENT_SOURCES) for file, _ in m.locations)
        }


def untranslated(message) -> bool:
    missing = not message.string or (isinstance(message.string, tuple) and not all(message.string))
    return missing or message.fuzzy


def catalog_problems() -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract_template(fresh)
        in_code = message_ids(fresh)
        for_residents = resident_message_ids(fresh)
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
        required = (
            in_code
            if locale in REQUIRED_COMPLETE
            else for_residents
            if locale in RESIDENT_COMPLETE
            else set()
        )
        for message in catalog:
            message_id = message.id if isinstance(message.id, str) else message.id[0]
            if message_id in required and untranslated(message):
                problems.append(f"{locale}: no (or fuzzy) translation for {message_id!r}")
    return problems


def main() -> int:
    problems = catalog_problems()
    for problem in problems:
        print(f"translations: {problem}", file=sys.stderr)
    if not problems:
        print(
            "translations: catalogs up to date, Dutch complete, "
            "Turkish, Arabic and Polish complete for residents"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
