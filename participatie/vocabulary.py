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
}
AUDIT_ACTIONS: tuple[str, ...] = tuple(AUDIT_ACTION_LABELS)

# what an audit event is about
OBJECT_TYPE_LABELS: dict[str, LazyString] = {
    "user": _l("user"), "signal": _l("report"), "signals": _l("reports"), "theme": _l("theme"),
    "themes": _l("themes"), "wijk": _l("wijk"), "subscription": _l("digest"),
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
