"""The permission matrix: every role x every endpoint of the app x own wijk, other wijk, region.

'own' is Waterwijk, the kernteam member's wijk; 'other_wijk' is Haven (same region, Almere);
'other_region' is Atolwijk in Lelystad. Each row names the rule it follows; `allowed` states the
rules once. A row that is allowed must show its effect (the page shows the target, the change is
stored); a refused one must show nothing of the target and change nothing at all.
`test_ws_permissions_cover_every_endpoint` fails when the app gets an endpoint without a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from participatie import db, residentmail
from participatie.accounts import invitation_token
from participatie.digests import unsubscribe_token
from participatie.models import (
    AgendaItem,
    Agreement,
    AuditEvent,
    Contact,
    Dossier,
    DossierAction,
    DossierEvidence,
    ReportNote,
    ResidentMail,
    ResvMeeting,
    Signal,
    SroiInput,
    SroiOutcome,
    Submission,
    Subscription,
    Theme,
    ThemeChange,
    ThemeMembership,
    ThemePublication,
    User,
    Wijk,
)
from tests.factories.workspace import WITHDRAW_CODE, log_in_as

ROLES = ("anonymous", "beheerder", "asd", "kernteam", "meelezer")
TARGETS = ("own", "other_wijk", "other_region")
WIJK_SLUGS = {"own": "waterwijk", "other_wijk": "haven", "other_region": "atolwijk"}
TEXTS = {"own": "De huisarts is nooit bereikbaar.",
         "other_wijk": "De apotheek heeft mijn medicijn niet.",
         "other_region": "In Lelystad is de huisarts vol."}
LABELS = {"own": "Huisarts bereikbaarheid", "other_wijk": "Apotheek voorraad",
          "other_region": "Huisarts vol"}
# users as targets: someone of the region without limits, a limited one, someone elsewhere
USERS = {"own": "meelezer", "other_wijk": "kernteam", "other_region": "other_region_asd"}
STRONG = "een lange zin als wachtwoord 42"

Effect = Callable[..., bool]


@dataclass
class Row:
    """One way to reach an endpoint, the rule it follows and what it must show or change."""

    endpoint: str
    method: str
    url: str
    rule: str
    data: dict[str, str] | None = None
    shows: dict[str, str] = field(default_factory=dict)  # target -> text on an allowed page
    effect: Effect | None = None  # (session, world, target, role, client) -> change happened
    ok: tuple[int, ...] = ()  # statuses of an allowed request (default: GET 200, POST 302)
    refused: tuple[int, ...] = (403,)  # statuses of a refused one (anonymous: to the log-in)


def _signal(session, world, target: str = "own") -> Signal:
    return session.get(Signal, world.signals[target])


def _queued(app, name: str) -> bool:
    """Tell whether a job of that name waits in the app's queue."""
    from participatie.jobs import jobs

    return any(task.name == name for task in jobs(app).huey.pending())


def _user(session, world, role: str) -> User | None:
    return session.get(User, world.users[role]) if role in world.users else None


