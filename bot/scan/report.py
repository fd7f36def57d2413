"""The scan report (see docs/scanner.md, "The scan report"), masking and keyed fingerprints.

Nothing here ever stores a raw found value: a Finding holds counts, places, masked samples and
fingerprints only. `mask()` and `fingerprint()` are the only two ways a value leaves a detector.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from bot.config import SEVERITIES, severity_rank

MASK_CHAR = "•"

#: marks the random key of runs without FINGERPRINT_KEY (findings.py orders its sketch by a fixed
#: key then, so estimates do not change from run to run)
EPHEMERAL_PREFIX = "ephemeral-"
#: a random key for runs without FINGERPRINT_KEY: fingerprints then match within one run only
_PROCESS_KEY = EPHEMERAL_PREFIX + secrets.token_hex(32)

_FOLD = re.compile(r"[\W_]+", re.UNICODE)


def mask(value: str, *, keep_prefix: str = "") -> str:
    """At most the last 4 characters in clear; 8 characters or fewer fully masked.

    `keep_prefix` is a type marker that is not data (the "A" of an A-number), shown as is.
    """
    text = str(value).strip()
    if keep_prefix and text.upper().startswith(keep_prefix.upper()):
        body = text[len(keep_prefix):].lstrip("-# ")
        return keep_prefix + mask(body)
    if len(text) <= 8:
        return MASK_CHAR * 6
    # at most 6 dots: enough to read as hidden, without spelling out a long value's length
    return MASK_CHAR * min(len(text) - 4, 6) + text[-4:]


def normalize_text(value: str) -> str:
    """NFKC, lower case, runs of space and punctuation folded to one space, trimmed."""
    return _FOLD.sub(" ", unicodedata.normalize("NFKC", str(value)).lower()).strip()


def process_key() -> str:
    """This process's random key; handed to parse children so their fingerprints agree."""
    return _PROCESS_KEY


def resolve_key(key: str | None) -> bytes:
    return (key or _PROCESS_KEY).encode("utf-8")


def fingerprint(kind: str, normalized: str, key: bytes) -> str:
    """HMAC-SHA256(key, "{TYPE}:{normalized}") as lowercase hex (scan-report.md)."""
    return hmac.digest(key, f"{kind}:{normalized}".encode(), hashlib.sha256).hex()


@dataclass
class Finding:
    type: str
    count: int
    confidence: float
    where: list[str]
    samples: list[str]
    fingerprints: list[str]
    #: False when `count` is an estimate and `fingerprints` a bottom-k sample (very large files)
    count_exact: bool = True

    def to_dict(self) -> dict:
        # fields are flat (strings, numbers, lists of strings): shallow copies, not asdict's deep walk
        # of every fingerprint (a large file's report holds hundreds of thousands)
        return {name: list(value) if type(value) is list else value
                for name, value in vars(self).items()}


@dataclass
class Report:
    target: str
    kind: str = "unsupported"
    severity: str = "none"
    incident: bool = False
    records_affected: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    stats: dict = field(default_factory=dict)
    #: machine-readable reason when `error` is set (refused, unreachable, limit, unreadable)
    error_code: str | None = None
    #: HTTP facts kept for proof of takedown and the exposure window
    final_url: str | None = None
    http_status: int | None = None
    last_modified: str | None = None
    etag: str | None = None
    content_sha256: str | None = None
    #: why the severity is what it is, in words (no values)
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: per-document reports when a crawl or an archive/folder covered several documents
    documents: list[Report] = field(default_factory=list)
    #: parts left unread, each {"where", "reason"} (a limit, a damaged or encrypted entry...)
    skipped: list[dict] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every part was read: nothing skipped and no error (a partly read target is never clean)."""
        return not self.error and not self.skipped

    def set_severity(self, severity: str, threshold: str) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        self.severity = severity
        self.incident = severity_rank(severity) >= severity_rank(threshold) and severity != "none"

    @property
    def exit_code(self) -> int:
        """0 clean, 1 incident, 2 not scanned or only partly read with no incident (scan-report.md)."""
        if self.incident:
            return 1
        return 0 if self.complete else 2

    def finding(self, kind: str) -> Finding | None:
        return next((f for f in self.findings if f.type == kind), None)

    def to_dict(self) -> dict:
        data = {
            "target": self.target,
            "kind": self.kind,
            "severity": self.severity,
            "incident": self.incident,
            "records_affected": self.records_affected,
            "findings": [f.to_dict() for f in self.findings],
            "error": self.error,
            "complete": self.complete,
            "skipped": self.skipped,
            "stats": self.stats,
            "error_code": self.error_code,
            "final_url": self.final_url,
            "http_status": self.http_status,
            "last_modified": self.last_modified,
            "etag": self.etag,
            "content_sha256": self.content_sha256,
            "reasons": self.reasons,
            "notes": self.notes,
        }
        if self.documents:
            data["documents"] = [d.to_dict() for d in self.documents]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}  # `complete` is derived
        known["findings"] = [Finding(**f) for f in data.get("findings", [])]
        known["documents"] = [cls.from_dict(d) for d in data.get("documents", [])]
        return cls(**known)


def merge_reports(target: str, reports: list[Report], threshold: str, *, kind: str = "folder") -> Report:
    """One report over several documents (a folder, a crawl): findings merged per type.

    Counts are distinct values across documents (by fingerprint); people are summed, since the
    same person in two files cannot be told apart without the values. Per-document reports are
    kept in `documents`. A document that could not be read is listed in `notes`; the merged
    report's `error` is set only when no document could be read at all.
    """
    merged = Report(target=target, kind=kind)
    by_type: dict[str, Finding] = {}
    seen: dict[str, set[str]] = {}
    for doc in reports:
        merged.records_affected += doc.records_affected
        for finding in doc.findings:
            into = by_type.get(finding.type)
            if into is None:
                into = by_type[finding.type] = Finding(finding.type, 0, finding.confidence, [], [], [], True)
                seen[finding.type] = set()
            into.confidence = max(into.confidence, finding.confidence)
            into.count_exact = into.count_exact and finding.count_exact
            into.where.extend(f"{doc.target} › {w}" for w in finding.where)
            into.samples.extend(s for s in finding.samples if len(into.samples) < 3)
            new = [fp for fp in finding.fingerprints if fp not in seen[finding.type]]
            seen[finding.type].update(new)
            into.fingerprints.extend(new)
            # fingerprints may be a sample (count_exact False): never count fewer than a document did
            into.count = max(len(into.fingerprints), into.count, finding.count)
        if doc.error:
            merged.notes.append(f"{doc.target}: {doc.error}")
            merged.skipped.append({"where": doc.target, "reason": doc.error})
        merged.skipped.extend({"where": f"{doc.target} › {item['where']}", "reason": item["reason"]}
                              for item in doc.skipped)
    merged.findings = sorted(by_type.values(), key=lambda f: (-f.count, f.type))
    worst = max((doc.severity for doc in reports), key=severity_rank, default="none")
    merged.set_severity(worst, threshold)
    merged.reasons = [f"{doc.target}: {reason}" for doc in reports for reason in doc.reasons if doc.severity == worst and worst != "none"]
    merged.documents = list(reports)
    merged.stats = {
        "bytes": sum(d.stats.get("bytes", 0) for d in reports),
        "cells": sum(d.stats.get("cells", 0) for d in reports),
        "documents": len(reports),
        "unreadable": sum(1 for d in reports if d.error),
    }
    if reports and all(d.error for d in reports):
        merged.error = f"None of the {len(reports)} documents could be read; the first problem: {reports[0].error}"
        merged.error_code = reports[0].error_code
    return merged
