"""What happens to a report as it arrives: redaction always, then the theme hooks."""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app

from participatie.signals import Intake


def get_intake() -> Intake:
    """Return this app's intake, loading the redactor once per process (one thread loads)."""
    extensions = current_app.extensions
    if "intake" in extensions:
        return extensions["intake"]
    with extensions.setdefault("intake_lock", threading.Lock()):
        if "intake" not in extensions:
            import nlp
            from participatie import themes

            redactor = nlp.Redactor(mode=current_app.config["REDACTION"])
            hooks = [themes.on_new_signal] if current_app.config["THEMES_AT_INTAKE"] else []
            extensions["intake"] = Intake(redact=redactor.redact, after_signal=hooks)
    return extensions["intake"]


WARM_UP_TEXT = ("Mijn moeder wacht al drie weken op de Huisarts in Haven. Apotheek Zon belt niet "
                "terug. Bel mij, Jan de Vries, op 06-12345678 of mail jan@example.org.")


def warm_up(app: Flask) -> threading.Thread:
    """Load the redactor (and the embedder) in a background thread: the first resident waits
    for neither.

    A submission that arrives before loading is done waits for it (it is not loaded twice).
    The thread records how long loading took in app.extensions["intake_warmup_seconds"].
    """
    def run() -> None:
        start = time.perf_counter()
        with app.app_context():
            # a report as residents write them: names, a phone number, a capitalised ordinary
            # word (the redactor then loads its word list too)
            get_intake().redact(WARM_UP_TEXT)
            if app.config["THEMES_AT_INTAKE"]:  # the intake embeds each report as well
                import nlp
                from participatie.themes.bridge import backend_name

                nlp.embed(["De huisarts is slecht bereikbaar."], backend_name())
        app.extensions["intake_warmup_seconds"] = time.perf_counter() - start
        app.logger.info("redactor ready after %.1f s", app.extensions["intake_warmup_seconds"])

    thread = threading.Thread(target=run, name="participatie-warm-up", daemon=True)
    thread.start()
    return thread
