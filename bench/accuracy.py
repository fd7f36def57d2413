"""Accuracy over the synthetic corpus, per file: prints a table, asserts nothing.

    python bench/accuracy.py [--seed 7] [--scale 1.0] [--problems]

For each corpus file: format, leak or look-alike, expected vs reported severity, incident,
people expected vs counted, recall / precision by keyed fingerprint per identifier type, and
scan seconds. No value from the corpus is printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import ScanSettings  # noqa: E402
from bot.scan.pipeline import scan_target  # noqa: E402
from tests.corpus import generate_corpus  # noqa: E402
from tests.corpus.evaluate import problems, score_identifiers  # noqa: E402

KEY = "bench-accuracy-key"
SHORT = {"A_NUMBER": "A#", "SSN": "SSN", "ITIN": "ITIN", "EMAIL": "mail", "PHONE": "tel",
         "CREDIT_CARD": "card", "IBAN": "IBAN", "PASSPORT": "pass"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--problems", action="store_true", help="list what is wrong under each failing file")
    args = parser.parse_args()
    settings = ScanSettings(fingerprint_key=KEY, threshold="high", timeout_seconds=120.0)
    key = KEY.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        started = time.perf_counter()
        corpus = generate_corpus(Path(tmp), seed=args.seed, scale=args.scale)
        print(f"corpus: {len(corpus)} files, seed {args.seed}, scale {args.scale:g}, "
              f"generated in {time.perf_counter() - started:.1f} s")
        width = max(len(entry.name) for entry in corpus)
        header = (f"{'file':<{width}} {'fmt':<5} {'leak':<4} {'severity exp -> got':<26} {'inc':<3} "
                  f"{'people exp/got':>15} {'s':>6}  {'ok':<4} identifiers recall/precision")
        print(header)
        print("-" * len(header))
        failed, total_seconds = 0, 0.0
        for entry in corpus:
            clock = time.perf_counter()
            report = scan_target(str(entry.path), settings)
            seconds = time.perf_counter() - clock
            total_seconds += seconds
            issues = problems(entry, report, key)
            failed += bool(issues)
            expected = entry.min_severity if entry.min_severity == entry.max_severity else \
                f"{entry.min_severity}..{entry.max_severity}"
            scores = " ".join(f"{SHORT[s.kind]} {s.recall:.3f}/{s.precision:.3f}"
                              for s in score_identifiers(entry, report, key))
            people = f"{entry.people if entry.is_leak else entry.max_people}/{report.records_affected}"
            print(f"{entry.name:<{width}} {entry.format:<5} {'yes' if entry.is_leak else 'no':<4} "
                  f"{expected + ' -> ' + report.severity:<26} {'yes' if report.incident else 'no':<3} "
                  f"{people:>15} {seconds:>6.2f}  {'FAIL' if issues else 'ok':<4} {scores}")
            if issues and args.problems:
                for issue in issues:
                    print(f"{'':<8}- {issue}")
        print("-" * len(header))
        print(f"{len(corpus) - failed} of {len(corpus)} files as expected; scans took {total_seconds:.1f} s in all")


if __name__ == "__main__":
    main()
