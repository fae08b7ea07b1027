"""Themes: proposals without k, noise kept out, stable ids, curation kept across rebuilds."""

from __future__ import annotations

from collections import Counter

import pytest

from nlp import Curation, Report, ThemeState, member_examples, rebuild, train_assigner


def _topics(build, topic_of: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Return theme id -> the topic most of its members have."""
    return {t.id: Counter(topic_of[m.report_id] for m in t.members).most_common(1)[0][0]
            for t in build.themes if t.members}


def test_finds_the_topics_and_keeps_noise_out(reports: list[Report], topic_of: dict[str, str],
                                              new_ids) -> None:  # type: ignore[no-untyped-def]
    build = rebuild(reports, new_id=new_ids)
    assert sorted(_topics(build, topic_of).values()) == ["fysio", "jeugd", "parkeren", "tandarts"]
    assert sorted(build.overig) == ["noise-0", "noise-1", "noise-2", "noise-3"]
    topics = _topics(build, topic_of)
    for theme in build.themes:
        assert {topic_of[m.report_id] for m in theme.members} == {topics[theme.id]}
        assert theme.id.startswith("t") and theme.label and len(theme.keywords) >= 3
        assert len(theme.quotes) == 3 and sum(theme.wijken.values()) == len(theme.members)
        assert theme.disciplines == {"huisarts": len(theme.members)}
        assert all(0 <= m.confidence <= 1 for m in theme.members)


def test_rebuild_keeps_ids(reports: list[Report], new_ids) -> None:  # type: ignore[no-untyped-def]
    first = rebuild(reports, new_id=new_ids)
    second = rebuild(reports, Curation(previous=first.membership()), new_id=new_ids)
    assert second.membership() == first.membership()
    assert not any(t.is_new for t in second.themes)


def test_new_reports_join_existing_ids(reports: list[Report], new_ids) -> None:  # type: ignore[no-untyped-def]
    first = rebuild(reports[::2], new_id=new_ids)
    second = rebuild(reports, Curation(previous=first.membership()), new_id=new_ids)
    assert {t.id for t in second.themes} == {t.id for t in first.themes}


def test_curation_survives_rebuild(reports: list[Report], topic_of: dict[str, str],
                                   new_ids) -> None:  # type: ignore[no-untyped-def]
    first = rebuild(reports, new_id=new_ids)
    by_topic = {v: k for k, v in _topics(first, topic_of).items()}
    tandarts, fysio, jeugd = by_topic["tandarts"], by_topic["fysio"], by_topic["jeugd"]
    curation = Curation(
        pins={"tandarts-0": fysio, "noise-3": tandarts, "jeugd-1": None, "parkeren-0": "split-1"},
        themes=[ThemeState(tandarts, label="Tandzorg", status="on_agenda"),
                ThemeState(jeugd, merged_into=fysio), ThemeState("split-1", label="Parkeren"),
                ThemeState("empty-1", label="Nog leeg")],
        previous=first.membership(),
    )
    second = rebuild(reports, curation, new_id=new_ids)
    member = second.membership()
    themes = {t.id: t for t in second.themes}
    assert member["tandarts-0"] == fysio and member["noise-3"] == tandarts
    assert member["jeugd-1"] is None and member["parkeren-0"] == "split-1"
    assert themes[tandarts].label == "Tandzorg" and themes[tandarts].label_by_reviewer
    assert themes[tandarts].status == "on_agenda"
    assert jeugd not in themes and member["jeugd-2"] == fysio  # merged stays merged
    assert "empty-1" in themes and themes["empty-1"].members == []
    pinned = [m for t in second.themes for m in t.members if m.pinned]
    assert {m.report_id for m in pinned} == {"tandarts-0", "noise-3", "parkeren-0"}


def test_empty_input() -> None:
    build = rebuild([])
    assert build.themes == [] and build.overig == []


@pytest.mark.parametrize("count", [1, 2, 3, 6])
def test_rebuild_and_assigner_handle_a_new_region_with_few_reports(count):
    texts = ["De apotheek heeft mijn medicijnen niet", "Huisarts is niet bereikbaar", "test",
             "Wachtlijst fysio te lang", "Geen huisarts in de wijk", "De apotheek is vaak dicht"]
    reports = [Report(str(i), t) for i, t in enumerate(texts[:count])]
    build = rebuild(reports)
    assert len(build.overig) + sum(len(t.members) for t in build.themes) == count
    pins: dict[str, str | None] = {"0": "a", "1": "b"} if count > 1 else {}
    assigner = train_assigner(reports, pins, examples=member_examples(build))
    result = assigner.assign("De apotheek heeft de medicijnen niet")
    if count == 1:  # one report, nobody decided anything: no model, the report waits for people
        assert not assigner.trained
        assert (result.theme_id, result.confidence, result.needs_review) == (None, 0.0, True)
    else:  # the pharmacy report was labelled "a": a text about the pharmacy goes there
        assert assigner.trained and result.theme_id == "a" and 0 < result.confidence <= 1
