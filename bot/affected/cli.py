"""`python -m bot affected --incident N --records FILE [--out DIR] [--json]`: who must be told.

Run inside the organisation, beside the bot's database: reads the organisation's own records
(any format the scanner reads), finds the rows that carry the incident's keyed fingerprints
(bot/affected/match.py) and writes them to `--out` (default `affected-incident-N/`, owner-only):
`notification-list.csv`, and `by-<column>.csv` per lawyer or representative column, grouped by
it. It prints counts only ("6,252 of 6,252 people matched; 6,240 with a lawyer on record"), and
with `--post` the bot says the same counts, and nothing else, in the incident channel.

The incident is read from the database file without opening it for writing (a running bot keeps
writing it); the fingerprint key is `--fingerprint-key`, else FINGERPRINT_KEY, else the key kept
beside the database. Exit 0 when the records were read, 2 with one sentence when not.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

from bot.affected.match import Matches, match_records, representative_groups
from bot.config import ScanSettings, database_path_from_env
from bot.errors import LeakwatchError
from bot.model import Incident
from bot.scan.detectors import label as type_label

MAX_RECORDS_BYTES = 2_000_000_000
READ_SECONDS = 1800


class Refused(LeakwatchError):
    code = "affected"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot affected",
                                     description="The organisation's own records that hold the incident's people.")
    parser.add_argument("--incident", required=True, type=int, metavar="N", help="the incident number (#N)")
    parser.add_argument("--records", required=True, metavar="FILE", help="your records: xlsx, csv, json, sql...")
    parser.add_argument("--out", metavar="DIR", help="where to write the lists (default affected-incident-N)")
    parser.add_argument("--database", metavar="PATH", help="the bot's database (else DATABASE_PATH, ./data/bot.json)")
    parser.add_argument("--fingerprint-key", metavar="KEY", help="else FINGERPRINT_KEY, else the key beside the database")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--post", action="store_true",
                        help="post the counts (only the counts) to the incident channel with the bot's token (.env)")
    return parser


#: what an incident stored before every fingerprint was kept held per type
OLD_SAMPLE = 200


def load_incident(database: Path, number: int) -> tuple[Incident, dict[str, set[str]]]:
    """The incident and every one of its fingerprints, from the bot's store opened read-only (safe
    beside a running bot)."""
    from bot.incidents.records import IncidentRecords
    from bot.store import Store

    if not database.exists():
        raise Refused(f"The bot's database could not be read at {database} (set --database or DATABASE_PATH).")
    records = IncidentRecords(Store(database, read_only=True))
    incident = records.get(number)
    if incident is None:
        raise Refused(f"There is no incident #{number} in {database}.")
    return incident, records.fingerprints(number)


def fingerprint_key(args, database: Path) -> bytes:
    key = args.fingerprint_key or ScanSettings.from_env().fingerprint_key
    if not key:
        try:
            key = database.with_name("fingerprint.key").read_text(encoding="utf-8").strip()
        except OSError:
            key = ""
    if not key:
        raise Refused("No fingerprint key: give --fingerprint-key or FINGERPRINT_KEY, the bot's own key.")
    return key.encode("utf-8")


def read_records(path: Path):
    from bot.scan.limits import Deadline, ReadLimits
    from bot.scan.readers import read_document

    try:
        size = path.stat().st_size
        if size > MAX_RECORDS_BYTES:
            raise Refused(f"{path.name} is {size:,} bytes, more than the {MAX_RECORDS_BYTES:,} this reads.")
        data = path.read_bytes()
    except OSError as err:
        raise Refused(f"{path} could not be read ({err.strerror}).") from None
    return read_document(data, name=path.name, limits=ReadLimits(), deadline=Deadline(READ_SECONDS))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "column"


def _private_writer(path: Path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "w", newline="", encoding="utf-8")


def write_lists(matches: Matches, out: Path) -> list[str]:
    """notification-list.csv and by-<column>.csv per representative column; returns the file names."""
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = ["notification-list.csv"]
    width = max((len(t.header) for t in matches.tables), default=0)
    with _private_writer(out / written[0]) as handle:
        writer = csv.writer(handle)
        writer.writerow(["table", "matched by", *[f"column {i + 1}" for i in range(width)]])
        for table in matches.tables:
            if table.rows and table.header:
                writer.writerow([table.name, "(header)", *table.header])
            for row, kinds in zip(table.rows, table.row_types, strict=True):
                writer.writerow([table.name, " ".join(sorted(kinds)), *row])
    for table in matches.tables:
        for column in table.representative_columns:
            name = f"by-{_slug(table.header[column])}.csv"
            with _private_writer(out / name) as handle:
                writer = csv.writer(handle)
                writer.writerow([table.header[column], *table.header])
                for value, rows in representative_groups(table, column):
                    writer.writerows([value, *row] for row in rows)
            written.append(name)
    return written


def counts(incident: Incident, matches: Matches, files: list[str], fingerprints: dict[str, set[str]]) -> dict:
    by_type: dict[str, int] = {}
    represented = 0
    columns = []
    for table in matches.tables:
        columns += [table.header[c] for c in table.representative_columns]
        for row, kinds in zip(table.rows, table.row_types, strict=True):
            for kind in kinds:
                by_type[kind] = by_type.get(kind, 0) + 1
            if any(c < len(row) and row[c].strip() for c in table.representative_columns):
                represented += 1
    # an incident stored before every fingerprint was kept holds a sample of 200 per type
    sample = any(len(fps) == OLD_SAMPLE and next((f.count for f in incident.findings if f.type == kind), 0)
                 > len(fps) for kind, fps in fingerprints.items())
    return {"incident": incident.number, "people_in_incident": incident.records_affected,
            "rows_read": matches.rows_read, "rows_matched": matches.rows, "by_type": dict(sorted(by_type.items())),
            "representative_columns": columns, "with_representative": represented if columns else None,
            "prose_parts_not_matched": matches.text_parts, "fingerprints_are_a_sample": sample,
            "files": files, "error": None}


def sentence(result: dict) -> str:
    """What the bot may post: counts only."""
    text = (f"{result['rows_matched']:,} of {result['people_in_incident']:,} people matched in the organisation's "
            f"records ({result['rows_read']:,} rows read)")
    if result["with_representative"] is not None:
        text += f"; {result['with_representative']:,} with a lawyer or representative on record"
    kinds = ", ".join(f"{type_label(k)} {n:,}" for k, n in result["by_type"].items())
    return text + (f". Matched by: {kinds}." if kinds else ".")


def post_counts(incident: Incident, result: dict) -> str | None:
    """The counts sentence in the incident channel, through the one Slack wrapper; an error sentence or None."""
    from bot.config import Settings
    from bot.slack.client import SlackGateway, make_web_client

    if not incident.channel_id:
        return f"incident #{incident.number} has no channel to post in"
    try:
        settings = Settings.from_env()
        gateway = SlackGateway(make_web_client(settings), settings)
        gateway.post(incident.channel_id, f":busts_in_silhouette: *Who must be told* (`python -m bot affected`, run "
                                          f"inside the organisation): {sentence(result)}")
    except LeakwatchError as err:
        return str(err)
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    database = Path(args.database or database_path_from_env())
    out = Path(args.out or f"affected-incident-{args.incident}")
    try:
        incident, fingerprints = load_incident(database, args.incident)
        if not fingerprints:
            raise Refused(f"Incident #{args.incident} keeps no fingerprints (it was not opened from a scan).")
        key = fingerprint_key(args, database)
        matches = match_records(read_records(Path(args.records)), fingerprints, key)
        result = counts(incident, matches, write_lists(matches, out), fingerprints)
        if args.post:
            problem = post_counts(incident, result)
            result.update(posted=problem is None, post_error=problem)
    except LeakwatchError as err:
        result = {"incident": args.incident, "error": str(err)}
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif result["error"]:
        print(f"leakwatch: {result['error']}", file=sys.stderr)
    else:
        print(sentence(result))
        if result["fingerprints_are_a_sample"]:
            print("Note: the incident keeps a sample of its fingerprints, so people outside it are not recognised.")
        print(f"Written to {out}/: {', '.join(result['files'])} (personal data: keep them inside the organisation).")
        if args.post:
            print("Posted the counts to the incident channel." if result["posted"]
                  else f"leakwatch: the counts were not posted: {result['post_error']}", file=sys.stdout if result["posted"] else sys.stderr)
    return 2 if result["error"] else 0
