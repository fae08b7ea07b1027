"""Intake: the region's own wijk names are never taken for a person's name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from participatie import db
from participatie.intake import get_intake
from participatie.models import Region, Wijk
from tests.conftest import make_app

TEXT = "In Kees Boeke is de huisarts vol. Kees Jansen belde me gisteren."


@pytest.mark.commits  # the pipeline reads the place names on a connection of its own
def test_intake_keeps_wijk_names_that_look_like_a_name(app, database_url):
    app.config.update(REDACTION="rules", THEMES_AT_INTAKE=False)
    with app.app_context():
        assert "Kees Boeke" not in get_intake().redact(TEXT)  # a name, until it is a wijk
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        session.add(Wijk(region_id=region.id, slug="kees-boeke", name="Kees Boeke",
                         stadsdeel="Almere Stad", active=True))
        session.commit()
    fresh = make_app(database_url, REDACTION="rules", THEMES_AT_INTAKE=False)
    with fresh.app_context():
        redacted = get_intake().redact(TEXT)
        db.engine().dispose()
    assert "In Kees Boeke is de huisarts vol." in redacted
    assert "Jansen" not in redacted and "[NAAM]" in redacted
