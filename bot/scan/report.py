"""The scan report (see README "Scan report"), masking and keyed fingerprints.

Nothing here ever stores a raw found value: a Finding holds counts, places, masked samples and
fingerprints only. `mask()` and `fingerprint()` are the only two ways a value leaves a detector.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field

from bot.config import SEVERITIES, severity_rank

MASK_CHAR = "•"

#: a random key for runs without FINGERPRINT_KEY: fingerprints then match within one run only
_PROCESS_KEY = secrets.token_hex(32)

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
        return MASK_CHAR * max(len(text), 4)
    return MASK_CHAR * (len(text) - 4) + text[-4:]


def normalize_text(value: str) -> str:
    """NFKC, lower case, runs of space and punctuation folded to one space, trimmed."""
    return _FOLD.sub(" ", unicodedata.normalize("NFKC", str(value)).lower()).strip()


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
        return asdict(self)


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

    def set_severity(self, severity: str, threshold: str) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        self.severity = severity
        self.incident = severity_rank(severity) >= severity_rank(threshold) and severity != "none"

    @property
    def exit_code(self) -> int:
        if self.error:
            return 2
        return 1 if self.incident else 0

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
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["findings"] = [Finding(**f) for f in data.get("findings", [])]
        known["documents"] = [cls.from_dict(d) for d in data.get("documents", [])]
        return cls(**known)
