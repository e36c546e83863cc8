"""`weefsel purge`: delete what is past its retention period (a dry run unless --apply)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from . import clock
from .i18n import command_line_language, gettext_for


def _kind_labels(gettext) -> dict[str, str]:
    return {
        "stories": gettext("stories past their retention period"),
        "rejected_stories": gettext("rejected stories"),
        "withdrawal_traces": gettext("traces of withdrawn stories (audit rows)"),
        "audit_events": gettext("other audit rows"),
        "share_links": gettext("revoked or expired share links"),
        "inactive_accounts": gettext("inactive staff accounts (made anonymous)"),
    }


@click.command("purge")
@click.option(
    "--apply",
    "apply_changes",
    is_flag=True,
    help="Really delete; without it the command only shows what it would delete.",
)
@with_appcontext
def purge(apply_changes: bool) -> None:
    """Delete data past its retention period, as the privacy statement says."""
    from .extensions import db
    from .services.retention import RetentionPolicy, apply_purge, plan_purge

    gettext = gettext_for(command_line_language())
    policy = RetentionPolicy.from_config(current_app.config)
    plan = plan_purge(db.session, policy, clock.today())
    labels = _kind_labels(gettext)
    for kind, count in plan.counts().items():
        click.echo(f"{count:>7}  {labels[kind]}")
    if not apply_changes:
        click.echo(gettext("Dry run: nothing was deleted. Add --apply to delete."))
        return
    apply_purge(db.session, plan)
    click.echo(gettext("Deleted. The database file holds no copy of the deleted text."))


PRIVACY_COMMANDS = (purge,)
