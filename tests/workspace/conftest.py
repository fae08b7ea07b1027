"""Workspace fixtures: the test world, logging in as a role, a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from participatie import db
from tests.factories.workspace import World, build_world, log_in_as


@pytest.fixture
def world(app: Flask) -> World:
    """The test world in the app's database; CSRF is off except in the tests that check it."""
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        return build_world(db.session())


@pytest.fixture
def login(client: FlaskClient, world: World) -> Callable[[str], FlaskClient]:
    """Return a function that logs the client in as the user of a role."""

    def _login(role: str) -> FlaskClient:
        log_in_as(client, world.users[role])
        return client

    return _login


@pytest.fixture
def smtp_inbox(app: Flask) -> Iterator[list]:
    """Run a real SMTP server on loopback; the app sends to it; yield the received messages."""
    import socket
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    received: list = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            received.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none")
    try:
        yield received
    finally:
        controller.stop()
