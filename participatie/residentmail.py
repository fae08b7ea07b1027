"""E-mails to residents who asked for them: the code after sending, then news about the report.

A resident's or reviewer's request never sends: it adds a ResidentMail row to the outbox in its
own transaction (the view commits once), and after the commit a job drains the outbox
(participatie/jobs.py; `participatie residentmail send` does the same from cron). The row names
the contact, never a copy of the address, and the message is made when it is sent: a contact
deleted by retention or by withdrawal takes its rows with it, and a row whose resident stopped
the updates, or whose report was withdrawn, is dropped unsent.

Each row is claimed (committed) before the mail server hears of it, with a conditional UPDATE,
so two drains at the same moment never send the same row. A refusal or a broken connection
releases the claim with the reason; the next drain retries. A drain killed between the
server's 250 and the commit leaves the row claimed; after STALE it is tried again (then the
same Message-ID lets mail clients see it is the same message).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import inspect, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from participatie import mail, vocabulary
from participatie.models import (
    Contact,
    PublicUpdate,
    ResidentMail,
    Signal,
    StatusChange,
    Submission,
    ThemeMembership,
    ThemePublication,
    utcnow,
)

log = logging.getLogger(__name__)
KINDS = ("confirmation", "status", "reply", "theme")
STALE = dt.timedelta(minutes=30)  # a claim this old belongs to a drain that stopped
_SALT = "participatie.resident-updates"
SMTP_ERRORS = mail.SMTP_ERRORS


def wants_updates(contact: Contact | None) -> bool:
    """Say whether this contact asked for e-mails and may still get them."""
    if contact is None or inspect(contact).was_deleted:
        return False
    return (bool(contact.updates) and bool(contact.email)
            and contact.submission is not None and contact.submission.withdrawn_at is None)


# --- what requests record -----------------------------------------------------------------------


def queue_confirmation(session: Session, submission: Submission) -> ResidentMail | None:
    """Put the e-mail with the code in the outbox when the resident asked for it."""
    if not wants_updates(submission.contact):
        return None
    row = ResidentMail(contact=submission.contact, kind="confirmation")
    session.add(row)
    return row


def queue_status(session: Session, signal: Signal, change: StatusChange) -> ResidentMail | None:
    """Put an e-mail about a new status or a public reply in the outbox, if asked for."""
    contact = signal.submission.contact if signal.submission is not None else None
    if not wants_updates(contact):
        return None
    row = ResidentMail(contact=contact, kind="reply" if change.public_reply else "status",
                       status_change=change)
    session.add(row)
    return row


def queue_theme(session: Session, public_update: PublicUpdate) -> list[ResidentMail]:
    """Put an e-mail in the outbox for each resident with updates whose report is in the theme."""
    query = (select(Contact).join(Submission, Submission.id == Contact.submission_id)
             .join(Signal, Signal.submission_id == Submission.id)
             .join(ThemeMembership, ThemeMembership.signal_id == Signal.id)
             .where(ThemeMembership.theme_id == public_update.theme_id,
                    Contact.updates.is_(True), Contact.email.is_not(None),
                    Submission.withdrawn_at.is_(None), Signal.status != vocabulary.WITHDRAWN)
             .order_by(Contact.id).distinct())
    rows = [ResidentMail(contact=contact, kind="theme", public_update=public_update)
            for contact in session.scalars(query)]
    session.add_all(rows)
    return rows


def stop_updates(session: Session, contact: Contact) -> bool:
    """Turn a resident's e-mails off; return whether they were on (flushed, not committed)."""
    was_on = bool(contact.updates)
    contact.updates = False
    session.flush()
    return was_on


# --- the unsubscribe link -----------------------------------------------------------------------


def unsubscribe_token(contact: Contact) -> str:
    """Sign the contact (and its report) for the stop link; it does not expire."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).dumps(
        {"c": contact.id, "s": contact.submission_id})


def contact_for_token(session: Session, token: str) -> Contact | None:
    """Return the contact a valid stop link names, or None (changed, not ours, or deleted)."""
    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).loads(token)
    except BadData:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in "cs"):
        return None
    if not all(0 < data[k] < 2**63 for k in "cs"):
        return None
    contact = session.get(Contact, data["c"])
    return contact if contact is not None and contact.submission_id == data["s"] else None


# --- the message ------------------------------------------------------------------------------


def message_id(row: ResidentMail) -> str:
    """Return the fixed Message-ID of one outbox row."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    tag = hashlib.sha256(secret + f"|resident|{row.id}".encode()).hexdigest()[:16]
    domain = current_app.config["MAIL_SENDER"].rpartition("@")[2] or "localhost"
    return f"<resident.{row.id}.{tag}@{domain}>"


