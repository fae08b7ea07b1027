"""The WSGI entry point for gunicorn: `gunicorn 'participatie.wsgi:app'`."""

from participatie import create_app

app = create_app()
