"""Residents' small forms after a report (Flask-WTF classes): satisfied or not, reopen, voice.

The knelpunt and survey forms are built from YAML (`participatie.filling`); these three are fixed
and shared by the status page and the public "wat we hoorden" page. Each field cleans what was
typed (NFC, trimmed, cut to length) so a view re-renders exactly what it would store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask_babel import format_time, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, TextAreaField
from wtforms.validators import ValidationError

from participatie.aftercare import MAX_TEXT
from participatie.extensions import limiter
from participatie.models import Region, Wijk
from participatie.signals import clean_text

MAX_VOICE_TEXT = 1000


def expired() -> str:
    """Say that a form's session ran out (CSRF token gone): nothing was stored, send it again."""
    return _("This page was open for too long. Please send it again.")


def retry_after() -> tuple[int, str]:
    """Return when the resident may send again: minutes from now and the local clock time."""
    current = limiter.current_limit
    reset = dt.datetime.fromtimestamp(current.reset_at, dt.UTC) if current else \
        dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    # the limiter rounds its reset time up to whole seconds: "over 60 minuten", not 61
    minutes = max(1, round((reset - dt.datetime.now(dt.UTC)).total_seconds() / 60))
    return minutes, format_time(reset, "HH:mm")


def too_many() -> str:
    """Say that a code was tried too often (rate limit): what was typed stays, try again later."""
    minutes, time = retry_after()
    return ngettext(
        "You have tried a lot of codes in a short time. What you typed is still here. You can "
        "try again in %(num)d minute, after %(time)s.",
        "You have tried a lot of codes in a short time. What you typed is still here. You can "
        "try again in %(num)d minutes, after %(time)s.", minutes, time=time)


def first_error(form: FlaskForm) -> str:
    """Return the form's first message (each of these forms checks one field)."""
    return next(str(messages[0]) for messages in form.errors.values() if messages)


def _cleaned(limit: int) -> Callable[[Any], str]:
    """Return a filter that keeps at most `limit` characters of the cleaned text."""
    return lambda value: clean_text(value or "")[:limit]


class SatisfactionForm(FlaskForm):
    """Is the reporter satisfied with what was done? Yes or no, and a text if they like."""

    satisfied = RadioField(choices=["yes", "no"], validate_choice=False)
    satisfied_text = TextAreaField(filters=[_cleaned(MAX_TEXT)])

    def validate_satisfied(self, field: Field) -> None:
        """Only yes or no."""
        if field.data not in ("yes", "no"):
            raise ValidationError(_l("Choose yes or no."))


class ReopenForm(FlaskForm):
    """Why the reporter wants a solved or closed report opened again."""

    reason = TextAreaField(filters=[_cleaned(MAX_TEXT)])

    def validate_reason(self, field: Field) -> None:
        """A reason is needed."""
        if not field.data:
            raise ValidationError(_l("Write why you want to open your report again."))


class VoiceForm(FlaskForm):
    """"Ik heb dit ook": the wijk where it happens and, if they like, what happened."""

    wijk = SelectField(validate_choice=False)
    text = TextAreaField(filters=[_cleaned(MAX_VOICE_TEXT)])

    def __init__(self, region: Region, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.region = region
        self.wijk.choices = [(w.slug, w.name) for w in region.wijken]

    def validate_wijk(self, field: Field) -> None:
        """One of the region's wijken."""
        if self.chosen() is None:
            raise ValidationError(_l("Choose your neighbourhood."))

    def chosen(self) -> Wijk | None:
        """Return the wijk chosen, if it is one of the region's."""
        return next((w for w in self.region.wijken if w.slug == self.wijk.data), None)
