"""Send each due digest at most once: claim it (committed), send it, then record it as sent.

The claim is committed before the mail server is contacted. When the server refuses or the
connection breaks, the claim is released and the next run retries. When the run itself stops
between the two commits (killed, power cut, the database gone after the server said 250), the
row stays claimed: nobody knows whether the message arrived, so no run sends it again until an
operator asks (`digest send --resend-unconfirmed`). Each (subscriber, period) has one fixed
Message-ID, so a message sent again is recognisable as the same one (mail logs, clients).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from participatie import mail
from participatie.digests import periods
from participatie.digests.content import Digest, collect
from participatie.digests.render import RenderedDigest, render
from participatie.models import DigestDelivery, Subscription, User, utcnow

log = logging.getLogger(__name__)
SMTP_ERRORS = mail.SMTP_ERRORS


@dataclass
class RunResult:
    """What a run did, for the command's output and exit code (addresses, never content)."""

    sent: list[str] = field(default_factory=list)
    already_sent: int = 0
    busy: int = 0
    unconfirmed: list[tuple[str, str]] = field(default_factory=list)
    empty: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    planned: list[RenderedDigest] = field(default_factory=list)


def due(session: Session, frequency: str | None = None) -> list[tuple[User, Subscription]]:
    """Return the active subscribers whose digest is on (only one frequency when given)."""
    query = (select(User, Subscription).join(Subscription, Subscription.user_id == User.id)
             .where(User.active.is_(True), Subscription.frequency.in_(periods.FREQUENCIES))
             .order_by(User.id))
    if frequency:
        query = query.where(Subscription.frequency == frequency)
    return [(user, sub) for user, sub in session.execute(query)]


def delivered(session: Session, user_id: int, key: str) -> bool:
    """Tell whether this user's digest for this period has gone out."""
    return session.scalar(select(DigestDelivery.id).where(
        DigestDelivery.user_id == user_id, DigestDelivery.period == key,
        DigestDelivery.sent_at.is_not(None))) is not None


def next_digest(session: Session, user: User, subscription: Subscription,
                now: dt.datetime | None = None) -> Digest:
    """Return the digest the next run will send: the last period, or the running one if sent."""
    now = now or utcnow()
    frequency = subscription.frequency if subscription.frequency in periods.FREQUENCIES \
        else "weekly"
    period = periods.last_completed(frequency, now)
    if delivered(session, user.id, period.key):
        return collect(session, user, subscription, periods.current(frequency, now), until=now)
    return collect(session, user, subscription, period)


# a claim younger than this belongs to a run that may still be sending it
BUSY_FOR = dt.timedelta(minutes=15)


def message_id(user_id: int, key: str) -> str:
    """Return the fixed Message-ID of one subscriber's digest for one period."""
    from flask import current_app

    secret = str(current_app.config["SECRET_KEY"]).encode()
    tag = hashlib.sha256(secret + f"|digest|{user_id}|{key}".encode()).hexdigest()[:16]
    domain = current_app.config["MAIL_SENDER"].rpartition("@")[2] or "localhost"
    return f"<digest.{key}.{user_id}.{tag}@{domain}>"


def send_due(session: Session, *, frequency: str | None = None, now: dt.datetime | None = None,
             dry_run: bool = False, resend_unconfirmed: bool = False,
             connect: Callable[[], smtplib.SMTP] = mail.connect) -> RunResult:
    """Send every due digest for the last completed period; failures are retried next run."""
    now, result = now or utcnow(), RunResult()
    outbox = mail.Connection(connect)
    try:
        for user, subscription in due(session, frequency):
            period = periods.last_completed(subscription.frequency, now)
            if delivered(session, user.id, period.key):
                result.already_sent += 1
                continue
            digest = collect(session, user, subscription, period)
            if digest.empty and not subscription.send_when_empty:
                result.empty += 1
                continue
            if dry_run:
                result.planned.append(render(digest))
                continue
            _send_one(session, outbox, digest, result, resend_unconfirmed)
    finally:
        outbox.close()
    return result


def _send_one(session: Session, outbox: mail.Connection, digest: Digest, result: RunResult,
              resend_unconfirmed: bool = False) -> None:
    """Claim the delivery (committed), send, record sent_at; on failure release the claim."""
    user, key = digest.user, digest.period.key
    session.rollback()
    try:
        row, state = _claim(session, user.id, key, resend_unconfirmed)
    except (IntegrityError, OperationalError):
        # another run claimed it at the same moment (PostgreSQL: the unique key; SQLite: the
        # database is locked) and is sending it now; if that run fails, the next one retries
        session.rollback()
        result.busy += 1
        return
    if row is None:
        session.rollback()
        if state == "sent":
            result.already_sent += 1
        elif state == "busy":
            result.busy += 1
        else:
            result.unconfirmed.append((user.email, message_id(user.id, key)))
            log.warning("digest %s for user %s: an earlier run stopped while sending it; not "
                        "sent again (digest send --resend-unconfirmed)", key, user.id)
        return
    session.commit()  # the claim is durable before the mail server hears of it
    rendered = render(digest)
    rendered.headers["Message-ID"] = message_id(user.id, key)
    try:
        outbox.send(rendered.message())
    except SMTP_ERRORS as error:
        # the server refused it or the connection broke before it accepted: not sent, retry
        session.rollback()
        reason = mail.describe_error(error)
        _release(session, user.id, key, reason)
        result.failed.append((user.email, reason))
        log.warning("digest %s for user %s not sent: %s", key, user.id, reason)
        return
    except BaseException:
        # stopped (Ctrl-C, SIGTERM) while handing it over: most likely not accepted; let the
        # next run retry (a kill -9 gets no say and leaves the claim: then it is not resent)
        session.rollback()
        _release(session, user.id, key, "interrupted while sending")
        raise
    row.sent_at, row.last_error = utcnow(), None
    session.commit()
    result.sent.append(user.email)
    log.info("digest %s sent to user %s", key, user.id)


def _claim(session: Session, user_id: int, key: str,
           resend_unconfirmed: bool) -> tuple[DigestDelivery | None, str]:
    """Lock (or create) the delivery row and claim it; (None, why) when it must not be sent."""
    row = session.scalar(select(DigestDelivery).where(
        DigestDelivery.user_id == user_id, DigestDelivery.period == key).with_for_update())
    if row is None:
        row = DigestDelivery(user_id=user_id, period=key, attempts=0)
        session.add(row)
    elif row.sent_at is not None:
        return None, "sent"
    elif row.claimed_at is not None:
        if utcnow() - row.claimed_at < BUSY_FOR:
            return None, "busy"
        if not resend_unconfirmed:
            return None, "unconfirmed"
    row.claimed_at, row.attempts = utcnow(), (row.attempts or 0) + 1
    session.flush()
    return row, "claimed"


def _release(session: Session, user_id: int, key: str, reason: str) -> None:
    """Give a claimed delivery back with the reason, so the next run tries again."""
    row = session.scalar(select(DigestDelivery).where(
        DigestDelivery.user_id == user_id, DigestDelivery.period == key))
    if row is not None and row.sent_at is None:
        row.claimed_at, row.last_error = None, reason[:500]
    try:
        session.commit()
    except (IntegrityError, OperationalError):
        # bookkeeping only; the claim then ages into "unconfirmed" and an operator decides
        session.rollback()
