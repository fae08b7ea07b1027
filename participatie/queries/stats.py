"""Counting reports per theme, per month, per wijk and per discipline for the workspace."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie.models import Signal, Theme, ThemeMembership, User, utcnow
from participatie.queries.filters import Filters, filtered_signals

GROWTH_DAYS = 30
TREND_MONTHS = 6


@dataclass
class ThemeCount:
    """One theme's numbers within the user's rights and filters."""

    theme: Theme
    count: int
    recent: int
    previous: int
    months: list[tuple[dt.date, int]] = field(default_factory=list)

    @property
    def growth(self) -> int:
        """Return how many more reports came in the last 30 days than in the 30 before."""
        return self.recent - self.previous


def theme_counts(session: Session, user: User, filters: Filters,
                 sort: str = "size") -> tuple[list[ThemeCount], list[dt.datetime], int]:
    """Return (themes with counts, all report dates, reports without a theme)."""
    ids = filtered_signals(user, filters, include_theme=False).with_only_columns(Signal.id)
    rows = session.execute(
        select(Signal.created_at, ThemeMembership.theme_id)
        .outerjoin(ThemeMembership, ThemeMembership.signal_id == Signal.id)
        .where(Signal.id.in_(ids))
    ).all()
    now = utcnow()
    recent_from = now - dt.timedelta(days=GROWTH_DAYS)
    previous_from = now - dt.timedelta(days=2 * GROWTH_DAYS)
    totals: Counter[int] = Counter()
    recent: Counter[int] = Counter()
    previous: Counter[int] = Counter()
    for created, theme_id in rows:
        if theme_id is None:
            continue
        totals[theme_id] += 1
        if created >= recent_from:
            recent[theme_id] += 1
        elif created >= previous_from:
            previous[theme_id] += 1
    found = session.scalars(select(Theme).where(Theme.id.in_(list(totals)))).all()
    dates_of: dict[int, list[dt.datetime]] = {}
    for created, theme_id in rows:
        dates_of.setdefault(theme_id, []).append(created)
    counts = [ThemeCount(t, totals[t.id], recent[t.id], previous[t.id],
                         per_month(dates_of[t.id], TREND_MONTHS)) for t in found]
    key = (lambda c: (-c.growth, -c.count)) if sort == "growth" else (lambda c: (-c.count,))
    counts.sort(key=lambda c: (*key(c), c.theme.label.lower()))
    unplaced = sum(1 for _created, theme_id in rows if theme_id is None)
    return counts, [created for created, _theme in rows], unplaced


def per_month(dates: list[dt.datetime], months: int = 12,
              today: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """Count dates per calendar month for the last `months` months, oldest first."""
    today = today or utcnow().date()
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    counts = Counter((d.year, d.month) for d in dates)
    return [(start, counts[(start.year, start.month)]) for start in reversed(starts)]


def breakdown(members: list[Signal]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Count reports per wijk name and per discipline code, largest first."""
    wijken: Counter[str] = Counter(w.name for s in members for w in s.wijken)
    disciplines: Counter[str] = Counter(code for s in members for code in s.disciplines)
    return wijken.most_common(), disciplines.most_common()

