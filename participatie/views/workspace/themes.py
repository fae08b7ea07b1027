"""Themes: the overview per region and wijk, the theme page, curation and the printable report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from participatie import db, followup, publication, themes, vocabulary
from participatie.accounts import (
    can_curate,
    can_see_signal,
    can_see_theme,
    login_required,
    visible_wijken,
    wijk_scope,
)
from participatie.exports import small_cell, small_cells
from participatie.models import Discipline, Signal, Theme, ThemeChange, User, utcnow
from participatie.queries import counts, stats
from participatie.queries.filters import read_filters
from participatie.signals import WITHDRAWN
from participatie.themes.curation import undo_home
from participatie.views.workforms import (
    ThemeMergeForm,
    ThemeRenameForm,
    ThemeSplitForm,
    ThemeStatusForm,
    UndoForm,
    errors,
)
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
    theme_list, dates, _unplaced = stats.theme_counts(session, user, filters, sort)
    wijken = visible_wijken(session, user)
    place = (filters.wijk.name if filters.wijk
             else ", ".join(w.name for w in wijken) if wijk_scope(user) is not None and wijken
             else region.name)
    return render_template(
        "workspace/overview.html", region=region, filters=filters, counts=theme_list,
        months=stats.per_month(dates), numbers=counts.report_counts(session, user, filters),
        sort=sort, wijken=wijken, place=place)


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
    changes = themes.history(session, theme)
    ids = {i for c in changes for i in (c.theme_id, c.other_theme_id) if i}
    # a limited user reads the names of the themes they may see only
    theme_names = {t.id: t.label for t in session.scalars(select(Theme).where(Theme.id.in_(ids)))
                   if can_see_theme(user, t)}
    return {"theme": theme, "members": members, "by_wijk": by_wijk, "changes": changes,
            "theme_names": theme_names, "can_undo": themes.can_undo,
            "change_label": vocabulary.change_label,
            "duplicate_pairs": followup.duplicate_pairs(members),
            "by_severity": [(vocabulary.severity_label(level), n) for level in range(5, 0, -1)
                            if (n := sum(1 for s in members if s.severity == level))],
            "by_frequency": [(vocabulary.frequency_label(code), n)
                             for code in reversed(vocabulary.FREQUENCIES)
                             if (n := sum(1 for s in members if s.frequency == code))],
            "by_discipline": by_discipline, "discipline_names": names, "others": others,
            "quotes": _quotes(user, theme, members), "statuses": themes.THEME_STATUSES,
            "months": stats.per_month([s.created_at for s in members]), "errors": {},
            "publication": publication.publication_of(session, theme),
            "quotable": publication.quotable(session, theme) if can_curate(user) else [],
            "status_options": [(code, vocabulary.theme_status_label(code))
                               for code in themes.THEME_STATUSES],
            "merge_options": [(t.id, t.label) for t in others],
            "keeps": themes.keeps(theme),
            **_blank_forms(theme)}


def _blank_forms(theme: Theme) -> dict[str, object]:
    """Return the curation forms as a GET shows them: filled with what is stored."""
    return {
        "rename_form": ThemeRenameForm(formdata=None, data={"label": theme.label}),
        "status_form": ThemeStatusForm(formdata=None,
                                       data={"status": theme.status, "notes": theme.notes}),
        "merge_form": ThemeMergeForm(set(), formdata=None),
        "split_form": ThemeSplitForm(set(), formdata=None),
    }


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
def theme_report(theme_id: int) -> str | Response:
    """Show a printable report of a theme for an RESV meeting (small counts suppressed)."""
    found = visible_theme_or_403(theme_id)
    if found.merged_into_id is not None:
        # as the theme page: the reports are in the theme it was merged into (this one is empty)
        flash(_("This theme was merged into another theme."), "ok")
        return redirect(url_for("workspace.theme_report", theme_id=found.merged_into_id))
    return render_template("workspace/theme_report.html", suppress=small_cell, parts=small_cells,
                           now=utcnow(), **_theme_context(found))


def _curatable(theme_id: int) -> tuple[Theme, User]:
    found = visible_theme_or_403(theme_id)
    user, _region = user_and_region()
    if not can_curate(user):
        abort(403)
    if found.merged_into_id is not None:
        # a form from before someone merged this theme (or sent twice): change nothing, and
        # show where its reports are now rather than "you may not see this page"
        flash(_("This theme was merged into another theme meanwhile. Nothing was changed."),
              "error")
        abort(redirect(url_for("workspace.theme", theme_id=found.merged_into_id)))
    return found, user


def _invalid(theme: Theme, problems: dict[str, str], **forms: object) -> tuple[str, int]:
    """Show the theme page again with the messages and what was typed in the sent form."""
    context = _theme_context(theme)
    context["errors"] = problems
    context.update(forms)
    return render_template("workspace/theme.html", **context), 400


@bp.post("/themas/<int:theme_id>/naam")
@login_required
def theme_rename(theme_id: int) -> Response | tuple[str, int]:
    """Rename a theme; rebuilds keep a reviewer's name."""
    found, user = _curatable(theme_id)
    form = ThemeRenameForm()
    if not form.validate():
        return _invalid(found, errors(form), rename_form=form)
    themes.rename(db.session(), found, form.label.data, user)
    db.session().commit()
    flash(_("The theme is renamed."), "ok")
    return redirect(url_for("workspace.theme", theme_id=found.id))


