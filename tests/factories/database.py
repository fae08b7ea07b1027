"""The connection the running test's sessions are bound to (see tests/conftest.py).

It lives here, not in conftest.py: pytest loads conftest.py as ``conftest`` while test modules
import ``tests.conftest``, two module objects that would each have their own copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection


@dataclass
class Bound:
    """The connection (and its database URL) of the running transactional test, if any."""

    url: str | None = None
    connection: Connection | None = None


BOUND = Bound()
