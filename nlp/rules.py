"""Rule-based detectors for Dutch personal data that deduce misses or that need checking."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import simplemma

PLACEHOLDERS = {
    "naam": "[NAAM]",
    "telefoon": "[TELEFOON]",
    "email": "[EMAIL]",
    "adres": "[ADRES]",
    "postcode": "[POSTCODE]",
    "geboortedatum": "[GEBOORTEDATUM]",
    "bsn": "[BSN]",
    "leeftijd": "[LEEFTIJD]",
}


@dataclass(frozen=True)
class Span:
    """A detected piece of personal data: character offsets and its kind."""

    start: int
    end: int
    kind: str


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?31[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)"
    r"(?:[1-9](?:(?:\s?[-.)/]\s?|\s)?\d){8})(?!\d)"
)
INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{1,2}(?:[\s.-]?\d){7,11}(?!\d)")
NINE_DIGITS = re.compile(
    r"(?<![\d.,-])(\d{4}[. ]?\d{2}[. ]?\d{3}|\d{3}[. ]?\d{3}[. ]?\d{3})(?![\d])"
)
POSTCODE = re.compile(
    r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b(?:\s+[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)?"
)
STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|dreef|pad|kade|singel|gracht|hof|park|dijk|baan|boulevard|"
    r"steeg|ring|allee|markt|passage|promenade|erf|wal|burg|veld|plantsoen)"
)
ADDRESS = re.compile(
    r"\b(?:[A-Z][\w'-]*[ -])?[A-Z]?[a-zà-ü'-]*" + STREET_SUFFIX
    + r"\s+\d{1,4}(?:\s?[a-zA-Z]\b|-\d+)?",
)
MONTHS = (r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
          r"december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?")
DATE = re.compile(
    r"\b(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}|\d{1,2}\s+" + MONTHS + r"\s+(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
BIRTH_CUE = re.compile(r"(?:geboren|geb\.|geboortedatum|geb\.datum|gebdat)\W{0,3}(?:op\s+)?$",
                       re.IGNORECASE)
AGE = re.compile(
    r"(?<!\bal\s)(?<!sinds\s)(?<!over\s)(?<!binnen\s)(?<!\bna\s)(?<!ruim\s)(?<!bijna\s)"
    r"(?<!\bper\s)(?<!elke\s)(?<!laatste\s)(?<!\bdan\s)"
    r"\b(\d{1,3})(?:\s*|-)(?:jaar|jr\.?|jarige?)(?:\s+oud)?\b"
    r"|\b(?:is|ben|was|werd|wordt|van|word)\s(\d{1,3})\b(?!\s*(?:%|euro|minuten|min|uur|"
    r"dagen|weken|maanden|km|kilometer|keer|procent|patiënten|mensen|cliënten|jaar|jr))",
    re.IGNORECASE,
)
BARE_AGE = re.compile(
    r"\((\d{1,3})\)|(?<=[A-Za-z]), (\d{1,3}),|\b(?:van|zijn|waren) \d{1,2} en (\d{1,2})\b"
)
TITLE_NAME = re.compile(
    r"\b(?:dokter|dr\.|dhr\.|mevr\.|mw\.|meneer|mevrouw|mijnheer|familie|fam\.|zuster)\s+"
    r"(?:(?:van|de|der|den|el|van\s+de|van\s+der|ter|ten)\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"
)
KIN_NAME = re.compile(
    r"\b(?:[Mm]ijn|[Oo]nze|[Hh]aar|[Zz]ijn)\s+(?:moeder|vader|oma|opa|man|vrouw|zoon|dochter|broer|zus|"
    r"buurvrouw|buurman|schoonvader|schoonmoeder|partner|tante|oom|vriendin|vriend|kleinzoon|"
    r"kleindochter|patiënt|cliënt),?\s+([A-Za-zà-ü][\w'-]+)"
)
HOUSE = re.compile(
    r"(?:\bop|\baan\s+de|\baan\s+het|adres:?|woonachtig|,)\s+"
    r"([A-Z][a-zà-ü]+(?:[- ][A-Z]?[a-zà-ü]+)?\s+\d{1,4}[a-zA-Z]?)\b"
    r"(?!\s*(?:jaar|weken|dagen|minuten|uur|euro|%|procent|km|patiënten))"
)
NAME_CUE = re.compile(
    r"\b(ik\s+ben|ik\s+heet|mijn\s+naam\s+is|naam:|genaamd|heet)\s+"
    r"((?:[a-zà-ü][a-zà-ü'-]+|[A-Z][\w'-]+)(?:\s+(?:van|de|der|den|el|van\s+de|van\s+der|ter|ten)?"
    r"\s*[A-Za-zà-ü][\w'-]+)?)",
    re.IGNORECASE,
)
NOT_A_NAME = frozenset(
    "een de het mantelzorger inwoner huisarts wijkverpleegkundige moeder vader zoon dochter "
    "niet al zelf erg heel ook nu moe bang boos blij op in met alleen weduwe oud ziek van der den "
    "ter ten te is was heeft had en of die dat wil kan moet zegt".split()
)


def bsn_valid(digits: str) -> bool:
    """Return True when nine digits pass the Dutch BSN eleven-test."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


