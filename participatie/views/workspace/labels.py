"""Names shown for codes: report and theme statuses, roles, audit actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SIGNAL_STATUS = {
    "received": _l("Received"), "in_progress": _l("Being looked at"),
    "with_kernteam": _l("With the kernteam"), "on_agenda": _l("On the RESV agenda"),
    "resolved": _l("Solved"), "closed": _l("Closed"), "withdrawn": _l("Withdrawn"),
}
THEME_STATUS = {
    "new": _l("New"), "with_kernteam": _l("With the kernteam"),
    "on_agenda": _l("On the RESV agenda"), "resolved": _l("Solved"), "parked": _l("Parked"),
}
ROLE = {
    "beheerder": _l("Administrator"), "asd": _l("ASD member"),
    "kernteam": _l("Kernteam member"), "meelezer": _l("Reader"),
}
ACTION = {
    "login": _l("logged in"), "logout_everywhere": _l("logged out everywhere"),
    "set_password": _l("set a password"), "status": _l("changed a report's status"),
    "reply": _l("replied to a reporter"), "reply_email": _l("e-mailed a reporter"),
    "move": _l("placed a report in a theme"), "confirm": _l("confirmed a theme suggestion"),
    "rename": _l("renamed a theme"), "merge": _l("merged themes"), "split": _l("split a theme"),
    "theme_status": _l("changed a theme's status"), "new_theme": _l("started a theme"),
    "export": _l("downloaded an export"), "invite": _l("invited a user"),
    "disable": _l("disabled a user"), "user_add": _l("added a user"),
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
}
