"""Reviewer accounts: creating users, logging in, invitation tokens.

The parts live in their own modules: `passwords` (hashing and rules), `session` (the log-in
session and view guards) and `permissions` (who may see what, pure). Their public names are
re-exported here, so `from participatie.accounts import can_see_signal` keeps working.
Services here flush and record; the view or CLI command that calls them commits.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie import audit
from participatie.accounts.login import authenticate
from participatie.accounts.passwords import check_password_strength, hash_password
from participatie.accounts.permissions import (
    Forbidden,
    can_curate,
    can_edit,
    can_see_signal,
    can_see_theme,
    can_see_wijk,
    can_start_theme,
    visible_signals,
    visible_themes,
    visible_wijken,
    wijk_scope,
)
from participatie.accounts.session import (
    SESSION_HOURS,
    current_user,
    log_in,
    log_out,
    login_required,
    require_role,
)
from participatie.models import User, Wijk
from participatie.vocabulary import CURATORS, EDITORS, ROLES

INVITE_DAYS = 7

__all__ = [
    "CURATORS", "EDITORS", "INVITE_DAYS", "ROLES",
    "SESSION_HOURS", "AccountError", "Forbidden", "authenticate", "can_curate", "can_edit",
    "can_see_signal", "can_see_theme", "can_see_wijk", "can_start_theme",
    "check_password_strength", "create_user", "current_user", "disable_user", "hash_password",
    "invitation_token", "log_in", "log_out", "login_required", "require_role", "set_password",
    "user_for_token", "visible_signals", "visible_themes", "visible_wijken", "wijk_scope",
]


class AccountError(ValueError):
    """A user could not be created or changed; the message says why."""


def create_user(session: Session, region_id: int, email: str, name: str, role: str,
                wijken: list[Wijk] | None = None, password: str | None = None) -> User:
    """Add a user of one region; kernteam members need at least one wijk of that region."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"a user with e-mail {email} already exists")
    wijken = wijken or []
    if any(w.region_id != region_id for w in wijken):
        raise AccountError("all wijken must belong to the user's region")
    if role == "kernteam" and not wijken:
        raise AccountError("a kernteam member needs at least one wijk")
    user = User(region_id=region_id, email=email, name=name.strip() or email, role=role,
                wijken=wijken, password_hash=hash_password(password) if password else None)
    session.add(user)
    session.flush()
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="participatie-invite")


def _fingerprint(user: User) -> str:
    # the token dies once a password is set (the hash changes) or sessions are revoked
    material = f"{user.password_hash or ''}:{user.session_version}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def invitation_token(user: User) -> str:
    """Return a signed link token that lets this user set a password once, for a week."""
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(session: Session, token: str) -> tuple[User | None, str]:
    """Return (user, "ok") for a valid token, else (None, "expired" | "invalid")."""
    try:
        data = _serializer().loads(token, max_age=INVITE_DAYS * 24 * 3600)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None, "invalid"
    return user, "ok"


def set_password(session: Session, user: User, password: str) -> None:
    """Set a new password and end every other session of this user."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    audit.record(session, user, "set_password", "user", user.id)


def disable_user(session: Session, user: User, by: User | None = None) -> None:
    """Disable a user and end all their sessions at once."""
    user.active = False
    user.session_version += 1
    session.flush()
    audit.record(session, by, "disable", "user", user.id, region_id=user.region_id)
