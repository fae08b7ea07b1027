import pytest
from sqlalchemy import select

from participatie import themes
from participatie.models import Region, Signal, Submission, Theme, ThemeMembership


@pytest.fixture
def region(session):
    return session.scalar(select(Region))


def _signals(session, region, count):
    submission = Submission(reference="TTTT-3333", region_id=region.id, form_id="k", form_version=1)
    for i in range(count):
        submission.signals.append(Signal(region_id=region.id, position=i, text=f"melding {i}"))
    session.add(submission)
    session.flush()
    return submission.signals


def _theme(session, region, label, signals, source="model"):
    theme = Theme(region_id=region.id, key=themes.new_key(), label=label)
    session.add(theme)
    session.flush()
    for signal in signals:
        session.add(ThemeMembership(signal_id=signal.id, theme_id=theme.id, source=source))
    session.flush()
    return theme


def test_themes_merge_moves_members_and_points_to_target(session, region):
    a, b, c = _signals(session, region, 3)
    first = _theme(session, region, "wachttijd", [a, b])
    second = _theme(session, region, "wachtlijst", [c])
    themes.merge(session, second, first)
    session.commit()
    session.refresh(first)
    assert {m.signal_id for m in first.members} == {a.id, b.id, c.id}
    assert second.merged_into_id == first.id
    assert themes.active_themes(session, region) == [first]


def test_themes_merge_refuses_same_theme(session, region):
    theme = _theme(session, region, "x", _signals(session, region, 1))
    with pytest.raises(ValueError):
        themes.merge(session, theme, theme)


def test_themes_split_pins_members_in_new_theme(session, region):
    a, b, c = _signals(session, region, 3)
    theme = _theme(session, region, "alles", [a, b, c])
    created = themes.split(session, theme, [b.id, c.id], "apotheek")
    session.commit()
    assert created.label == "apotheek" and created.label_by_reviewer
    moved = session.scalars(select(ThemeMembership).where(ThemeMembership.theme_id == created.id))
    assert {(m.signal_id, m.source) for m in moved} == {(b.id, "split"), (c.id, "split")}


def test_themes_split_needs_a_member(session, region):
    theme = _theme(session, region, "alles", _signals(session, region, 1))
    with pytest.raises(ValueError):
        themes.split(session, theme, [], "leeg")


def test_themes_decide_pins_and_clears_review(session, region):
    (signal,) = _signals(session, region, 1)
    session.add(ThemeMembership(signal_id=signal.id, source="assigned", confidence=.2,
                                needs_review=True))
    session.flush()
    assert themes.review_queue(session, region) == [signal]
    theme = themes.new_theme(session, region, "Nieuw thema")
    themes.decide(session, signal, theme, source="moved")
    session.commit()
    assert signal.membership.theme_id == theme.id and signal.membership.source == "moved"
    assert themes.review_queue(session, region) == []


def test_themes_rename_and_status(session, region):
    theme = _theme(session, region, "voorstel", _signals(session, region, 1))
    themes.rename(session, theme, "  Geen huisarts te vinden ")
    themes.set_status(session, theme, "on_agenda", "RESV 12 december")
    assert (theme.label, theme.label_by_reviewer, theme.status, theme.notes) == (
        "Geen huisarts te vinden", True, "on_agenda", "RESV 12 december")
    with pytest.raises(ValueError):
        themes.set_status(session, theme, "kwijt")


APOTHEEK = ["De apotheek heeft mijn medicijnen niet, het middel is niet leverbaar.",
            "Bij de apotheek krijg ik steeds andere medicijnen zonder uitleg.",
            "De apotheek zegt dat mijn medicijnen pas volgende week komen."]
TANDARTS = ["Geen tandarts in de buurt neemt nieuwe patiënten aan.",
            "Mijn kinderen hebben al een jaar geen tandarts.",
            "Voor een tandarts moeten we naar een andere stad."]


def _written(session, region, texts):
    submission = Submission(reference="TTTT-4444", region_id=region.id, form_id="k", form_version=1)
    for i, text in enumerate(texts):
        submission.signals.append(Signal(region_id=region.id, position=i, text=text))
    session.add(submission)
    session.flush()
    return submission.signals


def test_themes_merge_recomputes_the_model_label_and_keywords(session, region):
    signals = _written(session, region, APOTHEEK + TANDARTS)
    target = _theme(session, region, "Medicijnen", signals[:3])
    source = _theme(session, region, "Tandarts", signals[3:])
    named = _theme(session, region, "Door de ASD benoemd", [])
    named.label_by_reviewer = True
    themes.merge(session, source, target)
    assert "tandarts" in target.keywords and "apotheek" in target.keywords
    assert target.label != "Medicijnen" and not target.label_by_reviewer
    themes.merge(session, target, named)
    assert named.label == "Door de ASD benoemd" and "tandarts" in named.keywords


def test_themes_split_recomputes_the_label_of_what_is_left(session, region):
    signals = _written(session, region, APOTHEEK + TANDARTS)
    theme = _theme(session, region, "Apotheek en tandarts", signals)
    created = themes.split(session, theme, [s.id for s in signals[3:]], "Tandzorg")
    assert created.label == "Tandzorg" and "tandarts" in created.keywords
    assert "tandarts" not in theme.label.lower() and "apotheek" in theme.label.lower()
    assert "tandarts" not in theme.keywords and "apotheek" in theme.keywords
