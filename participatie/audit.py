"""The audit log: who changed or exported what, and when; never report texts or contact data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie.models import AuditEvent, User
from participatie.vocabulary import AUDIT_ACTIONS


def record(session: Session, user: User | None, action: str, object_type: str,
           object_id: object = None, region_id: int | None = None, **details: Any) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to participatie.vocabulary")
    event = AuditEvent(
        region_id=region_id if region_id is not None else (user.region_id if user else None),
        user_id=user.id if user else None, action=action, object_type=object_type,
        object_id=None if object_id is None else str(object_id), details=details,
    )
    session.add(event)
    return event


def recent(session: Session, region_id: int, limit: int = 200,
           offset: int = 0) -> list[tuple[AuditEvent, User | None]]:
    """Return a region's newest events with their users."""
    query = (select(AuditEvent, User).outerjoin(User, AuditEvent.user_id == User.id)
             .where(AuditEvent.region_id == region_id)
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
             .limit(limit).offset(offset))
    return [(event, user) for event, user in session.execute(query).all()]
