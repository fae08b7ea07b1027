"""One rate limit holds across server processes when they share a Redis store."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from participatie import db, migrate
from participatie.seeding import seed
from tests.conftest import make_app

REDIS_URL = os.environ.get("PARTICIPATIE_TEST_REDIS_URL")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """The Redis that .ci/run started, or a throw-away one on loopback."""
    if REDIS_URL:
        yield REDIS_URL
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server and no PARTICIPATIE_TEST_REDIS_URL (bash .ci/run has both)")
    port = _free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """A migrated, seeded SQLite database of its own (the servers run in other processes)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('workers') / 'w.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = make_app(url)
    with app.app_context():
        seed(db.session())
        db.session().commit()
        db.engine().dispose()
    return url


def _serve(database: str, storage: str, prefix: str, instance: Path) -> subprocess.Popen:
    """Start a production gunicorn with one worker on a free loopback port; return it ready."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PARTICIPATIE_")}
    environment.update({
        "PARTICIPATIE_ENV": "production", "PARTICIPATIE_SECRET_KEY": "s" * 32,
        "PARTICIPATIE_DATABASE_URL": database, "PARTICIPATIE_INSTANCE_PATH": str(instance),
        "PARTICIPATIE_REDACTION": "rules", "PARTICIPATIE_THEMES_AT_INTAKE": "false",
        "PARTICIPATIE_RATELIMIT_STORAGE_URI": storage, "PARTICIPATIE_RATELIMIT_KEY_PREFIX": prefix,
        "PARTICIPATIE_RATELIMIT_LOOKUPS": "3 per minute", "PARTICIPATIE_PROXY_HOPS": "1",
        "WEB_CONCURRENCY": "1", "HF_HUB_OFFLINE": "1"})
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:participatie.gunicorn_conf",
         "--workers", "1", "--bind", f"127.0.0.1:{port}", "participatie.wsgi:app"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server.url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(server.url + "/healthz", timeout=2).close()  # type: ignore[attr-defined]
            return server
        except OSError:
            assert server.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
    server.kill()
    raise AssertionError("gunicorn did not answer in time")


def _get(server: subprocess.Popen, address: str) -> int:
    request = urllib.request.Request(server.url + "/status",  # type: ignore[attr-defined]
                                     headers={"X-Forwarded-For": address})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _alternate(storage: str, database: str, tmp_path: Path) -> tuple[list[int], int]:
    """Ask two servers in turn, six times, for one resident; then once for another resident."""
    prefix = f"t{uuid.uuid4().hex[:8]}"
    servers = [_serve(database, storage, prefix, tmp_path) for _ in range(2)]
    try:
        statuses = [_get(servers[n % 2], "203.0.113.10") for n in range(6)]
        other = _get(servers[1], "203.0.113.11")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    return statuses, other


def test_limits_one_limit_holds_across_two_gunicorn_processes(redis_url, database, tmp_path):
    statuses, other = _alternate(redis_url, database, tmp_path)
    assert statuses == [200, 200, 200, 429, 429, 429]  # 3 per minute in all, not per process
    assert other == 200  # behind the proxy, another resident still gets through


def test_limits_memory_storage_would_count_per_process(database, tmp_path):
    # the control: the same run on memory:// lets each process allow 3, so 6 in all
    statuses, _ = _alternate("memory://", database, tmp_path)
    assert statuses == [200] * 6
