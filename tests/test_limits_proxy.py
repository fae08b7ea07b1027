"""Behind a reverse proxy the limits count residents, not the proxy; production refuses memory://."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from participatie import ConfigError, db
from participatie.config import check_limit_storage
from tests.conftest import make_app


@pytest.fixture
def make(database_url):
    """Make apps with lookup limits of 2 per minute on the test database."""
    made = []

    def factory(**overrides):
        made.append(make_app(database_url, RATELIMIT_ENABLED=True,
                             RATELIMIT_LOOKUPS="2 per minute", **overrides))
        return made[-1].test_client()

    yield factory
    for app in made:
        with app.app_context():
            db.engine().dispose()


def _statuses(client, forwarded_for: str, times: int = 3) -> list[int]:  # noqa: ANN001
    # what nginx sends: whatever the client claimed, then the address it really came from
    return [client.get("/status", headers={"X-Forwarded-For": forwarded_for}).status_code
            for _ in range(times)]


def test_limits_behind_one_proxy_count_each_resident_apart(app, make):
    client = make(PROXY_HOPS=1)
    assert _statuses(client, "203.0.113.5") == [200, 200, 429]
    # the next resident behind the same proxy is not blocked by the first one
    assert _statuses(client, "203.0.113.6", 2) == [200, 200]


def test_limits_behind_one_proxy_ignore_what_the_client_claims(app, make):
    client = make(PROXY_HOPS=1)
    statuses = [client.get("/status", headers={
        "X-Forwarded-For": f"10.0.0.{n}, 203.0.113.7"}).status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_limits_without_proxy_hops_trust_no_forwarded_header(app, make):
    client = make()
    statuses = [client.get("/status", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("hops", [-1, 9, "one", True])
def test_limits_proxy_hops_must_be_a_small_number(tmp_path, hops):
    with pytest.raises(ConfigError, match="PARTICIPATIE_PROXY_HOPS"):
        make_app(f"sqlite:///{tmp_path}/h.db", PROXY_HOPS=hops)


@pytest.mark.parametrize(("env", "uri", "workers", "refused"), [
    ("production", "memory://", None, True),
    ("production", "memory://", 3, True),
    ("production", "memory://", 1, False),
    ("production", "redis://127.0.0.1:6379/0", 3, False),
    ("development", "memory://", 3, False),
])
def test_limits_production_refuses_counters_per_process(env, uri, workers, refused):
    config = {"ENV": env, "RATELIMIT_STORAGE_URI": uri}
    if refused:
        with pytest.raises(ConfigError, match="redis://"):
            check_limit_storage(config, workers)
    else:
        check_limit_storage(config, workers)


def _gunicorn(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("PARTICIPATIE_") and k != "WEB_CONCURRENCY"}
    environment.update({
        "PARTICIPATIE_ENV": "production", "PARTICIPATIE_SECRET_KEY": "s" * 32,
        "PARTICIPATIE_DATABASE_URL": f"sqlite:///{tmp_path}/g.db",
        "PARTICIPATIE_INSTANCE_PATH": str(tmp_path), "PARTICIPATIE_REDACTION": "rules",
        "PARTICIPATIE_THEMES_AT_INTAKE": "false", "HF_HUB_OFFLINE": "1", **env})
    command = [sys.executable, "-m", "gunicorn", "-c", "python:participatie.gunicorn_conf",
               "--bind", "127.0.0.1:0", *args, "participatie.wsgi:app"]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)


def test_limits_gunicorn_refuses_memory_storage_with_three_workers(tmp_path):
    result = _gunicorn(tmp_path, "--workers", "3")
    assert result.returncode != 0
    assert "PARTICIPATIE_RATELIMIT_STORAGE_URI is memory://" in result.stderr


def test_limits_gunicorn_refuses_workers_flag_beyond_web_concurrency(tmp_path):
    # WEB_CONCURRENCY=1 passes the app's own check; the config hook still sees --workers 2
    result = _gunicorn(tmp_path, "--workers", "2", WEB_CONCURRENCY="1")
    assert result.returncode != 0
    assert "PARTICIPATIE_RATELIMIT_STORAGE_URI is memory://" in result.stderr
    assert "Booting worker" not in result.stderr
