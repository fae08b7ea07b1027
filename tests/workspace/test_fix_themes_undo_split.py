"""Undoing a split after the original theme was merged: the reports go where its reports went."""

from __future__ import annotations

from sqlalchemy import select

from participatie import db
from participatie.models import Region, Signal, Theme, ThemeChange
from tests.factories.workspace import add_report, page_text


def _split_then_merge(app, client, spare: int, signal: int, into: int | None
                      ) -> tuple[int, ThemeChange]:  # noqa: ANN001
    """Split `signal` off `spare`, then merge `spare` into `into` (None: into the split-off
    theme); return the split-off theme's id and the split."""
    response = client.post(f"/werkruimte/themas/{spare}/splitsen",
                           data={"signal": str(signal), "label": "Wijkverpleging"})
    created = int(response.location.rsplit("/", 1)[1])
    client.post(f"/werkruimte/themas/{spare}/samenvoegen",
                data={"target": str(created if into is None else into), "confirm": "yes"})
    with app.app_context():
        change = db.session().scalar(select(ThemeChange).where(ThemeChange.action == "split"))
    return created, change


def test_fix_themes_undo_split_after_merge_puts_reports_in_the_merged_home(app, login, world):
    client = login("asd")
    spare, own = world.themes["spare"], world.themes["own"]
    split_off = world.signals["own2"]
    # the original theme is merged into another one since
    created, change = _split_then_merge(app, client, spare, split_off, own)
    undone = client.post(f"/werkruimte/themas/{created}/ongedaan-maken",
                         data={"change": str(change.id)})
    assert undone.status_code == 302 and undone.location.endswith(f"/themas/{own}#history")
    with app.app_context():
        session = db.session()
        membership = session.get(Signal, split_off).membership
        # with the reports it was split from, in a theme that is shown and counted
        assert membership.theme_id == own and membership.source == "moved"
        assert session.get(Theme, own).merged_into_id is None
        assert session.get(Theme, created).merged_into_id == own
        assert session.get(ThemeChange, change.id).undone_at is not None
        original, home = session.get(Theme, spare).label, session.get(Theme, own).label
    page = page_text(client.get(f"/werkruimte/themas/{own}"))
    assert f"/werkruimte/meldingen/{split_off}\"" in page
    # the reviewer is told why the reports are not in the theme they were split from
    assert f"“{original}” is daarna samengevoegd met “{home}”" in page
    # the split-off theme's page leads to that theme, not to the merged original
    assert client.get(f"/werkruimte/themas/{created}").location.endswith(f"/themas/{own}")


def test_fix_themes_undo_split_refused_when_original_was_merged_into_the_split_off(
        app, login, world):
    client = login("asd")
    spare = world.themes["spare"]
    created, change = _split_then_merge(app, client, spare, world.signals["own2"], None)
    refused = client.post(f"/werkruimte/themas/{created}/ongedaan-maken",
                          data={"change": str(change.id)}, follow_redirects=True)
    assert "kan niet ongedaan" in page_text(refused).lower()
    with app.app_context():
        session = db.session()
        assert session.get(Theme, created).merged_into_id is None
        assert session.get(Signal, world.signals["own2"]).membership.theme_id == created
        assert session.get(ThemeChange, change.id).undone_at is None


def test_fix_themes_undo_split_keeps_a_merged_split_off_pointing_where_it_went(app, world):
    """A split-off theme merged elsewhere since keeps pointing there after the undo."""
    from participatie import themes
    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        spare = session.get(Theme, world.themes["spare"])
        extra = add_report(session, region, "waterwijk", "Nog een wachttijd.")
        themes.place(extra, spare.id, 0.9)
        session.flush()
        created = themes.split(session, spare, [world.signals["own2"]], "Wijkverpleging")
        own = session.get(Theme, world.themes["own"])
        themes.merge(session, created, own)
        change = session.scalar(select(ThemeChange).where(ThemeChange.action == "split"))
        themes.undo(session, change)
        assert created.merged_into_id == own.id
