"""`python -m bot affected`: the organisation's records against an incident's fingerprints.

The leak is scanned by the real scanner with a fixed key; the incident is written to a database
file as the bot keeps it; the organisation's records are a different file (other columns, other
spelling of the numbers, more people, a lawyer column) written here by hand.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from bot.config import ScanSettings
from bot.incidents.records import IncidentRecords, summarize_report
from bot.model import Incident
from bot.scan.pipeline import scan_bytes
from bot.store import Store
from tests.helpers.synthetic_leak import leak_csv, people, raw_values

ROOT = Path(__file__).resolve().parents[2]
KEY = "affected-test-key"


def run_affected(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("FINGERPRINT_KEY", "DATABASE_PATH")}
    full.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "bot", "affected", *args], capture_output=True, text=True,
                          timeout=180, cwd=ROOT, env=full)


def make_database(tmp_path: Path, leaked) -> Path:
    settings = ScanSettings.from_env({"FINGERPRINT_KEY": KEY})
    report = scan_bytes(leak_csv(leaked), target="roster.csv", settings=settings, name="roster.csv")
    assert report.incident
    summary = summarize_report(report)
    incident = Incident(number=3, url="https://example.gov/files/roster.csv", opened_at="2026-11-03T18:40:11+00:00",
                        notified_at="2026-11-03T18:58:11+00:00", severity=summary.severity,
                        records_affected=summary.records_affected, findings=summary.findings)
    database = tmp_path / "data" / "bot.json"
    records = IncidentRecords(Store(database))
    for _ in range(3):  # incident #3, with every one of its fingerprints
        number = records.create(incident, fingerprints=summary.fingerprints)
    assert number == 3
    (database.parent / "fingerprint.key").write_text(KEY + "\n", encoding="utf-8")
    return database


def org_records(everyone, lawyers: dict[int, str]) -> bytes:
    """The organisation's case file: other column order and headers, dashed numbers, a lawyer column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    sheet.append(["Case ID", "Family name", "Given name", "Alien Registration No.", "Attorney of record", "Office"])
    for index, person in enumerate(everyone):
        digits = person.a_number[1:]
        sheet.append([f"C-{1000 + index}", person.last, person.first, f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}",
                      lawyers.get(index, ""), "North"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_notification_list_holds_exactly_the_leaked_people(tmp_path):
    everyone = people(60, seed=11)
    leaked = everyone[:40]
    database = make_database(tmp_path, leaked)
    lawyers = {i: ("Ortiz & Lee LLP" if i % 3 else "Legal Aid Society") for i in range(0, 60) if i % 5}
    records = tmp_path / "cases.xlsx"
    records.write_bytes(org_records(everyone, lawyers))
    out = tmp_path / "lists"
    done = run_affected("--incident", "3", "--records", str(records), "--database", str(database),
                        "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rows_read"] == 60
    assert result["rows_matched"] == 40
    assert result["by_type"]["A_NUMBER"] == 40
    assert result["representative_columns"] == ["Attorney of record"]
    assert result["with_representative"] == sum(1 for i in lawyers if i < 40)
    with (out / "notification-list.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    listed = {row[5] for row in rows[2:]}                 # the A-number column, as the records spell it
    expected = {f"A-{p.a_number[1:4]}-{p.a_number[4:7]}-{p.a_number[7:]}" for p in leaked}
    assert listed == expected, f"{len(listed ^ expected)} rows differ"   # counts only, never the values
    with (out / "by-attorney-of-record.csv").open(encoding="utf-8") as fh:
        grouped = list(csv.reader(fh))[1:]
    assert [r[0] for r in grouped] == sorted((r[0] for r in grouped), key=str.casefold)
    assert len(grouped) == result["with_representative"]
    assert oct((out / "notification-list.csv").stat().st_mode & 0o777) == "0o600"


def test_the_printed_summary_is_counts_only(tmp_path):
    everyone = people(30, seed=5)
    database = make_database(tmp_path, everyone[:20])
    records = tmp_path / "cases.xlsx"
    records.write_bytes(org_records(everyone, {0: "Legal Aid Society"}))
    done = run_affected("--incident", "3", "--records", str(records), "--out", str(tmp_path / "o"),
                        env={"DATABASE_PATH": str(database)})
    assert done.returncode == 0, done.stderr
    assert "20 of 20 people matched" in done.stdout
    assert "1 with a lawyer or representative on record" in done.stdout
    for value in raw_values(everyone) + ["Legal Aid Society"]:
        assert value not in done.stdout + done.stderr


def test_a_wrong_key_matches_nobody_and_missing_things_say_one_sentence(tmp_path):
    everyone = people(10, seed=3)
    database = make_database(tmp_path, everyone)
    records = tmp_path / "cases.xlsx"
    records.write_bytes(org_records(everyone, {}))
    wrong = run_affected("--incident", "3", "--records", str(records), "--database", str(database),
                         "--fingerprint-key", "another-key", "--out", str(tmp_path / "o"), "--json")
    assert json.loads(wrong.stdout)["rows_matched"] == 0
    for args, words in ((["--incident", "9"], "no incident #9"), (["--incident", "3", "--database", str(tmp_path / "x.json")],
                                                                   "could not be read")):
        done = run_affected(*args, "--records", str(records), *([] if "--database" in args else ["--database", str(database)]))
        assert done.returncode == 2 and words in done.stderr.lower() and "Traceback" not in done.stderr
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 20)
    done = run_affected("--incident", "3", "--records", str(garbage), "--database", str(database))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_post_sends_only_the_counts_to_the_incident_channel(tmp_path):
    from tests.helpers.slack_standin import SlackStandIn

    everyone = people(12, seed=9)
    database = make_database(tmp_path, everyone[:8])
    records = tmp_path / "cases.xlsx"
    records.write_bytes(org_records(everyone, {1: "Legal Aid Society"}))
    with SlackStandIn() as standin:
        channel = standin.add_channel("inc-pii-roster", private=True)
        store = Store(database)
        store.table("incidents").update(3, {"channel_id": channel})
        store.close()
        done = run_affected("--incident", "3", "--records", str(records), "--database", str(database),
                            "--out", str(tmp_path / "o"), "--post", "--json",
                            env={"SLACK_BOT_TOKEN": standin.bot_token, "SLACK_SIGNING_SECRET": "test-secret",
                                 "SLACK_API_URL": standin.api_url})
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["posted"] is True
        posted = standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == channel)
        assert "8 of 8 people matched" in posted.params["text"]
        assert "1 with a lawyer or representative on record" in posted.params["text"]
        recorded = standin.recorded_text()
        for value in raw_values(everyone) + ["Legal Aid Society"]:
            assert value not in recorded
