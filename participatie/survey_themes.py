"""Free-text survey answers grouped into themes per question and quarter, with small cells hidden.

Grouping runs in a background job (participatie/jobs.py: after every rebuild, nightly, and when
the ASD or beheerder asks for it), never in a request: `compute_region` embeds the redacted
answers with the app's nlp pipeline and groups them with `nlp.rebuild`, the same clustering
that makes the report themes. It stores per survey, question and quarter one `SurveyGrouping`
for the whole region, with each member's wijk. The page then counts a group for the wijk or the
region it shows (`grouped`), so the groups are the same in every wijk and the counts follow the
page's filters.

Texts are never copied into the grouping: only submission ids. A withdrawn answer stops counting
at once (the page reads which submissions are still live) and is gone from the labels and
keywords after the next computation.

Privacy rules, the same as for the choice questions (participatie/survey_results.py):

1. Fewer than 5 answers to a question in a wijk (or the region) in a quarter: no groups at all.
2. A group (or the "not in a group" count) of 1 to 4 answers shows "<5"; 0 hides the group.
3. When the hidden counts of a question add up to 1 to 4, the smallest shown count is hidden too
   (the number of answers is shown, so one hidden count could be found by subtraction).
4. The region's count is hidden when the region minus the wijken that show that count adds up
   to 1 to 4; so is the region's number of answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from participatie.models import Region, Submission, SurveyGrouping, utcnow
from participatie.questionnaires import Question, Questionnaire, Text
from participatie.survey_results import (
    MIN_CELL,
    TIMEZONE,
    _group_of,
    _small,
    _wijk_question,
    quarter_bounds,
    quarter_of,
)

FREE_TEXT_TYPES = ("short_text", "long_text")
KEYWORDS = 5  # keywords shown per group


@dataclass(frozen=True)
class Group:
    """One group of answers: its label, keywords, and count (None when it is under 5)."""

    label: str
    keywords: tuple[str, ...]
    count: int | None


@dataclass(frozen=True)
class QuestionGroups:
    """The grouped answers to one free-text question, for one wijk (or the region) and quarter.

    `computed_at` is None when no grouping was made yet; `too_few` when fewer than 5 answers
    were given here (then nothing else is shown). `answers` and `ungrouped` are None when hidden.
    """

    question_id: str
    label: Text
    computed_at: dt.datetime | None
    too_few: bool
    answers: int | None
    groups: tuple[Group, ...]
    ungrouped: int | None


def free_text_questions(form: Questionnaire) -> list[Question]:
    """Return the survey's free-text questions (short and long text)."""
    return [q for q in form.questions().values() if q.type in FREE_TEXT_TYPES]


# --- computing (in a job) ----------------------------------------------------------------------


def _quarters(session: Session, region: Region, form: Questionnaire) -> list[str]:
    dates = session.scalars(select(Submission.created_at).where(
        Submission.region_id == region.id, Submission.form_id == form.id,
        Submission.withdrawn_at.is_(None)))
    return sorted({quarter_of(d.astimezone(TIMEZONE).date()) for d in dates})


def _answers(session: Session, region: Region, form: Questionnaire, question_id: str,
             period: str) -> list[tuple[int, str, str]]:
    """Return (submission id, redacted text, wijk slug or '') of the live answers."""
    start, end = quarter_bounds(period)
    rows = session.execute(select(Submission.id, Submission.answers).where(
        Submission.region_id == region.id, Submission.form_id == form.id,
        Submission.withdrawn_at.is_(None), Submission.created_at >= start,
        Submission.created_at < end).order_by(Submission.id))
    wijk_question = _wijk_question(form)
    found = []
    for submission_id, answers in rows:
        text = (answers or {}).get(question_id)
        if isinstance(text, str) and text.strip():
            found.append((submission_id, text.strip(), _group_of(answers, wijk_question)))
    return found


def group_texts(language: Any, texts: list[str]) -> tuple[list[tuple[str, list[str], list[int]]],
                                                          list[int]]:
    """Group redacted texts with the nlp pipeline; return (label, keywords, rows) and the rest."""
    import nlp
    from nlp.pipeline import analyse

    docs = analyse(language, texts, redacted=True, assign=False)
    reports = [nlp.Report(id=str(i), text=t, vector=d._.vector)
               for i, (t, d) in enumerate(zip(texts, docs, strict=True))]
    build = nlp.rebuild(reports)
    groups = [(t.label, list(t.keywords), [int(m.report_id) for m in t.members])
              for t in build.themes if t.members]
    return groups, [int(r) for r in build.overig]


def _member_ids(row: SurveyGrouping) -> set[int]:
    return {sid for g in row.groups for sid, _slug in g["members"]} | {
        sid for sid, _slug in row.ungrouped}


def compute(session: Session, region: Region, form: Questionnaire, question_id: str,
            period: str, language: Any, force: bool = False) -> SurveyGrouping:
    """Group one question's live answers in one quarter and store it (no commit).

    When the stored grouping already holds exactly these answers, it is kept (answers never
    change, they are only withdrawn) unless `force`: a quarter's answers are not embedded again
    every night.
    """
    items = _answers(session, region, form, question_id, period)
    row = session.scalar(select(SurveyGrouping).where(
        SurveyGrouping.region_id == region.id, SurveyGrouping.form_id == form.id,
        SurveyGrouping.question_id == question_id, SurveyGrouping.period == period))
    if row is not None and not force and _member_ids(row) == {i for i, _t, _w in items}:
        row.computed_at = utcnow()
        return row
    groups, rest = group_texts(language, [text for _id, text, _wijk in items]) if items else (
        [], [])

    def member(i: int) -> list[Any]:
        return [items[i][0], items[i][2]]

    if row is None:
        row = SurveyGrouping(region_id=region.id, form_id=form.id, question_id=question_id,
                             period=period)
        session.add(row)
    row.groups = [{"label": label, "keywords": keywords[:KEYWORDS],
                   "members": [member(i) for i in rows]} for label, keywords, rows in groups]
    row.ungrouped = [member(i) for i in rest]
    row.computed_at = utcnow()
    session.flush()
    return row


