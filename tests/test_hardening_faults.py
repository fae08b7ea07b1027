"""A database connection that drops mid-request gives the friendly 503, and the next one works."""

from __future__ import annotations

import pytest
from flask import request
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session

from participatie import db
from participatie.models import Submission
from tests.formfill import fill_knelpunt, submit

SORRY = "Sorry, het werkt nu even niet"


def _drop_connection_in(app, prefix: str, method: str = "GET") -> list[int]:
    """Kill the request's own database connection before its view runs (a real dropped link)."""
    killed: list[int] = []

    @app.before_request
    def _drop() -> None:
        if not request.path.startswith(prefix) or request.method != method or killed:
            return
        _kill(app, db.session().connection())
        killed.append(1)

    return killed


@pytest.mark.commits
def test_hardening_dropped_connection_gives_the_friendly_503(app, client):
    killed = _drop_connection_in(app, "/status/")
    killed.append(0)  # armed once the report is in
    code = submit(fill_knelpunt(client))
    killed.clear()
    response = client.get(f"/status/{code}")
    assert killed and response.status_code == 503
    assert SORRY in response.text
    assert client.get(f"/status/{code}").status_code == 200  # the pool opens a new connection


def _kill(app, connection) -> None:
    if connection.dialect.name == "postgresql":
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        other = create_engine(app.config["DATABASE_URL"])
        with other.begin() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
    else:
        connection.connection.dbapi_connection.close()


@pytest.mark.commits
def test_hardening_dropped_connection_while_sending_keeps_the_answers(app, client, session):
    filler = fill_knelpunt(client)
    killed: list[int] = []

    def kill_before_insert(flushing: Session, _context: object, _instances: object) -> None:
        if not killed and any(isinstance(o, Submission) for o in flushing.new):
            killed.append(1)
            _kill(app, flushing.connection())

    event.listen(Session, "before_flush", kill_before_insert)
    try:
        response = filler.send("submit")
    finally:
        event.remove(Session, "before_flush", kill_before_insert)
    assert killed and response.status_code == 503
    assert "Uw melding is nog niet verstuurd" in filler.html
    assert "mantelzorger@example.org" in filler.html  # the answers are still on the page
    session.expire_all()
    assert session.scalar(select(func.count(Submission.id))) == 0
    assert filler.send("submit").status_code == 303  # sending again works and stores it once
    session.expire_all()
    assert session.scalar(select(func.count(Submission.id))) == 1
