import textwrap

import pytest

from participatie.questionnaires import QUESTION_TYPES, load_all, load_file
from participatie.yamlfile import DefinitionError
from tests.conftest import make_app

GOOD = """\
schema: 1
id: test
version: 2
kind: report
title: {nl: Test, en: Test}
intro: {nl: Intro, en: Intro}
signals: {text: wat, wijken: wijk}
pages:
  - id: een
    title: {nl: Een, en: One}
    questions:
      - id: wijk
        type: wijk
        label: {nl: Wijk, en: Neighbourhood}
      - id: wat
        type: long_text
        label: {nl: Wat, en: What}
      - id: keuze
        type: yes_no
        label: {nl: Keuze, en: Choice}
      - id: waarom
        type: short_text
        show_if: {question: keuze, equals: "yes"}
        label: {nl: Waarom, en: Why}
"""


def write(tmp_path, text, name="test.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_questionnaires_every_definition_in_forms_loads(project_root):
    found = load_all(project_root / "forms")
    assert {"knelpunt", "clientenraad", "peiling-huisarts"} <= set(found)
    used = {q.type for form in found.values() for q in form.questions().values()}
    assert used | {"yes_no"} >= {"wijk", "long_text", "disciplines", "likert", "contact", "repeat"}


def test_questionnaires_good_definition_becomes_frozen_dataclasses(tmp_path):
    form = load_file(write(tmp_path, GOOD))
    assert (form.id, form.version, form.kind) == ("test", 2, "report")
    waarom = form.questions()["waarom"]
    assert waarom.show_if.question == "keuze" and waarom.show_if.equals == "yes"
    assert waarom.label.get("en") == "Why" and waarom.label.get("xx") == "Waarom"
    with pytest.raises(AttributeError):
        waarom.required = False


@pytest.mark.parametrize(("change", "line", "problem"), [
    (("version: 2", "version: twee"), 3, "'version' should be int"),
    (("kind: report", "kind: poll"), 4, "kind should be one of report, survey"),
    (("title: {nl: Test, en: Test}", "title: {nl: Test}"), 5, "'title' has no en text"),
    (("title: {nl: Test, en: Test}", "title: Test"), 5, "needs a text per language"),
    (("type: long_text", "type: essay"), 16, "unknown type 'essay'"),
    (("label: {nl: Wat, en: What}", "label: {nl: Wat, of zo, en: What}"), 17,
     "unknown language"),
    (("equals: \"yes\"", "equals: misschien"), 23, "'misschien' is not an answer of 'keuze'"),
    (("question: keuze", "question: later"), 23, "'later', which is not an earlier question"),
    (("- id: waarom", "- id: wat"), 21, "question id 'wat' is used twice"),
    (("signals: {text: wat, wijken: wijk}", "signals: {text: tekst}"), 7,
     "signals.text: no question 'tekst'"),
    (("        type: short_text\n", "        type: short_text\n        requird: false\n"), 23,
     "unknown key 'requird'"),
    (("pages:", "pages: []\nold:"), 10, "unknown key 'old'"),
    (("title: {nl: Een, en: One}", "title: {nl: Een, en: One"), 11, "not valid YAML"),
])
def test_questionnaires_broken_definition_names_file_line_and_problem(tmp_path, change, line,
                                                                      problem):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line, str(caught.value)
    assert problem in caught.value.problem
    assert str(caught.value).startswith(f"{path}, line {line}: ")


def test_questionnaires_likert_needs_five_labels(tmp_path):
    text = GOOD.replace("        type: yes_no\n", "        type: likert\n        options:\n"
                        "          - {value: 1, label: {nl: Een, en: One}}\n")
    with pytest.raises(DefinitionError, match="a likert scale needs 5 options"):
        load_file(write(tmp_path, text))


def test_questionnaires_duplicate_form_ids_are_refused(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(DefinitionError, match="id 'test' is also used by"):
        load_all(tmp_path)


def test_questionnaires_every_type_is_documented(project_root):
    readme = (project_root / "forms" / "README.md").read_text(encoding="utf-8")
    for name in QUESTION_TYPES:
        assert f"`{name}`" in readme


def test_questionnaires_app_refuses_to_start_with_broken_definition(tmp_path, database_url):
    write(tmp_path, GOOD.replace("kind: report", "kind: poll"))
    with pytest.raises(DefinitionError, match="test.yaml, line 4"):
        make_app(database_url, FORMS_DIR=str(tmp_path))


def test_questionnaires_cli_check(runner, tmp_path):
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code == 0, result.output
    assert "knelpunt version 1 (report, 6 pages)" in result.output
