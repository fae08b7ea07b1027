"""The log-in session: starting and ending it, the current user, and the view guards."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import delete

from participatie import db
from participatie.models import EndedSession, User, utcnow

SESSION_HOURS = 8

F = TypeVar("F", bound=Callable[..., Any])


def log_in(user: User) -> None:
    """Start a fresh session for the user (a new cookie, so no fixation)."""
    session.clear()
    session["uid"] = user.id
    session["sv"] = user.session_version
    session["at"] = int(utcnow().timestamp())
    # the server remembers an ended sid, so a copied cookie dies with the log-out
    session["sid"] = secrets.token_urlsafe(32)
    g.user = user


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def log_out(everywhere: bool = False) -> None:
    """End this session on the server too; with everywhere, all the user's sessions.

    The caller commits. A session from before session ids (none in its cookie) can only be
    ended together with the user's other sessions.
    """
    user = current_user()
    store = db.session()
    sid = session.get("sid")
    now = utcnow()
    if user is not None and (everywhere or not isinstance(sid, str)):
        user.session_version += 1
    elif isinstance(sid, str):
        started = dt.datetime.fromtimestamp(session.get("at", 0), dt.UTC)
        store.merge(EndedSession(sid_hash=_sid_hash(sid),
                                 expires_at=max(started + dt.timedelta(hours=SESSION_HOURS),
                                                now)))
        store.execute(delete(EndedSession).where(EndedSession.expires_at < now))
    store.flush()
    session.clear()
    g.user = None


def current_user() -> User | None:
    """Return the logged-in, active user of this request, or None."""
    if "user" not in g:
        user = None
        uid = session.get("uid")
        if uid is not None:
            found = db.session().get(User, uid)
            fresh = utcnow().timestamp() - session.get("at", 0) < SESSION_HOURS * 3600
            sid = session.get("sid")
            ended = isinstance(sid, str) and db.session().get(EndedSession, _sid_hash(sid))
            if (found is not None and found.active and fresh and not ended
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
