"""For the beheerder: the audit log and the users of the region (invite, disable)."""

from __future__ import annotations

import smtplib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from participatie import audit, db
from participatie.accounts import ROLES, AccountError, create_user, disable_user, require_role
from participatie.accounts.invitations import send_invitation
from participatie.models import User, Wijk
from participatie.views.workforms import InviteForm, errors
from participatie.views.workspace.common import bp, user_and_region
from participatie.vocabulary import role_label


@bp.get("/logboek")
@require_role("beheerder")
def audit_log() -> str:
    """Show who changed or exported what, newest first."""
    _user, region = user_and_region()
    page = min(max(1, request.args.get("pagina", 1, type=int) or 1), 100_000)
    events = audit.recent(db.session(), region.id, limit=100, offset=(page - 1) * 100)
    return render_template("workspace/audit.html", events=events, page=page)


def _users_page(problems: dict[str, str], form: InviteForm, status: int = 200
                ) -> tuple[str, int]:
    _user, region = user_and_region()
    users = db.session().scalars(select(User).where(User.region_id == region.id)
                                 .order_by(User.name)).all()
    return render_template(
        "workspace/users.html", users=users, errors=problems, form=form,
        role_options=[(code, role_label(code)) for code in ROLES],
        wijk_options=[(w.id, w.name) for w in region.wijken]), status


@bp.get("/gebruikers")
@require_role("beheerder")
def users() -> tuple[str, int]:
    """List the region's users, with a form to invite someone."""
    _user, region = user_and_region()
    return _users_page({}, InviteForm({w.id for w in region.wijken}, formdata=None))


@bp.post("/gebruikers")
@require_role("beheerder")
def users_invite() -> Response | tuple[str, int]:
    """Add a user and e-mail them an invitation."""
    inviter, region = user_and_region()
    session = db.session()
    form = InviteForm({w.id for w in region.wijken})
    problems = errors(form) if not form.validate() else {}
    if not problems and (waiting := _waiting_for_password(form, region.id)) is not None:
        return _invite_again(waiting, inviter)
    if not problems:
        wijken = list(session.scalars(select(Wijk).where(Wijk.id.in_(form.chosen_wijken()))))
        try:
            user = create_user(session, region.id, form.email.data, form.name.data or "",
                               form.role.data, wijken)
        except AccountError:
            problems["email"] = _("There is already an account with this e-mail address.")
    if problems:
        session.rollback()
        return _users_page(problems, form, 400)
    audit.record(session, inviter, "invite", "user", user.id, role=user.role)
    session.commit()
    try:
        send_invitation(user, inviter)
        flash(_("The invitation was sent."), "ok")
    except (OSError, smtplib.SMTPException):
        flash(_("The account was made, but the e-mail could not be sent. Try again later."),
              "error")
    return redirect(url_for("workspace.users"))


def _waiting_for_password(form: InviteForm, region_id: int) -> User | None:
    """Return the account this same invitation made before, when it has no password yet."""
    email = (form.email.data or "").strip().lower()
    user = db.session().scalar(select(User).where(User.email == email))
    if (user is None or user.region_id != region_id or not user.active
            or user.password_hash is not None or user.role != form.role.data):
        return None
    return user if {w.id for w in user.wijken} == set(form.chosen_wijken()) else None


def _invite_again(user: User, inviter: User) -> Response:
    """Send the invitation again ("try again later" after a failed e-mail, or a lost one)."""
    audit.record(db.session(), inviter, "invite", "user", user.id, role=user.role)
    db.session().commit()
    try:
        send_invitation(user, inviter)
        flash(_("This account was already made and waits for its password. The invitation was "
                "sent again."), "ok")
    except (OSError, smtplib.SMTPException):
        flash(_("The account was made, but the e-mail could not be sent. Try again later."),
              "error")
    return redirect(url_for("workspace.users"))


@bp.post("/gebruikers/<int:user_id>/uitschakelen")
@require_role("beheerder")
def users_disable(user_id: int) -> Response:
    """Disable a user of the region and end their sessions."""
    admin, region = user_and_region()
    user = db.session().get(User, user_id)
    if user is None or user.region_id != region.id:
        abort(404)
    if user.id == admin.id:
        abort(400)
    disable_user(db.session(), user, admin)
    db.session().commit()
    flash(_("The account is disabled."), "ok")
    return redirect(url_for("workspace.users"))
