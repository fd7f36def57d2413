"""Access logs in an incident channel, and the files `/incident report` uploads.

- A file shared in an incident channel (the `file_shared` event; commands/files.py hands it
  here): after a short pause (rotated logs come several at a time, each its own event) the log
  files shared in the channel so far (the newest MAX_FILES, the bot's own uploads left out) are
  downloaded from Slack (in memory, through the fetcher's limits, SCAN_MAX_BYTES each) into a
  private temporary folder, read together as access logs against the incident's URL and exposure
  window (bot/incidents/access_logs.py), and deleted; so each summary covers every log shared.
  The summary is posted in the channel: counts, crawler names and times, never an address.
  Files that are not logs (a screenshot, a copy of the leak) are left alone without a word.
- `/incident downloads`: the same at once, with an answer even when no file is a log;
  `/incident downloads clients` also uploads the per-client table (addresses: personal data) to
  the incident channel, only when incident channels are private.
- `/incident report`: the exposure picture and the breach report are uploaded to the channel.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from pathlib import Path

from bot.errors import LeakwatchError
from bot.incidents import access_logs
from bot.incidents.access_logs_blocks import logs_refused, logs_summary
from bot.slack.errors import GENERIC, log_failure, user_sentence
from bot.workers import PoolBusy

log = logging.getLogger(__name__)

MAX_FILES = 10
#: seconds to wait after a file is shared before reading: the other files of the same upload arrive
SETTLE_SECONDS = 3.0
#: the bot's own uploads in an incident channel (the picture, the reports): never read as logs
OWN_UPLOAD = re.compile(r"^incident-\d+-")
NOT_A_LOG = "None of the files is an access log"


def is_incident_channel(services, channel: str | None) -> bool:
    return bool(channel) and services.incidents is not None and services.incidents.is_incident_channel(channel)


class Pending:
    """Channels with a read coming up: files shared meanwhile are read by that one run."""

    def __init__(self) -> None:
        self._channels: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, channel: str) -> bool:
        with self._lock:
            if channel in self._channels:
                return False
            self._channels.add(channel)
            return True

    def release(self, channel: str) -> None:
        with self._lock:
            self._channels.discard(channel)


PENDING = Pending()


def file_shared(services, *, user: str | None, channel: str) -> None:
    """A file shared in an incident channel: read the channel's logs after a short pause."""
    if not PENDING.claim(channel):
        return

    def run() -> None:
        PENDING.release(channel)
        try:
            services.workers.submit(channel_files_job, services, channel, user=user, respond=None)
        except PoolBusy as err:
            log.warning("access logs not read in %s: %s", channel, type(err).__name__)

    timer = threading.Timer(SETTLE_SECONDS, run)
    timer.daemon = True
    timer.start()


def downloads_command(services, incident, text: str, *, user: str, respond) -> str:
    """`/incident downloads [clients]`: the log files already shared in the incident channel."""
    clients = text.strip().lower() == "clients"
    services.workers.submit(channel_files_job, services, incident.channel_id, user=user, respond=respond,
                            clients=clients)
    return "Reading the log files shared in this channel…"


def channel_files_job(services, channel: str, *, user: str | None, respond, clients: bool = False) -> None:
    """Reads the channel's files as logs; `respond` (the command) gets an answer even when none is one."""
    quiet = respond is None
    try:
        files = [f["id"] for f in services.slack.channel_files(channel)
                 if f.get("id") and not OWN_UPLOAD.match(f.get("name") or "")][:MAX_FILES]
    except LeakwatchError as err:
        if respond:
            respond(text=user_sentence(err), response_type="ephemeral")
        return
    if not files:
        if respond:
            respond(text="No files are shared in this channel yet: drag the access logs in (plain or .gz), "
                         "or run `python -m bot downloads` where they are.", response_type="ephemeral")
        return
    read_logs_job(services, files, user=user, channel=channel, quiet=quiet, clients=clients)


def _download(services, file_ids: list[str], folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
    """Each file into `folder`; (paths, path -> the file's name in Slack, sentences for the ones that failed)."""
    paths, names, problems = [], {}, []
    for index, file_id in enumerate(file_ids):
        try:
            info = services.slack.file_info(file_id)
            name = info.get("name") or file_id
            data = services.slack.download_file(info)
        except LeakwatchError as err:
            problems.append(f"{file_id}: {user_sentence(err)}")
            continue
        path = folder / f"{index:02d}.log"          # the content decides the format, never the name
        path.write_bytes(data)
        paths.append(str(path))
        names[str(path)] = name
    return paths, names, problems


def read_logs_job(services, file_ids: list[str], *, user: str | None, channel: str, quiet: bool,
                  clients: bool = False) -> None:
    incidents = services.incidents
    incident = incidents.records.by_channel(channel)
    if incident is None:
        return
    try:
        if not incident.url:
            if not quiet:
                services.slack.post(channel, logs_refused("this incident has no URL to look for in them."))
            return
        with tempfile.TemporaryDirectory(prefix="leakwatch-logs-") as folder:
            paths, names, problems = _download(services, file_ids, Path(folder))
            if not paths:
                if not quiet or problems:
                    services.slack.post(channel, logs_refused("; ".join(problems) or "no file could be read."))
                return
            summary, added, table = access_logs.read_access_logs(incidents.ctx, incident, paths, names, by=user,
                                                                 with_clients=clients)
        if summary["error"]:
            if not (quiet and summary["error"].startswith(NOT_A_LOG)):
                services.slack.post(channel, logs_refused(summary["error"]))
            return
        text, blocks = logs_summary(summary, incident.number, added)
        services.slack.post(channel, text, blocks=blocks)
        if table is not None:
            services.slack.post(channel, access_logs.upload_clients(incidents.ctx, incident, table))
    except Exception as err:  # noqa: BLE001 - one sentence in the room, the type in the log
        log_failure(err, "reading access logs")
        services.slack.post(channel, logs_refused(user_sentence(err) if isinstance(err, LeakwatchError) else GENERIC))


def report_files(services, incident) -> list[str]:
    """`/incident report`: the exposure picture and the breach report, uploaded to the channel."""
    return access_logs.upload_report_files(services.incidents.ctx, incident)
