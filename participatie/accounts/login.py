"""Checking a log-in without telling who has an account, and slowing down guessers only.

- Every attempt costs one argon2 verification, for known and unknown e-mails alike, also while
  a wait applies, and every failure gets the same outcome ("invalid"): timing and messages do
  not reveal which e-mail addresses have accounts.
- No hard lock: after a few wrong tries, the next try must wait (doubling, capped) per
  (e-mail, address) and, more loosely, per address. Someone guessing from their address slows
  down only themselves: the ASD logging in from elsewhere is never locked out.
- The account's failure count goes up in one UPDATE ... RETURNING, so parallel guesses are all
  counted (no read-modify-write race).
The caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app
from sqlalchemy import case, delete, select, update
from sqlalchemy.orm import Session

from participatie.accounts.passwords import hash_password, needs_rehash, verify
from participatie.models import LoginThrottle, User, utcnow

ACCOUNT_FREE_TRIES = 5
ACCOUNT_MAX_WAIT = dt.timedelta(minutes=15)
ADDRESS_FREE_TRIES = 20
ADDRESS_MAX_WAIT = dt.timedelta(minutes=5)
FORGET_AFTER = dt.timedelta(hours=1)


def authenticate(session: Session, email: str, password: str,
                 address: str = "") -> tuple[User | None, str]:
    """Check a log-in from an address; return (user, "ok") or (None, "invalid")."""
    email = email.strip().lower()
    now = utcnow()
    user = session.scalar(select(User).where(User.email == email))
    usable = user is not None and user.active and bool(user.password_hash)
    limits = ((throttle_key("account", email, address), ACCOUNT_FREE_TRIES, ACCOUNT_MAX_WAIT),
              (throttle_key("address", address), ADDRESS_FREE_TRIES, ADDRESS_MAX_WAIT))
    waiting = must_wait(session, [key for key, _free, _cap in limits], now)
    # exactly one argon2 verification on every path
    good = verify(user.password_hash if usable and user else None, password)
    if good and usable and not waiting and user is not None:
        user.failed_logins = 0
        user.last_login_at = now
        if user.password_hash and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        session.execute(delete(LoginThrottle).where(LoginThrottle.key == limits[0][0]))
        session.flush()
        return user, "ok"
    if user is not None:
        count_failure(session, user)
    if not waiting:
        for key, free, cap in limits:
            _throttle(session, key, free, cap, now)
    session.flush()
    return None, "invalid"


def count_failure(session: Session, user: User) -> int:
    """Add one failed log-in to the account atomically; return the new count."""
    count = session.execute(
        update(User).where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1).returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    user.failed_logins = count
    return int(count)


def throttle_key(kind: str, *parts: str) -> str:
    """Return a keyed hash for a throttle: no plain address or e-mail is stored."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, "\x1f".join((kind, *parts)).encode(), hashlib.sha256).hexdigest()


def must_wait(session: Session, keys: list[str], now: dt.datetime | None = None) -> bool:
    """Tell whether any of these throttles asks to wait before the next try."""
    now = now or utcnow()
    return session.scalar(select(LoginThrottle.key).where(
        LoginThrottle.key.in_(keys), LoginThrottle.next_try_at > now).limit(1)) is not None


def wait_after(failures: int, free: int, cap: dt.timedelta) -> dt.timedelta:
    """Return how long to wait after this many failures: nothing, then 1 s, 2 s, 4 s ... cap."""
    if failures <= free:
        return dt.timedelta(0)
    return min(dt.timedelta(seconds=2 ** min(failures - free - 1, 20)), cap)


def _throttle(session: Session, key: str, free: int, cap: dt.timedelta,
              now: dt.datetime) -> int:
    insert = _insert_for(session)
    statement = insert(LoginThrottle).values(key=key, failures=1, updated_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={"failures": case((LoginThrottle.updated_at < now - FORGET_AFTER, 1),
                               else_=LoginThrottle.failures + 1),
              "updated_at": now},
    ).returning(LoginThrottle.failures)
    failures = int(session.execute(statement).scalar_one())
    wait = wait_after(failures, free, cap)
    if wait:
        session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                        .values(next_try_at=now + wait)
                        .execution_options(synchronize_session=False))
    return failures


def _insert_for(session: Session):  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert
