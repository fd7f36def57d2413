"""Runs due watches: crawl, alert in the watch's channel, open the incident, remember what was seen.

One daemon thread looks for due watches every `tick_seconds` (the store is in memory, so this is
cheap) and hands each to a small pool of its own: a long crawl never holds up the scan workers
that answer `/scan`, and one watch never runs twice at the same time. `next_run` is absolute UTC
in the store, so after a restart overdue watches run at once and the rest keep their times.

Per run:
- the page and its linked documents are crawled with the memory of the last run (conditional
  requests; unchanged documents are not scanned again);
- each document at or above the threshold that has not alerted with these same findings before
  posts an alert in the watch's channel and goes to `services.incidents.handle_scan`: recorded as
  pending in the run's own write, marked alerted once sent, so a bot killed in between neither
  loses nor repeats it (bot/watch/alerts.py settles it at the watch's next run, made due at once);
- every scanned document is checked against known incidents' fingerprints (same leak again);
- when the page cannot be read, the failure streak grows; the channel hears about it once (at the
  second failure in a row) and once more when the page can be read again;
- past the window the watch ends and says so with a short summary.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime

from bot.errors import LeakwatchError
from bot.model import Watch
from bot.scan.crawl import CrawlLimits, crawl
from bot.scan.report import Report
from bot.slack import times
from bot.slack.blocks import notice, scan_result
from bot.store import shared_store
from bot.watch import alerts as pending_alerts
from bot.watch.parse import format_duration
from bot.watch.store import ACTIVE, ENDED, WatchStore, iso, parse_iso, utcnow

log = logging.getLogger(__name__)

#: a failure is said once the page failed this many runs in a row (one blip is not news)
FAILURES_BEFORE_SAYING = 2
WATCH_THREADS = 2


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def findings_digest(report: Report) -> str:
    """A hash of a document's fingerprints: the same findings alert once, new ones alert again."""
    digest = hashlib.sha256()
    for finding in sorted(report.findings, key=lambda f: f.type):
        digest.update(finding.type.encode())
        for fp in sorted(finding.fingerprints):
            digest.update(fp.encode())
    return digest.hexdigest()


