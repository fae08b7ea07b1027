"""The RESV agenda's and the knelpunt dossier's forms as Flask-WTF classes (like workforms.py).

Field names and ids follow the templates (e.g. `input-hours`), so `errors(form)` gives the
messages by the ids the pages use. Numbers accept a decimal comma; shares are percentages.
Every number has an upper bound (a huge one would make the totals unprintable), and a required
text is checked after stripping, so one that holds only spaces counts as empty.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from participatie.sroi import (
    MAX_COSTS,
    MAX_DURATION,
    MAX_HOURS,
    MAX_PROXY_VALUE,
    MAX_QUANTITY,
    MAX_RATE,
)
from participatie.views.workforms import Required, cleaned

MAX_TEXT = 5000
TITLE_MESSAGE = _l("Enter a title of at most 200 characters.")
DATE_MESSAGE = _l("Enter a date like 2026-12-31, or leave it empty.")
TEXT_MESSAGE = _l("Make this text at most %(max)d characters long.")
MAX_DISCOUNT_PERCENT = 50


def _ids(values: list[str] | None) -> list[int]:
    return sorted({int(v) for v in values or [] if v.isascii() and v.isdigit() and len(v) <= 18})


def parse_date(value: str | None) -> dt.date | None:
    """Read a yyyy-mm-dd date; None when empty or not a date."""
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def parse_number(value: str | None) -> float | None:
    """Read a number of 0 or more (a decimal comma is fine); None when empty or not one."""
    raw = (value or "").strip().replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _short(maximum: int, message: Any = TEXT_MESSAGE) -> Length:
    return Length(max=maximum, message=message)


class _Date:
    """A date field that may be empty (required=False) or must be given."""

    def __init__(self, required: bool, message: Any) -> None:
        self.required, self.message = required, message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data and not self.required:
            return
        if parse_date(field.data) is None:
            raise ValidationError(self.message)


class _Number:
    """A number from 0 to a maximum (100 for a percentage); optionally required.

    The message names the field and may hold %(max)s, the maximum in the reader's language.
    """

    def __init__(self, message: Any, maximum: float, required: bool = False) -> None:
        self.message, self.maximum, self.required = message, maximum, required

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not (field.data or "").strip():
            if self.required:
                raise ValidationError(self.text())
            return
        number = parse_number(field.data)
        if number is None or number > self.maximum:
            raise ValidationError(self.text())

    def text(self) -> str:
        """Return the message with the maximum filled in."""
        return str(self.message) % {"max": format_decimal(self.maximum)}


def number(field: Field, percent: bool = False) -> float:
    """Return a validated field's number (0 when empty); percentages as a fraction."""
    value = parse_number(field.data) or 0.0
    return value / 100 if percent else value


class MeetingForm(FlaskForm):
    """Plan an RESV meeting: a date, an optional name, and the themes for the table."""

    held_on = StringField(validators=[_Date(True, _l("Enter the date of the meeting."))])
    title = StringField(filters=[cleaned], validators=[_short(200)])
    theme = SelectMultipleField(coerce=str, validate_choice=False, id="themes")

    def chosen(self) -> list[int]:
        """Return the chosen theme ids."""
        return _ids(self.theme.data)

    def validate_theme(self, field: Field) -> None:
        """Ask for at least one theme."""
        if not self.chosen():
            raise ValidationError(_l("Choose at least one theme."))


class AgendaItemForm(FlaskForm):
    """The question to the table and what the kernteam already did, for one theme."""

    question = TextAreaField(filters=[cleaned], validators=[_short(MAX_TEXT, _l(
        "Make the question at most %(max)d characters long."))])
    kernteam_done = TextAreaField(filters=[cleaned], validators=[_short(MAX_TEXT, _l(
        "Make what the kernteam did at most %(max)d characters long."))])


class AgreementForm(FlaskForm):
    """An agreement about one theme of the meeting: what, who, by when."""

    theme = StringField()
    what = TextAreaField(filters=[cleaned],
                         validators=[Required(_l("Say what was agreed.")),
                                     _short(MAX_TEXT)])
    who = StringField(filters=[cleaned], validators=[Required(_l("Say who does it.")),
                                                       _short(200)])
    due_on = StringField(validators=[_Date(False, DATE_MESSAGE)])

    def theme_id(self) -> int:
        """Return the chosen theme id (-1 when it is not a number)."""
        found = _ids([self.theme.data or ""])
        return found[0] if found else -1

    def ids(self) -> dict[str, str]:
        """Return the page's ids of the fields (one form per theme on the meeting page)."""
        key = f"agreement-{self.theme_id()}"
        return {"what": f"{key}-what", "who": f"{key}-who", "due_on": f"{key}-due"}


