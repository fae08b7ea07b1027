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


# near-identical reports: the same person twice, or a copied text
SHINGLE = 5
DUPLICATE_AT = 0.6
MAX_COMPARED = 2000


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Return the character shingles of a text, ignoring case, punctuation and spacing."""
    flat = " ".join("".join(c if c.isalnum() else " " for c in (text or "").lower()).split())
    if len(flat) <= size:
        return {flat} if flat else set()
    return {flat[i:i + size] for i in range(len(flat) - size + 1)}


def similarity(a: str, b: str) -> float:
    """Return the Jaccard similarity of two texts' character shingles (0 to 1)."""
    left, right = shingles(a), shingles(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def near_duplicates(session: Session, user: User, signal: Signal,
                    threshold: float = DUPLICATE_AT) -> list[tuple[Signal, float]]:
    """Return the user's other visible reports that are nearly the same text, most alike first."""
    from participatie.accounts.permissions import visible_signals
    from participatie.vocabulary import WITHDRAWN

    query = (visible_signals(user).where(Signal.id != signal.id, Signal.status != WITHDRAWN)
             .order_by(Signal.created_at.desc()).limit(MAX_COMPARED))
    found = [(other, similarity(signal.text, other.text)) for other in session.scalars(query)]
    return sorted(((o, s) for o, s in found if s >= threshold), key=lambda p: (-p[1], p[0].id))


def duplicate_pairs(signals: list[Signal],
                    threshold: float = DUPLICATE_AT) -> list[tuple[Signal, Signal, float]]:
    """Return the pairs of nearly identical reports among these (a theme's members)."""
    marked = [(s, shingles(s.text)) for s in signals[:400]]
    pairs = []
    for i, (a, sa) in enumerate(marked):
        for b, sb in marked[i + 1:]:
            if sa and sb:
                score = len(sa & sb) / len(sa | sb)
                if score >= threshold:
                    pairs.append((a, b, score))
    return pairs


def link_duplicate(session: Session, user: User, signal: Signal,
                   original: Signal | None) -> None:
    """Mark a report as a duplicate of another (None: not a duplicate); it then counts once."""
    if not can_act_on(user, signal) or (original is not None
                                        and not can_act_on(user, original)):
        raise Forbidden("duplicate")
    if original is not None:
        if original.id == signal.id:
            raise ValueError("a report is not its own duplicate")
        # link to the first of a chain, so there is one original per group
        while original.duplicate_of is not None and original.duplicate_of.id != signal.id:
            original = original.duplicate_of
        if original.duplicate_of_id == signal.id:
            original.duplicate_of_id = None
    if (original.id if original else None) == signal.duplicate_of_id:
        return
    signal.duplicate_of_id = original.id if original else None
    for follower in session.scalars(select(Signal).where(Signal.duplicate_of_id == signal.id)):
        follower.duplicate_of_id = original.id if original else signal.id
        if follower.duplicate_of_id == follower.id:
            follower.duplicate_of_id = None
    audit.record(session, user, "duplicate" if original else "not_duplicate", "signal",
                 signal.id, **({"of": original.id} if original else {}))
    session.flush()
