"""`--crawl` for local paths: the command line as a pre-publish gate over a build folder.

- A folder: every file below it (as without `--crawl`), and the local files its HTML pages link
  to that the walk did not reach (inside the folder only); links to files that are not there
  are noted, since they will be served from somewhere this gate cannot see.
- An HTML file: the file, the local files it links to, and the documents that linked pages link
  to (the same depth as a web crawl), inside the file's own folder.
- A URL: the web crawl (bot/scan/crawl.py).

Links never lead outside the folder given: `../../etc/passwd` in a page is not followed.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.config import ScanSettings
from bot.scan.links import link_kind, raw_links
from bot.scan.report import Report, merge_reports

#: the same bound as a web crawl: local builds are bigger, but a page linking to more is unusual
MAX_LINKED_FILES = 500
_HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def _is_html(path: Path) -> bool:
    return path.suffix.lower() in _HTML_SUFFIXES


def local_targets(page: Path, root: Path) -> tuple[list[Path], int]:
    """Files inside `root` that `page` links to, and how many local links led nowhere (or outside)."""
    try:
        html = page.read_bytes()[:20_000_000]
    except OSError:
        return [], 0
    found, base = raw_links(html)
    start = page.parent
    if base and not urlsplit(base).scheme:
        start = (page.parent / unquote(base)).resolve() if not base.startswith("/") else root / unquote(base.lstrip("/"))
    targets: list[Path] = []
    missing = 0
    root_resolved = root.resolve()
    for link in found:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # a web address, mailto:, or only a fragment/query
        path = unquote(parts.path)
        written = (root / path.lstrip("/")) if path.startswith("/") else (start / path)
        resolved = _existing_file(written, root_resolved, pretty=path.endswith("/") or link_kind(link) == "page")
        if resolved is None:
            missing += 1
        elif link_kind(link) != "asset" and resolved not in targets:
            targets.append(resolved)
    return targets, missing


def _existing_file(written: Path, root: Path, *, pretty: bool) -> Path | None:
    """The file a link means, inside `root`, not a symlink; pretty URLs (`/about`, `/about/`) as a
    static site generator writes them (`about.html`, `about/index.html`)."""
    candidates = [written]
    if pretty:
        candidates += [written.with_name(written.name + ".html"), written / "index.html"]
    for candidate in candidates:
        try:
            if candidate.is_symlink():
                continue
            resolved = candidate.resolve()
        except (OSError, RuntimeError, ValueError):
            continue
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    return None


def crawl_path(target: str, settings: ScanSettings, progress=None) -> Report:
    """A folder or an HTML file with what it links to, merged into one report (kind "crawl")."""
    from bot.scan.pipeline import folder_files, scan_path

    started = time.perf_counter()
    path = Path(target)
    if path.is_dir():
        report = scan_path(target, settings, progress)
        if report.error and not report.documents:
            return report
        walked = {p.resolve() for p in folder_files(path)}
        extra, missing = [], 0
        for page in (p for p in walked if _is_html(p)):
            linked, gone = local_targets(page, path)
            missing += gone
            extra += [f for f in linked if f not in walked and f not in extra]
        if extra:
            more = [scan_path(str(f), settings) for f in extra[:MAX_LINKED_FILES]]
            for doc, file in zip(more, extra, strict=False):
                doc.target = str(file.relative_to(path.resolve()))
            report = merge_reports(target, [*report.documents, *more], settings.threshold, kind="crawl")
        else:
            report.kind = "crawl"
        _note_missing(report, missing)
        report.stats["seconds"] = round(time.perf_counter() - started, 3)
        return report
    if not (path.is_file() and _is_html(path)):
        return scan_path(target, settings, progress)
    root = path.parent
    files = [path.resolve()]
    missing = 0
    linked, gone = local_targets(path, root)
    missing += gone
    for file in linked:
        if file not in files:
            files.append(file)
    for page in [f for f in linked if _is_html(f)]:
        deeper, gone = local_targets(page, root)
        missing += gone
        files += [f for f in deeper if link_kind(f.name) == "document" and f not in files]
    files = files[: MAX_LINKED_FILES + 1]
    reports = []
    for index, file in enumerate(files):
        doc = scan_path(str(file), settings)
        doc.target = target if index == 0 else str(file.relative_to(root.resolve()))
        reports.append(doc)
        if progress:
            progress(index + 1, len(files))
    report = merge_reports(target, reports, settings.threshold, kind="crawl")
    _note_missing(report, missing)
    report.stats["seconds"] = round(time.perf_counter() - started, 3)
    return report


def _note_missing(report: Report, missing: int) -> None:
    if missing:
        report.notes.append(f"{missing} local links point to files that are not in this folder (or lead outside it), "
                            "so they were not scanned.")


def crawl_target(target: str, settings: ScanSettings, progress=None) -> Report:
    """`--crawl` for any target: a URL is crawled on the web, a path on disk."""
    if "://" in target or target.lower().startswith(("http:", "https:")):
        from bot.scan.crawl import crawl

        return crawl(target, settings).report
    return crawl_path(target, settings, progress)
