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
    format_duration,
    format_hours_minutes,
    from_iso,
    legal_deadlines,
)
from bot.model import Checklist, ChecklistItem, Incident
from bot.slack import times
from bot.slack.blocks import finding_line, target_line

SECTION_MAX = 2900
STATUS_WORDS = {"open": "OPEN, still online", "down": "TAKEN DOWN", "closed": "CLOSED"}
HEADER_MAX = 150


def escape(text: str) -> str:
    """Text that came from content or a person (URLs, sheet names, titles, items) cannot mention
    (`<!channel>`), link or format-break: Slack's three escapes."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_MAX]}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_MAX]}]}


def _header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:HEADER_MAX], "emoji": True}}


def _fields(*texts: str) -> dict:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": t[:2000]} for t in texts]}


def format_moment(moment: datetime, now: datetime | None = None) -> str:
    """A date and time as each reader's own (a Slack date token; UTC where tokens are not shown)."""
    return times.moment(moment)


def format_clock(moment: datetime) -> str:
    return times.clock(moment)


def full_moment(moment: datetime) -> str:
    """The full date and time, for the report, which is pasted into a breach log and read days later."""
    return times.full(moment)


def clock_start(incident: Incident) -> str:
    """What the takedown clock counts from, in words: the owner's notification when someone gave it
    (`/incident notified`), else the opening of the incident (the bot cannot know who was told)."""
    return "owner notified" if incident.notified_source == "set" else "incident opened"


def _elapsed(incident: Incident, now: datetime) -> float:
    return (now - from_iso(incident.notified_at)).total_seconds()


def exposure_text(incident: Incident, now: datetime, show=format_moment) -> str:
    """The exposure window in words: `from <04:12> to <09:04>`, or `since <04:12> (still online)`."""
    figures = incident.figures
    if incident.status != "open" and figures and figures.exposure_from:
        start, end = from_iso(figures.exposure_from), from_iso(figures.taken_down_at)
        return f"from {show(start)} to {show(end)}"
    if figures is None and incident.first_seen_at:
        from bot.incidents.clocks import exposure_start

        start, _ = exposure_start(last_modified=incident.last_modified,
                                  first_seen_at=from_iso(incident.first_seen_at),
                                  notified_at=from_iso(incident.notified_at))
        return f"since {show(start)} (still online)"
    return "from the first evidence to takedown"


def legal_text(incident: Incident, clocks: tuple[tuple[str, float], ...], now: datetime, show=format_moment) -> str:
    notified = from_iso(incident.notified_at)
    parts = [f"{label}: due {show(due)}" for label, due in legal_deadlines(notified, clocks)]
    return "; ".join(parts) or "none configured"


def checklist_facts(incident: Incident, clocks: tuple[tuple[str, float], ...], now: datetime,
                    show=format_moment) -> dict[str, str]:
    """`show` renders a moment: a date token in sections; plain UTC in checkbox descriptions, whose
    75 characters cannot hold a token and the sentence around it."""
    return {
        "records_affected": f"{incident.records_affected:,}",
        "exposure": exposure_text(incident, now, show),
        "legal_clocks": legal_text(incident, clocks, now, show),
    }


def _findings_lines(incident: Incident) -> list[str]:
    """The same lines as the scan result: type, count, at most 3 places, at most 3 masked samples."""
    return [finding_line(f.type, f.count, list(f.where), list(f.samples),
                         more_places=f.where_more or 0)
            for f in incident.findings]


def _what(incident: Incident) -> str:
    if incident.url:
        return target_line(incident.url)
    if incident.title:
        return f"*About:* {escape(incident.title)}"
    return ""


# -- the room ---------------------------------------------------------------------------------------


def summary(incident: Incident, now: datetime) -> tuple[str, list]:
    number = incident.number
    title = f"Incident #{number}: personal data exposed"
    head = [line for line in (_what(incident),
                              f"*Reported by* <@{incident.opened_by}> at "
                              f"{format_moment(from_iso(incident.opened_at), now)}",
                              f"*Lead:* <@{incident.lead}>" if incident.lead else
                              "*Lead:* nobody yet: `/incident lead @name`") if line]
    blocks = [_header(f":rotating_light: {title}"), _section("\n".join(head)),
              _fields(f"*Severity*\n{incident.severity}",
                      f"*People affected*\n{incident.records_affected:,}")]
    findings = _findings_lines(incident)
    if findings:
        blocks.append(_section("*Found* (masked samples)\n" + "\n".join(findings)))
    blocks.append(_section("*Next:* remove the file at its origin; the bot re-checks the URL and confirms the "
                           "takedown by itself. Was the owner told earlier? `/incident notified 14:05` (your time) "
                           "counts the clock from then."))
    blocks.append(_context("`/incident status` · `/incident down` · `/incident report` · `/checklist` · "
                           "Only counts, places and masked samples are shown; the values are never stored."))
    return title, blocks


