"""What happens to a report as it arrives: redaction always, then the theme hooks."""

from __future__ import annotations

from flask import current_app

from participatie.signals import Intake


def get_intake() -> Intake:
    """Return this app's intake, loading the redactor once per process."""
    extensions = current_app.extensions
    if "intake" not in extensions:
        import nlp
        from participatie import themes

        redactor = nlp.Redactor(mode=current_app.config["REDACTION"])
        hooks = [themes.on_new_signal] if current_app.config["THEMES_AT_INTAKE"] else []
        extensions["intake"] = Intake(redact=redactor.redact, after_signal=hooks)
    return extensions["intake"]
