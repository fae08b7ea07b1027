"""Filling in a questionnaire: answers kept between pages, the check page, the submission."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from itsdangerous import BadSignature, Signer
from sqlalchemy import select

from participatie import db
from participatie.models import Discipline, Region
from participatie.questionnaires import Page, Question, Questionnaire, load_all
from participatie.regions import care_words, wijken_by_stadsdeel
from participatie.signals import ContactInput, KnelpuntInput, withdraw_code_from
from participatie.webforms import (
    FIELD_TYPES,
    UNKNOWN,
    Context,
    PageForm,
    is_active,
    page_form_class,
)

FREE_TEXT = ("short_text", "long_text")
TOKEN = "_send"  # the key in the answers of the form's one-time token (one report per fill)


class StateError(ValueError):
    """The answers carried in the page were changed or come from an older secret key."""


def questionnaires() -> dict[str, Questionnaire]:
    """Return the app's definitions, loaded (and checked) when the app started."""
    return current_app.extensions["questionnaires"]


def load_into(app: Any) -> None:
    """Load and check forms/*.yaml for app; a broken definition stops the start."""
    app.extensions["questionnaires"] = load_all(app.config["FORMS_DIR"])


def context(region: Region | None, lang: str) -> Context:
    """Collect the wijken and the care (in residents' words) the fields offer, in lang."""
    groups = wijken_by_stadsdeel(region) if region else []
    by_code: dict[str, list[str]] = {}
    for _, wijken in groups:
        for wijk in wijken:
            for code in wijk.postcodes:
                by_code.setdefault(code, []).append(wijk.slug)
    return Context(
        lang=lang,
        wijk_groups=[(name, [(w.slug, w.name) for w in wijken]) for name, wijken in groups],
        disciplines=[(w.code, w.label(lang)) for w in care_words()],
        postcodes={code: slugs[0] for code, slugs in by_code.items() if len(slugs) == 1},
        shared_postcodes={code: slugs for code, slugs in by_code.items() if len(slugs) > 1},
    )


def disciplines_of(answers: list[str]) -> list[str]:
    """Map the care residents named onto the disciplines behind them (seed/care.yaml).

    Discipline codes themselves are kept (answers from before the residents' words), "I don't
    know" is dropped, and each discipline counts once.
    """
    words = {w.code: w.disciplines for w in care_words()}
    known = set(db.session().scalars(select(Discipline.code)))
    found: list[str] = []
    for answer in answers:
        for code in words.get(answer, (answer,) if answer in known else ()):
            if code not in found:
                found.append(code)
    return found


def _signer(form_id: str) -> Signer:
    return Signer(current_app.secret_key, salt=f"participatie.form-state.{form_id}")


def dump_state(form_id: str, answers: Mapping[str, Any]) -> str:
    """Return the answers so far as signed JSON for the page's hidden field."""
    return _signer(form_id).sign(json.dumps(answers, ensure_ascii=False)).decode()


def read_state(raw: str | None, form_id: str) -> dict[str, Any]:
    """Read the answers carried in the page's hidden field; raise StateError when tampered."""
    if not raw:
        return {}
    try:
        state = json.loads(_signer(form_id).unsign(raw))
    except (BadSignature, ValueError) as error:
        raise StateError("the form state is not ours") from error
    if not isinstance(state, dict):
        raise StateError("the form state is not an object")
    return state


def with_token(answers: dict[str, Any]) -> dict[str, Any]:
    """Give a fill of the form its one-time token (kept in the signed state) if it has none."""
    if not isinstance(answers.get(TOKEN), str):
        answers[TOKEN] = secrets.token_urlsafe(24)
    return answers


def withdraw_code(token: str) -> str:
    """Return the withdraw code that belongs to a fill's token (so a resend shows the same)."""
    seed = hmac.new(str(current_app.secret_key).encode(), f"withdraw:{token}".encode(),
                    hashlib.sha256).digest()
    return withdraw_code_from(seed)


def page_active(page: Page, answers: Mapping[str, Any]) -> bool:
    """Say whether a page has at least one question that applies."""
    return any(is_active(q, answers) for q in page.questions)


def active_pages(form: Questionnaire, answers: Mapping[str, Any]) -> list[Page]:
    """Return the pages to show, given the answers so far."""
    return [p for p in form.pages if page_active(p, answers)]


def neighbour(form: Questionnaire, page: Page, answers: Mapping[str, Any],
              step: int) -> Page | None:
    """Return the next (step 1) or previous (step -1) page that applies."""
    pages = active_pages(form, answers)
    index = pages.index(page) if page in pages else form.pages.index(page)
    target = index + step
    return pages[target] if 0 <= target < len(pages) else None


