"""Publishing: a theme on the public pages (title, summary, quotes, status), survey results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from participatie import db, filling, publication, survey_results, survey_themes
from participatie.accounts import can_curate, can_read_resv, login_required, visible_wijken
from participatie.exports import to_csv
from participatie.models import Region, Submission, SurveyPublication, User
from participatie.views.workforms import MAX_INTRO, PublishForm, SurveyPublishForm, errors
from participatie.views.workspace.common import bp, csv_download, in_language, user_and_region
from participatie.views.workspace.themes import _curatable, _theme_context


@bp.post("/themas/<int:theme_id>/publiceren")
@login_required
def theme_publish(theme_id: int) -> Response | tuple[str, int]:
    """Publish a theme on the public pages, or change what is published."""
    found, user = _curatable(theme_id)
    session = db.session()
    form = PublishForm({s.id for s in publication.quotable(session, found)})
    if not form.validate():
        context = _theme_context(found)
        context["errors"] = errors(form, {"title": "pub-title", "summary": "pub-summary",
                                          "public_status": "pub-status", "quote": "pub-quotes"})
        return render_template("workspace/theme.html", **context), 400
    publication.publish(session, user, found, title=form.title.data,
                        summary=form.summary.data, public_status=form.public_status.data or "",
                        quote_ids=form.chosen())
    session.commit()
    flash(_("The theme is on the public pages."), "ok")
    return redirect(url_for("workspace.theme", theme_id=found.id))


@bp.post("/themas/<int:theme_id>/depubliceren")
@login_required
def theme_unpublish(theme_id: int) -> Response:
    """Take a theme off the public pages, the feeds and the open data."""
    found, user = _curatable(theme_id)
    publication.unpublish(db.session(), user, found)
    db.session().commit()
    flash(_("The theme is no longer on the public pages."), "ok")
    return redirect(url_for("workspace.theme", theme_id=found.id))


# --- survey results --------------------------------------------------------------------------


def _surveys() -> dict[str, filling.Questionnaire]:
    return {k: f for k, f in filling.questionnaires().items() if f.kind == "survey"}


def _periods(form_id: str, region_id: int) -> list[str]:
    dates = db.session().scalars(select(Submission.created_at).where(
        Submission.form_id == form_id, Submission.region_id == region_id,
        Submission.withdrawn_at.is_(None)))
    return sorted({publication.quarter_at(d) for d in dates}, reverse=True)


def _reader() -> tuple:
    """Parse the filters; a reader limited to wijken may see only those wijken, not the region."""
    user, region = user_and_region()
    limited = None if can_read_resv(user) else {w.slug for w in visible_wijken(db.session(), user)}
    if limited is not None and not limited:
        abort(403)
    surveys = _surveys()
    form_id = request.args.get("peiling") or next(iter(surveys), "")
    if form_id not in surveys:
        abort(404)
    periods = _periods(form_id, region.id)
    period = request.args.get("periode") or (periods[0] if periods else "")
    if period and period not in periods:
        abort(404)
    slugs = {w.slug for w in region.wijken}
    wijk = request.args.get("wijk") or None
    if wijk is not None and wijk not in slugs:
        abort(404)
    if limited is not None and wijk not in limited:
        abort(403)
    return user, region, surveys, surveys[form_id], periods, period, wijk


@bp.get("/peilingen")
@login_required
def surveys() -> str:
    """Show a survey's answers per question for one wijk (or the region) and quarter."""
    return _render_surveys(*_reader())[0]


def _render_surveys(user: User, region: Region, all_surveys: dict, form: filling.Questionnaire,
                    periods: list[str], period: str, wijk: str | None,
                    publish_form: SurveyPublishForm | None = None,
                    problems: dict[str, str] | None = None) -> tuple[str, int]:
    """Render the survey results; a publish form sent with a mistake shows what was typed."""
    result = survey_results.results(db.session(), region, form, period, wijk) if period else None
    grouped = survey_themes.grouped(db.session(), region, form, period, wijk) if period else []
    published = db.session().scalar(select(SurveyPublication).where(
        SurveyPublication.region_id == region.id, SurveyPublication.form_id == form.id,
        SurveyPublication.period == period)) if period else None
    wijken = region.wijken if can_read_resv(user) else visible_wijken(db.session(), user)
    if publish_form is None:
        publish_form = SurveyPublishForm(formdata=None,
                                         data={"intro": published.intro if published else ""})
    return render_template("workspace/surveys.html", surveys=all_surveys, form=form,
                           periods=periods, period=period, wijk=wijk, result=result,
                           region=region, published=published, errors=problems or {},
                           may_publish=can_curate(user), publish_form=publish_form,
                           max_intro=MAX_INTRO, grouped=grouped, wijken=wijken,
                           whole_region=can_read_resv(user)), 400 if problems else 200


