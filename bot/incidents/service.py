"""IncidentService: what the rest of the bot calls (`services.incidents`).

- `handle_scan(report, reporter=, origin_channel=, opened=)`: an incident-level scan opens an
  incident, or joins the open one for the same URL. Returns `{"number", "channel_id", "joined"}`.
  `opened(number)` (also taken by `open_from_command`) is called inside the transaction that
  creates the incident: the command marks its kept request there, so a bot killed before the
  request is forgotten does not open the incident a second time at restart.
- `is_incident_channel(channel_id)`: the access check lets commands run in incident rooms.
- the operations behind `/incident ...` (`drill()`: a practice incident, bot/incidents/drill.py),
  `/checklist ...` and the checklist checkboxes.
- `start()` / `stop()`: recover after a restart, then run the sweep loop (bot/incidents/sweep.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.config import Settings
from bot.errors import LeakwatchError
from bot.incidents import blocks, drill, effects, lifecycle, outside, roles, room
from bot.incidents import checklist as checklist_logic
from bot.incidents.clocks import to_iso, utcnow
from bot.incidents.context import IncidentContext
from bot.incidents.outside import Outside, tell_stakeholders
from bot.incidents.records import IncidentRecords, summarize_report, url_key
from bot.incidents.sweep import Sweeper
from bot.incidents.takedown import recheck as default_recheck
from bot.model import Checklist, Incident, ScanSummary
from bot.scan.report import Report
from bot.slack import times

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"(?:^|\s)#(\d{1,9})\b")


class NoSuchIncident(LeakwatchError):
    code = "no_incident"


def leaking_document(report: Report) -> Report:
    """A crawl or folder report: the document that carries the leak is what must come down."""
    candidates = [doc for doc in report.documents if doc.incident and doc.target.startswith(("http://", "https://"))]
    return max(candidates, key=lambda d: d.records_affected) if candidates else report


def refuse_personal_data(text: str, what: str, settings) -> None:
    """Titles and checklist items end up in Slack and the database: they must not carry the very
    data the bot keeps out of both. The scanner reads the (short) text; any finding refuses it."""
    from bot.scan.pipeline import scan_bytes

    try:
        report = scan_bytes(text.encode("utf-8"), target=what, settings=settings.scan)
    except Exception as err:  # noqa: BLE001 - a guard that fails must not block the incident
        log.warning("personal-data check of a %s failed: %s", what, type(err).__name__)
        return
    if report.findings:
        kinds = ", ".join(sorted({f.type.replace("_", " ").lower() for f in report.findings}))
        raise NoSuchIncident(f"That {what} seems to contain personal data ({kinds}); describe it without the values.")


def _scan_entries(summary: ScanSummary | None) -> list[tuple[str, str]]:
    """The timeline entry an incident opened by a scan starts with (figures only)."""
    if summary is None:
        return []
    types = ", ".join(f.type for f in summary.findings) or "none"
    return [("scan", f"Scan: severity {summary.severity}, {summary.records_affected:,} people, types {types}.")]


class IncidentService:
    def __init__(self, settings: Settings, slack, store, *, clock: Callable[[], datetime] = utcnow,
                 recheck=default_recheck):
        self.settings = settings
        self.slack = slack
        self.store = store
        self.records = IncidentRecords(store)
        self.clock = clock
        self.outside = Outside(settings)
        # every message in a drill's room is marked DRILL (bot/incidents/drill.py)
        self.slack = drill.DrillMarks(slack, self.records)
        self.ctx = IncidentContext(settings=settings, slack=self.slack, records=self.records, clock=clock,
                                   outside=self.outside)
        self.sweeper = Sweeper(self.ctx, recheck=recheck)

    def incident_lock(self, number: int):
        return self.ctx.incident_lock(number)

    # -- start and stop -----------------------------------------------------------------------------

    def start(self) -> None:
        self.resume()
        self.sweeper.start()

    def stop(self) -> None:
        self.sweeper.stop()
        self.outside.stop()

    def resume(self) -> None:
        """After a restart: settle interrupted sends, finish half-opened rooms, make sure jobs exist."""
        now = self.clock()
        # one process holds this TinyDB store, so every claim left is a dead process's; PostgreSQL
        # replicas may hold live claims: only those older than the lease are settled there
        effects.recover_claimed(self.ctx, now, lease=effects.CLAIM_LEASE if self.store.kind == "postgresql"
                                else timedelta(0))
        for incident in self.records.all(("open", "down")):
            try:
                if not incident.setup_complete:
                    lifecycle.ensure_room(self.ctx, incident.number)
                else:
                    lifecycle.schedule_jobs(self.ctx, incident)
            except LeakwatchError as err:
                log.warning("incident %d could not be resumed: %s", incident.number, err.code)
        outside.resume(self.ctx)

    # -- called by the scan commands ----------------------------------------------------------------

    def is_incident_channel(self, channel_id: str) -> bool:
        return self.records.by_channel(channel_id) is not None

    def handle_scan(self, report: Report, reporter: str | None = None, origin_channel: str | None = None,
                    opened: Callable[[int], object] | None = None) -> dict:
        document = leaking_document(report)
        # the same data as a known incident (bot/incidents/repost.py): said there; a taken-down or
        # closed incident reopens and follows this URL, so no second room opens for it
        for repost in self.check_repost(report, reporter=reporter, origin_channel=origin_channel):
            if repost["url"] and url_key(repost["url"]) == url_key(document.target):
                return {"number": repost["number"], "channel_id": repost["channel_id"], "joined": True}
        summary = summarize_report(document)
        url = document.target if self.ctx.pollable(document.target) else None
        return self._open_or_join(summary=summary, url=url, title=None if url else document.target,
                                  reporter=reporter or "", origin_channel=origin_channel, opened=opened)

    def check_repost(self, report: Report, reporter: str | None = None, origin_channel: str | None = None) -> list[dict]:
        """Any scan, at any severity: tell each incident whose data it carries again."""
        from bot.incidents.repost import check

        try:
            return check(self.ctx, report, reporter=reporter, origin_channel=origin_channel)
        except Exception as err:  # noqa: BLE001 - a failed comparison must not stop the scan's own path
            log.error("re-post check failed: %s", type(err).__name__)
            return []

    def _open_or_join(self, *, summary: ScanSummary | None, url: str | None, title: str | None, reporter: str,
                      origin_channel: str | None, opened: Callable[[int], object] | None = None) -> dict:
        now = self.clock()
        with self.ctx.shared_lock("opening"):  # one decision at a time (across replicas too): one room per URL
            existing = self.records.open_by_url(url_key(url))
            if existing is None:
                incident = lifecycle.new_incident(summary=summary, url=url, title=title, reporter=reporter,
                                                  origin_channel=origin_channel, now=now)
                # the incident, its fingerprints, its scan record and "scan" entry: one write, so
                # no replica (or restart) sees the incident without them
                number = self.records.create(incident, fingerprints=summary.fingerprints if summary else None,
                                             scan=summary, events=_scan_entries(summary), at=now, by=reporter,
                                             within=opened)
        if existing is not None:  # its scan record is written with the join's entry (one write)
            incident = lifecycle.join(self.ctx, existing, summary=summary, reporter=reporter, now=now)
            return {"number": incident.number, "channel_id": incident.channel_id, "joined": True}
        incident = lifecycle.ensure_room(self.ctx, number)
        tell_stakeholders(self.ctx, incident, "opened")
        return {"number": number, "channel_id": incident.channel_id, "joined": False}

    def drill(self, *, user: str, channel: str) -> dict:
        """`/incident drill`: a practice incident on the bot's synthetic sample (bot/incidents/drill.py)."""
        incident = drill.open_drill(self.ctx, user=user, channel=channel)
        return {"number": incident.number, "channel_id": incident.channel_id, "joined": False}

    def open_from_command(self, text: str, *, user: str, channel: str, scan=None,
                          opened: Callable[[int], object] | None = None) -> dict:
        """`/incident open <url or title>`: a URL is scanned first (to know what must come down)."""
        subject = text.strip().strip("<>").split("|", 1)[0].strip()
        if not subject:
            raise NoSuchIncident("Say what the incident is about: /incident open <url or title>.")
        if len(subject) > 2000:
            raise NoSuchIncident("That is too long for an incident title; give the URL or a short title.")
        if self.ctx.pollable(subject):
            report = scan(subject, self.settings.scan) if scan else None
            summary = summarize_report(leaking_document(report)) if report is not None and not report.error else None
            return self._open_or_join(summary=summary, url=subject, title=None, reporter=user, origin_channel=channel,
                                      opened=opened)
        refuse_personal_data(subject, "title", self.settings)
        return self._open_or_join(summary=None, url=None, title=subject[:200], reporter=user, origin_channel=channel,
                                  opened=opened)

    # -- which incident a command means -------------------------------------------------------------

    def resolve(self, text: str, channel: str) -> tuple[Incident, str]:
        """`#N` in the text names an incident; else the incident whose room this is."""
        match = _NUMBER.search(" " + text)
        rest = _NUMBER.sub(" ", " " + text).strip()
        if match:
            incident = self.records.get(int(match.group(1)))
            if incident is None:
                raise NoSuchIncident(f"There is no incident #{match.group(1)}; /incident list shows them.")
            return incident, rest
        incident = self.records.by_channel(channel)
        if incident is None:
            raise NoSuchIncident("This is not an incident channel: name the incident with #N (see /incident list).")
        return incident, rest

    # -- /incident ------------------------------------------------------------------------------------

    def reader_zone(self, user: str) -> times.Zone:
        """The person's own Slack time zone (`users.info`); UTC when Slack cannot say."""
        try:
            return times.zone_of(self.slack.user_info(user))
        except LeakwatchError as err:
            log.info("users.info failed (%s): times typed by this person are read as UTC", err.code)
            return times.UTC_ZONE

    def notified(self, incident: Incident, text: str, *, user: str, saved: Callable[[], None] | None = None) -> str:
        self._require_active(incident)
        moment, how = times.read_time(text, self.clock(), self.reader_zone(user), what="notification time")
        lifecycle.set_notified(self.ctx, incident.number, moment, by=user, saved=saved)
        return f"Incident #{incident.number}: the clock now counts from {times.moment(moment)} ({how})."

    def manual_down(self, incident: Incident, *, user: str) -> str:
        self._require_active(incident)
        if incident.status == "down":
            return f"Incident #{incident.number} is already recorded as taken down."
        if not incident.url:
            with self.incident_lock(incident.number):
                lifecycle.record_takedown(self.ctx, incident, at=self.clock(), reason="Reported by hand; there is no URL to check.",
                                          how="not verifiable: no URL", by=user)
            return f"Incident #{incident.number}: takedown recorded."
        lifecycle.record_manual_down(self.ctx, incident.number, by=user)
        return (f"Incident #{incident.number}: takedown noted at {times.moment(self.clock())}; "
                "the bot is checking the URL now and will post the result.")

    def _guard(self, text: str, what: str) -> None:
        refuse_personal_data(text, what, self.settings)

    def update(self, incident: Incident, text: str, *, user: str) -> str:
        """`/incident update <text>`: in the room, on the timeline, and to the stakeholders."""
        return roles.post_update(self.ctx, incident, text, by=user, guard=self._guard)

    def lead(self, incident: Incident, text: str, *, user: str, saved: Callable[[], None] | None = None) -> str:
        self._require_active(incident)
        return roles.set_lead(self.ctx, incident, text, by=user, saved=saved)

    def severity(self, incident: Incident, text: str, *, user: str, saved: Callable[[], None] | None = None) -> str:
        self._require_active(incident)
        return roles.set_severity(self.ctx, incident, text, by=user, guard=self._guard, saved=saved)

    def status(self, incident: Incident) -> tuple[str, list]:
        sheet = self.records.checklist(incident.number)
        items = sheet.items if sheet else []
        ticks = (sum(1 for i in items if i.done), len(items))
        return blocks.status(incident, self.clock(), self.settings.takedown_target_minutes, self.settings.legal_clocks,
                             ticks)

    def report(self, incident: Incident) -> tuple[str, list]:
        """The report message; when the timeline does not fit in it, the whole report also goes to the
        incident channel as a Markdown file (the message says so)."""
        from bot.incidents import report_blocks

        events, now, clocks = self.records.timeline(incident.number), self.clock(), self.settings.legal_clocks
        text, message, hidden = report_blocks.report_parts(incident, events, now, clocks)
        if incident.drill:  # how long the team took, first
            sheet = self.records.checklist(incident.number)
            result = drill.team_time(incident, sheet, now, self.settings.takedown_target_minutes)
            text, message = drill.mark_text(text), drill.mark_blocks([blocks._section(result), *message])
        if hidden:
            data = report_blocks.report_file(incident, events, now, clocks).encode("utf-8")
            name = f"incident-{incident.number}-report.md"
            try:
                self.slack.upload(incident.channel_id, name, data, title=f"Incident #{incident.number} report")
                message.insert(-1, blocks._context(f"The whole report, with all {len(events):,} timeline events, is "
                                                   f"the file `{name}` in <#{incident.channel_id}>."))
            except LeakwatchError as err:
                log.warning("incident %d: the report file could not be uploaded: %s", incident.number, err.code)
                message.insert(-1, blocks._context(f"The whole report could not be uploaded as a file ({err}); "
                                                   f"{hidden:,} earlier events are left out here."))
        return text, message

    def listing(self, visible: Callable[[Incident], bool] | None = None) -> tuple[str, list]:
        """Every incident, or only those `visible` accepts (the others are counted, not shown)."""
        everything = self.records.all()
        shown = [i for i in everything if visible is None or visible(i)]
        return blocks.incident_list(shown, self.clock(), hidden=len(everything) - len(shown))

    def close(self, incident: Incident, *, user: str, saved: Callable[[], None] | None = None) -> str:
        """`saved` is called once the close is stored (the command's answer to Slack)."""
        if incident.status == "closed":
            return f"Incident #{incident.number} is already closed."
        lifecycle.close(self.ctx, incident.number, by=user, saved=saved)
        return f"Incident #{incident.number} closed."

    def _require_active(self, incident: Incident) -> None:
        if incident.status == "closed":
            raise NoSuchIncident(f"Incident #{incident.number} is closed.")

    # -- the checklist --------------------------------------------------------------------------------

    def post_checklist(self, number: int) -> str:
        """Post the checklist (again) in the incident room; the newest message is the one kept current."""
        return room.post_checklist(self.ctx, number)

    def add_checklist_item(self, incident: Incident, text: str, *, user: str) -> str:
        refuse_personal_data(text, "checklist item", self.settings)
        now = self.clock()
        _, item = self.records.change_checklist(
            incident.number, lambda sheet: checklist_logic.add_item(sheet.items, text, by=user, at=to_iso(now)),
            events=lambda _sheet, added: [("item_added", f"Checklist item added: {added.text}")] if added else [],
            at=now, by=user)
        if item is None:
            raise NoSuchIncident(f"Incident #{incident.number} has no checklist yet.")
        self.rebuild_checklist(incident.number)
        return f"Added to the checklist of incident #{incident.number}: {item.text}"

    def toggle(self, *, number: int, action: dict, message: dict | None, user: str, channel: str,
               message_ts: str | None, saved: Callable[[], None] | None = None) -> list[tuple[str, bool]]:
        """One checkboxes click: apply only what this person changed, call `saved` once it is
        stored (the click's answer to Slack), then rebuild the message."""
        incident = self.records.get(number)
        if incident is None or incident.channel_id != channel:
            raise NoSuchIncident("This checklist does not belong to an incident in this channel.")
        now = self.clock()
        parsed = checklist_logic.parse_block_id(action.get("block_id", ""))
        delta = checklist_logic.delta_from_action(action, message)

        def change(sheet: Checklist):
            if delta is not None:
                ticked, unticked = delta
            else:  # no message in the payload: compare with the stored state of the same element
                chunks = checklist_logic.chunks(sheet.items)
                element_items = chunks[parsed[1]] if parsed and parsed[1] < len(chunks) else []
                selected = {o.get("value") for o in action.get("selected_options") or []}
                ticked, unticked = checklist_logic.delta_from_state(selected, element_items)
            return checklist_logic.apply_delta(sheet.items, ticked, unticked, by=user, at=to_iso(now))

        def entries(sheet: Checklist, changes) -> list[tuple[str, str]]:
            texts = {item.id: item.text for item in sheet.items}
            return [("tick" if done else "untick", f"{'Ticked' if done else 'Unticked'}: {texts.get(item_id, item_id)}")
                    for item_id, done in changes or []]

        sheet, changes = self.records.change_checklist(number, change, events=entries, at=now, by=user)
        if sheet is None:
            raise NoSuchIncident(f"Incident #{number} has no checklist.")
        if saved is not None:
            saved()
        self.rebuild_checklist(number, also=(channel, message_ts))
        return changes or []

    def rebuild_checklist(self, number: int, also: tuple[str, str | None] | None = None) -> None:
        """Re-render from the stored state; under a per-incident lock so the last update is the newest."""
        room.rebuild_checklist(self.ctx, number, also=also)
