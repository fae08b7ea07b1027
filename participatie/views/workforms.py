"""The workspace's forms as Flask-WTF classes: what each field takes and what it says when wrong.

Views build a form, call `validate()` and pass `errors(form)` to the templates, whose
`field` macro (templates/workspace/_macros.html) shows the label, hint, message and input.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    StopValidation,
    ValidationError,
)

from participatie.accounts import check_password_strength
from participatie.vocabulary import CONTACT_REASONS, ROLES, SIGNAL_STATUSES, THEME_STATUSES
from participatie.webforms import clean

MAX_LABEL = 200
MAX_INTRO = 5000  # a survey's introduction (the textarea's maxlength)
NAME_MESSAGE = _l("Enter a name of at most 200 characters.")


def errors(form: FlaskForm, ids: dict[str, str] | None = None) -> dict[str, str]:
    """Return the first message per field, by the id the template gives that field."""
    ids = ids or {}
    return {ids.get(name, form[name].id): str(messages[0])
            for name, messages in form.errors.items() if messages and name in form}


def cleaned(value: Any) -> Any:
    """Clean typed text as residents' text is cleaned: NFC, no control characters, trimmed.

    A control character pasted from a word processor (a vertical tab, a form feed) would make
    the Atom feeds invalid XML; trimming also takes non-breaking spaces off the ends.
    """
    return clean(value)


class Required(DataRequired):
    """Ask for a value after cleaning: only spaces (also non-breaking ones) counts as empty.

    InputRequired looks at what was sent before the filters, so " " passed it and was then
    stored as "" (or made the service refuse it with a server error). Invisible format
    characters alone (a zero-width space, a word joiner) count as empty too: they would make an
    empty heading or link text.
    """

    def __call__(self, form: FlaskForm, field: Field) -> None:
        data = field.data
        if isinstance(data, str) and not any(
                not c.isspace() and unicodedata.category(c) != "Cf" for c in data):
            field.errors[:] = []
            raise StopValidation(self.message)
        super().__call__(form, field)


class LoginForm(FlaskForm):
    """Log in with e-mail address and password."""

    email = StringField(_l("E-mail address"), filters=[cleaned],
                        validators=[Required(_l("Enter your e-mail address.")),
                                    Length(max=320)])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(_l("Enter your password.")),
                                         Length(max=1000)])


class InvitationForm(FlaskForm):
    """Choose a password (from an invitation link); the e-mail may not be in it."""

    password = PasswordField(_l("New password"))
    password2 = PasswordField(_l("Type the password again"))

    def __init__(self, email: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_password(self, field: Field) -> None:
        """Refuse short and common passwords and ones with the e-mail address in them."""
        problem = check_password_strength(field.data or "", self.email)
        if problem:
            raise ValidationError({
                "too_short": _l("Choose a password of at least 12 characters."),
                "common": _l("This password is used by many people, so it is easy to guess. "
                             "Choose another one, for example a short sentence."),
                "email": _l("Do not use your e-mail address in your password. "
                            "Choose another one."),
            }[problem])

    def validate_password2(self, field: Field) -> None:
        """Ask for the same password twice (only once the first one is good)."""
        if not self.password.errors and field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))


class WijkForm(FlaskForm):
    """Add a wijk: its name (unique in the region) and its stadsdeel."""

    name = StringField(_l("Name of the wijk"), filters=[cleaned],
                       validators=[Required(_l("Enter the name of the wijk."))])
    stadsdeel = StringField(
        _l("Stadsdeel"), filters=[cleaned],
        validators=[Required(_l("Enter the stadsdeel (district) the wijk is in."))])


class ThemeRenameForm(FlaskForm):
    """Rename a theme."""

    label = StringField(_l("Name"), filters=[cleaned],
                        validators=[Required(NAME_MESSAGE),
                                    Length(max=MAX_LABEL, message=NAME_MESSAGE)])


class ThemeStatusForm(FlaskForm):
    """Set a theme's status and its notes for the workspace."""

    status = StringField(_l("Status"), id="theme-status")
    notes = TextAreaField(_l("Notes (only for the workspace)"), filters=[cleaned],
                          validators=[Length(max=5000, message=_l(
                              "Make the notes shorter than 5000 characters."))])

    def validate_status(self, field: Field) -> None:
        """Ask for one of the theme statuses."""
        if field.data not in THEME_STATUSES:
            raise ValidationError(_l("Choose a status."))


