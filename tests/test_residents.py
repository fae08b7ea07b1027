"""The resident side keeps its promises: urgent help, who reads, texts from the definition."""

import datetime as dt
import re
import shutil
import textwrap

import pytest
from sqlalchemy import select

from participatie import db, filling
from participatie.i18n import format_when
from participatie.models import Wijk
from participatie.questionnaires import load_all, load_file
from participatie.seeding import SEED_DIR, load_care, load_help, seed
from participatie.yamlfile import DefinitionError
from tests.conftest import make_app
from tests.formfill import CODES, Filler, fill_knelpunt, submit, submit_page


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- urgent help ---------------------------------------------------------------------------

def test_residents_urgent_help_on_home_severity_step_and_confirmation(client):
    home = client.get("/").get_data(as_text=True)
    assert "Is het dringend?" in home and 'href="tel:112"' in home
    assert "Is iemand in levensgevaar? Bel direct" in _text(home)
    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    assert "Is het dringend?" not in filler.html  # only where it matters
    filler.send(wat="De huisarts neemt al weken de telefoon niet op in Haven.")
    filler.send(zorg="huisarts")
    assert filler.heading() == "Hoe vaak en hoe erg"
    assert "Is het dringend?" in filler.html and 'href="tel:112"' in filler.html
    assert "'s Avonds, 's nachts en in het weekend" in filler.html.replace("&#39;", "'")
    confirmation = submit_page(fill_knelpunt(client, contact=False))
    code = CODES.findall(confirmation)[0]
    assert code in confirmation and "Is het dringend?" in confirmation


def test_residents_urgent_numbers_come_from_the_regions_seed_data(tmp_path, database_url):
    for name in ("disciplines.yaml", "care.yaml"):
        shutil.copy(SEED_DIR / name, tmp_path / name)
    (tmp_path / "regions.yaml").write_text(textwrap.dedent("""\
        - slug: almere
          name: Almere
          help:
            huisartsenpost: {name: HAP Testregio, phone: "0900 123 45 67"}
            helpdesk:
              name: Het Loket
              phone: "036 999 88 77"
              hours: {nl: "op werkdagen", en: "on weekdays"}
          stadsdelen: []
        """))
    app = make_app(database_url, SEED_DIR=str(tmp_path))
    page = app.test_client().get("/").get_data(as_text=True)
    assert 'href="tel:09001234567"' in page and "HAP Testregio" in page
    assert 'href="tel:112"' in page  # 112 when the region says nothing else
    help_page = app.test_client().get("/hulp").get_data(as_text=True)
    assert "Het Loket" in help_page and 'href="tel:0369998877"' in help_page
    assert "op werkdagen" in help_page
    with app.app_context():
        db.engine().dispose()


def test_residents_without_a_huisartsenpost_number_send_people_to_their_own_gp():
    almere = load_help("almere")
    assert almere.emergency == "112" and almere.huisartsenpost_phone is None
    assert load_help("elders").emergency == "112"


def test_residents_no_phone_number_is_written_in_a_template(project_root):
    for path in (project_root / "participatie" / "templates" / "public").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b112\b|\b0[0-9]{2,3}[ -]?[0-9]{3}", text), path


# --- who reads the reports -------------------------------------------------------------------

def test_residents_home_says_per_wijk_who_reads_and_links_to_the_form(client, session):
    page = client.get("/").get_data(as_text=True).replace("\u00ad", "")
    wijken = session.scalars(select(Wijk)).all()
    for wijk in wijken:
        link = f'href="/formulier/knelpunt?wijk={wijk.slug}">{wijk.name}</a>'
        assert link in page, wijk.slug
        reader = (f"gelezen door het zorgteam van {wijk.name}" if wijk.active
                  else "gelezen door de Adviesraad Sociaal Domein")
        after = page.split(link, 1)[1].split("</li>", 1)[0]
        assert reader in after, wijk.slug
    assert "Elke wijk heeft" not in page and "kernteam" in page


