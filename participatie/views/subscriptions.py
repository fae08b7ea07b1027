"""Digest settings in the workspace, the admin preview, and the public unsubscribe link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from participatie import accounts, audit, db, digests
from participatie.digests.render import date_range, period_label
from participatie.extensions import csrf
from participatie.models import Subscription, User
from participatie.views.workforms import DigestForm, errors
from participatie.vocabulary import role_label

bp = Blueprint("subscriptions", __name__)


@bp.context_processor
def _context() -> dict[str, object]:
    # the workspace layout shows the user and their role in its menu
    return {"user": accounts.current_user(),
            "role_label": role_label}


@bp.after_request
def _private(response: Response) -> Response:
    # digests carry (redacted) health data: no shared caches, no framing
    response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def subscription_for(user: User) -> Subscription:
    """Return the user's subscription, or an unsaved one: off until they choose (opt-in)."""
    found = db.session().scalar(select(Subscription).where(Subscription.user_id == user.id))
    return found or Subscription(user_id=user.id, frequency="off", wijk_slugs=[],
                                 send_when_empty=False, language="nl")


@bp.route("/werkruimte/samenvatting", methods=["GET", "POST"])
@accounts.login_required
def settings() -> str | Response | tuple[str, int]:
    """Let a user choose how often, for which wijken and in which language they get a digest."""
    user = accounts.current_user()
    assert user is not None
    session = db.session()
    subscription = subscription_for(user)
    allowed = digests.allowed_wijken(session, user)
    problems: dict[str, str] = {}
    if request.method == "POST":
        problems = _apply(subscription, allowed)
        if not problems:
            session.add(subscription)
            audit.record(session, user, "digest_settings", "subscription", user.id,
                         frequency=subscription.frequency)
            session.commit()
            flash(_("Your settings are saved."), "ok")
            return redirect(url_for("subscriptions.settings"))
        session.rollback()
    return render_template("subscriptions/settings.html", subscription=subscription,
                           wijken=allowed, errors=problems), 400 if problems else 200


def _apply(subscription: Subscription, allowed: list) -> dict[str, str]:  # type: ignore[type-arg]
    """Copy the posted choices onto the subscription; return the errors by field id."""
    form = DigestForm({w.slug for w in allowed})
    if not form.validate():
        return errors(form, {"frequency": "frequency-weekly", "wijk": "wijk-0",
                             "language": "language-nl"})
    subscription.frequency = form.frequency.data
    subscription.wijk_slugs = sorted(set(form.wijk.data or []))
    subscription.send_when_empty = bool(form.when_empty.data)
    subscription.language = form.language.data or "nl"
    return {}


@bp.get("/werkruimte/samenvatting/voorbeeld")
@bp.get("/werkruimte/samenvatting/voorbeeld/<int:user_id>")
@accounts.login_required
def preview(user_id: int | None = None) -> str:
    """Show a subscriber's next digest: your own, or anyone's of your region for a beheerder."""
    subscriber = _subscriber_or_403(user_id)
    digest = digests.next_digest(db.session(), subscriber, subscription_for(subscriber))
    rendered = digests.render(digest)
    period = _("%(period)s (%(dates)s)", period=period_label(digest),
               dates=date_range(digest.period.start, digest.period.end))
    return render_template("subscriptions/preview.html", subscriber=subscriber, digest=digest,
                           rendered=rendered, period=period)


@bp.get("/werkruimte/samenvatting/voorbeeld/<int:user_id>/html")
@accounts.login_required
def preview_html(user_id: int) -> Response:
    """Return the HTML part of a subscriber's next digest as the mail client would get it."""
    subscriber = _subscriber_or_403(user_id)
    digest = digests.next_digest(db.session(), subscriber, subscription_for(subscriber))
    return Response(digests.render(digest).html, mimetype="text/html")


def _subscriber_or_403(user_id: int | None) -> User:
    viewer = accounts.current_user()
    assert viewer is not None
    if user_id is None or user_id == viewer.id:
        return viewer
    subscriber = db.session().get(User, user_id)
    if subscriber is None:
        abort(404)
    if viewer.role != "beheerder" or subscriber.region_id != viewer.region_id:
        abort(403)
    return subscriber


@bp.get("/werkruimte/samenvatting/abonnees")
@accounts.require_role("beheerder")
def subscribers() -> str:
    """List the region's users with their digest settings, each with a preview link."""
    viewer = accounts.current_user()
    assert viewer is not None
    rows = db.session().execute(
        select(User, Subscription).outerjoin(Subscription, Subscription.user_id == User.id)
        .where(User.region_id == viewer.region_id).order_by(User.name)).all()
    return render_template("subscriptions/subscribers.html", rows=rows)


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; RFC 8058 one-click POSTs carry no CSRF token
def unsubscribe(token: str) -> str | tuple[str, int]:
    """Stop someone's digests from the link in the e-mail, without logging in."""
    session = db.session()
    user_id = digests.read_unsubscribe_token(token)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return render_template("subscriptions/unsubscribe.html", state="invalid"), 404
    if request.method == "GET":
        return render_template("subscriptions/unsubscribe.html", state="confirm", token=token)
    subscription = subscription_for(user)
    if subscription.frequency != "off":
        subscription.frequency = "off"
        session.add(subscription)
        audit.record(session, user, "digest_unsubscribe", "subscription", user.id,
                     one_click=request.form.get("List-Unsubscribe") == "One-Click")
        session.commit()
    return render_template("subscriptions/unsubscribe.html", state="done")


@bp.route("/berichten-stoppen/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; RFC 8058 one-click POSTs carry no CSRF token
def stop_updates(token: str) -> str | tuple[str, int]:
    """Stop a resident's e-mails about their report from the link in the e-mail (no login)."""
    from participatie import residentmail

    session = db.session()
    contact = residentmail.contact_for_token(session, token)
    if contact is None:
        return render_template("public/stop_updates.html", state="invalid"), 404
    if request.method == "GET":
        return render_template("public/stop_updates.html", state="confirm", token=token)
    if residentmail.stop_updates(session, contact):
        audit.record(session, None, "resident_updates_stop", "submission", contact.submission_id,
                     region_id=contact.submission.region_id,
                     one_click=request.form.get("List-Unsubscribe") == "One-Click")
        session.commit()
    return render_template("public/stop_updates.html", state="done")
