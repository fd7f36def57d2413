"""`python -m bot scan TARGET... [--json]`: the scanner as a command line and a pre-publish gate.

Exit status: 0 no incident-level exposure, 1 incident-level exposure, 2 a target could not be
scanned. With several targets the worst wins: 2 over 1 over 0, since an unreadable target may
hide a leak.

Local files and folders are the user's own choice: they are read with no size limit and no time
budget unless asked (`--max-bytes` / `--timeout`, or SCAN_MAX_BYTES / SCAN_TIMEOUT_SECONDS set in
the environment; pipeline.LocalBudget); URLs keep the bounded defaults, which the same options
override. Start-up
stays small: the scanner is imported once the arguments are fine, and the isolated parser
process starts only for a kind that needs it.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import time
from dataclasses import replace

from bot.config import SEVERITIES, ScanSettings
from bot.errors import ConfigError
from bot.scan.localfile import human_bytes
from bot.scan.report import Report

SEVERITY_WORDS = {
    "critical": "CRITICAL",
    "high": "HIGH",
    "medium": "MEDIUM",
    "low": "low",
    "none": "none",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot scan",
        description="Scan files, folders or URLs for exposed personal data. "
        "Exit 0: nothing incident-level; 1: incident-level exposure; 2: a target could not be scanned.",
    )
    parser.add_argument("targets", nargs="+", metavar="TARGET", help="a local file or folder, or an http(s):// URL")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (an array for several targets)")
    parser.add_argument("--fingerprint-key", metavar="KEY", help="secret for fingerprints (else FINGERPRINT_KEY)")
    parser.add_argument("--threshold", choices=SEVERITIES, help="severity at which `incident` is true (else INCIDENT_SEVERITY_THRESHOLD, default high)")
    parser.add_argument("--progress", action="store_true", help="show a progress bar on stderr even when it is not a terminal")
    parser.add_argument("--crawl", action="store_true", help="a URL: also scan the documents it links to on the same site; "
                        "a folder or HTML file: also the local files its pages link to (docs/gate.md)")
    parser.add_argument("--against", metavar="FILE", help="compare with a fingerprint file from --export-fingerprints; "
                        "a match (a known leak again) exits 1")
    parser.add_argument("--export-fingerprints", metavar="FILE", help="write the fingerprints found (never values) to FILE")
    parser.add_argument("--max-bytes", type=_positive_int, metavar="N", help="refuse files and downloads over N bytes "
                        "(local files: no limit unless given; URLs: SCAN_MAX_BYTES, default 50,000,000)")
    parser.add_argument("--timeout", type=_positive_float, metavar="SECONDS", help="stop a target's scan after SECONDS "
                        "(local files: no limit unless given; URLs: SCAN_TIMEOUT_SECONDS, default 30)")
    return parser


def _positive_int(text: str) -> int:
    value = int(text.replace(",", "").replace("_", ""))
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of bytes")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def main(argv: list[str] | None = None) -> int:
    # a scan makes millions of short-lived rows: collected less often, most are freed by their
    # reference count before a collection looks at them (callgrind, 300,000-row CSV: 4% fewer
    # instructions, as many as with the collector off); restored for in-process callers
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*thresholds)


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = ScanSettings.from_env()
    except ConfigError as err:
        print(f"leakwatch: {err}", file=sys.stderr)
        return 2
    if args.fingerprint_key:
        settings = replace(settings, fingerprint_key=args.fingerprint_key)
    if args.threshold:
        settings = replace(settings, threshold=args.threshold)
    if args.max_bytes:
        settings = replace(settings, max_bytes=args.max_bytes)
    if args.timeout:
        settings = replace(settings, timeout_seconds=args.timeout)

    from bot.scan.pipeline import LocalBudget, scan_target  # heavy imports only once the arguments are fine

    progress = Progress(enabled=args.progress or sys.stderr.isatty())
    # local files: bounded only when asked, on the command line or by setting the variable itself
    local = LocalBudget(
        max_bytes=args.max_bytes or (settings.max_bytes if settings.limits_given[0] else None),
        timeout=args.timeout or (settings.timeout_seconds if settings.limits_given[1] else None),
        progress=progress.bytes,
    )
    reports: list[Report] = []
    for index, target in enumerate(args.targets):
        progress.label = target
        if args.crawl:
            from bot.scan.crawl_local import crawl_target

            reports.append(crawl_target(target, settings, progress=progress.update))
        else:
            reports.append(scan_target(target, settings, progress=progress.update, local=local))
        progress.update(index + 1, len(args.targets))
    progress.done()

    known_leak = False
    if args.against or args.export_fingerprints:
        from bot.errors import LeakwatchError
        from bot.scan.matching import gate_fingerprints

        try:
            known_leak = gate_fingerprints(reports, settings.fingerprint_key, against=args.against,
                                           export=args.export_fingerprints)
        except LeakwatchError as err:
            print(f"leakwatch: {err}", file=sys.stderr)
            return 2

    try:
        if args.json:
            payload = [r.to_dict() for r in reports] if len(reports) > 1 else reports[0].to_dict()
            json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            for report in reports:
                sys.stdout.write(human_summary(report))
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` stopped reading: the answer is the exit status, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    codes = [r.exit_code for r in reports] + ([1] if known_leak else [])
    return 2 if 2 in codes else max(codes)


class Progress:
    """A one-line bar on stderr: files done for folders and several targets; bytes read, rate and
    time left for a single large file (redrawn at most ten times a second)."""

    def __init__(self, enabled: bool, clock=time.monotonic):
        self.enabled = enabled
        self.label = ""
        self._shown = False
        self._clock = clock
        self._started: float | None = None
        self._drawn = 0.0

    def bytes(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = self._clock()
        if self._started is None or done < 0:
            self._started = now
        if done < total and now - self._drawn < 0.1:
            return
        self._drawn = now
        sys.stderr.write("\r" + byte_bar(done, total, now - self._started, self.label))
        sys.stderr.flush()
        self._shown = True

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 1:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {self.label[:40]}")
        sys.stderr.flush()
        self._shown = True

    def done(self) -> None:
        if self._shown:
            sys.stderr.write("\n")
            self._shown = False
        self._started = None


def byte_bar(done: int, total: int, seconds: float, label: str = "", width: int = 30) -> str:
    """`[#####.....] 43% 512 MB of 1.2 GB, 48 MB/s, 14 s left  big.csv` (no values: a size and a name)."""
    share = min(done / total, 1.0) if total else 1.0
    filled = int(width * share)
    rate = done / seconds if seconds > 0 else 0.0
    left = f", {(total - done) / rate:,.0f} s left" if rate > 0 and done < total else ""
    speed = f", {human_bytes(rate)}/s" if rate > 0 else ""
    return (f"[{'#' * filled}{'.' * (width - filled)}] {share:.0%} {human_bytes(done)} of {human_bytes(total)}"
            f"{speed}{left}  {label if len(label) <= 40 else '…' + label[-39:]}")


def human_summary(report: Report) -> str:
    lines = []
    if report.error:
        lines.append(f"{report.target}: could not be scanned: {report.error}")
    else:
        verdict = "INCIDENT" if report.incident else "no incident"
        if not report.complete:
            verdict += f" in what was read — PARTLY READ ({len(report.skipped)} part{'s' if len(report.skipped) != 1 else ''} not read)"
        people = f"{report.records_affected:,} {'person' if report.records_affected == 1 else 'people'}"
        lines.append(f"{report.target} [{report.kind}]: severity {SEVERITY_WORDS[report.severity]}, {people} affected — {verdict}")
        for finding in report.findings:
            approx = "" if finding.count_exact else "~"
            where = "; ".join(finding.where[:3]) + (" …" if len(finding.where) > 3 else "")
            samples = ", ".join(finding.samples)
            lines.append(f"  {finding.type:<18} {approx}{finding.count:>8,}  {where}  {samples}")
        for reason in report.reasons[:5]:
            lines.append(f"  why: {reason}")
        for item in report.skipped[:10]:
            lines.append(f"  not read: {item['where']}: {item['reason']}")
        for note in report.notes[:10]:
            lines.append(f"  note: {note}")
    stats = report.stats
    lines.append(f"  ({stats.get('bytes', 0):,} bytes, {stats.get('cells', 0):,} cells, {stats.get('seconds', 0)} s)")
    return "\n".join(lines) + "\n"
