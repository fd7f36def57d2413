"""Transactions on the embedded store (bot/stores/batch.py): a transaction's writes land whole or
not at all, across files too. Another process reading the files sees none of them until the end;
an exception rolls them back; a real SIGKILL mid-way (before or after the journal is in place)
leaves, after the next start, either nothing or everything."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.store import Store
from bot.stores.batch import journal_path


def on_disk(path: Path) -> dict:
    """What another process sees: the files as they are now, read-only."""
    reader = Store(path, read_only=True)
    try:
        return reader.snapshot()
    finally:
        reader.close()


def seeded(path: Path) -> tuple[Store, int]:
    store = Store(path)
    number = store.table("incidents").insert({"status": "open"})
    store.table("checklist").insert({"incident": number, "items": [{"id": "a", "done": False}]})
    return store, number


def tick_with_entry(store: Store, number: int, *, then=None) -> None:
    """One logical change in two files: the tick (the incident's file) and a fingerprint row."""
    with store.transaction(f"checklist:{number}"):
        sheet = store.table("checklist").first(where={"incident": number})
        store.table("checklist").modify(sheet.id, lambda doc: doc["items"][0].update(done=True))
        store.table("events").insert({"incident": number, "kind": "tick"})
        store.table("fingerprints").insert({"incident": number, "value": "k1"})
        if then is not None:
            then()


def test_other_processes_see_nothing_until_the_end_then_everything(tmp_path):
    path = tmp_path / "bot.json"
    store, number = seeded(path)
    seen_midway: list[dict] = []
    tick_with_entry(store, number, then=lambda: seen_midway.append(on_disk(path)))
    midway = seen_midway[0]
    assert midway.get("events", {}) == {} and midway.get("fingerprints", {}) == {}
    assert not next(iter(midway["checklist"].values()))["items"][0]["done"]
    after = on_disk(path)
    assert len(after["events"]) == 1 and len(after["fingerprints"]) == 1
    assert next(iter(after["checklist"].values()))["items"][0]["done"]
    assert not journal_path(path).exists()


def test_this_process_reads_its_own_writes_inside(tmp_path):
    store, number = seeded(tmp_path / "bot.json")
    counted: list[int] = []
    tick_with_entry(store, number, then=lambda: counted.append(len(store.table("events").search(where={"incident": number}))))
    assert counted == [1]


def test_an_exception_rolls_back_every_file_and_ids_are_not_reused(tmp_path):
    path = tmp_path / "bot.json"
    store, number = seeded(path)
    before = on_disk(path)

    def fail() -> None:
        raise RuntimeError("Slack went away")

    with pytest.raises(RuntimeError):
        tick_with_entry(store, number, then=fail)
    assert store.snapshot() == before == on_disk(path)
    assert store.table("events").all() == [] and store.table("fingerprints").all() == []
    event_id = store.table("events").insert({"incident": number, "kind": "note"})
    assert event_id == 2  # id 1 was handed out inside the rolled-back transaction
    assert on_disk(path)["events"] == {"2": {"incident": number, "kind": "note"}}


def test_nested_transactions_land_with_the_outer_one(tmp_path):
    path = tmp_path / "bot.json"
    store, number = seeded(path)
    with store.transaction("outer"):
        with store.transaction("inner"):
            store.table("events").insert({"incident": number, "kind": "inner"})
        assert on_disk(path).get("events", {}) == {}
    assert len(on_disk(path)["events"]) == 1


def _second_file_write_fails(monkeypatch) -> None:
    from bot.stores.atomic import AtomicJSONStorage

    real = AtomicJSONStorage.write_encoded
    calls = []

    def second_fails(self, payload):
        calls.append(self.path.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, payload)

    monkeypatch.setattr(AtomicJSONStorage, "write_encoded", second_fails)


def test_a_failed_file_write_after_the_journal_is_finished_from_it_at_once(tmp_path, monkeypatch):
    path = tmp_path / "bot.json"
    store, number = seeded(path)
    _second_file_write_fails(monkeypatch)
    tick_with_entry(store, number)  # committed: the journal finished what the file write did not
    for seen in (store.snapshot(), on_disk(path)):
        assert len(seen["events"]) == 1 and len(seen["fingerprints"]) == 1
    assert not journal_path(path).exists() and store.health()["writable"] is True


def test_when_the_journal_cannot_be_finished_writes_stop_and_a_restart_finishes_it(tmp_path, monkeypatch):
    from bot.stores import batch

    path = tmp_path / "bot.json"
    store, number = seeded(path)
    _second_file_write_fails(monkeypatch)

    def disk_full(_database):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch, "replay", disk_full)
    with pytest.raises(OSError):
        tick_with_entry(store, number)
    monkeypatch.undo()
    assert journal_path(path).exists()
    assert store.health()["writable"] is False
    with pytest.raises(PermissionError):
        store.table("incidents").update(number, {"status": "phantom"})
    assert store.table("incidents").get(number)["status"] == "open", "a refused write is not read back"
    half = on_disk(path)  # one file written, the other not: only the journal knows the whole
    assert bool(half.get("events")) != bool(half.get("fingerprints"))
    store.close()
    again = Store(path)
    assert len(again.table("events").all()) == 1 and len(again.table("fingerprints").all()) == 1
    assert again.table("checklist").first(where={"incident": number})["items"][0]["done"]
    assert not journal_path(path).exists() and again.health()["writable"] is True


