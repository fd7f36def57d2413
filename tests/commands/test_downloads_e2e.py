"""After the takedown, end to end with the real bot and the Slack stand-in: access logs shared in
the incident channel are read against the incident's URL and window, the summary is posted
(counts, crawler names, times; no address), the checklist gains what the figures call for; the
exposure picture is uploaded when the takedown is confirmed, and `/incident report` uploads the
picture and the breach report (files.getUploadURLExternal -> bytes -> completeUploadExternal);
`/incident downloads clients` uploads the per-client table to the private channel, on request.

The logs are written here by hand, in the combined format and gzip'd, for the incident's own path.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.slack_standin import BOT_USER_ID
from tests.helpers.synthetic_leak import leak_csv, people
from tests.helpers.webserver import WebServer

ROWS = people(20, seed=61)
REPORTER, OPS = "U0REPORTER", "U0OPS"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ARCHIVE = "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)"
CLIENTS = ["203.0.113.10", "198.51.100.20", "66.249.66.1", "207.241.229.1", "10.0.0.5", "203.0.113.30",
           "203.0.113.40"]


def line(ip: str, when: datetime, path: str, status: int, size: int, agent: str, method: str = "GET") -> str:
    return (f'{ip} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "{method} {path} HTTP/1.1" {status} {size} '
            f'"-" "{agent}"')


def shared_file(stack, channel: str, content: bytes, name: str) -> None:
    """A file shared in the channel as Slack does it: stored, then the file_shared event."""
    info = stack.standin.add_file(content, name, channel=channel, private=True, user=OPS)
    file_shared_event(stack, channel, info["id"], OPS)


def file_shared_event(stack, channel: str, file_id: str, user: str) -> None:
    event = {"type": "file_shared", "file_id": file_id, "user_id": user, "channel_id": channel,
             "event_ts": f"{time.time():.6f}"}
    assert stack.slack.event(event).status == 200


def summaries(stack, channel: str) -> list:
    return [c for c in stack.standin.calls_to("chat.postMessage") if c.params.get("channel") == channel
            and c.params.get("text", "").startswith("Access logs of incident")]


def uploads(stack, channel: str) -> list[tuple[str, bytes]]:
    done = []
    for call in stack.standin.calls_to("files.completeUploadExternal"):
        if call.params.get("channel_id") == channel:
            for item in json.loads(call.params["files"]):
                done.append((stack.standin.files[item["id"]]["name"], stack.standin.file_content(item["id"])))
    return done


def test_logs_picture_and_breach_report(tmp_path):
    with WebServer() as web, running_bot(tmp_path, {"INCIDENT_SEVERITY_THRESHOLD": "high",
                                                    "LEGAL_CLOCKS": "GDPR 72 h=72h"}) as stack:
        path = "/exports/roster_2026.csv"
        content = leak_csv(ROWS)
        now = datetime.now(UTC).replace(microsecond=0)
        modified = now - timedelta(hours=5)
        web.add(path, content, content_type="text/csv", last_modified=format_datetime(modified, usegmt=True))
        stack.slack.slash("/scan", web.url(path), user_id=REPORTER)
        stack.standin.wait_for("conversations.create", timeout=30)
        number = wait_until(lambda: next((int(n) for n, d in database(stack).get("incidents", {}).items()
                                          if d.get("url") == web.url(path) and d.get("setup_complete")), None),
                            30, "the incident")
        channel = database(stack)["incidents"][str(number)]["channel_id"]
        # the web operator is in the room (only members act on an incident: commands/access.py)
        stack.standin.channels[channel]["members"].add(OPS)

        size = len(content)
        t = modified + timedelta(minutes=20)
        plain = "\n".join([
            line(CLIENTS[0], t, path, 200, size, BROWSER),
            line(CLIENTS[1], t + timedelta(minutes=30), path + "?dl=1", 200, size, BROWSER),
            line(CLIENTS[2], t + timedelta(minutes=40), path, 200, size, GOOGLEBOT),
            line(CLIENTS[5], t + timedelta(hours=1), path, 200, size // 2, BROWSER),
            line(CLIENTS[6], t + timedelta(hours=2), path, 200, 0, "curl/8.5.0", method="HEAD"),
            line("203.0.113.99", t, "/index.html", 200, 5120, BROWSER),
            line("203.0.113.98", modified - timedelta(hours=3), path, 200, size, BROWSER),   # before the window
            "garbage \x01 line " + path,
        ]) + "\n"
        rotated = gzip.compress(("\n".join([
            line(CLIENTS[3], t + timedelta(hours=3), path, 200, size, ARCHIVE),
            line(CLIENTS[4], t + timedelta(hours=3, minutes=5), path, 200, size, BROWSER),
        ]) + "\n").encode())
        shared_file(stack, channel, plain.encode(), "access.log")
        shared_file(stack, channel, rotated, "access.log.1.gz")
        shared_file(stack, channel, b"\x89PNG\r\n\x1a\n" + bytes(64), "screenshot.png")

        posted = wait_until(lambda: summaries(stack, channel), 30, "the access-log summary")
        assert len(posted) == 1, "one summary for the files of one upload"
        summary = posted[0].params
        assert summary["text"] == f"Access logs of incident #{number}: 5 complete downloads, 6 clients"
        shown = json.dumps(summary["blocks"])
        assert "Googlebot" in shown and "Internet Archive" in shown and "(4 from outside)" in shown
        assert "1 internal" in shown and "screenshot.png" in shown

        kept = database(stack)["incidents"][str(number)]["downloads"]
        assert (kept["downloads_complete"], kept["downloads_partial"], kept["requests"], kept["head"]) == (5, 1, 7, 1)
        assert "top_clients" not in kept
        items = {i["id"]: i for s in database(stack)["checklist"].values() if s["incident"] == number for i in s["items"]}
        assert items["preserve-evidence"]["done"] and items["preserve-evidence"]["by"] == OPS
        assert "5 complete" in items["preserve-evidence"]["text"]
        assert {"logs-search-googlebot", "logs-archive-internet-archive", "logs-notify"} <= set(items)
        sheet = next(s for s in database(stack)["checklist"].values() if s["incident"] == number)
        message = stack.standin.messages[(sheet["message"]["channel"], sheet["message"]["ts"])]
        assert "Request cache removal: Googlebot fetched it" in json.dumps(message["blocks"])

        # the takedown: the exposure picture is uploaded to the room
        web.remove(path)
        wait_until(lambda: any(name.endswith("-timeline.png") for name, _ in uploads(stack, channel)), 30,
                   "the picture at the takedown")
        picture = next(data for name, data in uploads(stack, channel) if name.endswith("-timeline.png"))
        assert picture.startswith(b"\x89PNG\r\n\x1a\n")
        # Slack announces the bot's own upload as file_shared too: it is not a log to read again
        own = json.loads(stack.standin.calls_to("files.completeUploadExternal")[-1].params["files"])[0]["id"]
        file_shared_event(stack, channel, own, BOT_USER_ID)

        # /incident report: the picture again and the breach report
        stack.slack.slash("/incident", "report", user_id=REPORTER, channel_id=channel)
        wait_until(lambda: any(name.endswith("-breach-report.md") for name, _ in uploads(stack, channel)), 30,
                   "the breach report")
        report = next(data for name, data in uploads(stack, channel) if name.endswith("-breach-report.md")).decode()
        assert "**Complete downloads:** 5 (4 from outside the organisation)" in report
        assert "| Googlebot | search engine |" in report and f"incident-{number}-timeline.png" in report
        assert "GDPR 72 h" in report and "| (d) |" in report
        assert sum(name.endswith("-timeline.png") for name, _ in uploads(stack, channel)) == 2

        # /incident downloads reads the shared logs again, now up to the takedown: the same figures
        stack.slack.slash("/incident", "downloads", user_id=OPS, channel_id=channel)
        again = wait_until(lambda: summaries(stack, channel)[1:], 30, "the summary of /incident downloads")
        assert again[0].params["text"] == summary["text"] and "to <!date^" in json.dumps(again[0].params["blocks"])
        assert len(summaries(stack, channel)) == 2, "the bot's own uploads are not read as logs"

        # no client address and no user agent of a person anywhere in Slack
        recorded = stack.standin.recorded_text()
        for address in CLIENTS + ["203.0.113.99", "203.0.113.98"]:
            assert address not in recorded and address not in report
        assert "Chrome/131.0" not in recorded

        # on request, the per-client table goes to the private incident channel as a file (only there)
        stack.slack.slash("/incident", "downloads clients", user_id=OPS, channel_id=channel)
        wait_until(lambda: any(name.endswith("-clients.csv") for name, _ in uploads(stack, channel)), 30,
                   "the per-client table")
        table = next(data for name, data in uploads(stack, channel) if name.endswith("-clients.csv")).decode()
        rows = list(csv.DictReader(io.StringIO(table)))
        assert {row["client"] for row in rows} == set(CLIENTS)
        assert sum(int(row["complete"]) for row in rows) == 5
        texts = " ".join(c.params.get("text", "") for c in stack.standin.calls_to("chat.postMessage"))
        assert not any(address in texts for address in CLIENTS)
