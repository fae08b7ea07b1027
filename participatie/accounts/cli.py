"""`participatie users add/invite/disable/list`: manage workspace accounts from the shell."""

from __future__ import annotations

import smtplib

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from participatie import audit, db
from participatie.accounts import ROLES, AccountError, create_user, disable_user
from participatie.models import User, Wijk
from participatie.regions import current_region


def _user(email: str) -> User:
    user = db.session().scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    return user


@click.group("users")
def users_group() -> None:
    """Manage the accounts of the review workspace."""


@users_group.command("add")
@click.argument("email")
@click.option("--name", default="", help="Name shown in the workspace and the audit log.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--wijk", "wijk_slugs", multiple=True, help="Wijk slug (repeat; kernteam needs one).")
@with_appcontext
def users_add(email: str, name: str, role: str, wijk_slugs: tuple[str, ...]) -> None:
    """Add a user in this site's region; then send them an invitation with `users invite`."""
    session = db.session()
    region = current_region()
    if region is None:
        raise click.ClickException("the region is not in the database (run: participatie seed)")
    wijken = list(session.scalars(select(Wijk).where(Wijk.region_id == region.id,
                                                     Wijk.slug.in_(wijk_slugs))))
    unknown = set(wijk_slugs) - {w.slug for w in wijken}
    if unknown:
        raise click.ClickException(f"unknown wijk: {', '.join(sorted(unknown))}")
    try:
        user = create_user(session, region.id, email, name, role, wijken)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    audit.record(session, None, "user_add", "user", user.id, region_id=region.id, role=role)
    session.commit()
    click.echo(f"added {user.email} ({role}); invite them with: participatie users invite {email}")


@users_group.command("invite")
@click.argument("email")
@click.option("--print-link", is_flag=True, help="Print the link instead of e-mailing it.")
@with_appcontext
def users_invite(email: str, print_link: bool) -> None:
    """E-mail a user a link (valid 7 days) to choose a password."""
    from participatie.accounts.invitations import invitation_link, send_invitation

    user = _user(email)
    if print_link:
        click.echo(invitation_link(user))
    else:
        try:
            send_invitation(user)
        except (OSError, smtplib.SMTPException) as error:
            raise click.ClickException(f"the e-mail could not be sent: {error}") from None
        click.echo(f"invitation sent to {user.email}")
    audit.record(db.session(), None, "invite", "user", user.id, region_id=user.region_id)
    db.session().commit()


@users_group.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email: str) -> None:
    """Disable a user and end all their sessions at once."""
    disable_user(db.session(), _user(email))
    db.session().commit()
    click.echo(f"disabled {email.strip().lower()}")


@users_group.command("list")
@with_appcontext
def users_list() -> None:
    """List the users with their role, wijken and state."""
    for user in db.session().scalars(select(User).order_by(User.email)):
        wijken = ",".join(w.slug for w in user.wijken) or "-"
        state = "active" if user.active else "disabled"
        invited = "password set" if user.password_hash else "no password yet"
        click.echo(f"{user.email}\t{user.role}\t{wijken}\t{state}\t{invited}")
