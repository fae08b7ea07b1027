"""Free-text survey answers grouped into themes by a job, shown per wijk, small groups hidden."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from sqlalchemy import select

from participatie import db, survey_themes
from participatie.jobs import jobs
from participatie.models import Region, Submission, SurveyGrouping, User, Wijk, utcnow
from participatie.signals import withdraw
from participatie.survey_results import quarter_of
from tests.factories.workspace import log_in_as, page_text

FORM = "peiling-huisarts"
NUMBERS = itertools.count()
PHONE = [
    "De praktijk neemt de telefoon niet op, ik bel soms een uur.",
    "Ik bel de praktijk en sta aan de telefoon altijd in de wacht.",
    "Bellen duurt veel te lang, de telefoon wordt niet opgenomen.",
    "Ik hang elke ochtend lang aan de telefoon voordat ik iemand spreek.",
    "De telefoonlijn is steeds bezet als ik de praktijk bel.",
    "Graag een terugbelservice, ik kom telefonisch niet door.",
    "Ik bel en bel maar de telefoon wordt nooit opgenomen.",
]
PARKING = [
    "Er is geen parkeerplek bij de praktijk, ik moet ver lopen.",
    "Parkeren bij het gezondheidscentrum is bijna onmogelijk.",
    "De parkeerplaats bij de huisarts is altijd vol.",
    "Te weinig parkeerplaatsen voor de deur van de praktijk.",
    "Ik kan mijn auto nergens parkeren als ik naar de dokter ga.",
    "Parkeren kost geld en er is nooit plek bij de huisarts.",
]
HAVEN = [
    "De telefoon gaat over maar niemand neemt op.",
    "Ik bel tien keer voordat ik iemand aan de telefoon krijg.",
]
APP = [
    "De app van de praktijk werkt niet, inloggen lukt nooit.",
    "Herhaalrecepten aanvragen via de app gaat steeds mis.",
    "Inloggen in de app met DigiD werkt niet goed.",
    "In de app kan ik geen afspraak maken, hij loopt vast.",
]


def _answer(session, region: Region, wijk: str, tip: str) -> int:
    submission = Submission(
        reference=f"T{next(NUMBERS):07d}", region_id=region.id, form_id=FORM, form_version=1,
        answers={"wijk": wijk, "telefoon": "2", "afspraak": "3", "hoe": ["telefoon"],
                 "ingeschreven": "yes", "tip": tip}, created_at=utcnow())
    session.add(submission)
    session.flush()
    return submission.id


@pytest.fixture
def answers(app, world) -> dict[str, list[int]]:
    """17 answers in Waterwijk about phoning, parking and the app; 2 in Haven."""
    with app.app_context():
        session = db.session()
        region = session.scalar(select(Region).where(Region.slug == "almere"))
        ids = {topic: [_answer(session, region, "waterwijk", t) for t in texts]
               for topic, texts in (("phone", PHONE), ("parking", PARKING), ("app", APP))}
        ids["haven"] = [_answer(session, region, "haven", t) for t in HAVEN]
        session.commit()
        ids["region"] = [region.id]
        return ids


def _group_all(app, region_id: int) -> None:
    jobs(app).survey_themes(region_id)
    assert jobs(app).run_pending() >= 1   # with the training jobs the test world queued


def _url(wijk: str = "waterwijk", path: str = "") -> str:
    return (f"/werkruimte/peilingen{path}?peiling={FORM}&periode={quarter_of(utcnow().date())}"
            f"&wijk={wijk}")


def _groups_section(html: str) -> str:
    return html[html.index('id="open-answers"'):]


def _rows(html: str) -> dict[str, str]:
    """Return each group's label and its count from the page's groups table."""
    found = {}
    for part in _groups_section(html).split('<tr><th scope="row">')[1:]:
        label = part.split("</th>", 1)[0]
        found[label] = part.split('<td class="num">', 1)[1].split("</td>", 1)[0]
    return found


def _stored(app) -> SurveyGrouping:
    with app.app_context():
        row = db.session().scalar(select(SurveyGrouping).where(
            SurveyGrouping.question_id == "tip"))
        db.session().expunge(row)
        return row


def test_the_job_groups_answers_by_topic_and_the_page_shows_them(app, client, world, answers):
    log_in_as(client, world.users["asd"])
    before = page_text(client.get(_url()))
    assert "have not been put into groups yet" in before or "nog niet in groepen" in before
    _group_all(app, answers["region"][0])
    stored = _stored(app)
    members = [{sid for sid, _wijk in g["members"]} for g in stored.groups]
    # each topic is one group, and no group mixes topics
    for topic in ("phone", "parking", "app"):
        wanted = set(answers[topic])
        best = max(members, key=lambda m: len(m & wanted))
        assert len(best & wanted) >= len(wanted) - 1, (topic, stored.groups)
        assert not best - wanted - set(answers["haven"]), (topic, stored.groups)
    html = page_text(client.get(_url()))
    rows = _rows(html)
    by_topic = {}
    for group in stored.groups:
        ids = {sid for sid, _wijk in group["members"]}
        topic = next(t for t in ("phone", "parking", "app") if ids & set(answers[t]))
        by_topic[topic] = group["label"]
    # 7 about phoning in Waterwijk (the 2 from Haven do not count here)
    assert rows[by_topic["phone"]] == "7"
    # 4 about the app: fewer than 5; so the next smallest (parking, 6) is hidden too, or the
    # 17 answers minus 7 would give the app's 4 away
    assert rows[by_topic["app"]] == "minder dan 5"
    assert rows[by_topic["parking"]] == "minder dan 5"
    assert "bijgewerkt op" in html
    # the answers themselves are never shown, only the groups
    assert not any(text in html for text in PHONE + PARKING + APP)
    # the region: the 2 from Haven are in no wijk that shows groups (Haven has too few), so
    # the region's phoning count (9) minus the shown wijken (7) would reveal 2: hidden
    region = _rows(page_text(client.get(_url(wijk=""))))
    assert region[by_topic["phone"]] == "minder dan 5"
    haven = page_text(client.get(_url(wijk="haven")))
    assert "minder dan 5 mensen antwoord" in haven
    assert by_topic["phone"] not in _groups_section(haven)


def test_a_withdrawn_answer_stops_counting_and_leaves_the_grouping(app, client, world, answers):
    _group_all(app, answers["region"][0])
    gone = answers["phone"][0]
    with app.app_context():
        withdraw(db.session(), db.session().get(Submission, gone))
        db.session().commit()  # a service flushes; the view commits
    log_in_as(client, world.users["asd"])
    label = next(g["label"] for g in _stored(app).groups
                 if gone in {sid for sid, _wijk in g["members"]})
    html = page_text(client.get(_url()))   # at once, before the next computation
    assert "Antwoorden: <strong>16</strong>" in html
    assert _rows(html)[label] != "7"
    # the withdrawal queued a new grouping (the labels may hold the withdrawn words)
    assert [t.name for t in jobs(app).huey.pending()].count("participatie.survey_themes") == 1
    jobs(app).run_pending()
    stored = _stored(app)
    assert gone not in {sid for g in stored.groups for sid, _wijk in g["members"]}
    assert gone not in {sid for sid, _wijk in stored.ungrouped}


def test_a_kernteam_sees_its_own_wijk_only(app, client, world, answers):
    _group_all(app, answers["region"][0])
    labels = [g["label"] for g in _stored(app).groups]
    with app.app_context():
        session = db.session()
        haven = session.scalar(select(Wijk).where(Wijk.slug == "haven"))
        other = User(region_id=haven.region_id, email="kernteam.haven@test.nl",
                     name="Kernteam Haven", role="kernteam", wijken=[haven])
        session.add(other)
        session.commit()
        other_id = other.id
    log_in_as(client, world.users["kernteam"])   # Waterwijk
    own = _rows(page_text(client.get(_url())))
    assert all(label in own for label in labels)
    assert client.get(_url(wijk="")).status_code == 403   # not the region
    assert client.get(_url(wijk="haven")).status_code == 403
    log_in_as(client, other_id)
    for wijk in ("waterwijk", ""):
        for path in ("", "/groepen.csv", "/uitslag.csv"):
            response = client.get(_url(wijk=wijk, path=path))
            assert response.status_code == 403
            assert not any(label in response.get_data(as_text=True) for label in labels)
    assert client.post(_url(path="/groeperen")).status_code == 403


def test_the_groups_csv_hides_small_groups_and_quotes_formulas(app, client, world, answers):
    with app.app_context():
        session = db.session()
        region = session.get(Region, answers["region"][0])
        phone = [[sid, "waterwijk"] for sid in answers["phone"]]
        parking = [[sid, "waterwijk"] for sid in answers["parking"]]
        app_ = [[sid, "waterwijk"] for sid in answers["app"]]
        session.add(SurveyGrouping(
            region_id=region.id, form_id=FORM, question_id="tip",
            period=quarter_of(utcnow().date()), ungrouped=[],
            groups=[{"label": "=HYPERLINK(\"x\")", "keywords": ["bellen"], "members": phone},
                    {"label": "Parkeren", "keywords": ["auto", "plek"], "members": parking},
                    {"label": "App", "keywords": ["-inloggen"], "members": app_}]))
        session.commit()
    log_in_as(client, world.users["meelezer"])
    body = client.get(_url(path="/groepen.csv")).get_data(as_text=True).lstrip("\ufeff")
    rows = {r["thema"]: r for r in csv.DictReader(io.StringIO(body), delimiter=";")}
    assert rows["'=HYPERLINK(\"x\")"]["aantal"] == "7"
    assert rows["'=HYPERLINK(\"x\")"]["onderdrukt"] == "nee"
    assert (rows["App"]["aantal"], rows["App"]["onderdrukt"]) == ("<5", "ja")
    assert rows["App"]["trefwoorden"] == "'-inloggen"
    assert rows["Parkeren"]["aantal"] == "<5"   # hidden too: 17 - 7 would give the 4 away
    assert rows["(niet in een groep)"]["aantal"] == "0"


def test_the_button_queues_the_job_and_the_page_never_groups(app, client, world, answers):
    queued = jobs(app).huey.pending_count()   # the test world's training jobs
    log_in_as(client, world.users["meelezer"])
    assert client.post(_url(path="/groeperen")).status_code == 403
    assert jobs(app).huey.pending_count() == queued
    log_in_as(client, world.users["asd"])
    page_text(client.get(_url()))
    with app.app_context():
        assert db.session().scalar(select(SurveyGrouping.id)) is None   # not on page load
    response = client.post(_url(path="/groeperen"))
    assert response.status_code == 302 and "wijk=waterwijk" in response.location
    assert jobs(app).huey.pending_count() == queued + 1
    jobs(app).run_pending()
    assert _stored(app).groups
    # the nightly run keeps a grouping whose answers did not change; the button makes it again
    with app.app_context():
        row = db.session().scalar(select(SurveyGrouping).where(
            SurveyGrouping.question_id == "tip"))
        row.groups = [{**row.groups[0], "label": "Oude naam"}, *row.groups[1:]]
        db.session().commit()
    _group_all(app, answers["region"][0])
    assert _stored(app).groups[0]["label"] == "Oude naam"
    client.post(_url(path="/groeperen"))
    jobs(app).run_pending()
    assert "Oude naam" not in [g["label"] for g in _stored(app).groups]


def _tip(questions):
    return next(q for q in questions if q.question_id == "tip")


def test_rules_hold_for_every_wijk_and_the_region(app, world, answers):
    """No shown count from 1 to 4, and no region count that a wijk's hidden count explains."""
    with app.app_context():
        session = db.session()
        region = session.get(Region, answers["region"][0])
        form = app.extensions["questionnaires"][FORM]
        period = quarter_of(utcnow().date())
        session.add(SurveyGrouping(
            region_id=region.id, form_id=FORM, question_id="tip", period=period,
            groups=[{"label": "A", "keywords": [], "members":
                     [[s, "waterwijk"] for s in answers["phone"]]
                     + [[s, "haven"] for s in answers["haven"]]},
                    {"label": "B", "keywords": [], "members":
                     [[s, "waterwijk"] for s in answers["parking"]]}],
            ungrouped=[[s, ""] for s in answers["app"][:1]]))
        session.commit()
        for wijk in (None, "waterwijk", "haven"):
            for question in survey_themes.grouped(session, region, form, period, wijk):
                counts = [g.count for g in question.groups] + [question.ungrouped,
                                                                question.answers]
                assert not any(c is not None and 0 < c < 5 for c in counts), (wijk, counts)
        waterwijk = _tip(survey_themes.grouped(session, region, form, period, "waterwijk"))
        assert [(g.label, g.count) for g in waterwijk.groups] == [("A", 7), ("B", 6)]
        assert waterwijk.answers == 13 and waterwijk.ungrouped == 0
        whole = _tip(survey_themes.grouped(session, region, form, period))
        # the one answer without a wijk is hidden, so B (the smallest) is hidden with it; A: 9 in
        # the region minus 7 shown in Waterwijk would give Haven's 2 away
        assert {g.label: g.count for g in whole.groups} == {"A": None, "B": None}
        assert whole.answers is None   # 16 - 13 shown in Waterwijk = 3


