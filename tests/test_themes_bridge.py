"""The bridge between stored signals and the nlp library, on the demo reports (no ../shared)."""

import pytest
import yaml
from sqlalchemy import select

from participatie import themes
from participatie.demo import DEMO_FILE
from participatie.models import Region, Signal, Submission, Theme, ThemeMembership, Wijk
from participatie.signals import Intake

pytestmark = pytest.mark.slow  # embeds the demo reports and rebuilds themes


@pytest.fixture(scope="module")
def demo_entries():
    """The demo reports with their vectors, embedded once for the module."""
    import nlp

    entries = yaml.safe_load(DEMO_FILE.read_text())
    vectors = nlp.embed([e["text"] for e in entries], nlp.DEFAULT_BACKEND)
    return [(entry, nlp.to_bytes(vector)) for entry, vector in zip(entries, vectors, strict=True)]


@pytest.fixture
def region(session, demo_entries):
    """The region with the 70 demo reports stored as (already redacted) signals."""
    region = session.scalar(select(Region))
    wijken = {w.slug: w for w in session.scalars(select(Wijk))}
    for i, (entry, vector) in enumerate(demo_entries):
        submission = Submission(reference=f"DEMO-{i:04d}", region_id=region.id, form_id="k",
                                form_version=1)
        submission.signals.append(Signal(region_id=region.id, text=entry["text"],
                                         disciplines=entry["disciplines"], embedding=vector,
                                         wijken=[wijken[entry["wijk"]]]))
        session.add(submission)
    session.commit()
    return region


def _membership(session):
    rows = session.scalars(select(ThemeMembership)).all()
    return {m.signal_id: m.theme_id for m in rows}


def _signal(session, text):
    return session.scalar(select(Signal).where(Signal.text == text))


def test_themes_rebuild_proposes_themes_and_keeps_noise_out(session, region):
    counts = themes.rebuild(session, region)
    assert counts["reports"] == 70 and counts["themes"] >= 3
    for noise in ("test", "?", "niks"):
        assert _signal(session, noise).membership.theme_id is None
    theme = themes.active_themes(session, region)[0]
    assert theme.keywords and len(theme.quotes) == 3 and theme.label


def test_themes_rebuild_twice_keeps_ids_and_membership(session, region):
    themes.rebuild(session, region)
    keys = {t.key for t in themes.active_themes(session, region)}
    before = _membership(session)
    themes.rebuild(session, region)
    assert {t.key for t in themes.active_themes(session, region)} == keys
    after = _membership(session)
    same = sum(before[s] == after[s] for s in before)
    assert same / len(before) >= 0.9


def test_themes_rebuild_keeps_reviewers_curation(session, region):
    themes.rebuild(session, region)
    first, second, third = themes.active_themes(session, region)[:3]
    themes.rename(session, first, "Geen plek bij de huisarts")
    themes.set_status(session, first, "on_agenda", "RESV december")
    moved = first.members[0].signal
    themes.decide(session, moved, second, source="moved")
    themes.merge(session, third, second)
    session.commit()
    session.expire_all()  # the rebuild reads what is stored, not what this session remembers
    themes.rebuild(session, region)
    session.expire_all()
    renamed = session.get(Theme, first.id)
    assert (renamed.label, renamed.status, renamed.notes) == (
        "Geen plek bij de huisarts", "on_agenda", "RESV december")
    assert session.get(Signal, moved.id).membership.theme_id == second.id
    assert session.get(Theme, third.id).merged_into_id == second.id
    assert not session.get(Theme, third.id).members


def test_themes_new_reports_are_assigned_or_queued(session, region):
    themes.rebuild(session, region)
    pharmacy = next(t for t in themes.active_themes(session, region) if "apotheek" in t.keywords)
    for membership in list(pharmacy.members)[:5]:
        themes.decide(session, membership.signal, pharmacy)
    session.commit()
    intake = Intake(redact=str, after_signal=[themes.on_new_signal])
    from participatie.signals import KnelpuntInput, record_submission

    submission = record_submission(
        session, intake, region, form_id="k", form_version=1, answers={},
        knelpunten=[KnelpuntInput("Bij de apotheek zijn mijn medicijnen al weken niet op "
                                  "voorraad, ik moet steeds terugkomen.", ["haven"]),
                    KnelpuntInput("qwerty asdf zxcv", ["haven"])])
    placed, gibberish = submission.signals
    assert placed.embedding is not None
    assert placed.membership.source == "assigned" and placed.membership.theme_id == pharmacy.id
    assert gibberish.membership is None or gibberish.membership.theme_id is None \
        or gibberish.membership.needs_review


def test_themes_search_by_meaning_within_allowed(session, region):
    themes.rebuild(session, region)
    results = themes.search(session, region, "medicijnen niet op voorraad bij de apotheek", k=5)
    assert results and "apotheek" in results[0][0].text.lower()
    allowed = {s.id for s in session.scalars(select(Signal).where(
        Signal.wijken.any(Wijk.slug == "haven")))}
    limited = themes.search(session, region, "apotheek", k=50, signal_ids_allowed=allowed)
    assert limited and all(signal.id in allowed for signal, _ in limited)
