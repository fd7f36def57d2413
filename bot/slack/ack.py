"""Answer Slack once the change is stored (AckOnce), not before.

Slack wants an answer (an empty 200) within 3 s. A handler that answers first and writes after can
be killed in between: Slack told the person "done", the change is lost. `AckOnce(ack)` is handed
down as the `saved` callback to where the change is committed and called right after the write;
if the write takes longer than ACK_LIMIT_SECONDS, Slack is answered anyway (a timer), and the
handler calls it once more at its end (a no-op when already answered). Used by checklist clicks
(commands/checklist_actions.py) and the /incident subcommands that change an incident
(commands/incident.py).
"""

from __future__ import annotations

import threading

#: the longest a request waits for its change to be stored before Slack is answered anyway (Slack
#: shows an error after 3 s; a slow membership check or Slack call must not cost the person that)
ACK_LIMIT_SECONDS = 2.0


class AckOnce:
    """Answer Slack once: when the change is stored, or at the limit, whichever comes first. So a
    bot killed before the write never said "done" to a request it then lost: Slack shows the person
    an error instead."""

    def __init__(self, ack, limit: float = ACK_LIMIT_SECONDS):
        self._ack, self._lock, self._done = ack, threading.Lock(), False
        self._timer = threading.Timer(limit, self)
        self._timer.daemon = True
        self._timer.start()

    def __call__(self) -> None:
        with self._lock:
            if self._done:
                return
            self._done = True
        self._timer.cancel()
        self._ack()
