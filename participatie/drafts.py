"""Save a form and finish it later: answers sealed with a key only the resident's code opens.

The code (like "HM3K-7QXA-PC4T") is shown once and never stored: the table keeps a keyed hash to
find the draft and the answers encrypted (Fernet) with a key derived from the site's secret and
the code. A draft is deleted when it is picked up and, unused, after DRAFT_DAYS.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from participatie.models import Draft, utcnow
from participatie.signals import ALPHABET

DRAFT_DAYS = 7
CODE_LENGTH = 12


@dataclass(frozen=True)
class Resumed:
    """What a picked-up draft holds: where the resident was and what they had answered."""

    form_id: str
    page_id: str
    answers: dict[str, Any]


def normalise_code(typed: str) -> str:
    """Read a typed code the way people type it: any case, spaces or dashes anywhere."""
    plain = "".join(c for c in typed.upper() if c.isalnum())
    return "-".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def _keys(secret: str, code: str) -> tuple[str, bytes]:
    plain = normalise_code(code).replace("-", "").encode()
    root = hashlib.sha256(secret.encode()).digest()
    lookup = hmac.new(root, b"draft-lookup:" + plain, hashlib.sha256).hexdigest()
    key = hmac.new(root, b"draft-key:" + plain, hashlib.sha256).digest()
    return lookup, base64.urlsafe_b64encode(key)


def save(session: Session, secret: str, form_id: str, page_id: str,
         answers: dict[str, Any], now: dt.datetime | None = None) -> tuple[str, dt.datetime]:
    """Store the answers sealed; return the code to give the resident and when it expires."""
    code = normalise_code("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))
    lookup, key = _keys(secret, code)
    body = json.dumps({"form": form_id, "page": page_id, "answers": answers},
                      ensure_ascii=False).encode()
    created = now or utcnow()
    expires = created + dt.timedelta(days=DRAFT_DAYS)
    session.add(Draft(lookup=lookup, form_id=form_id, sealed=Fernet(key).encrypt(body),
                      created_at=created, expires_at=expires))
    session.flush()
    return code, expires


def resume(session: Session, secret: str, code: str,
           now: dt.datetime | None = None) -> Resumed | None:
    """Open and delete the draft of a code; None when unknown, expired or not readable."""
    if len(normalise_code(code).replace("-", "")) != CODE_LENGTH:
        return None
    lookup, key = _keys(secret, code)
    draft = session.scalar(select(Draft).where(Draft.lookup == lookup))
    if draft is None:
        return None
    session.delete(draft)
    session.flush()
    if draft.expires_at <= (now or utcnow()):
        return None
    try:
        body = json.loads(Fernet(key).decrypt(draft.sealed))
    except (InvalidToken, ValueError):
        return None
    return Resumed(form_id=body["form"], page_id=body["page"], answers=body["answers"])


def purge_expired(session: Session, now: dt.datetime | None = None) -> int:
    """Delete drafts whose time is up; return how many."""
    result = session.execute(delete(Draft).where(Draft.expires_at <= (now or utcnow())))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