ROWS: dict[str, Row] = {
    # reading
    "overview": Row("workspace.overview", "GET", "/werkruimte/themas?wijk={w}", "read",
                    shows=LABELS),
    "overview_home": Row("workspace.overview", "GET", "/werkruimte/", "any"),
    "reports": Row("workspace.reports", "GET", "/werkruimte/meldingen?wijk={w}", "read",
                   shows=TEXTS),
    "report": Row("workspace.report", "GET", "/werkruimte/meldingen/{s}", "read", shows=TEXTS),
    "theme": Row("workspace.theme", "GET", "/werkruimte/themas/{t}", "read", shows=LABELS),
    "theme_report": Row("workspace.theme_report", "GET", "/werkruimte/themas/{t}/verslag",
                        "read", shows=LABELS),
    "export_reports": Row("workspace.export_reports", "GET",
                          "/werkruimte/export/meldingen.csv?wijk={w}", "read", shows=TEXTS),
    "export_reports_theme": Row("workspace.export_reports", "GET",
                                "/werkruimte/export/meldingen.csv?thema={t}", "read",
                                shows=TEXTS),
    "export_themes": Row("workspace.export_themes", "GET",
                         "/werkruimte/export/themas.csv?wijk={w}", "read", shows=LABELS),
    "queue": Row("workspace.queue", "GET", "/werkruimte/te-beoordelen", "any"),
    "search": Row("workspace.search", "GET", "/werkruimte/zoeken?q=", "any"),
    "audit_log": Row("workspace.audit_log", "GET", "/werkruimte/logboek", "admin"),
    "users": Row("workspace.users", "GET", "/werkruimte/gebruikers", "admin",
                 shows={"own": "meelezer@test.nl"}),
    "wijken": Row("workspace.wijken", "GET", "/werkruimte/wijken", "admin",
                  shows={"own": "Waterwijk"}),
    "digest_settings": Row("subscriptions.settings", "GET", "/werkruimte/samenvatting", "any"),
    "digest_preview": Row("subscriptions.preview", "GET", "/werkruimte/samenvatting/voorbeeld",
                          "any"),
    "digest_preview_user": Row("subscriptions.preview", "GET",
                               "/werkruimte/samenvatting/voorbeeld/{u}", "user"),
    "digest_preview_html": Row("subscriptions.preview_html", "GET",
                               "/werkruimte/samenvatting/voorbeeld/{u}/html", "user"),
    "digest_subscribers": Row("subscriptions.subscribers", "GET",
                              "/werkruimte/samenvatting/abonnees", "admin",
                              shows={"own": "Test meelezer"}),
    # public pages: the same for everyone, logged in or not
    "home": Row("public.home", "GET", "/", "public"),
    "healthz": Row("public.healthz", "GET", "/healthz", "public"),
    "lookup": Row("public.lookup", "GET", "/status", "public"),
    "status": Row("public.status", "GET", "/status/{code}", "public"),
    "withdraw_form": Row("public.withdraw_report", "GET", "/status/{code}/intrekken", "public"),
    "form": Row("forms.fill", "GET", "/formulier/knelpunt", "public"),
    "form_post": Row("forms.fill", "POST", "/formulier/knelpunt", "public", {},
                     ok=(200, 302, 303, 400)),
    "form_done": Row("forms.done", "GET", "/formulier/knelpunt/verstuurd", "public",
                     ok=(302,)),
    # the confirmation's language switch: without the right code to withdraw, back to the form
    "form_done_switch": Row("forms.done", "POST", "/formulier/knelpunt/verstuurd", "public",
                            {"reference": "AAAA-BBBB", "withdraw": "AAAA-BBBB-CCCC"},
                            ok=(302,)),
    "static": Row("static", "GET", "/static/site.css", "public"),
    "privacy": Row("public.privacy", "GET", "/privacy", "public"),
    "accessibility": Row("public.accessibility", "GET", "/toegankelijkheid", "public"),
    "help": Row("public.help_page", "GET", "/hulp", "public"),
    "favicon": Row("public.favicon", "GET", "/favicon.ico", "public"),
    "touch_icon": Row("public.apple_touch_icon", "GET", "/apple-touch-icon.png", "public"),
    "manifest": Row("public.manifest", "GET", "/manifest.webmanifest", "public"),
    "resume": Row("forms.resume", "GET", "/verder", "public"),
    # no saved form has this code: the same answer for everyone, nothing opened
    "resume_post": Row("forms.resume", "POST", "/verder", "public",
                       {"code": "AAAA-BBBB-CCCC"}, ok=(400,)),
    "loop_region": Row("loop.region", "GET", "/regio", "public"),
    "loop_wijk": Row("loop.wijk", "GET", "/wijk/waterwijk", "public"),
    # nothing is published in the world: a voice for an unpublished theme of the region is
    # gone (410, nothing counted, the page says so), one of another region is not found
    "loop_voice": Row("loop.voice", "POST", "/ik-heb-dit-ook/{t}", "public",
                      {"wijk": "waterwijk"}, ok=(404, 410)),
    "open_data": Row("loop.open_data", "GET", "/open-data/", "public"),
    "open_data_csv": Row("loop.open_data_csv", "GET", "/open-data/themas.csv", "public"),
    "open_data_json": Row("loop.open_data_json", "GET", "/open-data/themas.json", "public"),
    "open_data_feed": Row("loop.feed", "GET", "/open-data/waterwijk.atom", "public"),
    "login_form": Row("workspace.auth.login", "GET", "/werkruimte/inloggen", "public"),
    "invitation_form": Row("workspace.auth.invitation", "GET", "/werkruimte/uitnodiging/{inv}",
                           "public"),
    "unsubscribe_form": Row("subscriptions.unsubscribe", "GET", "/afmelden/{unsub}", "public"),
    "stop_updates_form": Row("subscriptions.stop_updates", "GET", "/berichten-stoppen/{stop}",
                             "public"),
    "surveys": Row("workspace.surveys", "GET", "/werkruimte/peilingen", "agenda_any"),
    # no survey answers in the world: no quarter to download or publish
    "surveys_csv": Row("workspace.surveys_csv", "GET", "/werkruimte/peilingen/uitslag.csv",
                       "agenda_any", ok=(404,)),
    "surveys_groups_csv": Row("workspace.surveys_groups_csv", "GET",
                              "/werkruimte/peilingen/groepen.csv", "agenda_any", ok=(404,)),
    "surveys_regroup": Row(
        "workspace.surveys_regroup", "POST", "/werkruimte/peilingen/groeperen", "plan_any", {},
        effect=lambda s, w, t, r, c: _queued(c.application, "participatie.survey_themes")),
    "surveys_publish": Row("workspace.surveys_publish", "POST",
                           "/werkruimte/peilingen/publiceren", "plan_any", {"intro": "Tekst"},
                           ok=(404,)),
    "surveys_unpublish": Row("workspace.surveys_unpublish", "POST",
                             "/werkruimte/peilingen/depubliceren", "plan_any", {}),
    # changing
    "theme_publish": Row(
        "workspace.theme_publish", "POST", "/werkruimte/themas/{t}/publiceren", "curate",
        {"title": "Openbare titel", "summary": "Samenvatting in gewone woorden."},
        effect=lambda s, w, t, r, c: s.scalar(select(ThemePublication.title).where(
            ThemePublication.theme_id == w.themes[t])) == "Openbare titel"),
    "theme_unpublish": Row(
        "workspace.theme_unpublish", "POST", "/werkruimte/themas/{t}/depubliceren", "curate",
        {}, effect=lambda s, w, t, r, c: True),
    "report_status": Row(
        "workspace.report_status", "POST", "/werkruimte/meldingen/{s}/status", "edit",
        {"status": "in_progress", "reply": "We kijken ernaar."},
        effect=lambda s, w, t, r, c: _signal(s, w, t).status == "in_progress"
        and _signal(s, w, t).public_reply == "We kijken ernaar."),
    "report_theme": Row(
        "workspace.report_theme", "POST", "/werkruimte/meldingen/{s}/thema", "edit",
        {"theme": "{spare}"},
        effect=lambda s, w, t, r, c: _signal(s, w, t).membership.theme_id == w.themes["spare"]),
    # placing an own report into a theme of the target: only a theme the user may see
    "report_theme_into": Row(
        "workspace.report_theme", "POST", "/werkruimte/meldingen/{own_s}/thema", "edit",
        {"theme": "{t}"}, refused=(403, 302),
        effect=lambda s, w, t, r, c: _signal(s, w).membership.theme_id == w.themes[t]),
    "report_theme_new": Row(
        "workspace.report_theme", "POST", "/werkruimte/meldingen/{s}/thema", "curate",
        {"theme": "new", "label": "Nieuw thema"},
        effect=lambda s, w, t, r, c: _signal(s, w, t).membership.theme.label == "Nieuw thema"),
    # follow-up (issue 12): contact details on purpose, picking up, internal notes
    "report_contact": Row(
        "workspace.report_contact", "POST", "/werkruimte/meldingen/{s}/contactgegevens", "edit",
        {"reason": "call_back"}, ok=(200,), shows={"own": "melder@example.org"},
        effect=lambda s, w, t, r, c: t != "own" or s.scalar(select(func.count(AuditEvent.id))
                                                            .where(AuditEvent.action
                                                                   == "contact_view")) == 1),
    "report_owner": Row(
        "workspace.report_owner", "POST", "/werkruimte/meldingen/{s}/eigenaar", "edit",
        {"owner": "me"},
        effect=lambda s, w, t, r, c: _signal(s, w, t).owner_id == w.users[r]),
    "report_note": Row(
        "workspace.report_note", "POST", "/werkruimte/meldingen/{s}/notitie", "edit",
        {"text": "Teruggebeld, zij belt de huisarts."},
        effect=lambda s, w, t, r, c: [n.text for n in _signal(s, w, t).notes]
        == ["Teruggebeld, zij belt de huisarts."]),
    "report_duplicate": Row(
        "workspace.report_duplicate", "POST", "/werkruimte/meldingen/{s}/dubbel", "edit",
        {"of": "{own_s}"}, refused=(403, 400), ok=(302, 400),
        effect=lambda s, w, t, r, c: t == "own" or _signal(s, w, t).duplicate_of_id
        == w.signals["own"]),
    "queue_decide": Row(
        "workspace.queue_decide", "POST", "/werkruimte/te-beoordelen/{s}", "edit",
        {"action": "move", "theme": "{spare}"},
        effect=lambda s, w, t, r, c: _signal(s, w, t).membership.theme_id == w.themes["spare"]),
    "queue_decide_into": Row(
        "workspace.queue_decide", "POST", "/werkruimte/te-beoordelen/{own_s}", "edit",
        {"action": "move", "theme": "{t}"}, refused=(403, 302),
        effect=lambda s, w, t, r, c: _signal(s, w).membership.theme_id == w.themes[t]),
    "queue_confirm": Row(
        "workspace.queue_decide", "POST", "/werkruimte/te-beoordelen/{s}", "edit",
        {"action": "confirm"},
        effect=lambda s, w, t, r, c: _signal(s, w, t).membership.source == "confirmed"),
    "theme_rename": Row(
        "workspace.theme_rename", "POST", "/werkruimte/themas/{t}/naam", "curate",
        {"label": "Nieuwe naam"},
        effect=lambda s, w, t, r, c: s.get(Theme, w.themes[t]).label == "Nieuwe naam"),
    "theme_status": Row(
        "workspace.theme_status", "POST", "/werkruimte/themas/{t}/status", "curate",
        {"status": "on_agenda", "notes": "Op de agenda van mei."},
        effect=lambda s, w, t, r, c: s.get(Theme, w.themes[t]).status == "on_agenda"),
    # the first POST only says what will happen (issue 12); nothing changes
    "theme_merge_ask": Row(
        "workspace.theme_merge", "POST", "/werkruimte/themas/{t}/samenvoegen", "curate",
        {"target": "{spare}"}, ok=(200,), shows=LABELS,
        effect=lambda s, w, t, r, c: s.get(Theme, w.themes[t]).merged_into_id is None),
    "theme_merge": Row(
        "workspace.theme_merge", "POST", "/werkruimte/themas/{t}/samenvoegen", "curate",
        {"target": "{spare}", "confirm": "yes"},
        effect=lambda s, w, t, r, c: s.get(Theme, w.themes[t]).merged_into_id
        == w.themes["spare"]),
    # an unknown change: allowed users are sent back to the theme, nothing is undone
    "theme_undo": Row(
        "workspace.theme_undo", "POST", "/werkruimte/themas/{t}/ongedaan-maken", "curate",
        {"change": "999999"},
        effect=lambda s, w, t, r, c: s.get(Theme, w.themes[t]).merged_into_id is None),
    "theme_split": Row(
        "workspace.theme_split", "POST", "/werkruimte/themas/{t}/splitsen", "curate",
        {"signal": "{s}", "label": "Afgesplitst"},
        effect=lambda s, w, t, r, c: _signal(s, w, t).membership.theme.label == "Afgesplitst"),
    "wijken_add": Row(
        "workspace.wijken_add", "POST", "/werkruimte/wijken", "admin",
        {"name": "Nieuwe Wijk", "stadsdeel": "Almere Stad"},
        effect=lambda s, w, t, r, c: s.scalar(select(Wijk).where(Wijk.slug == "nieuwe-wijk"))
        is not None),
    "wijken_change": Row(
        "workspace.wijken_change", "POST", "/werkruimte/wijken/{wi}", "admin_region",
        {"name": "Hernoemd {w}"},  # one name per wijk: two wijken may not share a name
        effect=lambda s, w, t, r, c: (s.get(Wijk, w.wijk_ids[t]).name
                                      == f"Hernoemd {WIJK_SLUGS[t]}")),
    "users_invite": Row(
        "workspace.users_invite", "POST", "/werkruimte/gebruikers", "admin",
        {"email": "nieuw@test.nl", "role": "asd", "name": "Nieuw"},
        effect=lambda s, w, t, r, c: s.scalar(select(User).where(User.email == "nieuw@test.nl"))
        is not None),
    "users_disable": Row(
        "workspace.users_disable", "POST", "/werkruimte/gebruikers/{u}/uitschakelen",
        "admin_region", {}, refused=(403, 404),
        effect=lambda s, w, t, r, c: not _user(s, w, USERS[t]).active),
    "digest_settings_save": Row(
        "subscriptions.settings", "POST", "/werkruimte/samenvatting", "read",
        {"frequency": "weekly", "wijk": "{w}", "language": "nl"}, refused=(400,),
        effect=lambda s, w, t, r, c: s.scalar(select(Subscription.wijk_slugs).where(
            Subscription.user_id == w.users[r])) == [WIJK_SLUGS[t]]),
    "logout": Row(
        "workspace.auth.logout", "POST", "/werkruimte/uitloggen", "any", {},
        effect=lambda s, w, t, r, c: c.get("/werkruimte/").status_code == 302),
    "login": Row(
        "workspace.auth.login", "POST", "/werkruimte/inloggen", "public",
        {"email": "asd@test.nl", "password": "niet het wachtwoord"}, ok=(400,)),
    "invitation": Row(
        "workspace.auth.invitation", "POST", "/werkruimte/uitnodiging/{inv}", "public",
        {"password": STRONG, "password2": STRONG},
        effect=lambda s, w, t, r, c: _user(s, w, "meelezer").password_hash is not None),
    "unsubscribe": Row(
        "subscriptions.unsubscribe", "POST", "/afmelden/{unsub}", "public", {}, ok=(200,),
        effect=lambda s, w, t, r, c: s.scalar(select(Subscription.frequency).where(
            Subscription.user_id == w.users["meelezer"])) == "off"),
    # a resident's e-mails about their report: the signed link is the proof, no login
    "stop_updates": Row(
        "subscriptions.stop_updates", "POST", "/berichten-stoppen/{stop}", "public", {},
        ok=(200,), effect=lambda s, w, t, r, c: s.scalar(
            select(Contact.updates).join(Submission, Submission.id == Contact.submission_id)
            .where(Submission.reference == w.codes["own"])) is False),
    "withdraw": Row(
        "public.withdraw_report", "POST", "/status/{code}/intrekken", "public",
        {"confirm": "yes", "withdraw_code": WITHDRAW_CODE}, ok=(303,),
        effect=lambda s, w, t, r, c: s.scalar(select(Submission.withdrawn_at).where(
            Submission.reference == w.codes["own"])) is not None),
    # issue 16: the world's report is still open, so there is nothing to answer or reopen (the
    # same for everyone), and its theme is not published, so there is nothing to count
    "satisfaction": Row("aftercare.satisfaction", "POST", "/status/{code}/tevreden/0", "public",
                        {"satisfied": "yes"}, ok=(303,)),
    "reopen": Row("aftercare.reopen", "POST", "/status/{code}/heropenen/0", "public",
                  {"reason": "Niet opgelost"}, ok=(303,)),
    "status_voice": Row("aftercare.voice", "POST", "/status/{code}/ik-heb-dit-ook/0", "public",
                        {"wijk": "waterwijk"}, ok=(410,)),
    # the RESV agenda (issue 14): the ASD and beheerder plan; region-wide readers read.
    # {m} the region's meeting (the same for own and other_wijk), {mi} its agenda item,
    # {ag} its agreement, {mt} a theme on it
    "meetings": Row("workspace.meetings", "GET", "/werkruimte/resv", "agenda_any"),
    "meeting": Row("workspace.meeting", "GET", "/werkruimte/resv/{m}", "agenda_read",
                   shows={"own": LABELS["own"], "other_wijk": LABELS["own"]}),
    "meeting_agenda": Row("workspace.meeting_agenda", "GET", "/werkruimte/resv/{m}/agenda",
                          "agenda_read", shows={"own": LABELS["own"]}),
    "meeting_agenda_pdf": Row("workspace.meeting_agenda_pdf", "GET",
                              "/werkruimte/resv/{m}/agenda.pdf", "agenda_read"),
    "meeting_add": Row(
        "workspace.meeting_add", "POST", "/werkruimte/resv", "plan_any",
        {"held_on": "2026-12-24", "theme": "{spare}"},
        effect=lambda s, w, t, r, c: s.scalar(select(func.count(ResvMeeting.id)).where(
            ResvMeeting.title == "", ResvMeeting.region_id == s.get(User, w.users[r]).region_id))
        > 0),
    "agenda_item": Row(
        "workspace.agenda_item", "POST", "/werkruimte/resv/{m}/punten/{mi}", "plan",
        {"question": "Vraag aan de tafel"},
        effect=lambda s, w, t, r, c: s.get(AgendaItem, w.agenda_items[t]).question
        == "Vraag aan de tafel"),
    "agreement_add": Row(
        "workspace.agreement_add", "POST", "/werkruimte/resv/{m}/afspraken", "plan",
        {"theme": "{mt}", "what": "Nieuwe afspraak", "who": "ASD"},
        effect=lambda s, w, t, r, c: s.scalar(select(func.count(Agreement.id)).where(
            Agreement.meeting_id == w.meetings[t], Agreement.what == "Nieuwe afspraak")) > 0),
    "agreement_done": Row(
        "workspace.agreement_done", "POST", "/werkruimte/afspraken/{ag}/klaar", "plan",
        {"done": "1"}, effect=lambda s, w, t, r, c: s.get(Agreement, w.agreements[t]).done),
    # knelpunt dossiers (issue 14): the kernteam of the wijk, ASD and beheerder edit;
    # {d} the dossier of the target's wijk, {da} one of its actions
    "dossiers": Row("workspace.dossiers", "GET", "/werkruimte/dossiers", "any"),
    "dossier": Row("workspace.dossier", "GET", "/werkruimte/dossiers/{d}", "read",
                   shows={"own": "Dossier Waterwijk", "other_wijk": "Dossier Haven"}),
    "dossier_report": Row("workspace.dossier_report", "GET", "/werkruimte/dossiers/{d}/verslag",
                          "read", shows={"own": "Dossier Waterwijk",
                                         "other_wijk": "Dossier Haven"}),
    "dossier_report_pdf": Row("workspace.dossier_report_pdf", "GET",
                              "/werkruimte/dossiers/{d}/verslag.pdf", "read"),
    "dossier_impact_csv": Row("workspace.dossier_impact_csv", "GET",
                              "/werkruimte/dossiers/{d}/impactkaart.csv", "read",
                              shows={"own": "belanghebbende"}),
    "dossier_add": Row(
        "workspace.dossier_add", "POST", "/werkruimte/dossiers", "edit",
        {"wijk": "{w}", "title": "Nieuw dossier"},
        effect=lambda s, w, t, r, c: s.scalar(select(func.count(Dossier.id)).where(
            Dossier.title == "Nieuw dossier", Dossier.wijk_id == w.wijk_ids[t])) == 1),
    "dossier_edit": Row(
        "workspace.dossier_edit", "POST", "/werkruimte/dossiers/{d}", "edit",
        {"title": "Anders genoemd", "problem": "Tekst", "stakeholders": "inwoners"},
        effect=lambda s, w, t, r, c: s.get(Dossier, w.dossiers[t]).title == "Anders genoemd"),
    "dossier_action": Row(
        "workspace.dossier_action", "POST", "/werkruimte/dossiers/{d}/acties", "edit",
        {"action-what": "Nieuwe actie", "action-owner": "Kernteam"},
        effect=lambda s, w, t, r, c: "Nieuwe actie" in [
            a.what for a in s.get(Dossier, w.dossiers[t]).actions]),
    "dossier_action_done": Row(
        "workspace.dossier_action_done", "POST", "/werkruimte/dossiers/{d}/acties/{da}/klaar",
        "edit", {"done": "1"},
        effect=lambda s, w, t, r, c: s.get(DossierAction, w.dossier_actions[t]).done),
    "dossier_evidence": Row(
        "workspace.dossier_evidence", "POST", "/werkruimte/dossiers/{d}/bewijs", "edit",
        {"evidence-date": "2026-11-01", "evidence-text": "Verslag"},
        effect=lambda s, w, t, r, c: len(s.get(Dossier, w.dossiers[t]).evidence) == 1),
    "dossier_input": Row(
        "workspace.dossier_input", "POST", "/werkruimte/dossiers/{d}/inputs", "edit",
        {"input-stakeholder": "kernteam", "input-description": "uren", "input-hours": "2",
         "input-rate": "50"},
        effect=lambda s, w, t, r, c: len(s.get(Dossier, w.dossiers[t]).inputs) == 1),
    "dossier_outcome": Row(
        "workspace.dossier_outcome", "POST", "/werkruimte/dossiers/{d}/outcomes", "edit",
        {"outcome-stakeholder": "inwoners", "outcome-description": "minder",
         "outcome-indicator": "aantal", "outcome-quantity": "10",
         "outcome-proxy": "huisarts_consult", "outcome-duration": "1"},
        effect=lambda s, w, t, r, c: len(s.get(Dossier, w.dossiers[t]).outcomes) == 1),
    "dossier_remove": Row(
        "workspace.dossier_remove", "POST", "/werkruimte/dossiers/{d}/verwijderen/action/{da}",
        "edit", {}, effect=lambda s, w, t, r, c: s.get(DossierAction, w.dossier_actions[t])
        is None),
}


