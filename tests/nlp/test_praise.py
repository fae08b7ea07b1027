"""Praise and noise stay out of proposed themes, until people keep them in a theme of their own."""

from __future__ import annotations

import pickle

import pytest

from nlp import Curation, Report, ThemeState, embed, rebuild, train_assigner
from nlp.noise import NOISE, is_noise, kept_themes
from nlp.noise import PRAISE as PRAISE_KINDS

PRAISE = [
    "Hartelijk dank aan de wijkverpleging, wat een lieve mensen!",
    "Een groot compliment voor de apotheek, altijd vriendelijk geholpen.",
    "Ik ben heel tevreden over mijn huisarts, hij neemt echt de tijd.",
    "Super fijn dat de fysiotherapeut aan huis komt, dank jullie wel.",
    "Pluim voor de praktijkondersteuner, ze denkt goed mee.",
]
NEW_PRAISE = "Wat een fijne en lieve thuiszorg, heel erg bedankt!"
NEW_PROBLEM = "De tandarts heeft een patiëntenstop en neemt niemand meer aan."


def _kept_praise(pinned: list[tuple[str, str | None]]) -> list[str]:
    """The themes people keep praise in, from (text, theme) of the pinned reports."""
    return kept_themes(((is_noise(text), theme) for text, theme in pinned), PRAISE_KINDS)


def _kept_noise(pinned: list[tuple[str, str | None]]) -> list[str]:
    """The themes people keep noise in (too short or unreadable), from (text, theme)."""
    return kept_themes(((is_noise(text), theme) for text, theme in pinned), NOISE)


@pytest.fixture(scope="module")
def with_praise(reports: list[Report]) -> list[Report]:
    """The topic reports plus five thank-yous (lexical vectors)."""
    vectors = embed(PRAISE, "lexical")
    return reports + [Report(f"lof-{i}", t, vectors[i]) for i, t in enumerate(PRAISE)]


def _pins(topic_of: dict[str, str], praise: dict[str, str | None]) -> dict[str, str | None]:
    """Two reports per topic pinned to the topic, plus the given praise pins."""
    pins: dict[str, str | None] = {}
    for rid, topic in topic_of.items():
        if topic != "noise" and sum(t == topic for t in pins.values()) < 2:
            pins[rid] = topic
    return {**pins, **praise}


def _assign(assigner, text: str) -> str | None:  # type: ignore[no-untyped-def]
    return assigner.assign(text, embed([text], "lexical")[0]).theme_id


def test_praise_fixture_texts_are_praise():
    assert [is_noise(t) for t in [*PRAISE, NEW_PRAISE]] == ["lof"] * 6
    assert is_noise(NEW_PROBLEM) is None


def test_praise_goes_to_the_theme_people_keep_it_in(with_praise, topic_of):
    pins = _pins(topic_of, {"lof-0": "lof", "lof-1": "lof", "lof-2": "lof"})
    assigner = train_assigner(with_praise, pins)
    assert assigner.praise == ("lof",)
    assert _assign(assigner, NEW_PRAISE) == "lof"
    assert _assign(assigner, NEW_PROBLEM) == "tandarts"


def test_praise_stays_overig_without_a_praise_theme(with_praise, topic_of):
    # no praise pinned, then one thank-you pinned into a topic among the topic's own reports
    for praise in ({}, {"lof-0": "tandarts"}, {"lof-0": "tandarts", "lof-1": "tandarts"}):
        assigner = train_assigner(with_praise, _pins(topic_of, praise))
        assert assigner.praise == ()
        assert _assign(assigner, NEW_PRAISE) is None
        assert _assign(assigner, NEW_PROBLEM) == "tandarts"


def test_praise_themes_need_two_praise_pins_and_most_of_the_theme():
    assert _kept_praise([(PRAISE[0], "a")]) == []
    assert _kept_praise([(PRAISE[0], "a"), (PRAISE[1], "a"), (NEW_PROBLEM, "a")]) == ["a"]
    assert _kept_praise([(PRAISE[0], "a"), (PRAISE[1], "a"), (NEW_PROBLEM, "a"),
                          (NEW_PROBLEM, "a")]) == []
    assert _kept_praise([(PRAISE[0], None), (PRAISE[1], None)]) == []


