"""Issue 13: publishing a theme, the public wijk and region pages, voices, open data, feeds."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from participatie import db, publication
from participatie.models import (
    AuditEvent,
    Region,
    Signal,
    Submission,
    Theme,
    ThemeMembership,
    ThemePublication,
    ThemeVoice,
)
from tests.factories.workspace import add_report

SECRET_QUOTE = "Mijn buurvrouw wacht al weken op de wijkverpleging."
OTHER_QUOTE = "De praktijk neemt de telefoon nooit op."
SPARE_ONLY = "Onderwerp dat niet openbaar is"


def _logout(client) -> None:
    with client.session_transaction() as flask_session:
        flask_session.clear()


def _public_urls(client) -> list[str]:
    return ["/", "/regio", "/wijk/waterwijk", "/wijk/haven", "/open-data/",
            "/open-data/themas.csv", "/open-data/themas.json", "/open-data/regio.atom",
            "/open-data/waterwijk.atom", "/open-data/haven.atom"]


def _everything_public(client) -> str:
    texts = []
    for url in _public_urls(client):
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.get_data(as_text=True))
    return "\n".join(texts)


def _theme_with_quotes(app, world) -> tuple[int, int, int]:
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        theme = session.get(Theme, world.themes["spare"])
        quoted = add_report(session, almere, "waterwijk", SECRET_QUOTE, days_ago=2)
        other = add_report(session, almere, "waterwijk", OTHER_QUOTE, days_ago=3)
        for signal in (quoted, other):
            session.add(ThemeMembership(signal_id=signal.id, theme_id=theme.id, source="model"))
        session.commit()
        return theme.id, quoted.id, other.id


def test_publish_unpublish_withdraw_nothing_leaks(app, client, world, login):
    theme_id, quoted, other = _theme_with_quotes(app, world)
    before = _everything_public(client)
    assert "Wachttijden zorg" not in before and SECRET_QUOTE not in before

    login("asd")
    response = client.post(f"/werkruimte/themas/{theme_id}/publiceren", data={
        "title": "Lang wachten op zorg", "summary": "Bewoners wachten lang op zorg thuis.",
        "public_status": "besproken in het kernteam", "quote": [str(quoted), str(other)]})
    assert response.status_code == 302
    with app.app_context():
        pub = db.session().scalar(select(ThemePublication))
        assert pub.published and pub.quote_signal_ids == [quoted, other]
        assert db.session().scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "publish")) == 1
    _logout(client)
    public = _everything_public(client)
    assert "Lang wachten op zorg" in client.get("/wijk/waterwijk").get_data(as_text=True)
    assert SECRET_QUOTE in public and "besproken in het kernteam" in public
    # the raw theme label and reports not chosen as quotes never appear
    assert "Wachten op de wijkverpleging duurt lang." not in public
    assert "De huisarts is nooit bereikbaar." not in public
    # 4 reports in Waterwijk: fewer than 5
    wijk_page = client.get("/wijk/waterwijk").get_data(as_text=True)
    assert "fewer than 5" in wijk_page or "minder dan 5" in wijk_page
    rows = json.loads(client.get("/open-data/themas.json").get_data(as_text=True))["rows"]
    assert rows and all(r["count"] is None or r["count"] >= 5 for r in rows)
    assert "Lang wachten op zorg" in client.get("/open-data/waterwijk.atom").get_data(as_text=True)

    # withdrawing the quoted report: its text is gone everywhere
    with app.app_context():
        from participatie.signals import withdraw

        withdraw(db.session(), db.session().get(Signal, quoted).submission)
        db.session().commit()
    public = _everything_public(client)
    assert SECRET_QUOTE not in public and OTHER_QUOTE in public

    # unpublishing: the theme is nowhere, not in the feed, not in the open data
    login("asd")
    assert client.post(f"/werkruimte/themas/{theme_id}/depubliceren").status_code == 302
    _logout(client)
    public = _everything_public(client)
    for gone in ("Lang wachten op zorg", OTHER_QUOTE, "besproken in het kernteam"):
        assert gone not in public
    assert client.post(f"/ik-heb-dit-ook/{theme_id}", data={"wijk": "waterwijk"}).status_code \
        == 410  # nothing counted, and the page says so
    assert client.post("/ik-heb-dit-ook/99999", data={"wijk": "waterwijk"}).status_code == 404


def test_publish_refuses_quotes_from_elsewhere_and_kernteam(app, client, world, login):
    theme_id, quoted, _other = _theme_with_quotes(app, world)
    login("asd")
    response = client.post(f"/werkruimte/themas/{theme_id}/publiceren", data={
        "title": "Titel", "summary": "Samenvatting", "quote": [str(world.signals["other_wijk"])]})
    assert response.status_code == 400
    login("kernteam")
    assert client.post(f"/werkruimte/themas/{theme_id}/publiceren", data={
        "title": "Titel", "summary": "Samenvatting"}).status_code == 403
    with app.app_context():
        assert db.session().scalar(select(func.count(ThemePublication.id))) == 0


def _published_as_visitor(app, client, world, login) -> int:  # type: ignore[no-untyped-def]
    """Publish the world's quoted theme as the ASD, log out, and return the theme's id."""
    theme_id, _quoted, _other = _theme_with_quotes(app, world)
    login("asd")
    published = client.post(f"/werkruimte/themas/{theme_id}/publiceren", data={
        "title": "Lang wachten", "summary": "Samenvatting.", "public_status": ""})
    assert published.status_code == 302
    _logout(client)
    return theme_id


def test_voice_counts_once_per_browser_and_text_goes_through_intake(app, client, world, login):
    theme_id = _published_as_visitor(app, client, world, login)
    assert client.post(f"/ik-heb-dit-ook/{theme_id}", data={"wijk": ""}).status_code == 400
    first = client.post(f"/ik-heb-dit-ook/{theme_id}", data={
        "wijk": "haven", "terug": "haven", "text": "Ik wacht ook al lang, bel 0612345678."})
    assert first.status_code == 303 and "toegevoegd=1" in first.headers["Location"]
    second = client.post(f"/ik-heb-dit-ook/{theme_id}", data={"wijk": "haven"})
    assert "toegevoegd=0" in second.headers["Location"]
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count(ThemeVoice.id))) == 1
        submission = session.scalar(select(Submission).where(
            Submission.form_id == "ik-heb-dit-ook"))
        assert submission is not None and "0612345678" not in submission.signals[0].text
        assert submission.signals[0].membership.theme_id == theme_id
        assert submission.signals[0].membership.needs_review
    # another browser counts again
    client.delete_cookie("ik_ook")
    client.post(f"/ik-heb-dit-ook/{theme_id}", data={"wijk": "waterwijk"})
    with app.app_context():
        assert db.session().scalar(select(func.count(ThemeVoice.id))) == 2


def test_voice_without_a_wijk_says_so_and_keeps_the_text(app, client, world, login):
    theme_id = _published_as_visitor(app, client, world, login)
    typed = "Ik wacht ook al <drie> maanden & meer."
    for wijk in ("", "bestaat-niet"):
        page = client.post(f"/ik-heb-dit-ook/{theme_id}", data={"wijk": wijk, "text": typed})
        assert page.status_code == 400
        html = page.get_data(as_text=True)
        assert (f'id="wijk-{theme_id}-error"><span class="visually-hidden">Fout: </span>'
                'Kies uw wijk.') in html
        assert "Ik wacht ook al &lt;drie&gt; maanden &amp; meer.</textarea>" in html
    with app.app_context():
        assert db.session().scalar(select(func.count(ThemeVoice.id))) == 0


def test_region_count_never_reveals_a_small_wijk_by_subtraction():
    from collections import Counter

    raw = {"": Counter({"2026-Q1": 12}), "a": Counter({"2026-Q1": 10}),
           "b": Counter({"2026-Q1": 2})}
    out = publication.suppressed_counts(raw, ["2026-Q1"], ["a", "b"])
    assert out["a"].periods == (("2026-Q1", 10),)
    assert out["b"].periods == (("2026-Q1", None),)
    assert out[""].periods == (("2026-Q1", None),) and out[""].total is None
    # a wijk with two quarters, one small: the total does not give it away
    raw = {"": Counter({"2026-Q1": 9, "2026-Q2": 3}), "a": Counter({"2026-Q1": 9, "2026-Q2": 3})}
    out = publication.suppressed_counts(raw, ["2026-Q1", "2026-Q2"], ["a"])
    assert out["a"].periods == (("2026-Q1", 9), ("2026-Q2", None)) and out["a"].total is None


def _events_during(target, name: str, action) -> tuple[object, int]:  # noqa: ANN001
    """Run action() and count the SQLAlchemy events `name` on `target` meanwhile."""
    from sqlalchemy import event

    seen: list[object] = []

    def count(*args) -> None:  # noqa: ANN002
        seen.append(args)

    event.listen(target, name, count)
    try:
        result = action()
    finally:
        event.remove(target, name, count)
    return result, len(seen)


def _commits_during(action) -> tuple[object, int]:  # noqa: ANN001
    """Run action() and count the commits of every session meanwhile."""
    from sqlalchemy.orm import Session

    return _events_during(Session, "after_commit", action)


def test_voice_with_a_text_is_one_transaction(app, client, world, login):
    theme_id = _published_as_visitor(app, client, world, login)
    response, commits = _commits_during(lambda: client.post(f"/ik-heb-dit-ook/{theme_id}", data={
        "wijk": "haven", "terug": "haven", "text": "Ik wacht ook al lang op de huisarts."}))
    assert response.status_code == 303 and "toegevoegd=1" in response.headers["Location"]
    assert commits == 1  # the report and the voice are stored together, or neither is
    with app.app_context():
        session = db.session()
        voice = session.scalar(select(ThemeVoice))
        assert voice.submission_id is not None
        assert session.get(Submission, voice.submission_id).form_id == "ik-heb-dit-ook"


def test_services_flush_and_the_caller_commits(app, world):
    from participatie.seeding import seed
    from participatie.signals import KnelpuntInput, purge_expired_contacts, record_submission
    from participatie.signals import withdraw as withdraw_submission
    from tests.factories.workspace import PLAIN

    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        before = session.scalar(select(func.count(Submission.id)))

        def services() -> None:
            stored = record_submission(session, PLAIN, almere, form_id="knelpunt",
                                       form_version=1, answers={},
                                       knelpunten=[KnelpuntInput("Lang wachten.", ["haven"])])
            assert stored.id is not None  # flushed: it has its id
            withdraw_submission(session, stored)
            purge_expired_contacts(session, 0)
            seed(session)

        _none, commits = _commits_during(services)
        assert commits == 0
        session.rollback()
        assert session.scalar(select(func.count(Submission.id))) == before


def test_the_public_counts_name_quarters_by_their_months(app, client, world, login):
    _published_as_visitor(app, client, world, login)
    html = client.get("/wijk/waterwijk").get_data(as_text=True)
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    periods = [r for r in rows if r != "Totaal"]
    assert periods and all(re.fullmatch(r"[a-z]{3}–[a-z]{3} \d{4}", p) for p in periods), rows
    assert not re.search(r"\d{4}-Q[1-4]", html)


def _statements_during(action) -> tuple[object, int]:  # noqa: ANN001
    """Run action() and count the SQL statements sent meanwhile (by any engine: the tests hold
    connections opened before a listener on one engine would be added)."""
    from sqlalchemy.engine import Engine

    return _events_during(Engine, "before_cursor_execute", action)


def _publish_with_quote_and_agreements(session, world, region, label: str, text: str,
                                       agreed: str, merged_agreed: str) -> None:
    """A theme with one report (quoted), an agreement, and a theme merged into it with its own."""
    from participatie.models import Agreement, User
    from tests.factories.workspace import add_theme

    signal = add_report(session, region, "waterwijk", text)
    theme = add_theme(session, region, f"th-{label}", label, [signal])
    merged = add_theme(session, region, f"th-{label}-old", f"{label} oud", [])
    merged.merged_into_id = theme.id
    for about, what in ((theme, agreed), (merged, merged_agreed)):
        session.add(Agreement(meeting_id=world.meetings["own"], theme_id=about.id, what=what,
                              who="Kernteam"))
    publication.publish(session, session.get(User, world.users["asd"]), theme, title=label,
                        summary="Samenvatting.", public_status="", quote_ids=[signal.id])
    session.commit()


def test_public_pages_ask_the_same_number_of_queries_for_more_themes(app, client, world):
    """Each published theme used to cost its own queries for quotes, agreements (and the themes
    merged into it) and voices; a region with many themes made the busiest page slow."""
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        _publish_with_quote_and_agreements(session, world, almere, "Thema een",
                                           "Eerste knelpunt over de huisarts.", "Afspraak een",
                                           "Oude afspraak een")
    client.set_cookie("ik_ook", "a" * 32)  # a browser that may have added its voice
    urls = ["/regio", "/wijk/waterwijk", f"/status/{world.codes['own']}"]
    before = {url: _statements_during(lambda url=url: client.get(url))[1] for url in urls}
    with app.app_context():
        session = db.session()
        almere = session.scalar(select(Region).where(Region.slug == "almere"))
        for n in ("twee", "drie", "vier"):
            _publish_with_quote_and_agreements(session, world, almere, f"Thema {n}",
                                               f"Knelpunt {n} over de apotheek.", f"Afspraak {n}",
                                               f"Oude afspraak {n}")
    for url in urls:
        response, count = _statements_during(lambda url=url: client.get(url))
        assert response.status_code == 200
        assert count == before[url], (url, before[url], count)
    html = client.get("/wijk/waterwijk").get_data(as_text=True)
    for n in ("een", "twee", "drie", "vier"):
        section = html[html.index(f">Thema {n}</h2>"):]
        section = section[:section.index("</section>")]
        assert f"Afspraak {n}" in section and f"Oude afspraak {n}" in section
        assert "over de" in section  # its quote
    assert html.count("<blockquote>") == 4


def test_hidden_cells_that_must_all_be_4_or_all_be_1_hide_the_total():
    """Two hidden quarters next to a total that leaves 8 for them are 4 and 4: the total goes."""
    from collections import Counter

    periods = ["2026-Q2", "2026-Q3", "2026-Q4"]
    out = publication.suppressed_counts(
        {"": Counter({"2026-Q2": 4, "2026-Q3": 4, "2026-Q4": 6}),
         "a": Counter({"2026-Q2": 4, "2026-Q3": 4, "2026-Q4": 6})}, periods, ["a"])
    assert out["a"].periods == (("2026-Q2", None), ("2026-Q3", None), ("2026-Q4", 6))
    assert out["a"].total is None and out[""].total is None
    five_ones = [f"2025-Q{q}" for q in range(1, 5)] + ["2026-Q1", "2026-Q2"]
    ones = Counter({p: 1 for p in five_ones[:5]} | {"2026-Q2": 9})
    assert publication.suppressed_counts({"": ones, "a": ones}, five_ones, ["a"])["a"].total is None
    # 3 and 4 next to 13: which is which stays unknown, so the total may show
    mixed = Counter({"2026-Q2": 3, "2026-Q3": 4, "2026-Q4": 6})
    assert publication.suppressed_counts({"": mixed, "a": mixed}, periods, ["a"])["a"].total == 13
    # the region: 14 reports in a quarter, two wijken hidden and one of 6 shown: 4 and 4 again
    raw = {"": Counter({"2026-Q4": 14}), "a": Counter({"2026-Q4": 4}),
           "b": Counter({"2026-Q4": 4}), "c": Counter({"2026-Q4": 6})}
    region = publication.suppressed_counts(raw, ["2026-Q4"], ["a", "b", "c"])[""]
    assert region.periods == (("2026-Q4", None),) and region.total is None


def test_voice_for_a_subject_taken_off_meanwhile_gives_the_text_back(app, client, world, login):
    """A resident's page was open while the ASD unpublished the theme: the voice used to end in
    a bare 404, and the text was lost."""
    from participatie.models import User

    theme_id = _published_as_visitor(app, client, world, login)
    page = client.get("/wijk/haven").get_data(as_text=True)
    assert f'action="/ik-heb-dit-ook/{theme_id}' in page
    with app.app_context():
        session = db.session()
        publication.unpublish(session, session.get(User, world.users["asd"]),
                              session.get(Theme, theme_id))
        session.commit()
    typed = "Bij ons is het <precies> zo & erger."
    gone = client.post(f"/ik-heb-dit-ook/{theme_id}", data={"wijk": "haven", "terug": "haven",
                                                            "text": typed})
    assert gone.status_code == 410
    html = gone.get_data(as_text=True)
    assert "We konden uw stem niet tellen" in html
    assert ">Bij ons is het &lt;precies&gt; zo &amp; erger.</textarea>" in html
    assert "<title>Fout:" in html
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count(ThemeVoice.id))) == 0
        assert session.scalar(select(func.count(Submission.id)).where(
            Submission.form_id == "ik-heb-dit-ook")) == 0


def test_voice_for_a_theme_merged_meanwhile_counts_for_the_theme_it_went_to(app, client, world,
                                                                          login):
    from participatie.models import User

    theme_id = _published_as_visitor(app, client, world, login)
    with app.app_context():
        session = db.session()
        asd = session.get(User, world.users["asd"])
        into = session.get(Theme, world.themes["own"])
        publication.publish(session, asd, into, title="Huisarts", summary="Samenvatting.",
                            public_status="", quote_ids=[])
        session.get(Theme, theme_id).merged_into_id = into.id
        session.commit()
    sent = client.post(f"/ik-heb-dit-ook/{theme_id}", data={"wijk": "haven", "terug": "haven"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(
        f"toegevoegd=1#thema-{world.themes['own']}")
    with app.app_context():
        voice = db.session().scalar(select(ThemeVoice))
        assert voice.theme_id == world.themes["own"]
