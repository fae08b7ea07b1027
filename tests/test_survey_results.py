"""Survey results per wijk and quarter: counts, and no cell under 5 shown, alone or combined."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from sqlalchemy import select

from participatie import db, survey_results
from participatie.models import Region, Submission
from participatie.questionnaires import load_file

FORM = load_file(Path(__file__).resolve().parents[1] / "forms" / "peiling-huisarts.yaml")
IN_Q1 = dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC)
NUMBERS = itertools.count()


def _answer(session, region, wijk, telefoon, hoe=("telefoon",), ingeschreven="yes",
            created=IN_Q1):
    answers = {"telefoon": telefoon, "afspraak": "3", "hoe": list(hoe),
               "ingeschreven": ingeschreven, "tip": "Mijn naam is Jan"}
    if wijk:
        answers["wijk"] = wijk
    session.add(Submission(reference=f"S{next(NUMBERS):06d}", region_id=region.id,
                           form_id=FORM.id, form_version=1, answers=answers, created_at=created))


def _region(session) -> Region:
    return session.scalar(select(Region).where(Region.slug == "almere"))


def _cells(result, question):
    found = next(q for q in result.questions if q.id == question)
    return {c.value: c.count for c in found.cells}


def test_quarters_follow_the_dutch_calendar():
    start, end = survey_results.quarter_bounds("2026-Q1")
    assert start == dt.datetime(2025, 12, 31, 23, tzinfo=dt.UTC)   # 1 Jan 00:00 CET
    assert end == dt.datetime(2026, 3, 31, 22, tzinfo=dt.UTC)      # 1 Apr 00:00 CEST
    assert survey_results.quarter_of(dt.date(2026, 11, 29)) == "2026-Q4"
    with pytest.raises(ValueError, match="2026-Q1"):
        survey_results.quarter_bounds("2026-05")


def test_counts_per_wijk_and_quarter_with_small_cells_suppressed(app):
    with app.app_context():
        session = db.session()
        region = _region(session)
        for _ in range(6):
            _answer(session, region, "waterwijk", "1")
        for _ in range(5):
            _answer(session, region, "waterwijk", "2", hoe=("telefoon", "app"))
        _answer(session, region, "waterwijk", "5", ingeschreven="no")   # a single "5"
        _answer(session, region, "waterwijk", "1", created=IN_Q1 + dt.timedelta(days=90))  # Q2
        session.commit()
        result = survey_results.results(session, region, FORM, "2026-Q1", "waterwijk")
        assert result.respondents == 12
        telefoon = _cells(result, "telefoon")
        # the lone "5" is suppressed; then the hidden cells add up to 1, so rule 4 hides the
        # smallest shown count (5 x "2") too, and nobody can subtract their way to the "5"
        assert telefoon == {"1": 6, "2": None, "3": 0, "4": 0, "5": None}
        # multiple choice: 12 chose phone (0 did not: shown), 5 chose the app
        assert _cells(result, "hoe") == {"telefoon": 12, "balie": 0, "app": 5, "anders": 0}
        # yes/no: only one "no", so both answers are hidden (11 yes would reveal the 1 no)
        assert _cells(result, "ingeschreven") == {"yes": None, "no": None}
        # free text and the wijk question are never part of the results
        assert {q.id for q in result.questions} == {"telefoon", "afspraak", "hoe", "ingeschreven"}
        q2 = survey_results.results(session, region, FORM, "2026-Q2", "waterwijk")
        assert q2.respondents is None and _cells(q2, "telefoon")["1"] is None


def test_the_region_cannot_be_subtracted_to_reveal_a_small_wijk(app):
    with app.app_context():
        session = db.session()
        region = _region(session)
        for _ in range(7):
            _answer(session, region, "waterwijk", "4")
        for _ in range(3):           # Haven: 3 respondents, too few to show on its own
            _answer(session, region, "haven", "4")
        session.commit()
        haven = survey_results.results(session, region, FORM, "2026-Q1", "haven")
        waterwijk = survey_results.results(session, region, FORM, "2026-Q1", "waterwijk")
        whole = survey_results.results(session, region, FORM, "2026-Q1")
        assert haven.respondents is None
        assert waterwijk.respondents == 7 and _cells(waterwijk, "telefoon")["4"] == 7
        # region 10 - Waterwijk 7 = 3 would reveal Haven: the region hides these counts
        assert whole.respondents is None
        assert _cells(whole, "telefoon")["4"] is None
        assert survey_results.show(None) == "<5" and survey_results.show(7) == "7"


def test_a_region_with_enough_unshown_respondents_shows_its_totals(app):
    with app.app_context():
        session = db.session()
        region = _region(session)
        for wijk in ("waterwijk", "haven"):
            for _ in range(6):
                _answer(session, region, wijk, "4")
        for _ in range(5):
            _answer(session, region, None, "4")   # no wijk given
        session.commit()
        whole = survey_results.results(session, region, FORM, "2026-Q1")
        assert whole.respondents == 17
        assert _cells(whole, "telefoon")["4"] == 17


def test_only_surveys_and_wijken_of_the_region(app):
    with app.app_context():
        session = db.session()
        region = _region(session)
        knelpunt = load_file(Path(__file__).resolve().parents[1] / "forms" / "knelpunt.yaml")
        with pytest.raises(ValueError, match="not a survey"):
            survey_results.results(session, region, knelpunt, "2026-Q1")
        with pytest.raises(ValueError, match="not a wijk"):
            survey_results.results(session, region, FORM, "2026-Q1", "atolwijk")


def test_hidden_answers_that_must_all_be_4_hide_one_more(app):
    """Two answers of 4 hidden next to 6 shown out of 14: the 8 left can only be 4 and 4."""
    with app.app_context():
        session = db.session()
        region = _region(session)
        for telefoon, times in (("1", 6), ("2", 4), ("3", 4)):
            for _ in range(times):
                _answer(session, region, "waterwijk", telefoon)
        session.commit()
        result = survey_results.results(session, region, FORM, "2026-Q1", "waterwijk")
        assert result.respondents == 14
        assert _cells(result, "telefoon") == {"1": None, "2": None, "3": None, "4": 0, "5": 0}
