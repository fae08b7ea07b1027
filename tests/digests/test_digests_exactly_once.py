"""A digest run killed after the mail server accepted a message does not send it twice."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from participatie.digests import send_due
from participatie.digests.sending import message_id
from participatie.models import DigestDelivery
from tests.factories.digests import MONDAY, RecordingHandler

# the sender as cron runs it, but in its own process so that it can really be killed
SENDER = """
import datetime as dt, json, sys
from participatie import create_app, db
from participatie.digests import send_due
app = create_app(json.loads(sys.argv[1]))
with app.app_context():
    send_due(db.session(), now=dt.datetime.fromisoformat(sys.argv[2]))
"""


@dataclass
class KillingHandler(RecordingHandler):
    """Accept each message, then kill -9 the sending process before its 250 is read."""

    victim: int | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        answer = await super().handle_DATA(server, session, envelope)
        if self.victim is not None:
            os.kill(self.victim, signal.SIGKILL)  # the message is in the mailbox now
            self.victim = None
        return answer


def _run_killed_sender(app, handler: KillingHandler) -> int:  # noqa: ANN001
    keys = ("ENV", "TESTING", "DATABASE_URL", "SECRET_KEY", "RATELIMIT_ENABLED",
            "PUBLIC_BASE_URL", "SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "MAIL_SENDER")
    config = {key: app.config[key] for key in keys}
    process = subprocess.Popen([sys.executable, "-c", SENDER, json.dumps(config),
                                MONDAY.isoformat()])
    handler.victim = process.pid
    return process.wait(timeout=120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.commits
def test_digest_sender_killed_after_250_does_not_send_twice(world, app):
    handler = KillingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port,
                          SMTP_SECURITY="none", MAIL_SENDER="participatie@almere.example.nl")
        first = world.subscriber("a@example.nl", "asd")
        world.subscriber("b@example.nl", "asd")
        world.report("Geen plek bij de huisarts.", "waterwijk")
        world.session.commit()

        assert _run_killed_sender(app, handler) == -signal.SIGKILL
        assert [r.recipients for r in handler.received] == [["a@example.nl"]]
        original_id = handler.received[0].message["Message-ID"]
        assert original_id == message_id(first.id, "2026-W47")
        row = world.session.scalar(select(DigestDelivery).where(
            DigestDelivery.user_id == first.id))
        assert row.claimed_at is not None and row.sent_at is None  # claimed before sending

        # the next run, right after: a@ is left alone (maybe still being sent), b@ gets theirs
        again = send_due(world.session, now=MONDAY + dt.timedelta(hours=1))
        assert again.sent == ["b@example.nl"] and again.busy == 1
        # an hour later it counts as unconfirmed: reported, still not sent again
        world.session.execute(update(DigestDelivery).where(DigestDelivery.user_id == first.id)
                              .values(claimed_at=row.claimed_at - dt.timedelta(hours=1)))
        world.session.commit()
        later = send_due(world.session, now=MONDAY + dt.timedelta(hours=2))
        assert later.sent == [] and later.unconfirmed == [("a@example.nl", original_id)]
        assert later.already_sent == 1
        assert sorted(r.recipients[0] for r in handler.received) == ["a@example.nl",
                                                                     "b@example.nl"]

        # the operator finds it missing in the mail log and asks: the same message, same id
        resent = send_due(world.session, now=MONDAY + dt.timedelta(hours=3),
                          resend_unconfirmed=True)
        assert resent.sent == ["a@example.nl"]
        copies = handler.to("a@example.nl")
        assert [m["Message-ID"] for m in copies] == [original_id, original_id]
        assert copies[0]["Subject"] == copies[1]["Subject"]
        world.session.refresh(row)
        assert row.sent_at is not None and row.attempts == 2
        assert send_due(world.session, now=MONDAY + dt.timedelta(hours=4)).already_sent == 2
    finally:
        controller.stop()


def test_digest_message_id_is_fixed_per_subscriber_and_period(world, outbox, app):
    user = world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    world.report("De huisarts neemt de telefoon niet op.", "waterwijk")
    send_due(world.session, now=MONDAY)
    (received,) = outbox.received
    assert received.message["Message-ID"] == message_id(user.id, "2026-W47")
    assert message_id(user.id, "2026-W47") != message_id(user.id, "2026-W48")
    assert message_id(user.id, "2026-W47").endswith("@almere.example.nl>")