def sees(role: str, target: str) -> bool:
    """Tell whether a role may see the target: kernteam only its own wijk, nobody elsewhere."""
    return target == "own" or (target == "other_wijk" and role != "kernteam")


def allowed(role: str, rule: str, target: str) -> bool:
    """State who may do what (issues 5 and 11)."""
    if rule == "public":
        return True
    if role == "anonymous":
        return False
    return {
        "any": True,
        "read": sees(role, target),
        "edit": sees(role, target) and role in ("beheerder", "asd", "kernteam"),
        "curate": sees(role, target) and role in ("beheerder", "asd"),
        "admin": role == "beheerder",
        "admin_region": role == "beheerder" and target != "other_region",
        # someone's digest preview: your own, or anyone's of your region for the beheerder
        "user": (role == "beheerder" and target != "other_region") or USERS[target] == role,
        # the RESV agenda is region-wide: planners and readers of the whole region (issue 14)
        "agenda_any": role in ("beheerder", "asd", "meelezer"),
        "agenda_read": role in ("beheerder", "asd", "meelezer") and target != "other_region",
        "plan_any": role in ("beheerder", "asd"),
        "plan": role in ("beheerder", "asd") and target != "other_region",
    }[rule]


def fill(template: str, world, target: str, app) -> str:
    with app.test_request_context():
        meelezer = db.session().get(User, world.users["meelezer"])
        invitation = invitation_token(meelezer)
        unsub = unsubscribe_token(meelezer.id)
        stop = residentmail.unsubscribe_token(db.session().scalar(select(Contact).join(
            Submission, Submission.id == Contact.submission_id).where(
            Submission.reference == world.codes["own"])))
    return template.format(
        s=world.signals[target], t=world.themes[target], w=WIJK_SLUGS[target],
        wi=world.wijk_ids[target], u=world.users[USERS[target]], own_s=world.signals["own"],
        spare=world.themes["spare"], code=world.codes["own"], inv=invitation, unsub=unsub,
        stop=stop,
        m=world.meetings[target], mi=world.agenda_items[target], ag=world.agreements[target],
        mt=world.themes["other_region" if target == "other_region" else "own"],
        d=world.dossiers[target], da=world.dossier_actions[target])


