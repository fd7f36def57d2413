"""The chunked prose search (prose_search.py): a speed-up that must change no result.

Seeded random lines built from identifier-shaped pieces, separators, context words, names and
non-ASCII characters are scanned twice: line by line as before, and through prefind() (with the
RE2 screen, then without it). Any difference fails; messages give line indexes and types only.
"""

import random

import pytest

from bot.scan.prose import LineResult, ProseScanner
from bot.scan.prose_search import PER_LINE
from bot.scan.screen import LineScreen, re2

PIECES = (
    "A", "a", "#", "-", " ", ".", ":", "(", ")", "+", "@", "/", ",", "N", "EAC", "GB", "IOE", "9", "12", "123",
    "1234", "4111", "ssn ", "SSN ", "born ", "dob ", "passport ", "mrn ", "I-94 ", "card ", "phone ", "tel ",
    "from ", "IP ", "Maria Lopez ", "LOPEZ, Maria ", "Name: ", "ana@example.com", "info@example.org", "8.8.8.8",
    "2606:4700:4700:0:0:0:0:1111", "\t", "é", "٣", "\x1c", "A-", "March ", "de ", "marzo ", "1990", "\u00a0", "_",
    "'", "%", "Red Mesa Processing Center", "1420 Elm Street", "Guatemala", "nacionalidad peruana ",
)
CONTEXTS = ("", "name, anum, ssn, dob", "passport")


def _random_line(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) if rng.random() < 0.6 else str(rng.randint(0, 10 ** rng.randint(1, 12)))
                   for _ in range(rng.randint(0, 25)))


def _outcome(result: LineResult) -> tuple:
    return ([(h.type, h.normalized, h.start, h.end, h.confidence) for h in result.hits], result.people,
            result.officials, result.org_contacts)


def _differences(scanner: ProseScanner, seed: int, chunks: int) -> tuple[list[str], int]:
    rng = random.Random(seed)
    differences, with_hits = [], 0
    for chunk in range(chunks):
        lines = [_random_line(rng) for _ in range(40)]
        context = rng.choice(CONTEXTS)
        found = scanner.prefind(lines, context=context)
        before = ""
        for index, (line, entry) in enumerate(zip(lines, found, strict=True)):
            expected = scanner.scan(line, before=before[-80:], extra_context=context)
            with_hits += bool(expected.hits)
            got = LineResult() if entry is None else scanner.scan(line, before=before[-80:], extra_context=context,
                                                                  found=entry)
            if _outcome(got) != _outcome(expected):
                differences.append(f"chunk {chunk} line {index}: expected types "
                                   f"{sorted(h.type for h in expected.hits)}, got {sorted(h.type for h in got.hits)}")
            before = line
    return differences, with_hits


@pytest.mark.skipif(re2 is None, reason="google-re2 is not installed")
def test_screened_lines_give_the_same_results_as_line_by_line():
    scanner = ProseScanner()
    assert scanner.screen.active
    differences, with_hits = _differences(scanner, seed=11, chunks=60)
    assert with_hits > 200, f"the random lines should hold identifiers ({with_hits} lines did)"
    assert not differences, "\n".join(differences[:5])


def test_chunk_search_without_the_screen_gives_the_same_results():
    scanner = ProseScanner()
    scanner.search.screen = LineScreen([])  # an inactive screen, as where RE2 is not installed
    differences, _ = _differences(scanner, seed=12, chunks=40)
    assert not differences, "\n".join(differences[:5])


def test_lines_without_anything_are_skipped():
    scanner = ProseScanner()
    lines = ["GET /index.html HTTP/1.1 200", "Nothing to see here", "", "user logged out"]
    assert scanner.prefind(lines) == [None] * len(lines)


def test_a_line_break_inside_a_line_is_scanned_line_by_line():
    scanner = ProseScanner()
    scanner.search.screen = LineScreen([])
    assert scanner.prefind(["SSN 123-45-\n6789", "x"]) == [PER_LINE, PER_LINE]
