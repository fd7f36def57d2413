"""`/watch <url> [every 5m] [for 2h]`, `/watch list`, `/watch stop <id | url>`, `/watch help`.

Starting and stopping are said in the channel (everyone there should know a watch is running and
where its alerts will come); list, help and mistakes are answered to the asker only. The watch
itself runs in bot/watch/runner.py, started by `attach` and stopped by `detach`.

WATCH_MIN_INTERVAL_SECONDS (settings.watch_min_interval_seconds, for tests and demos) lowers the
10-second shortest interval so end-to-end tests can run watches every second or two.
"""

from __future__ import annotations

import logging

from bot.errors import LeakwatchError
from bot.scan.netpolicy import check_url
from bot.slack import times
from bot.watch.parse import (
    WatchHelp,
    WatchList,
    WatchStart,
    WatchStop,
    WatchUsageError,
    format_duration,
    parse_watch,
)
from bot.watch.runner import WatchRunner, plural
from bot.watch.store import STOPPED, WatchStore, parse_iso, utcnow

log = logging.getLogger(__name__)

WATCH_HELP = (
    "*Watch a page during maintenance*\n"
    "• `/watch <url> [every 5m] [for 2h]`: re-scan the page and the documents it links to on the same "
    "site until the window ends (only new or changed documents are scanned again). The moment "
    "serious personal data appears, an alert posts here and an incident opens.\n"
    "   e.g. `/watch https://example.gov/foia every 5m for 3h`\n"
    "• `/watch list`: the running watches. `/watch stop <number or url>`: stop one, e.g. `/watch stop 3`.\n"
    "Durations take `s`, `m` or `h`; the shortest interval is 10s; a watch lasts at most 7 days."
)

def register(app) -> None:
    app.command("/watch")(on_watch_command)


def attach(services) -> None:
    # the runner takes services.store when first needed (opening it only if no other part did)
    runner = WatchRunner(services)
    services.watches = runner
    runner.start()


def detach(services) -> None:
    if isinstance(services.watches, WatchRunner):
        services.watches.stop()


def _private(ack, text: str) -> None:
    ack(response_type="ephemeral", text=text)


def _public(ack, text: str) -> None:
    ack(response_type="in_channel", text=text)


def on_watch_command(ack, command, context) -> None:
    services = context["services"]
    user, channel = command.get("user_id"), command.get("channel_id")
    try:
        request = parse_watch(command.get("text") or "", min_interval=services.settings.watch_min_interval_seconds)
    except WatchUsageError as err:
        _private(ack, f"{err} (`/watch help` explains the command.)")
        return
    runner = services.watches
    if not isinstance(runner, WatchRunner):
        _private(ack, "Watches are not running in this bot right now; ask whoever runs it to check its log.")
        return
    if isinstance(request, WatchHelp):
        _private(ack, WATCH_HELP)
    elif isinstance(request, WatchList):
        _private(ack, list_text(runner.watches, channel))
    elif isinstance(request, WatchStop):
        stop(ack, runner.watches, request, user=user, channel=channel)
    elif isinstance(request, WatchStart):
        start(ack, services, runner, request, user=user, channel=channel)


def start(ack, services, runner: WatchRunner, request: WatchStart, *, user: str, channel: str) -> None:
    try:
        # refuse at once what the fetcher would refuse on every run (private address, bad port)
        check_url(request.url, services.settings.scan.allow_hosts)
    except LeakwatchError as err:
        _private(ack, f"This page cannot be watched: {err}")
        return
    watch, new = runner.watches.start(url=request.url, channel=channel, user=user,
                                      interval_seconds=request.interval_seconds, window_seconds=request.window_seconds)
    if not new:
        _private(ack, f"This page is already watched here as #{watch.number} (`/watch stop {watch.number}` ends it).")
        return
    ends = times.clock(parse_iso(watch.ends_at))
    _public(ack, f"<@{user}> started watch #{watch.number} on {request.url}: every "
                 f"{format_duration(request.interval_seconds)} for {format_duration(request.window_seconds)} "
                 f"(until {ends}). Alerts post here. `/watch stop {watch.number}` ends it.")
    log.info("watch #%s started interval=%ss window=%ss", watch.number, request.interval_seconds, request.window_seconds)
    runner.wake()


def stop(ack, watches: WatchStore, request: WatchStop, *, user: str, channel: str) -> None:
    if request.number is not None:
        found = watches.get(request.number)
        candidates = [found] if found and found.status == "active" else []
    else:
        # a URL: prefer this channel's watch, else the only one anywhere
        candidates = watches.active_for_url(request.url, channel) or watches.active_for_url(request.url)
    if not candidates:
        _private(ack, "No running watch matches that; `/watch list` shows the running ones.")
        return
    if len(candidates) > 1:
        numbers = ", ".join(f"#{w.number}" for w in candidates)
        _private(ack, f"Several watches follow that page ({numbers}); stop one by its number.")
        return
    stopped = watches.finish(candidates[0].number, STOPPED, by=user)
    if stopped is None:
        _private(ack, "That watch has already ended.")
        return
    where = "" if stopped.channel == channel else f" (its alerts went to <#{stopped.channel}>)"
    _public(ack, f"<@{user}> stopped watch #{stopped.number} on {stopped.url} after {plural(stopped.runs, 'scan')}{where}.")
    log.info("watch #%s stopped", stopped.number)


#: one answer stays well inside Slack's limits; the rest are counted
LIST_CHARS = 3500


def list_text(watches: WatchStore, channel: str) -> str:
    active = watches.active()
    if not active:
        return "No watches are running. Start one with `/watch <url> every 5m for 2h`."
    now = utcnow()
    lines = ["*Running watches*"]
    budget = LIST_CHARS
    for watch in sorted(active, key=lambda w: w.number):
        left = format_duration(max(0.0, (parse_iso(watch.ends_at) - now).total_seconds()))
        where = "here" if watch.channel == channel else f"in <#{watch.channel}>"
        state = f", cannot read the page ({plural(watch.failures, 'failed run')})" if watch.failures else ""
        line = (f"• #{watch.number} {watch.url[:300]}: every {format_duration(watch.interval_seconds)}, "
                f"{left} left, {plural(watch.runs, 'scan')}, {plural(watch.alerts, 'alert')}, {where}{state}")
        if len(line) + 1 > budget:
            break
        budget -= len(line) + 1
        lines.append(line)
    more = len(active) - (len(lines) - 1)
    if more:
        lines.append(f"… and {more:,} more (`/watch stop <number>` works on any of them).")
    return "\n".join(lines)