def snapshot(session) -> tuple:
    """Return everything a request could change that decides what people see or get."""
    return (
        session.execute(select(Signal.id, Signal.status, Signal.public_reply, Signal.text,
                               Signal.owner_id, Signal.duplicate_of_id).order_by(Signal.id)).all(),
        session.scalar(select(func.count(ReportNote.id))),
        session.scalar(select(func.count(ThemeChange.id))),
        session.execute(select(ThemeMembership.signal_id, ThemeMembership.theme_id,
                               ThemeMembership.source).order_by(ThemeMembership.signal_id)).all(),
        session.execute(select(Theme.id, Theme.label, Theme.status, Theme.notes,
                               Theme.merged_into_id).order_by(Theme.id)).all(),
        session.execute(select(User.id, User.email, User.active, User.session_version,
                               User.password_hash).order_by(User.id)).all(),
        session.execute(select(Wijk.id, Wijk.name, Wijk.active).order_by(Wijk.id)).all(),
        session.execute(select(Subscription.user_id, Subscription.frequency,
                               Subscription.wijk_slugs).order_by(Subscription.user_id)).all(),
        session.execute(select(Submission.id, Submission.withdrawn_at)
                        .order_by(Submission.id)).all(),
        session.scalar(select(func.count(AuditEvent.id))),
        session.execute(select(ResvMeeting.id, ResvMeeting.held_on).order_by(
            ResvMeeting.id)).all(),
        session.execute(select(AgendaItem.id, AgendaItem.question, AgendaItem.kernteam_done)
                        .order_by(AgendaItem.id)).all(),
        session.execute(select(Agreement.id, Agreement.what, Agreement.done)
                        .order_by(Agreement.id)).all(),
        session.execute(select(Dossier.id, Dossier.title, Dossier.problem, Dossier.stakeholders)
                        .order_by(Dossier.id)).all(),
        session.execute(select(DossierAction.id, DossierAction.what, DossierAction.done)
                        .order_by(DossierAction.id)).all(),
        session.scalar(select(func.count(DossierEvidence.id))),
        session.scalar(select(func.count(SroiInput.id))),
        session.scalar(select(func.count(SroiOutcome.id))),
        session.execute(select(ThemePublication.theme_id, ThemePublication.published,
                               ThemePublication.title).order_by(ThemePublication.id)).all(),
        # e-mails to residents: who gets them, and what waits in the outbox
        session.execute(select(Contact.id, Contact.updates).order_by(Contact.id)).all(),
        session.scalar(select(func.count(ResidentMail.id))),
    )


