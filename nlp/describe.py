"""Describe a theme: c-TF-IDF keywords, a short Dutch label, representative quotes, counts."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from nlp.model import Quote, Report
from nlp.text import (
    FILLER,
    MEANINGFUL,
    feature_stop_words,
    lemma,
    lemmas,
    stop_words,
    tokens,
    word_concepts,
)

QUOTE_MAX = 400
GENERIC = MEANINGFUL | FILLER | frozenset(
    "veel echt gewoon erg heel ander eerst nieuw groot klein gaan komen zien zeggen krijgen maken "
    "staan zitten doen weten vinden geven houden laten worden hebben zijn kunnen moeten willen "
    "mogen oud vorig zelfde mens persoon ding iets niks manier werken duren".split()) | frozenset(
    # relatives say whom a report is about, not what goes wrong ("Oma en telefoon")
    "oma opa moeder vader zoon dochter broer zus schoonmoeder schoonvader buurman buurvrouw "
    "echtgenoot echtgenote".split())


_MID_SENTENCE = re.compile(r"(?<![.!?:\n]) +([^\W\d_][\w'’-]*)")


def proper_names(texts: Iterable[str]) -> frozenset[str]:
    """Return the words (lower-cased, and their lemmas) mostly capitalised mid-sentence.

    Names of places, people and organisations ("Almere", "Haven") say where or who, not what
    goes wrong. Words of the care lexicon ("Wmo", "Huisarts" in a poor hand) are never names.
    """
    title: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        for word in _MID_SENTENCE.findall(text):
            lower = word.lower()
            seen[lower] += 1
            title[lower] += word[:1].isupper() and word[1:] == word[1:].lower()
    names = {w for w, n in title.items() if 2 * n >= seen[w] and len(w) > 2}
    names = {w for w in names if not word_concepts(lemma(w))}
    return frozenset(names | {lemma(w) for w in names})


def place_words(wijken: Iterable[str]) -> frozenset[str]:
    """Return the words of wijk names or slugs ("almere-haven" -> almere, haven) and lemmas."""
    words = {w for name in wijken for w in re.split(r"[^\w]+|_", name.lower()) if len(w) > 2}
    return frozenset(words | {lemma(w) for w in words})


def keywords_per_cluster(texts: list[str], labels: np.ndarray, top: int = 8,
                         places: Iterable[str] = ()) -> dict[int, list[str]]:
    """Return c-TF-IDF keywords (lemmas and lemma bigrams) for each cluster label >= 0.

    Names (`proper_names`) and the words of the reports' wijken (`places`, see `place_words`)
    are left out: where a report comes from is shown apart, by wijk.
    """
    stop = GENERIC | feature_stop_words() | proper_names(texts) | place_words(places)
    docs = [" ".join(lem for lem in lemmas(t) if lem not in stop) for t in texts]
    ids = sorted(set(labels.tolist()) - {-1})
    if not ids:
        return {}
    rows = np.flatnonzero(np.isin(labels, ids))
    vec = CountVectorizer(ngram_range=(1, 2), min_df=1, token_pattern=r"[^ ]+")
    try:  # per report, so no pair of words spans two reports
        per_doc = vec.fit_transform([docs[i] for i in rows])
    except ValueError:
        return {c: [] for c in ids}
    member = sparse.csr_matrix((np.ones(len(rows)), (np.searchsorted(ids, labels[rows]),
                                                     np.arange(len(rows)))),
                               shape=(len(ids), len(rows)))
    counts = (member @ per_doc).toarray().astype(np.float64)
    tf = counts / np.maximum(counts.sum(1, keepdims=True), 1)
    avg = counts.sum() / len(ids)
    ctfidf = tf * np.log(1 + avg / np.maximum(counts.sum(0), 1))
    terms = vec.get_feature_names_out()
    out: dict[int, list[str]] = {}
    for row, c in enumerate(ids):
        order = np.argsort(-ctfidf[row])
        picked: list[str] = []
        for j in order:
            if counts[row, j] < 2 and len(picked) >= 3 or counts[row, j] == 0:
                break
            if not any(terms[j] in p or p in terms[j] for p in picked):
                picked.append(str(terms[j]))
            if len(picked) == top:
                break
        out[c] = picked
    return out


def shown_keyword(keyword: str) -> str:
    """Return a keyword as people write it (simplemma's lemma of "website" is "web_site")."""
    return keyword.replace("_", "")


def label_from(keywords: list[str]) -> str:
    """Make a fallback label from the top keywords ("Rolstoel, reparatie, leverancier")."""
    words = [shown_keyword(k) for k in keywords[:3]]
    return _capitalise(", ".join(words)) if words else "Zonder trefwoorden"


# --- Labels: the most distinctive readable phrase in the members' own words ------------------

LABEL_SAMPLE = 80  # members per theme read for its label (the ones closest to the centre)
LABEL_MAX_WORDS = 5
PAIR_WINDOW = 6  # two nouns this close in one sentence make a pair ("reparatie ... rolstoel")
TOP_WORDS = 10  # a cluster's most distinctive words; every candidate holds one of them
# Weights of the kinds of candidates against a phrase of two words (1.0; +0.15 per extra word).
SINGLE = 0.35  # one noun
ALONE = 0.3  # one word never seen as a noun and no verb ("Eenzaam")
PAIR = 0.7  # two nouns close together, shown side by side
BOTH = 0.3  # "A en B" of the two best single nouns (times the sum of their scores) ...
SECOND = 0.25  # ... when B scores at least this share of A
_PIECE = re.compile(r"\[[A-Z]+\]|[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+|\S|\n")
_SENTENCE_END = frozenset(".!?:\n")
# Words that may join content words inside a label ("reparatie van de rolstoel", "te lang").
_JOINERS = frozenset(
    "niet geen te bij naar van de het een voor op in met zonder aan om tot uit en of door over per "
    "via na nog meer lang lange tijd weer alleen nooit veel weinig minder".split())
# Joiners that may also open a label: "Geen tandarts", "Te laat", "Eigen vervoer".
_STARTERS = frozenset("geen te zonder niet eigen".split())
# Stop words that end a complaint well: "Bril niet klaar", "Bus te laat", "Loket dicht".
_ENDERS = frozenset("klaar weg laat dicht vol kwijt".split())
# General Dutch filler: allowed inside a label, never its first or last word.
_FILLER = frozenset(
    "paar half mens persoon echt keer ding dingen iets niks soms beetje elke alles manier "
    "eigenlijk best heel helemaal gewoon goed zo nou hoor graag natuurlijk waarschijnlijk "
    "trouwens opeens ineens eindelijk uiteindelijk overal nergens ergens niemand iedereen hierbij "
    "daarbij mee dag week maand jaar uur minuut kwartier vandaag gisteren morgen ochtend middag "
    "avond nacht vanochtend vanmorgen vanmiddag vanavond vannacht straks laatst twee drie vier "
    "vijf zes tien honderd één mevrouw meneer ja nee oké ok sorry bedankt dank hallo groet "
    "vraag oud oude vorig vorige ander andere zelfde hele".split()) | FILLER
_DETERMINERS = frozenset("de het een geen mijn onze ons jouw uw hun deze dit elke ieder".split())
# Common and auxiliary verbs end a label's run of words: no clause fragments ("kunnen lopen").
_VERBS = frozenset(
    "gaan komen zien zeggen krijgen maken staan zitten doen weten vinden geven houden laten worden "
    "hebben zijn kunnen moeten willen mogen zullen".split())
_WEAK = (GENERIC - {"hulp"} - _VERBS) | _FILLER
_LISTING = frozenset(("en", "of"))
_ARTICLES = frozenset(("de", "het", "een"))
_PREPOSITIONS = frozenset("bij naar van voor op in met zonder aan om tot uit door over per via na"
                          .split())
_CONTENT, _JOINER, _BREAK = 2, 1, 0
_PAIR = "+"  # first element of a pair's key
Token = tuple[str, str, int]  # lower-cased word, lemma (the counting key), role
Sentence = list[Token | None]  # None: a break (punctuation, number, placeholder)


@functools.lru_cache(maxsize=100_000)
def _token(lower: str) -> Token:
    """Return a lower-cased word with its counting key and role."""
    return (lower, *_word(lower))


@functools.lru_cache(maxsize=100_000)
def _word(lower: str) -> tuple[str, int]:
    """Return a lower-cased word's counting key (its lemma) and its role in a label."""
    if lower in _STARTERS or lower in _JOINERS:
        return lower, _JOINER
    if lower in _ENDERS:
        return lower, _CONTENT
    lem = lemma(lower)
    if (len(lower) < 3 or lower in stop_words() or lower in ENGLISH_STOP_WORDS
            or lem in stop_words() or lem in _VERBS):
        return lem, _BREAK
    if lem in _WEAK or lower in _WEAK:
        return lem, _JOINER
    return lem, _CONTENT


@functools.lru_cache(maxsize=100_000)
def _verb_form(lower: str) -> bool:
    """Whether a word looks like an inflected verb ("loopt", "gebracht")."""
    lem = lemma(lower)
    return "_" in lem or (lem.endswith("en") and lem != lower)


@functools.lru_cache(maxsize=100_000)
def _inflected_adjective(lower: str) -> bool:
    """Whether a word looks like an inflected adjective ("oude", "lange"): a poor last word."""
    return lower.endswith("e") and lemma(lower) != lower and lower not in _ENDERS


def _fits(sentence: Sentence, j: int) -> bool:
    """Whether word j may continue a label: "en"/"of" only between two content words (not
    between clauses), an article only after a preposition ("bij de tandarts")."""
    word, before = sentence[j], sentence[j - 1]
    if word is None or before is None:
        return False
    if word[0] in _ARTICLES:
        return before[0] in _PREPOSITIONS
    if word[0] in _LISTING:
        after = sentence[j + 1] if j + 1 < len(sentence) else None
        return before[2] == _CONTENT and after is not None and after[2] == _CONTENT
    return True


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Phrases:
    """Label candidates of sampled member texts: counts per cluster, spellings, word evidence."""

    def __init__(self) -> None:
        self.sentences: list[tuple[int, list[Sentence]]] = []
        self.df: dict[tuple[str, ...], Counter[int]] = defaultdict(Counter)
        self.forms: dict[tuple[int, tuple[str, ...]], Counter[tuple[str, ...]]] = defaultdict(
            Counter)
        self.spellings: Counter[str] = Counter()  # words as written, not first in a sentence
        self.nouns: Counter[str] = Counter()  # word, lemma -> times seen as "de/een/mijn <word>"
        self._inner: dict[str, Counter[str]] | None = None
        self._of: dict[int, list[tuple[str, ...]]] | None = None  # candidates per cluster

    def read(self, text: str, cluster: int) -> None:
        """Read one member text: count its content words for its cluster, keep its sentences."""
        sentences = self._sentences(text)
        self.sentences.append((cluster, sentences))
        self._count(cluster, [((t[1],), (t[0],)) for s in sentences for t in s
                              if t is not None and t[2] == _CONTENT])

    def count_phrases(self, wanted: frozenset[str]) -> None:
        """Count the longer candidates (phrases, pairs) that hold at least one wanted word."""
        self._of = None
        for cluster, sentences in self.sentences:
            candidates: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
            for s in sentences:
                candidates += self._ngrams(s, wanted)
                candidates += self._pairs(s, wanted)
            self._count(cluster, candidates)

    def _count(self, cluster: int, candidates: list[tuple[tuple[str, ...], tuple[str, ...]]]
               ) -> None:
        """Count each candidate once per text (document frequency), with its first spelling."""
        for key, words in dict(reversed(candidates)).items():
            self.df[key][cluster] += 1
            self.forms[cluster, key][words] += 1

    def _sentences(self, text: str) -> list[Sentence]:
        sentences: list[Sentence] = []
        sentence: Sentence = []
        spellings: list[str] = []
        for piece in _PIECE.findall(text):
            if piece in _SENTENCE_END:
                if sentence:
                    sentences.append(self._nouns(sentence))
                sentence = []
            elif piece[0].isalpha():
                if sentence:
                    spellings.append(piece)
                sentence.append(_token(piece.lower()))
            else:
                sentence.append(None)
        if sentence:
            sentences.append(self._nouns(sentence))
        self.spellings.update(spellings)
        return sentences

    def _nouns(self, sentence: Sentence) -> Sentence:
        """Count words standing alone after an article or possessive: evidence of a noun."""
        for k in range(1, len(sentence)):
            tok, before = sentence[k], sentence[k - 1]
            after = sentence[k + 1] if k + 1 < len(sentence) else None
            if (tok is not None and tok[2] == _CONTENT and before is not None
                    and before[0] in _DETERMINERS and (after is None or after[2] != _CONTENT)):
                self.nouns[tok[0]] += 1
                self.nouns[tok[1]] += tok[1] != tok[0]
        return sentence

    @staticmethod
    def _ngrams(sentence: Sentence, wanted: frozenset[str]
                ) -> Iterable[tuple[tuple[str, ...], ...]]:
        """Yield runs of 2-5 words that start and end with a content word, joiners inside."""
        for i, tok in enumerate(sentence):
            if tok is None or not (tok[2] == _CONTENT or tok[0] in _STARTERS):
                continue
            hit = tok[1] in wanted and tok[2] == _CONTENT
            for j in range(i + 1, min(i + LABEL_MAX_WORDS, len(sentence))):
                end = sentence[j]
                if end is None or end[2] == _BREAK or not _fits(sentence, j):
                    break
                hit = hit or (end[2] == _CONTENT and end[1] in wanted)
                if hit and end[2] == _CONTENT:
                    run = sentence[i:j + 1]
                    yield (tuple(t[1] for t in run if t is not None),
                           tuple(t[0] for t in run if t is not None))

    @staticmethod
    def _pairs(sentence: Sentence, wanted: frozenset[str]) -> Iterable[tuple[tuple[str, ...], ...]]:
        """Yield two content words close together in a sentence, in the order written."""
        for j, b in enumerate(sentence):
            if b is None or b[2] != _CONTENT:
                continue
            for a in sentence[max(0, j - PAIR_WINDOW):j]:
                if (a is not None and a[2] == _CONTENT and a[1] != b[1]
                        and (a[1] in wanted or b[1] in wanted)):
                    yield (_PAIR, *sorted((a[1], b[1]))), (a[0], b[0])

    def frequent(self, cluster: int, size: int) -> list[tuple[str, ...]]:
        """Return the candidates used by enough of a cluster's (sampled) members to label it."""
        if self._of is None:
            self._of = defaultdict(list)
            for c, key in self.forms:
                self._of[c].append(key)
        need = min(size, max(2, math.ceil(0.04 * size)))
        return [key for key in self._of[cluster] if self.df[key][cluster] >= need]

    @property
    def inner(self) -> dict[str, Counter[str]]:
        """Return each lower-cased word's spellings when not first in a sentence."""
        if self._inner is None:
            self._inner = defaultdict(Counter)
            for word, n in self.spellings.items():
                self._inner[word.lower()][word] = n
        return self._inner

    def proper(self, lower: str) -> bool:
        """Whether a word is mostly capitalised mid-sentence: a place, person or organisation."""
        forms = self.inner.get(lower)
        if not forms:
            return False
        title = sum(n for w, n in forms.items() if w[:1].isupper() and w[1:] == w[1:].lower())
        return title * 2 >= sum(forms.values())

    def noun(self, lower: str) -> bool:
        """Whether a word was seen used as a noun ("de tandarts", "mijn rolstoelen")."""
        return self.nouns[lower] > 0 or (self.nouns[_word(lower)[0]] > 0 and not _verb_form(lower))

    def readable(self, key: tuple[str, ...], words: tuple[str, ...]) -> bool:
        """Whether a candidate can be shown as a label (no names, no dangling verb or adjective)."""
        if (any(self.proper(w) for w in words) or _inflected_adjective(words[-1])
                or not (self.noun(words[0]) or self.noun(words[-1])) or len(set(key)) < len(key)):
            return False
        if key[0] == _PAIR or len(words) == 1:
            return all(self.noun(w) and not _verb_form(w) for w in words)
        if words[0] in _STARTERS:  # "Geen tandarts", "Te lang wachten"
            return True
        return not (_verb_form(words[0]) or self.verb(words[-1]))  # no clause fragments

    def plain(self, lower: str) -> bool:
        """Whether a word may stand alone as a label though never seen as a noun ("Eenzaam"):
        no verb, inflected adjective or name."""
        return not (self.verb(lower) or _inflected_adjective(lower) or self.proper(lower)
                    or lower.endswith("en"))

    def verb(self, lower: str) -> bool:
        """Whether a word looks like a verb: inflected, or an infinitive never used as a noun."""
        return _verb_form(lower) or (lower.endswith("en") and lemma(lower) == lower
                                     and not self.nouns[lower])

    def words(self, cluster: int, key: tuple[str, ...]) -> tuple[str, ...]:
        """Return a candidate's words as this cluster's members most often wrote them."""
        return self.forms[cluster, key].most_common(1)[0][0]

    def display(self, words: tuple[str, ...]) -> str:
        """Return words in their usual mid-sentence spelling ("WhatsApp"), first letter upper."""
        shown = [self.inner[w].most_common(1)[0][0] if w in self.inner else w for w in words]
        return _capitalise(" ".join(shown))


def _sample(rows: np.ndarray, x: np.ndarray | None, n: int) -> np.ndarray:
    """Return at most n rows: those closest to the centre of x[rows], else evenly spread (the
    centre of a large theme is estimated from 8n evenly spread rows)."""
    if len(rows) <= n:
        return rows
    spread = n if x is None else 8 * n
    if len(rows) > spread:
        rows = rows[np.linspace(0, len(rows) - 1, spread).astype(np.int64)]
    if x is None:
        return rows
    part = x[rows]
    return rows[np.sort(np.argsort(-(part @ part.mean(0)), kind="stable")[:n])]


def labels_per_cluster(texts: list[str], labels: np.ndarray, keywords: dict[int, list[str]],
                       x: np.ndarray | None = None, taken: Iterable[str] = (),
                       sample: int = LABEL_SAMPLE, only: int | None = None) -> dict[int, str]:
    """Return a short readable Dutch label for each cluster label >= 0.

    Candidates are the members' own words: runs of two to five words that start and end with a
    content word ("Geen plek bij de tandarts"), two nouns close together in a sentence
    ("Reparatie rolstoel"), single nouns and "A en B" of the two best nouns. Each is scored
    like c-TF-IDF: the share of the cluster's members that use it, times how specific it is to
    the cluster, weighted by the cluster's most distinctive words (and `keywords`) it holds,
    preferring several words over one. At most `sample` members per cluster are read (those
    closest to the centre in `x`). Placeholders, numbers, names and places (words mostly
    capitalised mid-sentence) and filler never make it into a label. Clusters get different
    labels, also different from `taken` (e.g. reviewers' labels), when possible; without a
    candidate the keyword label (`label_from`) is used. With `only`, label that cluster alone
    (the others serve as contrast).
    """
    ids = sorted(set(labels.tolist()) - {-1})
    phrases = _Phrases()
    sizes: dict[int, int] = {}
    for c in ids:
        rows = _sample(np.flatnonzero(labels == c), x, sample)
        distinct = dict.fromkeys(texts[i] for i in rows.tolist())  # copies of a text count once
        sizes[c] = len(distinct)
        for text in distinct:
            phrases.read(text, c)
    weights = {c: _weights(phrases, c, sizes, keywords.get(c, [])) for c in ids}
    phrases.count_phrases(frozenset(w for c in ids for w in weights[c]))
    used = {t.lower() for t in taken}
    out: dict[int, str] = {}
    for c in sorted(ids, key=lambda c: (-int((labels == c).sum()), c)):
        if only is not None and c != only:
            continue
        ranked = _ranked(phrases, c, sizes, weights[c])
        label = next((t for _, t in ranked if t.lower() not in used), None)
        out[c] = label or label_from(keywords.get(c, []))
        used.add(out[c].lower())
    return out


def describe_one(texts: list[str], inside: np.ndarray, taken: Iterable[str] = (),
                 top: int = 8, places: Iterable[str] = ()) -> tuple[list[str], str | None]:
    """Return keywords and a label for one theme: its members (`inside`) against all other texts.

    The same choice as a rebuild makes, for a theme whose members reviewers changed (merge,
    split, undo). The label is None when the theme has no members.
    """
    if not inside.any():
        return [], None
    labels = np.where(inside, 0, 1 if (~inside).any() else -1).astype(np.int64)
    words = keywords_per_cluster(texts, labels, top, places)
    label = labels_per_cluster(texts, labels, words, taken=taken, only=0)[0]
    return [shown_keyword(k) for k in words.get(0, [])], label


def label_for(texts: list[str], keywords: list[str]) -> str:
    """Return the label of one theme from its members' texts and keywords (no other themes)."""
    if not texts:
        return label_from(keywords)
    return labels_per_cluster(texts, np.zeros(len(texts), np.int64), {0: keywords})[0]


def _specificity(phrases: _Phrases, cluster: int, sizes: dict[int, int],
                 key: tuple[str, ...]) -> float:
    """Return c-TF-IDF of a candidate: its rate in the cluster times the cluster's share of it."""
    df = phrases.df[key]
    rate = df[cluster] / sizes[cluster]
    return rate * rate / sum(d / sizes[c] for c, d in df.items())


def _weights(phrases: _Phrases, cluster: int, sizes: dict[int, int],
             keywords: list[str]) -> dict[str, float]:
    """Return the cluster's most distinctive words (lemmas) with weights in (0, 1]."""
    scores = {key[0]: _specificity(phrases, cluster, sizes, key)
              for key in phrases.frequent(cluster, sizes[cluster]) if len(key) == 1}
    top = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WORDS]
    weight = {w: s / top[0][1] for w, s in top}
    for rank, kw in enumerate(keywords):
        for w in kw.split():
            weight[w] = max(weight.get(w, 0.0), 1 / (1 + rank))
    return weight


