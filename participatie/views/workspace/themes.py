"""Themes: the overview per region and wijk, the theme page, curation and the printable report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from participatie import db, themes
from participatie.accounts import (
    can_curate,
    can_see_signal,
    can_see_theme,
    login_required,
    visible_wijken,
)
from participatie.exports import small_cell
from participatie.models import Discipline, Signal, Theme, User, utcnow
from participatie.queries import stats
from participatie.queries.filters import read_filters
from participatie.signals import WITHDRAWN
from participatie.views.workforms import ThemeRenameForm, ThemeSplitForm, errors
from participatie.views.workspace.common import bp, user_and_region, visible_or_403


@bp.get("/")
@bp.get("/themas")
@login_required
def overview() -> str:
    """Show the themes of the region (or one wijk) by size or growth, with filters and a chart."""
    user, region = user_and_region()
    session = db.session()
    filters = read_filters(session, user, request.args)
    sort = "growth" if request.args.get("sorteer") == "groei" else "size"
    counts, dates, unplaced = stats.theme_counts(session, user, filters, sort)
    return render_template(
        "workspace/overview.html", region=region, filters=filters, counts=counts,
        months=stats.per_month(dates), unplaced=unplaced, total=len(dates), sort=sort,
        wijken=visible_wijken(session, user))


def visible_theme_or_403(theme_id: int) -> Theme:
    """Return a theme the user may see; 404 when unknown, 403 when not theirs to see."""
    return visible_or_403(Theme, theme_id, can_see_theme)


def visible_members(user: User, theme: Theme) -> list[Signal]:
    """Return the theme's reports the user may see, newest first."""
    members = [m.signal for m in theme.members
               if m.signal.status != WITHDRAWN and can_see_signal(user, m.signal)]
    return sorted(members, key=lambda s: (s.created_at, s.id), reverse=True)


def _quotes(user: User, theme: Theme, members: list[Signal]) -> list[str]:
    # the model's quotes may come from any wijk: a limited user sees quotes from their own only
    texts = {s.text for s in members}
    quotes = [q for q in theme.quotes if q in texts] if theme.quotes else []
    return quotes or [s.text for s in members[:3] if s.text]


def _theme_context(theme: Theme) -> dict[str, object]:
    user, region = user_and_region()
    session = db.session()
    members = visible_members(user, theme)
    by_wijk, by_discipline = stats.breakdown(members)
    names = {d.code: d for d in session.scalars(select(Discipline))}
    others = [t for t in themes.active_themes(session, region) if t.id != theme.id]
    return {"theme": theme, "members": members, "by_wijk": by_wijk,
            "by_discipline": by_discipline, "discipline_names": names, "others": others,
            "quotes": _quotes(user, theme, members), "statuses": themes.THEME_STATUSES,
            "months": stats.per_month([s.created_at for s in members]), "errors": {}}


@bp.get("/themas/<int:theme_id>")
@login_required
def theme(theme_id: int) -> str | Response:
    """Show a theme: label, keywords, quotes, its reports, breakdowns and curation forms."""
    found = visible_theme_or_403(theme_id)
    if found.merged_into_id is not None:
        flash(_("This theme was merged into another theme."), "ok")
        return redirect(url_for("workspace.theme", theme_id=found.merged_into_id))
    return render_template("workspace/theme.html", **_theme_context(found))


@bp.get("/themas/<int:theme_id>/verslag")
@login_required
def theme_report(theme_id: int) -> str:
    """Show a printable report of a theme for an RESV meeting (small counts suppressed)."""
    found = visible_theme_or_403(theme_id)
    return render_template("workspace/theme_report.html", suppress=small_cell, now=utcnow(),
                           **_theme_context(found))


def _curatable(theme_id: int) -> tuple[Theme, User]:
    found = visible_theme_or_403(theme_id)
    user, _region = user_and_region()
    if not can_curate(user) or found.merged_into_id is not None:
        abort(403)
    return found, user


def _invalid(theme: Theme, problems: dict[str, str]) -> tuple[str, int]:
    context = _theme_context(theme)
    context["errors"] = problems
    return render_template("workspace/theme.html", **context), 400


@bp.post("/themas/<int:theme_id>/naam")
@login_required
def theme_rename(theme_id: int) -> Response | tuple[str, int]:
    """Rename a theme; rebuilds keep a reviewer's name."""
    found, user = _curatable(theme_id)
    form = ThemeRenameForm()
    if not form.validate():
        return _invalid(found, errors(form))
    themes.rename(db.session(), found, form.label.data, user)
    db.session().commit()
    flash(_("The theme is renamed."), "ok")
    return redirect(url_for("workspace.theme", theme_id=found.id))


@bp.post("/themas/<int:theme_id>/status")
@login_required
def theme_status(theme_id: int) -> Response | tuple[str, int]:
    """Set a theme's status and notes."""
    found, user = _curatable(theme_id)
    status = request.form.get("status", "")
    if status not in themes.THEME_STATUSES:
        return _invalid(found, {"theme-status": _("Choose a status.")})
    themes.set_status(db.session(), found, status, request.form.get("notes", "")[:5000], user)
    db.session().commit()
    flash(_("The status and notes are saved."), "ok")
    return redirect(url_for("workspace.theme", theme_id=found.id))


@bp.post("/themas/<int:theme_id>/samenvoegen")
@login_required
def theme_merge(theme_id: int) -> Response | tuple[str, int]:
    """Merge this theme into another one of the region."""
    found, user = _curatable(theme_id)
    choice = request.form.get("target", "")
    target = db.session().get(Theme, int(choice)) if themes.is_small_id(choice) else None
    if (target is None or target.id == found.id or target.region_id != found.region_id
            or target.merged_into_id is not None):
        return _invalid(found, {"target": _("Choose the theme to merge with.")})
    themes.merge(db.session(), found, target, user)
    db.session().commit()
    flash(_("The themes are merged. All reports are now in this theme."), "ok")
    return redirect(url_for("workspace.theme", theme_id=target.id))


@bp.post("/themas/<int:theme_id>/splitsen")
@login_required
def theme_split(theme_id: int) -> Response | tuple[str, int]:
    """Split the chosen reports off into a new theme."""
    found, user = _curatable(theme_id)
    form = ThemeSplitForm({s.id for s in visible_members(user, found)})
    if not form.validate():
        return _invalid(found, errors(form, {"signal": "split-signals", "label": "split-label"}))
    created = themes.split(db.session(), found, form.chosen(), form.label.data, user)
    db.session().commit()
    flash(_("The new theme is made."), "ok")
    return redirect(url_for("workspace.theme", theme_id=created.id))
