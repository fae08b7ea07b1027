"""Seed data from participatie/seed/*.yaml: regions, wijken, disciplines. Never removes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie.models import Discipline, Region, Wijk
from participatie.yamlfile import DefinitionError, load, require

SEED_DIR = Path(__file__).resolve().parent / "seed"


def seed(session: Session, seed_dir: Path = SEED_DIR) -> dict[str, int]:
    """Insert missing regions, wijken and disciplines (flushed: the caller commits)."""
    added = {"regions": 0, "wijken": 0, "disciplines": 0}
    path = seed_dir / "regions.yaml"
    for entry in _list(load(path), path):
        added["wijken"] += _seed_region(session, entry, path, added)
    path = seed_dir / "disciplines.yaml"
    for position, entry in enumerate(_list(load(path), path)):
        added["disciplines"] += _seed_discipline(session, entry, position, path)
    session.flush()
    return added


def _list(data: object, path: Path) -> list:  # type: ignore[type-arg]
    if not isinstance(data, list):
        raise DefinitionError(path, getattr(data, "line", 1), "expected a list of entries")
    return data


def _seed_region(session: Session, entry: dict, path: Path, added: dict[str, int]) -> int:  # type: ignore[type-arg]
    slug = require(entry, "slug", str, path)
    region = session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        region = Region(slug=slug, name=require(entry, "name", str, path))
        session.add(region)
        session.flush()
        added["regions"] += 1
    existing = {w.slug for w in session.scalars(select(Wijk).where(Wijk.region_id == region.id))}
    count = 0
    for stadsdeel in require(entry, "stadsdelen", list, path):
        stadsdeel_name = require(stadsdeel, "name", str, path)
        for wijk in require(stadsdeel, "wijken", list, path):
            wijk_slug = require(wijk, "slug", str, path)
            if wijk_slug in existing:
                continue
            session.add(Wijk(
                region_id=region.id, slug=wijk_slug, name=require(wijk, "name", str, path),
                stadsdeel=stadsdeel_name, active=bool(wijk.get("active", False)),
                postcodes=[str(p) for p in wijk.get("postcodes", [])],
            ))
            existing.add(wijk_slug)
            count += 1
    return count


def _seed_discipline(session: Session, entry: dict, position: int, path: Path) -> int:  # type: ignore[type-arg]
    code = require(entry, "code", str, path)
    names = {"name_nl": require(entry, "nl", str, path), "name_en": require(entry, "en", str, path)}
    existing = session.scalar(select(Discipline).where(Discipline.code == code))
    if existing:  # names may be corrected in the seed file; codes stay
        existing.name_nl, existing.name_en = names["name_nl"], names["name_en"]
        return 0
    session.add(Discipline(code=code, resv=bool(entry.get("resv", True)), position=position,
                           **names))
    return 1
