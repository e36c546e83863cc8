"""Account management for admins and coordinators (within their scope) and setting passwords."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..auth import ACCOUNT_MANAGERS, current_scope, current_staff_user, log_out, login_required
from ..extensions import db
from ..form_choices import select_choices
from ..models import ROLES, Area, StaffUser
from ..services import council_reports, second_factor, staff_accounts
from ..services.scopes import holds_any
from ..services.staff_accounts import AccountError, Grant
from ..site import external_url
from ..staff.forms import ActionForm, CodeForm
from .forms import ROLE_LABELS, ChangePasswordForm, GrantForm, InviteForm, NewPasswordForm

bp = Blueprint("accounts", __name__, url_prefix="/beheer", template_folder="templates")


def _grant_choices(form: GrantForm) -> None:
    """Roles and areas this account may hand out."""
    may_make_admins = holds_any(current_staff_user(), ("admin",))
    roles = [r for r in ROLES if r != "admin" or may_make_admins]
    form.role.choices = select_choices([(r, ROLE_LABELS[r]) for r in roles])
    scope = current_scope(ACCOUNT_MANAGERS)
    everywhere = [("", _("All areas"))] if scope.everything else []
    form.area.choices = select_choices(everywhere + council_reports.area_options(db.session, scope))


def _grant_from(form: GrantForm) -> Grant:
    area_id = None
    if form.area.data:
        area = db.session.query(Area).filter_by(code=form.area.data).one_or_none()
        area_id = area.id if area else None
    return Grant(form.role.data, area_id)


def _account_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None or not staff_accounts.may_manage(db.session, current_staff_user(), user):
        abort(404)
    return user


def _area_label(area: Area | None) -> str:
    if area is None:
        return _("All areas")
    return " – ".join([a.name for a in reversed(area.ancestors())] + [area.name])


@bp.get("/accounts")
@login_required(*ACCOUNT_MANAGERS)
def account_list():
    actor = current_staff_user()
    accounts = staff_accounts.accounts_in_scope(db.session, current_scope(ACCOUNT_MANAGERS))
    return render_template(
        "accounts/list.html",
        accounts=accounts,
        manageable={a.id for a in accounts if staff_accounts.may_manage(db.session, actor, a)},
        role_labels=ROLE_LABELS,
        area_label=_area_label,
    )


@bp.route("/accounts/uitnodigen", methods=["GET", "POST"])
@login_required(*ACCOUNT_MANAGERS)
def account_invite():
    form = InviteForm()
    _grant_choices(form)
    if form.validate_on_submit():
        try:
            user, token = staff_accounts.invite(
                db.session,
                form.email.data,
                form.name.data or "",
                [_grant_from(form)],
                actor=current_staff_user(),
            )
        except AccountError as error:
            db.session.rollback()
            form.email.errors.append(error.render(_))
        else:
            # Shown once, on this response only: the link is not stored anywhere readable.
            return render_template(
                "accounts/link.html",
                user=user,
                link=external_url("accounts.set_password", token=token),
                purpose="invite",
            )
    return render_template("accounts/invite.html", form=form), 422 if form.errors else 200


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@login_required(*ACCOUNT_MANAGERS)
def account_detail(user_id: int):
    user = _account_or_404(user_id)
    form = GrantForm()
    _grant_choices(form)
    if request.method == "POST":
        action = request.form.get("action", "")
        grants = [Grant(g.role, g.area_id) for g in user.grants]
        if action == "add" and form.validate_on_submit():
            grants.append(_grant_from(form))
        elif action.startswith("remove:") and ActionForm().validate_on_submit():
            grant_id = action.split(":", 1)[1]
            grants = [Grant(g.role, g.area_id) for g in user.grants if str(g.id) != grant_id]
        elif not form.errors:
            abort(400)
        if not form.errors:
            try:
                staff_accounts.set_grants(
                    db.session, user, list(dict.fromkeys(grants)), actor=current_staff_user()
                )
            except AccountError as error:
                db.session.rollback()
                form.role.errors = [error.render(_)]
            else:
                flash(_("The roles of %(email)s have been changed.", email=user.email))
                return redirect(url_for("accounts.account_detail", user_id=user.id), code=303)
    return render_template(
        "accounts/detail.html",
        user=user,
        form=form,
        action_form=ActionForm(),
        role_labels=ROLE_LABELS,
        area_label=_area_label,
    ), 422 if form.errors else 200


@bp.post("/accounts/<int:user_id>/uitschakelen")
@login_required(*ACCOUNT_MANAGERS)
def account_deactivate(user_id: int):
    user = _account_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    staff_accounts.deactivate(db.session, user, actor=current_staff_user())
    flash(_("%(email)s can no longer log in.", email=user.email))
    return redirect(url_for("accounts.account_list"), code=303)


@bp.post("/accounts/<int:user_id>/herstellink")
@login_required(*ACCOUNT_MANAGERS)
def account_reset_link(user_id: int):
    user = _account_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        token = staff_accounts.reset_link(db.session, user, actor=current_staff_user())
    except AccountError as error:
        flash(error.render(_))
        return redirect(url_for("accounts.account_detail", user_id=user.id), code=303)
    return render_template(
        "accounts/link.html",
        user=user,
        link=external_url("accounts.set_password", token=token),
        purpose="reset",
    )


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The one-time link of an invitation or reset: choose a password, then log in."""
    link = staff_accounts.account_for_token(db.session, token)
    if link is None:
        return render_template("accounts/link_expired.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            staff_accounts.set_password_with_token(db.session, token, form.password.data)
        except AccountError as error:
            db.session.rollback()
            form.password.errors.append(error.render(_))
        else:
            flash(_("Your password has been saved. You can log in now."))
            return redirect(url_for("staff.login"), code=303)
    return render_template(
        "accounts/set_password.html", form=form, email=link.user.email
    ), 422 if form.errors else 200


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required()
def change_password():
    """Change your own password; every session of your account ends, also this one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            staff_accounts.change_password(
                db.session, current_staff_user(), form.current.data, form.password.data
            )
        except AccountError as error:
            db.session.rollback()
            form.password.errors.append(error.render(_))
        else:
            log_out()
            db.session.commit()
            flash(_("Your password has been changed. Please log in again."))
            return redirect(url_for("staff.login"), code=303)
    return render_template("accounts/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/tweestaps", methods=["GET", "POST"])
@login_required()
def totp_setup():
    """Turn the second login step (a code from an authenticator app) on or off."""
    user = current_staff_user()
    required = second_factor.totp_required(user, current_app.config.get("REQUIRE_TOTP", False))
    form = CodeForm()
    secret = session.get("totp_setup_secret") or second_factor.new_secret()
    if form.validate_on_submit():
        try:
            if user.totp_secret:
                second_factor.turn_off(db.session, user, form.code.data, required)
                flash(_("The second step is off."))
            else:
                second_factor.turn_on(db.session, user, secret, form.code.data)
                session.pop("totp_setup_secret", None)
                flash(_("The second step is on. From now on you log in with a code as well."))
            return redirect(url_for("accounts.totp_setup"), code=303)
        except AccountError as error:
            db.session.rollback()
            form.code.errors.append(error.render(_))
    if not user.totp_secret:
        session["totp_setup_secret"] = secret  # the same key until the user confirms a code
    return render_template(
        "accounts/totp_setup.html",
        form=form,
        enabled=bool(user.totp_secret),
        required=required,
        secret=None if user.totp_secret else secret,
        uri=None if user.totp_secret else second_factor.provisioning_uri(user, secret),
    ), 422 if form.errors else 200