class NewDossierForm(FlaskForm):
    """Start a dossier: the wijk and a title."""

    wijk = StringField()
    title = StringField(filters=[cleaned],
                        validators=[Required(TITLE_MESSAGE), Length(max=200,
                                                                         message=TITLE_MESSAGE)])


class DossierForm(FlaskForm):
    """The dossier's problem, stakeholders, themes and measurement settings."""

    title = StringField(filters=[cleaned],
                        validators=[Required(TITLE_MESSAGE), Length(max=200,
                                                                         message=TITLE_MESSAGE)])
    problem = TextAreaField(filters=[cleaned], validators=[_short(MAX_TEXT)])
    stakeholders = TextAreaField(validators=[_short(MAX_TEXT)])
    theme = SelectMultipleField(coerce=str, validate_choice=False)
    survey = SelectField(validate_choice=False)
    before_period = SelectField(validate_choice=False)
    after_period = SelectField(validate_choice=False)
    discount_rate = StringField(validators=[_Number(_l(
        "Enter the discount rate as a percentage from 0 to %(max)s, or leave it empty for the "
        "standard rate."), MAX_DISCOUNT_PERCENT)])

    def __init__(self, surveys: set[str], quarters: set[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.surveys, self.quarters = surveys, quarters

    def chosen_themes(self, offered: set[int], kept: list[int]) -> list[int]:
        """Return the ticked ids among the offered themes, plus the kept ones.

        `kept` are linked themes the form has no box for (the user may not see them): a save
        cannot untick them, so it keeps them.
        """
        return sorted({i for i in _ids(self.theme.data) if i in offered} | set(kept))

    def stakeholder_list(self) -> list[str]:
        """Return the stakeholders, one per line."""
        return [line.strip() for line in (self.stakeholders.data or "").splitlines()
                if line.strip()]

    def rate(self) -> float | None:
        """Return the discount rate as a fraction, or None for the standard rate."""
        if not (self.discount_rate.data or "").strip():
            return None
        return number(self.discount_rate, percent=True)

    def validate_survey(self, field: Field) -> None:
        """Allow only a survey from forms/."""
        if field.data and field.data not in self.surveys:
            raise ValidationError(_l("Choose a survey from the list."))

    def validate_before_period(self, field: Field) -> None:
        """Allow only a quarter from the list."""
        if field.data and field.data not in self.quarters:
            raise ValidationError(_l("Choose a quarter from the list."))

    validate_after_period = validate_before_period


class ActionForm(FlaskForm):
    """An action of the dossier: what, who owns it, by when."""

    what = TextAreaField(name="action-what", id="action-what", filters=[cleaned],
                         validators=[Required(_l("Say what will be done.")),
                                     _short(MAX_TEXT)])
    owner = StringField(name="action-owner", id="action-owner", filters=[cleaned],
                        validators=[Required(_l("Say who owns the action.")),
                                    _short(200)])
    due = StringField(name="action-due", id="action-due", validators=[_Date(False, DATE_MESSAGE)])


class EvidenceForm(FlaskForm):
    """A piece of evidence: its date, what shows it, and an optional link."""

    noted_on = StringField(name="evidence-date", id="evidence-date",
                           validators=[_Date(True, _l("Enter the date of the evidence."))])
    text = TextAreaField(name="evidence-text", id="evidence-text", filters=[cleaned],
                         validators=[Required(_l("Describe the evidence.")),
                                     _short(MAX_TEXT)])
    link = StringField(name="evidence-link", id="evidence-link", filters=[cleaned],
                       validators=[_short(500)])

    def validate_link(self, field: Field) -> None:
        """Allow only web links."""
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("A link starts with https://."))


class InputForm(FlaskForm):
    """An SROI input: who, what, hours x rate and/or costs."""

    stakeholder = StringField(name="input-stakeholder", id="input-stakeholder",
                              filters=[cleaned],
                              validators=[Required(_l("Say who puts this in.")),
                                          _short(200)])
    description = StringField(name="input-description", id="input-description",
                              filters=[cleaned],
                              validators=[Required(_l("Describe the input.")),
                                          _short(500)])
    hours = StringField(name="input-hours", id="input-hours", validators=[_Number(
        _l("Enter the hours as a number from 0 to %(max)s."), MAX_HOURS)])
    rate = StringField(name="input-rate", id="input-rate", validators=[_Number(
        _l("Enter the rate per hour in euros, from 0 to %(max)s."), MAX_RATE)])
    costs = StringField(name="input-costs", id="input-costs", validators=[_Number(
        _l("Enter the other costs in euros, from 0 to %(max)s."), MAX_COSTS)])

    def validate(self, extra_validators: Any = None) -> bool:
        """Also ask for a value above zero: hours with a rate, or costs."""
        ok = super().validate(extra_validators)
        if ok and number(self.hours) * number(self.rate) + number(self.costs) <= 0:
            self.hours.errors = [_l("Enter hours with a rate, or costs, above zero.")]
            return False
        return ok


class OutcomeForm(FlaskForm):
    """An SROI outcome: whose change, indicator, quantity, proxy, duration, deductions."""

    stakeholder = StringField(name="outcome-stakeholder", id="outcome-stakeholder",
                              filters=[cleaned],
                              validators=[Required(_l("Say whose life changes.")),
                                          _short(200)])
    description = StringField(name="outcome-description", id="outcome-description",
                              filters=[cleaned],
                              validators=[Required(_l("Describe the change.")),
                                          _short(500)])
    indicator = StringField(name="outcome-indicator", id="outcome-indicator",
                            filters=[cleaned],
                            validators=[Required(_l("Say how the change is measured.")),
                                        _short(500)])
    quantity = StringField(name="outcome-quantity", id="outcome-quantity",
                           validators=[_Number(_l(
                               "Enter the quantity as a number from 0 to %(max)s."),
                               MAX_QUANTITY, required=True)])
    proxy = StringField(name="outcome-proxy", id="outcome-proxy")
    value = StringField(name="outcome-value", id="outcome-value")
    source = StringField(name="outcome-source", id="outcome-source", filters=[cleaned],
                         validators=[_short(500)])
    duration = StringField(name="outcome-duration", id="outcome-duration")
    deadweight = StringField(name="outcome-deadweight", id="outcome-deadweight",
                             validators=[_Number(_l(
                                 "Enter the deadweight as a percentage from 0 to 100."), 100)])
    displacement = StringField(name="outcome-displacement", id="outcome-displacement",
                               validators=[_Number(_l(
                                   "Enter the displacement as a percentage from 0 to 100."), 100)])
    attribution = StringField(name="outcome-attribution", id="outcome-attribution",
                              validators=[_Number(_l(
                                  "Enter the attribution as a percentage from 0 to 100."), 100)])
    drop_off = StringField(name="outcome-drop_off", id="outcome-drop_off",
                           validators=[_Number(_l(
                               "Enter the drop-off as a percentage from 0 to 100."), 100)])

    def __init__(self, proxies: set[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proxies = proxies

    def validate_proxy(self, field: Field) -> None:
        """Allow only a proxy from the region's file."""
        if field.data and field.data not in self.proxies:
            raise ValidationError(_l("Choose a proxy from the list."))

    def validate_value(self, field: Field) -> None:
        """Without a proxy from the list, ask for an own value (at most MAX_PROXY_VALUE)."""
        if self.proxy.data:
            return
        value = parse_number(field.data)
        if value is None:
            raise ValidationError(_l("Choose a proxy, or enter a value in euros."))
        if value > MAX_PROXY_VALUE:
            raise ValidationError(str(_l("Enter your own value in euros, from 0 to %(max)s."))
                                  % {"max": format_decimal(MAX_PROXY_VALUE)})

    def validate_source(self, field: Field) -> None:
        """An own value needs its source."""
        if not self.proxy.data and not (field.data or "").strip():
            raise ValidationError(_l("Name the source of your own value."))

    def validate_duration(self, field: Field) -> None:
        """Ask for 1 to 30 years."""
        raw = (field.data or "").strip()
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_DURATION):
            raise ValidationError(_l("Enter a number of years from 1 to 30."))

    def shares(self) -> dict[str, float]:
        """Return the four deductions as fractions."""
        return {name: number(self[name], percent=True)
                for name in ("deadweight", "attribution", "displacement", "drop_off")}
