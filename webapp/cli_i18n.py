"""The command line in the user's language (WEEFSEL_LANG, Dutch by default), from the same Babel
catalogs as the web app.

Help texts are English msgids given as ``help=N_(...)``; ``localize_commands`` translates a
command tree in place, remembering each original msgid so a later language can be applied.
Click's own words ("Usage:", "Options", "Error: …") go through the standard library's gettext,
which ``use_catalog_for_click`` points at our catalog: their msgids are listed below so Babel
extracts them and the Dutch catalog carries their translations.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
from collections.abc import Callable

import click

from .config import TRANSLATIONS_PATH
from .i18n import command_line_language, gettext_for


def N_(msgid: str) -> str:
    """Mark a msgid for extraction; it is translated when the command runs."""
    return msgid


def cli_gettext() -> Callable[[str], str]:
    """gettext for the command-line language."""
    return gettext_for(command_line_language())


def localize_commands(command: click.Command, gettext: Callable[[str], str]) -> None:
    """Translate the help of a command, its options and its subcommands, in place."""
    _translate(command, "help", gettext)
    _translate(command, "short_help", gettext)
    for param in command.params:
        _translate(param, "help", gettext)
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            localize_commands(subcommand, gettext)


def _translate(target: object, attribute: str, gettext: Callable[[str], str]) -> None:
    originals = target.__dict__.setdefault("_weefsel_msgids", {})
    msgid = originals.setdefault(attribute, getattr(target, attribute, None))
    if msgid:
        setattr(target, attribute, gettext(msgid))


def use_catalog_for_click(lang: str) -> None:
    """Let click's built-in texts come from our catalog, in ``lang``, for this process.

    Click translates with the standard library's ``gettext.gettext``, which reads the language
    from the environment; only the ``weefsel`` console script calls this.
    """
    stdlib_gettext.bindtextdomain("messages", str(TRANSLATIONS_PATH))
    stdlib_gettext.textdomain("messages")
    os.environ["LANGUAGE"] = lang


def plural_msgids(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural msgid pair for extraction (keyword ``ngettext``)."""
    return singular, plural


ngettext = plural_msgids  # the name Babel extracts plural pairs by

# Texts of click, Flask and Flask-Migrate that `weefsel --help` and errors show.
THIRD_PARTY_MSGIDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Error: {message}"),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Aborted!"),
    N_("required"),
    N_("default: {default}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("{name} {filename!r} does not exist."),
    N_("{value!r} is not a valid {number_type}."),
    N_("Perform database migrations."),
    N_("Upgrade to a later version"),
    N_("Flask-Limiter maintenance & utility commands"),
    N_("Set debug mode."),
    N_("Show the Flask version."),
    N_(
        "Load environment variables from this file, taking precedence over those set by "
        "'.env' and '.flaskenv'. Variables set directly in the environment take highest "
        "precedence. python-dotenv must be installed."
    ),
    N_(
        "The Flask application or factory function to load, in the form 'module:name'. "
        "Module can be a dotted import or file path. Name is not required if it is 'app', "
        "'application', 'create_app', or 'make_app', and can be 'name(args)' to pass arguments."
    ),
    N_('Migration script directory (default is "migrations")'),
    N_("Additional arguments consumed by custom env.py scripts"),
    N_("Revert to a previous version"),
    N_("Display the current revision for each database."),
    N_("List changeset scripts in chronological order."),
    N_("Show the revision denoted by the given symbol."),
    N_("Show current available heads in the script directory"),
    N_("Show current branch points"),
    N_("Check if there are any new operations to migrate"),
    N_("List available templates."),
    N_("Creates a new migration repository."),
    N_("Create a new revision file."),
    N_("Edit a revision file"),
    N_("Merge two revisions together, creating a new revision file"),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
)
