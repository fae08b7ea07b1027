"""The WSGI entry point for gunicorn: `gunicorn --preload 'participatie.wsgi:app'`."""

from participatie import create_app
from participatie.intake import get_intake

app = create_app()

with app.app_context():
    # load the redaction model before gunicorn forks its workers, so they share one copy
    get_intake().redact("warm-up")
