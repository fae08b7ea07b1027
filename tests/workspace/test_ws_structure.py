"""Structure rules of issue 12: one vocabulary with labels in two languages, one commit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask_babel import force_locale

from participatie import catalogs, vocabulary

PACKAGE = Path(__file__).resolve().parents[2] / "participatie"

# the view or the command commits; these modules are commands
COMMITTERS = {
    "cli.py", "accounts/cli.py", "accounts/demo.py",
    "jobs.py",  # a background job is a command: it commits once per step it must keep
    # the one service that must commit: each digest's claim is made durable before the mail
    # server hears of it, and its sent_at right after (one commit per recipient), so that two
    # runs never send the same digest and a run that dies after N messages resends none of them
    "digests/sending.py",
    # the residents' outbox sender (run by a job) commits each claim before the mail server
    # hears of it and each sent mark after, as digests/sending.py does; its queue_* functions
    # and stop_updates only flush
    "residentmail.py",
}


def _python_files(under: Path) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "migrations" not in p.parts)


def _commit_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "commit"]


def test_ws_structure_services_never_commit():
    offenders = []
    for path in _python_files(PACKAGE):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("views/") or relative in COMMITTERS:
            continue
        offenders += [f"{relative}:{line}" for line in _commit_calls(path)]
    assert offenders == [], "services flush; the view or command commits"


def test_ws_structure_each_workspace_view_commits_at_most_once():
    # one request, one transaction: a view function has at most one commit call
    for path in _python_files(PACKAGE / "views"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                calls = [c for c in ast.walk(node) if isinstance(c, ast.Call)
                         and isinstance(c.func, ast.Attribute) and c.func.attr == "commit"]
                assert len(calls) <= 1, f"{path.name}:{node.name} commits {len(calls)} times"


def _literal_actions() -> set[str]:
    found = set()
    for path in _python_files(PACKAGE):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record" and len(node.args) >= 3):
                action = node.args[2]
                if isinstance(action, ast.Constant) and isinstance(action.value, str):
                    found.add(action.value)
                elif isinstance(action, ast.IfExp):
                    found |= {n.value for n in (action.body, action.orelse)
                              if isinstance(n, ast.Constant)}
    return found


def test_ws_structure_every_recorded_action_is_in_the_vocabulary():
    actions = _literal_actions()
    assert {"login", "merge", "digest_settings", "add"} <= actions  # the scan finds them
    assert actions - set(vocabulary.AUDIT_ACTIONS) == set()


def test_ws_structure_audit_refuses_an_unknown_action(app, world):
    from participatie import audit, db

    with app.app_context(), pytest.raises(ValueError, match="vocabulary"):
        audit.record(db.session(), None, "frobnicate", "theme", 1, region_id=1)


LABEL_SETS = {
    "role": vocabulary.ROLE_LABELS, "status": vocabulary.SIGNAL_STATUS_LABELS,
    "theme_status": vocabulary.THEME_STATUS_LABELS, "action": vocabulary.AUDIT_ACTION_LABELS,
    "object": vocabulary.OBJECT_TYPE_LABELS,
}


@pytest.mark.parametrize("kind", sorted(LABEL_SETS))
def test_ws_structure_every_code_has_a_dutch_and_english_label(app, kind):
    dutch = catalogs.read(catalogs.TRANSLATIONS / "nl/LC_MESSAGES/messages.po")
    with app.test_request_context():
        for code, lazy in LABEL_SETS[kind].items():
            msgid = lazy._args[0]
            assert dutch.get(msgid) is not None and dutch[msgid].string, (kind, code)
            assert not dutch[msgid].fuzzy, (kind, code)
            with force_locale("en"):
                english = str(lazy)
            with force_locale("nl"):
                assert str(lazy) == dutch[msgid].string
            assert english and (english != code or kind == "object"), (kind, code)


def test_ws_structure_one_list_of_codes():
    # the codes the rest of the app uses are the vocabulary's (signals keeps an alias for now)
    from participatie import signals, themes
    from participatie.accounts import CURATORS, EDITORS, ROLES

    assert tuple(signals.SIGNAL_STATUSES) == vocabulary.SIGNAL_STATUSES
    assert signals.WITHDRAWN == vocabulary.WITHDRAWN
    assert themes.THEME_STATUSES is vocabulary.THEME_STATUSES
    assert ROLES is vocabulary.ROLES and EDITORS is vocabulary.EDITORS
    assert CURATORS is vocabulary.CURATORS


@pytest.mark.parametrize("module", ["accounts/permissions.py", "queries/filters.py",
                                    "queries/stats.py", "vocabulary.py", "themes/curation.py"])
def test_ws_structure_services_do_not_answer_http(module):
    # permissions and queries are pure: they raise Forbidden, the view answers 403
    source = (PACKAGE / module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "flask" for alias in node.names}
    assert not imported & {"abort", "request", "session", "g", "redirect"}
    if module != "vocabulary.py":
        assert "flask" not in {node.module for node in ast.walk(tree)
                               if isinstance(node, ast.ImportFrom)}


def test_ws_structure_a_forbidden_filter_is_403_and_changes_nothing(login, world, app):
    from sqlalchemy import func, select

    from participatie import db
    from participatie.models import AuditEvent

    client = login("kernteam")
    with app.app_context():
        before = db.session().scalar(select(func.count(AuditEvent.id)))
    assert client.get("/werkruimte/export/meldingen.csv?wijk=haven").status_code == 403
    assert client.get(f"/werkruimte/meldingen?thema={world.themes['other_wijk']}"
                      ).status_code == 403
    with app.app_context():
        assert db.session().scalar(select(func.count(AuditEvent.id))) == before


FORM_VIEWS = {"views/workspace/admin.py": "users_invite",
              "views/workspace/wijken.py": "wijken_add wijken_change",
              "views/workspace/reports.py": "report_status report_theme report_note report_contact"
                                            " report_owner report_duplicate",
              "views/workspace/themes.py": "theme_rename theme_split theme_status theme_merge"
                                           " theme_undo",
              "views/workspace/queue.py": "queue_decide",
              "views/workspace/agenda.py": "agreement_done",
              "views/workspace/dossiers.py": "dossier_action_done",
              "views/auth.py": "login invitation", "views/subscriptions.py": "_apply"}


@pytest.mark.parametrize("module", sorted(FORM_VIEWS))
def test_ws_structure_forms_are_flask_wtf_classes(module):
    # these views read their input through a FlaskForm class, not by hand from request.form
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    for name in FORM_VIEWS[module].split():
        reads = [node for node in ast.walk(functions[name]) if isinstance(node, ast.Attribute)
                 and node.attr == "form" and isinstance(node.value, ast.Name)
                 and node.value.id == "request"]
        assert reads == [], f"{module}:{name} reads request.form by hand"
        built = {node.func.id for node in ast.walk(functions[name])
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert any(b.endswith("Form") for b in built), f"{module}:{name} builds no form"


def test_ws_structure_one_field_macro_renders_errors_accessibly(client, world):
    html = client.post("/werkruimte/inloggen", data={"email": "", "password": ""}
                       ).get_data(as_text=True)
    assert 'id="email-error"' in html and 'aria-describedby="email-error"' in html
    assert 'id="password-error"' in html and 'autocomplete="current-password"' in html


def test_ws_structure_query_services_raise_forbidden(app, world):
    from werkzeug.datastructures import MultiDict

    from participatie import db, themes
    from participatie.accounts import Forbidden
    from participatie.models import User
    from participatie.queries.filters import read_filters

    with app.test_request_context():
        session = db.session()
        kernteam = session.get(User, world.users["kernteam"])
        with pytest.raises(Forbidden):
            read_filters(session, kernteam, MultiDict({"wijk": "haven"}))
        with pytest.raises(Forbidden):
            read_filters(session, kernteam, MultiDict({"thema": str(world.themes["other_wijk"])}))
        with pytest.raises(Forbidden):
            themes.target_theme(session, kernteam, str(world.themes["other_wijk"]))
        with pytest.raises(Forbidden):
            themes.target_theme(session, kernteam, "new", "Eigen thema")
        with pytest.raises(themes.UnclearChoice):
            themes.target_theme(session, kernteam, str(world.themes["other_region"]))
        assert themes.target_theme(session, kernteam, str(world.themes["spare"])).id == \
            world.themes["spare"]


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "-1", "١٢"])
def test_ws_structure_odd_theme_ids_are_refused_not_500(login, world, value):
    client = login("asd")
    assert client.get(f"/werkruimte/meldingen?thema={value}").status_code == 403
    response = client.post(f"/werkruimte/meldingen/{world.signals['own']}/thema",
                           data={"theme": value})
    assert response.status_code == 302


@pytest.mark.commits  # the pipeline reads the place names on a connection of its own
def test_ws_structure_place_names_need_no_app_context(app, world):
    # the pipeline is made inside a request: reading the place names must not open a second
    # app context (with a session of its own) nor touch the request's transaction
    from participatie.themes import bridge

    engine = app.extensions["db_engine"]
    names = bridge._place_names(engine)  # no app context here
    assert {"Almere", "Waterwijk", "Atolwijk", "Lelystad"} <= set(names)
    assert "app_context" not in (PACKAGE / "themes/bridge.py").read_text(encoding="utf-8")
