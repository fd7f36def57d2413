"""The differential harness: the engine's complete answer over fixed inputs, kept as goldens.

Speed work must not change a single result. `canonical(report)` keeps everything a scan decides
(kind, severity, incident, people, every finding's count, exactness, confidence, places, masked
samples and keyed fingerprints, reasons, notes, skipped parts, cell counts, nested documents) and
drops what may vary between two runs of the same engine (seconds, memory, the content hash of a
generated office file whose zip carries a timestamp). Fingerprints are kept as one digest per
finding (their order included), so the goldens stay compact and hold no value.

`python -m tests.differential.record` writes `goldens/*.json` with the engine in this checkout;
`test_differential.py` compares the engine with them. The 1,000,000-row file is compared by one
digest of its canonical report (`bigfile.py`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bot.config import ScanSettings

#: one key for every golden: fingerprints and the sketch order depend on it
KEY = "differential-golden-key"
GOLDENS = Path(__file__).resolve().parent / "goldens"
#: the corpora at the scale the accuracy tests use (generated in a few seconds each)
SCALES = {"synthetic": 0.25, "realworld": 0.25, "heldout": 0.25}
SENTENCE_SEED, SENTENCE_COUNT = 3, 400
#: rows of the generated people CSV per golden: past the sketch threshold, and the full million
BIG = {"sketch": 55_000, "million": 1_000_000}
_VOLATILE_STATS = {"seconds", "peak_rss_mb", "bytes"}


def settings() -> ScanSettings:
    return ScanSettings(fingerprint_key=KEY, threshold="high", timeout_seconds=120.0)


def digest(items) -> str:
    return hashlib.sha256("\n".join(items).encode("utf-8")).hexdigest()[:24]


def canonical(report) -> dict:
    """Everything the engine decided about one target, without run-to-run noise."""
    data = {
        "kind": report.kind,
        "severity": report.severity,
        "incident": report.incident,
        "people": report.records_affected,
        "error": report.error,
        "error_code": report.error_code,
        "findings": [
            {"type": f.type, "count": f.count, "exact": f.count_exact, "confidence": f.confidence,
             "where": f.where, "samples": f.samples, "fingerprints": len(f.fingerprints),
             "fingerprint_digest": digest(f.fingerprints)}
            for f in report.findings
        ],
        "reasons": report.reasons,
        "notes": report.notes,
        "skipped": report.skipped,
        "stats": {k: v for k, v in sorted(report.stats.items()) if k not in _VOLATILE_STATS},
    }
    if report.documents:
        data["documents"] = [canonical(d) | {"target": d.target} for d in report.documents]
    return data


def generators():
    from tests.corpus import generate_corpus
    from tests.heldout import DEFAULT_SEED as HELDOUT_SEED
    from tests.heldout import generate_heldout
    from tests.realworld import DEFAULT_SEED as REALWORLD_SEED
    from tests.realworld import generate_realworld

    return {
        "synthetic": lambda out: generate_corpus(out, seed=7, scale=SCALES["synthetic"]),
        "realworld": lambda out: generate_realworld(out, seed=REALWORLD_SEED, scale=SCALES["realworld"]),
        "heldout": lambda out: generate_heldout(out, seed=HELDOUT_SEED, scale=SCALES["heldout"]),
    }


def scan_corpus(name: str, out: Path, local=None) -> dict[str, dict]:
    """{file name: canonical report} for one generated corpus, scanned as an upload is (or, with
    `local`, a pipeline.LocalBudget, as the command line scans a local path)."""
    from bot.scan.pipeline import scan_target

    entries = generators()[name](out)
    chosen = settings()
    return {entry.name: canonical(scan_target(str(entry.path), chosen, local=local)) for entry in entries}


def scan_local(path: Path, chosen: ScanSettings):
    """The command line's way with a local file: no limits, CSV and text streamed in this process."""
    from bot.scan.pipeline import LocalBudget, scan_target

    return scan_target(str(path), chosen, local=LocalBudget())


def scan_sentences() -> dict[str, dict]:
    from bot.scan.pipeline import scan_bytes
    from tests.sentences import sentence_cases

    chosen = settings()
    return {f"{index:03d}": canonical(scan_bytes(case.text.encode("utf-8"), target="sentence", settings=chosen))
            for index, case in enumerate(sentence_cases(seed=SENTENCE_SEED, count=SENTENCE_COUNT))}


def scan_bigfile(folder: Path, rows: int, scan=None) -> dict:
    """The canonical report of the generated people CSV of `rows` rows. `scan(path, settings)`
    is the way under test (default: the engine's core in this process, with no limits)."""
    from dataclasses import replace

    from tests.differential import bigfile

    path = bigfile.write(folder / f"people-{rows}.csv", rows)
    unlimited = replace(settings(), timeout_seconds=3600.0, max_bytes=1 << 40, max_memory_mb=0)
    if scan is None:
        from bot.scan.pipeline import scan_bytes

        report = scan_bytes(path.read_bytes(), target=path.name, settings=unlimited, name=path.name)
    else:
        report = scan(path, unlimited)
    path.unlink()
    return canonical(report)


def load(name: str) -> dict:
    return json.loads((GOLDENS / f"{name}.json").read_text(encoding="utf-8"))


def dump(name: str, results: dict) -> None:
    GOLDENS.mkdir(exist_ok=True)
    text = json.dumps(results, ensure_ascii=False, indent=0, sort_keys=True)
    (GOLDENS / f"{name}.json").write_text(text + "\n", encoding="utf-8")


def differences(expected: dict, got: dict, limit: int = 8) -> list[str]:
    """Where two canonical result sets differ: file and field, never a value beyond masks/counts."""
    out = []
    for name in sorted(set(expected) | set(got)):
        if name not in got or name not in expected:
            out.append(f"{name}: {'missing' if name not in got else 'unexpected'}")
        elif expected[name] != got[name]:
            fields = sorted(k for k in set(expected[name]) | set(got[name]) if expected[name].get(k) != got[name].get(k))
            out.append(f"{name}: differs in {', '.join(fields)}")
        if len(out) >= limit:
            break
    return out
