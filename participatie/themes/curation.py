"""Curation of themes: what reviewers decide, and where a signal belongs.

Reviewers' decisions are memberships with source "confirmed", "moved" or "split": a rebuild never
changes them, and they are the examples the assignment model learns from. Each change here flushes
and records its audit event; the view or command that asked for it commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie import audit
from participatie.accounts.permissions import (
    Forbidden,
    can_see_theme,
    can_start_theme,
    visible_themes,
)
from participatie.models import (
    Region,
    Signal,
    Theme,
    ThemeChange,
    ThemeMembership,
    User,
    Wijk,
    utcnow,
)
from participatie.vocabulary import THEME_STATUSES

PINNED = ("confirmed", "moved", "split")
MAX_LABEL = 200


class UnclearChoice(ValueError):
    """The reviewer chose no theme we know, or a new theme without a name."""


def new_key() -> str:
    """Return a fresh stable theme id."""
    return f"th-{secrets.token_hex(5)}"


def new_theme(session: Session, region: Region, label: str, user: User | None = None) -> Theme:
    """Start a theme by hand, named by the reviewer."""
    theme = Theme(region_id=region.id, key=new_key(), label=label.strip(), label_by_reviewer=True)
    session.add(theme)
    session.flush()
    audit.record(session, user, "new_theme", "theme", theme.id, region_id=region.id)
    return theme


def rename(session: Session, theme: Theme, label: str, user: User | None = None) -> None:
    """Give a theme a reviewer's name; rebuilds keep it."""
    old = theme.label
    theme.label = label.strip()
    theme.label_by_reviewer = True
    theme.updated_at = utcnow()
    _history(session, theme, "renamed", user, old=old, new=theme.label)
    session.flush()
    audit.record(session, user, "rename", "theme", theme.id, region_id=theme.region_id, old=old,
                 new=theme.label)


def set_status(session: Session, theme: Theme, status: str, notes: str | None = None,
               user: User | None = None) -> None:
    """Set a theme's status (and notes)."""
    if status not in THEME_STATUSES:
        raise ValueError(f"unknown theme status {status!r}")
    theme.status = status
    if notes is not None:
        theme.notes = notes.strip()
    theme.updated_at = utcnow()
    session.flush()
    audit.record(session, user, "theme_status", "theme", theme.id, region_id=theme.region_id,
                 status=status)


def decide(session: Session, signal: Signal, theme: Theme | None, user: User | None = None,
           source: str = "confirmed") -> ThemeMembership:
    """Record a reviewer's placement of a signal (None: 'overig'); the model learns from it."""
    if source not in PINNED:
        raise ValueError(f"unknown decision {source!r}")
    old = signal.membership.theme_id if signal.membership else None
    membership = place(signal, theme.id if theme else None, 1.0, source)
    membership.decided_by_id = user.id if user else None
    if source == "moved" and old != (theme.id if theme else None) and (theme or old):
        session.add(ThemeChange(region_id=signal.region_id, theme_id=theme.id if theme else old,
                                other_theme_id=old if theme else None, action="moved",
                                user_id=user.id if user else None,
                                details={"signal": signal.id, "to": theme.id if theme else None,
                                         "from": old}))
    session.flush()
    action = "confirm" if source == "confirmed" else "move"
    audit.record(session, user, action, "signal", signal.id, region_id=signal.region_id,
                 old_theme=old, theme=theme.id if theme else None)
    return membership


def merge(session: Session, source: Theme, target: Theme, user: User | None = None) -> None:
    """Merge source into target: all members move, the source stays as a pointer."""
    if source.id == target.id or source.region_id != target.region_id:
        raise ValueError("merge needs two different themes of one region")
    before = [_snapshot(m) for m in source.members]
    for membership in list(source.members):
        membership.theme_id = target.id
        membership.updated_at = utcnow()
    source.merged_into_id = target.id
    source.updated_at = target.updated_at = utcnow()
    _history(session, target, "merged", user, other=source, members=before,
             keywords=list(target.keywords))
    session.flush()
    recompute_keywords(session, target)
    audit.record(session, user, "merge", "theme", source.id, region_id=source.region_id,
                 into=target.id)


def split(session: Session, theme: Theme, signal_ids: list[int], label: str,
          user: User | None = None) -> Theme:
    """Split the given members off into a new theme named by the reviewer."""
    region = session.get(Region, theme.region_id)
    assert region is not None
    created = new_theme(session, region, label, user)
    members = [m for m in theme.members if m.signal_id in set(signal_ids)]
    if not members:
        raise ValueError("choose at least one report of this theme to split off")
    _history(session, theme, "split", user, other=created,
             members=[_snapshot(m) for m in members], keywords=list(theme.keywords))
    for membership in members:
        place(membership.signal, created.id, 1.0, "split")
        membership.decided_by_id = user.id if user else None
    session.flush()
    audit.record(session, user, "split", "theme", theme.id, region_id=theme.region_id,
                 new=created.id, signals=len(members))
    session.expire(theme, ["members"])
    recompute_keywords(session, theme)
    recompute_keywords(session, created)
    return created


