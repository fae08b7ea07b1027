"""E-mail digests: per subscriber and period, what is new in the wijken they follow.

How a digest goes out exactly once. For each due subscriber the run opens one database
transaction, inserts (or locks, SELECT ... FOR UPDATE) the DigestDelivery row for
(user, period), hands the message to the SMTP server, sets sent_at and commits. So:

- a row with sent_at is never sent again: a second run, or a run after a crash, skips it;
- a run at the same moment waits for the row lock, or for the unique (user_id, period) key when
  both insert (on SQLite: for the database lock), and then leaves that digest to the run that
  holds it; so two runs never send the same digest, and whatever fails is retried next time;
- a recipient the server refuses, or a broken connection, rolls the transaction back; the
  attempt and the SMTP reply are then recorded in a short transaction of their own
  (attempts, last_error) and the run goes on with the next subscriber. The next run retries.

The one window left is a crash between the server's "250 accepted" and our COMMIT, a few
milliseconds: then that single digest is sent again on the next run. We chose this over
committing a "sending" mark before the send, because that order loses the digest for good after a
crash, and a duplicate is the smaller harm. SMTP offers no way to close this window completely.
"""

from participatie.digests.content import Digest, allowed_wijken, chosen_wijken, collect
from participatie.digests.periods import FREQUENCIES, Period
from participatie.digests.render import (
    RenderedDigest,
    read_unsubscribe_token,
    render,
    unsubscribe_token,
)
from participatie.digests.sending import RunResult, due, next_digest, send_due

__all__ = [
    "FREQUENCIES", "Digest", "Period", "RenderedDigest", "RunResult", "allowed_wijken",
    "chosen_wijken", "collect", "due", "next_digest", "read_unsubscribe_token", "render",
    "send_due", "unsubscribe_token",
]
