"""The permission matrix: every role x every endpoint x own wijk, other wijk, other region.

'own' is Waterwijk, the kernteam member's wijk; 'other_wijk' is Haven (same region);
'other_region' is Atolwijk in Lelystad. The rule each endpoint follows is named in ENDPOINTS,
and `allowed` states the rules once, so the table reads like the issue.
"""

from __future__ import annotations

import pytest
from workspace_world import log_in_as

ROLES = ("anonymous", "beheerder", "asd", "kernteam", "meelezer")
TARGETS = ("own", "other_wijk", "other_region")
WIJK_SLUGS = {"own": "waterwijk", "other_wijk": "haven", "other_region": "atolwijk"}

# name: (method, url template, rule, form data); {s} report id, {t} theme id, {w} wijk slug,
# {spare} a theme of Almere to move or merge into, {u} the meelezer's user id
ENDPOINTS = {
    "overview": ("GET", "/werkruimte/themas?wijk={w}", "read", None),
    "reports": ("GET", "/werkruimte/meldingen?wijk={w}", "read", None),
    "report": ("GET", "/werkruimte/meldingen/{s}", "read", None),
    "theme": ("GET", "/werkruimte/themas/{t}", "read", None),
    "theme_report": ("GET", "/werkruimte/themas/{t}/verslag", "read", None),
    "export_reports": ("GET", "/werkruimte/export/meldingen.csv?wijk={w}", "read", None),
    "export_reports_theme": ("GET", "/werkruimte/export/meldingen.csv?thema={t}", "read_any", None),
    "export_themes": ("GET", "/werkruimte/export/themas.csv?wijk={w}", "read", None),
    "queue": ("GET", "/werkruimte/te-beoordelen", "any", None),
    "search": ("GET", "/werkruimte/zoeken?q=huisarts", "any", None),
    "report_status": ("POST", "/werkruimte/meldingen/{s}/status", "edit",
                      {"status": "in_progress", "reply": "We kijken ernaar."}),
    "report_theme": ("POST", "/werkruimte/meldingen/{s}/thema", "edit", {"theme": "{spare}"}),
    "queue_decide": ("POST", "/werkruimte/te-beoordelen/{s}", "edit",
                     {"action": "move", "theme": "{spare}"}),
    "theme_rename": ("POST", "/werkruimte/themas/{t}/naam", "curate", {"label": "Nieuwe naam"}),
    "theme_status": ("POST", "/werkruimte/themas/{t}/status", "curate",
                     {"status": "on_agenda", "notes": "Op de agenda van mei."}),
    "theme_merge": ("POST", "/werkruimte/themas/{t}/samenvoegen", "curate",
                    {"target": "{spare}"}),
    "theme_split": ("POST", "/werkruimte/themas/{t}/splitsen", "curate",
                    {"signal": "{s}", "label": "Afgesplitst"}),
    "audit_log": ("GET", "/werkruimte/logboek", "admin", None),
    "users": ("GET", "/werkruimte/gebruikers", "admin", None),
    "wijken": ("GET", "/werkruimte/wijken", "admin", None),
    "wijken_add": ("POST", "/werkruimte/wijken", "admin_post",
                   {"name": "Nieuwe Wijk", "stadsdeel": "Almere Stad"}),
    "wijken_change": ("POST", "/werkruimte/wijken/{wi}", "admin_region", {"active": "1"}),
    "users_invite": ("POST", "/werkruimte/gebruikers", "admin_post",
                     {"email": "nieuw@test.nl", "role": "asd", "name": "Nieuw"}),
    "users_disable": ("POST", "/werkruimte/gebruikers/{u}/uitschakelen", "admin_post", {}),
    # the RESV agenda: the ASD and beheerder plan; region-wide readers read; {m} meeting,
    # {mi} agenda item, {ag} agreement (the region's meeting for own and other_wijk)
    "meetings": ("GET", "/werkruimte/resv", "agenda_any", None),
    "meeting": ("GET", "/werkruimte/resv/{m}", "agenda_read", None),
    "meeting_agenda": ("GET", "/werkruimte/resv/{m}/agenda", "agenda_read", None),
    "meeting_agenda_pdf": ("GET", "/werkruimte/resv/{m}/agenda.pdf", "agenda_read", None),
    "meeting_add": ("POST", "/werkruimte/resv", "plan_any",
                    {"held_on": "2026-12-24", "theme": "{spare}"}),
    "agenda_item": ("POST", "/werkruimte/resv/{m}/punten/{mi}", "plan", {"question": "Vraag"}),
    "agreement_add": ("POST", "/werkruimte/resv/{m}/afspraken", "plan",
                      {"theme": "{mt}", "what": "Afspraak", "who": "ASD"}),
    "agreement_done": ("POST", "/werkruimte/afspraken/{ag}/klaar", "plan", {"done": "1"}),
    # knelpunt dossiers: {d} the dossier of the target's wijk, {da} one of its actions
    "dossiers": ("GET", "/werkruimte/dossiers", "any", None),
    "dossier": ("GET", "/werkruimte/dossiers/{d}", "read", None),
    "dossier_report": ("GET", "/werkruimte/dossiers/{d}/verslag", "read", None),
    "dossier_report_pdf": ("GET", "/werkruimte/dossiers/{d}/verslag.pdf", "read", None),
    "dossier_impact_csv": ("GET", "/werkruimte/dossiers/{d}/impactkaart.csv", "read", None),
    "dossier_add": ("POST", "/werkruimte/dossiers", "edit", {"wijk": "{w}", "title": "Nieuw"}),
    "dossier_edit": ("POST", "/werkruimte/dossiers/{d}", "edit",
                     {"title": "Anders", "problem": "Tekst", "stakeholders": "inwoners"}),
    "dossier_action": ("POST", "/werkruimte/dossiers/{d}/acties", "edit",
                       {"what": "Bellen", "owner": "Kernteam"}),
    "dossier_action_done": ("POST", "/werkruimte/dossiers/{d}/acties/{da}/klaar", "edit",
                            {"done": "1"}),
    "dossier_evidence": ("POST", "/werkruimte/dossiers/{d}/bewijs", "edit",
                         {"noted_on": "2026-11-01", "text": "Verslag"}),
    "dossier_input": ("POST", "/werkruimte/dossiers/{d}/inputs", "edit",
                      {"stakeholder": "kernteam", "description": "uren", "input-hours": "2",
                       "input-rate": "50"}),
    "dossier_outcome": ("POST", "/werkruimte/dossiers/{d}/outcomes", "edit",
                        {"outcome-stakeholder": "inwoners", "outcome-description": "minder",
                         "outcome-indicator": "aantal", "outcome-quantity": "10",
                         "outcome-proxy": "huisarts_consult", "outcome-duration": "1"}),
    "dossier_remove": ("POST", "/werkruimte/dossiers/{d}/verwijderen/action/{da}", "edit", {}),
}


