"""Recording, following and withdrawing signals; reference codes; contact retention.

Like every service these functions flush and never commit: the view or command that calls
them commits once, so a request is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from participatie.models import (
    Contact,
    Region,
    Signal,
    StatusChange,
    Submission,
    Theme,
    ThemeMembership,
    Wijk,
    utcnow,
)

# no 0/O, 1/I/L, U/V, 5/S, 2/Z, 8/B: nothing that sounds or looks like another character
ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
SIGNAL_STATUSES = ("received", "in_progress", "with_kernteam", "on_agenda", "resolved", "closed")
WITHDRAWN = "withdrawn"


def new_reference() -> str:
    """Return a code like 'K7FM-3RXA': 8 unambiguous characters in two groups of four."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


WITHDRAW_LENGTH = 12  # 23^12 is about 2^54: see "Reference codes" in the README


def withdraw_code_from(seed: bytes) -> str:
    """Turn 32+ secret bytes into a code like 'K7FM-3RXA-PQ4T' (12 characters of ALPHABET)."""
    number = int.from_bytes(seed, "big")
    chars = []
    for _ in range(WITHDRAW_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    code = "".join(chars)
    return "-".join(code[i:i + 4] for i in range(0, WITHDRAW_LENGTH, 4))


def new_withdraw_code() -> str:
    """Return a fresh random withdraw code."""
    return withdraw_code_from(secrets.token_bytes(32))


def digest(value: str) -> str:
    """Return the hex sha256 of value (stored instead of tokens and withdraw codes)."""
    return hashlib.sha256(value.encode()).hexdigest()


def _plain_withdraw_code(typed: str) -> str:
    chars = "".join(c for c in typed.upper() if c.isalnum() and c.isascii())
    return "-".join(chars[i:i + 4] for i in range(0, len(chars), 4))


def withdraw_code_matches(submission: Submission, typed: str) -> bool:
    """Say whether typed is the withdraw code of submission (older reports have none)."""
    if submission.withdraw_hash is None:
        return True
    return hmac.compare_digest(submission.withdraw_hash, digest(_plain_withdraw_code(typed)))


def find_by_submit_token(session: Session, token: str) -> Submission | None:
    """Return the submission already stored for a form's one-time token, if any."""
    return session.scalar(select(Submission).where(Submission.submit_token_hash == digest(token)))


def normalise_reference(typed: str) -> str:
    """Turn what someone typed or read aloud ('k7fm 3rxa', 'Ｋ７ＦＭ') into the stored form."""
    chars = "".join(c for c in unicodedata.normalize("NFKC", typed).upper() if c.isalnum())
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars


def clean_text(value: str) -> str:
    """Normalise to NFC and trim; the text is otherwise kept as the person wrote it."""
    return unicodedata.normalize("NFC", value).strip()


@dataclass(frozen=True)
class KnelpuntInput:
    """One knelpunt as entered: raw text (redacted before it is stored) and what it concerns."""

    text: str
    wijk_slugs: Sequence[str]
    disciplines: Sequence[str] = ()
    frequency: str | None = None
    severity: int | None = None


@dataclass(frozen=True)
class ContactInput:
    """Contact details given with explicit consent."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    updates: bool = False  # e-mail me the code and news about the report (needs an e-mail)


@dataclass
class Intake:
    """What happens to each new signal: redact always; embed and assign when themes are on."""

    redact: Callable[[str], str]
    after_signal: list[Callable[[Session, Signal], None]] = field(default_factory=list)


def record_submission(
    session: Session, intake: Intake, region: Region, *, form_id: str, form_version: int,
    answers: dict[str, Any], knelpunten: Sequence[KnelpuntInput], language: str = "nl",
    reporter_role: str | None = None, contact: ContactInput | None = None,
    retention_days: int = 180, created_at: dt.datetime | None = None,
    submit_token: str | None = None, withdraw_code: str | None = None,
) -> Submission:
    """Store a submission with its redacted signals and separate contact; return it, flushed.

    A second call with the same submit_token raises IntegrityError at the flush (the token is
    unique). The caller commits.
    """
    created = created_at or utcnow()
    submission = Submission(
        reference=_unused_reference(session), region_id=region.id, form_id=form_id,
        form_version=form_version, answers=answers, language=language,
        reporter_role=reporter_role, created_at=created,
        submit_token_hash=digest(submit_token) if submit_token else None,
        withdraw_hash=digest(withdraw_code or new_withdraw_code()),
    )
    wijken = {w.slug: w for w in session.scalars(select(Wijk).where(Wijk.region_id == region.id))}
    for position, item in enumerate(knelpunten):
        signal = Signal(
            region_id=region.id, position=position, text=intake.redact(clean_text(item.text)),
            disciplines=list(item.disciplines), frequency=item.frequency, severity=item.severity,
            wijken=[wijken[s] for s in item.wijk_slugs if s in wijken], created_at=created,
        )
        signal.history.append(StatusChange(status="received", created_at=created))
        submission.signals.append(signal)
    if contact and (contact.email or contact.phone):
        submission.contact = Contact(
            name=contact.name, email=contact.email, phone=contact.phone, consent_at=created,
            delete_after=created + dt.timedelta(days=retention_days),
            updates=bool(contact.updates and contact.email),
        )
    session.add(submission)
    session.flush()
    from participatie import residentmail

    residentmail.queue_confirmation(session, submission)
    for signal in submission.signals:
        for hook in intake.after_signal:
            hook(session, signal)
    session.flush()
    return submission


def _unused_reference(session: Session) -> str:
    while True:
        code = new_reference()
        if session.scalar(select(Submission.id).where(Submission.reference == code)) is None:
            return code


def find_submission(session: Session, typed_code: str) -> Submission | None:
    """Look up a submission by the code the resident typed."""
    code = normalise_reference(typed_code)
    return session.scalar(select(Submission).where(Submission.reference == code))


def set_status(
    session: Session, signal: Signal, status: str, public_reply: str | None = None,
    user_id: int | None = None,
) -> StatusChange:
    """Change a signal's status (and public reply), keeping the history."""
    if status not in SIGNAL_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    reply = clean_text(public_reply) if public_reply else None
    change = StatusChange(status=status, public_reply=reply, user_id=user_id)
    signal.status = status
    if reply:
        signal.public_reply = reply
    signal.history.append(change)
    from participatie import residentmail

    residentmail.queue_status(session, signal, change)
    return change


def _squeeze(text: str) -> str:
    return " ".join(text.split()).casefold()


def withdraw(session: Session, submission: Submission) -> None:
    """Delete what the reporter wrote everywhere it was copied; keep a tombstone that counts.

    Gone: the answers, the contact, each signal's text and embedding, theme quotes taken
    from it, and the public replies to it (they may quote it).
    """
    now = utcnow()
    texts = [_squeeze(s.text) for s in submission.signals if s.text.strip()]
    submission.withdrawn_at = now
    submission.answers = {}
    submission.contact = None
    for signal in submission.signals:
        signal.text = ""
        signal.public_reply = None
        signal.embedding = None
        signal.status = WITHDRAWN
        for change in signal.history:
            change.public_reply = None
            if change.reopen_reason is not None:
                change.reopen_reason = ""  # the reporter's words go; the line stays
        if signal.satisfaction is not None:
            signal.satisfaction.text = ""
        signal.history.append(StatusChange(status=WITHDRAWN, created_at=now))
        session.execute(delete(ThemeMembership).where(ThemeMembership.signal_id == signal.id))
        _release_duplicates(session, signal)
    if texts:
        for theme in session.scalars(select(Theme).where(Theme.region_id == submission.region_id)):
            kept = [q for q in theme.quotes or [] if not any(
                _squeeze(q) and (_squeeze(q) in t or t in _squeeze(q)) for t in texts)]
            if kept != list(theme.quotes or []):
                theme.quotes = kept
    session.flush()


def _release_duplicates(session: Session, withdrawn: Signal) -> None:
    """Let the duplicates of a withdrawn report count again: the oldest becomes the original."""
    followers = session.scalars(
        select(Signal).where(Signal.duplicate_of_id == withdrawn.id,
                             Signal.submission_id != withdrawn.submission_id)
        .order_by(Signal.created_at, Signal.id)).all()
    if followers:
        first = followers[0]
        first.duplicate_of_id = None
        for follower in followers[1:]:
            follower.duplicate_of_id = first.id


def purge_expired_contacts(session: Session, retention_days: int,
                           now: dt.datetime | None = None) -> int:
    """Delete contact details given more than retention_days ago (the current setting)."""
    cutoff = (now or utcnow()) - dt.timedelta(days=retention_days)
    result = session.execute(delete(Contact).where(Contact.consent_at <= cutoff))
    session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
