"""Shared fixtures: an app on SQLite (default) or on PARTICIPATIE_TEST_DATABASE_URL (PostgreSQL).

The test database is migrated and seeded once per run. Each test that uses it (through
``database_url``, ``app``, ``client``...) then runs inside one outer transaction on one
connection: every session the app opens during the test (test-client requests, in-process CLI
commands, the ``session`` fixture, other apps made with ``make_app(database_url)``) is bound to
that connection with ``join_transaction_mode="create_savepoint"``, so a ``commit()`` only releases
a SAVEPOINT and the outer transaction is rolled back after the test.

Tests that need real commits another connection can see (threads, subprocesses, servers, the
browser's live server, locking between connections) are marked ``@pytest.mark.commits``: they run
on the committed, seeded database, which is emptied and seeded again after them. A test without
the marker that still commits through a connection of its own fails at teardown (the row counts
differ from the seeded ones), so such a leak cannot go unnoticed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PARTICIPATIE_INSTANCE_PATH", tempfile.mkdtemp(prefix="participatie-test-"))

from participatie import create_app, db, migrate  # noqa: E402
from participatie.models import Base  # noqa: E402
from participatie.seeding import seed  # noqa: E402
from tests.factories.database import BOUND as _BOUND  # noqa: E402

POSTGRES_URL = os.environ.get("PARTICIPATIE_TEST_DATABASE_URL")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests talk to a live server in another thread: they need real commits."""
    for item in items:
        if "browser" in item.keywords and item.get_closest_marker("commits") is None:
            item.add_marker(pytest.mark.commits)


def _test_engine(url: str) -> Engine:
    """Return an engine whose transactions can hold SAVEPOINTs (pysqlite needs help for that)."""
    if not url.startswith("sqlite"):
        return create_engine(url)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    # pysqlite opens transactions itself, lazily and only before DML, so a SAVEPOINT would start
    # (and its RELEASE commit) a transaction of its own: switch that off and emit BEGIN ourselves
    # (SQLAlchemy's documented recipe, "Serializable isolation / Savepoints / Transactional DDL")
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")  # as the app's own engine does
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


@dataclass
class TestDatabase:
    """The migrated, seeded test database of this run."""

    __test__ = False  # a fixture's type, not a test class

    url: str
    app: Flask
    engine: Engine
    baseline: tuple[int, ...] = field(default=())

    def counts(self) -> tuple[int, ...]:
        """Return the number of rows in every table, in one query."""
        tables = [t.name for t in Base.metadata.sorted_tables]
        query = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
        with self.engine.connect() as connection:
            return tuple(connection.execute(text(query)).one())

    def reset(self) -> None:
        """Empty every table and seed again: the state each test starts from."""
        with self.app.app_context():
            _empty_tables(self.app)
            seed(db.session())  # a service: it flushes, the caller commits
            db.session().commit()
            db.session().close()


@pytest.fixture(scope="session")
def test_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabase]:
    """Migrate the test database to head and seed it, once per run."""
    url = POSTGRES_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = create_engine(url)
    if POSTGRES_URL:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    database = TestDatabase(url=url, app=make_app(url), engine=_test_engine(url))
    database.reset()
    database.baseline = database.counts()
    yield database
    database.engine.dispose()
    with database.app.app_context():
        db.engine().dispose()


@pytest.fixture(scope="session")
def database_url(test_database: TestDatabase) -> str:
    """The URL of the migrated, seeded test database."""
    return test_database.url


@pytest.fixture(autouse=True)
def _database_isolation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run a test that uses the database in a transaction that is rolled back afterwards."""
    if "database_url" not in request.fixturenames:
        yield
        return
    database: TestDatabase = request.getfixturevalue("test_database")
    if request.node.get_closest_marker("commits"):
        yield
        database.reset()
        return
    connection = database.engine.connect()
    outer = connection.begin()
    _BOUND.url, _BOUND.connection = database.url, connection
    try:
        yield
    finally:
        _BOUND.url = _BOUND.connection = None
        try:
            outer.rollback()
        finally:
            connection.close()
    if database.counts() != database.baseline:
        database.reset()
        pytest.fail("this test committed outside its transaction (another connection, thread or "
                    "process): mark it @pytest.mark.commits", pytrace=False)


def make_app(database_url: str, **overrides: object) -> Flask:
    """Create an app for tests with a fixed secret and no rate limits unless asked.

    During a transactional test, an app on the test database opens its sessions on the test's
    connection, so that it sees the test's data and its commits are rolled back with it.
    """
    config = {"ENV": "testing", "TESTING": True, "DATABASE_URL": database_url,
              "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
              "PUBLIC_BASE_URL": "http://localhost"}
    config.update(overrides)
    app = create_app(config)
    if _BOUND.connection is not None and database_url == _BOUND.url:
        app.extensions["db_sessionmaker"] = sessionmaker(
            bind=_BOUND.connection, expire_on_commit=False,
            join_transaction_mode="create_savepoint")
    return app


def _empty_tables(app: Flask) -> None:
    engine = db.engine()
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """An app on the seeded test database (see the module's docstring for the isolation)."""
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.session().close()
        db.engine().dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[object]:
    """A database session inside an app context."""
    with app.app_context():
        yield db.session()


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root."""
    return Path(__file__).resolve().parent.parent
