"""`python -m bot store import [--database PATH] [--dry-run]`: a one-process bot's TinyDB store copied
into the PostgreSQL database its replicas will share (bot/stores/importing.py; docs/deploy.md).

Reads DATABASE_PATH (or `--database`) and DATABASE_URL from the environment and `.env`; the URL is
never taken on the command line (it may hold a password) and never printed. Prints the records per
table and where the fingerprint key came from, never a record's content. Exit 0 when copied (or,
with `--dry-run`, when it would be), 2 with one sentence when refused: no database, a bot still
running on it, a target that is not empty, a record PostgreSQL refuses. Nothing is written then.
`--dry-run` writes nothing, may run beside the bot, and prints the counts and then every reason the
import would be refused now (one sentence each on stderr, exit 2).
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot.config import ScanSettings, database_path_from_env, database_url_from_env
from bot.errors import ConfigError
from bot.stores.importing import Plan, Refused, copy_into, plan, read_source


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot store",
                                     description="The bot's store. Exit 0: done; 2: refused (one sentence, nothing written).")
    commands = parser.add_subparsers(dest="command", required=True)
    copy = commands.add_parser(
        "import", help="copy the TinyDB files at DATABASE_PATH into the PostgreSQL at DATABASE_URL",
        description="Copy everything the one-process bot kept (incidents, timelines, checklists, jobs, watches, "
        "dedupe records, the fingerprint key) from the TinyDB files at DATABASE_PATH into the empty PostgreSQL "
        "database at DATABASE_URL, in one transaction, before the replicas first start. Stop the bot first. "
        "Exit 0: copied; 2: refused, nothing written.")
    copy.add_argument("--database", metavar="PATH", help="the TinyDB database (else DATABASE_PATH, ./data/bot.json)")
    copy.add_argument("--dry-run", action="store_true",
                      help="print the counts and every reason the import would be refused now (exit 2 then); "
                      "write nothing; may run beside the bot; DATABASE_URL optional")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    from dotenv import find_dotenv, load_dotenv

    load_dotenv(find_dotenv(usecwd=True), override=False)
    try:
        url = database_url_from_env()
        given = ScanSettings.from_env().fingerprint_key  # a malformed setting stops here, as at start-up
        if not url and not args.dry_run:
            raise Refused("Set DATABASE_URL to the PostgreSQL database the replicas will use.")
        with read_source(args.database or database_path_from_env(), beside_a_bot=args.dry_run) as source:
            done = plan(source, url) if args.dry_run else copy_into(url, source)
    except (Refused, ConfigError) as err:
        print(f"leakwatch: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - one sentence, never a traceback; the transaction was not committed
        print(f"leakwatch: The import stopped ({type(err).__name__}); nothing was committed. Run it again with "
              "--dry-run to see where things stand.", file=sys.stderr)
        return 2
    print(report(done, dry_run=args.dry_run, given_key=given))
    for refusal in done.refusals + ([done.unmarked] if done.unmarked else []):
        print(f"leakwatch: {refusal}", file=sys.stderr)
    return 2 if done.refusals else 0


def report(done: Plan, *, dry_run: bool, given_key: str | None = None) -> str:
    """Counts per table, the key's origin and what next: no record content, no key, no URL."""
    lines = [f"TinyDB {done.source.path} -> PostgreSQL {done.target or '(DATABASE_URL not set)'}"]
    width = max([len(name) for name in done.counts] + [5])
    lines += [f"  {name:<{width}}  {count:>7,}" for name, count in done.counts.items()]
    lines.append(f"  {'total':<{width}}  {done.total:>7,}")
    lines.append(key_line(done.source.key_from, done.source.key, given_key))
    tables = f"{done.total:,} record{'s' * (done.total != 1)} in {len(done.counts)} table{'s' * (len(done.counts) != 1)}"
    if not dry_run:
        lines.append(f"Copied {tables} in one transaction. Start the replicas with DATABASE_URL set; keep this bot "
                     "stopped and its data folder as a backup (a note beside the files stops a bot started on them).")
    elif done.refusals:
        lines.append(f"Dry run, nothing written: {tables} to copy, but the import would be refused now:")
    elif done.target:
        lines.append(f"Dry run, nothing written: the target is empty and would receive {tables}.")
    else:
        lines.append(f"Dry run, nothing written: {tables} to copy; set DATABASE_URL to check the target too.")
    return "\n".join(lines)


def key_line(key_from: str | None, key: str | None, given: str | None) -> str:
    """Where the key came from; `given` is FINGERPRINT_KEY here (compared, never printed)."""
    if key_from is None:
        return ("Fingerprint key: none kept beside the database (the bot ran with FINGERPRINT_KEY): give every "
                "replica that same FINGERPRINT_KEY.")
    origin = "fingerprint.key beside the database" if key_from == "file" else "the store's meta table"
    line = f"Fingerprint key: the bot's own, from {origin}; the replicas share it through the database."
    if given and given != key:
        line += (" FINGERPRINT_KEY is set here to another key: keep it set for the replicas only if the bot ran "
                 "with it too.")
    return line
