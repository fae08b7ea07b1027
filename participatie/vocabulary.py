"""The words of the workspace: roles, statuses and audit actions, each with its nl/en label.

Codes are what is stored; labels are what people read. Every code lives here once, so a screen,
an export or a digest never shows an internal code (a test checks each label is translated).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# who someone is in the workspace
ROLE_LABELS: dict[str, LazyString] = {
    "beheerder": _l("Administrator"), "asd": _l("ASD member"),
    "kernteam": _l("Kernteam member"), "meelezer": _l("Reader"),
}
ROLES: tuple[str, ...] = tuple(ROLE_LABELS)
EDITORS: tuple[str, ...] = ("beheerder", "asd", "kernteam")
CURATORS: tuple[str, ...] = ("beheerder", "asd")

# where a report stands (withdrawn is set by the reporter, never chosen by a reviewer)
SIGNAL_STATUS_LABELS: dict[str, LazyString] = {
    "received": _l("Received"), "in_progress": _l("Being looked at"),
    "with_kernteam": _l("With the kernteam"), "on_agenda": _l("On the RESV agenda"),
    "resolved": _l("Solved"), "closed": _l("Closed"), "withdrawn": _l("Withdrawn"),
}
WITHDRAWN = "withdrawn"
OPEN_STATUSES: tuple[str, ...] = ("received", "in_progress", "with_kernteam", "on_agenda")
SIGNAL_STATUSES: tuple[str, ...] = tuple(c for c in SIGNAL_STATUS_LABELS if c != WITHDRAWN)

# where a theme stands
THEME_STATUS_LABELS: dict[str, LazyString] = {
    "new": _l("New"), "with_kernteam": _l("With the kernteam"),
    "on_agenda": _l("On the RESV agenda"), "resolved": _l("Solved"), "parked": _l("Parked"),
}
THEME_STATUSES: tuple[str, ...] = tuple(THEME_STATUS_LABELS)

# what the audit log records; audit.record refuses an action that is not here
AUDIT_ACTION_LABELS: dict[str, LazyString] = {
    "login": _l("logged in"), "logout": _l("logged out"),
    "logout_everywhere": _l("logged out everywhere"),
    "set_password": _l("set a password"), "status": _l("changed a report's status"),
    "reply": _l("replied to a reporter"), "reply_email": _l("e-mailed a reporter"),
    "move": _l("placed a report in a theme"), "confirm": _l("confirmed a theme suggestion"),
    "rename": _l("renamed a theme"), "merge": _l("merged themes"), "split": _l("split a theme"),
    "theme_status": _l("changed a theme's status"), "new_theme": _l("started a theme"),
    "export": _l("downloaded an export"), "invite": _l("invited a user"),
    "disable": _l("disabled a user"), "user_add": _l("added a user"),
    "add": _l("added a wijk"), "change": _l("changed a wijk"),
    "digest_settings": _l("changed the digest settings"),
    "digest_unsubscribe": _l("stopped the digest"),
    "resident_updates_stop": _l("a reporter stopped the e-mails about their report"),
    "meeting_add": _l("planned an RESV meeting"),
    "agenda_item": _l("changed a theme on an RESV agenda"),
    "agreement_add": _l("recorded an RESV agreement"),
    "agreement_done": _l("marked an RESV agreement"),
    "dossier_add": _l("started a knelpunt dossier"), "dossier_edit": _l("changed a dossier"),
    "dossier_action": _l("added an action to a dossier"),
    "dossier_action_done": _l("marked a dossier action"),
    "dossier_evidence": _l("added evidence to a dossier"),
    "sroi_input": _l("added an SROI input"), "sroi_outcome": _l("added an SROI outcome"),
    "dossier_remove": _l("removed a line from a dossier"),
    "publish": _l("published a theme"), "publication_edit": _l("changed a published theme"),
    "unpublish": _l("took a theme off the public pages"),
    "publish_survey": _l("published survey results"),
    "unpublish_survey": _l("took survey results off the public pages"),
    "contact_view": _l("looked at a reporter's contact details"),
    "claim": _l("picked up a report"), "assign": _l("gave a report to a colleague"),
    "unclaim": _l("let go of a report"), "note": _l("wrote an internal note"),
    "undo": _l("undid a merge or split"),
    "duplicate": _l("linked a duplicate report"),
    "not_duplicate": _l("unlinked a duplicate report"),
    "satisfaction": _l("said whether they are satisfied with a report's outcome"),
    "reopen": _l("reopened a report"),
}

# what a theme's history shows
THEME_CHANGE_LABELS: dict[str, LazyString] = {
    "merged": _l("Merged"), "split": _l("Split"), "renamed": _l("Renamed"),
    "moved": _l("Report moved"), "undone": _l("Undone"),
}
AUDIT_ACTIONS: tuple[str, ...] = tuple(AUDIT_ACTION_LABELS)

# why someone opens a reporter's contact details (stored in the audit log)
CONTACT_REASON_LABELS: dict[str, LazyString] = {
    "call_back": _l("To call or e-mail the reporter back"),
    "more_information": _l("To ask the reporter for more information"),
    "urgent": _l("The report may be urgent (health or safety)"),
}
CONTACT_REASONS: tuple[str, ...] = tuple(CONTACT_REASON_LABELS)

# who sent a report in (the form's answer, or the form's own role such as a cliëntenraad)
REPORTER_ROLE_LABELS: dict[str, LazyString] = {
    "inwoner": _l("Resident"), "mantelzorger": _l("Informal carer"),
    "professional": _l("Care or social professional"), "anders": _l("Someone else"),
    "clientenraad": _l("Client council"),
}

# how often a problem happens, as the resident answered it
FREQUENCY_LABELS: dict[str, LazyString] = {
    "eenmalig": _l("Once"), "soms": _l("Sometimes"), "vaak": _l("Often"),
    "altijd": _l("Always"),
}
FREQUENCIES: tuple[str, ...] = tuple(FREQUENCY_LABELS)

# how serious it is for the resident, 1 to 5
SEVERITY_LABELS: dict[int, LazyString] = {
    1: _l("Not serious"), 2: _l("A little serious"), 3: _l("Serious"), 4: _l("Very serious"),
    5: _l("Dangerous to health"),
}

# what an audit event is about
OBJECT_TYPE_LABELS: dict[str, LazyString] = {
    "user": _l("user"), "signal": _l("report"), "signals": _l("reports"), "theme": _l("theme"),
    "themes": _l("themes"), "wijk": _l("wijk"), "subscription": _l("digest"),
    "meeting": _l("RESV meeting"), "dossier": _l("knelpunt dossier"),
    "survey": _l("survey"),
}


def label(labels: dict[str, LazyString], code: str) -> str:
    """Return the label of a code in the current language (the code itself if unknown)."""
    found = labels.get(code)
    return str(found) if found is not None else code


def role_label(code: str) -> str:
    """Return a role's label."""
    return label(ROLE_LABELS, code)


