"""Dutch number, percentage and month formats, and the gettext layer with its fallbacks."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import reports
from reports.i18n import NumberFormat, translator

REPORTS_DIR = Path(reports.__file__).parent
FRAGMENT = REPORTS_DIR / "TRANSLATIONS_nl.po-fragment"


def test_dutch_formats_thousands_percentages_and_months():
    numbers = NumberFormat("nl")
    assert numbers.count(1234) == "1.234"
    assert numbers.percent(0.035) == "3,5%"
    assert numbers.month("2026-03") == "maart 2026"
    assert numbers.month("2026-03", short=True) == "mrt 2026"
    assert numbers.euros(1234.5) == "€\xa01.234,50"
    assert numbers.points(-0.0333) == "−3,3"
    assert numbers.signed_count(17) == "+17"


def test_english_formats():
    numbers = NumberFormat("en")
    assert (numbers.count(1234), numbers.percent(0.035)) == ("1,234", "3.5%")
    assert numbers.month("2026-03") == "March 2026"


def test_translator_falls_back_to_the_msgid_without_catalogs(tmp_path):
    _ = translator("en", tmp_path)
    assert _("too few data") == "too few data"
    assert (
        _.ngettext("based on %(n)s story", "based on %(n)s stories", 2) == "based on %(n)s stories"
    )


def test_dutch_comes_from_the_fragment_until_the_catalogs_have_it(tmp_path):
    _ = translator("nl", tmp_path)
    assert _("too few data") == "te weinig gegevens"
    assert (
        _.ngettext("based on %(n)s story", "based on %(n)s stories", 1)
        == "op basis van %(n)s verhaal"
    )


def test_compiled_catalogs_win_over_the_fragment(tmp_path):
    catalog = Catalog(locale="nl")
    catalog.add("too few data", "onvoldoende gegevens")
    target = tmp_path / "nl" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    _ = translator("nl", tmp_path)
    assert _("too few data") == "onvoldoende gegevens"
    assert _("Key figures") == "Kerncijfers"


def test_every_message_in_reports_has_a_dutch_translation_in_the_fragment():
    # Only this package's own modules: reports/research/ keeps its own messages.
    method_map = [("*.py", "python"), ("templates/**.html", "jinja2")]
    found = {
        message[0] if isinstance(message, tuple) else message
        for _file, _line, message, _comments, _context in extract_from_dir(REPORTS_DIR, method_map)
    }
    with FRAGMENT.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert found, "no messages extracted"
    assert found - translated == set()


def test_no_module_in_reports_imports_flask():
    for path in REPORTS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] in ("flask", "webapp") for name in names), path
