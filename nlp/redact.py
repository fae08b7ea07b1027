"""Redaction of personal data: deduce (names, places, dates) plus Dutch rules where it falls short.

Logs never contain report texts: deduce's root-logger DEBUG side effect is undone on load.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nlp.normalize import normalize
from nlp.rules import (
    MONTHS,
    Span,
    apply_spans,
    capitalised_names,
    find_spans,
    first_names,
    is_duration,
)

log = logging.getLogger(__name__)
MODES = ("deduce", "rules")
DEDUCE_KINDS = {
    "persoon": "naam", "patient": "naam", "telefoonnummer": "telefoon", "emailadres": "email",
    "bsn": "bsn", "leeftijd": "leeftijd", "locatie": "adres", "datum": "datum",
}
ADDRESS_HINT = re.compile(r"\d|straat|laan|weg\b|plein|dreef|kade|singel|gracht|hof\b|pad\b")
_lock = threading.Lock()
_deduce: Any = None


def deduce_cache_path() -> Path:
    """Return where deduce's lookup cache lives: $NLP_DEDUCE_CACHE, site-packages or user cache."""
    if os.environ.get("NLP_DEDUCE_CACHE"):
        return Path(os.environ["NLP_DEDUCE_CACHE"])
    import deduce

    default = Path(deduce.__file__).parent / "data" / "lookup"
    if os.access(default, os.W_OK):
        return default
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "participatie" / "deduce"


def _quiet_logging() -> None:
    """Undo deduce's root-logger DEBUG side effect so report texts never reach the logs."""
    root = logging.getLogger()
    if root.level < logging.WARNING:
        root.setLevel(logging.WARNING)
    for name in ("deduce", "docdeid"):
        logging.getLogger(name).setLevel(logging.WARNING)


def load_deduce() -> Any:
    """Load deduce once per process (8-10 s, ~1.1 GB; the first build takes ~2 minutes)."""
    global _deduce
    with _lock:
        if _deduce is None:
            root_level = logging.getLogger().level
            from deduce import Deduce

            cache = deduce_cache_path()
            cache.mkdir(parents=True, exist_ok=True)
            _deduce = Deduce(cache_path=cache)
            logging.getLogger().setLevel(root_level or logging.WARNING)
            _quiet_logging()
    return _deduce


def _common_word(span: str) -> bool:
    """Return True for one capitalised word that is an ordinary Dutch word, not a first name."""
    import simplemma

    from nlp.rules import first_names

    word = span.strip()
    if " " in word or not word[:1].isupper():
        return False
    return simplemma.is_known(word.lower(), lang="nl") and word.lower() not in first_names()


# a name right after one of these is the name of an organisation or a place ("Cliëntenraad De
# Schoor", "Dagbesteding De Zonnebloem", "wijkteam Haven"), not of a person
ORG_HEAD = re.compile(
    r"\b(?:cliëntenraad|clientenraad|patiëntenraad|ouderraad|wijkraad|dorpsraad|adviesraad|"
    r"participatieraad|stichting|vereniging|coöperatie|cooperatie|praktijk|huisartsenpraktijk|"
    r"gezondheidscentrum|apotheek|dagbesteding|dagcentrum|zorgcentrum|woonzorgcentrum|"
    r"verpleeghuis|verzorgingshuis|zorghuis|hospice|buurthuis|wijkcentrum|buurtcentrum|"
    r"zorggroep|zorgboerderij|school|basisschool|kinderopvang|kerk|moskee|wijkteam|team|"
    r"ouderenbond|platform|kliniek|ziekenhuis|centrum|locatie|afdeling|woongroep|"
    r"flat|complex|wijk|buurt|park|winkelcentrum|sportclub|club|huis)\s+"
    r"(?:(?:van|in|bij)\s+)?(?:(?:de|het|'t|den|ter)\s+)?$",
    re.IGNORECASE,
)
PLACE_WORD = re.compile(r"(?:wijk|buurt|kwartier|dorp|horst|plassen|vaarten)$", re.IGNORECASE)
PARTICLES = frozenset("van de der den het ter ten te 't in op el al la le da du dos von".split())
# capitalised words that follow a name without being part of it
NOT_SURNAME = frozenset(
    "ik de het een hij zij ze we wij u jij je jullie maar en of dus want toen nu dan als dat die "
    "dit deze mijn zijn haar onze ons hun dag groet groeten bedankt dank mvg gr met uit bij voor "
    "in op aan naar over na sinds tot via hoi hallo beste geachte ook nog niet wel graag namens "
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split()
)
SURNAME_AFTER = re.compile(
    r"(\s+(?:(?:van|de|der|den|ter|ten|te|el|al|in\s+'t|van\s+'t)\s+)*)"
    r"([A-ZÀ-Ý][\w'-]*[a-zà-ÿ][\w'-]*)"
)
FIRST_AND = re.compile(r"\b([A-ZÀ-Ý][a-zà-ÿ]+)\s+(?:en|&)\s+$")


