"""Passwords: hashing with argon2id, verifying in constant work, and what a new one must be."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
# how people dress up a common password: w@chtw00rd, Welkom01!, welkom01welkom01
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "5": "s",
                       "7": "t", "!": "i"})
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")

_hasher = PasswordHasher()
# verified when the e-mail is unknown, so a wrong address takes as long as a wrong password
DUMMY_HASH = _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Check a password against a hash; a missing hash costs the same work and fails."""
    try:
        return _hasher.verify(password_hash or DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether a hash was made with weaker settings than today's."""
    return _hasher.check_needs_rehash(password_hash)


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the bundled list of common passwords (read once; it never changes)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """Tell whether a password is a common one, also with digits, symbols or repeats around it."""
    common = common_passwords()
    plain = password.lower()
    squashed = re.sub(r"\s+", "", plain)
    if squashed.isdigit() or len(set(squashed)) <= 3:  # 123456789012, aaaaaaaaaaaa, abababab...
        return True
    candidates = {plain, squashed}
    candidates |= {_EDGES.sub("", c) for c in list(candidates)}
    candidates |= {c.translate(_LEET) for c in list(candidates)}
    candidates |= {_EDGES.sub("", c) for c in list(candidates)}
    for candidate in list(candidates):
        for size in range(1, len(candidate) // 2 + 1):  # welkom01welkom01 -> welkom01
            if len(candidate) % size == 0 and candidate[:size] * (len(candidate) // size) \
                    == candidate:
                candidates.add(candidate[:size])
                break
    return any(c in common for c in candidates if c)


def contains_email(password: str, email: str) -> bool:
    """Tell whether a password contains the e-mail address or the part before the @."""
    plain = re.sub(r"\s+", "", password.lower())
    email = email.strip().lower()
    local = email.split("@")[0]
    parts = [email, local] + [p for p in re.split(r"[._+-]", local) if len(p) >= 4]
    return any(part and len(part) >= 3 and part in plain for part in parts)


def check_password_strength(password: str, email: str | None = None) -> str | None:
    """Return why a new password is not good enough ("too_short", "common", "email"), or None."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if is_common(password):
        return "common"
    if email and contains_email(password, email):
        return "email"
    return None