def topic(incident: Incident, target_minutes: float) -> str:
    notified = from_iso(incident.notified_at)
    state = STATUS_WORDS.get(incident.status, incident.status.upper())
    text = f"#{incident.number} {state} · {clock_start(incident)} {times.utc_clock(notified)}"
    if incident.status == "open":
        target = notified.timestamp() + target_minutes * 60
        text += f" · take down by {times.utc_clock(datetime.fromtimestamp(target, notified.tzinfo))}"
    elif incident.figures:
        text += f" · down after {format_duration(incident.figures.notification_to_takedown_seconds)}"
    if incident.lead:
        text += f" · lead <@{incident.lead}>"
    return text


def _target_clock(incident: Incident, target_minutes: float) -> str:
    due = from_iso(incident.notified_at).timestamp() + target_minutes * 60
    return format_clock(datetime.fromtimestamp(due, from_iso(incident.notified_at).tzinfo))


def timer(incident: Incident, now: datetime, target_minutes: float) -> tuple[str, list]:
    notified = from_iso(incident.notified_at)
    target_seconds = target_minutes * 60
    if incident.status == "open":
        elapsed = _elapsed(incident, now)
        line = (f":stopwatch: *Takedown clock: {format_duration(elapsed)}* since {clock_start(incident)} "
                f"{format_clock(notified)}; still online.")
        left = target_seconds - elapsed
        if left >= 0:
            line += (f"\nTarget {format_duration(target_seconds)}: *{format_duration(left)} left* "
                     f"(take down by {_target_clock(incident, target_minutes)}).")
        else:
            line += (f"\n:warning: *Target of {format_duration(target_seconds)} passed {format_duration(-left)} ago* "
                     f"(at {_target_clock(incident, target_minutes)}).")
        check = incident.last_check
        if check:
            line += f"\nLast check {times.stamp(from_iso(check.at))}: {escape(check.reason)}"
    else:
        figures = incident.figures
        line = ":white_check_mark: *Takedown clock stopped*"
        if figures is not None:
            took = figures.notification_to_takedown_seconds
            line += (f": taken down *{format_duration(took)}* after notification ({clock_start(incident)} "
                     f"{format_clock(notified)}, down {format_clock(from_iso(figures.taken_down_at))}).")
        if incident.status == "closed":
            line += "\nIncident closed."
    return line.split("\n", 1)[0].replace("*", ""), [_section(line)]


def takedown_reminder(incident: Incident, now: datetime, target_minutes: float, mention: str = "") -> str:
    left = target_minutes * 60 - _elapsed(incident, now)
    who = f"{mention} " if mention else ""
    return (f":hourglass_flowing_sand: {who}Reminder: still online. {format_duration(max(left, 0))} left of the "
            f"{format_duration(target_minutes * 60)} takedown target (take down by "
            f"{_target_clock(incident, target_minutes)}). Remove it at the origin; the bot confirms by itself.")


def escalation(incident: Incident, now: datetime, target_minutes: float, mention: str) -> str:
    over = _elapsed(incident, now) - target_minutes * 60
    late = f", {format_duration(over)} ago" if over >= 1 else ""
    return (f":rotating_light: {mention} Escalation: the {format_duration(target_minutes * 60)} takedown target "
            f"passed at {_target_clock(incident, target_minutes)}{late}, and the file is still online. "
            "Remove it at the origin now.")


def legal_reminder(payload: dict, now: datetime) -> str:
    deadline = from_iso(payload["deadline"])
    return (f":scales: Legal clock: *{payload['label']}* is due {format_moment(deadline, now)} "
            f"(in {format_duration((deadline - now).total_seconds())}).")


def legal_deadline(payload: dict, now: datetime, mention: str) -> str:
    return f":scales: {mention} Legal deadline reached: *{payload['label']}* was due {format_moment(from_iso(payload['deadline']), now)}."


def _how(incident: Incident) -> str:
    how = incident.takedown_how or "verified"
    if incident.takedown_by:
        how += f"; reported by <@{incident.takedown_by}>"
    return how


def figure_fields(incident: Incident) -> dict:
    """The two figures everyone asks for, side by side and in bold, with their units."""
    figures = incident.figures
    took = figures.notification_to_takedown_seconds
    first = (f"*Notification → takedown*\n*{format_duration(took)}* "
             f"({figures.notification_to_takedown_minutes:.2f} minutes)")
    if figures.exposure_seconds is not None:
        hours = figures.exposure_seconds / 3600
        second = f"*Exposure window*\n*{format_hours_minutes(figures.exposure_seconds)}* ({hours:.2f} hours)"
    else:
        second = "*Exposure window*\nunknown: no evidence of when it went online"
    return _fields(first, second)


