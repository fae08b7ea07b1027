"""The database: one engine per app, one session per app context."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker


def init_app(app: Flask) -> None:
    """Create the engine for the configured URL and close the session after each context."""
    url: str = app.config["DATABASE_URL"]
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs = {"connect_args": {"check_same_thread": False}}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    app.extensions["db_engine"] = engine
    # the tests swap this for one bound to a single connection inside a transaction
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions["db_engine"]


def session() -> Session:
    """Return the session of the current app context, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def discard_failed() -> None:
    """Roll back the current session; when its connection is gone, throw the session away."""
    s = g.get("db_session")
    if s is None:
        return
    try:
        s.rollback()
    except SQLAlchemyError:
        _throw_away(g.pop("db_session"))


def _throw_away(s: Session) -> None:
    # a dropped connection cannot roll back: invalidate it so the pool opens a new one
    try:
        s.invalidate()
    except SQLAlchemyError:
        current_app.logger.warning("could not invalidate a broken database connection")


def _close_session(_exc: BaseException | None) -> None:
    s = g.pop("db_session", None)
    if s is None:
        return
    try:
        s.close()
    except SQLAlchemyError:
        _throw_away(s)
