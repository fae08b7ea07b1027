"""The log-in session: starting and ending it, the current user, and the view guards."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from participatie import db
from participatie.models import User, utcnow

SESSION_HOURS = 8

F = TypeVar("F", bound=Callable[..., Any])


def log_in(user: User) -> None:
    """Start a fresh session for the user (a new cookie, so no fixation)."""
    session.clear()
    session["uid"] = user.id
    session["sv"] = user.session_version
    session["at"] = int(utcnow().timestamp())
    g.user = user


def log_out(everywhere: bool = False) -> None:
    """End this session; with everywhere, end all of the user's sessions (the caller commits)."""
    user = current_user()
    if everywhere and user is not None:
        user.session_version += 1
        db.session().flush()
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