def compute_region(session: Session, region: Region, forms: dict[str, Questionnaire],
                   language: Any, force: bool = False) -> dict[str, int]:
    """Group every survey's free-text answers per question and quarter; drop stale groupings."""
    kept: set[int] = set()
    answers = 0
    for form in forms.values():
        if form.kind != "survey":
            continue
        for period in _quarters(session, region, form):
            for question in free_text_questions(form):
                row = compute(session, region, form, question.id, period, language, force)
                kept.add(row.id)
                answers += sum(len(g["members"]) for g in row.groups) + len(row.ungrouped)
    stale = delete(SurveyGrouping).where(SurveyGrouping.region_id == region.id)
    if kept:
        stale = stale.where(SurveyGrouping.id.not_in(kept))
    session.execute(stale)
    session.flush()
    return {"groupings": len(kept), "answers": answers}


# --- showing (in a request: counting only) -----------------------------------------------------


def _complement(counts: list[int], cells: list[int | None]) -> None:
    """Hide the smallest shown counts until the hidden ones add up to 0 or 5 and more."""
    total = sum(counts)
    while True:
        hidden = total - sum(c for c in cells if c is not None)
        visible = [(c, i) for i, c in enumerate(cells) if c]
        if not _small(hidden) or not visible:
            return
        cells[min(visible)[1]] = None


def _suppress(counts: list[int]) -> list[int | None]:
    cells: list[int | None] = [None if _small(c) else c for c in counts]
    _complement(counts, cells)
    return cells


def _counts(row: SurveyGrouping, live: set[int], wijk: str | None) -> list[int]:
    """Count each group's live members in a wijk (or all); the last count is the ungrouped."""
    def count(members: list[list[Any]]) -> int:
        return sum(1 for sid, slug in members if sid in live and (wijk is None or slug == wijk))

    return [count(g["members"]) for g in row.groups] + [count(row.ungrouped)]


def _live(session: Session, row: SurveyGrouping) -> set[int]:
    ids = _member_ids(row)
    if not ids:
        return set()
    return set(session.scalars(select(Submission.id).where(
        Submission.id.in_(sorted(ids)), Submission.withdrawn_at.is_(None))))


def _shown(row: SurveyGrouping, live: set[int], wijk_slug: str | None,
           wijk_slugs: list[str]) -> tuple[int | None, list[int | None]] | None:
    """Return (answers, cells) for a wijk or the region after the rules; None: too few."""
    counts = _counts(row, live, wijk_slug)
    total = sum(counts)
    if total < MIN_CELL:
        return None
    cells = _suppress(counts)
    if wijk_slug is not None:
        return total, cells
    per_wijk = []
    for slug in wijk_slugs:
        wijk_counts = _counts(row, live, slug)
        if sum(wijk_counts) >= MIN_CELL:
            per_wijk.append((sum(wijk_counts), _suppress(wijk_counts)))
    answers: int | None = total
    if _small(total - sum(n for n, _cells in per_wijk)):
        answers = None
    for i, count in enumerate(cells):
        if count is not None and _small(count - sum(c[i] or 0 for _n, c in per_wijk)):
            cells[i] = None
    _complement(counts, cells)
    return answers, cells


def grouped(session: Session, region: Region, form: Questionnaire, period: str,
            wijk_slug: str | None = None) -> list[QuestionGroups]:
    """Return the stored groups of each free-text question for a wijk (or the region)."""
    wijk_slugs = sorted(w.slug for w in region.wijken)
    if wijk_slug is not None and wijk_slug not in wijk_slugs:
        raise ValueError(f"{wijk_slug!r} is not a wijk of {region.slug}")
    rows = {r.question_id: r for r in session.scalars(select(SurveyGrouping).where(
        SurveyGrouping.region_id == region.id, SurveyGrouping.form_id == form.id,
        SurveyGrouping.period == period))}
    found = []
    for question in free_text_questions(form):
        row = rows.get(question.id)
        if row is None:
            found.append(QuestionGroups(question.id, question.label, None, False, None, (), None))
            continue
        live = _live(session, row)
        shown = _shown(row, live, wijk_slug, wijk_slugs)
        if shown is None:
            found.append(QuestionGroups(question.id, question.label, row.computed_at, True,
                                        None, (), None))
            continue
        answers, cells = shown
        counts = _counts(row, live, wijk_slug)
        groups = [(Group(g["label"], tuple(g["keywords"]), cell), count)
                  for g, cell, count in zip(row.groups, cells, counts, strict=False) if count]
        groups.sort(key=lambda item: (item[0].count is None, -(item[0].count or 0),
                                      item[0].label))
        found.append(QuestionGroups(question.id, question.label, row.computed_at, False, answers,
                                    tuple(g for g, _count in groups), cells[-1]))
    return found
