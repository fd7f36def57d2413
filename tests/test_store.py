"""The store: atomic writes, backup fallback, owner-only files, one lock, and SIGKILL safety."""

from __future__ import annotations

import json
import logging
import os
import random
import stat

import pytest

from bot.store import Store
from tests.helpers.store_load import Acknowledged, killed_writer
from tests.helpers.threads import run_at_once


def test_insert_get_modify_and_copies(tmp_path):
    store = Store(tmp_path / "data" / "bot.json")
    incidents = store.table("incidents")
    doc_id = incidents.insert({"status": "open", "items": [1]})
    record = incidents.get(doc_id)
    assert record.id == doc_id and record["status"] == "open"
    record["items"].append(2)  # a copy: the store must not change
    assert incidents.get(doc_id)["items"] == [1]
    incidents.modify(doc_id, lambda doc: doc.pop("items"))
    assert incidents.get(doc_id) == {"status": "open"}
    assert incidents.search(lambda d: d["status"] == "open")[0].id == doc_id
    assert incidents.count() == 1
    assert incidents.get(doc_id + 100) is None


def test_a_failing_change_writes_nothing(tmp_path):
    store = Store(tmp_path / "bot.json")
    table = store.table("checklist")
    doc_id = table.insert({"ticks": 0})

    def broken(doc):
        doc["ticks"] = 99
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        table.modify(doc_id, broken)
    assert table.get(doc_id)["ticks"] == 0
    assert Store(tmp_path / "bot.json").table("checklist").get(doc_id)["ticks"] == 0


def test_file_is_owner_only_and_survives_reopen(tmp_path):
    folder = tmp_path / "data"
    store = Store(folder / "bot.json")
    store.table("meta").insert({"status": "open"})
    assert stat.S_IMODE(os.stat(folder / "bot.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    again = Store(folder / "bot.json")
    assert [r["status"] for r in again.table("meta").all()] == ["open"]


def test_previous_good_file_is_kept_as_backup(tmp_path):
    path = tmp_path / "bot.json"
    store = Store(path)
    table = store.table("meta")
    table.insert({"n": 1})
    table.insert({"n": 2})
    backup = json.loads((tmp_path / "bot.json.bak").read_text())
    assert [d["n"] for d in backup["meta"].values()] == [1]
    assert stat.S_IMODE(os.stat(tmp_path / "bot.json.bak").st_mode) == 0o600


@pytest.mark.parametrize("damage", [b"", b'{"meta": {"1": {"n"', b"\x00\x00\x00", b"[1, 2]"])
def test_corrupt_main_file_falls_back_to_backup_with_one_log_line(tmp_path, caplog, damage):
    path = tmp_path / "bot.json"
    store = Store(path)
    store.table("meta").insert({"n": 1})
    store.table("meta").insert({"n": 2})
    path.write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        recovered = Store(path)
    assert [d["n"] for d in recovered.table("meta").all()] == [1]
    assert len([r for r in caplog.records if r.name == "bot.store"]) == 1
    assert (tmp_path / "bot.json.corrupt").read_bytes() == damage
    # the next write must not turn the bad file into the backup
    recovered.table("meta").insert({"n": 3})
    assert [d["n"] for d in Store(path).table("meta").all()] == [1, 3]
    assert [d["n"] for d in json.loads((tmp_path / "bot.json.bak").read_text())["meta"].values()] == [1]


def test_both_files_corrupt_starts_empty_and_keeps_evidence(tmp_path, caplog):
    path = tmp_path / "bot.json"
    path.write_bytes(b"{broken")
    (tmp_path / "bot.json.bak").write_bytes(b"{also broken")
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        store = Store(path)
    assert store.table("meta").all() == []
    assert len(caplog.records) == 1
    assert (tmp_path / "bot.json.corrupt").read_bytes() == b"{broken"


def test_parallel_read_modify_write_loses_nothing(tmp_path):
    store = Store(tmp_path / "bot.json")
    table = store.table("checklist")
    doc_id = table.insert({"ticks": []})

    def ticker(worker):
        for n in range(10):
            table.modify(doc_id, lambda doc, item=f"{worker}-{n}": doc["ticks"].append(item))

    run_at_once(ticker, 8)
    assert len(Store(tmp_path / "bot.json").table("checklist").get(doc_id)["ticks"]) == 80


# -- SIGKILL during heavy writes -------------------------------------------------------------------

KILLS = 40


def test_sigkill_during_heavy_writes_40_times_loses_no_acknowledged_write(tmp_path):
    """40 kills at random moments (bench/store_writes.py runs 100 per store and prints the count)."""
    path = tmp_path / "data" / "bot.json"
    rng = random.Random(5)
    acked = Acknowledged()
    for round_no in range(KILLS):
        acked.note(killed_writer(lambda: Store(path), round_no, want=rng.randint(1, 12), wait=10,
                                 pause=rng.random() * 0.004))
        store = Store(path)  # must always load
        stored_ids = {r.id for r in store.table("incidents").all()}
        missing = acked.incidents - stored_ids
        assert not missing, f"round {round_no}: {len(missing)} acknowledged incidents lost"
        for sheet, ticks in acked.ticks.items():
            items = next(d for d in store.table("checklist").all() if d["incident"] == sheet)["items"]
            stored = {item["id"] for item in items if item["done"]}
            assert ticks <= stored, f"round {round_no}: {len(ticks - stored)} acknowledged ticks lost"
        store.close()
    assert len(acked.incidents) >= KILLS
    leftovers = [p.name for folder in (path.parent, path.parent / "bot.json.d") for p in folder.iterdir()
                 if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1


def test_an_existing_shared_folder_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    Store(shared / "bot.json").table("meta").insert({"n": 1})
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o755
    assert stat.S_IMODE(os.stat(shared / "bot.json").st_mode) == 0o600


def test_fingerprint_key_is_made_once_and_kept_private(tmp_path):
    from bot.store import fingerprint_key_beside

    first = fingerprint_key_beside(tmp_path / "data" / "bot.json")
    assert len(first) == 64 and fingerprint_key_beside(tmp_path / "data" / "bot.json") == first
    assert stat.S_IMODE(os.stat(tmp_path / "data" / "fingerprint.key").st_mode) == 0o600
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["fingerprint.key"]
