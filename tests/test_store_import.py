"""`python -m bot store import`: a one-process bot's TinyDB store, filled by the real typed layers,
copied into a real PostgreSQL server on 127.0.0.1 and read back by the same layers on the
PostgreSQL store: everything equal, ids and the fingerprint key kept. A second import, a bot still
holding the TinyDB lock and a target that is not empty are refused (exit 2, one sentence); a
record PostgreSQL refuses and a SIGKILL mid-copy leave the target empty. End to end: an incident the
real bot opened on TinyDB is carried on by a bot on PostgreSQL after the import, which still
recognises the leak's content by its fingerprints (the key moved) and proves the takedown once."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import psycopg

from bot.dedupe import Seen
from bot.incidents.checklist import add_item, apply_delta, new_items
from bot.incidents.clocks import Due, to_iso
from bot.incidents.records import IncidentRecords
from bot.model import FindingSummary, Incident, ScanSummary
from bot.store import Store, fingerprint_key_beside, shared_fingerprint_key
from bot.stores.lock import holder
from bot.stores.postgres import PostgresStore
from bot.watch.store import WatchStore
from tests.helpers.bot_process import ROOT, BotProcess, free_port, wait_until
from tests.helpers.slack_standin import SlackStandIn
from tests.helpers.synthetic_leak import shown_in

NOW = datetime(2026, 11, 28, 9, 10, tzinfo=UTC)
LEAK_URL = "https://example.gov/files/detained_population.xlsx"
SAMPLE = "A•••••2573"
PASSWORD = "not-for-output-7d1f"  # trust auth ignores it; the command must not print it


def _fingerprints(seed: str, count: int) -> list[str]:
    return [hashlib.sha256(f"{seed}-{n}".encode()).hexdigest()[:32] for n in range(count)]


def fill(path) -> str:
    """A store as a bot leaves it: three incidents (#2 removed: ids with a gap), timelines, a
    ticked checklist, jobs in every state, scans, fingerprints, two watches, a dedupe record.
    Returns the fingerprint key kept beside it."""
    key = fingerprint_key_beside(path)
    store = Store(path)
    records, watches = IncidentRecords(store), WatchStore(store)
    finding = FindingSummary(type="a_number", count=40, where=["Detained Population!A4:A43"], samples=[SAMPLE])
    for n in range(1, 4):
        url = f"{LEAK_URL}?v={n}"
        number = records.create(Incident(title=f"leak {n}", url=url, url_key=url, opened_at=to_iso(NOW),
                                         opened_by="U0DANA", notified_at=to_iso(NOW), severity="high",
                                         records_affected=40, findings=[finding], channel_id=f"C0INC{n}"),
                                fingerprints={"a_number": _fingerprints(url, 40), "name": _fingerprints(url + "n", 34)})
        records.add_event(number, "opened", "Incident opened", at=NOW, by="U0DANA")
        records.add_scan(number, ScanSummary(target=url, kind="xlsx", severity="high", records_affected=40,
                                             findings=[finding]), at=NOW, by="U0DANA")
        records.create_checklist(number, new_items())
        records.schedule(number, [Due("reminder:50", "reminder", NOW + timedelta(minutes=7), "takedown", {"pct": 50}),
                                  Due("poll", "poll", NOW + timedelta(minutes=1), "poll", {})])
    store.table("incidents").remove(2)  # a gap: #3 must stay #3 (its events, jobs, checklist say 3)
    records.change_checklist(3, lambda sheet: (add_item(sheet.items, "Ask the CDN to purge", by="U0LEE", at=to_iso(NOW)),
                                                apply_delta(sheet.items, {sheet.items[0].id, "custom-1"}, set(),
                                                            by="U0LEE", at=to_iso(NOW))))
    job = records.job(3, "reminder:50")
    assert records.claim(job.id, NOW + timedelta(minutes=8))
    records.finish(job.id, NOW + timedelta(minutes=8))
    records.modify(1, lambda incident: setattr(incident, "status", "closed"))
    records.add_event(3, "tick", "Ticked", at=NOW + timedelta(minutes=2), by="U0LEE", data={"item": "custom-1"})
    watch = watches.create(url=LEAK_URL, channel="C0WEB", user="U0SAM", interval_seconds=300, window_seconds=7200, now=NOW)
    watches.create(url=LEAK_URL + "#2", channel="C0WEB", user="U0SAM", interval_seconds=60, window_seconds=600, now=NOW)
    watches.finish(watch.number, "stopped", by="U0SAM", now=NOW + timedelta(minutes=3))
    assert Seen(store, clock=lambda: NOW).first_time("event:Ev0001")
    store.close()
    return key


def run_import(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The real command in a process of its own (the command line a user types)."""
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "bot", "store", "import", *args], env=full, cwd=env["HOME"],
                          capture_output=True, text=True, timeout=120, check=False)