def test_residents_privacy_sentence_says_who_may_see_contact_details(client):
    filler = fill_knelpunt(client)
    text = _text(filler.html)
    assert "Alleen de mensen die de meldingen uit uw wijk behandelen, mogen ze zien" in text
    assert "Alleen de persoon die contact met u opneemt" not in text


# --- texts that follow from the definition --------------------------------------------------

@pytest.mark.parametrize("form_id", ["knelpunt", "clientenraad", "peiling-huisarts"])
def test_residents_first_page_counts_questions_and_steps_from_the_definition(client, form_id,
                                                                           project_root):
    definition = load_file(project_root / "forms" / f"{form_id}.yaml")
    questions = [q for page in definition.pages for q in page.questions]
    always = [q for q in questions if q.show_if is None]
    html = _text(client.get(f"/formulier/{form_id}").get_data(as_text=True))
    if len(always) == len(questions):
        assert f"Er zijn {len(questions)} vragen." in html
    else:
        extra = len(questions) - len(always)
        assert f"Er zijn {len(always)} vragen. Door uw antwoorden komt er soms {extra} vraag bij." \
            in html if extra == 1 else f"komen er soms tot {extra} vragen bij" in html
    pages = len(definition.pages)
    if pages > 1:
        assert f"Stap 1 van {pages}" in html and f"Ze staan op {pages} pagina's." in html
    else:
        assert "Stap 1 van" not in html
    assert not re.search(r"\b(vijf|five)\b", html, re.I)


def test_residents_survey_never_promises_to_follow_a_report_or_delete_contact(client, session):
    filler = Filler(client, "peiling-huisarts")
    filler.send(telefoon="2", afspraak="3", hoe="telefoon", ingeschreven="yes")
    done_html = submit_page(filler)
    code = CODES.findall(done_html)[0]
    done = _text(done_html)
    assert "melding te volgen" not in done and "uw antwoorden intrekken" in done
    status = _text(client.get(f"/status/{code}").get_data(as_text=True))
    assert "contactgegevens" not in status and "Uw antwoorden" in status
    withdraw = _text(client.get(f"/status/{code}/intrekken").get_data(as_text=True))
    assert "contactgegevens" not in withdraw


def test_residents_survey_error_summary_names_each_question(client):
    filler = Filler(client, "peiling-huisarts")
    filler.send()
    errors = filler.errors()
    assert len(errors) == len(set(errors)) >= 4
    assert "Kies een antwoord." not in errors


def _write(tmp_path, body):
    path = tmp_path / "x.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


BASE = """\
    schema: 1
    id: x
    version: 1
    kind: survey
    title: {nl: X, en: X}
    intro: {nl: "INTRO_NL", en: Intro}
    pages:
      - id: p
        title: {nl: "TITLE", en: Page}
        questions:
          - {id: a, type: yes_no, label: {nl: "Vraag A", en: A}, error: {nl: "ERR_A", en: "Err A"}}
          - {id: b, type: yes_no, label: {nl: "Vraag B", en: B}, error: {nl: "ERR_B", en: "Err B"}}
    """


@pytest.mark.parametrize("change, problem", [
    (("INTRO_NL", "Vijf korte vragen over uw huisarts."), "do not count the questions"),
    (("INTRO_NL", "Het zijn 3 vragen."), "do not count the questions"),
    (("TITLE", "Vraag A"), "the page title repeats the label"),
    (("ERR_B", "ERR_A"), "same error text as 'a'"),
])
def test_residents_definitions_that_would_mislead_are_refused(tmp_path, change, problem):
    assert load_file(_write(tmp_path, BASE)).question_count() == (2, 2)
    with pytest.raises(DefinitionError) as error:
        load_file(_write(tmp_path, BASE.replace(*change)))
    assert problem in str(error.value)


def test_residents_every_form_in_forms_passes_the_text_checks(project_root):
    forms = load_all(project_root / "forms")
    assert forms["peiling-huisarts"].question_count() == (6, 7)
    assert not forms["peiling-huisarts"].asks_contact()
    assert forms["knelpunt"].severity_page() == "ernst"


