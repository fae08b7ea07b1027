"""Redaction of personal data: deduce (names, places, dates) plus Dutch rules where it falls short.

Logs never contain report texts: deduce's root-logger DEBUG side effect is undone on load.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

from nlp.rules import Span, apply_spans, capitalised_names, find_spans

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


def _deduce_spans(model: Any, text: str) -> list[Span]:
    spans = []
    for ann in model.deidentify(text).annotations:
        kind = DEDUCE_KINDS.get(ann.tag)
        if kind == "adres" and not ADDRESS_HINT.search(ann.text):
            continue  # a town or wijk, not somebody's address
        if kind == "datum":
            continue  # dates of birth come from the rules, other dates are not personal
        if kind == "naam" and _common_word(ann.text):
            continue  # e.g. "Haven", "Engels": a Dutch word, not a known first name
        if kind:
            spans.append(Span(ann.start_char, ann.end_char, kind))
    return spans


class Redactor:
    """Replace names, contact details, addresses, BSNs, birth dates and ages by placeholders."""

    def __init__(self, mode: str = "deduce") -> None:
        """Choose 'deduce' (best, loads deduce lazily) or 'rules' (fast, no model)."""
        mode = "deduce" if mode == "default" else mode
        if mode not in MODES:
            raise ValueError(f"unknown redaction mode {mode!r}; choose from {MODES}")
        self.mode = mode

    def spans(self, text: str) -> list[Span]:
        """Return the personal-data spans found in a text."""
        spans = find_spans(text)
        if self.mode == "deduce":
            spans += _deduce_spans(load_deduce(), text)
        else:
            spans += capitalised_names(text)
        return spans

    def redact(self, text: str) -> str:
        """Return the text with every personal-data span replaced by a placeholder."""
        return apply_spans(text, self.spans(text))

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
