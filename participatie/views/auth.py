"""Logging in and out of the workspace, and accepting an invitation (under /werkruimte)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from participatie import accounts, audit, db
from participatie.extensions import limiter
from participatie.security import local_target

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # only our own workspace pages, never another site (no open redirect, no CR/LF)
    return local_target(target, "/werkruimte") or url_for("workspace.overview")


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    """Show the log-in form and log the user in."""
    errors: dict[str, str] = {}
    email = request.form.get("email", "").strip()
    if request.method == "POST":
        password = request.form.get("password", "")
        if not email:
            errors["email"] = _("Enter your e-mail address.")
        if not password:
            errors["password"] = _("Enter your password.")
        if not errors:
            user, outcome = accounts.authenticate(db.session(), email, password)
            if user is not None:
                accounts.log_in(user)
                audit.record(db.session(), user, "login", "user", user.id)
                db.session().commit()
                return redirect(_safe_next(request.args.get("next")))
            errors["email"] = (
                _("Too many wrong attempts. Your account is locked for %(minutes)d minutes.",
                  minutes=accounts.LOCK_MINUTES) if outcome == "locked"
                else _("The e-mail address or password is not right.")
            )
    status = 400 if errors else 200
    return render_template("auth/login.html", errors=errors, email=email), status


@bp.post("/uitloggen")
def logout() -> Response:
    """Log out here, or on every device when asked."""
    everywhere = request.form.get("overal") == "1"
    user = accounts.current_user()
    if user is not None and everywhere:
        audit.record(db.session(), user, "logout_everywhere", "user", user.id)
    accounts.log_out(everywhere=everywhere)
    return redirect(url_for("workspace.auth.login", uitgelogd="1"))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def invitation(token: str) -> str | Response | tuple[str, int]:
    """Let an invited user (or one who forgot) choose a password."""
    session = db.session()
    user, outcome = accounts.user_for_token(session, token)
    if user is None:
        return render_template("auth/invitation_invalid.html", outcome=outcome), 410
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        if accounts.check_password_strength(password):
            errors["password"] = _("Choose a password of at least 12 characters.")
        elif password != request.form.get("password2", ""):
            errors["password2"] = _("The two passwords are not the same.")
        if not errors:
            accounts.set_password(session, user, password)
            audit.record(session, user, "set_password", "user", user.id)
            session.commit()
            accounts.log_in(user)
            return redirect(url_for("workspace.overview"))
    return render_template("auth/invitation.html", user=user, errors=errors), 400 if errors else 200
