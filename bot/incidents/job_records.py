"""The incident's due work in the store (table `jobs`): reminders, escalations, legal clocks,
takedown polls, page retries, each with an absolute UTC time. A mixin of IncidentRecords
(bot/incidents/records.py), which gives it `store`, `jobs` (the table) and `timeline`.

Jobs are "claim, then send, then mark done". A one-shot job (a reminder) is claimed in the
database before its message is sent; if the bot dies between claim and done, the job stays
`claimed` and bot/incidents/effects.py settles it from the channel (the message carries the job in
its metadata): found, it is marked `sent` and the sweep finishes what follows the message (its
timeline entry, an escalation's page), then marks it done; not found, it is sent once. Never lost,
never doubled. The recurring job (the takedown poll) is harmless
to repeat and is simply rescheduled.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.incidents.clocks import Due, from_iso, to_iso
from bot.model import Job, from_doc, to_doc


class NotClaimed(Exception):
    """Raised inside a conditional update to leave the document as it was (nothing written)."""


def _job(record) -> Job | None:
    return from_doc(Job, record, id=record.id) if record is not None else None


class JobRecords:
    # -- jobs -------------------------------------------------------------------------------------

    def schedule(self, number: int, dues: Iterable[Due], *, recurring: tuple[str, ...] = ("poll",)) -> None:
        """Create or move jobs by key. One-shot jobs already done (or claimed) are left alone, so
        this is idempotent; the recurring poll comes back even when they had stopped."""
        with self.store.transaction(f"jobs:{number}"):
            existing = {j.key: j for j in self.incident_jobs(number)}
            for due in dues:
                job = existing.get(due.key)
                if job is None:
                    self.jobs.insert(to_doc(Job(incident=number, key=due.key, kind=due.kind, chain=due.chain,
                                                due_at=to_iso(due.due_at), payload=due.payload), without=("id",)))
                elif job.status in ("pending", "cancelled") or (due.key in recurring and job.status != "claimed"):
                    self.jobs.update(job.id, {"due_at": to_iso(due.due_at), "status": "pending",
                                              "payload": due.payload, "kind": due.kind, "chain": due.chain})

    def cancel(self, number: int, *, keys_starting: tuple[str, ...] = ("",), note: str = "cancelled") -> int:
        with self.store.transaction(f"jobs:{number}"):
            pending = [j for j in self.incident_jobs(number) if j.status == "pending" and j.key.startswith(keys_starting)]
            for job in pending:
                self.jobs.update(job.id, {"status": "cancelled", "note": note})
            return len(pending)

    def job(self, number: int, key: str) -> Job | None:
        return _job(self.jobs.first(None, where={"incident": number, "key": key}))

    def incident_jobs(self, number: int) -> list[Job]:
        return sorted((_job(r) for r in self.jobs.search(None, where={"incident": number})), key=lambda j: j.due_at)

    def due_jobs(self, now: datetime) -> list[Job]:
        return [_job(r) for r in self.jobs.due("due_at", to_iso(now), where={"status": "pending"})]

    def next_due(self) -> datetime | None:
        pending = self.jobs.search(None, where={"status": "pending"})
        return min((from_iso(j["due_at"]) for j in pending), default=None)

    def claim(self, job_id: int, now: datetime) -> bool:
        """Pending -> claimed, atomically; False when another sweep (or a cancel) got there first."""
        claimed: list[bool] = []

        def change(doc: dict) -> None:
            if doc.get("status") == "pending":
                doc.update(status="claimed", claimed_at=to_iso(now))
                claimed.append(True)

        self.jobs.modify(job_id, change, skip_locked=True)  # a replica claiming it now: not ours
        return bool(claimed)

    def finish(self, job_id: int, now: datetime, *, status: str = "done", note: str | None = None) -> None:
        self.jobs.update(job_id, {"status": status, "done_at": to_iso(now), "note": note})

    def retry(self, job_id: int, due_at: datetime, attempts: int, *, payload: dict | None = None) -> None:
        """A claimed job whose send certainly failed goes back to pending, later (what is left of
        it in `payload`, when given)."""
        fields = {"status": "pending", "due_at": to_iso(due_at), "attempts": attempts, "claimed_at": None}
        self.jobs.update(job_id, fields if payload is None else dict(fields, payload=payload))

    def claim_run(self, job_id: int, now: datetime, next_due: datetime) -> bool:
        """A recurring job (the poll) taken for this run by moving it to its next run; False when
        it is no longer pending and due (a cancel, or another replica, got there first)."""
        moved: list[bool] = []

        def change(doc: dict) -> None:
            if doc.get("status") == "pending" and from_iso(doc["due_at"]) <= now:
                doc["due_at"] = to_iso(next_due)
                moved.append(True)

        self.jobs.modify(job_id, change, skip_locked=True)
        return bool(moved)

    def stuck_claims(self, claimed_before: datetime) -> list[Job]:
        """Jobs claimed before then and never finished: their process died mid-send (effects.py)."""
        return [_job(r) for r in self.jobs.search(lambda d: from_iso(d.get("claimed_at") or d["due_at"]) <= claimed_before,
                                                  where={"status": "claimed"})]

    def release(self, job_id: int, claimed_at: str | None) -> bool:
        """An interrupted claim goes back to pending (only the same claim: a new one stays)."""
        released: list[bool] = []

        def change(doc: dict) -> None:
            if doc.get("status") == "claimed" and doc.get("claimed_at") == claimed_at:
                doc.update(status="pending", claimed_at=None)
                released.append(True)

        self.jobs.modify(job_id, change)
        return bool(released)

    # -- a one-shot job whose message was posted by a bot that stopped before finishing it
    #    (found in the channel by effects.recover_claimed): never posted again; the sweep writes
    #    what follows the message (its timeline entry, the page of an escalation) --------------------

    def mark_sent(self, job_id: int, claimed_at: str | None, sent_at: str) -> bool:
        """Claimed -> sent (only the same claim); `sent_at`: when its message went out."""
        marked: list[bool] = []

        def change(doc: dict) -> None:
            if doc.get("status") == "claimed" and doc.get("claimed_at") == claimed_at:
                doc.update(status="sent", sent_at=sent_at, claimed_at=None)
                marked.append(True)

        self.jobs.modify(job_id, change)
        return bool(marked)

    def sent_jobs(self) -> list[Job]:
        return [_job(r) for r in self.jobs.search(None, where={"status": "sent"})]

    def claim_sent(self, job_id: int, now: datetime) -> Job | None:
        """Sent -> claimed, atomically (one process finishes it); the job as claimed, or None."""
        def change(doc: dict) -> None:
            if doc.get("status") != "sent":
                raise NotClaimed
            doc.update(status="claimed", claimed_at=to_iso(now))

        try:
            return _job(self.jobs.modify(job_id, change, skip_locked=True))
        except NotClaimed:
            return None

    def has_job_entry(self, number: int, key: str) -> bool:
        """Whether the timeline holds the entry a job writes after its message (data {"job": key})."""
        return any(entry.data.get("job") == key for entry in self.timeline(number))
