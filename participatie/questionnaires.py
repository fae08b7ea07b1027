"""Form and survey definitions: forms/*.yaml read into validated, frozen dataclasses (no Flask)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from participatie.yamlfile import DefinitionError, load, require

SCHEMA = 1
LANGUAGES = ("nl", "en")
KINDS = ("report", "survey")
QUESTION_TYPES = ("short_text", "long_text", "number", "single_choice", "multiple_choice", "likert",
                  "yes_no", "wijk", "disciplines", "contact", "repeat")
CHOICE_TYPES = ("single_choice", "multiple_choice", "likert")
SIGNAL_KEYS = ("text", "wijken", "disciplines", "frequency", "severity")
FORM_KEYS = {"schema", "id", "version", "kind", "title", "intro", "signals", "reporter_role",
             "role", "pages"}
PAGE_KEYS = {"id", "title", "questions"}
QUESTION_KEYS = {"id", "type", "label", "hint", "error", "required", "options", "min_length",
                 "max_length", "min", "max", "multiple", "postcode", "autocomplete", "show_if",
                 "questions", "min_items", "max_items"}
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# "Vijf korte vragen", "5 questions": a count in a text drifts when questions change; the pages
# say the number, taken from the definition.
_COUNT = re.compile(r"\b(\d+|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|one|two|three|"
                    r"four|five|six|seven|eight|nine|ten)\b[\w ]{0,12}?\b(vragen|questions)\b",
                    re.IGNORECASE)
_FORM_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Text:
    """A text in every language of the site."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in lang, Dutch when lang is unknown."""
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Option:
    """One answer of a choice question."""

    value: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """Show a question only when another (single choice or yes/no) question has this answer."""

    question: str
    equals: str


