"""Normalise text before redaction, so look-alike characters cannot hide personal data.

NFKC folds full-width and other compatibility forms (full-width digits, "＠", ligatures) to their
plain forms; Unicode format characters (zero-width space/joiner/non-joiner, word joiner, soft
hyphen, bidi controls, BOM: category Cf) are removed; every dash becomes "-" and every space
becomes " " (line breaks stay, as "\n"); digits of other scripts become ASCII digits. Letters
such as é, ë, ı, ş or Arabic script are kept as they are.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Cf plus a few invisible characters that are not Cf but render as nothing (Hangul fillers,
# the Mongolian vowel separator in old Unicode, combining grapheme joiner).
_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x180E, 0x3164, 0xFFA0}
# dashes (Pd) and minus-like signs; hyphenation point and bullets are separators as well
_DASHES = {0x2212, 0x2043, 0x02D7, 0x2796, 0xFE63, 0xFF0D, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014,
           0x2015, 0x2E3A, 0x2E3B, 0x058A, 0x05BE, 0x1400, 0x1806, 0x2E17, 0x2E1A, 0x2E40, 0x301C,
           0x3030, 0x30A0, 0xFE31, 0xFE32, 0xFE58, 0x10EAD}
_LINE = {"\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"}


@functools.lru_cache(maxsize=4096)
def _replacement(ch: str) -> str | None:
    """Return what one character becomes: None (dropped), "-", " ", "\\n", a digit or itself."""
    cp = ord(ch)
    cat = unicodedata.category(ch)
    if cat == "Cf" or cp in _INVISIBLE:
        return None
    if cat == "Pd" or cp in _DASHES:
        return "-"
    if ch in _LINE:
        return "\n"
    if cat == "Zs" or ch.isspace():
        return " "
    if cat == "Nd":
        return str(unicodedata.digit(ch))
    return ch


def _translate(text: str) -> str:
    """Apply _replacement to the characters that need it (ASCII stays but tab, CR, VT, FF)."""
    table = {ord(c): _replacement(c) for c in set(text) if not c.isascii() or c in "\t\r\x0b\x0c"}
    return text.translate(table) if table else text


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalize(text: str) -> str:
    """Return text in NFKC without format characters, with ASCII dashes and spaces."""
    # strip format characters first, so NFKC can compose what they separated
    out = unicodedata.normalize("NFKC", _translate(text.replace("\r\n", "\n")))
    # NFKC may produce new spaces or dashes (e.g. U+FE58 small em dash -> U+2014)
    out = _translate(out)
    return _CONTROL.sub("", unicodedata.normalize("NFC", out))