def status_label(code: str) -> str:
    """Return a report status's label."""
    return label(SIGNAL_STATUS_LABELS, code)


def theme_status_label(code: str) -> str:
    """Return a theme status's label."""
    return label(THEME_STATUS_LABELS, code)


def action_label(code: str) -> str:
    """Return an audit action's label."""
    return label(AUDIT_ACTION_LABELS, code)


def object_label(code: str) -> str:
    """Return the label of what an audit event is about."""
    return label(OBJECT_TYPE_LABELS, code)


def reason_label(code: str) -> str:
    """Return the label of a reason to open contact details."""
    return label(CONTACT_REASON_LABELS, code)


def frequency_label(code: str | None) -> str:
    """Return how often a problem happens, in words ('' when not answered)."""
    return label(FREQUENCY_LABELS, code) if code else ""


def severity_label(value: int | None) -> str:
    """Return how serious a problem is, in words with its number ('' when not answered)."""
    found = SEVERITY_LABELS.get(value) if value is not None else None
    return f"{value} - {found}" if found is not None else ""


def reporter_label(code: str | None) -> str:
    """Return who sent a report in, in words ('' when unknown)."""
    return label(REPORTER_ROLE_LABELS, code) if code else ""


def change_label(code: str) -> str:
    """Return the label of a step in a theme's history."""
    return label(THEME_CHANGE_LABELS, code)