def _with_password(url: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@", 1)


def _documents(url: str) -> int:
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('leakwatch_documents')").fetchone()[0] is None:
            return 0
        return conn.execute("SELECT count(*) FROM leakwatch_documents").fetchone()[0]


def _never_spread(output: str, key: str) -> None:
    assert not shown_in(output, (LEAK_URL, "example.gov", SAMPLE, key, PASSWORD, "C0INC", "U0DANA"))


def test_everything_reads_back_equal_through_the_typed_layers(postgres_server, tmp_path):
    path = tmp_path / "data" / "bot.json"
    key = fill(path)
    url = _with_password(postgres_server.new_database())
    env = {"HOME": str(tmp_path), "DATABASE_PATH": str(path), "DATABASE_URL": url}

    dry = run_import("--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run, nothing written" in dry.stdout and _documents(url) == 0
    done = run_import(env=env)
    assert done.returncode == 0, done.stderr
    _never_spread(dry.stdout + dry.stderr + done.stdout + done.stderr, key)
    counts = {line.split()[0]: int(line.split()[1].replace(",", "")) for line in done.stdout.splitlines()
              if line.startswith("  ")}
    tiny = Store(path, read_only=True)
    expected = {name: len(docs) for name, docs in tiny.snapshot().items()}
    assert counts == {**expected, "meta": 1, "total": sum(expected.values()) + 1}
    assert counts["incidents"] == 2 and counts["watches"] == 2 and counts["seen"] == 1
    assert dry.stdout.splitlines()[1:-2] == done.stdout.splitlines()[1:-2], "the dry run shows the same counts"

    pg = PostgresStore(url)
    try:
        old, new = IncidentRecords(tiny), IncidentRecords(pg)
        assert [i.number for i in new.all()] == [1, 3] and new.all() == old.all()
        for number in (1, 3):
            assert new.timeline(number) == old.timeline(number)
            assert new.checklist(number) == old.checklist(number)
            assert new.incident_jobs(number) == old.incident_jobs(number)
            assert new.fingerprints(number) == old.fingerprints(number) and len(new.fingerprints(number)["a_number"]) == 40
            assert new.scan_count(number) == old.scan_count(number) == 1
        ticked = [item.id for item in new.checklist(3).items if item.done]
        assert len(ticked) == 2 and "custom-1" in ticked
        assert new.job(3, "reminder:50").status == "done" and new.job(1, "reminder:50").status == "pending"
        assert new.open_by_url(f"{LEAK_URL}?v=3").number == 3
        assert [j.id for j in new.due_jobs(NOW + timedelta(hours=1))] == [j.id for j in old.due_jobs(NOW + timedelta(hours=1))]
        old_watches, new_watches = WatchStore(tiny), WatchStore(pg)
        assert [new_watches.get(n) for n in (1, 2)] == [old_watches.get(n) for n in (1, 2)]
        assert [w.number for w in new_watches.active()] == [2]
        assert not Seen(pg, clock=lambda: NOW).first_time("event:Ev0001"), "a retry after the move is still a retry"
        assert shared_fingerprint_key(pg) == key, "the replicas fingerprint as the bot did"
        assert {k: v for k, v in pg.snapshot().items() if k != "meta"} == tiny.snapshot()
        # new records continue after the highest id, never on an imported one
        assert new.create(Incident(opened_at=to_iso(NOW))) == 4
        assert new_watches.create(url=LEAK_URL, channel="C0WEB", user="U0SAM", interval_seconds=60,
                                  window_seconds=600, now=NOW).number == 3
        before = pg.snapshot()

        again = run_import(env=env)  # the files carry the note: not copied twice
        assert again.returncode == 2 and again.stdout == ""
        assert "was imported into PostgreSQL at 127.0.0.1:" in again.stderr
        assert len(again.stderr.strip().splitlines()) == 1
        _never_spread(again.stderr, key)
        (path.parent / "bot.json.moved").unlink()  # on purpose: then the target itself refuses
        again = run_import(env=env)
        assert again.returncode == 2 and again.stdout == ""
        assert "already holds records" in again.stderr and len(again.stderr.strip().splitlines()) == 1
        _never_spread(again.stderr, key)
        assert pg.snapshot() == before
    finally:
        pg.close()
        tiny.close()


def test_a_running_bot_refuses_the_import_until_it_stops(postgres_server, tmp_path):
    url = postgres_server.new_database()
    with SlackStandIn() as standin:
        bot = BotProcess(standin, tmp_path).start()
        try:
            env = {"HOME": str(tmp_path), "DATABASE_PATH": str(bot.database_path), "DATABASE_URL": url}
            refused = run_import(env=env)
            assert refused.returncode == 2 and refused.stdout == "" and "in use by a running bot" in refused.stderr
            assert f"process {bot.process.pid} " in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
            # a dry run beside the bot counts (the files are whole) and says why the import would be refused
            dry = run_import("--dry-run", env=env)
            assert dry.returncode == 2 and "would be refused now" in dry.stdout and "  total" in dry.stdout
            assert dry.stderr == refused.stderr
            assert _documents(url) == 0
            assert bot.process.poll() is None and holder(bot.database_path)["pid"] == bot.process.pid, \
                "the bot runs on, its lock untouched"
        finally:
            bot.stop()
    key = (tmp_path / "data" / "fingerprint.key").read_text().strip()
    done = run_import(env=env)
    assert done.returncode == 0, done.stderr
    pg = PostgresStore(url)
    try:
        assert shared_fingerprint_key(pg) == key
    finally:
        pg.close()


def test_a_bot_started_again_on_imported_files_refuses_with_one_sentence(postgres_server, tmp_path):
    """After the move, the one-process bot on the old files would not see what the replicas write:
    it refuses to start (exit 2, one sentence) until the note is deleted on purpose."""
    url = postgres_server.new_database()
    with SlackStandIn() as standin:
        old = BotProcess(standin, tmp_path)
        fill(old.database_path)
        done = run_import(env={"HOME": str(tmp_path), "DATABASE_PATH": str(old.database_path), "DATABASE_URL": url})
        assert done.returncode == 0, done.stderr
        note = old.database_path.with_name("bot.json.moved")
        assert note.stat().st_mode & 0o777 == 0o600
        started = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=old.env, capture_output=True,
                                 text=True, timeout=120, check=False)
        assert started.returncode == 2, started.stderr[-2000:]
        said = started.stderr.strip().splitlines()
        assert said[-1].startswith("leakwatch: The TinyDB database at ") and "run the bot with DATABASE_URL set" in said[-1]
        assert "Traceback" not in started.stderr and "bot.json.moved" in said[-1]
        assert not list(standin.calls_to("chat.postMessage")), "nothing said in Slack by a bot that did not start"
        note.unlink()  # on purpose: the files are usable again
        old.start()
        old.stop()


def test_a_target_that_is_not_empty_is_refused_even_in_a_dry_run(postgres_server, tmp_path):
    path = tmp_path / "data" / "bot.json"
    fill(path)
    url = postgres_server.new_database()
    pg = PostgresStore(url)
    try:
        shared_fingerprint_key(pg)  # a replica started first made its own key
        env = {"HOME": str(tmp_path), "DATABASE_PATH": str(path), "DATABASE_URL": url}
        for args in (("--dry-run",), ()):
            refused = run_import(*args, env=env)
            assert refused.returncode == 2 and "already holds records (meta 1)" in refused.stderr
            assert ("would be refused now" in refused.stdout) == bool(args)
        assert list(pg.snapshot()) == ["meta"]
    finally:
        pg.close()


def test_nothing_to_import_and_no_target_are_one_sentence(tmp_path):
    env = {"HOME": str(tmp_path), "DATABASE_PATH": str(tmp_path / "none" / "bot.json")}
    missing = run_import("--dry-run", env=env)
    assert missing.returncode == 2 and missing.stderr.startswith("leakwatch: There is no TinyDB database at ")
    assert not (tmp_path / "none").exists(), "nothing made where there was nothing"
    path = tmp_path / "data" / "bot.json"
    fill(path)
    env["DATABASE_PATH"] = str(path)
    no_target = run_import(env=env)
    assert no_target.returncode == 2 and "Set DATABASE_URL" in no_target.stderr
    dry = run_import("--dry-run", env=env)
    assert dry.returncode == 0 and "set DATABASE_URL to check the target too" in dry.stdout
    assert "from fingerprint.key beside the database" in dry.stdout and "FINGERPRINT_KEY is set" not in dry.stdout
    other = run_import("--dry-run", env={**env, "FINGERPRINT_KEY": "another-key-3f9a"})
    assert other.returncode == 0 and "FINGERPRINT_KEY is set here to another key" in other.stdout
    assert "another-key-3f9a" not in other.stdout
    nobody = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{free_port()}/leakwatch"  # no server listens there
    unreachable = run_import(env={**env, "DATABASE_URL": nobody})
    assert unreachable.returncode == 2 and "could not be read (OperationalError)" in unreachable.stderr
    assert PASSWORD not in unreachable.stderr and len(unreachable.stderr.strip().splitlines()) == 1
    (tmp_path / "data" / "fingerprint.key").write_bytes(b"\xff\xfe damaged")
    damaged = run_import("--dry-run", env=env)
    assert damaged.returncode == 2 and "fingerprint key beside" in damaged.stderr and "damaged" not in damaged.stderr
    usage = subprocess.run([sys.executable, "-m", "bot", "store"], env={**os.environ, "PYTHONPATH": str(ROOT)},
                           capture_output=True, text=True, timeout=60, check=False)
    assert usage.returncode == 2 and "import" in usage.stderr


def test_a_record_postgresql_refuses_leaves_the_target_empty(postgres_server, tmp_path, monkeypatch, capsys):
    from bot.stores.cli import main

    path = tmp_path / "data" / "bot.json"
    fill(path)
    store = Store(path)
    # a NUL character: valid JSON in the TinyDB file, refused by jsonb; in the last table copied
    WatchStore(store).create(url=LEAK_URL + "\x00", channel="C0WEB", user="U0SAM", interval_seconds=60,
                             window_seconds=600, now=NOW)
    store.close()
    url = postgres_server.new_database()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["import", "--database", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "refused a record of table watches" in err and "nothing was copied" in err
    assert LEAK_URL not in err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM leakwatch_documents").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM leakwatch_ids").fetchone()[0] == 0


def test_sigkill_mid_copy_leaves_the_target_empty_and_a_new_import_copies_all(postgres_server, tmp_path):
    path = tmp_path / "data" / "bot.json"
    fill(path)
    url = postgres_server.new_database()
    PostgresStore(url).close()  # the schema, so the test can hold the ids table
    env = {"HOME": str(tmp_path), "DATABASE_PATH": str(path), "DATABASE_URL": url}
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), **env}
    with psycopg.connect(url) as holder:
        # the import copies every document, then waits here to move the ids on: mid-copy
        holder.execute("LOCK TABLE leakwatch_ids IN SHARE MODE")
        process = subprocess.Popen([sys.executable, "-m", "bot", "store", "import"], env=full, cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            with psycopg.connect(url, autocommit=True) as watcher:
                wait_until(lambda: watcher.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'leakwatch_ids' AND NOT l.granted").fetchone()[0], 60, "the import mid-copy")
                process.send_signal(signal.SIGKILL)
                process.wait(10)
                holder.rollback()  # lets the dead client's backend run on, find its client gone, and roll back
                wait_until(lambda: watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = "
                    "'client backend' AND pid NOT IN (pg_backend_pid(), %s)", (holder.info.backend_pid,)
                ).fetchone()[0] == 0, 60, "the dead import's session to end")
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=10)
    assert _documents(url) == 0
    done = run_import(env=env)
    assert done.returncode == 0, done.stderr
    tiny = Store(path, read_only=True)
    assert _documents(url) == sum(len(docs) for docs in tiny.snapshot().values()) + 1  # + the key in meta