def test_residents_free_text_and_care_list_are_on_separate_pages(project_root):
    knelpunt = load_all(project_root / "forms")["knelpunt"]
    for page in knelpunt.pages:
        types = {q.type for q in page.questions}
        assert not ({"long_text", "disciplines"} <= types), page.id


# --- postcodes and the residents' words ---------------------------------------------------------

def test_residents_every_wijk_of_the_seeded_region_has_postcodes(session):
    wijken = session.scalars(select(Wijk)).all()
    assert wijken and all(w.postcodes for w in wijken), [w.slug for w in wijken if not w.postcodes]
    assert all(re.fullmatch(r"1[0-9]{3}", p) for w in wijken for p in w.postcodes)
    by_code: dict[str, list[str]] = {}
    for wijk in wijken:
        for code in wijk.postcodes:
            by_code.setdefault(code, []).append(wijk.slug)
    assert by_code["1317"] == ["waterwijk"]


def test_residents_seeding_updates_postcodes_of_existing_wijken(session):
    haven = session.scalar(select(Wijk).where(Wijk.slug == "haven"))
    haven.postcodes = []
    session.commit()
    seed(session)
    assert "1354" in haven.postcodes


def test_residents_care_words_map_to_known_disciplines(tmp_path):
    words = load_care()
    codes = [w.code for w in words]
    assert {"thuiszorg", "ziekenhuis", "huisartsenpost", "ggz", "gemeente"} <= set(codes)
    assert next(w for w in words if w.code == "thuiszorg").disciplines == ("wijkverpleging",)
    for name in ("regions.yaml", "disciplines.yaml"):
        shutil.copy(SEED_DIR / name, tmp_path / name)
    (tmp_path / "care.yaml").write_text("- {code: x, nl: X, en: X, disciplines: [bestaat_niet]}\n")
    with pytest.raises(DefinitionError) as error:
        load_care(tmp_path)
    assert "care.yaml, line 1" in str(error.value) and "bestaat_niet" in str(error.value)


# --- dates, pages, icons ----------------------------------------------------------------------

def test_residents_dates_read_as_people_say_them(app):
    moment = dt.datetime(2026, 11, 29, 13, 5, 42, tzinfo=dt.UTC)
    with app.test_request_context("/?lang=nl"):
        assert format_when(moment, "long") == "29 november 2026 om 14:05"
    with app.test_request_context("/?lang=en"):
        assert format_when(moment, "long") == "29 November 2026 at 14:05"


def test_workspace_times_show_minutes_and_only_the_audit_log_seconds(app):
    moment = dt.datetime(2026, 11, 29, 13, 5, 42, tzinfo=dt.UTC)
    with app.test_request_context("/?lang=nl"):
        assert format_when(moment, "medium") == "29 nov 2026, 14:05"
        assert format_when(moment, "exact") == "29 nov 2026, 14:05:42"
    with app.test_request_context("/?lang=en"):
        assert format_when(moment, "medium") == "Nov 29, 2026, 2:05\u202fPM"


@pytest.mark.parametrize("path, nl, en", [
    ("/privacy", "Privacyverklaring", "Privacy statement"),
    ("/toegankelijkheid", "Toegankelijkheidsverklaring", "Accessibility statement"),
    ("/hulp", "Hulp via de telefoon", "Help by phone"),
])
def test_residents_statement_pages_in_both_languages(client, path, nl, en):
    dutch = client.get(path + "?lang=nl").get_data(as_text=True).replace("\u00ad", "")
    assert f"<h1>{nl}</h1>" in dutch
    english = client.get(path + "?lang=en").get_data(as_text=True).replace("\u00ad", "")
    assert f"<h1>{en}</h1>" in english
    assert f'href="{path}"' in client.get("/").get_data(as_text=True)


