"""Passwords: hashing with argon2id, verifying in constant work, and what a new one must be."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12

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


def check_password_strength(password: str) -> str | None:
    """Return why a new password is not good enough, or None."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    return None