class WatchRunner:
    def __init__(self, services, *, tick_seconds: float = 1.0, limits: CrawlLimits | None = None, crawl_fn=crawl):
        self.services = services
        self._watches: WatchStore | None = None
        self.tick_seconds = tick_seconds
        self.limits = limits
        self.crawl_fn = crawl_fn
        self._running: set[int] = set()
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=WATCH_THREADS, thread_name_prefix="watch")
        #: alerts a process before this one left pending are settled at once (bot/watch/alerts.py)
        self._started = utcnow()

    @property
    def watches(self) -> WatchStore:
        """The store is taken when first needed: every part's `attach` has run by then."""
        with self._lock:
            if self._watches is None:
                self._watches = WatchStore(shared_store(self.services))
            return self._watches

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="watch-loop", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def wake(self) -> None:
        """Look for due watches now (a watch was just started)."""
        self._wake.set()

    def _loop(self) -> None:
        # one tick first: start-up (other parts' attach) finishes before the first look
        self._wake.wait(self.tick_seconds)
        self._wake.clear()
        while not self._stopping.is_set():
            try:
                self.run_due()
            except Exception as err:  # noqa: BLE001 - the loop must outlive any one bad record
                log.error("watch loop: %s", type(err).__name__)
            self._wake.wait(self.tick_seconds)
            self._wake.clear()

    # -- scheduling -------------------------------------------------------------------------------

    def run_due(self, now: datetime | None = None) -> list[Future]:
        now = now or utcnow()
        futures = []
        for watch in self.watches.active():
            # a window ends on time, not at the first run after it
            if parse_iso(watch.ends_at) <= now and watch.number not in self._running:
                self._end(watch)
        one_process = self.watches.store.kind != "postgresql"
        due = {w.number for w in self.watches.due(now)}
        for watch in self.watches.active():
            number = watch.number
            if number not in due and not self._stale(watch, now, one_process):
                continue
            with self._lock:
                if number in self._running:
                    continue
                claimed = self.watches.claim(number, now, settle=lambda doc: pending_alerts.take(
                    doc, list(doc.pending_alerts) if one_process else self._stale(doc, now, one_process), now))
                if claimed is None:
                    continue
                self._running.add(number)
            try:
                futures.append(self._pool.submit(self._run_claimed, number, claimed[1], claimed[0].next_run))
            except RuntimeError:  # shutting down
                with self._lock:
                    self._running.discard(number)
        return futures

    def _stale(self, watch: Watch, now: datetime, one_process: bool) -> list[str]:
        return pending_alerts.stale(watch, now, started=self._started, one_process=one_process)

    def _run_claimed(self, number: int, settle: dict[str, dict] | None = None, claim: str = "") -> None:
        try:
            self.run_watch(number, settle)
        except Exception as err:  # noqa: BLE001 - log the type only: messages may quote content
            log.error("watch #%s run failed: %s", number, type(err).__name__)
        finally:
            with self._lock:
                self._running.discard(number)
            # the end of everything this claim did (fetches, posts): `claim` is the next_run it set
            log.info("watch #%s run ended (claimed next run %s)", number, claim)

    # -- one run ----------------------------------------------------------------------------------

    def run_watch(self, number: int, settle: dict[str, dict] | None = None) -> None:
        """One run; `settle`: the pending alerts its claim took (bot/watch/alerts.py)."""
        watch = self.watches.get(number)
        if watch is None or watch.status != ACTIVE:
            return
        now = utcnow()
        if now >= parse_iso(watch.ends_at):
            self._end(watch)
            return
        if settle:
            found, missing = pending_alerts.look(self.services.slack, watch, settle)
            watch = self.watches.modify(number, pending_alerts.settled(found, missing, settle)) or watch
            log.info("watch #%s: %d interrupted alerts had gone out, %d are sent now", number, len(found), len(missing))
        result = self.crawl_fn(watch.url, self.services.settings.scan, previous=watch.memory, limits=self.limits)
        report = result.report
        if report.error:
            self._failed(number, report)
            return
        alerts = [doc for doc in report.documents
                  if doc.incident and not doc.error and watch.alerted.get(doc.target) != findings_digest(doc)
                  and not pending_alerts.is_pending(watch, doc.target, findings_digest(doc))]
        recovered: list[bool] = []

        def record_run(doc: Watch) -> None:
            if doc.status != ACTIVE:  # stopped while the crawl ran: a stopped watch stays quiet
                return
            recovered.append(doc.failure_said)
            doc.memory = result.memory
            doc.runs += 1
            doc.last_run_at = iso(utcnow())
            doc.failures = 0
            doc.failure_said = False
            doc.last_error = None
            # a document gone from the site forgets its alert: if it comes back, that is news again
            doc.alerted = {url: digest for url, digest in doc.alerted.items() if url in result.memory}
            # alerted once sent (below); a bot killed before that leaves them pending, settled later
            for alert in alerts:
                pending_alerts.pending(doc, alert.target, findings_digest(alert), utcnow())

        self.watches.modify(number, record_run)
        if not recovered:
            return
        log.info("watch #%s run: scanned=%d unchanged=%d failed=%d alerts=%d", number, len(result.scanned),
                 len(result.unchanged), len(result.failed), len(alerts))
        if recovered[0]:
            self._say(watch, f"Watch #{number}: {watch.url} can be read again; the watch carries on.")
        for doc in alerts:
            digest = findings_digest(doc)
            try:
                self._alert(watch, doc, pending_alerts.metadata(number, doc.target, digest))
            finally:  # tried: a send that reached no one was logged, it is not repeated every run
                self.watches.modify(number, lambda w, target=doc.target, digest=digest: pending_alerts.sent(
                    w, target, digest))
        # incident-level documents were compared inside handle_scan; the rest are compared here
        self._check_reposts(watch, [d for d in report.documents if d.findings and not d.error and not d.incident])

    def _alert(self, watch: Watch, doc: Report, metadata: dict | None = None) -> None:
        incident = self._open_incident(watch, doc)
        text, blocks = scan_result(doc, incident)
        headline = (f":rotating_light: *Watch #{watch.number}* found personal data on {_escape(watch.url)}"
                    f" (started by <@{watch.user}>)")
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": headline}}, *blocks]
        self._post(watch, f"Watch #{watch.number}: {text}", blocks, metadata=metadata)

    def _open_incident(self, watch: Watch, doc: Report) -> dict | None:
        incidents = self.services.incidents
        if incidents is None or not hasattr(incidents, "handle_scan"):
            return None
        try:
            opened = incidents.handle_scan(doc, reporter=watch.user, origin_channel=watch.channel)
        except Exception as err:  # noqa: BLE001 - the alert still goes out
            log.error("watch #%s: opening an incident failed: %s", watch.number, type(err).__name__)
            return {"error": str(err) if isinstance(err, LeakwatchError) else "the incident service failed."}
        if opened is None or isinstance(opened, dict):
            return opened
        return {"channel_id": getattr(opened, "channel_id", None), "number": getattr(opened, "number", None)}

    def _check_reposts(self, watch: Watch, docs: list[Report]) -> None:
        check = getattr(self.services.incidents, "check_repost", None)
        if check is None:
            return
        for doc in docs:
            try:
                check(doc, reporter=watch.user, origin_channel=watch.channel)
            except Exception as err:  # noqa: BLE001 - one failed check must not stop the watch
                log.error("watch #%s: re-post check failed: %s", watch.number, type(err).__name__)

    def _failed(self, number: int, report: Report) -> None:
        say: list[Watch] = []

        def count_failure(doc: Watch) -> None:
            if doc.status != ACTIVE:
                return
            doc.failures += 1
            doc.runs += 1
            doc.last_run_at = iso(utcnow())
            doc.last_error = report.error
            if doc.failures >= FAILURES_BEFORE_SAYING and not doc.failure_said:
                doc.failure_said = True
                say.append(copy.deepcopy(doc))

        self.watches.modify(number, count_failure)
        log.info("watch #%s run failed: %s", number, report.error_code)
        if say:
            watch = say[0]
            sentence = (f"Watch #{number} cannot read {_escape(watch.url)} ({watch.failures} tries in a row): "
                        f"{_escape(report.error or '')} It keeps trying every "
                        f"{format_duration(watch.interval_seconds)} until {times.clock(parse_iso(watch.ends_at))} "
                        "and will say when the page can be read again.")
            self._post(watch, sentence, [{"type": "section", "text": {"type": "mrkdwn", "text": sentence}}])

    def _end(self, watch: Watch) -> None:
        ended = self.watches.finish(watch.number, ENDED)
        if ended is None:
            return
        alerts = ended.alerts
        found = plural(alerts, "alert") if alerts else "no personal data found"
        self._say(ended, f"Watch #{ended.number} on {ended.url} has ended after "
                         f"{format_duration(ended.window_seconds)}: {plural(ended.runs, 'scan')}, {found}.")

    # -- Slack ------------------------------------------------------------------------------------

    def _say(self, watch: Watch, sentence: str) -> None:
        text, blocks = notice(sentence)
        self._post(watch, text, blocks)

    def _post(self, watch: Watch, text: str, blocks: list, *, metadata: dict | None = None) -> None:
        try:
            if metadata is None:
                self.services.slack.post(watch.channel, text, blocks=blocks)
            else:  # an alert: its metadata lets a restart find it (bot/watch/alerts.py)
                self.services.slack.call("chat.postMessage", channel=watch.channel, text=text, blocks=blocks,
                                         unfurl_links=False, unfurl_media=False, metadata=metadata)
            return
        except LeakwatchError as err:
            log.error("watch #%s: posting to its channel failed: %s", watch.number, err.code)
            why = str(err)
        # the bot may not be in that channel (a slash command works anywhere, posting does not):
        # an alert must still reach someone, so the person who started the watch gets it
        note = {"type": "context", "elements": [{"type": "mrkdwn", "text": _escape(
            f"Sent to you because it could not be posted in the watch's channel: {why}")}]}
        try:
            self.services.slack.dm(watch.user, text, blocks=[*blocks, note])
        except LeakwatchError as err:
            log.error("watch #%s: the direct message to its owner failed too: %s", watch.number, err.code)


def _escape(text: str) -> str:
    """Slack mrkdwn control characters in text that came from a person (the URL)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
