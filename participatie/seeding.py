"""Seed data from participatie/seed/*.yaml: regions, wijken, disciplines. Never removes."""

from __future__ import annotations

from dataclasses import dataclass
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
            if wijk_slug in existing:  # postcodes may be corrected in the seed file
                found = next(w for w in session.scalars(select(Wijk).where(
                    Wijk.region_id == region.id, Wijk.slug == wijk_slug)))
                postcodes = [str(p) for p in wijk.get("postcodes", [])]
                if postcodes and found.postcodes != postcodes:
                    found.postcodes = postcodes
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


@dataclass(frozen=True)
class RegionHelp:
    """Where residents of a region get help: urgent numbers and a phone for this site."""

    emergency: str = "112"
    huisartsenpost_name: str | None = None
    huisartsenpost_phone: str | None = None
    helpdesk_name: str | None = None
    helpdesk_phone: str | None = None
    helpdesk_hours: dict[str, str] | None = None

    def hours(self, lang: str) -> str | None:
        """Return the helpdesk's opening hours in lang (Dutch when lang is missing)."""
        if not self.helpdesk_hours:
            return None
        return self.helpdesk_hours.get(lang) or self.helpdesk_hours.get("nl")


@dataclass(frozen=True)
class CareWord:
    """An answer to "which care is it about?" in residents' words, and the disciplines behind it."""

    code: str
    nl: str
    en: str
    disciplines: tuple[str, ...]

    def label(self, lang: str) -> str:
        """Return the words in lang."""
        return self.en if lang == "en" else self.nl


def load_help(region_slug: str, seed_dir: Path = SEED_DIR) -> RegionHelp:
    """Read a region's help numbers from regions.yaml; 112 when nothing else is given."""
    path = seed_dir / "regions.yaml"
    for entry in _list(load(path), path):
        if entry.get("slug") != region_slug:
            continue
        given = entry.get("help") or {}
        if not isinstance(given, dict):
            raise DefinitionError(path, entry.lines.get("help", entry.line),
                                  "help: expected a mapping")
        post, desk = given.get("huisartsenpost") or {}, given.get("helpdesk") or {}
        hours = desk.get("hours")
        return RegionHelp(
            emergency=str(given.get("emergency") or "112"),
            huisartsenpost_name=post.get("name"), huisartsenpost_phone=_phone(post.get("phone")),
            helpdesk_name=desk.get("name"), helpdesk_phone=_phone(desk.get("phone")),
            helpdesk_hours={str(k): str(v) for k, v in hours.items()} if hours else None,
        )
    return RegionHelp()


def _phone(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def load_care(seed_dir: Path = SEED_DIR) -> list[CareWord]:
    """Read care.yaml; every discipline it maps to must be in disciplines.yaml."""
    known = {str(e.get("code")) for e in _list(load(seed_dir / "disciplines.yaml"),
                                               seed_dir / "disciplines.yaml")}
    path = seed_dir / "care.yaml"
    words: list[CareWord] = []
    for entry in _list(load(path), path):
        disciplines = tuple(str(d) for d in entry.get("disciplines") or [])
        unknown = [d for d in disciplines if d not in known]
        if unknown:
            raise DefinitionError(path, entry.line, f"unknown discipline {unknown[0]!r}; "
                                  "use a code from disciplines.yaml")
        code = require(entry, "code", str, path)
        if any(w.code == code for w in words):
            raise DefinitionError(path, entry.line, f"code {code!r} is used twice")
        words.append(CareWord(code=code, nl=require(entry, "nl", str, path),
                              en=require(entry, "en", str, path), disciplines=disciplines))
    return words
