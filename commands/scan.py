"""`/scan <url> [--crawl]`: acknowledge at once, scan on the worker pool, answer the person.

The answer goes where the question was asked: through the command's response_url (ephemeral to
the asker), falling back to chat.postEphemeral in that same channel; never anywhere else.
`deliver_report` is shared with file scans (commands/files.py), and so is `ScanProgress`: a scan
still running after a few seconds edits its "Scanning…" message with how far it is ("43% of
1.2 GB": a size, never content), a few times at most.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from slack_bolt.context.respond import Respond

from bot.errors import LeakwatchError
from bot.scan.report import Report
from bot.slack.blocks import help_blocks, notice, scan_result
from bot.slack.errors import GENERIC, log_failure, user_sentence
from bot.workers import PoolBusy
from commands import scan_requests
from commands.home import remember_scan

log = logging.getLogger(__name__)

HELP_WORDS = {"", "help", "--help", "-h", "?"}
#: a scan that runs longer than this says how far it is
PROGRESS_AFTER_SECONDS = 3.0
#: at least this long between two edits, and no more edits than this (a response_url takes 5 uses)
PROGRESS_EDIT_SECONDS = 5.0
PROGRESS_MAX_EDITS = 3


class ScanProgress:
    """`update(bytes_read, bytes_total)` from the scan -> at most a few edits of one message.

    `edit(text)` changes the message (a response_url with replace_original, or chat.update); it
    is called only once the scan has run PROGRESS_AFTER_SECONDS, at most every
    PROGRESS_EDIT_SECONDS and PROGRESS_MAX_EDITS times; a failed edit is logged and not retried.
    """

    def __init__(self, edit: Callable[[str], object], subject: str, clock=time.monotonic):
        self._edit, self._subject, self._clock = edit, subject, clock
        self._started = clock()
        self._last = -PROGRESS_EDIT_SECONDS
        self._edits = 0
        self._said = ""

    def update(self, done: int, total: int) -> None:
        from bot.scan.progress import describe

        now = self._clock()
        if now - self._started < PROGRESS_AFTER_SECONDS or self._edits >= PROGRESS_MAX_EDITS:
            return
        if now - self._last < PROGRESS_EDIT_SECONDS:
            return
        text = f"Scanning {self._subject}… {describe(done, total)}".rstrip()
        if text == self._said:
            return
        self._last, self._said = now, text
        self._edits += 1
        try:
            self._edit(text)
        except Exception as err:  # noqa: BLE001 - a progress line must never stop the scan
            log.info("progress edit failed (%s)", type(err).__name__)
            self._edits = PROGRESS_MAX_EDITS


class BadScanArguments(LeakwatchError):
    code = "bad_arguments"


def register(app) -> None:
    app.command("/scan")(on_scan_command)


def parse_scan_args(text: str) -> tuple[str, bool]:
    """`<url> [--crawl]` -> (url, crawl). Slack may send the URL as `<https://x|label>`."""
    words = text.split()
    crawl = "--crawl" in words
    rest = [w for w in words if w != "--crawl"]
    if len(rest) != 1:
        raise BadScanArguments("Give one address to scan, like `/scan https://example.gov/report.xlsx` (or `/scan help`).")
    raw = rest[0].strip("<>").split("|", 1)[0]
    if "://" not in raw and "." in raw.split("/", 1)[0]:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadScanArguments("That does not look like a web address: give a full URL such as https://example.gov/report.xlsx.")
    return raw, crawl


def on_scan_command(ack, command, respond, context) -> None:
    services = context["services"]
    text = (command.get("text") or "").strip()
    if text.lower() in HELP_WORDS:
        help_text, blocks = help_blocks()
        ack(text=help_text, blocks=blocks)
        return
    try:
        url, crawl = parse_scan_args(text)
    except BadScanArguments as err:
        ack(text=str(err))
        return
    user, channel = command.get("user_id"), command.get("channel_id")
    # kept before the acknowledgement: a bot stopped mid-scan scans it again at start (scan_requests.py)
    request_id = scan_requests.remember(services, url, crawl, user=user, channel=channel,
                                        response_url=getattr(respond, "response_url", None))
    ack(text=f"Scanning {url}…")
    _submit(services, request_id, url, crawl, user, channel, respond)


def _submit(services, request_id: int | None, url: str, crawl: bool, user, channel, respond) -> None:
    try:
        services.workers.submit(scan_url_job, services, url, crawl=crawl, user=user, channel=channel, respond=respond,
                                request_id=request_id)
    except PoolBusy as err:
        scan_requests.forget(services, request_id)
        send(services, str(err), None, user=user, channel=channel, respond=respond)


def attach(services) -> None:
    """Start-up (after the incidents part, commands.ALL): scan again what a stopped bot left."""

    def run(request_id, request):
        respond = Respond(response_url=request["response_url"]) if request.get("response_url") else None
        _submit(services, request_id, request["url"], request["crawl"], request.get("user"), request.get("channel"),
                respond)

    def give_up(sentence, user, channel):
        send(services, sentence, None, user=user, channel=channel)

    services.extras["scan_requests"] = resumer = scan_requests.Resumer(services, run, give_up)
    resumer.start()


def detach(services) -> None:
    resumer = services.extras.get("scan_requests")
    if resumer is not None:
        resumer.stop()


def scan_url_job(services, url: str, *, crawl: bool, user: str, channel: str, respond,
                 request_id: int | None = None) -> None:
    scan_requests.started(services, request_id)  # the replicas' lease counts from here, not from the queue
    progress = None
    if respond is not None and getattr(respond, "response_url", None):
        progress = ScanProgress(lambda text: respond(text=text, response_type="ephemeral", replace_original=True), url)
    try:
        report = _scan(services, url, crawl, progress.update if progress else None)
    except Exception as err:  # noqa: BLE001 - the pipeline reports errors itself; this is a bug
        log_failure(err, "scan")
        known = isinstance(err, LeakwatchError)
        report = Report(target=url, error=user_sentence(err) if known else GENERIC,
                        error_code=err.code if known else "internal")
    deliver_report(services, report, user=user, channel=channel, respond=respond,
                   opened=scan_requests.marker(services, request_id))
    scan_requests.forget(services, request_id)


def _scan(services, url: str, crawl: bool, progress=None) -> Report:
    # imported lazily: the pipeline is heavy and only the worker threads need it
    if crawl:
        from bot.scan.crawl import crawl as crawl_site

        return crawl_site(url, services.settings.scan).report
    from bot.scan.pipeline import scan_url

    return scan_url(url, services.settings.scan, progress=progress)


def _incident_for(services, report: Report, reporter: str | None, origin_channel: str | None,
                  opened=None) -> dict | None:
    """Hand an incident-level report to the incidents part; its answer, as a dict, for the message.
    `opened(number)`: called in the incident's creating transaction (commands/scan_requests.py)."""
    incidents = services.incidents
    if not report.incident and hasattr(incidents, "check_repost"):
        # below the threshold it opens nothing, but it may still be a known leak seen again
        incidents.check_repost(report, reporter=reporter, origin_channel=origin_channel)
    if not report.incident or incidents is None or not hasattr(incidents, "handle_scan"):
        return None
    try:
        extra = {"opened": opened} if opened is not None else {}
        answer = incidents.handle_scan(report, reporter=reporter, origin_channel=origin_channel, **extra)
    except Exception as err:  # noqa: BLE001 - the scan result still goes out
        log_failure(err, "opening an incident")
        known = isinstance(err, LeakwatchError)
        return {"error": user_sentence(err) if known else "Something went wrong on our side."}
    if answer is None or isinstance(answer, dict):
        return answer
    return {"channel_id": getattr(answer, "channel_id", None), "number": getattr(answer, "number", None)}


