"""After a report is solved or closed: the reporter says whether they are satisfied, or reopens it.

Both come from the public status page, without an account; the texts go through the same
redaction as reports. Services flush and write the audit event; the view commits once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from participatie import audit
from participatie.models import Satisfaction, Signal, StatusChange, utcnow
from participatie.signals import Intake, clean_text

DONE_STATUSES: tuple[str, ...] = ("resolved", "closed")
REOPEN_DAYS = 14
REOPEN_STATUS = "received"  # open again, first in line for its kernteam or the ASD
MAX_TEXT = 500


def is_done(signal: Signal) -> bool:
    """Say whether the report is solved or closed (and not withdrawn)."""
    return signal.status in DONE_STATUSES and signal.submission.withdrawn_at is None


def done_since(signal: Signal) -> dt.datetime | None:
    """Return when the report was last solved or closed (None when it is not now)."""
    if not is_done(signal):
        return None
    moments = [c.created_at for c in signal.history if c.status in DONE_STATUSES]
    return max(moments) if moments else signal.created_at


def reopen_until(signal: Signal) -> dt.datetime | None:
    """Return the last moment the reporter may reopen the report (None when not done)."""
    since = done_since(signal)
    return since + dt.timedelta(days=REOPEN_DAYS) if since else None


def may_reopen(signal: Signal, now: dt.datetime | None = None) -> bool:
    """Say whether the reporter may still reopen the report."""
    until = reopen_until(signal)
    return until is not None and (now or utcnow()) <= until


def answer(session: Session, intake: Intake, signal: Signal, satisfied: bool,
           text: str = "") -> Satisfaction | None:
    """Store the reporter's answer once; None when the report is not done or already answered."""
    if not is_done(signal) or signal.satisfaction is not None:
        return None
    found = Satisfaction(signal_id=signal.id, satisfied=satisfied,
                         text=intake.redact(clean_text(text)[:MAX_TEXT]) if text.strip() else "")
    signal.satisfaction = found
    session.flush()
    audit.record(session, None, "satisfaction", "signal", signal.id, region_id=signal.region_id,
                 by="reporter", satisfied=satisfied)
    return found


def reopen(session: Session, intake: Intake, signal: Signal, reason: str,
           now: dt.datetime | None = None) -> StatusChange | None:
    """Open a solved or closed report again within the period; None when that is not allowed.

    The owner stays, so the person who handled it sees it come back; a second call finds the
    report open already and changes nothing.
    """
    session.refresh(signal, with_for_update=True)  # two taps at once: the second one waits
    if not reason.strip() or not may_reopen(signal, now):
        return None
    change = StatusChange(status=REOPEN_STATUS, created_at=now or utcnow(),
                          reopen_reason=intake.redact(clean_text(reason)[:MAX_TEXT]))
    signal.status = REOPEN_STATUS
    signal.history.append(change)
    session.flush()
    audit.record(session, None, "reopen", "signal", signal.id, region_id=signal.region_id,
                 by="reporter")
    return change


def was_reopened(signal: Signal) -> bool:
    """Say whether the reporter reopened the report at some point."""
    return any(c.reopen_reason is not None for c in signal.history)


def counts(session: Session, signal_ids: select) -> tuple[int, int]:  # type: ignore[type-arg]
    """Count satisfied and not satisfied answers among the signals the query selects."""
    rows = session.execute(select(Satisfaction.satisfied, func.count())
                           .where(Satisfaction.signal_id.in_(signal_ids))
                           .group_by(Satisfaction.satisfied)).all()
    found = {bool(k): int(v) for k, v in rows}
    return found.get(True, 0), found.get(False, 0)