def test_an_open_incident_moves_and_the_replica_still_recognises_its_content(postgres_server, tmp_path):
    """The real bot opens an incident on TinyDB; after the import a bot on PostgreSQL carries it on.
    The file is then served changed (the same people, rows reversed: another hash), so only the
    fingerprints can tell it is still the leak: with another key the replica would call it taken
    down."""
    from tests.helpers.slack_requests import SlackRequests
    from tests.helpers.synthetic_leak import leak_csv, people
    from tests.helpers.webserver import WebServer

    rows = people(30, seed=83)
    env = {"TAKEDOWN_TARGET_MINUTES": "30", "TAKEDOWN_POLL_SECONDS": "1", "TIMER_UPDATE_SECONDS": "1"}
    url = postgres_server.new_database()
    with SlackStandIn() as standin, WebServer() as web:
        web.add("/exports/roster.csv", leak_csv(rows), content_type="text/csv")
        leak = web.url("/exports/roster.csv")
        one = BotProcess(standin, tmp_path / "one", env).start()
        try:
            assert SlackRequests(one.url, standin=standin).slash("/scan", leak, user_id="U0DANA").status == 200
            tiny = wait_until(lambda: (s := Store(one.database_path, read_only=True).snapshot()) and any(
                d.get("setup_complete") for d in s.get("incidents", {}).values()) and s, 30, "the incident's room")
        finally:
            one.stop()
        (number, opened), = tiny["incidents"].items()
        done = run_import(env={"HOME": str(tmp_path), "DATABASE_PATH": str(one.database_path), "DATABASE_URL": url})
        assert done.returncode == 0, done.stderr
        _never_spread(done.stdout, (tmp_path / "one" / "data" / "fingerprint.key").read_text().strip())

        web.add("/exports/roster.csv", leak_csv(rows[::-1]), content_type="text/csv")
        replica = BotProcess(standin, tmp_path / "replica", {**env, "DATABASE_URL": url}).start()
        try:
            pg = PostgresStore(url)
            try:
                def incident() -> dict:
                    return pg.table("incidents").get(int(number))

                def takedowns() -> list:
                    return [c for c in standin.calls_to("chat.postMessage") if "Takedown verified" in
                            c.params.get("text", "") and c.params.get("channel") == opened["channel_id"]]

                checked = wait_until(lambda: "still carries" in ((incident().get("last_check") or {}).get("reason") or ""),
                                     30, "a check of the changed file by the replica")
                assert checked and incident()["status"] == "open" and incident()["channel_id"] == opened["channel_id"]
                web.remove("/exports/roster.csv")
                wait_until(lambda: takedowns(), 30, "the takedown, posted by the replica")
                assert incident()["status"] == "down"
                events = {str(e.id): dict(e) for e in pg.table("events").search(where={"incident": int(number)})}
                assert {k: v for k, v in events.items() if k in tiny["events"]} == tiny["events"]
                assert "takedown" in [e["kind"] for k, e in events.items() if k not in tiny["events"]], \
                    "the timeline carries on after the imported events, under new ids"
            finally:
                pg.close()
        finally:
            replica.stop()
        assert len(takedowns()) == 1, "proven once"
