"""A store written to by a process that is killed, shared by test_store.py and bench/store_writes.py.

* `killed_writer(open_store, round_no, want=..., wait=..., pause=...)`: a forked child opens
  incidents and ticks checklist items as fast as it can through the typed records the bot uses
  (IncidentRecords), acknowledging each write on a pipe once it returned; the parent reads `want`
  acknowledgements (or gives up after `wait` seconds), sleeps `pause`, SIGKILLs the child and
  returns every acknowledgement line it got, the ones still in the pipe included.
* `Acknowledged`: the incidents and checklist ticks those lines name, gathered over rounds: what
  the store must still hold after each kill.

The child writes only made-up titles and checklist steps; the lines name ids, never content.
"""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.incidents.checklist import add_item, apply_delta
from bot.incidents.records import IncidentRecords
from bot.model import Incident

#: when the child's writes are said to happen (any fixed moment: the checks look at ids only)
WRITTEN_AT = "2026-11-28T14:00:00.000000+00:00"
#: the child stops here if it is never killed
MAX_WRITES = 100_000


def _writer(open_store: Callable[[], object], ack_fd: int, round_no: int) -> None:
    records = IncidentRecords(open_store())
    sheet = records.create(Incident(title=f"round {round_no}"))
    records.create_checklist(sheet, [])
    os.write(ack_fd, f"sheet {sheet}\n".encode())
    for n in range(MAX_WRITES):
        number = records.create(Incident(title=f"round {round_no} n {n}"))
        os.write(ack_fd, f"incident {number}\n".encode())

        def tick(doc, n=n):
            if len(doc.items) < 40:
                add_item(doc.items, f"step {n}", by="U1", at=WRITTEN_AT)
            apply_delta(doc.items, {doc.items[n % len(doc.items)].id}, set(), by=f"U{n}", at=WRITTEN_AT)

        _, changes = records.change_checklist(sheet, tick)
        for item_id, _done in changes or []:
            os.write(ack_fd, f"tick {sheet} {item_id}\n".encode())


def killed_writer(open_store: Callable[[], object], round_no: int, *, want: int, wait: float,
                  pause: float) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            _writer(open_store, write_fd, round_no)
        finally:
            os._exit(0)
    os.close(write_fd)
    buffer = b""
    deadline = time.monotonic() + wait
    while buffer.count(b"\n") < want and time.monotonic() < deadline:
        ready, _, _ = select.select([read_fd], [], [], 0.05)
        if ready:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            buffer += chunk
    time.sleep(pause)  # land the kill anywhere inside a write
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        buffer += chunk
    os.close(read_fd)
    return buffer.decode().splitlines()


@dataclass
class Acknowledged:
    incidents: set[int] = field(default_factory=set)
    #: checklist (incident number) -> ids of the items acknowledged as ticked
    ticks: dict[int, set[str]] = field(default_factory=dict)

    def note(self, lines: list[str]) -> None:
        for line in lines:
            kind, *numbers = line.split()
            if kind == "incident":
                self.incidents.add(int(numbers[0]))
            elif kind == "tick":
                self.ticks.setdefault(int(numbers[0]), set()).add(numbers[1])

    def count(self) -> int:
        return len(self.incidents) + sum(map(len, self.ticks.values()))
