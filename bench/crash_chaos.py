"""Crash chaos: one incident's whole life on a real bot process that is SIGKILLed at seeded random
moments and started again, then invariants checked from the store and the stand-ins. Prints a
table of violations per invariant; never asserts.

    PYTHONPATH=. python bench/crash_chaos.py [--rounds 3] [--seed 1] [--store tinydb|postgresql|both]

Each round: the Slack stand-in, the PagerDuty/Opsgenie stand-ins, a local web server holding a
synthetic leak, a bot with short clocks (takedown target 9 s: reminders at 4.5 s and 7.2 s, the
escalation and its page at 9 s; polls and timer every second). `/scan` opens the incident; then a
killer thread SIGKILLs the bot every `--gap` seconds (seeded, uniform) and starts it again, while
the script clicks checklist items (each click, with seeded odds, is followed by a kill the moment
Slack got its 200), waits for the escalation and its page, changes the severity, removes the file
(takedown) and closes the incident. A watch on a page of the same site runs every second
throughout. Commands a kill swallowed before they were stored are sent
again, as a person would. At the end the bot is stopped cleanly and checked:

- reminder_once: each reminder/escalation job posted at most once, every such text distinct;
- reminder_entry: each one posted has exactly one timeline entry naming its job;
- escalated: the escalation was posted (the script waits for it before the takedown);
- page_trigger: Opsgenie triggered once, PagerDuty at most twice (the trigger and the severity update);
- page_resolve: each service resolved exactly once, after the file was removed; "Page resolved" said once;
- takedown_told: "Takedown verified" once in the room, "taken down" and "closed" once to the stakeholders;
- final_state: status closed, takedown time and figures kept, nothing left to tell or to page;
- severity: the new severity stored, with its timeline entry;
- ticks_kept / tick_entries: every click Slack got a 200 for is stored, with one "Ticked" entry;
- one_incident: one incident for the URL, one room created;
- timer_after_restart: after each restart while open, the timer message is updated again;
- jobs_settled: no job left claimed, sent or failed;
- scan_answered: the `/scan` (killed mid-scan with seeded odds) answered once (its result, whatever
  it says: taken again after a lease, the file may be gone), nothing left pending;
- watch_kept / watch_alert_once: a `/watch` started before the first kill is still active at the end;
  the second roster it finds (put up while the kills run) is alerted once, with one incident;
- no_raw_value: no raw value of the leak in Slack calls, the bot's log or the store.

A round prints its seed: `--rounds 1 --seed <that seed>` runs the same delays again (the machine's
timing still varies). A violation line names what was seen (counts, keys), never a value.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import ScanSettings  # noqa: E402
from commands.scan_requests import lease  # noqa: E402
from tests.helpers.bot_process import BotProcess, BotStack, database  # noqa: E402
from tests.helpers.paging_standin import PagingStandIn  # noqa: E402
from tests.helpers.postgres import bench_server  # noqa: E402
from tests.helpers.slack_requests import SlackRequests, block_actions_payload  # noqa: E402
from tests.helpers.slack_standin import SlackStandIn  # noqa: E402
from tests.helpers.synthetic_leak import leak_csv, people, raw_values, shown_in  # noqa: E402
from tests.helpers.webserver import WebServer  # noqa: E402

# a bot killed mid-request leaves the stand-ins a broken pipe: not worth a traceback on the console
ThreadingHTTPServer.handle_error = lambda self, request, client_address: None

INVARIANTS = ("reminder_once", "reminder_entry", "escalated", "page_trigger", "page_resolve", "takedown_told",
              "final_state", "severity", "ticks_kept", "tick_entries", "one_incident", "timer_after_restart",
              "jobs_settled", "scan_answered", "watch_kept", "watch_alert_once", "no_raw_value", "round_stuck")
STAKEHOLDERS, REPORTER, ONCALL, WATCH_CHANNEL = "C0STAKE", "U0REPORTER", ["U0ONCALL1", "U0ONCALL2"], "C0WATCH"
#: how long a PostgreSQL replica leaves a kept /scan request before taking it (seconds)
SCAN_LEASE = lease(type("Settings", (), {"scan": ScanSettings()})).total_seconds()
ENV = {"TAKEDOWN_TARGET_MINUTES": "0.15", "TAKEDOWN_POLL_SECONDS": "1", "TIMER_UPDATE_SECONDS": "1",
       "ONCALL_USERGROUP": "S0ONCALL", "INCIDENT_SEVERITY_THRESHOLD": "high", "STAKEHOLDER_CHANNEL": STAKEHOLDERS,
       "WATCH_MIN_INTERVAL_SECONDS": "1"}


class Chaos:
    """The bot, and a killer thread that SIGKILLs and restarts it at seeded intervals. Requests to
    the bot hold `lock`, so a kill never lands inside one (only between, or right after on purpose)."""

    def __init__(self, stack: BotStack, rng: random.Random, gap: tuple[float, float]):
        self.stack, self.rng, self.gap = stack, rng, gap
        self.lock = threading.Lock()
        self.restarts: list[float] = []  # time.monotonic() when each restarted bot answered
        self.kills: list[float] = []  # time.monotonic() of each SIGKILL
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(60)

    def kill_now(self) -> None:
        """Caller holds `lock`."""
        self.kills.append(time.monotonic())
        self.stack.bot.kill()
        try:
            self.stack.bot.start(timeout=60)
            self.restarts.append(time.monotonic())
        except AssertionError:
            self.failures.append("the bot did not start again")
            self.stack.bot.start(timeout=60)

    def _loop(self) -> None:
        while not self._stop.wait(self.rng.uniform(*self.gap)):
            with self.lock:
                if not self._stop.is_set():
                    self.kill_now()

    def request(self, send):
        with self.lock:
            return send()


def wait(condition, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


class Round:
    def __init__(self, seed: int, folder: Path, database_url: str | None, gap: tuple[float, float], kill_odds: float):
        self.seed, self.folder, self.database_url, self.gap, self.kill_odds = seed, folder, database_url, gap, kill_odds
        self.rng = random.Random(seed)
        self.rows = people(20, seed=1000 + seed % 1000)
        self.watched_rows = people(15, seed=2000 + seed % 1000)
        self.stuck: list[str] = []
        self.acked: list[str] = []
        self.level: str | None = None
        self.seen = "nothing seen"
        self.aimed = 0
        self.removed_at = 0.0
        self.scan = None

    # -- reading -----------------------------------------------------------------------------------

    def db(self) -> dict:
        return database(self.stack)

    def incident(self) -> dict | None:
        return next(({**d, "number": int(n)} for n, d in self.db().get("incidents", {}).items()
                     if d.get("url") == self.url), None)

    def room_posts(self, containing: str = "") -> list:
        return [c for c in self.standin.calls_to("chat.postMessage")
                if c.params.get("channel") == self.channel and containing in c.params.get("text", "")]

    def expect(self, what: str, condition, timeout: float, *, aim: bool = False):
        """Wait for `condition`; `aim`: then, with seeded odds, kill the bot within 0.05 or 0.6 s of seeing
        it (while what follows it, an entry, a page, the rest of an announcement, is being written)."""
        found = wait(condition, timeout, step=0.02 if aim else 0.1)
        if not found:
            self.stuck.append(what)
        elif aim and self.rng.random() < self.kill_odds:
            # half the time at once (the write right after the call), else within the next steps
            time.sleep(self.rng.uniform(0, 0.05) if self.rng.random() < 0.5 else self.rng.uniform(0, 0.6))
            with self.chaos.lock:
                self.chaos.kill_now()
                self.aimed += 1
        return found

    # -- acting --------------------------------------------------------------------------------------

    def command(self, text: str, done, what: str) -> None:
        """A slash command in the room, sent again (up to 3 times) when a kill swallowed it."""
        for _ in range(3):
            answer = self.chaos.request(lambda: self.stack.slack.slash("/incident", text, user_id=REPORTER,
                                                                          channel_id=self.channel))
            if answer.status == 200 and wait(done, 15):
                return
        self.stuck.append(what)

    def click(self) -> None:
        """Tick one undone item as Slack sends it; with seeded odds, kill the bot right after its 200."""
        sheet = next((s for s in self.db().get("checklist", {}).values() if s["incident"] == self.number), None)
        message = sheet and self.standin.messages.get((sheet["message"]["channel"], sheet["message"]["ts"]))
        if not message:
            self.stuck.append("the checklist message")
            return
        shown = message["blocks"]
        undone = [(b, o) for b in shown if b.get("type") == "actions" for o in b["elements"][0]["options"]
                  if o["value"] not in {i["value"] for i in b["elements"][0].get("initial_options", [])}
                  and o["value"] not in self.acked]
        if not undone:
            return
        block, option = undone[self.rng.randrange(len(undone))]
        element = block["elements"][0]
        action = {"type": "checkboxes", "action_id": element["action_id"], "block_id": block["block_id"],
                  "selected_options": [*element.get("initial_options", []), option], "action_ts": f"{time.time():.6f}"}
        payload = block_actions_payload(element["action_id"], "", user_id=REPORTER, channel_id=self.channel,
                                        response_url=self.standin.response_url(), message_ts=sheet["message"]["ts"],
                                        extra={"actions": [action], "message": {"type": "message",
                                                                                 "ts": sheet["message"]["ts"],
                                                                                 "blocks": shown}})
        kill = self.rng.random() < self.kill_odds
        with self.chaos.lock:
            try:
                answer = self.stack.slack.payload(payload)
            except OSError:
                answer = None
            if answer is not None and answer.status == 200:
                self.acked.append(option["value"])
            if kill:
                self.chaos.kill_now()

    def run(self) -> dict[str, list[str]]:
        with SlackStandIn() as self.standin, PagingStandIn() as paging, WebServer() as web:
            self.standin.set_usergroup("S0ONCALL", ONCALL)
            env = {**ENV, **paging.env(), **({"DATABASE_URL": self.database_url} if self.database_url else {})}
            bot = BotProcess(self.standin, self.folder, env).start(timeout=60)
            self.stack = BotStack(self.standin, bot, SlackRequests(bot.url, standin=self.standin))
            self.chaos = Chaos(self.stack, self.rng, self.gap)
            try:
                self._story(web, paging)
            except Exception as err:  # noqa: BLE001 - a round that breaks is counted, the others still run
                self.stuck.append(f"the script failed: {type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}")
            finally:
                self.chaos.stop()
                bot.stop()
            return self._check(paging, web)

    def _site(self, web: WebServer, *, leak: bool) -> None:
        """The watched page: a harmless list, then (`leak`) a second roster linked from it."""
        links = ["/portal/prices.csv"] + ([self.watched_path] if leak else [])
        items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
        web.add("/portal/", f"<html><body><ul>{items}</ul></body></html>".encode(), content_type="text/html")
        web.add("/portal/prices.csv", b"Item,Price\nWidget,3\nGadget,4\n", content_type="text/csv")
        if leak:
            web.add(self.watched_path, leak_csv(self.watched_rows), content_type="text/csv")

    def watch_alerts(self) -> list:
        return [c for c in self.standin.calls_to("chat.postMessage") if c.params.get("channel") == WATCH_CHANNEL
                and "Personal data found" in c.params.get("text", "")]

    def _story(self, web: WebServer, paging: PagingStandIn) -> None:
        path = f"/exports/chaos_roster_{self.seed}.csv"
        web.add(path, leak_csv(self.rows), content_type="text/csv")
        self.url = web.url(path)
        self.channel = None
        self.watched_path = f"/portal/chaos_watched_{self.seed}.csv"
        self._site(web, leak=False)
        started = self.stack.slack.slash("/watch", f"{web.url('/portal/')} every 1s for 10m", channel_id=WATCH_CHANNEL,
                                         user_id=REPORTER)
        if "started watch #" not in started.reply_text():
            self.stuck.append("the watch started")
        self.scan = self.stack.slack.slash("/scan", self.url, user_id=REPORTER)
        if self.rng.random() < self.kill_odds:  # a kill while the file is fetched and scanned
            time.sleep(self.rng.uniform(0, 1.0))
            with self.chaos.lock:
                self.chaos.kill_now()
                self.aimed += 1
        # a scan cut short is taken again at once by the embedded store, after its lease on PostgreSQL
        # (SCAN_LEASE: a crawl's budget + a fetch timeout + 30 s), where it may be a live replica's
        opened = self.expect("the incident opened", lambda: (d := self.incident()) and d.get("setup_complete") and d,
                             SCAN_LEASE + 60 if self.database_url else 60)
        if not opened:
            return
        self.number, self.channel, self.timer_ts = opened["number"], opened["channel_id"], opened["timer_ts"]
        self.key = f"leakwatch-incident-{self.number}"
        self.chaos.start()
        self._site(web, leak=True)  # the watch's leak goes up while the bot is being killed
        self.click()
        self.expect("a reminder", lambda: self.room_posts("Reminder"), 40, aim=True)
        self.click()
        self.expect("the escalation", lambda: self.room_posts("Escalation"), 40, aim=True)
        self.expect("the page sent", lambda: [c for c in paging.calls_to("pagerduty", "trigger")
                                              if c.key == self.key and c.status == 202], 30, aim=True)
        self.expect("the page stored", lambda: (self.incident() or {}).get("paged"), 30)
        before = (self.incident() or {}).get("severity")
        self.level = "high" if before == "critical" else "critical"
        self.command(f"severity {self.level} chaos bench", lambda: (self.incident() or {}).get("severity") == self.level,
                     "the severity change")
        self.expect("the page updated", lambda: [c for c in paging.calls_to("opsgenie", "update") if c.key == self.key],
                    20, aim=True)
        self.click()
        self.expect("the watch alert", self.watch_alerts, 30, aim=True)
        time.sleep(self.rng.uniform(0, 2))
        self.removed_at = time.monotonic()
        web.remove(path)
        self.expect("the takedown", lambda: self.room_posts("Takedown verified"), 40, aim=True)
        time.sleep(self.rng.uniform(0, 3))
        self.command("close", lambda: (self.incident() or {}).get("status") == "closed", "the close")
        self.expect("the close post", lambda: self.room_posts(f"closed incident #{self.number}"), 20, aim=True)
        self.chaos.stop()  # the last restart is done: from here the bot runs and finishes what is left
        self.expect("the close told", lambda: (d := self.incident()) and d.get("announcing") is None
                    and not d.get("page_pending") and not d.get("paged"), 60)
        self.expect("the jobs settled", lambda: not [j for j in self.db().get("jobs", {}).values()
                                                     if j["incident"] == self.number
                                                     and j["status"] in ("claimed", "sent")], 40)
        # a scan or a watch alert a kill cut short: taken at once on the embedded store, after its
        # lease on PostgreSQL (where it may be a live replica's): SCAN_LEASE for a scan, 120 s for an alert
        self.expect("the scan and the watch alert a kill left settled",
                    lambda: not (db := self.db()).get("scan_requests")
                    and not any(w.get("pending_alerts") for w in db.get("watches", {}).values()),
                    SCAN_LEASE + 110 if self.database_url else 30)

    # -- checking ------------------------------------------------------------------------------------

    def _kills_after(self, calls) -> str:
        """Where the kills fell: for each call, the seconds to the next kill (a kill between a call
        and its write is the usual cause of a repeat)."""
        gaps = [min((k - c.at for k in self.chaos.kills if k >= c.at), default=None) for c in calls]
        return " (next kill " + ", ".join("none" if g is None else f"{g:.2f} s" for g in gaps) + " after each)"

    def _check(self, paging: PagingStandIn, web: WebServer) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {name: [] for name in INVARIANTS}
        found["round_stuck"] = [f"waited in vain for {what}" for what in self.stuck] + self.chaos.failures
        if self.channel is None:
            return found
        db = self.db()
        incidents = [d for d in db.get("incidents", {}).values() if d.get("url") == self.url]
        rooms = [c for c in self.standin.calls_to("conversations.create") if "roster" in c.params.get("name", "")]
        if len(incidents) != 1 or len(rooms) != 1:
            found["one_incident"].append(f"{len(incidents)} incidents, {len(rooms)} rooms created")
        doc = incidents[0] if incidents else {}
        events = [e for e in db.get("events", {}).values() if e["incident"] == self.number]

        posted = Counter()
        for call in self.room_posts():
            meta = call.params.get("metadata")
            meta = json.loads(meta) if isinstance(meta, str) else (meta or {})
            job = (meta.get("event_payload") or {}).get("job", "")
            if job.startswith("takedown:"):
                posted[job] += 1
        texts = [c.params["text"] for c in self.room_posts() if "Reminder" in c.params.get("text", "")
                 or "Escalation" in c.params.get("text", "")]
        twice = [k for k, n in posted.items() if n > 1]
        if twice or len(texts) != len(set(texts)):
            found["reminder_once"].append(f"jobs posted twice: {twice}; {len(texts) - len(set(texts))} repeated texts"
                                          + self._kills_after([c for c in self.room_posts() if c.params.get("text") in texts]))
        entries = Counter((e.get("data") or {}).get("job") for e in events if e["kind"] in ("reminder", "escalation"))
        for job in posted:
            if entries[job] != 1:
                found["reminder_entry"].append(f"{job}: posted, {entries[job]} timeline entries")
        for job in set(entries) - set(posted) - {None}:
            found["reminder_entry"].append(f"{job}: {entries[job]} entries, never posted")
        if not self.room_posts("Escalation"):
            found["escalated"].append("no escalation posted")

        def page_calls(service, action):
            return [c for c in paging.calls_to(service, action) if c.key == self.key and c.status == 202]

        if len(page_calls("opsgenie", "trigger")) != 1 or not 1 <= len(page_calls("pagerduty", "trigger")) <= 2:
            found["page_trigger"].append(f"opsgenie {len(page_calls('opsgenie', 'trigger'))}, "
                                         f"pagerduty {len(page_calls('pagerduty', 'trigger'))} triggers "
                                         f"{[c.body.get('payload', {}).get('severity') for c in page_calls('pagerduty', 'trigger')]}"
                                         + self._kills_after(page_calls("pagerduty", "trigger")))
        for service in ("pagerduty", "opsgenie"):
            resolves = page_calls(service, "resolve")
            if len(resolves) != 1 or any(c.at < self.removed_at for c in resolves):
                found["page_resolve"].append(f"{service}: {len(resolves)} resolves{self._kills_after(resolves)}")
        if len(self.room_posts("Page resolved")) != 1:
            found["page_resolve"].append(f"'Page resolved' said {len(self.room_posts('Page resolved'))} times")
        stake = [c.params.get("text", "") for c in self.standin.calls_to("chat.postMessage")
                 if c.params.get("channel") == STAKEHOLDERS and f"Incident #{self.number}:" in c.params.get("text", "")]
        told = {"room 'Takedown verified'": len(self.room_posts("Takedown verified")),
                "stakeholders 'taken down'": sum(": taken down" in t for t in stake),
                "stakeholders 'closed'": sum(": closed" in t for t in stake),
                "room close post": len(self.room_posts(f"closed incident #{self.number}"))}
        found["takedown_told"] += [f"{what}: {n} times" for what, n in told.items() if n != 1]
        figures = doc.get("figures") or {}
        state = {"status closed": doc.get("status") == "closed", "taken_down_at": bool(doc.get("taken_down_at")),
                 "figures": figures.get("exposure_seconds") is not None or bool(figures),
                 "nothing left to tell": doc.get("announcing") is None,
                 "no page pending": not doc.get("page_pending"), "no page open": not doc.get("paged")}
        found["final_state"] += [f"not {what}" for what, ok in state.items() if not ok]
        if self.level and (doc.get("severity") != self.level or not any(e["kind"] == "severity" for e in events)):
            found["severity"].append(f"stored {doc.get('severity') == self.level}, "
                                     f"entry {any(e['kind'] == 'severity' for e in events)}")

        sheet = next((s for s in db.get("checklist", {}).values() if s["incident"] == self.number), {"items": []})
        done = {i["id"]: i for i in sheet["items"] if i["done"]}
        lost = [item for item in self.acked if item not in done]
        if lost:
            found["ticks_kept"].append(f"{len(lost)} of {len(self.acked)} acknowledged ticks lost: {lost}")
        ticked = Counter(e["text"] for e in events if e["kind"] == "tick")
        for item in done.values():
            entries_of_item = ticked["Ticked: " + item["text"]]
            if entries_of_item != 1:
                found["tick_entries"].append(f"{item['id']}: {entries_of_item} tick entries")

        updates = [c.at for c in self.standin.calls_to("chat.update") if c.params.get("ts") == self.timer_ts]
        down_at = next((c.at for c in self.room_posts("Takedown verified")), time.monotonic())
        for restarted in self.chaos.restarts:
            if restarted + 3 < down_at and not any(restarted < at <= down_at for at in updates):
                found["timer_after_restart"].append(f"no timer update in the {down_at - restarted:.1f} s after a restart")
        bad_jobs = Counter(j["status"] for j in db.get("jobs", {}).values()
                           if j["incident"] == self.number and j["status"] in ("claimed", "sent", "failed"))
        if bad_jobs:
            found["jobs_settled"].append(f"jobs left {dict(bad_jobs)}")

        # the result, whatever it says (a scan taken again after its lease may find the file gone),
        # not the "Scanning…" progress edits
        answers = [c for c in self.standin.calls_to("response_url") if self.scan and self.scan.response_url.endswith(c.path)
                   and not c.params.get("text", "").startswith("Scanning")]
        if len(answers) != 1 or db.get("scan_requests"):
            found["scan_answered"].append(f"/scan answered {len(answers)} times, "
                                          f"{len(db.get('scan_requests') or {})} requests left")
        watches = list(db.get("watches", {}).values())
        if len(watches) != 1 or watches[0].get("status") != "active":
            found["watch_kept"].append(f"{len(watches)} watches, status {[w.get('status') for w in watches]}")
        watched_url = web.url(self.watched_path)
        watched = [d for d in db.get("incidents", {}).values() if d.get("url") == watched_url]
        pending = sum(len(w.get("pending_alerts") or {}) for w in watches)
        if len(self.watch_alerts()) != 1 or len(watched) != 1 or pending:
            found["watch_alert_once"].append(f"{len(self.watch_alerts())} alerts, {len(watched)} incidents, "
                                             f"{pending} alerts left pending"
                                             + self._kills_after(self.watch_alerts()))
        places = {"slack": self.standin.recorded_text(), "log": self.stack.bot.logs(),
                  "store": json.dumps(db, ensure_ascii=False)}
        for stored in self.stack.bot.database_path.parent.rglob("*"):
            if stored.is_file():
                places[stored.name] = stored.read_text(encoding="utf-8", errors="replace")
        for where, text in places.items():
            shown = shown_in(text, raw_values(self.rows + self.watched_rows))
            if shown:
                found["no_raw_value"].append(f"{len(shown)} raw values in {where}")
        self.seen = (f"{sum(posted.values())} reminder/escalation posts, {len(ticked)} ticks, "
                     f"{len(page_calls('pagerduty', 'trigger'))}+{len(page_calls('opsgenie', 'trigger'))} triggers, "
                     f"{len(updates)} timer updates")
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", choices=("tinydb", "postgresql", "both"), default="both")
    parser.add_argument("--gap", type=float, nargs=2, default=(2.5, 6.0), metavar=("MIN", "MAX"),
                        help="seconds between kills, drawn uniformly (default 2.5 6)")
    parser.add_argument("--kill-odds", type=float, default=0.5, help="odds of a kill right after a click's 200")
    args = parser.parse_args()
    # stopped with SIGTERM (a timeout): unwind, so the bot, the stand-ins and PostgreSQL are stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    stores = ("tinydb", "postgresql") if args.store == "both" else (args.store,)
    with bench_server() if "postgresql" in stores else _no_server() as server:
        for store in stores:
            if store == "postgresql" and server is None:
                continue
            table = {name: 0 for name in INVARIANTS}
            rounds_with = 0
            started = time.monotonic()
            for n in range(args.rounds):
                seed = args.seed + n
                with tempfile.TemporaryDirectory(prefix="chaos-") as folder:
                    url = server.new_database() if store == "postgresql" else None
                    one = Round(seed, Path(folder), url, tuple(args.gap), args.kill_odds)
                    took = time.monotonic()
                    found = one.run()
                kills = len(one.chaos.restarts) if hasattr(one, "chaos") else 0
                bad = {k: v for k, v in found.items() if v}
                rounds_with += bool(bad)
                print(f"[{store}] seed {seed}: {kills} kills ({one.aimed} aimed), {len(one.acked)} clicks acknowledged, "
                      f"{one.seen}, {time.monotonic() - took:.0f} s: {'ok' if not bad else 'VIOLATIONS'}", flush=True)
                for name, lines in bad.items():
                    table[name] += 1
                    for line in lines:
                        print(f"    {name}: {line}", flush=True)
            print(f"\n{store}: {args.rounds} rounds, {rounds_with} with violations, "
                  f"{(time.monotonic() - started) / max(args.rounds, 1):.0f} s per round")
            print(f"{'invariant':<22} rounds violated")
            for name in INVARIANTS:
                print(f"{name:<22} {table[name]} / {args.rounds}")
            print(flush=True)


class _no_server:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main()
