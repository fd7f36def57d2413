"""One scan for every surface: bytes -> kind -> document -> analysis -> Report.

`scan_bytes` is the core and runs in the parse child (bot/scan/isolate.py); `scan_url`,
`scan_path` and `scan_target` add fetching, folders and isolation around it. Errors never escape
as exceptions from the public functions: they become `Report.error`, one sentence.
"""

from __future__ import annotations

import hashlib
import math
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import ScanSettings
from bot.errors import FetchFailed, LeakwatchError, LimitExceeded, UnreadableContent
from bot.scan import formats, parse_ahead
from bot.scan.analyze import analyze
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.localfile import HEAD_BYTES, LocalFile
from bot.scan.readers import LOCAL_OPENERS, read_document, read_local_document
from bot.scan.redact import redact_report
from bot.scan.report import Report, merge_reports, process_key, resolve_key
from bot.scan.sniff import sniff, sniff_format

if TYPE_CHECKING:  # fetching (httpx) and the isolated child (multiprocessing) load when first needed
    from bot.scan.fetch import FetchResult

#: folders: files bigger than this many are not all read (a build folder, not a disk)
MAX_FOLDER_FILES = 5000
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv"}


def scan_bytes(
    data: bytes,
    *,
    target: str,
    settings: ScanSettings,
    name: str = "",
    source: FetchResult | None = None,
    limits: ReadLimits | None = None,
) -> Report:
    """Scan content in this process. Use `scan_content` for untrusted bytes (isolated)."""
    report = Report(target=target)
    _apply_source(report, source)
    report.content_sha256 = hashlib.sha256(data).hexdigest()
    report.stats = {"bytes": len(data), "cells": 0, "seconds": 0.0}

    def read(kind: str, deadline: Deadline):
        return read_document(data, name=name, limits=limits or ReadLimits(), deadline=deadline, kind=kind)

    return _scan(report, sniff_format(data), read, settings, name)


def scan_stream(local: LocalFile, *, target: str, settings: ScanSettings, name: str = "",
                limits: ReadLimits | None = None) -> Report:
    """Scan a large local CSV or text file in this process, streamed (bot/scan/localfile.py), its
    tables' columns parsed a chunk ahead on the second core when it is free (parse_ahead.py)."""
    report = Report(target=target)
    local.survey()
    report.content_sha256 = local.sha256
    report.stats = {"bytes": local.size, "cells": 0, "seconds": 0.0}

    def read(kind: str, deadline: Deadline):
        return read_local_document(local, name=name, limits=limits or ReadLimits(), deadline=deadline, kind=kind)

    return _scan(report, sniff_format(local.head), read, settings, name, parallel=parse_ahead.worth_it())


def _scan(report: Report, found: formats.Format, read, settings: ScanSettings, name: str,
          parallel: bool = False) -> Report:
    started = time.perf_counter()
    deadline = Deadline(settings.timeout_seconds)
    try:
        report.kind = found.kind if found.readable else "unsupported"
        if found.media:
            report.reasons.append(f"This is {found.label}; its pixels or sounds are not read, so nothing was found in it.")
        elif not found.readable:
            what = found.label if found is not formats.UNSUPPORTED else "binary data, or it is damaged"
            raise UnreadableContent(f"This content is {what}: not a format the scanner reads "
                                    f"({formats.readable_list()}).")
        else:
            document = read(report.kind, deadline)
            key = resolve_key(settings.fingerprint_key)
            analysis = analyze(document, key=key, deadline=deadline, parallel=parallel)
            report.findings = analysis.findings
            report.records_affected = analysis.records_affected
            report.reasons.extend(analysis.reasons)
            report.notes.extend(document.notes)
            report.skipped = list(document.skipped)
            unlisted = document.counters.get("skipped_unlisted", 0)
            if unlisted:
                report.skipped.append({"where": f"{unlisted:,} more parts", "reason": "left unread like those above"})
            # places are named with sheet names, headers, JSON keys, entry names: content too (the
            # file's own name is the user's, shown as it is)
            redact_report(report, key, document.content_labels, as_typed=name)
            report.stats.update({k: v for k, v in document.counters.items() if k not in ("cells", "skipped_unlisted")})
            report.stats["cells"] = analysis.cells or document.counters.get("cells", 0)
            report.set_severity(analysis.severity, settings.threshold)
    except LeakwatchError as err:
        _fail(report, err)
    report.stats["seconds"] = round(time.perf_counter() - started, 3)
    return report


