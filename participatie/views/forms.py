"""The public forms: page by page without JavaScript, a check page, then the confirmation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from participatie import db, drafts, filling, residentmail
from participatie.extensions import csrf, limiter
from participatie.intake import get_intake
from participatie.questionnaires import Page, Question, Questionnaire
from participatie.regions import current_region
from participatie.signals import (
    find_by_submit_token,
    find_submission,
    normalise_reference,
    record_submission,
    withdraw_code_matches,
)
from participatie.views.residentforms import expired, retry_after, too_many
from participatie.webforms import FIELD_TYPES, Context, PageForm, is_active, option_labels

bp = Blueprint("forms", __name__)
bp.record_once(lambda state: filling.load_into(state.app))
HONEYPOT = "website"


@dataclass
class View:
    """What the field macros need besides the field: options, nested questions, focus."""

    page: Page
    form: PageForm
    ctx: Context
    answers: dict[str, Any]
    focus: str | None = None
    postcode: dict[str, Any] | None = None
    field_types: dict[str, Any] = field(default_factory=lambda: FIELD_TYPES)

    @property
    def retention_days(self) -> int:
        """Return how long contact details are kept."""
        return current_app.config["CONTACT_RETENTION_DAYS"]

    def options(self, question: Question) -> list[tuple[str, str]]:
        """Return the (value, label) pairs of a choice question."""
        return option_labels(question, self.ctx)

    def nested(self, question: Question, value: str) -> list[Question]:
        """Return the questions shown under one answer of question (same page)."""
        return [q for q in self.page.questions
                if q.show_if and q.show_if.question == question.id and q.show_if.equals == value]

    def show(self, question: Question, value: Any) -> str:
        """Return an answer as the check page reads it back."""
        return FIELD_TYPES[question.type].show(question, value, self.ctx)

    def is_open(self, question: Question, index: int, entry: Any) -> bool:
        """Show an item's fields when it is being edited or not complete; else a summary."""
        if self.focus == f"{question.id}-{index}":
            return True
        return not entry.form.__class__(data=entry.data).validate()

    def top_level(self, question: Question) -> bool:
        """Say whether to render a question at the top of the page (not nested, applies)."""
        cond = question.show_if
        if cond and any(q.id == cond.question for q in self.page.questions):
            return False
        return is_active(question, self.answers)


@dataclass(frozen=True)
class Notice:
    """Why the page came back although nothing was wrong with the answers."""

    title: str
    text: str


def _submitting() -> bool:
    return request.method == "POST" and request.form.get("action") == "submit"


def _limit() -> str:
    return current_app.config["RATELIMIT_SUBMISSIONS"]


def _lookup_limit() -> str:
    # draft codes are hard to guess (23^12), a per-client limit keeps it that way
    return current_app.config.get("RATELIMIT_LOOKUPS", "60 per minute")


def _questionnaire(form_id: str) -> Questionnaire:
    found = filling.questionnaires().get(form_id)
    if found is None:
        abort(404)
    return found


