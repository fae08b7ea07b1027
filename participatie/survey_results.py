"""Survey results per question, per wijk and per quarter, with small cells suppressed (no Flask).

The API is two functions and three small dataclasses:

    quarter_bounds("2026-Q1")                      -> (start, end) in UTC, Europe/Amsterdam quarters
    results(session, region, form, "2026-Q1", "waterwijk" or None) -> SurveyResults

`SurveyResults.respondents` and every `Cell.count` is an int, or None when it is suppressed (shown
as "<5"). Only choice questions are counted (single and multiple choice, likert, yes/no); free text
never leaves this module.

Privacy rules (so that no cell under 5 is shown, also not by combining what is shown):

1. A period is one calendar quarter, and the groups are fixed (each wijk, and the whole region);
   there are no other filters, so overlapping filters cannot be subtracted from each other.
2. A group with fewer than 5 respondents shows nothing at all.
3. A count from 1 to 4 is suppressed. Zero is shown: it is about nobody. For a multiple-choice or
   yes/no option, the count is also suppressed when fewer than 5 respondents did NOT choose it.
4. Within a single-choice question (likert, yes/no, single choice), when the suppressed counts add
   up to 1 to 4 (e.g. only one cell is suppressed and the total is shown), the smallest shown
   count is suppressed too, until the suppressed counts add up to 5 or more.
5. The region's count is suppressed when the region minus the wijken that show this count adds up
   to 1 to 4 (the respondents without a wijk always count as not shown), so a wijk's suppressed
   cell cannot be found by subtracting the wijken from the region.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from participatie.models import Region, Submission
from participatie.questionnaires import Question, Questionnaire, Text

MIN_CELL = 5
COUNTED_TYPES = ("single_choice", "likert", "yes_no", "multiple_choice")
SINGLE_TYPES = ("single_choice", "likert", "yes_no")
TIMEZONE = ZoneInfo("Europe/Amsterdam")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
NO_WIJK = ""
YES_NO = (("yes", Text("Ja", "Yes")), ("no", Text("Nee", "No")))


@dataclass(frozen=True)
class Cell:
    """One answer of one question: its value, label, and count (None when suppressed)."""

    value: str
    label: Text
    count: int | None


@dataclass(frozen=True)
class QuestionResult:
    """The distribution of the answers to one question."""

    id: str
    label: Text
    multiple: bool
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class SurveyResults:
    """A survey's results for one group (a wijk or the region) in one quarter."""

    form_id: str
    period: str
    wijk_slug: str | None
    respondents: int | None
    questions: tuple[QuestionResult, ...]


