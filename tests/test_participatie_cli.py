import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from participatie import migrate
from participatie.models import Contact, Region, Submission, utcnow


def test_cli_db_upgrade_reports_head(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    assert f"database at revision {migrate.head_revision()}" in result.output


def test_cli_db_current(runner):
    assert runner.invoke(args=["db", "current"]).output.strip() == migrate.head_revision()


def test_cli_seed_is_idempotent(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "0 regions added, 0 wijken added" in result.output


def test_cli_retention_purge_deletes_only_expired(runner, session):
    region = session.scalar(select(Region))
    for code, days in (("AAAA-3333", -1), ("AAAA-4444", 30)):
        submission = Submission(reference=code, region_id=region.id, form_id="k", form_version=1)
        submission.contact = Contact(email=f"{code}@example.org",
                                     delete_after=utcnow() + dt.timedelta(days=days))
        session.add(submission)
    session.commit()
    result = runner.invoke(args=["retention", "purge"])
    assert "1 contact records deleted" in result.output
    assert session.scalar(select(func.count(Contact.id))) == 1


def test_cli_demo_refused_in_production(runner, app):
    app.config["ENV"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "never loaded in production" in result.output


def _run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PARTICIPATIE_")}
    environment.update(env)
    command = [sys.executable, "-c", "from participatie.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)


def test_cli_production_without_secret_says_so(tmp_path):
    result = _run_cli("seed", PARTICIPATIE_ENV="production",
                      PARTICIPATIE_DATABASE_URL=f"sqlite:///{tmp_path}/p.db")
    assert result.returncode == 2
    assert "PARTICIPATIE_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_upgrade_and_seed_a_new_sqlite_database(tmp_path):
    env = {"PARTICIPATIE_DATABASE_URL": f"sqlite:///{tmp_path}/new.db",
           "PARTICIPATIE_INSTANCE_PATH": str(tmp_path)}
    assert _run_cli("db", "upgrade", **env).returncode == 0
    result = _run_cli("seed", **env)
    assert result.returncode == 0 and "1 regions added" in result.stdout


@pytest.mark.slow  # loads deduce and the embedder
def test_cli_demo_fills_reports_themes_and_accounts_once(runner, session):
    from participatie.models import Theme, User

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "70 demo reports added" in result.output and "themes proposed" in result.output
    assert session.scalar(select(func.count(Theme.id))) >= 3
    assert session.scalar(select(func.count(User.id))) == 4
    assert "demo dossier added" in result.output
    again = runner.invoke(args=["demo"])
    assert "demo reports already present" in again.output
    assert "demo dossier already present" in again.output
    reports = select(func.count(Submission.id)).where(Submission.form_id != "peiling-huisarts")
    assert session.scalar(reports) == 70
