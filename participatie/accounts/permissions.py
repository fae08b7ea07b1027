"""Who may see and change what: the one rule every workspace endpoint and export asks.

Pure functions of a user and a row (no request, no Flask), so they are easy to test and reuse
from the command line and the digests.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from participatie.models import Signal, Theme, ThemeMembership, User, Wijk
from participatie.vocabulary import CURATORS, EDITORS


class Forbidden(Exception):  # noqa: N818 (a domain outcome, mapped to HTTP 403 by the views)
    """The user may not see or do this; the view answers 403."""


def wijk_scope(user: User) -> list[int] | None:
    """Return the wijk ids a user is limited to, or None for the whole region."""
    if user.role == "kernteam" or (user.role == "meelezer" and user.wijken):
        return [w.id for w in user.wijken]
    return None


def can_see_wijk(user: User, wijk: Wijk) -> bool:
    """Tell whether a user may see a wijk's reports."""
    scope = wijk_scope(user)
    return wijk.region_id == user.region_id and (scope is None or wijk.id in scope)


def can_see_signal(user: User, signal: Signal) -> bool:
    """Tell whether a user may see a report: same region, and a wijk in scope when limited."""
    if signal.region_id != user.region_id:
        return False
    scope = wijk_scope(user)
    return scope is None or any(w.id in scope for w in signal.wijken)


def can_see_theme(user: User, theme: Theme) -> bool:
    """Tell whether a user may see a theme: same region, and a visible member when limited."""
    if theme.region_id != user.region_id:
        return False
    if wijk_scope(user) is None:
        return True
    return any(can_see_signal(user, m.signal) for m in theme.members)


def can_edit(user: User) -> bool:
    """Tell whether a user may change reports (status, reply, placing in a theme)."""
    return user.role in EDITORS


def can_curate(user: User) -> bool:
    """Tell whether a user may curate themes (rename, merge, split, status, start a theme)."""
    return user.role in CURATORS


def can_start_theme(user: User) -> bool:
    """Tell whether a user may start a new theme: curators only.

    Themes are shared by the whole region; a kernteam member sees only the reports of their
    own wijk, so naming region themes is left to the ASD and the beheerder. A kernteam member
    places a report in a theme they can see, or in none (the ASD then picks it up).
    """
    return can_curate(user)


def visible_signals(user: User) -> Select[tuple[Signal]]:
    """Return a query of the reports this user may see (the one rule for lists and exports)."""
    query = select(Signal).where(Signal.region_id == user.region_id)
    scope = wijk_scope(user)
    if scope is not None:
        query = query.where(Signal.wijken.any(Wijk.id.in_(scope)))
    return query


def visible_themes(user: User) -> Select[tuple[Theme]]:
    """Return a query of the active themes this user may see and choose, by id."""
    query = select(Theme).where(Theme.region_id == user.region_id,
                                Theme.merged_into_id.is_(None))
    if wijk_scope(user) is not None:
        members = (select(ThemeMembership.theme_id)
                   .where(ThemeMembership.signal_id.in_(
                       visible_signals(user).with_only_columns(Signal.id)))
                   .where(ThemeMembership.theme_id.is_not(None)))
        query = query.where(Theme.id.in_(members))
    return query.order_by(Theme.id)


def visible_wijken(session: Session, user: User) -> list[Wijk]:
    """Return the wijken of the user's region that they may see, by name."""
    query = select(Wijk).where(Wijk.region_id == user.region_id)
    scope = wijk_scope(user)
    if scope is not None:
        query = query.where(Wijk.id.in_(scope))
    return list(session.scalars(query.order_by(Wijk.name)))
