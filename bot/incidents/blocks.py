"""Pure Block Kit builders for everything the incident code posts. Golden-tested.

Each builder takes stored state (an incident document, its checklist, its timeline) and a `now`,
and returns `(text, blocks)`: `text` is the notification/fallback line. Nothing here reads a
clock, the store or Slack, so the same state always renders the same message.
Only masked samples, counts, types and places ever reach these messages.
"""

from __future__ import annotations

from datetime import datetime

from bot.incidents import checklist as checklist_logic
from bot.incidents.clocks import (
    format_clock,
    format_duration,
    format_hours_minutes,
    format_moment,
    from_iso,
    legal_deadlines,
)
from bot.scan.matching import type_words

SECTION_MAX = 2900
STATUS_WORDS = {"open": "OPEN: content exposed", "down": "TAKEN DOWN", "closed": "CLOSED"}


def escape(text: str) -> str:
    """Text that came from content or a person (URLs, sheet names, titles, items) cannot mention
    (`<!channel>`), link or format-break: Slack's three escapes."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_MAX]}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_MAX]}]}


def _elapsed(incident: dict, now: datetime) -> float:
    return (now - from_iso(incident["notified_at"])).total_seconds()


def exposure_text(incident: dict, now: datetime) -> str:
    figures = incident.get("figures")
    if incident.get("status") != "open" and figures and figures.get("exposure_from"):
        start, end = from_iso(figures["exposure_from"]), from_iso(figures["taken_down_at"])
        return f"{format_moment(start, now)} to {format_moment(end, now)}"
    if figures is None and incident.get("first_seen_at"):
        from bot.incidents.clocks import exposure_start

        start, _ = exposure_start(last_modified=incident.get("last_modified"),
                                  first_seen_at=from_iso(incident["first_seen_at"]),
                                  notified_at=from_iso(incident["notified_at"]))
        return f"from {format_moment(start, now)}, still open"
    return "from the first evidence to takedown"


def legal_text(incident: dict, clocks: tuple[tuple[str, float], ...], now: datetime) -> str:
    notified = from_iso(incident["notified_at"])
    parts = [f"{label}: {format_moment(due, now)}" for label, due in legal_deadlines(notified, clocks)]
    return "; ".join(parts) or "none configured"


def checklist_facts(incident: dict, clocks: tuple[tuple[str, float], ...], now: datetime) -> dict[str, str]:
    return {
        "records_affected": f"{incident.get('records_affected', 0):,}",
        "exposure": exposure_text(incident, now),
        "legal_clocks": legal_text(incident, clocks, now),
    }


def _findings_lines(incident: dict) -> list[str]:
    lines = []
    for finding in incident.get("findings", []):
        where = ", ".join(escape(w) for w in finding.get("where", []))
        if finding.get("where_more"):
            where += f" and {finding['where_more']} more"
        samples = ", ".join(f"`{escape(s)}`" for s in finding.get("samples", []))
        line = f"• {finding['count']:,} {type_words(finding['type'])}"
        if where:
            line += f" in {where}"
        if samples:
            line += f" (e.g. {samples})"
        lines.append(line)
    return lines


# -- the room ---------------------------------------------------------------------------------------


def summary(incident: dict, now: datetime) -> tuple[str, list]:
    number = incident["number"]
    title = f"Incident #{number}: personal data exposed"
    head = [f"*{title}*"]
    if incident.get("url"):
        head.append(f"*URL:* {escape(incident['url'])}")
    elif incident.get("title"):
        head.append(f"*About:* {escape(incident['title'])}")
    head.append(f"*Severity:* {incident.get('severity', 'unknown')} · *People affected:* "
                f"{incident.get('records_affected', 0):,}")
    head.append(f"*Reported by* <@{incident['opened_by']}> at {format_moment(from_iso(incident['opened_at']), now)}")
    blocks = [_section("\n".join(head))]
    findings = _findings_lines(incident)
    if findings:
        blocks.append(_section("*Found (masked):*\n" + "\n".join(findings)))
    blocks.append(_context("Only masked samples, counts and places are shown; the bot never stores the values. "
                           "Commands here: `/incident status`, `/incident notified HH:MM`, `/incident down`, "
                           "`/incident report`, `/checklist`."))
    return title, blocks


def topic(incident: dict, target_minutes: float) -> str:
    notified = from_iso(incident["notified_at"])
    state = STATUS_WORDS.get(incident["status"], incident["status"].upper())
    text = f"#{incident['number']} {state} · clock from {format_clock(notified)}"
    if incident["status"] == "open":
        target = notified.timestamp() + target_minutes * 60
        text += f" · takedown target {format_clock(datetime.fromtimestamp(target, notified.tzinfo))}"
    elif incident.get("figures"):
        text += f" · down after {format_duration(incident['figures']['notification_to_takedown_seconds'])}"
    return text


def timer(incident: dict, now: datetime, target_minutes: float) -> tuple[str, list]:
    notified = from_iso(incident["notified_at"])
    target_seconds = target_minutes * 60
    if incident["status"] == "open":
        elapsed = _elapsed(incident, now)
        line = f":stopwatch: *Takedown clock:* {format_duration(elapsed)} since notification ({format_clock(notified)})"
        left = target_seconds - elapsed
        if left >= 0:
            line += f"\nTarget {format_duration(target_seconds)}: {format_duration(left)} left."
        else:
            line += f"\n:warning: Target {format_duration(target_seconds)} passed {format_duration(-left)} ago."
        check = incident.get("last_check")
        if check:
            line += f"\nLast check {format_clock(from_iso(check['at']))}: {escape(check['reason'])}"
    else:
        figures = incident.get("figures") or {}
        took = figures.get("notification_to_takedown_seconds")
        line = ":white_check_mark: *Takedown clock stopped*"
        if took is not None:
            line += f": taken down {format_duration(took)} after notification ({format_clock(notified)})."
        if incident["status"] == "closed":
            line += "\nIncident closed."
    return line.split("\n", 1)[0].replace("*", ""), [_section(line)]


def takedown_reminder(incident: dict, now: datetime, target_minutes: float) -> str:
    left = target_minutes * 60 - _elapsed(incident, now)
    return (f":hourglass_flowing_sand: Reminder: the file is still up. {format_duration(max(left, 0))} left of the "
            f"{format_duration(target_minutes * 60)} takedown target.")


def escalation(incident: dict, now: datetime, target_minutes: float, mention: str) -> str:
    over = _elapsed(incident, now) - target_minutes * 60
    return (f":rotating_light: {mention} Escalation: the takedown target of {format_duration(target_minutes * 60)} "
            f"has passed ({format_duration(max(over, 0))} over) and the content is still served. "
            "Remove it at the origin now.")


def legal_reminder(payload: dict, now: datetime) -> str:
    deadline = from_iso(payload["deadline"])
    return (f":scales: Legal clock: *{payload['label']}* is due {format_moment(deadline, now)} "
            f"(in {format_duration((deadline - now).total_seconds())}).")


def legal_deadline(payload: dict, now: datetime, mention: str) -> str:
    return f":scales: {mention} Legal deadline reached: *{payload['label']}* was due {format_moment(from_iso(payload['deadline']), now)}."


def takedown_posted(incident: dict, now: datetime) -> tuple[str, list]:
    figures = incident["figures"]
    minutes = figures["notification_to_takedown_minutes"]
    how = incident.get("takedown_how") or "verified"
    if incident.get("takedown_by"):
        how += f"; reported by <@{incident['takedown_by']}>"
    lines = [f":white_check_mark: *Takedown verified* ({how})",
             f"*Notification → takedown:* {format_duration(figures['notification_to_takedown_seconds'])} "
             f"({minutes:.2f} minutes; notified {format_moment(from_iso(figures['notified_at']), now)}, "
             f"down by {format_moment(from_iso(figures['taken_down_at']), now)})"]
    if figures.get("exposure_seconds") is not None:
        lines.append(f"*Exposure window:* {format_hours_minutes(figures['exposure_seconds'])} "
                     f"(from {format_moment(from_iso(figures['exposure_from']), now)}, {figures['exposure_evidence']}, "
                     "to takedown)")
    if incident.get("takedown_reason"):
        lines.append(f"*Proof:* {escape(incident['takedown_reason'])}")
    lines.append("The bot keeps checking the URL; if the content comes back, the incident reopens.")
    return f"Takedown verified after {format_duration(figures['notification_to_takedown_seconds'])}", [_section("\n".join(lines))]


def reopened(incident: dict, reason: str, mention: str) -> str:
    return (f":rotating_light: {mention} *The content is back: incident #{incident['number']} reopened.* {escape(reason)} "
            "The takedown clock runs on from the original notification.")


def still_up(reason: str) -> str:
    return f":x: Takedown not confirmed: {escape(reason)} The clock keeps running."


# -- the checklist ----------------------------------------------------------------------------------


def _option(item: dict, facts: dict[str, str], now: datetime) -> dict:
    limit = checklist_logic.OPTION_TEXT_MAX
    if item["done"]:
        description = f"done by <@{item['by']}> {format_moment(from_iso(item['at']), now)}"
    else:
        description = checklist_logic.fill_detail(item.get("detail", ""), facts)
    option = {"text": {"type": "mrkdwn", "text": escape(item["text"])[:limit]}, "value": item["id"]}
    if description:
        option["description"] = {"type": "mrkdwn", "text": description if len(description) <= limit
                                 else description[: limit - 1] + "…"}
    return option


def checklist(incident: dict, sheet: dict, now: datetime, clocks: tuple[tuple[str, float], ...]) -> tuple[str, list]:
    items = sheet["items"]
    done = sum(1 for item in items if item["done"])
    facts = checklist_facts(incident, clocks, now)
    title = f"Follow-up checklist for incident #{incident['number']}: {done} of {len(items)} done"
    blocks = [_section(f"*{title}*\nExposure window: {facts['exposure']}. Legal clocks: {facts['legal_clocks']}.")]
    for index, chunk in enumerate(checklist_logic.chunks(items)):
        options = [_option(item, facts, now) for item in chunk]
        element = {"type": "checkboxes", "action_id": f"{checklist_logic.ACTION_PREFIX}_{index}", "options": options}
        selected = [opt for opt, item in zip(options, chunk, strict=True) if item["done"]]
        if selected:
            element["initial_options"] = selected
        blocks.append({"type": "actions", "block_id": checklist_logic.block_id(incident["number"], index),
                       "elements": [element]})
    blocks.append(_context("Each tick is saved with who and when. `/checklist add <item>` adds one."))
    return title, blocks


# -- status, report, list ---------------------------------------------------------------------------


def status(incident: dict, now: datetime, target_minutes: float, clocks: tuple[tuple[str, float], ...],
           ticks: tuple[int, int]) -> tuple[str, list]:
    text, timer_blocks = timer(incident, now, target_minutes)
    lines = [f"*Incident #{incident['number']}* in <#{incident['channel_id']}>: "
             f"{STATUS_WORDS.get(incident['status'], incident['status'])}",
             f"Checklist: {ticks[0]} of {ticks[1]} done. Legal clocks: {legal_text(incident, clocks, now)}."]
    return f"Incident #{incident['number']}: {text}", [_section("\n".join(lines)), *timer_blocks]


def report(incident: dict, events: list[dict], now: datetime, clocks: tuple[tuple[str, float], ...]) -> tuple[str, list]:
    title, summary_blocks = summary(incident, now)
    blocks = [_section(f"*Report: incident #{incident['number']}* ({STATUS_WORDS.get(incident['status'], incident['status'])})"),
              *summary_blocks[:2]]
    figures = incident.get("figures")
    if figures:
        _, figure_blocks = takedown_posted(incident, now)
        blocks.extend(figure_blocks)
    else:
        blocks.append(_section(f"Not taken down yet: {format_duration(_elapsed(incident, now))} since notification."))
    blocks.append(_section(f"*Legal clocks:* {legal_text(incident, clocks, now)}"))
    lines = [timeline_line(event, now) for event in events]
    shown = lines[-60:]
    if len(lines) > len(shown):
        shown.insert(0, f"… {len(lines) - len(shown)} earlier events")
    chunk: list[str] = []
    blocks.append(_section("*Timeline*"))
    for line in shown:
        if sum(len(x) + 1 for x in chunk) + len(line) > SECTION_MAX:
            blocks.append(_section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(_section("\n".join(chunk)))
    return f"Report for incident #{incident['number']}", blocks[:50]


def timeline_line(event: dict, now: datetime) -> str:
    who = f" (<@{event['by']}>)" if event.get("by") else ""
    return f"`{format_moment(from_iso(event['at']), now)}` *{event['kind']}*{who}: {escape(event['text'])}"


def incident_list(incidents: list[dict], now: datetime) -> tuple[str, list]:
    if not incidents:
        return "No incidents.", [_section("No incidents yet.")]
    lines = []
    for incident in sorted(incidents, key=lambda i: i["number"], reverse=True)[:40]:
        where = f"<#{incident['channel_id']}>" if incident.get("channel_id") else "(no channel)"
        what = escape(incident.get("url") or incident.get("title") or "")
        lines.append(f"*#{incident['number']}* {STATUS_WORDS.get(incident['status'], incident['status'])} · {where} · "
                     f"{incident.get('records_affected', 0):,} people · opened "
                     f"{format_moment(from_iso(incident['opened_at']), now)} · {what}")
    return f"{len(incidents)} incidents", [_section("\n".join(lines))]
