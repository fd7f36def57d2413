"""Accuracy over a synthetic corpus, per file: prints a table, asserts nothing.

    python bench/accuracy.py [--corpus synthetic|realworld|heldout|sentences] [--seed N] [--scale 1.0] [--problems]

For each corpus file: format, leak or look-alike, expected vs reported severity, incident,
people expected vs counted, recall / precision by keyed fingerprint per identifier type, and
scan seconds. `--corpus realworld` (tests/realworld: office formats, e-mail, dumps, archives, files
saved by LibreOffice) and `--corpus heldout` (tests/heldout: leak shapes made apart from the other
corpora) add a per-format summary: files, leaks caught, false alarms, people within 5%, identifier
recall and precision. No value from the corpus is printed.
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
from tests.corpus.evaluate import PEOPLE_TOLERANCE, problems, score_identifiers  # noqa: E402
from tests.heldout import DEFAULT_SEED as HELDOUT_SEED  # noqa: E402
from tests.heldout import generate_heldout  # noqa: E402
from tests.realworld import DEFAULT_SEED as REALWORLD_SEED  # noqa: E402
from tests.realworld import generate_realworld  # noqa: E402

KEY = "bench-accuracy-key"
SHORT = {"A_NUMBER": "A#", "SSN": "SSN", "ITIN": "ITIN", "EMAIL": "mail", "PHONE": "tel",
         "CREDIT_CARD": "card", "IBAN": "IBAN", "PASSPORT": "pass"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("synthetic", "realworld", "heldout", "sentences"), default="synthetic")
    parser.add_argument("--seed", type=int, default=None, help="default: 7 (synthetic), 11 (realworld), 29 (heldout)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--problems", action="store_true", help="list what is wrong under each failing file")
    args = parser.parse_args()
    if args.corpus == "sentences":
        running_text(args.seed or 3)
        return
    if args.seed is None:
        args.seed = {"realworld": REALWORLD_SEED, "heldout": HELDOUT_SEED}.get(args.corpus, 7)
    generate = {"realworld": generate_realworld, "heldout": generate_heldout}.get(args.corpus, generate_corpus)
    settings = ScanSettings(fingerprint_key=KEY, threshold="high", timeout_seconds=120.0)
    key = KEY.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        started = time.perf_counter()
        corpus = generate(Path(tmp), seed=args.seed, scale=args.scale)
        print(f"corpus {args.corpus}: {len(corpus)} files, seed {args.seed}, scale {args.scale:g}, "
              f"generated in {time.perf_counter() - started:.1f} s")
        width = max(len(entry.name) for entry in corpus)
        header = (f"{'file':<{width}} {'fmt':<5} {'leak':<4} {'severity exp -> got':<26} {'inc':<3} "
                  f"{'people exp/got':>15} {'s':>6}  {'ok':<4} identifiers recall/precision")
        print(header)
        print("-" * len(header))
        failed, total_seconds, rows = 0, 0.0, []
        for entry in corpus:
            clock = time.perf_counter()
            report = scan_target(str(entry.path), settings)
            seconds = time.perf_counter() - clock
            total_seconds += seconds
            issues = problems(entry, report, key)
            failed += bool(issues)
            rows.append((entry, report, issues))
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
        if args.corpus in ("realworld", "heldout"):
            print_format_summary(rows, key)


def print_format_summary(rows: list, key: bytes) -> None:
    """Per format: files, leaks caught, false alarms, people within 5%, identifier recall/precision."""
    by_format: dict[str, list] = {}
    for row in rows:
        by_format.setdefault(row[0].format, []).append(row)
    header = (f"{'format':<6} {'files':>5} {'ok':>4} {'leaks caught':>12} {'false alarms':>12} "
              f"{'people +-5%':>11} {'ID recall':>9} {'ID precision':>12}")
    print()
    print(header)
    print("-" * len(header))
    for fmt in [*sorted(by_format), "all"]:
        print(_format_line(fmt, rows if fmt == "all" else by_format[fmt], key))
        if fmt == sorted(by_format)[-1]:
            print("-" * len(header))


def running_text(seed: int) -> None:
    """One line per type for identifiers in sentences (tests/sentences), then the negatives."""
    from tests.sentences import sentence_cases
    from tests.sentences.evaluate import score

    cases = sentence_cases(seed=seed, count=400)
    started = time.perf_counter()
    tallies, flagged, negatives = score(cases)
    print(f"running text: {len(cases)} sentences, seed {seed}, scanned in {time.perf_counter() - started:.1f} s")
    print(f"{'type':<12} {'values':>6} {'recall':>7} {'precision':>9}")
    for kind, tally in sorted(tallies.items()):
        print(f"{kind:<12} {tally.truth:>6} {tally.recall:>7.3f} {tally.precision:>9.3f}")
    print(f"negatives: {flagged} of {negatives} sentences without an identifier reported one")


def _format_line(fmt: str, group: list, key: bytes) -> str:
    leaks = [(e, r, i) for e, r, i in group if e.is_leak]
    looks = [(e, r, i) for e, r, i in group if not e.is_leak]
    # a file that may be read only in part is caught when it raised an incident or said it was partly read
    caught = sum(bool(r.incident or (e.expect_incomplete and not i)) for e, r, i in leaks)
    alarms = sum(bool(r.incident) for _, r, _ in looks)
    # people and identifiers are judged on leaks that were read (not on files reported as partly read)
    judged = [(e, r) for e, r, _ in leaks if r.incident or not e.expect_incomplete]
    people = sum(abs(r.records_affected - e.people) <= PEOPLE_TOLERANCE * e.people for e, r in judged)
    scores = [s for e, r in judged for s in score_identifiers(e, r, key)]
    matched, truth, reported = (sum(s.matched for s in scores), sum(s.truth for s in scores),
                                sum(s.reported for s in scores))
    recall = f"{matched / truth:.3f}" if truth else "-"
    precision = f"{matched / reported:.3f}" if reported else "-"
    ok = sum(not i for _, _, i in group)
    return (f"{fmt:<6} {len(group):>5} {ok:>4} {f'{caught}/{len(leaks)}':>12} {f'{alarms}/{len(looks)}':>12} "
            f"{f'{people}/{len(judged)}':>11} {recall:>9} {precision:>12}")


if __name__ == "__main__":
    main()
