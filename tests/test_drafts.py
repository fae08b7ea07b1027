import datetime as dt

from sqlalchemy import select

from participatie import drafts
from participatie.models import Draft

SECRET = "test-secret"


def test_drafts_are_sealed_found_by_code_and_used_once(session):
    code, expires = drafts.save(session, SECRET, "clientenraad", "knelpunten",
                                {"organisatie": "Cliëntenraad De Schelp"})
    session.commit()
    stored = session.scalar(select(Draft))
    assert b"Schelp" not in stored.sealed and code.replace("-", "") not in stored.lookup
    assert expires - stored.created_at == dt.timedelta(days=7)
    assert drafts.resume(session, "another-secret", code) is None  # the key needs the secret
    back = drafts.resume(session, SECRET, code.lower().replace("-", " "))
    assert back == drafts.Resumed("clientenraad", "knelpunten",
                                  {"organisatie": "Cliëntenraad De Schelp"})
    assert drafts.resume(session, SECRET, code) is None  # used once
    assert session.scalar(select(Draft)) is None


def test_drafts_expire_after_seven_days_and_are_purged(session):
    start = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    code, _ = drafts.save(session, SECRET, "knelpunt", "wat", {"wat": "x"}, now=start)
    drafts.save(session, SECRET, "knelpunt", "wat", {"wat": "y"}, now=start)
    assert drafts.purge_expired(session, now=start + dt.timedelta(days=6)) == 0
    assert drafts.resume(session, SECRET, code, now=start + dt.timedelta(days=7)) is None
    assert drafts.purge_expired(session, now=start + dt.timedelta(days=7)) == 1
    assert session.scalar(select(Draft)) is None