def deliver_report(services, report: Report, *, user: str | None, channel: str | None, respond=None,
                   thread_ts: str | None = None, quiet_when_clean: bool = False, opened=None) -> None:
    """Open an incident if needed (`opened(number)`: called in its creating transaction), then
    answer where the request came from.

    `respond` (response_url) answers the asker privately; else with `thread_ts` the answer goes in
    that message's thread; else chat.postEphemeral to the asker in `channel`.
    """
    log.info("scan done kind=%s severity=%s records=%d types=%d error=%s seconds=%s",
             report.kind, report.severity, report.records_affected, len(report.findings),
             report.error_code, (report.stats or {}).get("seconds"))
    if not quiet_when_clean:  # asked for by this person (not an automatic scan): their Home tab lists it
        remember_scan(services, report, user)
    if quiet_when_clean and not report.error and report.severity == "none":
        return
    incident = _incident_for(services, report, user, channel, opened)
    text, blocks = scan_result(report, incident)
    send(services, text, blocks, user=user, channel=channel, respond=respond, thread_ts=thread_ts)


def send(services, text: str, blocks: list | None, *, user, channel, respond=None, thread_ts=None) -> None:
    """One answer to one person, where they asked. Never raises."""
    if respond is not None and respond.response_url:
        try:
            answer = respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False,
                             unfurl_links=False, unfurl_media=False)
            if getattr(answer, "status_code", 200) == 200:
                return
            log.info("respond answered HTTP %s; posting ephemeral instead", answer.status_code)
        except Exception as err:  # noqa: BLE001 - response_url expired or used up: fall back
            log.info("respond failed (%s); posting ephemeral instead", type(err).__name__)
    try:
        if thread_ts and channel:
            services.slack.post(channel, text, blocks=blocks, thread_ts=thread_ts)
        elif channel and user:
            services.slack.ephemeral(channel, user, text, blocks=blocks)
    except LeakwatchError as err:
        log_failure(err, "posting a scan result")


def say_short(services, sentence: str, *, user, channel, respond=None, thread_ts=None) -> None:
    text, blocks = notice(sentence)
    send(services, text, blocks, user=user, channel=channel, respond=respond, thread_ts=thread_ts)
