"""What happens to a report as it arrives: redaction always, then the theme hooks."""

from __future__ import annotations

from flask import current_app

from participatie.signals import Intake


def get_intake() -> Intake:
    """Return this app's intake: the app's nlp pipeline redacts, then themes place the report."""
    extensions = current_app.extensions
    if "intake" not in extensions:
        from nlp.pipeline import redact
        from participatie import themes
        from participatie.themes.bridge import pipeline

        language = pipeline()
        hooks = [themes.on_new_signal] if current_app.config["THEMES_AT_INTAKE"] else []
        extensions["intake"] = Intake(redact=lambda text: redact(language, text),
                                      after_signal=hooks)
    return extensions["intake"]
