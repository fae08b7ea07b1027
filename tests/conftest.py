"""Shared fixtures: an app on SQLite (default) or on PARTICIPATIE_TEST_DATABASE_URL (PostgreSQL)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PARTICIPATIE_INSTANCE_PATH", tempfile.mkdtemp(prefix="participatie-test-"))

from participatie import create_app, db, migrate  # noqa: E402
from participatie.models import Base  # noqa: E402
from participatie.seeding import seed  # noqa: E402

POSTGRES_URL = os.environ.get("PARTICIPATIE_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate a test database to head once per run: PostgreSQL if given, else SQLite."""
    url = POSTGRES_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = create_engine(url)
    if POSTGRES_URL:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    return url


def make_app(database_url: str, **overrides: object) -> Flask:
    """Create an app for tests with a fixed secret and no rate limits unless asked."""
    config = {"ENV": "testing", "TESTING": True, "DATABASE_URL": database_url,
              "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
              "PUBLIC_BASE_URL": "http://localhost"}
    config.update(overrides)
    return create_app(config)


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
    """An app on a seeded, otherwise empty database, emptied again afterwards."""
    app = make_app(database_url)
    with app.app_context():
        seed(db.session())
        db.session().commit()
    yield app
    with app.app_context():
        db.session().close()
        _empty_tables(app)
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
