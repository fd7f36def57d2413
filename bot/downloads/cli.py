"""`python -m bot downloads LOG... --url URL [--from T] [--to T] [--size N] [--json] [--export FILE]`.

Exit status 0 when the logs were read (whatever they show), 2 when nothing could be read (the
report's `error` says why in one sentence). The text output holds counts, crawler names and
times only: client addresses are personal data and appear only in `--json` and the `--export`
CSV (the per-client table for the incident record).
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.downloads.crawlers import KINDS
from bot.downloads.hit import iso_time
from bot.downloads.summary import clients_csv, downloads_report
from bot.downloads.tally import Tally


def _time(text: str):
    try:
        return iso_time(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot downloads",
        description="Who fetched a leaked file, from the web server's access logs. "
        "Exit 0: the logs were read; 2: nothing could be read.")
    parser.add_argument("logs", nargs="+", metavar="LOG", help="log files or folders, plain or gzip, any mix of formats")
    parser.add_argument("--url", required=True, help="the leaked address")
    parser.add_argument("--from", dest="start", type=_time, metavar="TIME", help="start of the exposure window (ISO 8601)")
    parser.add_argument("--to", dest="end", type=_time, metavar="TIME", help="end of the exposure window (ISO 8601)")
    parser.add_argument("--size", type=int, metavar="BYTES",
                        help="the file's size (default: the largest byte count of a 200 response)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (client addresses included)")
    parser.add_argument("--export", metavar="FILE", help="write the per-client table as CSV")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    tally = Tally()
    report = downloads_report(args.logs, args.url, start=args.start, end=args.end, size=args.size, tally=tally)
    if args.export and not report["error"]:
        try:
            with open(args.export, "w", newline="", encoding="utf-8") as out:
                out.write(clients_csv(tally))
        except OSError as err:
            print(f"leakwatch: could not write {args.export}: {err.strerror}", file=sys.stderr)
            return 2
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text_summary(report))
    return 2 if report["error"] else 0


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def text_summary(report: dict) -> str:
    """The report for a person: counts, crawler names and times; never an address or user agent."""
    if report["error"]:
        return f"{report['url']}: {report['error']}\n"
    formats = ", ".join(f"{name} {n}" for name, n in report["formats"].items())
    window = report["window"]
    lines = [
        f"{report['url']}",
        f"  logs: {_plural(report['files'], 'file')} ({formats}), {_plural(report['lines'], 'line')}, "
        f"{report['lines_unread']:,} unread" + (f"; {len(report['files_unread'])} not read" if report["files_unread"] else ""),
        f"  window: {window['from'] or 'start of the logs'} to {window['to'] or 'end of the logs'}",
        f"  requests: {report['requests']:,} (HEAD {report['head']:,}, not modified {report['not_modified']:,}, "
        f"redirects {report['redirects']:,})",
        f"  downloads: {report['downloads_complete']:,} complete "
        f"({report['downloads_complete_external']:,} from outside the organisation), "
        f"{report['downloads_partial']:,} partial, by {_plural(report['clients'], 'client')} "
        f"({report['clients_internal']:,} internal)" + (f"; file size {report['size']:,} bytes" if report["size"] else ""),
        f"  first fetch: {report['first_fetch'] or '-'}   last fetch: {report['last_fetch'] or '-'}",
    ]
    if report["crawlers"]:
        lines.append("  crawlers (claimed by user agent, not verified):")
        for c in report["crawlers"]:
            lines.append(f"    {c['name']} ({KINDS[c['kind']]}): {_plural(c['requests'], 'request')}, "
                         f"{c['complete']:,} complete, first {c['first']}")
    else:
        lines.append("  crawlers: none seen")
    if report["per_hour"]:
        lines.append("  per hour (requests / complete):")
        lines.extend(f"    {h['hour']}  {h['requests']:>6,} / {h['complete']:,}" for h in report["per_hour"])
    if report.get("capped"):
        lines.append("  capped: the logs hold more clients or downloads than this keeps in memory; "
                     "the counts are lower bounds")
    for problem in report["files_unread"]:
        lines.append(f"  not read: {problem['file']}: {problem['reason']}")
    return "\n".join(lines) + "\n"
