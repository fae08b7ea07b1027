"""Questionnaire pages as Flask-WTF forms: one FIELD_TYPES entry per question type."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, FormField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from participatie.questionnaires import Page, Question

UNKNOWN = "weet_niet"
MAX_CHOICES = 200  # more ticked boxes than any question offers is a crafted request
CONTACT_LIMITS = {"name": 200, "email": 320, "phone": 40}  # the columns' lengths
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{7,18}$")


@dataclass(frozen=True)
class Context:
    """What fields need besides the definition: the language, wijken and disciplines."""

    lang: str
    wijk_groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    disciplines: list[tuple[str, str]] = field(default_factory=list)
    postcodes: dict[str, str] = field(default_factory=dict)
    shared_postcodes: dict[str, list[str]] = field(default_factory=dict)

    def wijk_names(self) -> dict[str, str]:
        """Return wijk names by slug."""
        return {slug: name for _, wijken in self.wijk_groups for slug, name in wijken}


# control characters (NUL and friends, except tab and newlines) and lone surrogates: nobody
# types them, PostgreSQL refuses NUL in text, so they are dropped before anything else
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean(value: Any) -> Any:
    """Normalise typed text (NFC, no control characters, trimmed); leave other values alone."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFC", INVISIBLE.sub("", value)).strip()


def _message(question: Question, ctx: Context, fallback: Any) -> str:
    """Return the question's own error text, else the general one naming the question."""
    if question.error:
        return question.error.get(ctx.lang)
    return f"{question.label.get(ctx.lang)} {fallback}"


class Required:
    """Fail with the question's own message when nothing was given."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form: Form, field: Field) -> None:
        if field.data in (None, "", []) or field.data == {}:
            raise StopValidation(self.message)


class Skip:
    """Stop validating an optional field that was left empty."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data in (None, "", []):
            field.errors[:] = []
            raise StopValidation()


class Allowed:
    """Accept only the offered answers (a crafted request gets the same friendly message)."""

    def __init__(self, values: list[str], message: str) -> None:
        self.values, self.message = set(values), message

    def __call__(self, form: Form, field: Field) -> None:
        given = field.data if isinstance(field.data, list) else [field.data]
        if any(v not in self.values for v in given):
            raise ValidationError(self.message)


class Length:
    """Check typed text against a friendly minimum and a maximum."""

    def __init__(self, minimum: int | None, maximum: int | None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, form: Form, field: Field) -> None:
        size = len(field.data or "")
        if self.minimum and size < self.minimum:
            raise ValidationError(_l("Please write at least %(min)d characters, so that we "
                                     "understand what goes wrong. You wrote %(n)d.",
                                     min=self.minimum, n=size))
        if self.maximum and size > self.maximum:
            raise ValidationError(_l("Please write at most %(max)d characters. You wrote %(n)d.",
                                     max=self.maximum, n=size))


class Choices(Field):
    """A value or list of values picked from options; rendered by _fields.html."""

    def __init__(self, *args: Any, multiple: bool = False, **kwargs: Any) -> None:
        self.multiple = multiple
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if self.multiple:
            self.data = [v for v in valuelist if v][:MAX_CHOICES]
        else:
            self.data = valuelist[0] or None if valuelist else None

    def process_data(self, value: Any) -> None:
        self.data = (list(value) if value else []) if self.multiple else (value or None)


def _validators(question: Question, ctx: Context, fallback: Any) -> list[Any]:
    if question.required:
        return [Required(_message(question, ctx, fallback))]
    return [Skip()]


@dataclass(frozen=True)
class FieldType:
    """How one question type becomes a field, an answer to keep and a line on the check page."""

    macro: str
    make: Callable[[Question, Context], Field]
    show: Callable[[Question, Any, Context], str] = lambda q, value, ctx: str(value or "")


def _text_field(question: Question, ctx: Context) -> Field:
    kind = TextAreaField if question.type == "long_text" else StringField
    validators = _validators(question, ctx, _l("Please fill this in."))
    validators.append(Length(question.min_length, question.max_length))
    return kind(question.label.get(ctx.lang), validators=validators, filters=[clean])


def _number(form: Form, field: Field) -> None:
    if not re.fullmatch(r"[0-9]{1,9}", field.data or ""):
        raise StopValidation(_l("Please enter a whole number, for example 12."))


def _number_field(question: Question, ctx: Context) -> Field:
    def in_range(form: Form, field: Field) -> None:
        low, high = question.min or 0, question.max or 10**9
        if not low <= int(field.data) <= high:
            raise ValidationError(_l("Please enter a number from %(low)d to %(high)d.",
                                     low=low, high=high))

    validators = _validators(question, ctx, _l("Please enter a number."))
    return StringField(question.label.get(ctx.lang), filters=[clean],
                       validators=[*validators, _number, in_range])


def option_labels(question: Question, ctx: Context) -> list[tuple[str, str]]:
    """Return the (value, label) pairs a choice question offers in the context's language."""
    if question.type == "yes_no":
        return [("yes", str(_l("Yes"))), ("no", str(_l("No")))]
    if question.type == "disciplines":
        return [*ctx.disciplines, (UNKNOWN, str(_l("I don't know")))]
    if question.type == "wijk":
        return [pair for _, wijken in ctx.wijk_groups for pair in wijken]
    return [(o.value, o.label.get(ctx.lang)) for o in question.options]