@functools.cache
def default_keep() -> frozenset[str]:
    """Return the built-in keep list (nlp/data/redaction_keep.txt), lower-cased."""
    path = Path(__file__).parent / "data" / "redaction_keep.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(" ".join(line.split()).lower() for line in lines
                     if line.strip() and not line.startswith("#"))


@functools.cache
def care_words() -> frozenset[str]:
    """Return the whole words of the care lexicon (nlp/data/zorgconcepten.txt)."""
    from nlp.text import concepts

    return frozenset(p.rstrip("$") for ps in concepts().values() for p in ps if " " not in p)


def _deduce_spans(model: Any, text: str) -> list[Span]:
    spans = []
    for ann in model.deidentify(text).annotations:
        kind = DEDUCE_KINDS.get(ann.tag)
        if kind == "adres" and not ADDRESS_HINT.search(ann.text):
            continue  # a town or wijk, not somebody's address
        if kind == "datum":
            continue  # dates of birth come from the rules, other dates are not personal
        if kind == "leeftijd" and is_duration(text, ann.start_char, ann.end_char):
            continue  # "ik woon 2 jaar": a period
        if kind == "naam" and _common_word(ann.text):
            continue  # e.g. "Haven", "Engels": a Dutch word, not a known first name
        if kind:
            spans.append(Span(ann.start_char, ann.end_char, kind))
    return spans


class Redactor:
    """Replace names, contact details, addresses, BSNs, birth dates and ages by placeholders."""

    def __init__(self, mode: str = "deduce", keep: Iterable[str] = ()) -> None:
        """Choose 'deduce' (best, loads deduce lazily) or 'rules' (fast, no model).

        keep: extra words or phrases that are never a person's name (wijk names, local
        organisations), added to the built-in list of place words and care organisations.
        """
        mode = "deduce" if mode == "default" else mode
        if mode not in MODES:
            raise ValueError(f"unknown redaction mode {mode!r}; choose from {MODES}")
        self.mode = mode
        extra = {" ".join(normalize(k).split()).lower() for k in keep}
        self.keep = default_keep() | frozenset(k for k in extra if k)
        self._keep_words = frozenset(w for k in self.keep for w in k.split()) - PARTICLES

    def spans(self, text: str) -> list[Span]:
        """Return the personal-data spans found in normalize(text), offsets into that text."""
        return self._spans(normalize(text))

    def redact(self, text: str) -> str:
        """Return the normalised text with every personal-data span replaced by a placeholder."""
        text = normalize(text)
        return apply_spans(text, self._spans(text))

    def _spans(self, text: str) -> list[Span]:
        spans = find_spans(text)
        if self.mode == "deduce":
            spans += _deduce_spans(load_deduce(), text)
        else:
            spans += capitalised_names(text)
        spans = [s for s in spans if s.kind != "naam" or not self.kept(text, s)]
        return self._whole_names(text, spans)

    def kept(self, text: str, span: Span) -> bool:
        """Return True when a name span is a place, organisation or care word to keep."""
        phrase = " ".join(text[span.start:span.end].split()).lower()
        if phrase in self.keep or ORG_HEAD.search(text[max(0, span.start - 40):span.start]):
            return True
        words = re.findall(r"[^\W\d_][\w'.-]*", phrase)
        particle = bool(words) and words[0] in PARTICLES
        words = [w for w in words if w not in PARTICLES]
        return all(w in self._keep_words or w in care_words()
                   or (not particle and PLACE_WORD.search(w)) for w in words)

    def _surname_word(self, word: str) -> bool:
        low = word.lower()
        return not (low in NOT_SURNAME or low in self._keep_words or low in care_words()
                    or PLACE_WORD.search(low) or re.fullmatch(MONTHS, low))

    def _whole_names(self, text: str, spans: list[Span]) -> list[Span]:
        """Extend names over a following surname ("Truus Voorbeeld") and "Ahmed en" before one."""
        out = []
        for span in spans:
            if span.kind != "naam":
                out.append(span)
                continue
            start, end = span.start, span.end
            while (m := SURNAME_AFTER.match(text, end)) and self._surname_word(m.group(2)):
                end = m.end()
            before = FIRST_AND.search(text[max(0, start - 30):start])
            if before and before.group(1).lower() in first_names():
                start -= len(before.group(0))
            out.append(Span(start, end, "naam"))
        return out

    def warmup(self) -> None:
        """Load (and on first use build) the model now rather than at the first report."""
        if self.mode == "deduce":
            self.redact("Warmup door Jan de Vries, 06-12345678.")


_default: dict[str, Redactor] = {}


def redact(text: str, mode: str = "deduce") -> str:
    """Redact one text with the process-wide redactor of the given mode."""
    if mode not in _default:
        _default[mode] = Redactor(mode)
    return _default[mode].redact(text)


def redact_stream(mode: str = "deduce") -> None:
    """Redact stdin to stdout, one report per line."""
    redactor = Redactor(mode)
    for line in sys.stdin:
        sys.stdout.write(redactor.redact(line.rstrip("\n")) + "\n")
        sys.stdout.flush()