def render(session: Session, row: ResidentMail) -> mail.Rendered | None:
    """Make the e-mail for a row now, in the resident's language; None when it must not go."""
    contact = session.get(Contact, row.contact_id)
    if not wants_updates(contact) or row.kind not in KINDS:
        return None
    assert contact is not None and contact.email is not None
    submission = contact.submission
    change = session.get(StatusChange, row.status_change_id) if row.status_change_id else None
    news = session.get(PublicUpdate, row.public_update_id) if row.public_update_id else None
    publication = None
    if row.kind in ("status", "reply"):
        if change is None or change.signal.status == vocabulary.WITHDRAWN:
            return None
    if row.kind == "theme":
        if news is None:
            return None
        publication = session.scalar(select(ThemePublication).where(
            ThemePublication.theme_id == news.theme_id, ThemePublication.published.is_(True)))
        if publication is None or publication.theme.merged_into_id is not None:
            return None
    language = "en" if submission.language == "en" else "nl"
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context("/", base_url=base), force_locale(language):
        code = submission.reference
        # every link opens its page in the mail's language (a mail app has no language cookie)
        lang = None if language == "nl" else language  # Dutch is the default: a shorter link
        stop_url = url_for("subscriptions.stop_updates", token=unsubscribe_token(contact),
                           lang=lang, _external=True)
        context = {
            "kind": row.kind, "code": code, "lang": language, "stop_url": stop_url,
            "status_url": url_for("public.status", code=code, lang=lang, _external=True),
            "status": vocabulary.status_label(change.status) if change else "",
            "reply": change.public_reply if change else "",
            "publication": publication, "news_kind": news.kind if news else "",
            "theme_url": (url_for("loop.region", lang=lang, _external=True)
                          + f"#thema-{news.theme_id}")
            if news else "",
        }
        subject = {
            "confirmation": _("Your report %(code)s has been received", code=code),
            "status": _("News about your report %(code)s", code=code),
            "reply": _("Reply to your report %(code)s", code=code),
            "theme": _("News about a problem you reported"),
        }[row.kind]
        context["subject"] = subject
        text = re.sub(r"\n{3,}", "\n\n", render_template("email/update.txt", **context))
        html = render_template("email/update.html", **context)
    headers = {"List-Unsubscribe": f"<{stop_url}>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "Message-ID": message_id(row), "Auto-Submitted": "auto-generated"}
    return mail.Rendered(contact.email, subject, text.strip() + "\n", html, headers)


# --- sending ----------------------------------------------------------------------------------


@dataclass
class DrainResult:
    """What a drain did (row ids, never addresses)."""

    sent: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    busy: int = 0


def pending(session: Session, now: dt.datetime | None = None) -> list[int]:
    """Return the ids of rows that wait to be sent (unclaimed, or claimed by a stopped drain)."""
    stale = (now or utcnow()) - STALE
    return list(session.scalars(select(ResidentMail.id).where(
        ResidentMail.sent_at.is_(None),
        or_(ResidentMail.claimed_at.is_(None), ResidentMail.claimed_at < stale))
        .order_by(ResidentMail.id)))


def drain(session: Session, connect: Callable[[], smtplib.SMTP] = mail.connect,
          now: dt.datetime | None = None) -> DrainResult:
    """Send every waiting e-mail once; failures stay in the outbox for the next drain."""
    result, smtp = DrainResult(), mail.Connection(connect)
    try:
        for row_id in pending(session, now):
            _send_one(session, smtp, row_id, result)
    finally:
        smtp.close()
    return result


def _claim(session: Session, row_id: int) -> bool:
    """Mark the row as taken by this drain (committed); False when another drain has it."""
    now = utcnow()
    session.rollback()
    try:
        claimed = session.execute(
            update(ResidentMail)
            .where(ResidentMail.id == row_id, ResidentMail.sent_at.is_(None),
                   or_(ResidentMail.claimed_at.is_(None), ResidentMail.claimed_at < now - STALE))
            .values(claimed_at=now, attempts=ResidentMail.attempts + 1)
            .execution_options(synchronize_session=False))
        session.commit()
    except OperationalError:  # SQLite: the other drain holds the database lock
        session.rollback()
        return False
    return (claimed.rowcount or 0) == 1  # type: ignore[attr-defined]


def _send_one(session: Session, smtp: mail.Connection, row_id: int, result: DrainResult) -> None:
    if not _claim(session, row_id):
        result.busy += 1
        return
    row = session.get(ResidentMail, row_id, populate_existing=True)
    if row is None:  # its contact was deleted in between
        return
    rendered = render(session, row)
    if rendered is None:
        session.delete(row)
        session.commit()
        result.dropped.append(row_id)
        return
    try:
        smtp.send(rendered.message())
    except SMTP_ERRORS as error:
        session.rollback()
        _release(session, row_id, mail.describe_error(error))
        result.failed.append((row_id, mail.describe_error(error)))
        log.warning("resident e-mail %s not sent: %s", row_id, mail.describe_error(error))
        return
    except BaseException:
        session.rollback()
        _release(session, row_id, "interrupted while sending")
        raise
    row.sent_at, row.last_error = utcnow(), None
    session.commit()
    result.sent.append(row_id)


def _release(session: Session, row_id: int, reason: str) -> None:
    """Give a claimed row back with the reason, so the next drain tries again."""
    row = session.get(ResidentMail, row_id)
    if row is not None and row.sent_at is None:
        row.claimed_at, row.last_error = None, reason[:500]
    try:
        session.commit()
    except OperationalError:  # bookkeeping only: the claim then goes stale and is retried
        session.rollback()
