"""The `participatie` command: serve, db upgrade, seed, demo, retention (and more per module)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from participatie import db, migrate
from participatie.accounts.cli import users_group
from participatie.config import ConfigError
from participatie.digests.cli import digest_group
from participatie.filling import forms_group
from participatie.yamlfile import DefinitionError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the site (for the demo and development; use gunicorn in production)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["ENV"] == "production":
        click.echo("In production, run: gunicorn 'participatie.wsgi:app' (see README).", err=True)
    click.echo(f"participatie: serving on http://{host}:{port}/ (Ctrl+C stops)")
    from werkzeug.serving import run_simple

    from participatie.intake import warm_up
    from participatie.jobs import jobs
    from participatie.security import QuietRequestHandler

    with app.app_context():
        warm_up()  # models loaded and the heap frozen before the first request
    jobs(app).start_worker()  # background jobs in this process: no extra daemon needed
    try:
        run_simple(host, port, app, threaded=True, request_handler=QuietRequestHandler)
    finally:
        jobs(app).stop_worker()


@click.group("db")
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Bring the database schema to the newest version (or --revision)."""
    migrate.upgrade(db.engine(), revision)
    click.echo(f"database at revision {migrate.current_revision(db.engine())}")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the database's schema version."""
    click.echo(migrate.current_revision(db.engine()) or "empty (run: participatie db upgrade)")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Add the regions, wijken and disciplines from the seed files (never removes anything)."""
    from participatie.seeding import seed

    added = seed(db.session())
    db.session().commit()
    click.echo(", ".join(f"{count} {what} added" for what, count in added.items()))


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill a fresh database with the schema, seed data and realistic demo reports."""
    from participatie.demo import load_demo_reports
    from participatie.intake import get_intake
    from participatie.regions import current_region
    from participatie.seeding import seed

    if current_app.config["ENV"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    migrate.upgrade(db.engine())
    seed(db.session())
    db.session().commit()
    region = current_region()
    if region is None:
        raise click.ClickException(f"region {current_app.config['REGION']!r} is not in the seed")
    count = load_demo_reports(db.session(), get_intake(), region)
    db.session().commit()
    click.echo(f"{count} demo reports added" if count else "demo reports already present")

    from participatie.jobs import rebuild_region

    counts = rebuild_region(region.id)
    click.echo(f"{counts['themes']} themes proposed for {counts['reports']} reports")
    from participatie.accounts.demo import create_demo_accounts

    create_demo_accounts()
    from participatie.demo import load_demo_dossier

    dossier = load_demo_dossier(db.session(), region)
    db.session().commit()
    click.echo(f"demo dossier added: {dossier.title}" if dossier
               else "demo dossier already present")
    from participatie.jobs import group_survey_answers

    grouped = group_survey_answers(region.id)
    click.echo(f"{grouped['answers']} open survey answers put into groups")
    from participatie.demo import load_demo_publications

    published = load_demo_publications(db.session(), region)
    db.session().commit()
    click.echo(f"{published} demo themes published" if published
               else "demo publications already present")


@click.group("themes")
def themes_group() -> None:
    """Propose and inspect themes."""


@themes_group.command("rebuild")
@click.option("--now", is_flag=True, help="Run here and wait, instead of queueing the job.")
@with_appcontext
def themes_rebuild(now: bool) -> None:
    """Propose themes for all reports again, keeping every reviewer's decision (run nightly).

    Queued for the job worker (the same queue as training after curation), or run at once with
    --now. Either way the model is trained again afterwards.
    """
    from participatie.jobs import jobs, rebuild_region
    from participatie.regions import current_region

    region = current_region()
    if region is None:
        raise click.ClickException("no region yet: run `participatie seed` first")
    if not now:
        jobs().rebuild(region.id)
        click.echo("rebuild queued: the job worker runs it (`participatie serve` or "
                   "`participatie jobs worker`); use --now to run it here")
        return
    counts = rebuild_region(region.id)
    click.echo("{themes} themes, {reports} reports, {overig} in 'overig', "
               "{removed} empty proposals removed".format(**counts))
    _echo_model(counts["model"])
    click.echo("{answers} open survey answers grouped per question and quarter".format(
        **counts["surveys"]))


@themes_group.command("train")
@click.option("--now", is_flag=True, help="Run here and wait, instead of queueing the job.")
@click.option("--force", is_flag=True, help="Train even when nothing changed.")
@with_appcontext
def themes_train(now: bool, force: bool) -> None:
    """Train the model that places new reports on the reviewers' decisions."""
    from participatie.jobs import jobs, train_region
    from participatie.regions import current_region

    region = current_region()
    if region is None:
        raise click.ClickException("no region yet: run `participatie seed` first")
    if not now:
        jobs().train(region.id, force)
        click.echo("training queued")
        return
    _echo_model(train_region(region.id, force))


def _echo_model(result: dict) -> None:
    if not result.get("trained"):
        click.echo("model: not trained (nothing changed, or nothing to learn from yet)")
        return
    accuracy = result["accuracy"]
    score = "n/a (too few decisions)" if accuracy is None else f"{accuracy:.0%}"
    click.echo(f"model {result['model']} trained on {result['reports']} reports, "
               f"cross-validated accuracy {score}")


@themes_group.command("list")
@with_appcontext
def themes_list() -> None:
    """Show the region's themes with their size and keywords."""
    from participatie import themes
    from participatie.regions import current_region

    region = current_region()
    for theme in themes.active_themes(db.session(), region) if region else []:
        click.echo(f"{theme.key}\t{len(theme.members)}\t{theme.label}\t{', '.join(theme.keywords)}")


@click.group("jobs")
def jobs_group() -> None:
    """Run background jobs (training after curation, queued rebuilds)."""


@jobs_group.command("worker")
@click.option("--workers", default=1, show_default=True, type=int)
@with_appcontext
def jobs_worker(workers: int) -> None:
    """Run the job worker in the foreground (production, beside gunicorn; Ctrl+C stops)."""
    from participatie.jobs import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs(app).huey.create_consumer(workers=workers, worker_type="thread").run()


@jobs_group.command("resident-mail")
@with_appcontext
def jobs_resident_mail() -> None:
    """Send the e-mails to residents waiting in the outbox now (for cron or a one-off)."""
    from participatie.jobs import send_resident_mail

    counts = send_resident_mail()
    click.echo(", ".join(f"{key}: {value}" for key, value in counts.items()))
    if counts["failed"]:
        raise SystemExit(1)


@jobs_group.command("run")
@with_appcontext
def jobs_run() -> None:
    """Run the queued jobs now and stop (for cron or a one-off)."""
    from participatie.jobs import jobs

    click.echo(f"{jobs().run_pending()} jobs run")


@click.group("retention")
def retention_group() -> None:
    """Delete personal data whose retention period has passed."""


@retention_group.command("purge")
@with_appcontext
def retention_purge() -> None:
    """Delete expired contact details and unused saved forms (run daily)."""
    from participatie.drafts import purge_expired
    from participatie.signals import purge_expired_contacts

    days = current_app.config["CONTACT_RETENTION_DAYS"]
    click.echo(f"{purge_expired_contacts(db.session(), days)} contact records deleted")
    drafts = purge_expired(db.session())
    db.session().commit()
    click.echo(f"{drafts} saved forms deleted")


COMMANDS: list[click.Command] = [
    serve_command, db_group, seed_command, demo_command, retention_group, themes_group,
    jobs_group, forms_group, users_group, digest_group,
]


def register_commands(app: Flask) -> None:
    """Add the project's commands to the app (for `participatie` and `flask`)."""
    for command in COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    """Run the `participatie` command; configuration problems get a message, not a traceback."""
    from participatie import create_app

    cli = FlaskGroup(name="participatie", create_app=create_app, add_default_commands=False,
                     add_version_option=False, set_debug_flag=False, load_dotenv=False)
    try:
        cli.main(standalone_mode=True)
    except (ConfigError, DefinitionError) as error:
        click.echo(f"participatie: {error}", err=True)
        sys.exit(2)
