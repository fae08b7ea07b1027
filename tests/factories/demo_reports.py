"""The 70 demo reports (participatie/seed/demo_reports.yaml) stored as plain signals."""

from __future__ import annotations

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie import themes
from participatie.demo import DEMO_FILE
from participatie.models import Region
from participatie.signals import KnelpuntInput, record_submission
from tests.factories.workspace import PLAIN


def add_demo_reports(session: Session, limit: int | None = None, *, rebuild: bool = False,
                     region_slug: str = "almere") -> Region:
    """Store the demo reports (the first `limit`) and optionally rebuild themes; no commit."""
    region = session.scalar(select(Region).where(Region.slug == region_slug))
    assert region is not None, "seed the database first"
    for entry in yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))[:limit]:
        record_submission(session, PLAIN, region, form_id="knelpunt", form_version=1,
                          answers={}, knelpunten=[KnelpuntInput(
                              text=entry["text"], wijk_slugs=[entry["wijk"]],
                              disciplines=entry.get("disciplines") or [])])
    if rebuild:
        themes.rebuild(session, region)
    return region