def test_rebuild_puts_unpinned_praise_in_the_praise_theme(with_praise, new_ids):
    before = rebuild(with_praise, new_id=new_ids)
    thanks = {f"lof-{i}" for i in range(5)} | {"noise-3"}  # noise-3: "Hartelijk dank, ..."
    assert thanks <= set(before.overig)
    curation = Curation(pins={"lof-0": "lof", "lof-1": "lof"},
                        themes=[ThemeState("lof", label="Complimenten")],
                        previous=before.membership())
    after = rebuild(with_praise, curation, new_id=new_ids)
    theme = next(t for t in after.themes if t.id == "lof")
    members = {m.report_id: m for m in theme.members}
    assert set(members) == thanks
    assert [members[f"lof-{i}"].pinned for i in range(5)] == [True, True, False, False, False]
    assert all(0 < members[r].confidence <= 1 for r in thanks - {"lof-0", "lof-1"})
    assert theme.label == "Complimenten"
    # the topics are as before: praise joined no topic, no topic report joined the praise
    assert {k: v for k, v in after.membership().items() if k not in thanks} == \
        {k: v for k, v in before.membership().items() if k not in thanks}


def test_praise_models_stored_before_praise_themes_still_load(with_praise, topic_of):
    assigner = train_assigner(with_praise, _pins(topic_of, {}))
    del assigner.__dict__["praise"]  # as pickled before the field existed
    stored = pickle.loads(pickle.dumps(assigner))  # noqa: S301 (our own object)
    assert stored.praise == () and _assign(stored, NEW_PRAISE) is None
    assert _assign(stored, NEW_PROBLEM) == "tandarts"


RUIS = ["Test", "ok", "asdfgh qwerty zxcvbn", "bla bla bla", "Geen idee"]
NEW_RUIS = "Hallo"


@pytest.fixture(scope="module")
def with_noise(with_praise: list[Report]) -> list[Report]:
    """The topic reports and thank-yous plus five reports that say nothing."""
    vectors = embed(RUIS, "lexical")
    return with_praise + [Report(f"ruis-{i}", t, vectors[i]) for i, t in enumerate(RUIS)]


def test_noise_fixture_texts_are_noise():
    assert {is_noise(t) for t in [*RUIS, NEW_RUIS]} == {"kort", "onleesbaar"}


def test_noise_goes_to_the_theme_people_keep_it_in(with_noise, topic_of):
    assigner = train_assigner(with_noise, _pins(topic_of, {"ruis-0": "ruis", "ruis-2": "ruis"}))
    assert assigner.noise == ("ruis",) and assigner.praise == ()
    assert _assign(assigner, NEW_RUIS) == "ruis"
    assert _assign(assigner, NEW_PRAISE) is None  # praise is not noise
    assert _assign(assigner, NEW_PROBLEM) == "tandarts"
    without = train_assigner(with_noise, _pins(topic_of, {"ruis-0": "ruis"}))
    assert without.noise == () and _assign(without, NEW_RUIS) is None
    assert _kept_noise([(RUIS[0], "a"), (RUIS[3], "a"), (NEW_PROBLEM, "a")]) == ["a"]
    assert _kept_noise([(RUIS[0], "a"), (PRAISE[0], "a"), (NEW_PROBLEM, "a")]) == []


def test_rebuild_puts_unpinned_noise_in_the_noise_theme(with_noise, new_ids):
    before = rebuild(with_noise, new_id=new_ids)
    ruis = {f"ruis-{i}" for i in range(5)} | {"noise-0", "noise-1", "noise-2"}
    assert ruis <= set(before.overig)
    curation = Curation(pins={"ruis-0": "ruis", "ruis-1": "ruis"},
                        themes=[ThemeState("ruis", label="Ruis")], previous=before.membership())
    after = rebuild(with_noise, curation, new_id=new_ids)
    theme = next(t for t in after.themes if t.id == "ruis")
    assert {m.report_id for m in theme.members} == ruis
    assert {f"lof-{i}" for i in range(5)} <= set(after.overig)  # praise stays where it was
