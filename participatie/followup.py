"""Following a report up: contact details on purpose, who picked it up, internal notes.

Services flush and record the audit event; the view commits once. Contact details are only
returned here, one report at a time, to someone who may act on the report, with a reason.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie import audit
from participatie.accounts.permissions import Forbidden, can_act_on
from participatie.models import Contact, ReportNote, Signal, User, utcnow
from participatie.vocabulary import CONTACT_REASONS

MAX_NOTE = 2000


def has_contact(signal: Signal) -> bool:
    """Tell whether the reporter left contact details that are still kept."""
    contact = signal.submission.contact
    return bool(contact and contact.delete_after > utcnow()
                and (contact.email or contact.phone or contact.name))


def reveal_contact(session: Session, user: User, signal: Signal, reason: str) -> Contact | None:
    """Return a report's contact details for a reason, and write that in the audit log.

    Forbidden for anyone who may not act on the report; ValueError for an unknown reason;
    None when there are none (never left, or past their retention date).
    """
    if not can_act_on(user, signal):
        raise Forbidden("contact")
    if reason not in CONTACT_REASONS:
        raise ValueError("reason")
    if not has_contact(signal):
        return None
    audit.record(session, user, "contact_view", "signal", signal.id, reason=reason)
    session.flush()
    return signal.submission.contact


def colleagues(session: Session, signal: Signal) -> list[User]:
    """Return the active users of the region who may act on a report, by name."""
    users = session.scalars(select(User).where(User.region_id == signal.region_id,
                                               User.active.is_(True)).order_by(User.name))
    return [u for u in users if can_act_on(u, signal)]


def set_owner(session: Session, user: User, signal: Signal, owner: User | None) -> None:
    """Give a report to someone who may act on it (the user themself: "I pick this up").

    None lets go of it. Forbidden when the user or the new owner may not act on the report.
    """
    if not can_act_on(user, signal):
        raise Forbidden("owner")
    if owner is not None and (owner.region_id != signal.region_id
                              or not can_act_on(owner, signal)):
        raise Forbidden("owner")
    if (owner.id if owner else None) == signal.owner_id:
        return
    signal.owner_id = owner.id if owner else None
    action = "unclaim" if owner is None else ("claim" if owner.id == user.id else "assign")
    audit.record(session, user, action, "signal", signal.id,
                 **({"owner": owner.id} if owner is not None else {}))
    session.flush()


def add_note(session: Session, user: User, signal: Signal, text: str) -> ReportNote:
    """Add an internal note to a report (author and time kept; never shown to the reporter)."""
    if not can_act_on(user, signal):
        raise Forbidden("note")
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise ValueError("text")
    note = ReportNote(signal_id=signal.id, user_id=user.id, text=text)
    session.add(note)
    audit.record(session, user, "note", "signal", signal.id)
    session.flush()
    return note
