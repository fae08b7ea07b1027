"""The filters the workspace lists, overviews and exports share, read from the query string."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, String, cast, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from participatie.accounts.permissions import (
    Forbidden,
    can_see_theme,
    can_see_wijk,
    visible_signals,
)
from participatie.models import (
    Discipline,
    Signal,
    Submission,
    Theme,
    ThemeMembership,
    User,
    Wijk,
    utcnow,
)
from participatie.vocabulary import SIGNAL_STATUSES, WITHDRAWN

PERIODS = {"30": 30, "90": 90, "365": 365}


@dataclass
class Filters:
    """What the user chose; empty values mean 'all'."""

    wijk: Wijk | None = None
    period: str = ""
    discipline: str = ""
    form: str = ""
    role: str = ""
    status: str = ""
    theme_id: int | None = None
    choices: dict[str, Any] = field(default_factory=dict)

    def args(self) -> dict[str, str]:
        """Return the chosen filters as query arguments (for links and exports)."""
        values = {"wijk": self.wijk.slug if self.wijk else "", "periode": self.period,
                  "discipline": self.discipline, "formulier": self.form, "rol": self.role,
                  "status": self.status, "thema": str(self.theme_id or "")}
        return {key: value for key, value in values.items() if value}


def read_filters(session: Session, user: User, args: MultiDict[str, str]) -> Filters:
    """Read filters from query arguments; a wijk or theme the user may not see is Forbidden."""
    filters = Filters(choices=_choices(session, user))
    slug = args.get("wijk", "")
    if slug:
        wijk = session.scalar(select(Wijk).where(Wijk.slug == slug,
                                                 Wijk.region_id == user.region_id))
        if wijk is None or not can_see_wijk(user, wijk):
            raise Forbidden("wijk")
        filters.wijk = wijk
    filters.period = args.get("periode", "") if args.get("periode") in PERIODS else ""
    filters.discipline = _known(args.get("discipline"), filters.choices["disciplines"])
    filters.form = _known(args.get("formulier"), [(f, f) for f in filters.choices["forms"]])
    filters.role = _known(args.get("rol"), [(r, r) for r in filters.choices["roles"]])
    filters.status = args.get("status", "") if args.get("status") in SIGNAL_STATUSES else ""
    theme_arg = args.get("thema", "")
    if theme_arg:
        plain = theme_arg.isascii() and theme_arg.isdigit() and len(theme_arg) <= 18
        theme = session.get(Theme, int(theme_arg)) if plain else None
        if theme is None or not can_see_theme(user, theme):
            raise Forbidden("theme")
        filters.theme_id = theme.id
    return filters


def _known(value: str | None, options: list[tuple[str, str]]) -> str:
    return value if value and value in {code for code, _ in options} else ""


def _choices(session: Session, user: User) -> dict[str, Any]:
    disciplines = session.scalars(select(Discipline).order_by(Discipline.position, Discipline.id))
    region = Submission.region_id == user.region_id
    forms = session.scalars(select(Submission.form_id).where(region).distinct())
    roles = session.scalars(select(Submission.reporter_role).where(
        region, Submission.reporter_role.is_not(None)).distinct())
    return {"disciplines": [(d.code, d) for d in disciplines], "forms": sorted(forms),
            "roles": sorted(r for r in roles if r)}


def filtered_signals(user: User, filters: Filters,
                     include_theme: bool = True) -> Select[tuple[Signal]]:
    """Return the user's visible, not withdrawn reports narrowed by the filters."""
    query = visible_signals(user).where(Signal.status != WITHDRAWN)
    if filters.wijk is not None:
        query = query.where(Signal.wijken.any(Wijk.id == filters.wijk.id))
    if filters.period:
        since = utcnow() - dt.timedelta(days=PERIODS[filters.period])
        query = query.where(Signal.created_at >= since)
    if filters.discipline:
        # codes are plain slugs, so the quoted code only matches a whole list item
        query = query.where(cast(Signal.disciplines, String).like(f'%"{filters.discipline}"%'))
    if filters.form or filters.role:
        query = query.join(Submission, Submission.id == Signal.submission_id)
        if filters.form:
            query = query.where(Submission.form_id == filters.form)
        if filters.role:
            query = query.where(Submission.reporter_role == filters.role)
    if filters.status:
        query = query.where(Signal.status == filters.status)
    if include_theme and filters.theme_id is not None:
        query = query.join(ThemeMembership, ThemeMembership.signal_id == Signal.id).where(
            ThemeMembership.theme_id == filters.theme_id)
    return query