def scan_content(data: bytes, *, target: str, settings: ScanSettings, name: str = "",
                 source: FetchResult | None = None, limits: ReadLimits | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Report:
    """Scan untrusted bytes in a child process bounded in memory and time.

    `progress(bytes_read, bytes_total)` is called about twice a second while the child works
    (bytes_read 0 when the kind does not say how far it is)."""
    from bot.scan.isolate import run_isolated

    started = time.perf_counter()
    if not settings.fingerprint_key:
        # the child must fingerprint with this process's key, or nothing would match here
        settings = replace(settings, fingerprint_key=process_key())
    try:
        outcome = run_isolated(
            scan_bytes, data, target=target, settings=settings, name=name, source=source, limits=limits,
            timeout=settings.timeout_seconds, max_memory_mb=settings.max_memory_mb,
            progress=None if progress is None else (lambda done: progress(done, len(data))),
        )
        report, peak = outcome.value, outcome.peak_rss_mb
    except LeakwatchError as err:
        report = Report(target=target, stats={"bytes": len(data), "cells": 0})
        _apply_source(report, source)
        report.kind = _safe_sniff(data)
        _fail(report, err)
        peak = getattr(err, "peak_rss_mb", None)
    report.stats["seconds"] = round(time.perf_counter() - started, 3)
    if peak is not None:
        report.stats["peak_rss_mb"] = peak
    return report


def scan_url(url: str, settings: ScanSettings, progress: Callable[[int, int], None] | None = None) -> Report:
    """Fetch and scan one URL; `progress` as for scan_content, once the bytes are here."""
    from bot.scan.fetch import fetch

    started = time.perf_counter()
    try:
        result = fetch(url, settings, deadline=Deadline(settings.timeout_seconds))
    except LeakwatchError as err:
        report = Report(target=url, stats={"bytes": 0, "cells": 0, "seconds": round(time.perf_counter() - started, 3)})
        _fail(report, err)
        return report
    if result.status >= 400:
        report = Report(target=url, stats={"bytes": len(result.content), "cells": 0})
        _apply_source(report, result)
        _fail(report, FetchFailed(
            f"The server answered HTTP {result.status} for this URL, so there was nothing to scan "
            "(if it was public before, it may already be taken down).", code="http_status"))
        report.stats["seconds"] = round(time.perf_counter() - started, 3)
        return report
    report = scan_content(result.content, target=url, settings=settings, name=_name_from_url(result.final_url),
                          source=result, progress=progress)
    report.stats["seconds"] = round(time.perf_counter() - started, 3)
    return report


@dataclass(frozen=True)
class LocalBudget:
    """How the command line reads the local files and folders it is given: no size limit and no
    time budget unless asked (`--max-bytes`, `--timeout`); CSV and text streamed (bounded memory
    whatever the size) and scanned in this process with no row limit, other kinds read whole in
    the isolated child with every structural limit. `progress(bytes_done, bytes_total)` follows a streamed file."""

    max_bytes: int | None = None
    timeout: float | None = None
    progress: Callable[[int, int], None] | None = None

    def settings(self, settings: ScanSettings) -> ScanSettings:
        return replace(settings, max_bytes=self.max_bytes or sys.maxsize,
                       timeout_seconds=self.timeout or math.inf)


#: a local CSV or text file's rows and cells are not counted against a limit (its size is the
#: user's choice and it is streamed); other kinds keep every structural limit (repeated rows...)
LOCAL_LIMITS = replace(ReadLimits(), max_rows=sys.maxsize, max_cells=sys.maxsize)


def scan_path(path: str, settings: ScanSettings, progress=None, local: LocalBudget | None = None) -> Report:
    """A file, or a folder: every file below it, merged into one report with per-file documents.

    `progress(done, total)` is called after each file of a folder. `local`: read as the command
    line reads local files (LocalBudget); without it, as any untrusted upload.
    """
    root = Path(path)
    if root.is_dir():
        return _scan_folder(root, settings, progress, local)
    return _scan_file(root, settings, target=path, local=local)


def scan_target(target: str, settings: ScanSettings, progress=None, local: LocalBudget | None = None) -> Report:
    if "://" in target or target.lower().startswith(("http:", "https:")):
        return scan_url(target, settings)
    if target.split(":", 1)[0].lower() in ("file", "gopher", "ftp", "data", "javascript"):
        report = Report(target=target)
        _fail(report, LeakwatchError("Only http:// and https:// URLs and local paths can be scanned.", code="refused"))
        return report
    return scan_path(target, settings, progress, local)


def folder_files(root: Path) -> list[Path]:
    """Every regular file below root (no symlinks followed), in a stable order."""
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for filename in sorted(filenames):
            candidate = Path(dirpath) / filename
            if candidate.is_file() and not candidate.is_symlink():
                files.append(candidate)
    return files


def _scan_folder(root: Path, settings: ScanSettings, progress=None, local: LocalBudget | None = None) -> Report:
    started = time.perf_counter()
    files = folder_files(root)
    if len(files) > MAX_FOLDER_FILES:
        report = Report(target=str(root), kind="folder")
        _fail(report, LimitExceeded(f"This folder holds {len(files)} files; the scanner reads at most {MAX_FOLDER_FILES} in one run. Scan a smaller folder."))
        return report
    reports = []
    for index, file in enumerate(files):
        reports.append(_scan_file(file, settings, target=str(file.relative_to(root)), local=local))
        if progress:
            progress(index + 1, len(files))
    merged = merge_reports(str(root), reports, settings.threshold, kind="folder")
    merged.stats["seconds"] = round(time.perf_counter() - started, 3)
    return merged


def _scan_file(path: Path, settings: ScanSettings, *, target: str, local: LocalBudget | None = None) -> Report:
    if local is not None:
        settings = local.settings(settings)
    try:
        if local is not None:
            streamed = _local_stream(path, settings, local)
            if streamed is not None:  # a large CSV or text file: streamed, in this process
                return scan_stream(streamed, target=target, settings=settings, name=path.name, limits=LOCAL_LIMITS)
        data = _read_file(path, settings.max_bytes)
    except LeakwatchError as err:
        report = Report(target=target, stats={"bytes": 0, "cells": 0})
        _fail(report, err)
        return report
    except OSError as err:
        report = Report(target=target, stats={"bytes": 0, "cells": 0})
        _fail(report, UnreadableContent(f"The file could not be opened ({err.strerror or 'read error'}).", code="unreadable"))
        return report
    if local is None:
        return scan_content(data, target=target, settings=settings, name=path.name)
    if sniff(data) in LOCAL_OPENERS:  # CSV and text: read in Python with deadline checks, no child needed
        return scan_bytes(data, target=target, settings=settings, name=path.name, limits=LOCAL_LIMITS)
    return scan_content(data, target=target, settings=settings, name=path.name)


def _local_stream(path: Path, settings: ScanSettings, local: LocalBudget) -> LocalFile | None:
    """The file as a LocalFile when it is large and CSV or text, else None (read it whole)."""
    size = _regular_size(path, settings.max_bytes)
    if size <= HEAD_BYTES:
        return None
    streamed = LocalFile.open(str(path), size, progress=local.progress)
    if not streamed.streams:
        return None
    found = sniff_format(streamed.head)
    return streamed if found.readable and found.kind in LOCAL_OPENERS else None


def _regular_size(path: Path, max_bytes: int) -> int:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableContent("This is not a regular file (a device, a pipe or a socket), so it was not read.")
    if info.st_size > max_bytes:
        raise _too_big(info.st_size, max_bytes)
    return info.st_size


def _too_big(size: int, max_bytes: int) -> LimitExceeded:
    return LimitExceeded(f"This file is {size:,} bytes, over the {max_bytes:,}-byte limit (SCAN_MAX_BYTES).")


def _read_file(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most max_bytes. Devices, pipes and sockets are never read: /dev/zero
    never ends and a FIFO blocks (O_NONBLOCK keeps even the open from waiting for a writer)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableContent("This is not a regular file (a device, a pipe or a socket), so it was not read.")
        if info.st_size > max_bytes:
            raise _too_big(info.st_size, max_bytes)
        data = _read_at_most(handle, max_bytes + 1)  # files under /proc say 0 bytes and are not
    if len(data) > max_bytes:
        raise LimitExceeded(f"This file holds more than the {max_bytes:,}-byte limit (SCAN_MAX_BYTES).")
    return data


def _read_at_most(handle, count: int) -> bytes:
    """Up to `count` bytes, read a megabyte at a time (a huge `count` is never one allocation)."""
    chunks, total = [], 0
    while total < count:
        chunk = handle.read(min(1 << 20, count - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _fail(report: Report, err: LeakwatchError) -> None:
    report.error = str(err)
    report.error_code = err.code
    report.findings = []
    report.records_affected = 0
    report.severity = "none"
    report.incident = False


def _apply_source(report: Report, source: FetchResult | None) -> None:
    if source is None:
        return
    report.final_url = source.final_url
    report.http_status = source.status
    report.last_modified = source.last_modified
    report.etag = source.etag


def _safe_sniff(data: bytes) -> str:
    try:
        return sniff(data)
    except Exception:  # noqa: BLE001 - the kind is a nicety on an error report
        return "unsupported"


def _name_from_url(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
