"""Reviewer accounts: passwords, invitations, lock-out, the session, and who may see what.

Every workspace endpoint asks this module, so the rule for "may this person see this" lives in
one place: `wijk_scope()` and the helpers built on it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, g, redirect, request, session, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from participatie import db
from participatie.models import Signal, Theme, User, Wijk, utcnow

ROLES = ("beheerder", "asd", "kernteam", "meelezer")
EDITORS = ("beheerder", "asd", "kernteam")
CURATORS = ("beheerder", "asd")
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
INVITE_DAYS = 7
SESSION_HOURS = 8

_hasher = PasswordHasher()
# verified when the e-mail is unknown, so a wrong address takes as long as a wrong password
_DUMMY_HASH = _hasher.hash("not a password of anyone")

F = TypeVar("F", bound=Callable[..., Any])


class AccountError(ValueError):
    """A user could not be created or changed; the message says why."""


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def check_password_strength(password: str) -> str | None:
    """Return why a new password is not good enough, or None."""
    if len(password) < 12:
        return "too_short"
    return None


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


def authenticate(session: Session, email: str, password: str) -> tuple[User | None, str]:
    """Check a log-in; return (user, "ok") or (None, "invalid" | "locked")."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    now = utcnow()
    if user is None or not user.active or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        return None, "invalid"
    if user.locked_until and user.locked_until > now:
        return None, "locked"
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
        session.commit()
        return None, "locked" if user.locked_until and user.locked_until > now else "invalid"
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.commit()
    return user, "ok"


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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


def log_in(user: User) -> None:
    """Start a fresh session for the user (a new cookie, so no fixation)."""
    session.clear()
    session["uid"] = user.id
    session["sv"] = user.session_version
    session["at"] = int(utcnow().timestamp())


def log_out(everywhere: bool = False) -> None:
    """End this session; with everywhere, end all of the user's sessions."""
    user = current_user()
    if everywhere and user is not None:
        user.session_version += 1
        db.session().commit()
    session.clear()


def current_user() -> User | None:
    """Return the logged-in, active user of this request, or None."""
    if "user" not in g:
        user = None
        uid = session.get("uid")
        if uid is not None:
            found = db.session().get(User, uid)
            fresh = utcnow().timestamp() - session.get("at", 0) < SESSION_HOURS * 3600
            if (found is not None and found.active and fresh
                    and found.session_version == session.get("sv")):
                user = found
        g.user = user
    return g.user


def login_required(view: F) -> F:
    """Send visitors who are not logged in to the log-in page."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("workspace.auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require_role(*roles: str) -> Callable[[F], F]:
    """Allow only logged-in users with one of these roles; others get 403."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("workspace.auth.login",
                                        next=request.full_path.rstrip("?")))
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapper)  # type: ignore[return-value]

    return decorate


def wijk_scope(user: User) -> list[int] | None:
    """Return the wijk ids a user is limited to, or None for the whole region."""
    if user.role == "kernteam" or (user.role == "meelezer" and user.wijken):
        return [w.id for w in user.wijken]
    return None


def can_see_wijk(user: User, wijk: Wijk) -> bool:
    """Tell whether a user may see a wijk's reports."""
    scope = wijk_scope(user)
    return wijk.region_id == user.region_id and (scope is None or wijk.id in scope)


def can_see_signal(user: User, signal: Signal) -> bool:
    """Tell whether a user may see a report: same region, and a wijk in scope when limited."""
    if signal.region_id != user.region_id:
        return False
    scope = wijk_scope(user)
    return scope is None or any(w.id in scope for w in signal.wijken)


def can_see_theme(user: User, theme: Theme) -> bool:
    """Tell whether a user may see a theme: same region, and a visible member when limited."""
    if theme.region_id != user.region_id:
        return False
    if wijk_scope(user) is None:
        return True
    return any(can_see_signal(user, m.signal) for m in theme.members)


def can_edit(user: User) -> bool:
    """Tell whether a user may change reports (status, reply, placing in a theme)."""
    return user.role in EDITORS


def can_curate(user: User) -> bool:
    """Tell whether a user may curate themes (rename, merge, split, status)."""
    return user.role in CURATORS


def visible_signals(user: User) -> Select[tuple[Signal]]:
    """Return a query of the reports this user may see (the one rule for lists and exports)."""
    query = select(Signal).where(Signal.region_id == user.region_id)
    scope = wijk_scope(user)
    if scope is not None:
        query = query.where(Signal.wijken.any(Wijk.id.in_(scope)))
    return query


def visible_wijken(session: Session, user: User) -> list[Wijk]:
    """Return the wijken of the user's region that they may see, by name."""
    query = select(Wijk).where(Wijk.region_id == user.region_id)
    scope = wijk_scope(user)
    if scope is not None:
        query = query.where(Wijk.id.in_(scope))
    return list(session.scalars(query.order_by(Wijk.name)))

