"""The one place where the workspace counts reports, so every page, CSV and digest agrees.

Definitions (each a subset of `total`, the visible reports that are not withdrawn):
- `in_theme`: placed in an active theme (by the model or a person);
- `without_theme`: not in any theme; `in_theme + without_theme == total`;
- `to_review`: the model was not sure and a person has not decided yet (the "te beoordelen"
  queue); such a report can carry a suggested theme, so it may also be in `in_theme`;
- `unclaimed`: still open (not solved or closed) and nobody picked it up;
- `duplicates_in_theme`: in a theme but linked as a duplicate of another report, so not
  counted in the theme sizes (a theme's size counts each linked group once):
  the sizes on the overview add up to `in_theme - duplicates_in_theme`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from participatie.models import Signal, Theme, ThemeMembership, User
from participatie.queries.filters import Filters, filtered_signals
from participatie.vocabulary import OPEN_STATUSES


@dataclass(frozen=True)
class ReportCounts:
    """How many reports, by the definitions above."""

    total: int
    in_theme: int
    without_theme: int
    to_review: int
    unclaimed: int
    duplicates_in_theme: int = 0


def unclaimed_clause() -> ColumnElement[bool]:
    """Return the condition 'open and nobody picked it up'."""
    return and_(Signal.owner_id.is_(None), Signal.status.in_(OPEN_STATUSES))


def count_reports(session: Session, ids: Select[tuple[int]]) -> ReportCounts:
    """Count a set of report ids (a query of Signal.id) by the definitions above."""
    active = select(Theme.id).where(Theme.merged_into_id.is_(None))
    in_theme = and_(ThemeMembership.theme_id.is_not(None), ThemeMembership.theme_id.in_(active))
    row = session.execute(
        select(func.count(Signal.id),
               func.count(case((in_theme, 1))),
               func.count(case((ThemeMembership.needs_review.is_(True), 1))),
               func.count(case((unclaimed_clause(), 1))),
               func.count(case((and_(in_theme, Signal.duplicate_of_id.is_not(None)), 1))))
        .outerjoin(ThemeMembership, ThemeMembership.signal_id == Signal.id)
        .where(Signal.id.in_(ids))).one()
    total, placed, review, unclaimed, duplicates = (int(v or 0) for v in row)
    return ReportCounts(total, placed, total - placed, review, unclaimed, duplicates)


def report_counts(session: Session, user: User, filters: Filters | None = None,
                  include_theme: bool = False) -> ReportCounts:
    """Count the reports a user may see with the chosen filters."""
    query = filtered_signals(user, filters or Filters(), include_theme=include_theme)
    return count_reports(session, query.with_only_columns(Signal.id))


def review_ids(user: User, filters: Filters | None = None) -> Select[tuple[int]]:
    """Return the ids of the user's reports waiting for review (the queue), oldest first."""
    query = filtered_signals(user, filters or Filters(), include_theme=False)
    return (query.join(ThemeMembership, ThemeMembership.signal_id == Signal.id)
            .where(ThemeMembership.needs_review.is_(True))
            .with_only_columns(Signal.id).order_by(Signal.created_at, Signal.id))