def test_residents_privacy_statement_says_what_how_long_who_and_deletion(client, app):
    page = _text(client.get("/privacy").get_data(as_text=True))
    days = app.config["CONTACT_RETENTION_DAYS"]
    for needle in ("Wat we bewaren", "Hoe lang we het bewaren", "Wie het ziet",
                   "Gegevens laten verwijderen", f"na hoogstens {days} dagen", "Autoriteit"):
        assert needle in page


def test_residents_icons_and_manifest(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.data[:4] == b"\0\0\1\0"
    with client.get("/apple-touch-icon.png") as touch:
        assert touch.status_code == 200 and touch.data[:8] == b"\x89PNG\r\n\x1a\n"
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    body = manifest.get_json()
    assert body["start_url"] == "/" and body["display"] == "standalone"
    sizes = {i["sizes"] for i in body["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon_entry in body["icons"]:
        with client.get(icon_entry["src"]) as response:
            assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", "/status", "/privacy", "/toegankelijkheid", "/hulp",
                                  "/formulier/knelpunt", "/formulier/peiling-huisarts"])
def test_residents_every_page_has_a_meta_description_in_both_languages(client, path):
    found = {}
    for lang in ("nl", "en"):
        html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        match = re.search(r'<meta name="description" content="([^"]{30,160})">', html)
        assert match, (path, lang)
        found[lang] = match.group(1)
    assert found["nl"] != found["en"]


def test_residents_context_offers_postcodes_for_every_wijk(app):
    with app.test_request_context("/"):
        from participatie.regions import current_region
        ctx = filling.context(current_region(), "nl")
    assert "1317" in ctx.postcodes and "1361" in ctx.postcodes


def test_residents_long_words_get_soft_hyphens_at_hyphenation_points(app):
    from participatie.i18n import hyphenate

    with app.test_request_context("/?lang=nl"):
        done = hyphenate("Fysiotherapeut of oefentherapeut")
        assert done.replace("\u00ad", "") == "Fysiotherapeut of oefentherapeut"
        assert "the\u00adra\u00adpeut" in done and "fysiot\u00ad" not in done.lower()
        assert hyphenate("Waterwijk") == "Waterwijk"  # short enough to fit on a line
        assert hyphenate("Stripheldenbuurt").replace("\u00ad", "") == "Stripheldenbuurt"
        assert "\u00ad" in hyphenate("Stripheldenbuurt")



# --- phase 2: links per wijk, readers, shared postcodes, care words, save and continue ---------

def test_residents_wijk_link_starts_the_form_with_that_wijk(client):
    page = client.get("/formulier/knelpunt?wijk=stripheldenbuurt").get_data(as_text=True)
    assert 'value="stripheldenbuurt" selected' in page
    assert "selected" not in client.get("/formulier/knelpunt?wijk=bestaat-niet").get_data(
        as_text=True).split('id="wijk"', 1)[1].split("</select>", 1)[0]
    several = client.get("/formulier/clientenraad?wijk=haven").get_data(as_text=True)
    assert several.count(" checked") == 0  # its wijk question is not on the first page


@pytest.mark.parametrize("wijk, reader", [
    ("haven", "Het zorgteam van Haven leest uw melding"),
    ("poort", "Uw melding over Poort leest de Adviesraad Sociaal Domein"),
])
def test_residents_confirmation_says_who_reads_this_report(client, wijk, reader):
    filler = Filler(client, "knelpunt")
    filler.send(wijk=wijk)
    filler.send(wat="De apotheek heeft al weken mijn medicijnen niet op voorraad.")
    filler.send(zorg="apotheek")
    filler.send(hoe_vaak="vaak", hoe_erg="3")
    filler.send(wie="inwoner")
    filler.send(contact__consent="no")
    page = _text(submit_page(filler))
    assert reader in page


def test_residents_a_postcode_in_two_wijken_asks_which(client):
    filler = Filler(client, "knelpunt")
    filler.send("postcode-wijk", wijk_postcode="1326 AB")
    assert "Postcode 1326AB kan in Danswijk of in Parkwijk liggen" in filler.html
    assert " selected" not in filler.html.split('id="wijk"', 1)[1].split("</select>", 1)[0]
    filler.send("postcode-wijk", wijk_postcode="1317 AB")
    assert "Postcode 1317AB hoort bij Waterwijk" in filler.html


def test_residents_care_is_asked_in_residents_words_and_stored_as_disciplines(client, session):
    from participatie.models import Submission

    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    filler.send(wat="De thuiszorg komt steeds op een ander tijdstip en belt niet af.")
    for words in ("Thuiszorg of wijkverpleging", "Ziekenhuis", "Huisartsenpost",
                  "Hulp bij psychische problemen (ggz of jeugd-ggz)"):
        assert words in filler.html.replace("\u00ad", "")
    for jargon in ("Burgervertegenwoordiging", "Arts verstandelijk gehandicapten", "Optometrie"):
        assert jargon not in filler.html
    filler.send(zorg=["thuiszorg", "gemeente"])
    filler.send(hoe_vaak="vaak", hoe_erg="3")
    filler.send(wie="mantelzorger")
    filler.send(contact__consent="no")
    code = submit(filler)
    stored = session.scalar(select(Submission).where(Submission.reference == code))
    assert stored.answers["zorg"] == ["thuiszorg", "gemeente"]
    assert stored.signals[0].disciplines == ["wijkverpleging", "sociaal_domein"]


def test_residents_error_without_its_own_text_names_the_question(app):
    from participatie.questionnaires import Question, Text
    from participatie.webforms import Context, _message

    question = Question(id="x", type="yes_no", label=Text("Rookt u?", "Do you smoke?"))
    with app.test_request_context("/?lang=nl"):
        assert _message(question, Context(lang="nl"), "Kies een antwoord.") == \
            "Rookt u? Kies een antwoord."


def test_residents_save_and_continue_later(client, session, runner):
    from participatie.models import Draft

    filler = Filler(client, "clientenraad")
    filler.send(organisatie="Cliëntenraad De Schelp", geraadpleegd="12")
    filler.send("save", knelpunten__0__beschrijving="Cliënten wachten weken op de fysio.")
    assert filler.heading() == "Uw antwoorden zijn bewaard"
    code = re.search(r'<p class="code"><span aria-hidden="true">([A-Z0-9-]+)</span>',
                     filler.html).group(1)
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTWXY]{4}(-[34679ACDEFGHJKMNPQRTWXY]{4}){2}", code)
    stored = session.scalar(select(Draft))
    assert b"Schelp" not in stored.sealed and b"fysio" not in stored.sealed
    page = client.get(f"/verder?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in page
    session.expire_all()
    assert session.scalar(select(Draft)) is not None  # opening the link changes nothing
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    back = client.post("/verder", data={"csrf_token": token, "code": code.lower()})
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "Cliënten wachten weken op de fysio." in html
    assert "Cliëntenraad De Schelp" in html  # earlier pages' answers are carried on
    session.expire_all()
    assert session.scalar(select(Draft)) is None
    again = client.post("/verder", data={"csrf_token": token, "code": code})
    assert again.status_code == 400 and "We vinden geen bewaarde antwoorden" in again.text


def test_residents_saved_forms_are_purged_with_the_retention_run(session, runner):
    import datetime as dt_

    from participatie import drafts
    from participatie.models import Draft

    old = dt.datetime.now(dt.UTC) - dt_.timedelta(days=8)
    drafts.save(session, "s", "knelpunt", "wat", {"wat": "x"}, now=old)
    drafts.save(session, "s", "knelpunt", "wat", {"wat": "y"})
    session.commit()
    result = runner.invoke(args=["retention", "purge"])
    assert "1 saved forms deleted" in result.output, result.output
    session.expire_all()
    assert len(session.scalars(select(Draft)).all()) == 1


def test_residents_saved_forms_never_reach_the_workspace(project_root):
    for path in (project_root / "participatie" / "views").rglob("*.py"):
        if path.name != "forms.py":
            assert "Draft" not in path.read_text(encoding="utf-8"), path
