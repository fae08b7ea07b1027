"""The `participatie digest` commands: send (for cron or a systemd timer) and preview."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from participatie import db
from participatie.digests.periods import FREQUENCIES
from participatie.digests.render import render
from participatie.digests.sending import next_digest, send_due
from participatie.models import Subscription, User


@click.group("digest")
def digest_group() -> None:
    """Send and preview the e-mail digests."""


@digest_group.command("send")
@click.option("--period", "frequency", type=click.Choice(FREQUENCIES),
              help="Only subscribers with this frequency (default: both).")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and record nothing.")
@click.option("--resend-unconfirmed", is_flag=True,
              help="Also send again the digests an earlier run stopped in the middle of sending "
                   "(same Message-ID; check the mail server's log first).")
@with_appcontext
def send_command(frequency: str | None, dry_run: bool, resend_unconfirmed: bool) -> None:
    """Send every due digest for the last completed week or month, each at most once."""
    result = send_due(db.session(), frequency=frequency, dry_run=dry_run,
                      resend_unconfirmed=resend_unconfirmed)
    for rendered in result.planned:
        click.echo(f"would send to {rendered.to}: {rendered.subject}")
    for address, reason in result.failed:
        click.echo(f"not sent to {address}: {reason} (retried on the next run)", err=True)
    for address, mid in result.unconfirmed:
        click.echo(f"unconfirmed for {address}: an earlier run stopped while sending it; look for "
                   f"Message-ID {mid} in the mail server's log, and if it is not there run "
                   "`participatie digest send --resend-unconfirmed`", err=True)
    click.echo(f"{len(result.planned) if dry_run else len(result.sent)} "
               f"{'to send' if dry_run else 'sent'}, {result.already_sent} already sent, "
               f"{result.empty} empty, {len(result.failed)} failed"
               + (f", {result.busy} left to a run that was busy with them" if result.busy else "")
               + (f", {len(result.unconfirmed)} unconfirmed" if result.unconfirmed else ""))
    if result.failed or result.unconfirmed:
        raise SystemExit(1)


@digest_group.command("preview")
@click.option("--user", "email", required=True, help="The subscriber's e-mail address.")
@click.option("--html", is_flag=True, help="Print the HTML part instead of the text part.")
@with_appcontext
def preview_command(email: str, html: bool) -> None:
    """Print a subscriber's next digest (nothing is sent)."""
    session = db.session()
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    subscription = session.scalar(select(Subscription).where(Subscription.user_id == user.id))
    subscription = subscription or Subscription(user_id=user.id, frequency="weekly",
                                                wijk_slugs=[], send_when_empty=False,
                                                language="nl")
    rendered = render(next_digest(session, user, subscription))
    click.echo(f"To: {rendered.to}\nSubject: {rendered.subject}\n")
    click.echo(rendered.html if html else rendered.text)