def targets_of(row: Row) -> tuple[str, ...]:
    return TARGETS if row.rule not in ("any", "admin", "public") else ("own",)


def check(app, client, world, role: str, name: str) -> None:
    row = ROWS[name]
    # other_region first, so a successful change in Almere cannot hide a leak
    for target in reversed(targets_of(row)):
        path = fill(row.url, world, target, app)
        form = {k: fill(v, world, target, app) for k, v in (row.data or {}).items()}
        with app.app_context():
            before = snapshot(db.session())
        response = client.open(path, method=row.method,
                               data=form if row.method == "POST" else None)
        body = response.get_data().decode("utf-8", "replace")  # PDF downloads are bytes
        response.close()
        where = (role, name, target, response.status_code)
        for hidden in hidden_from(role):
            # on no page, export or preview: nothing of a wijk or region the user may not see
            assert TEXTS[hidden] not in body and LABELS[hidden] not in body, (*where, hidden)
        if allowed(role, row.rule, target):
            assert response.status_code in (row.ok or ((200,) if row.method == "GET"
                                                       else (302, 303))), where
            if target in row.shows:
                assert row.shows[target] in body, where
            if row.effect is not None:
                with app.app_context():
                    assert row.effect(db.session(), world, target, role, client), where
            if row.method == "POST" and role != "anonymous" and name != "logout":
                log_in_as(client, world.users[role], _version(app, world, role))
        else:
            if role == "anonymous":
                assert response.status_code == 302, where
                assert "/werkruimte/inloggen" in response.location, where
            else:
                assert response.status_code in row.refused, where
            with app.app_context():
                assert snapshot(db.session()) == before, (*where, "changed something")