UNDOABLE = ("merged", "split")


def _snapshot(membership: ThemeMembership) -> dict[str, object]:
    """Return what an undo needs to put a membership back as it was."""
    return {"signal": membership.signal_id, "theme": membership.theme_id,
            "source": membership.source, "confidence": membership.confidence,
            "needs_review": membership.needs_review, "decided_by": membership.decided_by_id}


def _history(session: Session, theme: Theme, action: str, user: User | None,
             other: Theme | None = None, **details: object) -> ThemeChange:
    change = ThemeChange(region_id=theme.region_id, theme_id=theme.id,
                         other_theme_id=other.id if other else None, action=action,
                         user_id=user.id if user else None, details=details)
    session.add(change)
    return change


def history(session: Session, theme: Theme) -> list[ThemeChange]:
    """Return a theme's history, newest first (also changes where it was the other theme)."""
    query = (select(ThemeChange)
             .where((ThemeChange.theme_id == theme.id) | (ThemeChange.other_theme_id == theme.id))
             .order_by(ThemeChange.created_at.desc(), ThemeChange.id.desc()))
    return list(session.scalars(query))


def can_undo(change: ThemeChange) -> bool:
    """Tell whether a change can still be undone (a merge or split, not undone yet)."""
    return change.action in UNDOABLE and change.undone_at is None


def undo_home(session: Session, change: ThemeChange) -> Theme | None:
    """Return the theme an undo puts the reports back in; None when there is none to go to.

    A merge's undo brings the merged theme back. A split's undo puts the split-off reports with
    the reports they were split from: in the original theme, or, when that was merged into
    another theme since, in the theme its reports went to. None when the change is gone, or
    when the original was merged into the split-off theme itself (the reports are together).
    """
    theme = session.get(Theme, change.theme_id) if change.theme_id else None
    other = session.get(Theme, change.other_theme_id) if change.other_theme_id else None
    if theme is None or other is None:
        return None
    if change.action == "merged":
        return other
    home = merged_home(session, theme)
    return None if home.id == other.id or home.merged_into_id is not None else home


def undo(session: Session, change: ThemeChange, user: User | None = None) -> Theme:
    """Undo a merge or a split; return the theme that is back.

    The reports go back to the theme they were in, as reviewers' decisions ("moved"), so a
    `participatie themes rebuild` keeps them there; a merged theme stands on its own again and
    a split-off theme that is left empty is marked as merged back into the original. When the
    original was merged into another theme since, the split-off reports go to that theme, where
    the original's reports are (`undo_home`): a merged theme is in no list and no count.
    """
    if not can_undo(change):
        raise ValueError("this change cannot be undone")
    home = undo_home(session, change)
    if home is None:
        raise ValueError("the reports of this change have no theme to go back to")
    if change.action == "merged":
        back = home  # the merged theme comes back from the target
        away = session.get(Theme, change.theme_id)
        back.merged_into_id = None
    else:
        back = home  # the split-off reports go back to the original (or where it went)
        away = session.get(Theme, change.other_theme_id)
    assert away is not None
    moved = 0
    for snap in change.details.get("members", []):
        signal = session.get(Signal, int(snap["signal"]))
        if signal is None or signal.membership is None or signal.membership.theme_id != away.id:
            continue  # deleted, or someone placed it elsewhere since: leave that decision
        membership = place(signal, back.id, 1.0, "moved")
        membership.decided_by_id = user.id if user else None
        moved += 1
    if change.action == "split":
        session.flush()
        session.expire(away, ["members"])
        if not away.members and away.merged_into_id is None:
            away.merged_into_id = back.id
    change.undone_at = utcnow()
    back.updated_at = away.updated_at = utcnow()
    _history(session, back, "undone", user, other=away, change=change.id, what=change.action,
             signals=moved)
    session.flush()
    session.expire(back, ["members"])
    session.expire(away, ["members"])
    recompute_keywords(session, back)
    if away.merged_into_id is None:
        recompute_keywords(session, away)
    audit.record(session, user, "undo", "theme", back.id, region_id=back.region_id,
                 change=change.id, what=change.action, signals=moved)
    return back


