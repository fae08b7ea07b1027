"""Send each due digest once, recording the delivery in the same transaction as the send."""

from __future__ import annotations

import datetime as dt
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
SMTP_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class RunResult:
    """What a run did, for the command's output and exit code (addresses, never content)."""

    sent: list[str] = field(default_factory=list)
    already_sent: int = 0
    busy: int = 0
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


def send_due(session: Session, *, frequency: str | None = None, now: dt.datetime | None = None,
             dry_run: bool = False,
             connect: Callable[[], smtplib.SMTP] = mail.connect) -> RunResult:
    """Send every due digest for the last completed period; failures are retried next run."""
    now, result = now or utcnow(), RunResult()
    outbox = _Outbox(connect)
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
            _send_one(session, outbox, digest, result)
    finally:
        outbox.close()
    return result


def _send_one(session: Session, outbox: _Outbox, digest: Digest, result: RunResult) -> None:
    """Claim the delivery row, send, and commit sent_at together; on failure record the error."""
    user, key = digest.user, digest.period.key
    session.rollback()
    try:
        row = _claim(session, user.id, key)
    except (IntegrityError, OperationalError):
        # another run claimed it at the same moment (PostgreSQL: the unique key; SQLite: the
        # database is locked) and is sending it now; if that run fails, the next one retries
        session.rollback()
        result.busy += 1
        return
    if row is None:
        session.rollback()
        result.already_sent += 1
        return
    try:
        rendered = render(digest)
        row.attempts += 1
        outbox.send(rendered)
        row.sent_at, row.last_error = utcnow(), None
        session.commit()
    except SMTP_ERRORS as error:
        session.rollback()
        reason = _describe(error)
        _record_failure(session, user.id, key, reason)
        result.failed.append((user.email, reason))
        log.warning("digest %s for user %s not sent: %s", key, user.id, reason)
        return
    result.sent.append(user.email)
    log.info("digest %s sent to user %s", key, user.id)


def _claim(session: Session, user_id: int, key: str) -> DigestDelivery | None:
    """Lock (or create) the delivery row; None when it was sent meanwhile."""
    row = session.scalar(select(DigestDelivery).where(
        DigestDelivery.user_id == user_id, DigestDelivery.period == key).with_for_update())
    if row is None:
        row = DigestDelivery(user_id=user_id, period=key, attempts=0)
        session.add(row)
        session.flush()
    return None if row.sent_at is not None else row


def _record_failure(session: Session, user_id: int, key: str, reason: str) -> None:
    row = session.scalar(select(DigestDelivery).where(
        DigestDelivery.user_id == user_id, DigestDelivery.period == key))
    if row is None:
        row = DigestDelivery(user_id=user_id, period=key, attempts=0)
        session.add(row)
    if row.sent_at is None:
        row.attempts += 1
        row.last_error = reason[:500]
    try:
        session.commit()
    except (IntegrityError, OperationalError):
        # a parallel run holds the row; the failure is only bookkeeping, the retry still happens
        session.rollback()


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {msg.decode(errors='replace')}" for code, msg in
                 error.recipients.values()]
        return "refused: " + "; ".join(codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    return f"{type(error).__name__}: {error}"


class _Outbox:
    """One SMTP connection per run, opened on first use and reopened after it breaks."""

    def __init__(self, connect: Callable[[], smtplib.SMTP]) -> None:
        self._connect, self._smtp = connect, None

    def send(self, rendered: RenderedDigest) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            mail.send(rendered.message(), smtp=self._smtp)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            raise  # the server answered (e.g. 550): the connection is still good
        except OSError:
            # disconnected or a network error: start over with a new connection next time
            self._smtp.close()
            self._smtp = None
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except SMTP_ERRORS:
                self._smtp.close()
            self._smtp = None
