"""What happens to a report as it arrives: redaction always, then the theme hooks."""

from __future__ import annotations

from flask import current_app

from participatie.signals import Intake


def get_intake() -> Intake:
    """Return this app's intake, loading the redactor once per process."""
    extensions = current_app.extensions
    if "intake" not in extensions:
        import nlp

        mode = current_app.config["REDACTION"]
        redactor = nlp.Redactor(mode=mode) if mode != "default" else nlp.Redactor()
        extensions["intake"] = Intake(redact=redactor.redact)
    return extensions["intake"]