def _ranked(phrases: _Phrases, cluster: int, sizes: dict[int, int], weight: dict[str, float],
            limit: int = 10) -> list[tuple[float, str]]:
    """Return a cluster's best label candidates with their scores, best first."""
    scored: list[tuple[float, str]] = []
    singles: list[tuple[float, tuple[str, ...]]] = []
    for key in phrases.frequent(cluster, sizes[cluster]):
        cover = sum(weight.get(k, 0.0) for k in set(key))
        words = phrases.words(cluster, key) if cover else ()
        if cover and len(key) == 1 and phrases.plain(words[0]) and not phrases.readable(key,
                                                                                       words):
            score = _specificity(phrases, cluster, sizes, key) * (0.5 + cover)
            scored.append((ALONE * score, phrases.display(words)))
            continue
        if not cover or not phrases.readable(key, words):
            continue
        score = _specificity(phrases, cluster, sizes, key) * (0.5 + cover)
        label = phrases.display(words)
        if key[0] == _PAIR:
            scored.append((PAIR * score, label))
        elif len(key) == 1:
            scored.append((SINGLE * score, label))
            singles.append((score, words))
        else:
            scored.append(((1.0 + 0.15 * min(len(key) - 1, 3)) * score, label))
    singles.sort(key=lambda s: (-s[0], s[1]))
    for score, other in singles[1:3]:
        first, second = singles[0][1][0], other[0]
        if score >= SECOND * singles[0][0] and first not in second and second not in first:
            both = phrases.display((first, "en", second))  # "Rolstoel en rollator"
            scored.append((BOTH * (singles[0][0] + score), both))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return scored[:limit]