class ThemeMergeForm(FlaskForm):
    """Merge a theme into another one; the first POST asks, the one with confirm merges."""

    target = StringField(_l("Merge this theme into"))
    confirm = StringField()

    def __init__(self, targets: set[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets

    def chosen(self) -> int | None:
        """Return the chosen theme's id when it is one the theme may be merged into."""
        value = self.target.data or ""
        if value.isascii() and value.isdigit() and len(value) <= 18 and int(value) in self.targets:
            return int(value)
        return None

    def validate_target(self, field: Field) -> None:
        """Ask for one of the other active themes of the region."""
        if self.chosen() is None:
            raise ValidationError(_l("Choose the theme to merge with."))

    def confirmed(self) -> bool:
        """Tell whether this is the second, confirming POST."""
        return self.confirm.data == "yes"


class PlaceForm(FlaskForm):
    """Place a report in a theme, a new theme (with a name) or no theme."""

    theme = StringField(_l("Place this report in"))
    label = StringField(_l("Name of the new theme (only for a new theme)"), filters=[cleaned],
                        id="new-label")
    action = StringField()
    back = StringField()

    def validate_theme(self, field: Field) -> None:
        """Ask for a choice (which theme it is, the themes service decides)."""
        if not field.data:
            raise ValidationError(_l("Choose a theme, or give the new theme a name."))

    def validate_label(self, field: Field) -> None:
        """A new theme needs a name of at most 200 characters."""
        if self.theme.data == "new" and not field.data:
            raise ValidationError(_l("Give the new theme a name."))
        if len(field.data or "") > MAX_LABEL:
            raise ValidationError(NAME_MESSAGE)


class WijkChangeForm(FlaskForm):
    """Rename a wijk, or switch its kernteam on or off."""

    name = StringField(_l("New name"), filters=[cleaned])
    active = StringField()

    def validate_name(self, field: Field) -> None:
        """Ask for a new name of at most 200 characters (unless switching the kernteam)."""
        if len(field.data or "") > MAX_LABEL:
            raise ValidationError(_l("Enter a name of at most 200 characters."))
        if not field.data and self.active.data not in ("0", "1"):
            raise ValidationError(_l("Enter the new name of the wijk."))


class ThemeSplitForm(FlaskForm):
    """Split chosen reports off into a new theme."""

    signal = SelectMultipleField(coerce=str, validate_choice=False, id="split-signals")
    label = StringField(_l("Name of the new theme"), filters=[cleaned], id="split-label")

    def __init__(self, visible_ids: set[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visible_ids = visible_ids

    def chosen(self) -> list[int]:
        """Return the chosen reports that the user may see."""
        return sorted({int(v) for v in self.signal.data or []
                       if v.isascii() and v.isdigit() and len(v) <= 18
                       and int(v) in self.visible_ids})

    def validate_signal(self, field: Field) -> None:
        """Ask for at least one report of this theme."""
        if not self.chosen():
            raise ValidationError(_l("Choose at least one report to split off."))

    def validate_label(self, field: Field) -> None:
        """Ask for a name of at most 200 characters."""
        if not field.data or len(field.data) > MAX_LABEL:
            raise ValidationError(NAME_MESSAGE)


class ReportStatusForm(FlaskForm):
    """Set a report's status, with an optional public reply (also by e-mail)."""

    status = SelectField(_l("Status"), choices=list(SIGNAL_STATUSES), validate_choice=False)
    reply = TextAreaField(_l("Reply"), filters=[cleaned])
    email = BooleanField(_l("Also send the reply by e-mail"), false_values=("", "0", "false"))

    def validate_status(self, field: Field) -> None:
        """Ask for one of the statuses."""
        if field.data not in SIGNAL_STATUSES:
            raise ValidationError(_l("Choose a status."))

    def validate_reply(self, field: Field) -> None:
        """Keep replies short, and ask for one when it is to be e-mailed."""
        if len(field.data or "") > 2000:
            raise ValidationError(_l("Make the reply shorter than 2000 characters."))
        if self.email.data and not field.data:
            raise ValidationError(_l("Write a reply to send by e-mail."))


class ContactForm(FlaskForm):
    """Open a reporter's contact details, saying why (written to the audit log)."""

    reason = RadioField(_l("Why do you need the contact details?"),
                        choices=list(CONTACT_REASONS), validate_choice=False)

    def validate_reason(self, field: Field) -> None:
        """Ask for one of the reasons."""
        if field.data not in CONTACT_REASONS:
            raise ValidationError(_l("Choose why you need the contact details."))


class OwnerForm(FlaskForm):
    """Pick a report up, give it to a colleague, or let go of it."""

    owner = StringField(_l("Who picks this report up"), filters=[cleaned])
    back = StringField()


class DuplicateForm(FlaskForm):
    """Link a report as a duplicate of another one, or say it is none ("none")."""

    of = StringField()

    def original_id(self) -> int | None:
        """Return the chosen report's id (None for "none"); raise ValueError for anything else."""
        value = self.of.data or ""
        if value == "none":
            return None
        if value.isascii() and value.isdigit() and 0 < len(value) <= 18:
            return int(value)
        raise ValueError(value)


class UndoForm(FlaskForm):
    """Undo one change of a theme's history."""

    change = StringField()

    def change_id(self) -> int | None:
        """Return the chosen change's id, or None when it is no id at all."""
        value = self.change.data or ""
        return int(value) if value.isascii() and value.isdigit() and 0 < len(value) <= 18 \
            else None


class DoneForm(FlaskForm):
    """Mark an agreement or an action as done ("1") or not done, and where to go back to."""

    done = StringField()
    next = StringField()

    def is_done(self) -> bool:
        """Tell whether it is marked done."""
        return self.done.data == "1"


class NoteForm(FlaskForm):
    """Write an internal note on a report."""

    text = TextAreaField(_l("Internal note"), filters=[cleaned])

    def validate_text(self, field: Field) -> None:
        """Ask for a note of at most 2000 characters."""
        if not field.data:
            raise ValidationError(_l("Write a note."))
        if len(field.data) > 2000:
            raise ValidationError(_l("Make the note shorter than 2000 characters."))


class InviteForm(FlaskForm):
    """Invite someone: name, e-mail, role and (for a kernteam member) wijken."""

    name = StringField(_l("Name"), filters=[cleaned], validators=[Length(max=200)])
    email = StringField(_l("E-mail address"), filters=[cleaned])
    role = RadioField(_l("Role"), choices=list(ROLES), validate_choice=False)
    wijk = SelectMultipleField(coerce=str, validate_choice=False)

    def __init__(self, wijk_ids: set[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wijk_ids = wijk_ids

    def chosen_wijken(self) -> list[int]:
        """Return the chosen wijk ids of the region."""
        return sorted({int(v) for v in self.wijk.data or []
                       if v.isascii() and v.isdigit() and len(v) <= 18
                       and int(v) in self.wijk_ids})

    def validate_email(self, field: Field) -> None:
        """Ask for something that looks like an e-mail address."""
        value = field.data or ""
        if "@" not in value or len(value) > 320 or not value.isprintable():
            raise ValidationError(_l("Enter an e-mail address, like name@example.nl."))

    def validate_role(self, field: Field) -> None:
        """Ask for one of the roles."""
        if field.data not in ROLES:
            raise ValidationError(_l("Choose a role."))

    def validate_wijk(self, field: Field) -> None:
        """A kernteam member needs at least one wijk."""
        if self.role.data == "kernteam" and not self.chosen_wijken():
            raise ValidationError(_l("Choose at least one wijk for a kernteam member."))


class DigestForm(FlaskForm):
    """Digest settings: how often, which wijken, empty digests, language."""

    frequency = RadioField(choices=["weekly", "monthly", "off"], validate_choice=False)
    wijk = SelectMultipleField(coerce=str, validate_choice=False)
    when_empty = BooleanField(false_values=("", "0", "false"))
    language = RadioField(choices=["nl", "en"], default="nl", validate_choice=False)

    def __init__(self, allowed_slugs: set[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_slugs = allowed_slugs

    def validate_frequency(self, field: Field) -> None:
        """Ask how often."""
        if field.data not in ("weekly", "monthly", "off"):
            raise ValidationError(_l("Choose how often you want a digest."))

    def validate_wijk(self, field: Field) -> None:
        """Allow only wijken the user may see."""
        if any(slug not in self.allowed_slugs for slug in field.data or []):
            raise ValidationError(_l("Choose only wijken from the list."))

    def validate_language(self, field: Field) -> None:
        """Ask for Dutch or English."""
        if (field.data or "nl") not in ("nl", "en"):
            raise ValidationError(_l("Choose Dutch or English."))


class PublishForm(FlaskForm):
    """Publish a theme: a public title and summary in plain words, a status, chosen quotes."""

    title = StringField(_l("Public title"), filters=[cleaned],
                        validators=[Required(_l("Enter a title of at most 200 characters.")),
                                    Length(max=200, message=_l(
                                        "Enter a title of at most 200 characters."))])
    summary = TextAreaField(_l("Summary in plain words"), filters=[cleaned],
                            validators=[Required(_l("Write a short summary.")),
                                        Length(max=5000)])
    public_status = StringField(_l("Public status"), filters=[cleaned],
                                validators=[Length(max=300, message=_l(
                                    "Write the status in at most 300 characters."))])
    quote = SelectMultipleField(coerce=str, validate_choice=False)

    def __init__(self, allowed: set[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._allowed = allowed

    def validate_quote(self, field: Field) -> None:
        """Accept at most three quotes, each one of the theme's reports."""
        chosen = self.chosen()
        if len(chosen) > 3 or any(i not in self._allowed for i in chosen) or len(chosen) != len(
                field.data or []):
            raise ValidationError(_l("Choose at most 3 quotes from this theme."))

    def chosen(self) -> list[int]:
        """Return the chosen quotes' report ids."""
        # isdigit() alone lets '²' through, which int() refuses
        return [int(v) for v in (self.quote.data or [])
                if v.isascii() and v.isdigit() and 0 < len(v) <= 18]


class SurveyPublishForm(FlaskForm):
    """Publish a survey's results for one quarter with an introduction."""

    intro = TextAreaField(_l("Introduction for residents"), filters=[cleaned],
                          validators=[Required(_l("Write a short introduction.")),
                                      Length(max=MAX_INTRO, message=_l(
                                          "Make the introduction shorter than 5000 "
                                          "characters."))])
