"""Regions and wijken as the public pages and the workspace need them."""

from __future__ import annotations

from itertools import groupby

from flask import current_app
from sqlalchemy import select

from participatie import db
from participatie.models import Region, Wijk


def current_region() -> Region | None:
    """Return the region this site serves (PARTICIPATIE_REGION)."""
    slug = current_app.config["REGION"]
    return db.session().scalar(select(Region).where(Region.slug == slug))


def wijken_by_stadsdeel(region: Region, active_only: bool = False) -> list[tuple[str, list[Wijk]]]:
    """Group a region's wijken by stadsdeel, both sorted by name."""
    query = select(Wijk).where(Wijk.region_id == region.id)
    if active_only:
        query = query.where(Wijk.active.is_(True))
    wijken = db.session().scalars(query.order_by(Wijk.stadsdeel, Wijk.name)).all()
    return [(name, list(group)) for name, group in groupby(wijken, key=lambda w: w.stadsdeel)]
