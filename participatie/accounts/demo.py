"""Demo accounts, one per role, for `participatie demo` (never in production)."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from participatie import db
from participatie.accounts import create_user
from participatie.models import User
from participatie.regions import current_region

DEMO_PASSWORD = "demo-werkruimte-2026"
DEMO_ACCOUNTS = (  # e-mail, name, role, wijk slugs
    ("beheerder@demo.participatie.nl", "Demo beheerder", "beheerder", ()),
    ("asd@demo.participatie.nl", "Demo ASD-lid", "asd", ()),
    ("kernteam.waterwijk@demo.participatie.nl", "Demo kernteam Waterwijk", "kernteam",
     ("waterwijk",)),
    ("meelezer@demo.participatie.nl", "Demo meelezer", "meelezer", ()),
)


def create_demo_accounts() -> None:
    """Add one demo account per role (development only) and print how to log in."""
    session = db.session()
    region = current_region()
    if current_app.config["ENV"] == "production" or region is None:
        return
    wijken = {w.slug: w for w in region.wijken}
    for email, name, role, slugs in DEMO_ACCOUNTS:
        if session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(session, region.id, email, name, role, [wijken[s] for s in slugs],
                        DEMO_PASSWORD)
    session.commit()
    click.echo(f"demo accounts (password {DEMO_PASSWORD}): "
               + ", ".join(email for email, *_ in DEMO_ACCOUNTS))