def hidden_from(role: str) -> tuple[str, ...]:
    """Return the targets whose reports and themes a role may never see."""
    return ("other_region",) + (("other_wijk",) if role in ("kernteam", "anonymous") else ())


def _version(app, world, role: str) -> int:
    with app.app_context():
        return db.session().get(User, world.users[role]).session_version


READS = sorted(name for name, row in ROWS.items() if row.method == "GET")
CHANGES = sorted(name for name, row in ROWS.items() if row.method == "POST")


@pytest.fixture
def matrix_world(app, world):
    """The workspace world plus a digest subscription and the queue waiting."""
    with app.app_context():
        session = db.session()
        session.add(Subscription(user_id=world.users["meelezer"], frequency="weekly",
                                 wijk_slugs=[], send_when_empty=False, language="nl"))
        session.query(ThemeMembership).update({"needs_review": True, "source": "assigned"})
        session.query(Contact).update({"updates": True})  # the reporter asked for e-mails
        session.commit()
    return world


@pytest.mark.parametrize("role", ROLES)
def test_ws_permissions_matrix_reading(app, client, matrix_world, role):
    # pages and exports change nothing that decides access, so one world serves them all
    if role != "anonymous":
        log_in_as(client, matrix_world.users[role])
    for name in READS:
        check(app, client, matrix_world, role, name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", CHANGES)
def test_ws_permissions_matrix_changing(app, client, matrix_world, role, name):
    if role != "anonymous":
        log_in_as(client, matrix_world.users[role])
    check(app, client, matrix_world, role, name)


def test_ws_permissions_cover_every_endpoint(app):
    # a new endpoint without a row in the matrix fails here; so does a method without one
    covered = {(row.endpoint, row.method) for row in ROWS.values()}
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - covered == set()
    assert covered <= routes


def test_ws_permissions_each_rule_is_exercised_both_ways():
    # every non-public rule has at least one role and target it allows and one it refuses
    for rule in {row.rule for row in ROWS.values()} - {"public"}:
        outcomes = {allowed(role, rule, target) for role in ROLES for target in TARGETS}
        assert outcomes == {True, False}, rule