def quotes(reports: list[Report], x: np.ndarray, n: int = 3) -> list[Quote]:
    """Return n representative reports: closest to the centre, readable length, distinct."""
    centre = x.mean(0)
    order = np.argsort(-(x @ centre))
    picked: list[Quote] = []
    for i in order:
        text = reports[i].text
        if len(text) > QUOTE_MAX and len(order) > 2 * n:
            continue
        if any(q.text == text for q in picked):
            continue
        picked.append(Quote(reports[i].id, text))
        if len(picked) == n:
            break
    return picked


def counts(reports: list[Report]) -> tuple[dict[str, int], dict[str, int]]:
    """Return counts per wijk and per discipline, most frequent first."""
    wijken = Counter(w for r in reports for w in r.wijken)
    disciplines = Counter(d for r in reports for d in r.disciplines)
    return dict(wijken.most_common()), dict(disciplines.most_common())


def label_words(label: str) -> list[str]:
    """Return the content lemmas of a label ("Geen plek bij de tandarts" -> plek, tandarts)."""
    return [lem for lem in (lemma(t) for t in tokens(label))
            if lem not in _JOINERS and lem not in _WEAK and lem not in stop_words()
            and len(lem) > 2]


def mentions(text: str, words: Iterable[str]) -> bool:
    """Whether a text uses one of the words: the same lemma, or inside a compound (≥ 4 letters)."""
    wanted = [w for w in words]
    if not wanted:
        return False
    for tok in tokens(text):
        lem = lemma(tok)
        for w in wanted:
            if lem == w or tok == w or (len(w) >= 4 and (w in tok or w in lem)):
                return True
    return False


def label_coverage(texts: list[str], labels: np.ndarray,
                   names: dict[int, str]) -> dict[int, tuple[float, float]]:
    """Return per cluster the share of its members that mention its label's words, and the
    share of the other reports (not overig) that do: a good label is high, then low."""
    out: dict[int, tuple[float, float]] = {}
    clustered = labels >= 0
    for c, name in names.items():
        words = label_words(name)
        hits = np.array([mentions(t, words) for t in texts], bool)
        inside = labels == c
        others = clustered & ~inside
        out[c] = (float(hits[inside].mean()) if inside.any() else 0.0,
                  float(hits[others].mean()) if others.any() else 0.0)
    return out
