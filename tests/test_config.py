import pytest

from participatie import ConfigError, create_app


def test_config_production_refuses_without_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("PARTICIPATIE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="PARTICIPATIE_SECRET_KEY is not set"):
        create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_config_production_refuses_without_database(monkeypatch):
    monkeypatch.delenv("PARTICIPATIE_DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="PARTICIPATIE_DATABASE_URL"):
        create_app({"ENV": "production", "SECRET_KEY": "x" * 32})


def test_config_production_sets_secure_cookies(tmp_path):
    app = create_app({"ENV": "production", "SECRET_KEY": "x" * 32,
                      "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_config_development_keeps_generated_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PARTICIPATIE_SECRET_KEY", raising=False)
    first = create_app({"ENV": "development"}).config["SECRET_KEY"]
    second = create_app({"ENV": "development"}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "participatie.db").parent == tmp_path


def test_config_reads_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATIE_CONTACT_RETENTION_DAYS", "30")
    monkeypatch.setenv("PARTICIPATIE_DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    app = create_app({"SECRET_KEY": "s"})
    assert app.config["CONTACT_RETENTION_DAYS"] == 30
    assert app.config["DATABASE_URL"].endswith("env.db")


@pytest.mark.parametrize(("key", "value", "message"), [
    ("ENV", "prod", "PARTICIPATIE_ENV"),
    ("CONTACT_RETENTION_DAYS", -1, "PARTICIPATIE_CONTACT_RETENTION_DAYS"),
    ("SMTP_SECURITY", "tls", "PARTICIPATIE_SMTP_SECURITY"),
])
def test_config_rejects_bad_values_by_name(tmp_path, key, value, message):
    with pytest.raises(ConfigError, match=message):
        create_app({key: value, "SECRET_KEY": "s", "DATABASE_URL": f"sqlite:///{tmp_path}/b.db"})