def _bsn(text: str) -> Iterator[Span]:
    for m in NINE_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if bsn_valid(digits) and not digits.startswith("0"):
            yield Span(m.start(), m.end(), "bsn")


def _birthdates(text: str) -> Iterator[Span]:
    for m in DATE.finditer(text):
        year = int(re.findall(r"(?:19|20)\d{2}", m.group(0))[-1])
        cue = BIRTH_CUE.search(text[max(0, m.start() - 25):m.start()])
        if cue or year < 2005:
            yield Span(m.start(), m.end(), "geboortedatum")


def _ages(text: str) -> Iterator[Span]:
    for m in AGE.finditer(text):
        group = 1 if m.group(1) else 2
        if 0 < int(m.group(group)) < 120:
            yield Span(m.start(group), m.end(group), "leeftijd")


def _plausible_name(cue: str, first: str) -> bool:
    if first.lower() in NOT_A_NAME:
        return False
    if cue.lower().split()[0] != "ik" or cue.lower().split()[-1] != "ben":
        return True
    if first[0].isupper() or not simplemma.is_known(first, lang="nl"):
        return True
    return first.lower() in first_names()


@functools.cache
def first_names() -> frozenset[str]:
    """Return deduce's list of Dutch first names, lower-cased (empty if deduce is missing)."""
    try:
        import deduce
    except ImportError:
        return frozenset()
    path = Path(deduce.__file__).parent / "data/lookup/src/names/lst_first_name/items.txt"
    if not path.exists():
        return frozenset()
    names = path.read_text(encoding="utf-8").split("\n")
    return frozenset(n.strip().lower() for n in names if len(n.strip()) > 2)


def _kin_names(text: str) -> Iterator[Span]:
    for m in KIN_NAME.finditer(text):
        word = m.group(1)
        if word.lower() in NOT_A_NAME:
            continue
        if (word[0].isupper() and not simplemma.is_known(word.lower(), lang="nl")) or (
                word.lower() in first_names()):
            yield Span(m.start(1), m.end(1), "naam")


def _bare_ages(text: str) -> Iterator[Span]:
    for m in BARE_AGE.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g))
        if 0 < int(m.group(group)) < 120:
            yield Span(m.start(group), m.end(group), "leeftijd")


def _names(text: str) -> Iterator[Span]:
    for m in NAME_CUE.finditer(text):
        words = m.group(2).split()
        while words and words[-1].lower() in NOT_A_NAME | {"van", "de", "der", "den"}:
            words.pop()
        if words and _plausible_name(m.group(1), words[0]):
            end = m.start(2) + len(" ".join(words))
            yield Span(m.start(2), end, "naam")


FIRST_LAST = re.compile(
    r"\b([A-Z][a-zà-ü]+)((?:\s+(?:van|de|der|den|van de|van der|ter|ten))?"
    r"\s+[A-Z][a-zà-ü'-]+)?"
)
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)$")


def capitalised_names(text: str) -> list[Span]:
    """Return first names from deduce's list (not sentence-initial) plus a following surname."""
    spans = []
    for m in FIRST_LAST.finditer(text):
        word = m.group(1).lower()
        if word not in first_names() or word in NOT_A_NAME:
            continue
        initial = SENTENCE_START.search(text[:m.start()]) is not None
        if not initial or not simplemma.is_known(word, lang="nl"):
            spans.append(Span(m.start(), m.end(), "naam"))
    return spans


def find_spans(text: str) -> list[Span]:
    """Return the personal data the rules find in a text (overlaps allowed)."""
    spans = [Span(m.start(), m.end(), "email") for m in EMAIL.finditer(text)]
    spans += [Span(m.start(), m.end(), "telefoon") for m in PHONE.finditer(text)]
    spans += [Span(m.start(), m.end(), "telefoon") for m in INTERNATIONAL.finditer(text)]
    spans += [Span(m.start(), m.end(), "naam") for m in TITLE_NAME.finditer(text)]
    spans += [Span(m.start(1), m.end(1), "adres") for m in HOUSE.finditer(text)]
    spans += list(_kin_names(text)) + list(_bare_ages(text))
    spans += [Span(m.start(), m.end(), "postcode") for m in POSTCODE.finditer(text)]
    spans += [Span(m.start(), m.end(), "adres") for m in ADDRESS.finditer(text)]
    spans += list(_bsn(text)) + list(_birthdates(text)) + list(_ages(text)) + list(_names(text))
    return spans


def merge_spans(spans: list[Span]) -> list[Span]:
    """Resolve overlaps: earlier and longer spans win, the rest are absorbed."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[Span] = []
    for span in ordered:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def apply_spans(text: str, spans: list[Span]) -> str:
    """Replace each span by the placeholder of its kind."""
    out, pos = [], 0
    for span in merge_spans(spans):
        out.append(text[pos:span.start])
        out.append(PLACEHOLDERS[span.kind])
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
