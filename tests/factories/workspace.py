"""Workspace test data: two regions, reports in own and other wijken, themes, users per role."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from sqlalchemy import select

from participatie.accounts import create_user
from participatie.models import Region, Signal, Theme, ThemeMembership, Wijk, utcnow
from participatie.signals import ContactInput, Intake, KnelpuntInput, record_submission

# the texts below hold no personal data, so the tests store them as they are
PLAIN = Intake(redact=lambda text: text)
ROLES = ("beheerder", "asd", "kernteam", "meelezer")
# every test report can be withdrawn with this code (the public form makes a random one)
WITHDRAW_CODE = "K7FM-3RXA-PQ4T"


@dataclass
class World:
    """Ids of what the tests use; 'own' is Waterwijk (the kernteam's wijk)."""

    users: dict[str, int] = field(default_factory=dict)
    signals: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    wijken: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    wijk_ids: dict[str, int] = field(default_factory=dict)
    dossiers: dict[str, int] = field(default_factory=dict)
    dossier_actions: dict[str, int] = field(default_factory=dict)
    meetings: dict[str, int] = field(default_factory=dict)
    agenda_items: dict[str, int] = field(default_factory=dict)
    agreements: dict[str, int] = field(default_factory=dict)


def add_report(session, region: Region, wijk: str, text: str, *, days_ago: int = 1,
               disciplines: tuple[str, ...] = ("huisartsen",), role: str = "inwoner",
               email: str | None = None) -> Signal:
    """Record one report the way the public form does."""
    submission = record_submission(
        session, PLAIN, region, form_id="knelpunt", form_version=1, answers={},
        knelpunten=[KnelpuntInput(text=text, wijk_slugs=[wijk], disciplines=disciplines)],
        reporter_role=role, contact=ContactInput(email=email) if email else None,
        created_at=utcnow() - dt.timedelta(days=days_ago), withdraw_code=WITHDRAW_CODE)
    return submission.signals[0]


def add_theme(session, region: Region, key: str, label: str, members: list[Signal],
              needs_review: bool = False) -> Theme:
    """Add a theme as the model proposes it."""
    theme = Theme(region_id=region.id, key=key, label=label, keywords=[label.split()[0].lower()])
    session.add(theme)
    session.flush()
    for signal in members:
        session.add(ThemeMembership(signal_id=signal.id, theme_id=theme.id, source="model",
                                    confidence=0.4 if needs_review else 0.9,
                                    needs_review=needs_review))
    session.commit()
    return theme


def build_world(session) -> World:
    """Fill the seeded database: Almere (Waterwijk, Haven) and a second region."""
    almere = session.query(Region).filter_by(slug="almere").one()
    other = Region(slug="lelystad", name="Lelystad")
    other.wijken.append(Wijk(slug="atolwijk", name="Atolwijk", stadsdeel="Lelystad", active=True))
    session.add(other)
    session.commit()
    world = World(wijken={"own": "waterwijk", "other_wijk": "haven", "other_region": "atolwijk"})
    own = add_report(session, almere, "waterwijk", "De huisarts is nooit bereikbaar.",
                     email="melder@example.org")
    own2 = add_report(session, almere, "waterwijk", "Wachten op de wijkverpleging duurt lang.",
                      days_ago=40, disciplines=("wijkverpleging",))
    other_wijk = add_report(session, almere, "haven", "De apotheek heeft mijn medicijn niet.",
                            disciplines=("apothekers",), role="mantelzorger")
    mixed = add_report(session, almere, "haven", "Geen plek bij de fysiotherapeut.")
    far = add_report(session, other, "atolwijk", "In Lelystad is de huisarts vol.")
    far2 = add_report(session, other, "atolwijk", "In Lelystad duurt alles lang.")
    themes = {
        "own": add_theme(session, almere, "th-own", "Huisarts bereikbaarheid", [own]),
        "other_wijk": add_theme(session, almere, "th-haven", "Apotheek voorraad", [other_wijk]),
        "spare": add_theme(session, almere, "th-spare", "Wachttijden zorg", [own2, mixed]),
        "other_region": add_theme(session, other, "th-far", "Huisarts vol", [far]),
        "other_region2": add_theme(session, other, "th-far2", "Wachten", [far2]),
    }
    world.themes = {name: theme.id for name, theme in themes.items()}
    world.signals = {"own": own.id, "own2": own2.id, "other_wijk": other_wijk.id,
                     "mixed": mixed.id, "other_region": far.id}
    world.codes = {"own": own.submission.reference}
    world.wijk_ids = {target: session.scalar(select(Wijk.id).where(Wijk.slug == slug))
                      for target, slug in world.wijken.items()}
    wijken = {w.slug: w for w in almere.wijken}
    for role in ROLES:
        user = create_user(session, almere.id, f"{role}@test.nl", f"Test {role}", role,
                           [wijken["waterwijk"]] if role == "kernteam" else [])
        world.users[role] = user.id
    far_user = create_user(session, other.id, "asd@lelystad.test", "Lelystad ASD", "asd")
    world.users["other_region_asd"] = far_user.id
    session.commit()
    _add_meetings_and_dossiers(session, world, almere, other, far_user)
    return world


def _add_meetings_and_dossiers(session, world: World, almere: Region, other: Region,
                               far_user) -> None:
    """Give each target an RESV meeting with an agreement and a dossier with an action."""
    from participatie import agenda, dossiers
    from participatie.models import User

    asd = session.get(User, world.users["asd"])
    for target, region, user in (("own", almere, asd), ("other_region", other, far_user)):
        theme = "own" if target == "own" else "other_region"
        meeting = agenda.create_meeting(session, user, region, dt.date(2026, 12, 10), "RESV",
                                        [world.themes[theme]])
        agreement = agenda.add_agreement(session, user, meeting, world.themes[theme],
                                         "Afspraak", "Iemand", None)
        world.meetings[target] = meeting.id
        world.agenda_items[target] = meeting.items[0].id
        world.agreements[target] = agreement.id
    for key in ("meetings", "agenda_items", "agreements"):
        values = getattr(world, key)
        values["other_wijk"] = values["own"]   # one agenda for the whole region
    for target in ("own", "other_wijk", "other_region"):
        wijk = session.get(Wijk, world.wijk_ids[target])
        user = far_user if target == "other_region" else asd
        dossier = dossiers.create(session, user, wijk, f"Dossier {wijk.name}", "Probleem", [])
        action = dossiers.add_action(session, user, dossier, "Bellen", "Kernteam", None)
        world.dossiers[target] = dossier.id
        world.dossier_actions[target] = action.id
    session.commit()


def page_text(response) -> str:
    """Return a page's text after checking it was served (so 'not in' checks mean something)."""
    assert response.status_code == 200, (response.status_code, response.request.path)
    return response.get_data(as_text=True)


def log_in_as(client: FlaskClient, user_id: int, version: int = 0) -> None:
    """Log a client in without a password (the log-in form has its own tests)."""
    with client.session_transaction() as flask_session:
        flask_session["uid"] = user_id
        flask_session["sv"] = version
        flask_session["at"] = int(utcnow().timestamp())


def refused_by_field(response, message: str, field_id: str) -> str:  # noqa: ANN001
    """Check a 400 with the message by the field and in the error summary; return the page."""
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:300]
    assert f'id="{field_id}-error"' in page and f'href="#{field_id}"' in page
    assert message in htmllib.unescape(page), message
    return page
