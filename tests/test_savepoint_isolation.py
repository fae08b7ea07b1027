"""The test database fixture: each test's commits are rolled back, unless it is marked commits.

The tests in this module run in file order: a later one checks what an earlier one left.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from participatie import db
from participatie.models import LoginThrottle, Region
from tests.conftest import make_app

PROBE = "isolatie-proef"


def _regions_seen_by_another_connection(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(select(Region.slug).where(Region.slug == PROBE)))
    finally:
        engine.dispose()


def test_isolation_a_test_commits_a_row(app):
    with app.app_context():
        db.session().add(Region(slug=PROBE, name="Proef"))
        db.session().commit()
    with app.app_context():  # a new session (as in the next request) sees the committed row
        assert db.session().scalar(select(Region.name).where(Region.slug == PROBE)) == "Proef"


def test_isolation_the_next_test_does_not_see_it(session):
    assert session.scalar(select(Region).where(Region.slug == PROBE)) is None
    assert session.scalar(select(Region).where(Region.slug == "almere")) is not None  # seeded


def test_isolation_a_views_commit_only_releases_a_savepoint(database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = client.post("/werkruimte/inloggen", data={"email": "x@test.nl", "password": "x"})
    assert response.status_code == 400
    with app.app_context():  # the view committed its throttle rows: the test's sessions see them
        assert db.session().scalar(select(func.count()).select_from(LoginThrottle)) == 2
    with app.app_context():
        db.session().add(Region(slug=PROBE, name="Proef"))
        db.session().commit()
        db.engine().dispose()
    # ...but another connection does not: nothing reached the database outside the transaction
    assert _regions_seen_by_another_connection(database_url) == []


def test_isolation_the_views_rows_are_gone_afterwards(session):
    assert session.scalar(select(func.count()).select_from(LoginThrottle)) == 0


@pytest.mark.commits
def test_isolation_marked_commits_reach_other_connections(app, database_url):
    with app.app_context():
        db.session().add(Region(slug=PROBE, name="Proef"))
        db.session().commit()
    assert _regions_seen_by_another_connection(database_url) == [PROBE]


def test_isolation_after_a_committing_test_the_database_is_seeded_again(session):
    assert session.scalar(select(Region).where(Region.slug == PROBE)) is None
    assert session.scalar(select(Region).where(Region.slug == "almere")) is not None


def test_isolation_a_commit_through_a_connection_of_its_own_is_caught(test_database):
    # what the teardown check does after a test without the marker that commits elsewhere
    engine = create_engine(test_database.url)
    with engine.begin() as connection:
        connection.execute(Region.__table__.insert().values(slug=PROBE, name="Proef"))
    engine.dispose()
    assert test_database.counts() != test_database.baseline
    test_database.reset()
    assert test_database.counts() == test_database.baseline