@bp.post("/themas/<int:theme_id>/status")
@login_required
def theme_status(theme_id: int) -> Response | tuple[str, int]:
    """Set a theme's status and notes."""
    found, user = _curatable(theme_id)
    form = ThemeStatusForm()
    if not form.validate():
        return _invalid(found, errors(form), status_form=form)
    themes.set_status(db.session(), found, form.status.data, form.notes.data or "", user)
    db.session().commit()
    flash(_("The status and notes are saved."), "ok")
    return redirect(url_for("workspace.theme", theme_id=found.id))


@bp.post("/themas/<int:theme_id>/samenvoegen")
@login_required
def theme_merge(theme_id: int) -> Response | tuple[str, int]:
    """Merge this theme into another one of the region."""
    found, user = _curatable(theme_id)
    _user, region = user_and_region()
    form = ThemeMergeForm({t.id for t in themes.active_themes(db.session(), region)
                           if t.id != found.id})
    if not form.validate():
        return _invalid(found, errors(form), merge_form=form)
    target = db.session().get(Theme, form.chosen())
    assert target is not None
    if not form.confirmed():
        # first say what will happen; the merge itself needs the second, confirming POST
        moving = len(found.members)
        staying = len(target.members)
        return render_template("workspace/theme_merge.html", theme=found, target=target,
                               moving=moving, staying=staying), 200
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
        return _invalid(found, errors(form), split_form=form)
    created = themes.split(db.session(), found, form.chosen(), form.label.data, user)
    db.session().commit()
    flash(_("The new theme is made."), "ok")
    return redirect(url_for("workspace.theme", theme_id=created.id))


@bp.post("/themas/<int:theme_id>/ongedaan-maken")
@login_required
def theme_undo(theme_id: int) -> Response:
    """Undo a merge or split shown in this theme's history."""
    found, user = _curatable(theme_id)
    session = db.session()
    chosen = UndoForm().change_id()
    change = session.get(ThemeChange, chosen) if chosen is not None else None
    if (change is None or found.id not in (change.theme_id, change.other_theme_id)
            or not themes.can_undo(change)):
        flash(_("This change cannot be undone (any more)."), "error")
        return redirect(url_for("workspace.theme", theme_id=found.id))
    other_id = change.other_theme_id if change.theme_id == found.id else change.theme_id
    other = session.get(Theme, other_id) if other_id else None
    if other is None or not can_see_theme(user, other):
        abort(403)
    home = undo_home(session, change)
    if home is None:
        # the original theme was merged into this split-off theme: the reports are together
        flash(_("This change cannot be undone: the theme the reports came from was merged "
                "into this theme since."), "error")
        return redirect(url_for("workspace.theme", theme_id=found.id))
    if not can_see_theme(user, home):
        abort(403)
    original = session.get(Theme, change.theme_id)
    back = themes.undo(session, change, user)
    session.commit()
    if change.action == "split" and original is not None and back.id != original.id:
        # the original was merged since: its reports, and now these, are in the theme it went to
        flash(_("Undone. “%(original)s” was merged into “%(theme)s” since, so the reports are "
                "now in that theme, with the other reports they were split from.",
                original=original.label, theme=back.label), "ok")
    else:
        flash(_("Undone. The reports are back in their theme."), "ok")
    return redirect(url_for("workspace.theme", theme_id=back.id) + "#history")
