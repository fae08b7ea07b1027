"""Digest fixtures: a real SMTP server on loopback and the digest test world."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from tests.factories.digests import RecordingHandler, World


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[RecordingHandler, int]]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def outbox(app, smtp_server) -> RecordingHandler:  # noqa: ANN001
    """Point the app's SMTP settings at the test server and return what it receives."""
    handler, port = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none",
                      MAIL_SENDER="participatie@almere.example.nl")
    return handler


@pytest.fixture
def world(session) -> World:  # noqa: ANN001
    """Subscribers and reports for digest tests."""
    return World(session)
