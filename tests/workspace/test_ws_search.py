"""Search in the workspace: nothing for nonsense, the right reports first, escaped highlighting,
filters and rights, and "Meer zoals dit" on a report page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from participatie import db
from participatie.models import Region, Signal
from tests.factories.workspace import add_report, add_theme

PHONE = "Ik bel elke ochtend de huisartsenpraktijk en hang een half uur in de wacht."
NO_ANSWER = "De assistente van de dokter neemt de telefoon niet op en belt nooit terug."
SCRIPT = "<script>alert('x')</script> De huisarts neemt de telefoon nooit op."
LONELY = "Mijn moeder is eenzaam, er komt nooit bezoek langs."
TAXI = "De regiotaxi kwam twee uur te laat voor de fysiotherapie."
HAVEN_PHONE = "Telefonisch is de huisartsenpraktijk in Haven onbereikbaar, altijd in de wacht."
OLD_PHONE = "Vorig jaar kreeg ik de huisarts telefonisch ook al nooit te pakken."


@pytest.fixture
def reports(app, world) -> dict[str, int]:
    """Add reports about reaching the GP by phone and some about other things."""
    with app.app_context():
        session = db.session()
        almere = session.query(Region).filter_by(slug="almere").one()
        rows = {
            "phone": add_report(session, almere, "waterwijk", PHONE),
            "no_answer": add_report(session, almere, "waterwijk", NO_ANSWER),
            "script": add_report(session, almere, "waterwijk", SCRIPT),
            "lonely": add_report(session, almere, "waterwijk", LONELY),
            "taxi": add_report(session, almere, "waterwijk", TAXI),
            "haven_phone": add_report(session, almere, "haven", HAVEN_PHONE),
            "old_phone": add_report(session, almere, "waterwijk", OLD_PHONE, days_ago=200),
        }
        for name, severity in (("phone", 4), ("no_answer", 2), ("script", 5), ("haven_phone", 4)):
            rows[name].severity = severity
        theme = add_theme(session, almere, "th-phone", "Telefoon huisarts",
                          [rows["phone"], rows["script"]])
        session.commit()
        ids = {name: signal.id for name, signal in rows.items()}
        ids["theme"] = theme.id
        return ids


def _results(html: str) -> list[int]:
    """Return the report ids listed as results, in order."""
    listed = html.split('class="members search-results"', 1)
    return [int(i) for i in re.findall(r'href="/werkruimte/meldingen/(\d+)"', listed[1])
            ] if len(listed) > 1 else []


def test_search_nonsense_says_nothing_matched(login, reports):
    for query in ("xyzzy qqq", "zzkrt vlopmand brufs"):
        html = login("asd").get(f"/werkruimte/zoeken?q={query}").get_data(as_text=True)
        assert "Er is niets gevonden" in html and _results(html) == []
    html = login("asd").get("/werkruimte/zoeken?q=xyzzy&lang=en").get_data(as_text=True)
    assert "Nothing matched your search" in html


def test_search_finds_resident_words_above_unrelated_reports(login, reports, world):
    html = login("asd").get(
        "/werkruimte/zoeken?q=ik krijg de dokter niet aan de telefoon").get_data(as_text=True)
    found = _results(html)
    reaching_the_gp = {reports[n] for n in ("phone", "no_answer", "script", "haven_phone",
                                            "old_phone")} | {world.signals["own"]}
    unrelated = {reports["lonely"], reports["taxi"], world.signals["other_wijk"],
                 world.signals["mixed"], world.signals["own2"]}
    assert len(found) >= 5 and set(found[:5]) <= reaching_the_gp
    first_unrelated = min((found.index(i) for i in unrelated if i in found), default=99)
    assert all(found.index(i) < first_unrelated for i in reaching_the_gp & set(found))
    assert "<mark>telefoon</mark>" in html and "overeenkomst" in html


def test_search_highlighting_is_escaped(login, reports):
    html = login("asd").get("/werkruimte/zoeken?q=huisarts telefoon").get_data(as_text=True)
    assert reports["script"] in _results(html)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; De <mark>huisarts</mark>" in html
    assert "<script>alert" not in html
    page = login("asd").get(f"/werkruimte/meldingen/{reports['phone']}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page  # in "Meer zoals dit"


def test_search_filters_by_wijk_period_theme_and_severity(login, reports, world):
    base = "/werkruimte/zoeken?q=huisarts telefoon wacht"
    everything = set(_results(login("asd").get(base).get_data(as_text=True)))
    assert {reports["phone"], reports["haven_phone"], reports["old_phone"]} <= everything
    haven = _results(login("asd").get(base + "&wijk=haven").get_data(as_text=True))
    assert haven == [reports["haven_phone"]]
    recent = set(_results(login("asd").get(base + "&periode=30").get_data(as_text=True)))
    assert reports["old_phone"] not in recent and reports["phone"] in recent
    serious = set(_results(login("asd").get(base + "&ernst=4").get_data(as_text=True)))
    assert serious == {reports["phone"], reports["script"], reports["haven_phone"]}
    themed = set(_results(login("asd").get(
        base + f"&thema={reports['theme']}").get_data(as_text=True)))
    assert themed == {reports["phone"], reports["script"]}
    assert login("asd").get(base + "&ernst=9").status_code == 200  # unknown: no filter


def test_kernteam_never_sees_another_wijk_in_search_or_more_like_this(login, reports, world):
    kern = login("kernteam")
    html = kern.get("/werkruimte/zoeken?q=huisartsenpraktijk telefonisch wacht").get_data(
        as_text=True)
    assert reports["phone"] in _results(html)
    assert reports["haven_phone"] not in _results(html) and "onbereikbaar" not in html
    assert kern.get("/werkruimte/zoeken?q=huisarts&wijk=haven").status_code == 403
    own_page = kern.get(f"/werkruimte/meldingen/{reports['phone']}").get_data(as_text=True)
    assert "Meer zoals dit" in own_page and "onbereikbaar" not in own_page
    assert reports["haven_phone"] not in _results(own_page)
    asd_page = login("asd").get(f"/werkruimte/meldingen/{reports['phone']}").get_data(
        as_text=True)
    assert reports["haven_phone"] in _results(asd_page)  # the ASD does see it


def test_more_like_this_lists_the_nearest_reports(login, reports, world):
    page = login("asd").get(
        f"/werkruimte/meldingen/{reports['no_answer']}?lang=en").get_data(as_text=True)
    assert "More like this" in page
    similar = _results(page)
    assert similar and reports["no_answer"] not in similar
    about_phone = {reports[n] for n in ("phone", "script", "haven_phone", "old_phone")}
    assert set(similar[:3]) <= about_phone | {world.signals["own"]}
    assert reports["lonely"] not in similar[:3] and reports["taxi"] not in similar[:3]
    with login("asd").application.app_context():
        withdrawn = db.session().get(Signal, reports["taxi"])
        withdrawn.status, withdrawn.text = "withdrawn", ""
        db.session().commit()
    page = login("asd").get(f"/werkruimte/meldingen/{reports['taxi']}?lang=nl").get_data(
        as_text=True)
    assert "Geen vergelijkbare meldingen gevonden" in page


def test_search_filters_come_from_the_one_filter_macro(login, world):
    spare = world.themes["spare"]
    html = login("asd").get(f"/werkruimte/zoeken?q=huisarts&wijk=waterwijk&periode=90"
                            f"&thema={spare}&ernst=4").get_data(as_text=True)
    form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    for select in ("f-wijk", "f-periode", "f-thema", "f-ernst"):
        assert form.count(f'id="{select}"') == 1
    assert 'id="f-discipline"' not in form and 'id="q"' in form  # only what search filters on
    assert '<option value="waterwijk" selected>' in form and '<option value="90" selected>' in form
    assert f'<option value="{spare}" selected>' in form and '<option value="4" selected>' in form
    source = (Path(__file__).resolve().parents[2]
              / "participatie/templates/workspace/search.html").read_text(encoding="utf-8")
    assert "<select" not in source  # the selects are the macro's, not copies
