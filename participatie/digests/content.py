"""What goes into one subscriber's digest: new reports, growing themes, status changes, replies."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from participatie import accounts
from participatie.digests.periods import Period, parse
from participatie.models import (
    Agreement,
    DigestDelivery,
    Signal,
    StatusChange,
    Subscription,
    Theme,
    ThemeMembership,
    User,
    Wijk,
)
from participatie.queries import counts
from participatie.signals import WITHDRAWN
from participatie.themes.curation import merged_home, merged_into

MAX_REPORTS = 30
MAX_UPDATES = 30
MAX_THEMES = 5
EXCERPT_CHARS = 240
ROLES = ("beheerder", "asd", "kernteam", "meelezer")


@dataclass(frozen=True)
class Report:
    """A new report as the digest shows it: a redacted excerpt, never contact data."""

    id: int
    excerpt: str
    wijken: list[str]
    created_at: dt.datetime
    severity: int | None = None
    frequency: str | None = None


@dataclass(frozen=True)
class ThemeGrowth:
    """A theme and how many of this digest's new reports joined it."""

    id: int
    label: str
    added: int


@dataclass(frozen=True)
class Update:
    """A status change of a visible report, with the public reply when one was written."""

    signal_id: int
    status: str
    reply: str | None
    created_at: dt.datetime
    reopen_reason: str | None = None  # set when the reporter opened the report again


@dataclass(frozen=True)
class AgreementNote:
    """An RESV agreement recorded in the window about a theme the subscriber may see."""

    theme: str
    what: str
    who: str
    due_on: dt.date | None
    done: bool


@dataclass
class Digest:
    """Everything one subscriber gets for one period."""

    user: User
    subscription: Subscription
    period: Period
    since: dt.datetime
    wijken: list[Wijk]
    whole_region: bool
    reports: list[Report] = field(default_factory=list)
    report_count: int = 0
    themes: list[ThemeGrowth] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    update_count: int = 0
    unclaimed: int = 0
    agreements: list[AgreementNote] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Tell whether nothing happened in the digest's window."""
        return not (self.report_count or self.update_count or self.agreements)


def allowed_wijken(session: Session, user: User) -> list[Wijk]:
    """Return the wijken whose reports a user may receive (the workspace's own rule)."""
    if not user.active or user.role not in ROLES:
        return []
    return accounts.visible_wijken(session, user)


def chosen_wijken(session: Session, user: User, subscription: Subscription) -> list[Wijk]:
    """Return the subscribed wijken within the user's rights (all allowed when none chosen)."""
    allowed = allowed_wijken(session, user)
    if not subscription.wijk_slugs:
        return allowed
    return [w for w in allowed if w.slug in subscription.wijk_slugs]


def window_start(session: Session, user: User, period: Period) -> dt.datetime:
    """Start where the last delivered digest ended, or at the period's start for a first one."""
    keys = session.scalars(select(DigestDelivery.period).where(
        DigestDelivery.user_id == user.id, DigestDelivery.sent_at.is_not(None)))
    ends = [parse(key).end for key in keys]
    return min(max(ends), period.end) if ends else period.start


def collect(session: Session, user: User, subscription: Subscription, period: Period,
            until: dt.datetime | None = None) -> Digest:
    """Gather the digest for a subscriber and period (up to until, for a preview)."""
    wijken = chosen_wijken(session, user, subscription)
    whole = (accounts.wijk_scope(user) is None and not subscription.wijk_slugs
             and bool(wijken))
    digest = Digest(user, subscription, period, window_start(session, user, period), wijken, whole)
    if not wijken:
        return digest
    end = min(until or period.end, period.end)
    visible = _visible_ids(user, wijken, whole)
    _add_reports(session, digest, visible, end)
    _add_updates(session, digest, visible, end)
    _add_agreements(session, digest, visible, end)
    # the workspace's own count of open reports nobody picked up (participatie.queries.counts)
    digest.unclaimed = counts.count_reports(session, visible).unclaimed
    return digest


def _visible_ids(user: User, wijken: list[Wijk], whole_region: bool) -> Select[tuple[int]]:
    """Ids of the reports the workspace lets this user see, narrowed to the chosen wijken."""
    query = accounts.visible_signals(user).where(Signal.status != WITHDRAWN)
    if not whole_region:
        query = query.where(Signal.wijken.any(Wijk.id.in_([w.id for w in wijken])))
    return query.with_only_columns(Signal.id)


def _add_reports(session: Session, digest: Digest, visible: Select[tuple[int]],
                 end: dt.datetime) -> None:
    query = (select(Signal).where(Signal.id.in_(visible), Signal.created_at >= digest.since,
                                  Signal.created_at < end)
             .options(selectinload(Signal.wijken), selectinload(Signal.membership))
             .order_by(Signal.created_at, Signal.id))
    signals = list(session.scalars(query))
    digest.report_count = len(signals)
    digest.reports = [Report(s.id, excerpt(s.text), [w.name for w in s.wijken], s.created_at,
                             s.severity, s.frequency) for s in signals[:MAX_REPORTS]]
    grown = Counter(s.membership.theme_id for s in signals
                    if s.membership is not None and s.membership.theme_id is not None)
    themes = {t.id: t for t in session.scalars(select(Theme).where(Theme.id.in_(grown)))}
    ranked = sorted(((count, themes[tid]) for tid, count in grown.items()
                     if tid in themes and themes[tid].merged_into_id is None),
                    key=lambda pair: (-pair[0], pair[1].label))
    digest.themes = [ThemeGrowth(t.id, t.label, n) for n, t in ranked[:MAX_THEMES]]


def _add_updates(session: Session, digest: Digest, visible: Select[tuple[int]],
                 end: dt.datetime) -> None:
    # "received" is the report arriving (listed above), unless the reporter reopened it;
    # withdrawals carry nothing to act on
    query = (select(StatusChange)
             .where(StatusChange.signal_id.in_(visible),
                    or_(StatusChange.status.not_in(("received", WITHDRAWN)),
                        StatusChange.reopen_reason.is_not(None)),
                    StatusChange.created_at >= digest.since, StatusChange.created_at < end)
             .order_by(StatusChange.created_at, StatusChange.id))
    changes = list(session.scalars(query))
    digest.update_count = len(changes)
    digest.updates = [Update(c.signal_id, c.status, c.public_reply, c.created_at, c.reopen_reason)
                      for c in changes[:MAX_UPDATES]]


def _add_agreements(session: Session, digest: Digest, visible: Select[tuple[int]],
                    end: dt.datetime) -> None:
    # agreements about themes that hold at least one report this subscriber may see, and about
    # themes merged into those since (their reports are there now), under the theme's name now
    holding = session.scalars(select(ThemeMembership.theme_id).distinct().where(
        ThemeMembership.signal_id.in_(visible), ThemeMembership.theme_id.is_not(None)))
    query = (select(Agreement)
             .where(Agreement.theme_id.in_(merged_into(session, holding)),
                    Agreement.created_at >= digest.since, Agreement.created_at < end)
             .order_by(Agreement.created_at, Agreement.id))
    digest.agreements = [AgreementNote(merged_home(session, a.theme).label, a.what, a.who,
                                       a.due_on, a.done) for a in session.scalars(query)]


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """Shorten a redacted text to about limit characters, cutting between words."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"

