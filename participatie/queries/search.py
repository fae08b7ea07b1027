"""Search within the user's rights and filters, and "Meer zoals dit" for one report."""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.orm import Session

from participatie import themes
from participatie.accounts import visible_signals, visible_themes
from participatie.models import Region, Signal, Theme, User
from participatie.queries.filters import Filters, filtered_signals
from participatie.vocabulary import WITHDRAWN

SEVERITIES = ("3", "4", "5")  # "at least": serious, very serious, dangerous to health
RESULTS = 20
SIMILAR = 5


def _ids(session: Session, query: Select[tuple[Signal]]) -> set[int]:
    return set(session.scalars(query.with_only_columns(Signal.id)))


def search_reports(session: Session, user: User, region: Region, text: str, filters: Filters,
                   severity: str = "") -> list[themes.Found]:
    """Return the reports matching the text that the user may see, narrowed by the filters.

    `severity` ("3", "4" or "5") keeps reports at least that serious; anything else is ignored.
    """
    if not text.strip():
        return []
    query = filtered_signals(user, filters)
    if severity in SEVERITIES:
        query = query.where(Signal.severity >= int(severity))
    allowed = _ids(session, query)
    return [found for found in themes.search(session, region, text, k=RESULTS,
                                             signal_ids_allowed=allowed)
            if found.signal.id in allowed]


def more_like_this(session: Session, user: User, signal: Signal) -> list[themes.Found]:
    """Return the reports nearest to this one that the user may see (none for a withdrawn one)."""
    if not signal.text or signal.status == WITHDRAWN:
        return []
    region = session.get(Region, signal.region_id)
    assert region is not None
    allowed = _ids(session, visible_signals(user).where(Signal.status != WITHDRAWN))
    return [found for found in themes.similar(session, region, signal, k=SIMILAR,
                                              signal_ids_allowed=allowed)
            if found.signal.id in allowed]


def theme_choices(session: Session, user: User) -> list[Theme]:
    """Return the themes the user may filter a search by."""
    return list(session.scalars(visible_themes(user)))
