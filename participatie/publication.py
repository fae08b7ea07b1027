"""Closing the loop in public: publish themes, count them per wijk and quarter, add voices.

What reaches the public pages, the feeds and the open data goes through this module only:
published themes of the region (never merged ones), quotes a reviewer chose that still belong to
the theme and were not withdrawn, and counts with small numbers suppressed (`None`, shown as
"minder dan 5"). Report texts, unpublished themes and withdrawn reports never leave it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from participatie import audit, residentmail
from participatie.models import (
    Agreement,
    PublicUpdate,
    Region,
    Signal,
    Submission,
    SurveyPublication,
    Theme,
    ThemeMembership,
    ThemePublication,
    ThemeVoice,
    User,
    Wijk,
    signal_wijken,
    utcnow,
)
from participatie.survey_results import MIN_CELL, TIMEZONE, gives_away, quarter_of
from participatie.themes.curation import merged_homes
from participatie.vocabulary import WITHDRAWN

MAX_QUOTES = 3
REGION = ""  # the group key of the whole region in the counts


class PublishError(ValueError):
    """A publication that cannot be made (empty title, a quote that is not the theme's)."""


def _small(count: int) -> bool:
    return 0 < count < MIN_CELL


def _quotable(theme_ids: Sequence[int]) -> Select[tuple[Signal, int]]:
    """Select the reports of these themes whose redacted text may be quoted, with their theme."""
    return (select(Signal, ThemeMembership.theme_id)
            .join(ThemeMembership, ThemeMembership.signal_id == Signal.id)
            .join(Submission, Submission.id == Signal.submission_id)
            .where(ThemeMembership.theme_id.in_(theme_ids), Signal.status != WITHDRAWN,
                   Submission.withdrawn_at.is_(None), Signal.text != ""))


def quotable(session: Session, theme: Theme) -> list[Signal]:
    """Return the theme's reports whose redacted text may be quoted (not withdrawn, not empty)."""
    query = _quotable([theme.id]).order_by(Signal.created_at.desc(), Signal.id.desc())
    return list(session.scalars(query))


def publication_of(session: Session, theme: Theme) -> ThemePublication | None:
    """Return a theme's publication (published or not), if it ever had one."""
    return session.scalar(select(ThemePublication).where(ThemePublication.theme_id == theme.id))


def publish(session: Session, user: User, theme: Theme, *, title: str, summary: str,
            public_status: str, quote_ids: Sequence[int]) -> ThemePublication:
    """Publish a theme (or change its publication), flush, note the feed line and audit it."""
    title, summary, public_status = title.strip(), summary.strip(), public_status.strip()
    if not title or theme.merged_into_id is not None:
        raise PublishError("title")
    allowed = {s.id for s in quotable(session, theme)}
    quotes = [i for i in dict.fromkeys(quote_ids)]
    if any(i not in allowed for i in quotes) or len(quotes) > MAX_QUOTES:
        raise PublishError("quotes")
    publication = publication_of(session, theme)
    was_public = publication is not None and publication.published
    old_status = publication.public_status if publication else None
    now = utcnow()
    if publication is None:
        publication = ThemePublication(region_id=theme.region_id, theme_id=theme.id, title=title)
        session.add(publication)
    if not was_public:
        publication.published_at = now
    publication.title, publication.summary = title[:200], summary[:5000]
    publication.public_status, publication.quote_signal_ids = public_status[:300], quotes
    publication.published, publication.updated_at = True, now
    publication.published_by_id = user.id
    news = None
    if not was_public:
        news = PublicUpdate(region_id=theme.region_id, theme_id=theme.id, kind="published",
                            public_status=publication.public_status, created_at=now)
    elif old_status != publication.public_status:
        news = PublicUpdate(region_id=theme.region_id, theme_id=theme.id, kind="status",
                            public_status=publication.public_status, created_at=now)
    if news is not None:
        session.add(news)
        residentmail.queue_theme(session, news)  # residents who asked for news about it
    session.flush()
    audit.record(session, user, "publish" if not was_public else "publication_edit", "theme",
                 theme.id, region_id=theme.region_id, quotes=len(quotes))
    return publication


def unpublish(session: Session, user: User, theme: Theme) -> None:
    """Take a theme off the public pages, feeds and open data; flush and audit."""
    publication = publication_of(session, theme)
    if publication is None or not publication.published:
        return
    publication.published, publication.updated_at = False, utcnow()
    session.flush()
    audit.record(session, user, "unpublish", "theme", theme.id, region_id=theme.region_id)


def published(session: Session, region: Region) -> list[ThemePublication]:
    """Return the region's published themes (never merged ones), newest first."""
    query = (select(ThemePublication).join(Theme, Theme.id == ThemePublication.theme_id)
             .where(ThemePublication.region_id == region.id,
                    ThemePublication.published.is_(True), Theme.merged_into_id.is_(None))
             .order_by(ThemePublication.published_at.desc(), ThemePublication.id.desc()))
    return list(session.scalars(query))


def published_theme(session: Session, region: Region, theme_id: int) -> ThemePublication | None:
    """Return one published theme of the region, or None."""
    return next((p for p in published(session, region) if p.theme_id == theme_id), None)


def quotes(session: Session, publications: Sequence[ThemePublication]) -> dict[int, list[str]]:
    """Return per theme the chosen quotes that may still be shown (redacted, in the theme, not
    withdrawn), in the order they were chosen; one query for all publications."""
    chosen = {p.theme_id: list(p.quote_signal_ids or []) for p in publications}
    ids = [i for found in chosen.values() for i in found]
    still: dict[tuple[int, int], str] = {}
    if ids:
        for signal, theme_id in session.execute(_quotable(list(chosen)).where(
                Signal.id.in_(ids))):
            still[theme_id, signal.id] = signal.text
    return {t: [still[t, i] for i in found if (t, i) in still] for t, found in chosen.items()}


def agreements(session: Session, theme_ids: Sequence[int]) -> dict[int, list[Agreement]]:
    """Return per theme what was agreed about it and the themes merged into it (open first, by
    date); a query per level of merging and one for the agreements, however many themes."""
    home = merged_homes(session, theme_ids)
    out: dict[int, list[Agreement]] = {t: [] for t in theme_ids}
    for agreement in session.scalars(select(Agreement).where(Agreement.theme_id.in_(home))):
        out[home[agreement.theme_id]].append(agreement)
    for found_ in out.values():
        found_.sort(key=lambda a: (a.done, a.due_on or dt.date.max, a.id))
    return out


# --- counts ----------------------------------------------------------------------------------


def quarter_at(moment: dt.datetime) -> str:
    """Return the quarter (Europe/Amsterdam) a moment falls in."""
    return quarter_of(moment.astimezone(TIMEZONE).date())


def raw_counts(session: Session, region: Region,
               theme_ids: Sequence[int]) -> dict[int, dict[str, Counter[str]]]:
    """Count reports and voices per theme, group (wijk slug or REGION) and quarter."""
    counts: dict[int, dict[str, Counter[str]]] = {t: defaultdict(Counter) for t in theme_ids}
    if not theme_ids:
        return counts
    slugs = {w.id: w.slug for w in session.scalars(select(Wijk).where(
        Wijk.region_id == region.id))}
    rows = session.execute(
        select(ThemeMembership.theme_id, Signal.id, Signal.created_at)
        .join(Signal, Signal.id == ThemeMembership.signal_id)
        .join(Submission, Submission.id == Signal.submission_id)
        .where(ThemeMembership.theme_id.in_(theme_ids), Signal.status != WITHDRAWN,
               Submission.withdrawn_at.is_(None))).all()
    wijken_of: dict[int, list[int]] = defaultdict(list)
    for signal_id, wijk_id in session.execute(select(signal_wijken.c.signal_id,
                                                     signal_wijken.c.wijk_id).where(
            signal_wijken.c.signal_id.in_([r[1] for r in rows]))):
        wijken_of[signal_id].append(wijk_id)
    for theme_id, signal_id, created in rows:
        period = quarter_at(created)
        counts[theme_id][REGION][period] += 1
        for wijk_id in wijken_of[signal_id]:
            if wijk_id in slugs:
                counts[theme_id][slugs[wijk_id]][period] += 1
    voices = session.execute(select(ThemeVoice.theme_id, ThemeVoice.wijk_id, ThemeVoice.created_at)
                             .where(ThemeVoice.theme_id.in_(theme_ids),
                                    ThemeVoice.submission_id.is_(None)))
    for theme_id, wijk_id, created in voices:
        period = quarter_at(created)
        counts[theme_id][REGION][period] += 1
        if wijk_id in slugs:
            counts[theme_id][slugs[wijk_id]][period] += 1
    return counts


@dataclass(frozen=True)
class Counts:
    """A theme's counts for one group: per quarter (oldest first) and in total; None: under 5."""

    periods: tuple[tuple[str, int | None], ...]
    total: int | None
    any: bool

    @property
    def largest(self) -> int:
        """Return the largest shown count (at least 1), for the chart's scale."""
        return max([c for _p, c in self.periods if c] + [self.total or 0, 1])


def _suppressed(counter: Counter[str], periods: Sequence[str],
                region_minus: dict[str, tuple[int, int]] | None = None) -> Counts:
    """Suppress small cells, cells that the total would reveal, and (for the region) cells
    that the region minus the wijken shown would reveal (`region_minus`: per period, and for
    the total under "", what the region minus the wijken shown leaves and for how many hidden
    wijk cells)."""
    cells: dict[str, int | None] = {}
    for period in periods:
        count = counter.get(period, 0)
        hide = _small(count) or (region_minus is not None
                                 and gives_away(*region_minus.get(period, (0, 0))))
        cells[period] = None if hide else count
    total = sum(counter.get(p, 0) for p in periods)
    hidden = total - sum(c for c in cells.values() if c is not None)
    shown_total: int | None = total
    if _small(total) or gives_away(hidden, sum(c is None and counter.get(p, 0) > 0
                                                for p, c in cells.items())):
        shown_total = None
    if region_minus is not None and gives_away(*region_minus.get("", (0, 0))):
        shown_total = None
    return Counts(tuple(cells.items()), shown_total, total > 0)


def suppressed_counts(raw: dict[str, Counter[str]], periods: Sequence[str],
                      wijk_slugs: Sequence[str]) -> dict[str, Counts]:
    """Return every group's suppressed counts: each wijk, and REGION (rule: no subtraction)."""
    out = {slug: _suppressed(raw.get(slug, Counter()), periods) for slug in wijk_slugs}
    region = raw.get(REGION, Counter())
    minus: dict[str, tuple[int, int]] = {}
    for period in periods:
        cells = [c for slug in wijk_slugs for p, c in out[slug].periods
                 if p == period and raw.get(slug, Counter()).get(p, 0) > 0]
        minus[period] = (region.get(period, 0) - sum(c for c in cells if c is not None),
                         sum(c is None for c in cells))
    totals = [out[s].total for s in wijk_slugs if out[s].any]
    minus[""] = (sum(region.get(p, 0) for p in periods) - sum(t for t in totals if t is not None),
                 sum(t is None for t in totals))
    out[REGION] = _suppressed(region, periods, minus)
    return out


def periods_of(raw: dict[int, dict[str, Counter[str]]]) -> list[str]:
    """Return every quarter that has a count, oldest first."""
    return sorted({p for groups in raw.values() for c in groups.values() for p in c})


@dataclass(frozen=True)
class PublicTheme:
    """A published theme as the public pages show it for one group."""

    publication: ThemePublication
    counts: Counts
    quotes: list[str]
    agreements: list[Agreement]


def public_themes(session: Session, region: Region, wijk: Wijk | None = None) -> list[PublicTheme]:
    """Return the published themes for a wijk page (those with reports there) or the region."""
    pubs = published(session, region)
    raw = raw_counts(session, region, [p.theme_id for p in pubs])
    periods = periods_of(raw)
    slugs = [w.slug for w in region.wijken]
    shown = []
    for pub in pubs:
        groups = suppressed_counts(raw[pub.theme_id], periods, slugs)
        counts = groups[wijk.slug if wijk else REGION]
        if wijk is None or counts.any:
            shown.append((pub, counts))
    chosen = quotes(session, [pub for pub, _counts in shown])
    agreed = agreements(session, [pub.theme_id for pub, _counts in shown])
    return [PublicTheme(pub, counts, chosen[pub.theme_id], agreed[pub.theme_id])
            for pub, counts in shown]


def open_data_rows(session: Session, region: Region) -> list[dict[str, object]]:
    """Return one row per published theme, group and quarter, counts suppressed."""
    pubs = published(session, region)
    raw = raw_counts(session, region, [p.theme_id for p in pubs])
    periods = periods_of(raw)
    slugs = [w.slug for w in region.wijken]
    names = {w.slug: w.name for w in region.wijken}
    rows: list[dict[str, object]] = []
    for pub in pubs:
        groups = suppressed_counts(raw[pub.theme_id], periods, slugs)
        for slug in [REGION, *slugs]:
            counts = groups[slug]
            if slug and not counts.any:
                continue
            for period, count in counts.periods:
                rows.append({
                    "theme_id": pub.theme_id, "theme_title": pub.title,
                    "public_status": pub.public_status,
                    "wijk": slug or None, "wijk_name": names.get(slug, region.name),
                    "period": period, "count": count, "suppressed": count is None,
                })
    return rows


def updates(session: Session, region: Region, wijk: Wijk | None = None,
            limit: int = 50) -> list[tuple[PublicUpdate, ThemePublication]]:
    """Return the feed lines of themes that are published now (for a wijk: with reports there)."""
    pubs = {p.theme_id: p for p in published(session, region)}
    if wijk is not None:
        shown = {t.publication.theme_id for t in public_themes(session, region, wijk)}
        pubs = {k: v for k, v in pubs.items() if k in shown}
    if not pubs:
        return []
    found = session.scalars(select(PublicUpdate).where(
        PublicUpdate.region_id == region.id, PublicUpdate.theme_id.in_(list(pubs)),
        PublicUpdate.created_at >= select(ThemePublication.published_at).where(
            ThemePublication.theme_id == PublicUpdate.theme_id).scalar_subquery())
        .order_by(PublicUpdate.created_at.desc(), PublicUpdate.id.desc()).limit(limit))
    return [(u, pubs[u.theme_id]) for u in found]


# --- "ik heb dit ook" ------------------------------------------------------------------------


def browser_key(secret: str, token: str) -> str:
    """Return the stored key for a browser's random token (never the token itself)."""
    return hashlib.sha256(f"{secret}:voice:{token}".encode()).hexdigest()


def has_voice(session: Session, theme_id: int, key: str) -> bool:
    """Tell whether this browser already added its voice to the theme."""
    return theme_id in voiced(session, [theme_id], key)


def voiced(session: Session, theme_ids: Sequence[int], key: str) -> set[int]:
    """Return those of the themes this browser already added its voice to (one query)."""
    return set(session.scalars(select(ThemeVoice.theme_id).where(
        ThemeVoice.theme_id.in_(theme_ids), ThemeVoice.browser_key == key)))


def add_voice(session: Session, publication: ThemePublication, wijk: Wijk | None, key: str,
              submission: Submission | None = None) -> bool:
    """Count a browser's "ik heb dit ook" once per theme; False when it was already counted.

    With a text, the submission (recorded through intake) is placed in the theme for a reviewer
    to confirm, and it counts as a report instead of as a voice.
    """
    if has_voice(session, publication.theme_id, key):
        return False
    session.add(ThemeVoice(theme_id=publication.theme_id, wijk_id=wijk.id if wijk else None,
                           browser_key=key, submission_id=submission.id if submission else None))
    if submission is not None:
        for signal in submission.signals:
            if signal.membership is None:
                signal.membership = ThemeMembership(theme_id=publication.theme_id,
                                                    source="model", confidence=1.0,
                                                    needs_review=True)
            else:
                signal.membership.theme_id = publication.theme_id
                signal.membership.needs_review = True
    session.flush()
    return True


# --- survey results on the public page -------------------------------------------------------


def publish_survey(session: Session, user: User, region: Region, form_id: str, period: str,
                   intro: str) -> SurveyPublication:
    """Publish a survey's results for a quarter with an introduction; flush and audit."""
    found = session.scalar(select(SurveyPublication).where(
        SurveyPublication.region_id == region.id, SurveyPublication.form_id == form_id,
        SurveyPublication.period == period))
    if found is None:
        found = SurveyPublication(region_id=region.id, form_id=form_id, period=period)
        session.add(found)
    found.intro, found.published_at, found.published_by_id = intro.strip()[:5000], utcnow(), user.id
    session.flush()
    audit.record(session, user, "publish_survey", "survey", form_id, region_id=region.id,
                 period=period)
    return found


def unpublish_survey(session: Session, user: User, publication: SurveyPublication) -> None:
    """Take a survey result off the public pages; flush and audit."""
    session.delete(publication)
    session.flush()
    audit.record(session, user, "unpublish_survey", "survey", publication.form_id,
                 region_id=publication.region_id, period=publication.period)


def published_surveys(session: Session, region: Region) -> list[SurveyPublication]:
    """Return the region's published survey results, newest quarter first."""
    return list(session.scalars(select(SurveyPublication).where(
        SurveyPublication.region_id == region.id).order_by(
            SurveyPublication.period.desc(), SurveyPublication.form_id)))
