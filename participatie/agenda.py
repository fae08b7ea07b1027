"""The RESV agenda: meetings with themes and proposed questions, and the agreements made (no Flask).

Every change flushes and writes its audit event; the caller (a view or the CLI) commits once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from participatie import audit
from participatie.accounts.permissions import can_plan_resv, can_read_resv
from participatie.models import AgendaItem, Agreement, Region, ResvMeeting, Signal, Theme, User
from participatie.signals import WITHDRAWN
from participatie.themes.curation import merged_home, merged_into

TREND_MONTHS = 6
MAX_QUOTES = 3


class AgendaError(ValueError):
    """A meeting or agreement cannot be saved; the message says why."""


def may_plan(user: User) -> bool:
    """Tell whether a user may prepare meetings and record agreements (see permissions)."""
    return can_plan_resv(user)


def may_read_agenda(user: User) -> bool:
    """Tell whether a user may read the region-wide agenda (see permissions)."""
    return can_read_resv(user)


def meetings(session: Session, region: Region) -> list[ResvMeeting]:
    """Return the region's meetings, newest first."""
    return list(session.scalars(select(ResvMeeting).where(ResvMeeting.region_id == region.id)
                                .order_by(ResvMeeting.held_on.desc(), ResvMeeting.id.desc())))


def _region_themes(session: Session, region: Region, theme_ids: list[int]) -> list[Theme]:
    found = list(session.scalars(select(Theme).where(
        Theme.id.in_(theme_ids), Theme.region_id == region.id, Theme.merged_into_id.is_(None))))
    if len(found) != len(set(theme_ids)):
        raise AgendaError("unknown theme")
    return sorted(found, key=lambda t: theme_ids.index(t.id))


def create_meeting(session: Session, user: User, region: Region, held_on: dt.date, title: str,
                   theme_ids: list[int]) -> ResvMeeting:
    """Plan a meeting with the chosen themes (from all wijken); notes prefill what was done."""
    if not theme_ids:
        raise AgendaError("choose at least one theme")
    chosen = _region_themes(session, region, theme_ids)
    meeting = ResvMeeting(region_id=region.id, held_on=held_on, title=title.strip(),
                          created_by_id=user.id)
    meeting.items = [AgendaItem(theme=t, position=i, kernteam_done=t.notes or "")
                     for i, t in enumerate(chosen)]
    session.add(meeting)
    session.flush()
    audit.record(session, user, "meeting_add", "meeting", meeting.id, themes=len(chosen))
    return meeting


def update_item(session: Session, user: User, item: AgendaItem, question: str,
                kernteam_done: str) -> None:
    """Save the question to the table and what the kernteam already did for one theme."""
    item.question = question.strip()
    item.kernteam_done = kernteam_done.strip()
    session.flush()
    audit.record(session, user, "agenda_item", "meeting", item.meeting_id, theme=item.theme_id)


def add_agreement(session: Session, user: User, meeting: ResvMeeting, theme_id: int, what: str,
                  who: str, due_on: dt.date | None) -> Agreement:
    """Record an agreement about a theme that was on the meeting's agenda."""
    if theme_id not in {item.theme_id for item in meeting.items}:
        raise AgendaError("the theme was not on this meeting's agenda")
    if not what.strip() or not who.strip():
        raise AgendaError("say what was agreed and who does it")
    agreement = Agreement(meeting_id=meeting.id, theme_id=theme_id, what=what.strip(),
                          who=who.strip()[:200], due_on=due_on, created_by_id=user.id)
    session.add(agreement)
    session.flush()
    audit.record(session, user, "agreement_add", "meeting", meeting.id, theme=theme_id,
                 agreement=agreement.id)
    return agreement


def set_agreement_done(session: Session, user: User, agreement: Agreement, done: bool) -> None:
    """Mark an agreement as done or not done."""
    agreement.done = done
    session.flush()
    audit.record(session, user, "agreement_done", "meeting", agreement.meeting_id,
                 agreement=agreement.id, done=done)


def agreements_for_theme(session: Session, theme: Theme) -> list[Agreement]:
    """Return the agreements made about a theme and themes merged into it, newest meeting first."""
    return list(session.scalars(
        select(Agreement).join(ResvMeeting)
        .where(Agreement.theme_id.in_(merged_into(session, theme.id)))
        .order_by(ResvMeeting.held_on.desc(), Agreement.id)))


@dataclass(frozen=True)
class ThemeFacts:
    """The numbers the agenda shows for one theme."""

    total: int
    per_wijk: list[tuple[str, int]]
    per_month: list[tuple[dt.date, int]]
    severity: float | None
    severe: int
    quotes: list[str]
    now_in: str | None = None  # the theme a merged theme's reports are in now


def theme_facts(theme: Theme, today: dt.date) -> ThemeFacts:
    """Count a theme's reports per wijk and month, the severity, and pick the quotes.

    A theme merged after it was put on the agenda is counted where its reports went.
    """
    session = object_session(theme)
    merged = merged_home(session, theme) if session is not None else theme
    facts = _facts(merged, today)
    return facts if merged is theme else replace(facts, now_in=merged.label)


def _facts(theme: Theme, today: dt.date) -> ThemeFacts:
    members = [m.signal for m in theme.members if m.signal.status != WITHDRAWN]
    per_wijk = Counter(w.name for s in members for w in s.wijken)
    months = _month_starts(today, TREND_MONTHS)
    per_month = Counter((s.created_at.year, s.created_at.month) for s in members)
    severities = [s.severity for s in members if s.severity]
    return ThemeFacts(
        total=len(members), per_wijk=sorted(per_wijk.items()),
        per_month=[(m, per_month[(m.year, m.month)]) for m in months],
        severity=round(sum(severities) / len(severities), 1) if severities else None,
        severe=sum(1 for v in severities if v >= 4), quotes=_quotes(theme, members))


def _quotes(theme: Theme, members: list[Signal]) -> list[str]:
    # the curated quotes are redacted texts of the theme's own reports
    texts = {s.text for s in members}
    chosen = [q for q in theme.quotes if q in texts]
    return (chosen or [s.text for s in members if s.text])[:MAX_QUOTES]


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    starts = []
    year, month = today.year, today.month
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))
