"""`weefsel staff …`: accounts from the command line, through the same services as the web app."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .models import ROLES

staff = click.Group("staff", help="Staff accounts: create, invite, list, set-role, deactivate.")

ROLE_OPTION = click.option("--role", type=click.Choice(ROLES), required=True)
AREA_OPTION = click.option(
    "--area",
    default="",
    help="area code the role holds for (a gemeente, stadsdeel or wijk); empty: every area",
)


def _gettext():
    from .i18n import command_line_language, gettext_for

    return gettext_for(command_line_language())


def _grant(role: str, area_code: str):
    from .extensions import db
    from .services.areas import UnknownArea, find_area
    from .services.staff_accounts import Grant

    if not area_code:
        return Grant(role, None)
    try:
        return Grant(role, find_area(db.session, area_code).id)
    except UnknownArea:
        raise click.ClickException(f"unknown area {area_code!r}") from None


def _account(email: str):
    from .extensions import db
    from .services.staff_accounts import find_account

    user = find_account(db.session, email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


def _link(token: str) -> str:
    from .site import external_url

    with current_app.test_request_context():
        return external_url("accounts.set_password", token=token)


def _refused(error) -> click.ClickException:
    return click.ClickException(error.render(_gettext()))


@staff.command("create")
@click.option("--email", required=True)
@click.option("--name", default="")
@ROLE_OPTION
@AREA_OPTION
@click.password_option(help="at least 12 characters, not a common password")
@with_appcontext
def staff_create(email: str, name: str, role: str, area: str, password: str) -> None:
    """Create an account with a password."""
    from .extensions import db
    from .services.staff_accounts import AccountError, create_staff_user

    try:
        user = create_staff_user(db.session, email, name, password, grants=[_grant(role, area)])
    except AccountError as error:
        raise _refused(error) from None
    click.echo(f"created {role} account {user.email} ({area or 'all areas'})")


@staff.command("invite")
@click.option("--email", required=True)
@click.option("--name", default="")
@ROLE_OPTION
@AREA_OPTION
@with_appcontext
def staff_invite(email: str, name: str, role: str, area: str) -> None:
    """Create an account without a password and print its one-time link (valid 7 days)."""
    from .extensions import db
    from .services.staff_accounts import AccountError, invite

    try:
        user, token = invite(db.session, email, name, [_grant(role, area)])
    except AccountError as error:
        raise _refused(error) from None
    click.echo(f"invited {user.email}; send this link (works once, 7 days):")
    click.echo(_link(token))


@staff.command("list")
@with_appcontext
def staff_list() -> None:
    """Every account with its roles and areas."""
    from sqlalchemy import select

    from .extensions import db
    from .models import StaffUser

    for user in db.session.scalars(select(StaffUser).order_by(StaffUser.email)):
        grants = ", ".join(
            f"{g.role}@{g.area.code if g.area else 'all'}"
            for g in sorted(user.grants, key=lambda g: g.role)
        )
        state = "active" if user.active else "deactivated"
        if user.active and not user.password_hash:
            state = "invited"
        click.echo(f"{user.email}\t{state}\t{grants or '-'}")


@staff.command("set-role")
@click.option("--email", required=True)
@ROLE_OPTION
@AREA_OPTION
@click.option("--add", is_flag=True, help="add this role instead of replacing every role")
@with_appcontext
def staff_set_role(email: str, role: str, area: str, add: bool) -> None:
    """Give an account this role for this area (replacing its roles unless --add)."""
    from .extensions import db
    from .services.staff_accounts import AccountError, Grant, set_grants

    user = _account(email)
    grants = [Grant(g.role, g.area_id) for g in user.grants] if add else []
    grants.append(_grant(role, area))
    try:
        set_grants(db.session, user, list(dict.fromkeys(grants)))
    except AccountError as error:
        raise _refused(error) from None
    click.echo(f"{user.email}: {', '.join(sorted(user.roles()))}")


@staff.command("deactivate")
@click.option("--email", required=True)
@with_appcontext
def staff_deactivate(email: str) -> None:
    """The account can no longer log in; its sessions end at once."""
    from .extensions import db
    from .services.staff_accounts import deactivate

    user = _account(email)
    deactivate(db.session, user)
    click.echo(f"deactivated {user.email}")


@staff.command("reset-password")
@click.option("--email", required=True)
@with_appcontext
def staff_reset_password(email: str) -> None:
    """Print a one-time link (valid 24 hours) to choose a new password; sessions end."""
    from .extensions import db
    from .services.staff_accounts import AccountError, reset_link

    try:
        token = reset_link(db.session, _account(email))
    except AccountError as error:
        raise _refused(error) from None
    click.echo(_link(token))