def recompute_keywords(session: Session, theme: Theme, top: int = 8) -> list[str]:
    """Recompute a theme's keywords, and its label unless a reviewer named it, from its members.

    Both are chosen as a rebuild chooses them (`nlp.describe.describe_one`): keywords are the
    words typical of the theme's reports against the region's other reports (no words of time
    or amount, relatives, names or wijken); the label is a phrase in the members' own words,
    different from the region's other themes' labels where it can be.
    """
    import numpy as np

    from nlp.describe import describe_one

    rows = session.execute(
        select(Signal.text, ThemeMembership.theme_id)
        .outerjoin(ThemeMembership, ThemeMembership.signal_id == Signal.id)
        .where(Signal.region_id == theme.region_id)).all()
    inside = np.array([theme_id == theme.id for _, theme_id in rows], bool)
    taken = session.scalars(select(Theme.label).where(
        Theme.region_id == theme.region_id, Theme.id != theme.id,
        Theme.merged_into_id.is_(None))).all()
    places = session.scalars(select(Wijk.slug).where(Wijk.region_id == theme.region_id)).all()
    keywords, label = describe_one([text or "" for text, _ in rows], inside, top=top,
                                   taken=[t for t in taken if t], places=places)
    theme.keywords = keywords
    if not theme.label_by_reviewer and label:
        theme.label = label[:MAX_LABEL]
    theme.updated_at = utcnow()
    session.flush()
    return theme.keywords


def target_theme(session: Session, user: User, choice: str, label: str = "") -> Theme | None:
    """Return where a reviewer chose to place a report: a theme they may see, a new one, or None.

    `choice` is a theme id, "new" (start a theme named `label`; curators only) or "none".
    Raises UnclearChoice for an unknown theme or a missing name, Forbidden for a theme the
    user may not see or a new theme they may not start.
    """
    if choice == "new":
        if not can_start_theme(user):
            raise Forbidden("start a theme")
        if not label.strip():
            raise UnclearChoice("a new theme needs a name")
        region = session.get(Region, user.region_id)
        assert region is not None
        return new_theme(session, region, label.strip()[:MAX_LABEL], user)
    if choice == "none":
        return None
    theme = session.get(Theme, int(choice)) if is_small_id(choice) else None
    if theme is None or theme.region_id != user.region_id or theme.merged_into_id is not None:
        raise UnclearChoice("unknown theme")
    if not can_see_theme(user, theme):
        raise Forbidden("theme")
    return theme


def is_small_id(value: str) -> bool:
    """Tell whether a typed value is a plain ASCII id that fits a database integer."""
    return value.isascii() and value.isdigit() and 0 < len(value) <= 18


def merged_home(session: Session, theme: Theme) -> Theme:
    """Return the theme a merged theme's reports are in now (the theme itself when not merged)."""
    seen = {theme.id}
    while theme.merged_into_id is not None:
        target = session.get(Theme, theme.merged_into_id)
        if target is None or target.id in seen:
            break
        theme = target
        seen.add(theme.id)
    return theme


def merged_into(session: Session, theme_id: int | Iterable[int]) -> list[int]:
    """Return the theme's id (or ids) and those of every theme merged into it, directly or
    through others.

    What was recorded about a merged theme (agreements at the RESV table) belongs to the theme
    its reports went to.
    """
    ids = [theme_id] if isinstance(theme_id, int) else theme_id
    return list(merged_homes(session, ids))


def merged_homes(session: Session, theme_ids: Iterable[int]) -> dict[int, int]:
    """Map each of the themes, and every theme merged into one of them (directly or through
    others), to that one of them; a query per level of merging."""
    home = {t: t for t in theme_ids}
    frontier = list(home)
    while frontier:
        found = session.execute(select(Theme.id, Theme.merged_into_id).where(
            Theme.merged_into_id.in_(frontier))).all()
        frontier = [i for i, _into in found if i not in home]
        home.update((i, home[into]) for i, into in found if i in frontier)
    return home


def active_themes(session: Session, region: Region) -> list[Theme]:
    """Return the region's themes that were not merged away."""
    query = select(Theme).where(Theme.region_id == region.id, Theme.merged_into_id.is_(None))
    return list(session.scalars(query.order_by(Theme.id)))


def choosable_themes(session: Session, user: User) -> list[Theme]:
    """Return the active themes a user may see and so choose in a dropdown, by id."""
    return list(session.scalars(visible_themes(user)))


def review_queue(session: Session, region: Region,
                 wijk_ids: list[int] | None = None) -> list[Signal]:
    """Return signals the model could not place with confidence, oldest first."""
    query = (select(Signal).join(ThemeMembership)
             .where(Signal.region_id == region.id, ThemeMembership.needs_review.is_(True))
             .order_by(Signal.created_at, Signal.id))
    if wijk_ids is not None:
        query = query.where(Signal.wijken.any(Wijk.id.in_(wijk_ids)))
    return list(session.scalars(query))


def place(signal: Signal, theme_id: int | None, confidence: float,
           source: str = "model", needs_review: bool = False) -> ThemeMembership:
    """Put a signal in a theme (None: overig), creating or overwriting its membership."""
    membership = signal.membership or ThemeMembership(signal_id=signal.id)
    membership.theme_id = theme_id
    membership.source = source
    membership.confidence = float(confidence)
    membership.needs_review = needs_review
    membership.decided_by_id = None
    membership.updated_at = utcnow()
    signal.membership = membership
    return membership
