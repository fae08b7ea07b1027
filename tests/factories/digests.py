"""Digest test data: a recording SMTP handler, the test week, people and reports."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import select

from participatie import accounts
from participatie.models import Region, Subscription, User, Wijk
from participatie.signals import ContactInput, Intake, KnelpuntInput, record_submission

REFUSED = "weiger@example.nl"
# Monday morning after week 47 of 2026 (16 to 22 November), the moment a weekly run starts
MONDAY = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)
IN_WEEK_47 = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
# the test texts hold no personal data, so they are stored as written (nlp tests redaction)
PLAIN = Intake(redact=lambda text: text)


@dataclass
class Received:
    """One message as the SMTP server got it."""

    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class RecordingHandler:
    """Keep every message; refuse the REFUSED address with 550 like a real server would."""

    received: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=lambda: {REFUSED})
    # when set: the first message waits at DATA (waiting is set) until gate is set
    gate: threading.Event | None = None
    waiting: threading.Event | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        if self.gate is not None and self.waiting is not None and not self.waiting.is_set():
            self.waiting.set()
            while not self.gate.is_set():
                await asyncio.sleep(0.01)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages delivered to one address."""
        return [r.message for r in self.received if address in r.recipients]

    def overlap_two(self, send: Callable[[], object]) -> None:
        """Run send twice at once: the server holds the first run's first message until the
        second run has had its go, so the runs overlap for certain (not by timing luck)."""
        self.gate, self.waiting = threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            try:
                send()
            except BaseException as error:  # noqa: BLE001 - reported by the assert below
                errors.append(error)

        first, second = threading.Thread(target=run), threading.Thread(target=run)
        try:
            first.start()
            assert self.waiting.wait(timeout=30), "the first run never reached the mail server"
            second.start()
            second.join(timeout=15)
        finally:
            self.gate.set()
            first.join(timeout=60)
            second.join(timeout=60)
        assert errors == [] and not first.is_alive() and not second.is_alive()


class World:
    """Builds the people and reports a digest test needs, straight through the models."""

    def __init__(self, session) -> None:  # noqa: ANN001
        self.session = session
        self.region = session.scalar(select(Region).where(Region.slug == "almere"))

    def wijk(self, slug: str) -> Wijk:
        return self.session.scalar(select(Wijk).where(Wijk.slug == slug))

    def subscriber(self, email_address: str, role: str, wijken: tuple[str, ...] = (),
                   region: Region | None = None, **settings: object) -> User:
        region = region or self.region
        user = accounts.create_user(self.session, region.id, email_address,
                                    email_address.split("@")[0], role,
                                    [self.wijk(s) for s in wijken])
        self.session.add(Subscription(user_id=user.id, **{
            "frequency": "weekly", "wijk_slugs": [], **settings}))
        self.session.commit()
        return user

    def report(self, text: str, wijk: str, when: dt.datetime = IN_WEEK_47,
               contact: ContactInput | None = None, region: Region | None = None):  # noqa: ANN201
        submission = record_submission(
            self.session, PLAIN, region or self.region, form_id="knelpunt",
            form_version=1, answers={}, knelpunten=[KnelpuntInput(text=text, wijk_slugs=[wijk])],
            contact=contact, created_at=when)
        self.session.commit()
        return submission.signals[0]


def log_in(client, user: User) -> None:  # noqa: ANN001
    """Log a test client in as a user without a password (the log-in form has its own tests)."""
    import time

    with client.session_transaction() as flask_session:
        flask_session.update(uid=user.id, sv=user.session_version, at=int(time.time()))