@dataclass(frozen=True)
class Question:
    """One question; which attributes matter depends on the type (see forms/README.md)."""

    id: str
    type: str
    label: Text
    hint: Text | None = None
    error: Text | None = None
    required: bool = True
    options: tuple[Option, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    multiple: bool = False
    postcode: bool = False
    autocomplete: str | None = None
    show_if: Condition | None = None
    questions: tuple[Question, ...] = ()
    min_items: int = 1
    max_items: int = 1


@dataclass(frozen=True)
class Page:
    """A page of the form: one question or one short group."""

    id: str
    title: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    """A whole form or survey with the mapping of its answers onto signals."""

    id: str
    version: int
    kind: str
    title: Text
    intro: Text
    pages: tuple[Page, ...]
    signals: dict[str, str]
    reporter_role: str | None
    role: str | None
    path: str

    def questions(self) -> dict[str, Question]:
        """Return every top-level question by id."""
        return {q.id: q for page in self.pages for q in page.questions}

    def page_index(self, page_id: str) -> int:
        """Return the position of a page, -1 when there is no such page."""
        return next((i for i, p in enumerate(self.pages) if p.id == page_id), -1)

    def question_count(self) -> tuple[int, int]:
        """Return how many questions a resident answers at least and at most (a group once)."""
        everything = [q for page in self.pages for q in page.questions]
        return sum(1 for q in everything if q.show_if is None), len(everything)

    def asks(self, question_type: str) -> bool:
        """Say whether any question (also inside a group) is of this type."""
        def walk(questions: tuple[Question, ...]) -> bool:
            return any(q.type == question_type or walk(q.questions) for q in questions)
        return any(walk(page.questions) for page in self.pages)

    def asks_contact(self) -> bool:
        """Say whether the form asks for contact details (kept apart, deleted after a while)."""
        return self.asks("contact")

    def asks_free_text(self) -> bool:
        """Say whether the form has questions answered in the resident's own words."""
        return self.asks("short_text") or self.asks("long_text")

    def severity_page(self) -> str | None:
        """Return the id of the page that asks how serious the problem is, if any."""
        qid = self.signals.get("severity")
        return next((p.id for p in self.pages for q in p.questions if q.id == qid), None)


def load_all(forms_dir: Path | str) -> dict[str, Questionnaire]:
    """Load and check every forms/*.yaml; the first broken file raises DefinitionError."""
    result: dict[str, Questionnaire] = {}
    for path in sorted(Path(forms_dir).glob("*.yaml")):
        questionnaire = load_file(path)
        if questionnaire.id in result:
            raise DefinitionError(path, 1, f"id '{questionnaire.id}' is also used by "
                                           f"{result[questionnaire.id].path}")
        result[questionnaire.id] = questionnaire
    return result


def load_file(path: Path | str) -> Questionnaire:
    """Load one definition file and check it completely."""
    data = load(path)
    if not isinstance(data, dict):
        raise DefinitionError(path, getattr(data, "line", 1), "expected a mapping at the top")
    _known(data, FORM_KEYS, path)
    if require(data, "schema", int, path) != SCHEMA:
        raise DefinitionError(path, data.lines["schema"], f"schema should be {SCHEMA}")
    form_id = require(data, "id", str, path)
    if not _FORM_ID.match(form_id):
        raise DefinitionError(path, data.lines["id"], f"id '{form_id}': use a-z, 0-9 and -")
    kind = require(data, "kind", str, path)
    if kind not in KINDS:
        raise DefinitionError(path, data.lines["kind"], f"kind should be one of {', '.join(KINDS)}")
    version = require(data, "version", int, path)
    if version < 1:
        raise DefinitionError(path, data.lines["version"], "version should be 1 or more")
    pages = tuple(_page(p, path) for p in _items(data, "pages", path))
    questionnaire = Questionnaire(
        id=form_id, version=version, kind=kind, title=_text(data, "title", path),
        intro=_text(data, "intro", path), pages=pages, signals=dict(data.get("signals") or {}),
        reporter_role=data.get("reporter_role"), role=data.get("role"), path=str(path),
    )
    _check_form(questionnaire, data, path)
    _check_texts(questionnaire, data, path)
    return questionnaire


def _check_texts(form: Questionnaire, data: Any, path: Path | str) -> None:
    """Refuse texts that would mislead: a fixed question count, a heading that repeats a label,
    one error message for two questions (the error summary would not say which is meant)."""
    for lang in LANGUAGES:
        if _COUNT.search(form.intro.get(lang)):
            raise DefinitionError(path, data.lines["intro"], "intro: do not count the questions "
                                  "in a text; the first page says how many there are")
    errors: dict[str, str] = {}
    for page, entry in zip(form.pages, data["pages"], strict=True):
        for question, q_entry in zip(page.questions, entry["questions"], strict=True):
            for lang in LANGUAGES:
                if question.label.get(lang) == page.title.get(lang):
                    raise DefinitionError(path, q_entry.line, f"the page title repeats the label "
                                          f"of '{question.id}'; give the page its own title")
            for sub in (question, *question.questions):
                if sub.type in ("contact", "repeat"):
                    continue
                if sub.error is not None:
                    for lang in LANGUAGES:
                        text = sub.error.get(lang)
                        if text in errors:
                            raise DefinitionError(
                                path, q_entry.line, f"'{sub.id}' has the same error text as "
                                f"'{errors[text]}'; say which question is meant")
                        errors[text] = sub.id


def _known(entry: Any, allowed: set[str], path: Path | str) -> None:
    """Refuse keys the schema does not know: usually a typo that would be ignored silently."""
    for key in entry:
        if key not in allowed:
            raise DefinitionError(path, entry.lines.get(key, entry.line),
                                  f"unknown key '{key}'; see forms/README.md for the keys")


def _items(entry: Any, key: str, path: Path | str) -> list[Any]:
    items = require(entry, key, list, path)
    if not items:
        raise DefinitionError(path, entry.lines[key], f"'{key}' should not be empty")
    return items


def _text(entry: Any, key: str, path: Path | str, optional: bool = False) -> Text | None:
    if optional and key not in entry:
        return None
    value = require(entry, key, (str, dict), path)
    line = entry.lines.get(key, entry.line)
    if isinstance(value, str):
        raise DefinitionError(path, line,
                              f"'{key}' needs a text per language: {{nl: ..., en: ...}}")
    if set(value) - set(LANGUAGES):
        raise DefinitionError(path, line, f"'{key}' has a text in an unknown language "
                              f"{sorted(set(value) - set(LANGUAGES))} (is a comma unquoted?)")
    for lang in LANGUAGES:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise DefinitionError(path, line, f"'{key}' has no {lang} text")
    return Text(nl=value["nl"].strip(), en=value["en"].strip())


def _page(entry: Any, path: Path | str) -> Page:
    page_id = require(entry, "id", str, path)
    _known(entry, PAGE_KEYS, path)
    questions = tuple(_question(q, path) for q in _items(entry, "questions", path))
    return Page(id=page_id, title=_text(entry, "title", path), questions=questions)  # type: ignore[arg-type]


def _question(entry: Any, path: Path | str) -> Question:
    qid, qtype = require(entry, "id", str, path), require(entry, "type", str, path)
    _known(entry, QUESTION_KEYS, path)
    if not _ID.match(qid):
        raise DefinitionError(path, entry.lines["id"], f"question id '{qid}': use a-z, 0-9 and _")
    if qtype not in QUESTION_TYPES:
        raise DefinitionError(path, entry.lines["type"],
                              f"unknown type '{qtype}'; use one of {', '.join(QUESTION_TYPES)}")
    options = tuple(_option(o, path) for o in _items(entry, "options", path)) \
        if qtype in CHOICE_TYPES else ()
    if qtype == "likert" and len(options) != 5:
        raise DefinitionError(path, entry.lines["options"], "a likert scale needs 5 options")
    condition = None
    if "show_if" in entry:
        cond = require(entry, "show_if", dict, path)
        condition = Condition(require(cond, "question", str, path),
                              str(require(cond, "equals", (str, bool, int), path)))
    nested = tuple(_question(q, path) for q in _items(entry, "questions", path)) \
        if qtype == "repeat" else ()
    return Question(
        id=qid, type=qtype, label=_text(entry, "label", path),  # type: ignore[arg-type]
        hint=_text(entry, "hint", path, True),
        error=_text(entry, "error", path, True), required=bool(entry.get("required", True)),
        options=options, min_length=_int(entry, "min_length", path),
        max_length=_int(entry, "max_length", path), min=_int(entry, "min", path),
        max=_int(entry, "max", path), multiple=bool(entry.get("multiple", False)),
        postcode=bool(entry.get("postcode", False)), autocomplete=entry.get("autocomplete"),
        show_if=condition, questions=nested, min_items=_int(entry, "min_items", path) or 1,
        max_items=_int(entry, "max_items", path) or 1,
    )


def _int(entry: Any, key: str, path: Path | str) -> int | None:
    return require(entry, key, int, path) if key in entry else None


def _option(entry: Any, path: Path | str) -> Option:
    value = require(entry, "value", (str, int), path)
    return Option(value=str(value), label=_text(entry, "label", path))  # type: ignore[arg-type]


def _check_form(form: Questionnaire, data: Any, path: Path | str) -> None:
    """Check what spans questions: unique ids, conditions, the mapping onto signals."""
    seen: dict[str, Question] = {}
    for page, entry in zip(form.pages, data["pages"], strict=True):
        for question, q_entry in zip(page.questions, entry["questions"], strict=True):
            line = q_entry.line
            if question.id in seen:
                raise DefinitionError(path, line, f"question id '{question.id}' is used twice")
            cond = question.show_if
            if cond and cond.question not in seen and cond.question not in {
                    q.id for q in page.questions[:page.questions.index(question)]}:
                raise DefinitionError(path, q_entry.lines["show_if"], f"show_if refers to "
                                      f"'{cond.question}', which is not an earlier question")
            if cond:
                _check_condition(seen.get(cond.question) or next(
                    q for q in page.questions if q.id == cond.question), cond, path,
                    q_entry.lines["show_if"])
            seen[question.id] = question
    _check_signals(form, seen, data, path)


def _check_condition(target: Question, cond: Condition, path: Path | str, line: int) -> None:
    if target.type not in ("single_choice", "yes_no"):
        raise DefinitionError(path, line, "show_if can only refer to a single_choice or yes_no")
    values = [o.value for o in target.options] if target.options else ["yes", "no"]
    if cond.equals not in values:
        raise DefinitionError(path, line, f"'{cond.equals}' is not an answer of '{target.id}'")


def _check_signals(form: Questionnaire, seen: dict[str, Question], data: Any,
                   path: Path | str) -> None:
    line = data.lines.get("signals", 1)
    if form.kind == "report" and "text" not in form.signals:
        raise DefinitionError(path, line, "a report needs signals: with at least 'text'")
    scope = seen
    if "repeat" in form.signals:
        group = seen.get(form.signals["repeat"])
        if group is None or group.type != "repeat":
            raise DefinitionError(path, line,
                                  "signals.repeat should name a question of type repeat")
        scope = {q.id: q for q in group.questions}
    for key, qid in form.signals.items():
        if key != "repeat" and (key not in SIGNAL_KEYS or qid not in scope):
            raise DefinitionError(path, line, f"signals.{key}: no question '{qid}' to take it from")
    if form.reporter_role and form.reporter_role not in seen:
        raise DefinitionError(path, data.lines["reporter_role"],
                              f"reporter_role: no question '{form.reporter_role}'")