def build(page: Page, ctx: Context, answers: dict[str, Any], formdata: Any = None,
          csrf: bool = True) -> PageForm:
    """Make the page's form from posted data, or (formdata None) from the answers so far."""
    cls = page_form_class(page, ctx)
    data = {q.id: answers[q.id] for q in page.questions if q.id in answers}
    meta = {} if csrf else {"csrf": False}
    form = cls(formdata=formdata, data=data, meta=meta)
    form.earlier = answers
    return form


def first_invalid(form: Questionnaire, ctx: Context, answers: dict[str, Any]) -> PageForm | None:
    """Validate every page that applies; return the first failing page's form with its errors."""
    for page in active_pages(form, answers):
        page_form = build(page, ctx, answers, csrf=False)
        if not page_form.validate():
            return page_form
    return None


@dataclass(frozen=True)
class Row:
    """One line of the check page: question, answer, the page to change it on."""

    label: str
    value: str
    page: str
    item: int | None = None


def check_rows(form: Questionnaire, ctx: Context, answers: Mapping[str, Any]) -> list[Row]:
    """List every question that applies with the answer as the reporter will read it back."""
    rows: list[Row] = []
    for page in active_pages(form, answers):
        for q in page.questions:
            if not is_active(q, answers):
                continue
            if q.type == "repeat":
                for n, item in enumerate(answers.get(q.id) or [], start=1):
                    rows += [Row(f"{q.label.get(ctx.lang)} {n}: {sub.label.get(ctx.lang)}",
                                 FIELD_TYPES[sub.type].show(sub, item.get(sub.id), ctx), page.id, n)
                             for sub in q.questions]
            else:
                rows.append(Row(q.label.get(ctx.lang),
                                FIELD_TYPES[q.type].show(q, answers.get(q.id), ctx), page.id))
    return rows


def _stored(q: Question, value: Any, redact: Callable[[str], str]) -> Any:
    if q.type in FREE_TEXT and value:
        return redact(value)
    if q.type == "repeat":
        return [{sub.id: _stored(sub, item.get(sub.id), redact) for sub in q.questions}
                for item in value or []]
    return value


def stored_answers(form: Questionnaire, answers: Mapping[str, Any],
                   redact: Callable[[str], str]) -> dict[str, Any]:
    """Return the answers to keep: free text redacted, contact details left out."""
    return {q.id: _stored(q, answers.get(q.id), redact) for q in form.questions().values()
            if q.type != "contact" and is_active(q, answers) and answers.get(q.id) is not None}


def knelpunten(form: Questionnaire, answers: Mapping[str, Any]) -> list[KnelpuntInput]:
    """Turn the answers into knelpunten following the definition's signals mapping."""
    mapping = form.signals
    if "text" not in mapping:
        return []
    items = answers.get(mapping["repeat"]) or [] if "repeat" in mapping else [answers]

    def value(item: Mapping[str, Any], key: str) -> Any:
        return item.get(mapping[key]) if key in mapping else None

    result = []
    for item in items:
        wijken = value(item, "wijken") or []
        severity = value(item, "severity")
        result.append(KnelpuntInput(
            text=value(item, "text") or "",
            wijk_slugs=wijken if isinstance(wijken, list) else [wijken],
            disciplines=disciplines_of([d for d in value(item, "disciplines") or []
                                        if d != UNKNOWN]),
            frequency=value(item, "frequency"), severity=int(severity) if severity else None,
        ))
    return result


def contact(form: Questionnaire, answers: Mapping[str, Any]) -> ContactInput | None:
    """Return the contact details given with consent, if any."""
    for q in form.questions().values():
        value = answers.get(q.id)
        if q.type == "contact" and isinstance(value, dict) and value.get("consent") == "yes":
            return ContactInput(name=value.get("name") or None, email=value.get("email") or None,
                                phone=value.get("phone") or None,
                                updates=value.get("updates") == "yes" and bool(value.get("email")))
    return None


def reporter_role(form: Questionnaire, answers: Mapping[str, Any]) -> str | None:
    """Return the reporter's role: fixed by the form or answered."""
    return form.role or (answers.get(form.reporter_role) if form.reporter_role else None)


@click.group("forms")
def forms_group() -> None:
    """Work with the form and survey definitions in forms/."""


@forms_group.command("check")
@with_appcontext
def forms_check() -> None:
    """Check every definition in forms/; a broken one is named with its line and problem."""
    found = load_all(current_app.config["FORMS_DIR"])
    for q in found.values():
        click.echo(f"ok  {q.path}: {q.id} version {q.version} ({q.kind}, {len(q.pages)} pages)")
