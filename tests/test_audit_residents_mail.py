"""Audit of the resident e-mails: an English mail's links open the pages in English."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from participatie import db, residentmail
from participatie.models import Region
from participatie.signals import ContactInput, KnelpuntInput, record_submission
from tests.digests.conftest import outbox, smtp_server  # noqa: F401
from tests.factories.digests import PLAIN


def _mailed_report(app, language: str) -> str:
    """Store a report that asks for e-mails and send its confirmation; return its code."""
    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        submission = record_submission(
            session, PLAIN, region, form_id="knelpunt", form_version=1, answers={},
            knelpunten=[KnelpuntInput(text="De huisarts neemt niet op.",
                                      wijk_slugs=["waterwijk"])],
            language=language, contact=ContactInput(email="inwoner@example.nl", updates=True))
        session.commit()
        code = submission.reference
        residentmail.drain(session)
    return code


def _links(message) -> list[str]:
    text = message.get_body(("plain",)).get_content()
    return re.findall(r"http://localhost/\S+", text)


def test_audit_residents_english_mail_links_open_english_pages(app, client, outbox):  # noqa: F811
    code = _mailed_report(app, "en")
    [received] = outbox.received
    links = _links(received.message)
    status = next(u for u in links if "/status/" in u)
    stop = next(u for u in links if "/berichten-stoppen/" in u)
    assert received.message["List-Unsubscribe"] == f"<{stop}>"
    for url in (status, stop):
        parts = urlsplit(url)
        page = client.get(f"{parts.path}?{parts.query}")  # a mail app: no language cookie
        assert page.status_code == 200, url
        assert '<html lang="en">' in page.get_data(as_text=True), url
        client.delete_cookie("taal")
    assert f"Status of {code}" in client.get(urlsplit(status).path + "?lang=en").get_data(
        as_text=True)


def test_audit_residents_dutch_mail_links_stay_short(app, outbox):  # noqa: F811
    code = _mailed_report(app, "nl")
    [received] = outbox.received
    assert f"http://localhost/status/{code}" in _links(received.message)
