import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from participatie.models import Contact, Region, Submission, User, Wijk, utcnow


def _submission(region_id: int, reference: str) -> Submission:
    return Submission(reference=reference, region_id=region_id, form_id="knelpunt", form_version=1)


def test_models_reference_codes_are_unique(session):
    region = session.scalar(select(Region))
    session.add_all([_submission(region.id, "AAAA-CCCC"), _submission(region.id, "AAAA-CCCC")])
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_models_wijk_slug_unique_within_region_only(session):
    almere = session.scalar(select(Region))
    other = Region(slug="lelystad", name="Lelystad")
    session.add(other)
    session.flush()
    session.add(Wijk(region_id=other.id, slug="haven", name="Haven", stadsdeel="Lelystad"))
    session.commit()
    session.add(Wijk(region_id=almere.id, slug="haven", name="Haven 2", stadsdeel="X"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_models_user_email_unique(session):
    region = session.scalar(select(Region))
    session.add_all([User(region_id=region.id, email="a@example.org", name="A", role="asd"),
                     User(region_id=region.id, email="a@example.org", name="B", role="asd")])
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_models_datetimes_come_back_aware_utc(session):
    region = session.scalar(select(Region))
    submission = _submission(region.id, "CCCC-DDDD")
    session.add(submission)
    session.commit()
    session.expire_all()
    stored = session.scalar(select(Submission).where(Submission.reference == "CCCC-DDDD"))
    assert stored.created_at.tzinfo is not None
    assert abs(stored.created_at - utcnow()) < dt.timedelta(minutes=1)


def test_models_refuse_naive_datetimes(session):
    region = session.scalar(select(Region))
    submission = _submission(region.id, "DDDD-EEEE")
    submission.created_at = dt.datetime(2026, 1, 1)
    session.add(submission)
    with pytest.raises(Exception, match="naive datetime"):
        session.commit()
    session.rollback()


def test_models_deleting_submission_deletes_contact(session):
    region = session.scalar(select(Region))
    submission = _submission(region.id, "EEEE-FFFF")
    submission.contact = Contact(email="x@example.org", delete_after=utcnow())
    session.add(submission)
    session.commit()
    session.delete(submission)
    session.commit()
    assert session.scalar(select(Contact)) is None