def _group_name(region: Region, wijk: str | None) -> str:
    """Return the name of the wijk (or the region) the survey numbers are for, not its code."""
    return next((w.name for w in region.wijken if w.slug == wijk), region.name)


@bp.get("/peilingen/uitslag.csv")
@login_required
def surveys_csv() -> Response:
    """Download the shown survey results as CSV (suppressed counts as '<5')."""
    _user, region, _all, form, _periods_, period, wijk = _reader()
    if not period:
        abort(404)
    result = survey_results.results(db.session(), region, form, period, wijk)
    group = _group_name(region, wijk)
    rows = [(period, group, q.id, in_language(q.label), c.value, in_language(c.label),
             survey_results.show(c.count)) for q in result.questions for c in q.cells]
    body = to_csv([_("period"), _("wijk or region"), _("question code"), _("question"),
                   _("answer code"), _("answer"), _("number")], rows)
    name = f"peiling-{form.id}-{period}-{wijk or region.slug}.csv"
    return csv_download(body, name)


@bp.get("/peilingen/groepen.csv")
@login_required
def surveys_groups_csv() -> Response:
    """Download the free-text answers' groups as CSV (counts under 5 as '<5')."""
    _user, region, _all, form, _periods_, period, wijk = _reader()
    if not period:
        abort(404)
    rows = []
    group = _group_name(region, wijk)
    for question in survey_themes.grouped(db.session(), region, form, period, wijk):
        # each group, then the answers in no group; a count of None is suppressed (under 5)
        parts = [(g.label, ", ".join(g.keywords), g.count) for g in question.groups]
        if question.groups:
            parts.append((_("(not in a group)"), "", question.ungrouped))
        rows += [(period, group, question.question_id, in_language(question.label),
                  label, keywords, survey_results.show(count),
                  _("yes") if count is None else _("no"))
                 for label, keywords, count in parts]
    body = to_csv([_("period"), _("wijk or region"), _("question code"), _("question"),
                   _("theme"), _("keywords"), _("number"), _("suppressed")], rows)
    name = f"peiling-{form.id}-{period}-{wijk or region.slug}-groepen.csv"
    return csv_download(body, name)


@bp.post("/peilingen/groeperen")
@login_required
def surveys_regroup() -> Response:
    """Queue a new grouping of the free-text answers (a background job, not this request)."""
    from participatie.jobs import jobs

    user, region, _all, form, _periods_, period, wijk = _reader()
    if not can_curate(user):
        abort(403)
    jobs().survey_themes(region.id, force=True)
    flash(_("The answers are being grouped again. This can take a few minutes: "
            "reload this page later."), "ok")
    return redirect(url_for("workspace.surveys", peiling=form.id, periode=period or None,
                            wijk=wijk or None))


@bp.post("/peilingen/publiceren")
@login_required
def surveys_publish() -> Response | tuple[str, int]:
    """Publish a survey's results for a quarter (all wijken and the region) with an intro."""
    reader = _reader()
    user, region, _all, form, _periods_, period, _wijk = reader
    if not can_curate(user):
        abort(403)
    if not period:
        abort(404)
    publish_form = SurveyPublishForm()
    if not publish_form.validate():
        # the page again, with what was typed and what is wrong with it (too long or empty)
        return _render_surveys(*reader, publish_form=publish_form,
                               problems=errors(publish_form))
    publication.publish_survey(db.session(), user, region, form.id, period,
                               publish_form.intro.data)
    db.session().commit()
    flash(_("The survey results are on the public pages."), "ok")
    return redirect(url_for("workspace.surveys", peiling=form.id, periode=period))


@bp.post("/peilingen/depubliceren")
@login_required
def surveys_unpublish() -> Response:
    """Take a survey's results for a quarter off the public pages."""
    user, region, _all, form, _periods_, period, _wijk = _reader()
    if not can_curate(user):
        abort(403)
    found = db.session().scalar(select(SurveyPublication).where(
        SurveyPublication.region_id == region.id, SurveyPublication.form_id == form.id,
        SurveyPublication.period == period))
    if found is not None:
        publication.unpublish_survey(db.session(), user, found)
        db.session().commit()
    flash(_("The survey results are no longer on the public pages."), "ok")
    return redirect(url_for("workspace.surveys", peiling=form.id, periode=period))