def _choice_field(question: Question, ctx: Context) -> Field:
    multiple = question.type in ("multiple_choice", "disciplines") or (
        question.type == "wijk" and question.multiple)
    values = [v for v, _ in option_labels(question, ctx)]
    validators = _validators(question, ctx, _l("Please choose an answer."))
    validators.append(Allowed(values, str(_l("Please choose one of the answers shown."))))
    return Choices(question.label.get(ctx.lang), validators=validators, multiple=multiple)


def _show_choice(question: Question, value: Any, ctx: Context) -> str:
    labels = dict(option_labels(question, ctx))
    values = value if isinstance(value, list) else [value] if value else []
    return ", ".join(labels.get(v, v) for v in values)


class ContactForm(Form):
    """Consent first; the details only count when the answer is yes."""

    consent = Choices()
    name = StringField(filters=[clean])
    email = StringField(filters=[clean])
    phone = StringField(filters=[clean])
    updates = Choices()  # "yes": e-mail me the code and news (only with an e-mail address)

    def validate(self, extra_validators: Any = None) -> bool:
        """Ask for an answer to the consent question and, with consent, a usable e-mail or phone."""
        errors = {f: [] for f in self._fields}  # type: dict[str, list[Any]]
        if self.consent.data not in ("yes", "no"):
            errors["consent"].append(_l("Please choose yes or no."))
        elif self.consent.data == "yes":
            for name, limit in CONTACT_LIMITS.items():
                if len(self[name].data or "") > limit:
                    errors[name].append(_l("Please write at most %(max)d characters. "
                                           "You wrote %(n)d.", max=limit,
                                           n=len(self[name].data)))
            if self.updates.data == "yes" and not self.email.data:
                errors["email"].append(_l("To get e-mails from us, please fill in your "
                                          "e-mail address."))
            elif not (self.email.data or self.phone.data):
                errors["email"].append(_l("Please give an e-mail address or a phone number."))
            if self.email.data and not EMAIL.match(self.email.data):
                errors["email"].append(_l("Please enter an e-mail address like name@example.nl."))
            if self.phone.data and not PHONE.match(self.phone.data):
                errors["phone"].append(_l("Please enter a phone number like 06 12345678."))
        for name, found in errors.items():
            self[name].errors = found
        return not any(errors.values())


def _contact_field(question: Question, ctx: Context) -> Field:
    return FormField(ContactForm, question.label.get(ctx.lang))


def _show_contact(question: Question, value: Any, ctx: Context) -> str:
    if not value or value.get("consent") != "yes":
        return str(_l("No, do not contact me"))
    parts = [value.get(k) for k in ("name", "email", "phone")]
    if value.get("updates") == "yes" and value.get("email"):
        parts.append(str(_l("send me the code, and an e-mail when something changes")))
    return ", ".join(p for p in parts if p)


def _repeat_field(question: Question, ctx: Context) -> Field:
    item = type("ItemForm", (Form,), {q.id: FIELD_TYPES[q.type].make(q, ctx)
                                      for q in question.questions})
    return FieldList(FormField(item), question.label.get(ctx.lang), min_entries=1,
                     max_entries=question.max_items)


FIELD_TYPES: dict[str, FieldType] = {
    "short_text": FieldType("text", _text_field),
    "long_text": FieldType("textarea", _text_field),
    "number": FieldType("text", _number_field),
    "single_choice": FieldType("radios", _choice_field, _show_choice),
    "multiple_choice": FieldType("checkboxes", _choice_field, _show_choice),
    "likert": FieldType("likert", _choice_field, _show_choice),
    "yes_no": FieldType("radios", _choice_field, _show_choice),
    "wijk": FieldType("wijk", _choice_field, _show_choice),
    "disciplines": FieldType("checkboxes", _choice_field, _show_choice),
    "contact": FieldType("contact", _contact_field, _show_contact),
    "repeat": FieldType("repeat", _repeat_field),
}


def is_active(question: Question, answers: Mapping[str, Any]) -> bool:
    """Say whether a question applies, given the answers so far."""
    return question.show_if is None or answers.get(question.show_if.question) == \
        question.show_if.equals


class PageForm(FlaskForm):
    """A page of a questionnaire; questions whose condition is not met are not validated."""

    page: Page
    earlier: Mapping[str, Any] = {}

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate the CSRF token and every question that applies."""
        answers = {**self.earlier, **self.answers()}
        ok = True
        for name, item in self._fields.items():
            question = next((q for q in self.page.questions if q.id == name), None)
            if question is not None and not is_active(question, answers):
                item.errors = []
            elif not item.validate(self):
                ok = False
        return ok

    def answers(self) -> dict[str, Any]:
        """Return the page's answers as plain JSON values (typed text is kept, even if invalid)."""
        return {q.id: self[q.id].data for q in self.page.questions}


def page_form_class(page: Page, ctx: Context) -> type[PageForm]:
    """Build the FlaskForm subclass for one page of a questionnaire in ctx's language."""
    fields = {q.id: FIELD_TYPES[q.type].make(q, ctx) for q in page.questions}
    return type(f"Page_{page.id}", (PageForm,), {"page": page, **fields})