def takedown_posted(incident: Incident, now: datetime) -> tuple[str, list]:
    figures = incident.figures
    took = format_duration(figures.notification_to_takedown_seconds)
    facts = [f"{clock_start(incident).capitalize()} {format_moment(from_iso(figures.notified_at), now)}",
             f"down by {format_moment(from_iso(figures.taken_down_at), now)}"]
    if figures.exposure_from:
        facts.append(f"online since {format_moment(from_iso(figures.exposure_from), now)} "
                     f"({figures.exposure_evidence})")
    if incident.takedown_reason:
        facts.append(f"proof: {escape(incident.takedown_reason)}")
    blocks = [_section(f":white_check_mark: *Takedown verified* ({_how(incident)})"), figure_fields(incident),
              _context(" · ".join(facts)),
              _context("The bot keeps checking the URL: if the file comes back, the incident reopens. "
                       "Next: the checklist (caches, search engines, access logs for the exposure window).")]
    text = f"Takedown verified after {took}"
    if figures.exposure_seconds is not None:
        text += f"; exposed for {format_hours_minutes(figures.exposure_seconds)}"
    return text, blocks


def reopened(incident: Incident, reason: str, mention: str) -> str:
    return (f":rotating_light: {mention} *The content is back online: incident #{incident.number} reopened.* "
            f"{escape(reason)} The takedown clock runs on from the original notification.")


def still_up(reason: str) -> str:
    return f":x: Takedown not confirmed: {escape(reason)} The clock keeps running."


# -- the checklist ----------------------------------------------------------------------------------


def _option(item: ChecklistItem, facts: dict[str, str], now: datetime) -> dict:
    limit = checklist_logic.OPTION_TEXT_MAX
    if item.done:
        description = f"done by <@{item.by}> {times.clock(from_iso(item.at))}"
    else:
        description = checklist_logic.fill_detail(item.detail, facts)
    option = {"text": {"type": "mrkdwn", "text": escape(item.text)[:limit]}, "value": item.id}
    if description:
        option["description"] = {"type": "mrkdwn", "text": description if len(description) <= limit
                                 else description[: limit - 1] + "…"}
    return option


def checklist(incident: Incident, sheet: Checklist, now: datetime, clocks: tuple[tuple[str, float], ...]) -> tuple[str, list]:
    items = sheet.items
    done = sum(1 for item in items if item.done)
    facts = checklist_facts(incident, clocks, now)
    title = f"Follow-up checklist for incident #{incident.number}: {done} of {len(items)} done"
    blocks = [_section(f":clipboard: *{title}*\n*Exposure window:* {facts['exposure']}\n"
                       f"*Legal deadlines:* {facts['legal_clocks']}")]
    short_facts = checklist_facts(incident, clocks, now, show=times.utc_text)
    for index, chunk in enumerate(checklist_logic.chunks(items)):
        options = [_option(item, short_facts, now) for item in chunk]
        element = {"type": "checkboxes", "action_id": f"{checklist_logic.ACTION_PREFIX}_{index}", "options": options}
        selected = [opt for opt, item in zip(options, chunk, strict=True) if item.done]
        if selected:
            element["initial_options"] = selected
        blocks.append({"type": "actions", "block_id": checklist_logic.block_id(incident.number, index),
                       "elements": [element]})
    blocks.append(_context("Each tick is saved with who and when. Add a step: `/checklist add <item>`."))
    return title, blocks


# -- status, report, list ---------------------------------------------------------------------------


def status(incident: Incident, now: datetime, target_minutes: float, clocks: tuple[tuple[str, float], ...],
           ticks: tuple[int, int]) -> tuple[str, list]:
    text, timer_blocks = timer(incident, now, target_minutes)
    lines = [f"*Incident #{incident.number}* in <#{incident.channel_id}>: "
             f"{STATUS_WORDS.get(incident.status, incident.status)}",
             f"Checklist: {ticks[0]} of {ticks[1]} done · Legal deadlines: {legal_text(incident, clocks, now)}"]
    return f"Incident #{incident.number}: {text}", [_section("\n".join(lines)), *timer_blocks]


#: incidents listed in one message, newest first
LIST_SHOWN = 40


def incident_list(incidents: list[Incident], now: datetime, hidden: int = 0) -> tuple[str, list]:
    """`hidden`: incidents in channels the asker is not in (counted, never shown)."""
    elsewhere = (f"{hidden:,} more in channels you are not in (only their members and ADMIN_USERS see them)."
                 if hidden else "")
    if not incidents:
        return "No incidents.", [_section(elsewhere or "No incidents yet.")]
    lines: list[str] = []
    budget = SECTION_MAX - 120
    for incident in sorted(incidents, key=lambda i: i.number, reverse=True)[:LIST_SHOWN]:
        where = f"<#{incident.channel_id}>" if incident.channel_id else "(no channel)"
        what = escape(incident.url or incident.title or "")[:200]
        line = (f"*#{incident.number}*{' DRILL' if incident.drill else ''} {STATUS_WORDS.get(incident.status, incident.status)} · {where} · "
                f"{incident.records_affected:,} people · opened "
                f"{format_moment(from_iso(incident.opened_at), now)} · {what}")
        if len(line) + 1 > budget:
            break
        budget -= len(line) + 1
        lines.append(line)
    more = len(incidents) - len(lines)
    if more:
        lines.append(f"… and {more:,} more (older): `/incident status #N` shows any one of them.")
    if elsewhere:
        lines.append(elsewhere)
    return f"{len(incidents)} incidents", [_section("\n".join(lines))]
