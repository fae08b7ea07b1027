"""Digests carry the RESV agreements recorded in their period, only about themes one may see."""

from __future__ import annotations

import datetime as dt

from participatie.digests import send_due
from participatie.models import Agreement, ResvMeeting, Theme, ThemeMembership
from tests.factories.digests import IN_WEEK_47, MONDAY


def _theme_with_agreement(world, wijk: str, label: str, what: str) -> None:  # noqa: ANN001
    signal = world.report(f"Een melding over {label.lower()} in deze wijk.", wijk)
    theme = Theme(region_id=world.region.id, key=f"th-{wijk}", label=label)
    world.session.add(theme)
    world.session.flush()
    world.session.add(ThemeMembership(signal_id=signal.id, theme_id=theme.id, source="model",
                                      confidence=0.9))
    meeting = ResvMeeting(region_id=world.region.id, held_on=dt.date(2026, 11, 17))
    world.session.add(meeting)
    world.session.flush()
    world.session.add(Agreement(meeting_id=meeting.id, theme_id=theme.id, what=what,
                                who="Huisartsen Waterwijk", due_on=dt.date(2027, 1, 15),
                                created_at=IN_WEEK_47))
    world.session.commit()


def test_digest_agreements_reach_only_those_who_may_see_the_theme(world, outbox):
    world.subscriber("kern@example.nl", "kernteam", wijken=("waterwijk",))
    world.subscriber("asd@example.nl", "asd")
    _theme_with_agreement(world, "waterwijk", "Telefoon huisarts", "Een terugbelservice")
    _theme_with_agreement(world, "haven", "Apotheek voorraad", "Een afhaalkluis")
    send_due(world.session, now=MONDAY)
    kern = outbox.to("kern@example.nl")[0].get_body(("plain",)).get_content()
    asd = outbox.to("asd@example.nl")[0].get_body(("html",)).get_content()
    assert "Afgesproken aan de RESV-tafel" in kern
    assert "Telefoon huisarts: Een terugbelservice (wie: Huisartsen Waterwijk, vóór 15 januari" \
        in kern
    assert "afhaalkluis" not in kern and "Apotheek voorraad" not in kern  # another wijk's theme
    assert "Een terugbelservice" in asd and "Een afhaalkluis" in asd


def test_digest_agreements_about_a_theme_merged_since_come_under_its_new_theme(world, outbox):
    world.subscriber("kern@example.nl", "kernteam", wijken=("waterwijk",))
    _theme_with_agreement(world, "waterwijk", "Telefoon huisarts", "Een terugbelservice")
    merged = world.session.query(Theme).filter_by(label="Telefoon huisarts").one()
    home = Theme(region_id=world.region.id, key="th-home", label="Bereikbaarheid praktijk")
    world.session.add(home)
    world.session.flush()
    for membership in world.session.query(ThemeMembership).filter_by(theme_id=merged.id):
        membership.theme_id = home.id  # as a merge does: the reports go, the theme stays
    merged.merged_into_id = home.id
    world.session.commit()
    send_due(world.session, now=MONDAY)
    kern = outbox.to("kern@example.nl")[0].get_body(("plain",)).get_content()
    assert "Bereikbaarheid praktijk: Een terugbelservice" in kern
