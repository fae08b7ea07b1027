"""Resident e-mail fixtures: the digests' real SMTP server on loopback."""

from tests.digests.conftest import outbox, smtp_server  # noqa: F401