def test_the_demo_groups_its_open_answers_in_at_least_two_groups(app, client):
    from test_ws_demo_dossier import TODAY, _demo_world

    from participatie.demo import load_demo_dossier
    from participatie.jobs import group_survey_answers

    with app.test_request_context():
        session = db.session()
        region = _demo_world(session)
        dossier = load_demo_dossier(session, region, today=TODAY)
        session.commit()
        assert group_survey_answers(region.id)["answers"] >= 30
        form = app.extensions["questionnaires"][FORM]
        slugs = [w.slug for w in region.wijken]
        for period in (dossier.before_period, dossier.after_period):
            for slug in [None, *slugs]:   # every filter there is: no count from 1 to 4
                for question in survey_themes.grouped(session, region, form, period, slug):
                    counts = [g.count for g in question.groups] + [question.ungrouped,
                                                                    question.answers]
                    assert not any(c is not None and 0 < c < 5 for c in counts), (slug, counts)
        asd = session.scalar(select(User.id).where(User.role == "asd"))
        period = dossier.after_period
    log_in_as(client, asd)
    html = page_text(client.get(f"/werkruimte/peilingen?peiling={FORM}&periode={period}"
                                "&wijk=waterwijk"))
    shown = {label: n for label, n in _rows(html).items() if label != "Niet in een groep"}
    assert len(shown) >= 2 and sum(n.isdigit() for n in shown.values()) >= 2, shown