def quarter_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """Return the UTC start and end of a quarter like '2026-Q1' (Europe/Amsterdam calendar)."""
    match = _QUARTER.match(period or "")
    if not match:
        raise ValueError(f"a period looks like 2026-Q1, not {period!r}")
    year, quarter = int(match.group(1)), int(match.group(2))
    start = dt.datetime(year, 3 * quarter - 2, 1, tzinfo=TIMEZONE)
    end = (dt.datetime(year + 1, 1, 1, tzinfo=TIMEZONE) if quarter == 4
           else dt.datetime(year, 3 * quarter + 1, 1, tzinfo=TIMEZONE))
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def quarter_of(day: dt.date) -> str:
    """Return the quarter a date falls in, e.g. '2026-Q1'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def counted_questions(form: Questionnaire) -> list[Question]:
    """Return the questions whose answers are counted (choice questions, never free text)."""
    return [q for q in form.questions().values() if q.type in COUNTED_TYPES]


def _options(question: Question) -> tuple[tuple[str, Text], ...]:
    if question.type == "yes_no":
        return YES_NO
    return tuple((o.value, o.label) for o in question.options)


def _wijk_question(form: Questionnaire) -> str | None:
    return next((q.id for q in form.questions().values() if q.type == "wijk"), None)


def _group_of(answers: dict[str, object], wijk_question: str | None) -> str:
    value = answers.get(wijk_question) if wijk_question else None
    if isinstance(value, list):  # more than one wijk: not attributable to one group
        return value[0] if len(value) == 1 and isinstance(value[0], str) else NO_WIJK
    return value if isinstance(value, str) else NO_WIJK


@dataclass
class _Raw:
    respondents: int
    counts: dict[str, Counter[str]]


def _raw_counts(session: Session, region: Region, form: Questionnaire,
                period: str) -> dict[str, _Raw]:
    start, end = quarter_bounds(period)
    rows = session.scalars(
        select(Submission.answers).where(
            Submission.region_id == region.id, Submission.form_id == form.id,
            Submission.withdrawn_at.is_(None), Submission.created_at >= start,
            Submission.created_at < end))
    wijk_question = _wijk_question(form)
    questions = counted_questions(form)
    groups: dict[str, _Raw] = {}
    for answers in rows:
        group = groups.setdefault(_group_of(answers, wijk_question),
                                  _Raw(0, {q.id: Counter() for q in questions}))
        group.respondents += 1
        for question in questions:
            value = answers.get(question.id)
            values = value if isinstance(value, list) else [value] if value else []
            group.counts[question.id].update(v for v in values if isinstance(v, str))
    return groups


def _small(count: int) -> bool:
    return 0 < count < MIN_CELL


def gives_away(rest: int, hidden: int) -> bool:
    """Tell whether `rest`, what a total minus the shown parts leaves for `hidden` suppressed
    parts (each 1 to 4), reveals them: when it is under 5 itself, or when they must all be 1 or
    all be 4 (two hidden cells next to 8 are 4 and 4)."""
    return _small(rest) or (hidden > 0 and rest in (hidden, (MIN_CELL - 1) * hidden))


def _suppress_group(raw: _Raw, questions: list[Question]) -> dict[str, dict[str, int | None]]:
    """Apply rules 3 and 4 to one group; return question -> value -> count or None."""
    shown: dict[str, dict[str, int | None]] = {}
    for question in questions:
        counts = raw.counts[question.id]
        cells: dict[str, int | None] = {}
        for value, _label in _options(question):
            count = counts.get(value, 0)
            binary = question.type in ("multiple_choice", "yes_no")
            hide = _small(count) or (binary and _small(raw.respondents - count))
            cells[value] = None if hide else count
        shown[question.id] = cells
        _complement(question, counts, cells)
    return shown


def _complement(question: Question, counts: Counter[str], cells: dict[str, int | None]) -> None:
    """Rule 4: suppress more counts until the suppressed ones add up to 0 or 5 and more, and
    to a sum that does not tell them apart (8 over two hidden answers: both are 4)."""
    if question.type not in SINGLE_TYPES:
        return
    answered = sum(counts.get(v, 0) for v, _label in _options(question))
    while True:
        hidden = answered - sum(c for c in cells.values() if c is not None)
        parts = sum(c is None for c in cells.values())
        visible = [(c, v) for v, c in cells.items() if c]
        if not gives_away(hidden, parts) or not visible:
            return
        cells[min(visible)[1]] = None


def results(session: Session, region: Region, form: Questionnaire, period: str,
            wijk_slug: str | None = None) -> SurveyResults:
    """Return a survey's suppressed results for one wijk (or the region) in one quarter."""
    if form.kind != "survey":
        raise ValueError(f"{form.id} is not a survey")
    questions = counted_questions(form)
    groups = _raw_counts(session, region, form, period)
    wijk_slugs = {w.slug for w in region.wijken}
    if wijk_slug is not None and wijk_slug not in wijk_slugs:
        raise ValueError(f"{wijk_slug!r} is not a wijk of {region.slug}")
    per_wijk = {slug: _suppress_group(raw, questions) for slug, raw in groups.items()
                if slug in wijk_slugs and raw.respondents >= MIN_CELL}

    if wijk_slug is not None:
        raw = groups.get(wijk_slug)
        if raw is None or raw.respondents < MIN_CELL:
            return _empty(form, period, wijk_slug, questions)
        return _build(form, period, wijk_slug, raw.respondents, questions, per_wijk[wijk_slug])

    total = _Raw(0, {q.id: Counter() for q in questions})
    for raw in groups.values():
        total.respondents += raw.respondents
        for qid, counter in raw.counts.items():
            total.counts[qid].update(counter)
    if total.respondents < MIN_CELL:
        return _empty(form, period, None, questions)
    # rule 5 for the number of respondents: the region minus the wijken that show theirs
    shown_respondents = sum(groups[s].respondents for s in per_wijk)
    respondents: int | None = total.respondents
    if _small(total.respondents - shown_respondents):
        respondents = None
    region_cells = _suppress_group(total, questions)
    for question in questions:
        for value, count in region_cells[question.id].items():
            if count is None:
                continue
            shown_in_wijken = sum(cells[question.id][value] or 0 for cells in per_wijk.values()
                                  if cells[question.id][value] is not None)
            if _small(count - shown_in_wijken):
                region_cells[question.id][value] = None
        _complement(question, total.counts[question.id], region_cells[question.id])
    return _build(form, period, None, respondents, questions, region_cells)


def _empty(form: Questionnaire, period: str, wijk_slug: str | None,
           questions: list[Question]) -> SurveyResults:
    return SurveyResults(form.id, period, wijk_slug, None, tuple(
        QuestionResult(q.id, q.label, q.type == "multiple_choice",
                       tuple(Cell(v, label, None) for v, label in _options(q)))
        for q in questions))


def _build(form: Questionnaire, period: str, wijk_slug: str | None, respondents: int | None,
           questions: list[Question], cells: dict[str, dict[str, int | None]]) -> SurveyResults:
    return SurveyResults(form.id, period, wijk_slug, respondents, tuple(
        QuestionResult(q.id, q.label, q.type == "multiple_choice",
                       tuple(Cell(v, label, cells[q.id][v]) for v, label in _options(q)))
        for q in questions))


def show(count: int | None) -> str:
    """Return a count for a screen or CSV: '<5' when suppressed."""
    return "<5" if count is None else str(count)
