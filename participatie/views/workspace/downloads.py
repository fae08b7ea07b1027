"""CSV downloads of reports and of themes, honouring the filters and the user's rights."""

from __future__ import annotations

from flask import Response, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie import audit, db
from participatie.accounts import login_required, visible_wijken
from participatie.exports import small_cell, small_cells, to_csv
from participatie.models import Discipline, Signal, Theme, ThemeMembership, User, signal_wijken
from participatie.queries import stats
from participatie.queries.filters import Filters, filtered_signals, read_filters
from participatie.views.workspace.common import bp, csv_download, form_title, user_and_region
from participatie.views.workspace.reports import consulted
from participatie.vocabulary import (
    frequency_label,
    reporter_label,
    severity_label,
    status_label,
    theme_status_label,
)


@bp.get("/export/meldingen.csv")
@login_required
def export_reports() -> Response:
    """Download the reports the user may see, with the chosen filters (redacted texts only)."""
    user, region = user_and_region()
    session = db.session()
    filters = read_filters(session, user, request.args)
    query = filtered_signals(user, filters).order_by(Signal.created_at, Signal.id)
    signals = session.scalars(query).all()
    labels = dict(session.execute(
        select(ThemeMembership.signal_id, Theme.label).join(Theme)
        .where(ThemeMembership.signal_id.in_([s.id for s in signals]))).all())
    names = _discipline_names(session)
    # labels, never internal codes; never contact details
    rows = [(s.id, s.created_at.date().isoformat(), ", ".join(w.name for w in s.wijken),
             ", ".join(names.get(code, code) for code in s.disciplines),
             form_title(s.submission.form_id), reporter_label(s.submission.reporter_role),
             status_label(s.status), labels.get(s.id, ""), s.text, s.public_reply or "",
             severity_label(s.severity), frequency_label(s.frequency),
             "" if consulted(s) is None else consulted(s), s.owner.name if s.owner else "")
            for s in signals]
    # column names in the user's language, as the cells are
    header = ["id", _("date"), _("wijk"), _("disciplines"), _("form"), _("reporter"),
              _("status"), _("theme"), _("text (without personal data)"),
              _("reply to the reporter"), _("how serious"), _("how often"),
              _("times consulted"), _("picked up by")]
    audit.record(session, user, "export", "signals", None, rows=len(rows), **filters.args())
    session.commit()
    return csv_download(to_csv(header, rows), f"meldingen-{region.slug}.csv")


@bp.get("/export/themas.csv")
@login_required
def export_themes() -> Response:
    """Download counts per theme and wijk; under 5 reads '<5', and no subtraction shows it."""
    user, region = user_and_region()
    session = db.session()
    filters = read_filters(session, user, request.args)
    counts, _dates, _unplaced = stats.theme_counts(session, user, filters)
    wijken = [filters.wijk] if filters.wijk else visible_wijken(session, user)
    per_wijk = _per_theme_and_wijk(user, filters)
    header = [_("theme"), _("status"), _("reports"), _("last 30 days"), _("30 days before that"),
              *[w.name for w in wijken], _("keywords")]
    # no subtraction: the wijk cells against the total, the two periods when they are all
    rows = [(c.theme.label, theme_status_label(c.theme.status), small_cell(c.count),
             *(small_cells(c.count, [c.recent, c.previous]) if c.recent + c.previous == c.count
               else [small_cell(c.recent), small_cell(c.previous)]),
             *small_cells(c.count, [per_wijk.get((c.theme.id, w.id), 0) for w in wijken]),
             ", ".join(c.theme.keywords)) for c in counts]
    audit.record(session, user, "export", "themes", None, rows=len(rows), **filters.args())
    session.commit()
    return csv_download(to_csv(header, rows), f"themas-{region.slug}.csv")


def _discipline_names(session: Session) -> dict[str, str]:
    lang = str(get_locale() or "nl")
    return {d.code: d.name_en if lang == "en" else d.name_nl
            for d in session.scalars(select(Discipline))}


def _per_theme_and_wijk(user: User, filters: Filters) -> dict[tuple[int, int], int]:
    ids = filtered_signals(user, filters, include_theme=False).with_only_columns(Signal.id)
    rows = db.session().execute(
        select(ThemeMembership.theme_id, signal_wijken.c.wijk_id)
        .join(signal_wijken, signal_wijken.c.signal_id == ThemeMembership.signal_id)
        .where(ThemeMembership.signal_id.in_(ids), ThemeMembership.theme_id.is_not(None))).all()
    counts: dict[tuple[int, int], int] = {}
    for theme_id, wijk_id in rows:
        counts[(theme_id, wijk_id)] = counts.get((theme_id, wijk_id), 0) + 1
    return counts
