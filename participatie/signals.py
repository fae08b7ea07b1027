"""Recording, following and withdrawing signals; reference codes; contact retention."""

from __future__ import annotations

import datetime as dt
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


def normalise_reference(typed: str) -> str:
    """Turn what someone typed or read aloud ('k7fm 3rxa') into the stored form."""
    chars = "".join(c for c in typed.upper() if c.isalnum())
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
) -> Submission:
    """Store a submission with its redacted signals and separate contact; return it, committed."""
    created = created_at or utcnow()
    submission = Submission(
        reference=_unused_reference(session), region_id=region.id, form_id=form_id,
        form_version=form_version, answers=answers, language=language,
        reporter_role=reporter_role, created_at=created,
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
        )
    session.add(submission)
    session.flush()
    for signal in submission.signals:
        for hook in intake.after_signal:
            hook(session, signal)
    session.commit()
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
    return change


def withdraw(session: Session, submission: Submission) -> None:
    """Delete what the reporter wrote and their contact; keep a tombstone that still counts."""
    now = utcnow()
    submission.withdrawn_at = now
    submission.answers = {}
    submission.contact = None
    for signal in submission.signals:
        signal.text = ""
        signal.public_reply = None
        signal.embedding = None
        signal.status = WITHDRAWN
        signal.history.append(StatusChange(status=WITHDRAWN, created_at=now))
        session.execute(delete(ThemeMembership).where(ThemeMembership.signal_id == signal.id))
    session.commit()


def purge_expired_contacts(session: Session, now: dt.datetime | None = None) -> int:
    """Delete contact details past their retention date; return how many were deleted."""
    result = session.execute(delete(Contact).where(Contact.delete_after <= (now or utcnow())))
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
