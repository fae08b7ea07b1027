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
from workspace_world import log_in_as

from participatie import db
from participatie.accounts import invitation_token
from participatie.digests import unsubscribe_token
from participatie.models import (
    AuditEvent,
    Signal,
    Submission,
    Subscription,
    Theme,
    ThemeMembership,
    User,
    Wijk,
)

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
    "static": Row("static", "GET", "/static/site.css", "public"),
    "login_form": Row("workspace.auth.login", "GET", "/werkruimte/inloggen", "public"),
    "invitation_form": Row("workspace.auth.invitation", "GET", "/werkruimte/uitnodiging/{inv}",
                           "public"),
    "unsubscribe_form": Row("subscriptions.unsubscribe", "GET", "/afmelden/{unsub}", "public"),
    # changing
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
    "theme_merge": Row(
        "workspace.theme_merge", "POST", "/werkruimte/themas/{t}/samenvoegen", "curate",
        {"target": "{spare}"},
        effect=lambda s, w, t, r, c: s.get(Theme, w.themes[t]).merged_into_id
        == w.themes["spare"]),
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
        {"name": "Hernoemd"},
        effect=lambda s, w, t, r, c: s.get(Wijk, w.wijk_ids[t]).name == "Hernoemd"),
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
    "withdraw": Row(
        "public.withdraw_report", "POST", "/status/{code}/intrekken", "public",
        {"confirm": "yes"}, ok=(303,),
        effect=lambda s, w, t, r, c: s.scalar(select(Submission.withdrawn_at).where(
            Submission.reference == w.codes["own"])) is not None),
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
    }[rule]


def fill(template: str, world, target: str, app) -> str:
    with app.test_request_context():
        meelezer = db.session().get(User, world.users["meelezer"])
        invitation = invitation_token(meelezer)
        unsub = unsubscribe_token(meelezer.id)
    return template.format(
        s=world.signals[target], t=world.themes[target], w=WIJK_SLUGS[target],
        wi=world.wijk_ids[target], u=world.users[USERS[target]], own_s=world.signals["own"],
        spare=world.themes["spare"], code=world.codes["own"], inv=invitation, unsub=unsub)


def snapshot(session) -> tuple:
    """Return everything a request could change that decides what people see or get."""
    return (
        session.execute(select(Signal.id, Signal.status, Signal.public_reply, Signal.text)
                        .order_by(Signal.id)).all(),
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
        body = response.get_data(as_text=True)
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
