"""Regions and wijken as the public pages and the workspace need them."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select

from participatie import db
from participatie.models import Region, Wijk
from participatie.seeding import SEED_DIR, CareWord, RegionHelp, load_care, load_help


def init_app(app: Flask) -> None:
    """Read the region's help numbers and the residents' care words once, at start."""
    seed_dir = Path(app.config.get("SEED_DIR") or SEED_DIR)
    app.extensions["region_help"] = load_help(app.config["REGION"], seed_dir)
    app.extensions["care_words"] = load_care(seed_dir)

    @app.context_processor
    def _help() -> dict[str, object]:
        return {"region_help": app.extensions["region_help"]}


def region_help() -> RegionHelp:
    """Return where residents of this site's region get help (112 and the rest)."""
    return current_app.extensions["region_help"]


def care_words() -> list[CareWord]:
    """Return the answers to "which care?" in residents' words, with their disciplines."""
    return current_app.extensions["care_words"]


def who_reads(wijk: Wijk) -> str:
    """Say who reads a wijk's reports: its kernteam when active, else the Adviesraad."""
    return "kernteam" if wijk.active else "adviesraad"


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
