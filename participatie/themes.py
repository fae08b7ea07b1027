"""Themes: the only bridge to the nlp library; keeps every decision reviewers made.

Reviewers' decisions are memberships with source "confirmed", "moved" or "split": a rebuild never
changes them, and they are the examples the assignment model learns from.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie.models import Region, Signal, Theme, ThemeMembership, User, utcnow

THEME_STATUSES = ("new", "with_kernteam", "on_agenda", "resolved", "parked")
PINNED = ("confirmed", "moved", "split")


def new_key() -> str:
    """Return a fresh stable theme id."""
    return f"th-{secrets.token_hex(5)}"


def new_theme(session: Session, region: Region, label: str, user: User | None = None) -> Theme:
    """Start a theme by hand, named by the reviewer."""
    theme = Theme(region_id=region.id, key=new_key(), label=label.strip(), label_by_reviewer=True)
    session.add(theme)
    session.flush()
    return theme


def rename(session: Session, theme: Theme, label: str, user: User | None = None) -> None:
    """Give a theme a reviewer's name; rebuilds keep it."""
    theme.label = label.strip()
    theme.label_by_reviewer = True
    theme.updated_at = utcnow()


def set_status(session: Session, theme: Theme, status: str, notes: str | None = None,
               user: User | None = None) -> None:
    """Set a theme's status (and notes)."""
    if status not in THEME_STATUSES:
        raise ValueError(f"unknown theme status {status!r}")
    theme.status = status
    if notes is not None:
        theme.notes = notes.strip()
    theme.updated_at = utcnow()


def decide(session: Session, signal: Signal, theme: Theme | None, user: User | None = None,
           source: str = "confirmed") -> ThemeMembership:
    """Record a reviewer's placement of a signal (None: 'overig'); the model learns from it."""
    if source not in PINNED:
        raise ValueError(f"unknown decision {source!r}")
    membership = signal.membership or ThemeMembership(signal_id=signal.id)
    membership.theme_id = theme.id if theme else None
    membership.source = source
    membership.confidence = 1.0
    membership.needs_review = False
    membership.decided_by_id = user.id if user else None
    membership.updated_at = utcnow()
    signal.membership = membership
    session.flush()
    return membership


def merge(session: Session, source: Theme, target: Theme, user: User | None = None) -> None:
    """Merge source into target: all members move, the source stays as a pointer."""
    if source.id == target.id or source.region_id != target.region_id:
        raise ValueError("merge needs two different themes of one region")
    for membership in list(source.members):
        membership.theme_id = target.id
        membership.updated_at = utcnow()
    source.merged_into_id = target.id
    source.updated_at = target.updated_at = utcnow()
    session.flush()


def split(session: Session, theme: Theme, signal_ids: list[int], label: str,
          user: User | None = None) -> Theme:
    """Split the given members off into a new theme named by the reviewer."""
    region = session.get(Region, theme.region_id)
    assert region is not None
    created = new_theme(session, region, label, user)
    members = [m for m in theme.members if m.signal_id in set(signal_ids)]
    if not members:
        raise ValueError("choose at least one report of this theme to split off")
    for membership in members:
        membership.theme_id = created.id
        membership.source = "split"
        membership.confidence = 1.0
        membership.needs_review = False
        membership.decided_by_id = user.id if user else None
    session.flush()
    return created


def active_themes(session: Session, region: Region) -> list[Theme]:
    """Return the region's themes that were not merged away."""
    query = select(Theme).where(Theme.region_id == region.id, Theme.merged_into_id.is_(None))
    return list(session.scalars(query.order_by(Theme.id)))


def review_queue(session: Session, region: Region,
                 wijk_ids: list[int] | None = None) -> list[Signal]:
    """Return signals the model could not place with confidence, oldest first."""
    query = (select(Signal).join(ThemeMembership)
             .where(Signal.region_id == region.id, ThemeMembership.needs_review.is_(True))
             .order_by(Signal.created_at, Signal.id))
    if wijk_ids is not None:
        query = query.where(Signal.wijken.any(_wijk_in(wijk_ids)))
    return list(session.scalars(query))


def _wijk_in(wijk_ids: list[int]):  # type: ignore[no-untyped-def]
    from participatie.models import Wijk

    return Wijk.id.in_(wijk_ids)


def search(session: Session, region: Region, query: str, k: int = 20,
           signal_ids_allowed: set[int] | None = None) -> list[tuple[Signal, float]]:
    """Find a region's reports by meaning and by words, only among the allowed ids."""
    import nlp

    rows = select(Signal).where(Signal.region_id == region.id, Signal.text != "")
    if signal_ids_allowed is not None:
        rows = rows.where(Signal.id.in_(signal_ids_allowed))
    signals = {str(s.id): s for s in session.scalars(rows)}
    reports = [nlp.Report(id=key, text=s.text,
                          vector=nlp.from_bytes(s.embedding) if s.embedding else None)
               for key, s in signals.items()]
    # without stored vectors for every report the index searches by words only
    backend = nlp.DEFAULT_BACKEND if all(r.vector is not None for r in reports) else None
    index = nlp.SearchIndex(reports, backend=backend)
    return [(signals[key], score) for key, score in index.search(query, k) if score > 0]
