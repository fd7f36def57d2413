"""The embedded store's layout: one file per incident (a write touches only its own incident's
file), an old single-file database split once, the writer's lock, and read-only opening."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import Store
from bot.stores import lock as writer_lock


def _files(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.suffix == ".json"}


def test_each_incident_has_its_own_file_and_a_write_touches_only_that_one(tmp_path):
    store = Store(tmp_path / "bot.json")
    incidents, jobs = store.table("incidents"), store.table("jobs")
    numbers = [incidents.insert({"status": "open"}) for _ in range(5)]
    job_ids = [jobs.insert({"incident": n, "status": "pending"}) for n in numbers]
    folder = tmp_path / "bot.json.d"
    assert set(_files(folder)) == {f"incident-{n:06d}.json" for n in numbers}
    before = _files(folder)
    jobs.update(job_ids[2], {"status": "done"})
    after = _files(folder)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {f"incident-{numbers[2]:06d}.json"}
    stored = json.loads((folder / f"incident-{numbers[2]:06d}.json").read_text())
    assert stored["jobs"][str(job_ids[2])]["status"] == "done" and str(numbers[2]) in stored["incidents"]
    again = Store(tmp_path / "bot.json")
    assert [r.id for r in again.table("jobs").search(where={"incident": numbers[2]})] == [job_ids[2]]
    assert again.table("incidents").insert({"status": "open"}) == numbers[-1] + 1  # ids go on across files


def test_an_old_single_file_database_is_split_once(tmp_path):
    path = tmp_path / "bot.json"
    path.write_text(json.dumps({
        "incidents": {"1": {"status": "open", "title": "old"}, "2": {"status": "closed"}},
        "events": {"1": {"incident": 1, "kind": "open"}, "2": {"incident": 2, "kind": "close"}},
        "watches": {"3": {"status": "active", "url": "https://example.gov/"}},
        "seen": {"1": {"key": "event:Ev1"}},
    }))
    store = Store(path)
    assert store.table("incidents").get(1)["title"] == "old"
    assert [e["kind"] for e in store.table("events").search(where={"incident": 2})] == ["close"]
    assert store.table("watches").get(3)["url"] == "https://example.gov/"
    live = json.loads(path.read_text())
    assert set(live) == {"seen"} or not live.get("incidents")
    assert {p.name for p in (tmp_path / "bot.json.d").iterdir() if p.suffix == ".json"} == {
        "incident-000001.json", "incident-000002.json", "watch-000003.json"}
    assert Store(path).table("events").count() == 2  # nothing doubled by a second start


def test_a_read_only_store_reads_beside_the_writer_and_cannot_write(tmp_path):
    writer = Store(tmp_path / "bot.json")
    writer.table("incidents").insert({"status": "open"})
    reader = Store(tmp_path / "bot.json", read_only=True)
    assert reader.table("incidents").get(1)["status"] == "open"
    with pytest.raises(PermissionError):
        reader.table("incidents").insert({"status": "open"})
    assert reader.health()["writable"] is False and writer.health() == {"store": "tinydb", "writable": True,
                                                                          "files": 2}


HOLD = """
import sys, time
from bot.store import Store
Store(sys.argv[1], exclusive=True)
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_writer_is_refused_with_one_sentence_naming_the_first(tmp_path):
    path = tmp_path / "data" / "bot.json"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(writer_lock.StoreInUse) as refused:
            Store(path, exclusive=True)
        sentence = str(refused.value)
        assert f"process {holder.pid}" in sentence and "\n" not in sentence and "DATABASE_URL" in sentence
        assert Store(path, read_only=True).table("incidents").all() == []  # reading is still fine
    finally:
        holder.kill()
        holder.wait()
    Store(path, exclusive=True)  # the kernel dropped the dead process's lock: no stale lock
    writer_lock.release_all()
