"""Run the whole Slack story against the real bot and print what people would read, in order.

    PYTHONPATH=. /work/venv/bin/python -m tests.helpers.transcript                 # to stdout
    PYTHONPATH=. /work/venv/bin/python -m tests.helpers.transcript --out docs/slack-transcript.md

It uses the test bed (a Slack stand-in that records every call, the bot as a real process, a
local web server) with short intervals (takedown target 6 s, timer every 2 s, polls every 1 s):
the help texts, `/scan` of a clean page, of a private address, of a damaged file, then `/scan`
of a leak-shaped xlsx -> result -> incident room (name, topic, pin, timer, reminders,
escalation) -> `/incident lead` -> `/incident notified HH:MM` -> `/incident update` -> a
non-member refused -> `/checklist` -> a tick -> the file removed ->
the takedown figures -> `/incident report` -> `/incident close`.

Every Slack call a person would see is printed as Markdown, mrkdwn rendered roughly as Slack
shows it (bold, mentions and channel names resolved, checkboxes as boxes). The immediate answer
to a slash command (the HTTP reply, not a Web API call) is printed too. The data is synthetic
(tests/helpers/synthetic_leak.py); the script fails if any raw value reaches the transcript.
It takes about 30 s.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.slack_requests import block_actions_payload
from tests.helpers.synthetic_leak import CLEAN_PAGE, leak_xlsx, people, raw_values, short_id
from tests.helpers.webserver import WebServer

ROWS = people(40, seed=71)
REPORTER = "U0PRIVACY"  # the privacy officer who got the email
ONCALL = ["U0ONCALL1", "U0ONCALL2"]
USER_NAMES = {REPORTER: "dana.privacy", "U0ONCALL1": "sam.oncall", "U0ONCALL2": "lee.oncall",
              "U0ENGINEER": "ravi.webops"}
GROUP_NAMES = {"S0ONCALL": "oncall"}
ENV = {
    "TAKEDOWN_TARGET_MINUTES": "0.1",  # 6 s: reminders at 3 s and 4.8 s, escalation at 6 s
    "TAKEDOWN_POLL_SECONDS": "1",
    "TIMER_UPDATE_SECONDS": "2",
    "ONCALL_USERGROUP": "S0ONCALL",
}
SHOWN_METHODS = {"chat.postMessage", "chat.update", "chat.postEphemeral", "response_url",
                 "conversations.create", "conversations.setTopic", "conversations.invite", "pins.add",
                 "bookmarks.add"}
EMOJI = {":rotating_light:": "🚨", ":red_circle:": "🔴", ":large_orange_circle:": "🟠",
         ":large_yellow_circle:": "🟡", ":white_check_mark:": "✅", ":warning:": "⚠️", ":stopwatch:": "⏱️",
         ":hourglass_flowing_sand:": "⏳", ":scales:": "⚖️", ":x:": "❌", ":lock:": "🔒", ":mag:": "🔍",
         ":clipboard:": "📋", ":alarm_clock:": "⏰", ":white_circle:": "⚪", ":bar_chart:": "📊",
         ":link:": "🔗", ":page_facing_up:": "📄", ":shield:": "🛡️", ":eyes:": "👀"}


# -- rendering ----------------------------------------------------------------------------------


def render_mrkdwn(text: str, channels: dict[str, str]) -> str:
    """Slack mrkdwn -> Markdown, roughly as Slack shows it (date tokens as their UTC fallback)."""
    text = re.sub(r"<!date\^\d+\^[^|>]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<#(C\w+)(?:\|[^>]*)?>", lambda m: "#" + channels.get(m.group(1), m.group(1)), text)
    text = re.sub(r"<@(U\w+)>", lambda m: "@" + USER_NAMES.get(m.group(1), m.group(1)), text)
    text = re.sub(r"<!subteam\^(S\w+)(?:\|[^>]*)?>", lambda m: "@" + GROUP_NAMES.get(m.group(1), m.group(1)), text)
    text = re.sub(r"<!(here|channel|everyone)>", r"@\1", text)
    text = re.sub(r"<([^>|]+)\|([^>]+)>", r"[\2](\1)", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"**\1**", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"*\1*", text)
    for code, emoji in EMOJI.items():
        text = text.replace(code, emoji)
    return html.unescape(text)


def render_blocks(blocks: list | str | None, channels: dict[str, str]) -> list[str]:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    lines: list[str] = []
    for block in blocks or []:
        kind = block.get("type")
        if kind == "header":
            lines.append("### " + render_mrkdwn(block["text"]["text"], channels))
        elif kind == "section":
            if block.get("text"):
                lines.extend(render_mrkdwn(block["text"]["text"], channels).split("\n"))
            fields = [render_mrkdwn(f["text"], channels).replace("\n", ": ", 1) for f in block.get("fields", [])]
            if fields:
                lines.append(" · ".join(fields))
        elif kind == "context":
            for element in block.get("elements", []):
                for line in render_mrkdwn(element.get("text", ""), channels).split("\n"):
                    lines.append(f"<sub>{line}</sub>")
        elif kind == "divider":
            lines.append("───")
        elif kind == "actions":
            for element in block.get("elements", []):
                ticked = {o["value"] for o in element.get("initial_options", [])}
                for option in element.get("options", []):
                    box = "☑" if option["value"] in ticked else "☐"
                    line = f"{box} {render_mrkdwn(option['text']['text'], channels)}"
                    if option.get("description"):
                        line += f" — <sub>{render_mrkdwn(option['description']['text'], channels)}</sub>"
                    lines.append(line)
                if element.get("type") == "button":
                    lines.append(f"[ {element['text']['text']} ]")
        else:
            lines.append(f"({kind} block)")
    return lines


def quote(lines: list[str]) -> str:
    return "\n".join("> " + (line + "  " if line.strip() else "") for line in lines)


def _shape(text: str) -> str:
    """A message without its figures: consecutive timer updates differ only in digits."""
    return re.sub(r"\d+", "#", text)


class Transcript:
    """Slack calls and slash-command answers, merged in time order."""

    def __init__(self, standin):
        self.standin = standin
        self.entries: list[tuple[float, str]] = []

    def step(self, title: str) -> None:
        self.entries.append((time.monotonic(), f"\n## {title}\n"))

    def typed(self, user: str, command: str, text: str, channel: str, answer, sent_at: float) -> None:
        """The command as typed and the immediate (HTTP) answer only the typist sees."""
        body = answer.json() if "json" in (answer.headers.get("Content-Type") or "") else {"text": answer.body.decode()}
        where = self.channel_name(channel)
        lines = [f"**@{USER_NAMES.get(user, user)}** in {where} types `{command} {text}`".rstrip()]
        shown = render_blocks(body.get("blocks"), self.channel_names()) or render_mrkdwn(
            body.get("text") or "(nothing: Slack shows only the command)", self.channel_names()).split("\n")
        visibility = "everyone in the channel" if body.get("response_type") == "in_channel" else "them only"
        lines.append(f"\n*immediate reply, seen by {visibility}:*\n\n{quote(shown)}\n")
        self.entries.append((sent_at, "\n".join(lines)))

    def channel_names(self) -> dict[str, str]:
        return {cid: c["name"] for cid, c in self.standin.channels.items()}

    def channel_name(self, channel: str) -> str:
        return "#" + self.channel_names().get(channel, {"C0GENERAL": "web-ops"}.get(channel, channel))

    def render(self) -> str:
        names = self.channel_names()
        entries = list(self.entries)
        last_shape: dict[tuple, str] = {}
        updates = [c for c in self.standin.calls if c.method == "chat.update"]
        final_update = {(c.params.get("channel"), c.params.get("ts")): c for c in updates}
        skipped: dict[tuple, int] = {}
        for call in self.standin.calls:
            if call.method not in SHOWN_METHODS:
                continue
            p = call.params
            channel = p.get("channel", "")
            where = "#" + names.get(channel, {"C0GENERAL": "web-ops"}.get(channel, channel))
            if call.method == "conversations.create":
                text = f"*bot creates {'private' if p.get('is_private') in (True, 'true') else 'public'} channel* `#{p.get('name')}`"
            elif call.method == "conversations.invite":
                users = ", ".join("@" + USER_NAMES.get(u, u) for u in str(p.get("users", "")).split(","))
                text = f"*bot invites* {users} to {where}"
            elif call.method == "conversations.setTopic":
                text = f"*topic of {where}:* {render_mrkdwn(str(p.get('topic', '')), names)}"
            elif call.method == "pins.add":
                pinned = self.standin.messages.get((channel, p.get("timestamp")), {}).get("text", "")
                text = f"*bot pins “{render_mrkdwn(str(pinned), names)}” in {where}*"
            elif call.method == "bookmarks.add":
                text = f"*bot bookmarks* “{p.get('title')}” in {where}"
            else:
                key = (channel, p.get("ts"))
                if call.method == "chat.update":
                    shape = _shape(str(p.get("text", "")) + json.dumps(p.get("blocks")))
                    if last_shape.get(key) == shape and final_update.get(key) is not call:
                        skipped[key] = skipped.get(key, 0) + 1
                        continue
                    last_shape[key] = shape
                    more = skipped.pop(key, 0)
                    head = f"*bot edits message {p.get('ts')} in {where}*" + (
                        f" ({more} similar edits skipped)" if more else "")
                elif call.method == "response_url":
                    head = "*bot answers privately* (only the person who asked sees it)"
                elif call.method == "chat.postEphemeral":
                    head = f"*bot answers privately in {where}* (only @{USER_NAMES.get(p.get('user'), p.get('user'))} sees it)"
                else:
                    head = f"*bot posts in {where}*" + (" (in a thread)" if p.get("thread_ts") else "")
                shown = render_blocks(p.get("blocks"), names) or render_mrkdwn(str(p.get("text", "")), names).split("\n")
                notification = render_mrkdwn(str(p.get("text", "")), names)
                text = f"{render_mrkdwn(head, names)}\n\n{quote(shown)}\n\n<sub>notification text: {notification}</sub>\n"
            entries.append((call.at, render_mrkdwn(text, names) if not text.startswith("**") else text))
        entries.sort(key=lambda e: e[0])
        return "\n\n".join(text for _, text in entries) + "\n"


# -- the story ----------------------------------------------------------------------------------


def answered(stack, answer, timeout: float = 20):
    return stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=timeout)


def tick(stack, channel: str, number: int, item_id: str, user: str) -> None:
    """A checkbox click as Slack sends it, on the checklist message as currently shown."""
    sheet = next(s for s in database(stack)["checklist"].values() if s["incident"] == number)
    ts = sheet["message"]["ts"]
    shown = stack.standin.messages[(sheet["message"]["channel"], ts)]["blocks"]
    shown = json.loads(shown) if isinstance(shown, str) else shown
    block = next(b for b in shown if b.get("type") == "actions"
                 and any(o["value"] == item_id for o in b["elements"][0]["options"]))
    element = block["elements"][0]
    selected = element.get("initial_options", []) + [o for o in element["options"] if o["value"] == item_id]
    action = {"type": "checkboxes", "action_id": element["action_id"], "block_id": block["block_id"],
              "selected_options": selected, "action_ts": f"{time.time():.6f}"}
    payload = block_actions_payload(element["action_id"], "", user_id=user, channel_id=channel,
                                    response_url=stack.standin.response_url(), message_ts=ts,
                                    extra={"actions": [action], "message": {"type": "message", "ts": ts, "blocks": shown}})
    stack.slack.payload(payload)
    wait_until(lambda: any(i["id"] == item_id and i["done"] for s in database(stack)["checklist"].values()
                           if s["incident"] == number for i in s["items"]), 10, "the saved tick")


def run_story(tmp: Path) -> str:
    with WebServer() as web, running_bot(tmp, ENV) as stack:
        stack.standin.set_usergroup("S0ONCALL", ONCALL)
        log = Transcript(stack.standin)

        def slash(command: str, text: str, user: str = "U0ENGINEER", channel: str = "C0GENERAL"):
            sent_at = time.monotonic()
            answer = stack.slack.slash(command, text, user_id=user, channel_id=channel)
            log.typed(user, command, text, channel, answer, sent_at)
            return answer

        log.step("Help texts")
        for command in ("/scan", "/incident", "/watch", "/checklist"):
            slash(command, "help")

        log.step("A clean page")
        web.add("/visiting-hours.html", CLEAN_PAGE, content_type="text/html")
        answered(stack, slash("/scan", web.url("/visiting-hours.html")))

        log.step("A refused address (private network)")
        answered(stack, slash("/scan", "http://10.20.30.40/exports/staff.csv"))

        log.step("A damaged file")
        web.add("/exports/broken.xlsx", b"PK\x03\x04" + b"\x00" * 40 + b"truncated", content_type="application/vnd.ms-excel")
        answered(stack, slash("/scan", web.url("/exports/broken.xlsx")))

        log.step("The leak: a roster published during maintenance")
        modified = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=4, minutes=52)
        path = "/files/detained_population.xlsx"
        web.add(path, leak_xlsx(ROWS), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                last_modified=format_datetime(modified, usegmt=True))
        url = web.url(path)
        answered(stack, slash("/scan", url, user=REPORTER, channel="C0GENERAL"))
        number = wait_until(lambda: next((int(n) for n, d in database(stack).get("incidents", {}).items()
                                          if d.get("url") == url and d.get("setup_complete")), None), 30, "the incident")
        channel = database(stack)["incidents"][str(number)]["channel_id"]

        log.step("A lead takes the incident: `/incident lead`")
        answered(stack, slash("/incident", "lead <@U0ONCALL1|sam.oncall>", user=REPORTER, channel=channel))

        log.step("The takedown clock runs: reminders, then escalation")
        wait_until(lambda: any("scalat" in c.params.get("text", "") for c in stack.standin.calls_to("chat.postMessage")
                               if c.params.get("channel") == channel), 30, "the escalation")

        log.step("The owner was told before the incident opened: `/incident notified`")
        notified = (datetime.now(UTC) - timedelta(minutes=4)).strftime("%H:%M")
        answered(stack, slash("/incident", f"notified {notified}", user=REPORTER, channel=channel))
        slash("/incident", "status", user="U0ONCALL1", channel=channel)
        answered(stack, slash("/incident", "update The site owner is removing the file now", user="U0ONCALL1",
                              channel=channel))

        log.step("Someone outside the incident channel asks about it")
        slash("/incident", f"status #{number}", user="U0ENGINEER", channel="C0GENERAL")

        log.step("The checklist, re-posted and ticked")
        answered(stack, slash("/checklist", "", user="U0ONCALL1", channel=channel))
        tick(stack, channel, number, "remove-origin", "U0ONCALL1")

        log.step("The file is removed at the origin")
        web.remove(path)
        wait_until(lambda: database(stack)["incidents"][str(number)]["status"] == "down", 20, "the takedown")
        time.sleep(2.5)  # one more timer edit, so the stopped clock shows

        log.step("The report for the breach log")
        slash("/incident", "report", user=REPORTER, channel=channel)
        wait_until(lambda: any(c.params.get("text", "").startswith("Report") or "report" in c.params.get("text", "").lower()
                               for c in stack.standin.calls_to("chat.postMessage") if c.params.get("channel") == channel),
                   10, "the report")
        log.step("Closing")
        answered(stack, slash("/incident", "close", user=REPORTER, channel=channel))
        wait_until(lambda: database(stack)["incidents"][str(number)]["status"] == "closed", 10, "the close")
        time.sleep(1)
        return log.render()


def leaked_values(text: str) -> list[str]:
    return [short_id(v) for v in raw_values(ROWS) if v in text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, help="write the transcript here (Markdown) instead of stdout")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="transcript-") as tmp:
        body = run_story(Path(tmp))
    leaked = leaked_values(body)
    if leaked:
        print(f"raw values reached the transcript (value ids): {leaked[:10]}", file=sys.stderr)
        return 1
    document = ("# What it looks like in Slack\n\n"
                "A transcript of the whole story, recorded from the real bot against the Slack test bed with "
                "synthetic data and short intervals (takedown target 6 seconds instead of 15 minutes). "
                "Regenerate with `PYTHONPATH=. python -m tests.helpers.transcript --out docs/slack-transcript.md`.\n"
                + body)
    if args.out:
        args.out.write_text(document, encoding="utf-8")
        print(f"wrote {args.out} ({len(document):,} characters)")
    else:
        print(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