@bp.route("/formulier/<form_id>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], exempt_when=lambda: not _submitting())
def fill(form_id: str) -> Any:
    """Show a page of the form, go forward or back, add or remove an item, or submit."""
    form = _questionnaire(form_id)
    ctx = filling.context(current_region(), _lang())
    if request.method == "GET":
        return _render_page(form, form.pages[0], ctx, _chosen_wijk(form, ctx))
    if request.form.get(HONEYPOT):
        abort(400)
    step = request.form.get("page", "")
    index = form.page_index(step)
    if step != "check" and index < 0:
        abort(400)
    try:
        answers = filling.read_state(request.form.get("state"), form.id)
    except filling.StateError:
        return _state_lost(form, ctx, None if step == "check" else form.pages[index])
    if step == "check":
        return _from_check(form, ctx, answers)
    return _from_page(form, form.pages[index], ctx, answers)


def _state_lost(form: Questionnaire, ctx: Context, page: Page | None) -> Any:
    """Refuse answers we did not write; keep what was typed on this page and start again."""
    current_app.logger.warning("a %s form came back with a state we did not sign", form.id)
    answers: dict[str, Any] = {}
    if page is not None:
        answers.update(filling.build(page, ctx, {}, formdata=request.form).answers())
    first = filling.active_pages(form, answers)[0] if filling.active_pages(form, answers) \
        else form.pages[0]
    notice = _("We could not read your earlier answers. Please check them again from the "
               "start. What you typed on the last page is still here.")
    return _render_page(form, first, ctx, answers, problem=notice)


def _lang() -> str:
    return str(get_locale() or "nl")


def _chosen_wijk(form: Questionnaire, ctx: Context) -> dict[str, Any]:
    """Start with the wijk of the link the resident followed (?wijk=), when the form asks one."""
    slug = request.args.get("wijk", "")
    question = next((q for q in form.pages[0].questions if q.type == "wijk"), None)
    if question is None or slug not in ctx.wijk_names():
        return {}
    return {question.id: [slug] if question.multiple else slug}


def _from_page(form: Questionnaire, page: Page, ctx: Context, answers: dict[str, Any]) -> Any:
    """Keep what was typed on this page, then do what the pressed button asks."""
    page_form = filling.build(page, ctx, answers, formdata=request.form)
    answers.update(page_form.answers())
    action = request.form.get("action", "next")
    returning = request.form.get("return") == "check"
    if action == "stay":  # the language switch inside the form: same page, nothing lost
        return _render_page(form, page, ctx, answers, returning=returning)
    if action == "back":
        target = filling.neighbour(form, page, answers, -1)
        return _render_page(form, target or page, ctx, answers)
    if action == "save":
        return _save_draft(form, page, answers)
    if action.startswith(("add-", "remove-", "edit-")):
        return _change_items(form, page, ctx, answers, action, returning)
    typed_postcode = next((q.id for q in page.questions if q.postcode and not answers.get(q.id)
                           and request.form.get(f"{q.id}_postcode", "").strip()), None)
    if action == "next" and typed_postcode:
        action = f"postcode-{typed_postcode}"  # Enter in the postcode field means "find it"
    if action.startswith("postcode-"):
        return _postcode(form, page, ctx, answers, action.removeprefix("postcode-"), returning)
    if not page_form.validate():
        return _render_page(form, page, ctx, answers, page_form, returning)
    target = None if returning else filling.neighbour(form, page, answers, 1)
    if target is None:
        return _render_check(form, ctx, answers)
    return _render_page(form, target, ctx, answers)


def _change_items(form: Questionnaire, page: Page, ctx: Context, answers: dict[str, Any],
                  action: str, returning: bool) -> Any:
    """Add an empty item to a repeating group, or remove one; nothing else is lost."""
    verb, _, rest = action.partition("-")
    qid, _, number = rest.partition("-")
    question = next((q for q in page.questions if q.id == qid and q.type == "repeat"), None)
    if question is None:
        abort(400)
    items = list(answers.get(qid) or [])
    focus = None
    # ASCII digits only: '²'.isdigit() is true, but int('²') fails
    position = int(number) if re.fullmatch(r"[0-9]{1,3}", number) else len(items)
    if verb == "add" and len(items) < question.max_items:
        items.append({})
        focus = f"{qid}-{len(items) - 1}"
    elif verb == "remove" and position < len(items) and len(items) > 1:
        del items[position]
        focus = f"{qid}-heading"
    elif verb == "edit" and position < len(items):
        focus = f"{qid}-{position}"
    answers[qid] = items
    return _render_page(form, page, ctx, answers, returning=returning, focus=focus)


def _postcode(form: Questionnaire, page: Page, ctx: Context, answers: dict[str, Any],
              qid: str, returning: bool) -> Any:
    """Choose the wijk that belongs to the typed postcode, when we know it."""
    typed = "".join(request.form.get(f"{qid}_postcode", "").split()).upper()
    slug = ctx.postcodes.get(typed[:4]) if len(typed) >= 4 else None
    shared = ctx.shared_postcodes.get(typed[:4], []) if len(typed) >= 4 else []
    if slug:
        answers[qid] = slug
    names = ctx.wijk_names()
    if shared:  # the postcode area spans two wijken: the resident knows which is theirs
        note = _("Postcode %(postcode)s can be in %(first)s or in %(second)s. Please choose your "
                 "neighbourhood from the list.", postcode=typed, first=names[shared[0]],
                 second=_(" or ").join(names[s] for s in shared[1:]))
    else:
        note = (_("Postcode %(postcode)s is in %(wijk)s. We have chosen it for you.",
                  postcode=typed, wijk=names[slug]) if slug else
                _("We do not know in which neighbourhood postcode %(postcode)s is. Please "
                  "choose it from the list.", postcode=typed or "-"))
    found = {"question": qid, "typed": typed, "note": note, "found": bool(slug)}
    return _render_page(form, page, ctx, answers, returning=returning, postcode=found)


def _from_check(form: Questionnaire, ctx: Context, answers: dict[str, Any]) -> Any:
    """Change an answer, or check everything once more and store the submission."""
    action = request.form.get("action", "")
    if action == "stay":
        return _render_check(form, ctx, answers)
    if action.startswith("change-"):
        index = form.page_index(action.removeprefix("change-"))
        if index < 0:
            abort(400)
        return _render_page(form, form.pages[index], ctx, answers, returning=True)
    invalid = filling.first_invalid(form, ctx, answers)
    if invalid is not None:
        return _render_page(form, invalid.page, ctx, answers, invalid, returning=True)
    token = filling.with_token(answers)[filling.TOKEN]
    try:
        submission = find_by_submit_token(db.session(), token) or _record(form, answers, token)
        db.session().commit()
    except IntegrityError:  # the same form sent twice at the same moment: the other one won
        db.discard_failed()
        submission = find_by_submit_token(db.session(), token)
        if submission is None:
            return _render_check(form, ctx, answers, failed=True), 503
    except SQLAlchemyError as error:
        db.discard_failed()
        current_app.logger.error("storing a %s submission failed: %s", form.id,
                                 type(error).__name__)
        return _render_check(form, ctx, answers, failed=True), 503
    # shown once on the confirmation page, then dropped from the (readable) session cookie
    session["sent"] = {"form": form.id, "reference": submission.reference,
                       "withdraw": filling.withdraw_code(token)}
    return redirect(url_for("forms.done", form_id=form.id), code=303)


def _record(form: Questionnaire, answers: dict[str, Any], token: str) -> Any:
    region = current_region()
    if region is None:
        raise SQLAlchemyError("the region is not in the database")
    intake = get_intake()
    return record_submission(
        db.session(), intake, region, form_id=form.id, form_version=form.version,
        answers=filling.stored_answers(form, answers, intake.redact),
        knelpunten=filling.knelpunten(form, answers), language=_lang(),
        reporter_role=filling.reporter_role(form, answers),
        contact=filling.contact(form, answers),
        retention_days=current_app.config["CONTACT_RETENTION_DAYS"],
        submit_token=token, withdraw_code=filling.withdraw_code(token),
    )


@bp.route("/formulier/<form_id>/verstuurd", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
@csrf.exempt  # the switch stores nothing, and a page left open for hours must still work
def done(form_id: str) -> Any:
    """Show the reference and withdraw codes of what was just sent, once.

    The page's language switch posts both codes back, so the page shows them again in the other
    language (the session no longer has them): only with the right code to withdraw.
    """
    form = _questionnaire(form_id)
    if request.method == "POST":
        sent = {"form": form.id, "reference": request.form.get("reference", "")[:100],
                "withdraw": request.form.get("withdraw", "")[:100]}
    else:
        sent = session.pop("sent", None)
    if not isinstance(sent, dict) or sent.get("form") != form.id:
        return redirect(url_for("forms.fill", form_id=form.id))
    code = normalise_reference(str(sent.get("reference", "")))
    submission = find_submission(db.session(), code)
    if request.method == "POST" and (submission is None or submission.form_id != form.id or
                                     not withdraw_code_matches(submission, sent["withdraw"])):
        return redirect(url_for("forms.fill", form_id=form.id))
    readers: list[tuple[str, bool]] = []
    for signal in submission.signals if submission else []:
        readers += [(w.name, w.active) for w in signal.wijken if (w.name, w.active) not in readers]
    emailed = submission is not None and residentmail.wants_updates(submission.contact)
    return render_template("public/confirmation.html", form=form, code=code,
                           withdraw=str(sent.get("withdraw", "")), readers=readers,
                           emailed=emailed)


def _save_draft(form: Questionnaire, page: Page, answers: dict[str, Any]) -> Any:
    """Keep the answers sealed for 7 days and give the resident the code to continue."""
    code, expires = drafts.save(db.session(), current_app.config["SECRET_KEY"], form.id,
                                page.id, answers)
    db.session().commit()
    return render_template("public/saved.html", form=form, code=code, expires=expires)


@bp.route("/verder", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
def resume() -> Any:
    """Continue a saved form: type the code (a link fills it in); the draft is used once."""
    typed = request.values.get("code", "")
    if request.method == "GET":
        return render_template("public/resume.html", typed=typed, error=None)
    found = drafts.resume(db.session(), current_app.config["SECRET_KEY"], typed)
    db.session().commit()
    form = filling.questionnaires().get(found.form_id) if found else None
    if found is None or form is None or form.page_index(found.page_id) < 0:
        error = _("We cannot find saved answers with this code. A code works once, for 7 days. "
                  "Check the code, or start the form again.")
        return render_template("public/resume.html", typed=typed, error=error), 400
    ctx = filling.context(current_region(), _lang())
    return _render_page(form, form.pages[form.page_index(found.page_id)], ctx, found.answers)


def _render_page(form: Questionnaire, page: Page, ctx: Context, answers: dict[str, Any],
                 page_form: PageForm | None = None, returning: bool = False,
                 focus: str | None = None, postcode: dict[str, Any] | None = None,
                 notice: Notice | None = None, problem: str | None = None) -> Any:
    """Render one page; with a validated page_form its errors are shown."""
    page_form = page_form or filling.build(page, ctx, answers)
    pages = filling.active_pages(form, answers)
    number = pages.index(page) + 1 if page in pages else 1
    errors = _error_list(page_form)
    if problem:
        errors.insert(0, ("", problem))
    status = 400 if errors else 200
    filling.with_token(answers)
    others = {k: v for k, v in answers.items() if k not in {q.id for q in page.questions}}
    html = render_template(
        "public/form_page.html", form=form, page=page, page_form=page_form, ctx=ctx,
        state=filling.dump_state(form.id, others), number=number, total=len(pages),
        returning=returning, honeypot=HONEYPOT,
        view=View(page, page_form, ctx, answers, focus=focus, postcode=postcode),
        errors=errors, notice=notice,
    )
    return html, status


def _render_check(form: Questionnaire, ctx: Context, answers: dict[str, Any],
                  failed: bool = False, notice: Notice | None = None) -> str:
    filling.with_token(answers)
    return render_template("public/check.html", form=form, ctx=ctx, failed=failed,
                           rows=filling.check_rows(form, ctx, answers), notice=notice,
                           state=filling.dump_state(form.id, answers))


def _error_list(page_form: PageForm) -> list[tuple[str, str]]:
    """Flatten the errors of a page (also inside groups) into (field id, message) pairs."""
    found: list[tuple[str, str]] = []

    def walk(item: Any) -> None:
        if hasattr(item, "form") and hasattr(item.form, "_fields"):
            for sub in item.form:
                walk(sub)
        elif hasattr(item, "entries"):
            for entry in item.entries:
                walk(entry)
        else:
            found.extend((item.id, str(message)) for message in item.errors)

    for name, item in page_form._fields.items():
        if name != "csrf_token":
            walk(item)
    if page_form.errors.get("csrf_token"):
        found.insert(0, ("", expired()))
    return found


@bp.errorhandler(CSRFError)
@bp.errorhandler(429)
def _kept(error: HTTPException) -> Any:
    """Too many sends or an expired session: show the same page again with every answer kept."""
    form = filling.questionnaires().get(request.view_args.get("form_id", "")
                                        if request.view_args else "")
    if request.endpoint == "forms.resume" and request.method == "POST":
        # the draft is still there: nothing was opened, the typed code stays
        return render_template("public/resume.html", typed=request.form.get("code", "")[:100],
                               error=too_many() if error.code == 429 else expired()), error.code
    if request.endpoint != "forms.fill" or request.method != "POST" or form is None:
        return render_template("errors/error.html", code=error.code), error.code
    if error.code == 429:
        minutes, time = retry_after()
        notice = Notice(_("Too many attempts"), ngettext(
            "You have sent a lot in a short time. Your answers are still here. You can try "
            "again in %(num)d minute, after %(time)s.",
            "You have sent a lot in a short time. Your answers are still here. You can try "
            "again in %(num)d minutes, after %(time)s.", minutes, time=time))
    else:
        notice = Notice(_("Your answers have not been saved yet"), _(
            "This page was open for a long time, so for your safety we did not save it. Your "
            "answers are still here. Check them and press the button again."))
    ctx = filling.context(current_region(), _lang())
    try:
        answers = filling.read_state(request.form.get("state"), form.id)
    except filling.StateError:
        answers = {}
    step = request.form.get("page", "")
    if step == "check" or form.page_index(step) < 0:
        return _render_check(form, ctx, answers, notice=notice), error.code
    page = form.pages[form.page_index(step)]
    answers.update(filling.build(page, ctx, answers, formdata=request.form, csrf=False).answers())
    html, _status = _render_page(form, page, ctx, answers, notice=notice,
                                 returning=request.form.get("return") == "check")
    return html, error.code


