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


@functools.cache
def _table() -> dict[int, str | None]:
    """Return the translation table: format characters out, dashes, spaces and digits to ASCII."""
    table: dict[int, str | None] = {}
    for cp in range(0x110000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat == "Cf" or cp in _INVISIBLE:
            table[cp] = None
        elif cat == "Pd" or cp in _DASHES:
            table[cp] = "-"
        elif ch in _LINE:
            table[cp] = "\n"
        elif cat == "Zs" or (ch.isspace() and ch not in " \n"):
            table[cp] = " "
        elif cat == "Nd" and not ch.isascii():
            table[cp] = str(unicodedata.digit(ch))
    table[ord("-")] = "-"
    table.pop(ord(" "), None)
    return table


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def normalize(text: str) -> str:
    """Return text in NFKC without format characters, with ASCII dashes and spaces."""
    table = _table()
    # strip format characters first, so NFKC can compose what they separated
    out = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").translate(table))
    # NFKC may produce new spaces or dashes (e.g. U+FE58 small em dash -> U+2014)
    out = out.translate(table)
    return _CONTROL.sub("", unicodedata.normalize("NFC", out))