def allowed(role: str, rule: str, target: str) -> bool:
    """State who may do what: the rules of issue 5."""
    sees = target == "own" or (target == "other_wijk" and role != "kernteam")
    return {
        "any": True,
        "read": sees,
        "read_any": sees,
        "edit": sees and role in ("beheerder", "asd", "kernteam"),
        "curate": sees and role in ("beheerder", "asd"),
        "admin": role == "beheerder",
        "admin_post": role == "beheerder",
        "admin_region": role == "beheerder" and target != "other_region",
        "agenda_any": role in ("beheerder", "asd", "meelezer"),
        "agenda_read": role in ("beheerder", "asd", "meelezer") and target != "other_region",
        "plan_any": role in ("beheerder", "asd"),
        "plan": role in ("beheerder", "asd") and target != "other_region",
    }[rule]


def expected(role: str, method: str, rule: str, target: str) -> int:
    if role == "anonymous":
        return 302
    if not allowed(role, rule, target):
        return 403
    return 200 if method == "GET" else 302


def fill(template: str, world, target: str) -> str:
    return template.format(
        s=world.signals[target], t=world.themes[target], w=WIJK_SLUGS[target],
        wi=world.wijk_ids[target],
        spare=world.themes["spare"], u=world.users["meelezer"],
        m=world.meetings[target], mi=world.agenda_items[target], ag=world.agreements[target],
        mt=world.themes["other_region" if target == "other_region" else "own"],
        d=world.dossiers[target], da=world.dossier_actions[target])


READS = sorted(name for name, spec in ENDPOINTS.items() if spec[0] == "GET")
CHANGES = sorted(name for name, spec in ENDPOINTS.items() if spec[0] == "POST")


def check(client, world, role: str, endpoint: str) -> None:
    method, url, rule, data = ENDPOINTS[endpoint]
    # other_region first, so a successful change in Almere cannot hide a leak
    for target in reversed(TARGETS):
        if rule in ("any", "admin", "admin_post", "agenda_any", "plan_any") and target != "own":
            continue
        path = fill(url, world, target)
        form = {k: fill(v, world, target) for k, v in (data or {}).items()}
        response = client.open(path, method=method, data=form if method == "POST" else None)
        want = expected(role, method, rule, target)
        assert response.status_code == want, (role, endpoint, target, response.status_code)
        if want == 302 and role == "anonymous":
            assert "/werkruimte/inloggen" in response.location


@pytest.mark.parametrize("role", ROLES)
def test_ws_permissions_matrix_reading(client, world, role):
    # pages and exports change nothing that decides access, so one world serves them all
    if role != "anonymous":
        log_in_as(client, world.users[role])
    for endpoint in READS:
        check(client, world, role, endpoint)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", CHANGES)
def test_ws_permissions_matrix_changing(client, world, role, endpoint):
    if role != "anonymous":
        log_in_as(client, world.users[role])
    check(client, world, role, endpoint)


def test_ws_permissions_cover_every_workspace_endpoint(app):
    tested = {f"workspace.{name}" for name in ENDPOINTS}
    tested |= {"workspace.auth.login", "workspace.auth.logout", "workspace.auth.invitation"}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("workspace.")}
    assert routes - tested == set()
