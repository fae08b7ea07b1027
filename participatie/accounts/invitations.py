"""Invitation e-mails: a signed link, valid for a week, to choose a password."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from participatie import mail
from participatie.accounts import INVITE_DAYS, invitation_token
from participatie.models import User


def invitation_link(user: User) -> str:
    """Return the absolute link in the invitation (on the public base URL)."""
    # built against the public address, also from the command line where there is no request
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return url_for("workspace.auth.invitation", token=invitation_token(user), _external=True)


def send_invitation(user: User, inviter: User | None = None, language: str = "nl") -> str:
    """E-mail the user a link to choose a password; return the link."""
    link = invitation_link(user)
    with force_locale(language):
        context = {"user": user, "inviter": inviter, "link": link, "days": INVITE_DAYS}
        message = mail.build_message(
            user.email, _("Your account for the Participatie workspace"),
            render_template("email/invite.txt", **context),
            render_template("email/invite.html", **context))
    mail.send(message)
    return link
