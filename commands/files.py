"""Scanning files: the message shortcut, files sent to the bot in a DM, and auto-scan channels.

Files are read with files.info + url_private_download (bot token), in memory only, through the
fetcher's size and time limits, then scanned in the isolated child process. Answers go:
- shortcut: privately to the person who used it (response_url, else ephemeral in that channel);
- DM: in the thread of the message that carried the file;
- auto-scan channel: in the thread of the file's message, only when something was found or the
  file could not be read (a clean file in a busy channel is not worth a message).
Files shared in an incident channel are access logs for that incident: commands/incident_downloads.py.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

from bot.dedupe import seen_for
from bot.errors import LeakwatchError
from bot.scan.report import Report
from bot.slack.errors import GENERIC, log_failure, user_sentence
from bot.workers import PoolBusy
from commands import incident_downloads
from commands.access import refusal
from commands.scan import ScanProgress, deliver_report, say_short

log = logging.getLogger(__name__)

#: a message carries at most 10 files in Slack; more would be hostile
MAX_FILES_PER_MESSAGE = 10
#: message and file_shared events both announce one upload, and Slack retries slow events
SEEN_TTL_SECONDS = 600
#: message subtypes that can carry a person's files
_FILE_SUBTYPES = {None, "file_share", "thread_broadcast"}
DM_HINT = "Send me a file here and I will scan it for personal data, or use `/scan <url>` for a web page."


class SeenFiles:
    """File ids handled recently, so one upload is scanned once."""

    def __init__(self, ttl: float = SEEN_TTL_SECONDS, size: int = 5000):
        self.ttl, self.size = ttl, size
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._seen and (len(self._seen) > self.size or next(iter(self._seen.values())) < now - self.ttl):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


def _first_time(services, memory: SeenFiles, file_id: str) -> bool:
    """Once per file id: in the store (across restarts and replicas, bot/dedupe.py) when there is
    one, else in this process's memory of the last minutes."""
    stored = seen_for(services)
    first = memory.first_time(file_id) if stored is None else stored.first_time(f"file:{file_id}")
    if not first:  # the one sign that a second announcement was handled (and why nothing follows)
        log.info("file %s announced again: not scanned twice", file_id)
    return first


def register(app) -> None:
    seen = SeenFiles()

    @app.shortcut("scan_message_files")
    def on_shortcut(ack, shortcut, respond, context):
        ack()
        services = context["services"]
        user, channel = shortcut["user"]["id"], (shortcut.get("channel") or {}).get("id")
        files = [f["id"] for f in (shortcut.get("message") or {}).get("files") or [] if f.get("id")]
        if not files:
            say_short(services, "That message has no files to scan; use the shortcut on a message with files.",
                      user=user, channel=channel, respond=respond)
            return
        _submit(services, scan_files_job, services, files[:MAX_FILES_PER_MESSAGE], user=user, channel=channel,
                respond=respond)

    @app.event("message")
    def on_message(event, context):
        services = context["services"]
        if event.get("subtype") not in _FILE_SUBTYPES or event.get("bot_id"):
            return
        channel, user, ts = event.get("channel"), event.get("user"), event.get("ts")
        if not event.get("files"):
            if event.get("channel_type") == "im" and event.get("subtype") is None and user:
                say_short(services, DM_HINT, user=user, channel=channel, thread_ts=ts)
            return
        files = [f["id"] for f in event["files"] if f.get("id") and _first_time(services, seen, f["id"])]
        if not files:
            return
        if event.get("channel_type") == "im":
            reason = refusal(services.settings, user, None)
            if reason:
                log.info("refused user=%s request=dm-file", user)
                say_short(services, reason, user=user, channel=channel, thread_ts=ts)
                return
            _submit(services, scan_files_job, services, files[:MAX_FILES_PER_MESSAGE], user=user, channel=channel,
                    thread_ts=ts)
        elif channel in services.settings.auto_scan_channels:
            _submit(services, scan_files_job, services, files[:MAX_FILES_PER_MESSAGE], user=user, channel=channel,
                    thread_ts=ts, quiet_when_clean=True)

    @app.event("file_shared")
    def on_file_shared(event, context):
        services = context["services"]
        channel, file_id = event.get("channel_id"), event.get("file_id")
        if file_id and incident_downloads.is_incident_channel(services, channel):
            # access logs, read against the incident (commands/incident_downloads.py); not the bot's own uploads
            if event.get("user_id") != context.get("bot_user_id") and _first_time(services, seen, file_id):
                incident_downloads.file_shared(services, user=event.get("user_id"), channel=channel)
            return
        if channel not in services.settings.auto_scan_channels or not file_id or not _first_time(services, seen, file_id):
            return
        _submit(services, scan_files_job, services, [file_id], user=event.get("user_id"), channel=channel,
                quiet_when_clean=True, find_thread=True)


def _submit(services, job, *args, user, channel, respond=None, thread_ts=None, **kwargs) -> None:
    try:
        services.workers.submit(job, *args, user=user, channel=channel, respond=respond, thread_ts=thread_ts, **kwargs)
    except PoolBusy as err:
        say_short(services, str(err), user=user, channel=channel, respond=respond, thread_ts=thread_ts)


def scan_files_job(services, file_ids: list[str], *, user, channel, respond=None, thread_ts=None,
                   quiet_when_clean: bool = False, find_thread: bool = False) -> None:
    for file_id in file_ids:
        info: dict = {}
        try:
            info = services.slack.file_info(file_id)
            if find_thread and not thread_ts:
                thread_ts = _message_ts(info, channel)
            progress = None if quiet_when_clean or not thread_ts else _thread_progress(services, info, channel, thread_ts)
            report = scan_file(services, info, progress)
        except Exception as err:  # noqa: BLE001 - one sentence for the person, type-only log line
            log_failure(err, f"scanning file {file_id}")
            report = Report(target=_display_name(info, file_id))
            report.error = user_sentence(err) if isinstance(err, LeakwatchError) else GENERIC
            report.error_code = err.code if isinstance(err, LeakwatchError) else "internal"
        deliver_report(services, report, user=user, channel=channel, respond=respond, thread_ts=thread_ts,
                       quiet_when_clean=quiet_when_clean)


def scan_file(services, info: dict, progress: ScanProgress | None = None) -> Report:
    """Download (in memory) and scan one file described by files.info."""
    name = _display_name(info, info.get("id", "file"))
    data = services.slack.download_file(info)
    from bot.scan.pipeline import scan_content  # the isolated scan; heavy, so loaded on first use

    return scan_content(data, target=name, settings=services.settings.scan, name=info.get("name") or "",
                        progress=progress.update if progress else None)


def _thread_progress(services, info: dict, channel: str, thread_ts: str) -> ScanProgress:
    """A file sent to the bot: a long scan posts "Scanning <name>…" in the thread, then edits it."""
    posted: list[str] = []

    def edit(text: str) -> None:
        if posted:
            services.slack.update(channel, posted[0], text)
        else:
            posted.append(services.slack.post(channel, text, thread_ts=thread_ts))

    return ScanProgress(edit, _display_name(info, "the file"))


def _display_name(info: dict, fallback: str) -> str:
    return info.get("name") or info.get("title") or fallback


def _message_ts(info: dict, channel: str) -> str | None:
    """The ts of the message that shared this file in `channel` (from files.info shares)."""
    shares = info.get("shares") or {}
    for scope in ("public", "private"):
        entries = (shares.get(scope) or {}).get(channel) or []
        if entries:
            return entries[0].get("ts")
    return None
