"""Logging in and out of the workspace, and accepting an invitation (under /werkruimte)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from participatie import accounts, audit, db
from participatie.extensions import limiter
from participatie.views.workforms import InvitationForm, LoginForm, errors

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # only our own workspace pages, never another site (no open redirect)
    if target and target.startswith("/werkruimte") and not target.startswith("//"):
        return target
    return url_for("workspace.overview")


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    """Show the log-in form and log the user in."""
    form = LoginForm()
    problems: dict[str, str] = {}
    if form.is_submitted():
        problems = errors(form) if not form.validate() else {}
        if not problems:
            user, _outcome = accounts.authenticate(db.session(), form.email.data,
                                                   form.password.data, request.remote_addr or "")
            if user is not None:
                accounts.log_in(user)
                audit.record(db.session(), user, "login", "user", user.id)
            db.session().commit()
            if user is not None:
                return redirect(_safe_next(request.args.get("next")))
            # one message for a wrong e-mail, a wrong password and a wait: it tells nobody
            # whether an account exists
            problems["email"] = _("We could not log you in. Check your e-mail address and "
                                  "password. After several wrong tries, wait a few minutes.")
    status = 400 if problems else 200
    return render_template("auth/login.html", form=form, errors=problems), status


@bp.post("/uitloggen")
def logout() -> Response:
    """Log out here, or on every device when asked."""
    everywhere = request.form.get("overal") == "1"
    user = accounts.current_user()
    if user is not None:
        audit.record(db.session(), user, "logout_everywhere" if everywhere else "logout",
                     "user", user.id)
    accounts.log_out(everywhere=everywhere)
    db.session().commit()
    return redirect(url_for("workspace.auth.login", uitgelogd="1"))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def invitation(token: str) -> str | Response | tuple[str, int]:
    """Let an invited user (or one who forgot) choose a password."""
    session = db.session()
    user, outcome = accounts.user_for_token(session, token)
    if user is None:
        return render_template("auth/invitation_invalid.html", outcome=outcome), 410
    form = InvitationForm(user.email)
    problems: dict[str, str] = {}
    if form.is_submitted():
        if form.validate():
            accounts.set_password(session, user, form.password.data)
            session.commit()
            accounts.log_in(user)
            return redirect(url_for("workspace.overview"))
        problems = errors(form)
    return (render_template("auth/invitation.html", user=user, form=form, errors=problems),
            400 if problems else 200)