CHILD = textwrap.dedent("""
    import os, signal, sys
    from bot.store import Store
    from bot.stores import atomic, batch
    from tests.test_store_transactions import tick_with_entry
    path, number, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    store = Store(path)
    if where == "after-journal":  # the journal is in place; the first file is about to be replaced
        atomic.AtomicJSONStorage.write_encoded = lambda self, payload: os.kill(os.getpid(), signal.SIGKILL)
    else:  # the journal's temporary file is written, not yet renamed into place
        real = batch.private_temp_file
        def then_die(folder, prefix, payload):
            real(folder, prefix, payload)
            os.kill(os.getpid(), signal.SIGKILL)
        batch.private_temp_file = then_die
    tick_with_entry(store, number)
    print("not killed")
""")


@pytest.mark.parametrize(("where", "landed"), [("after-journal", True), ("before-journal", False)])
def test_sigkill_mid_commit_leaves_nothing_or_everything_after_a_restart(tmp_path, where, landed):
    path = tmp_path / "bot.json"
    store, number = seeded(path)
    store.close()
    child = subprocess.run([sys.executable, "-c", CHILD, str(path), str(number), where], capture_output=True,
                           text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert child.returncode == -9, child.stderr[-2000:]
    assert journal_path(path).exists() == landed
    again = Store(path)  # the next start
    assert len(again.table("events").all()) == len(again.table("fingerprints").all()) == int(landed)
    assert again.table("checklist").first(where={"incident": number})["items"][0]["done"] is landed
    assert not journal_path(path).exists()
    leftovers = [p.name for p in tmp_path.rglob("*.tmp")]
    assert leftovers == []


def test_an_unreadable_journal_is_set_aside(tmp_path, caplog):
    path = tmp_path / "bot.json"
    store, number = seeded(path)
    store.close()
    journal_path(path).write_text("{not json")
    again = Store(path)
    assert again.table("incidents").get(number) is not None
    assert not journal_path(path).exists() and journal_path(path).with_suffix(".journal.corrupt").exists()
    assert "unreadable" in caplog.text


def test_a_journal_naming_a_file_outside_the_data_folder_is_refused(tmp_path):
    path = tmp_path / "data" / "bot.json"
    Store(path).close()
    journal_path(path).write_text(json.dumps({"files": {"../outside.json": "{}"}}))
    with pytest.raises(ValueError, match="outside the data folder"):
        Store(path)
    assert not (tmp_path / "outside.json").exists()


def test_the_import_to_postgresql_finishes_a_journal_before_it_copies(tmp_path, monkeypatch):
    """`python -m bot store import` reads the files under the writer's lock: a transaction a crash
    left in the journal is finished first, never copied half (the files are marked moved after)."""
    from bot.stores import batch
    from bot.stores.importing import read_source

    path = tmp_path / "bot.json"
    store, number = seeded(path)
    _second_file_write_fails(monkeypatch)
    monkeypatch.setattr(batch, "replay", lambda _database: (_ for _ in ()).throw(OSError(28, "full")))
    with pytest.raises(OSError):
        tick_with_entry(store, number)
    monkeypatch.undo()
    store.close()
    with read_source(path) as source:
        copied = source.tables
    assert len(copied["events"]) == 1 and len(copied["fingerprints"]) == 1
    assert not journal_path(path).exists()
