"""Whole chunks of plain values recognised in one RE2 pass (the batch kernels' fast path).

A batch kernel (base.batch_lines) runs a detector's MULTILINE pattern over a chunk of a column
joined by newlines: Python's `re` tries the value's shape on every line, then the `.*$` branch
for lines that are not one (about 300 ns a line). Most chunks of a classified column hold only
values in one plain shape ("avieira0@mailbox-provider.net", "418-80-0372", "Ana López"). A
detector declares that shape as a `plain_line`: an RE2 pattern over ASCII (or explicitly listed
letters) whose every match is a line the kernel's pattern takes whole, the group being the line
itself. `odd_lines()` reads a chunk with RE2 over its UTF-8 bytes (a few ns a byte, linear
time, one pass for each run of plain lines) and names the lines that are not plain: the
kernel's matches are the texts themselves but for those few (an odd value, surrounding blanks),
which the kernel's pattern reads. A chunk with many (a column of mixed shapes) or a text
holding a line break goes the regular way, so results never change; the tests in
tests/scan/test_kernels_fast.py compare both ways on generated values.

Without RE2 installed (it is an optimisation) every chunk goes the regular way.
"""

from __future__ import annotations

from functools import cache

try:
    import re2
except ImportError:  # pragma: no cover - RE2 is a pinned dependency; without it: the regular way
    re2 = None

#: RE2's memory budget for one plain pattern and its automaton
PLAIN_MEMORY = 8 << 20
#: lines of a chunk that are not plain read the regular way one by one, up to this many; a chunk
#: with more goes the regular way whole (a column of mixed shapes: phone numbers of many countries)
ODD_LIMIT = 32


@cache
def compiled(pattern: str):
    """`pattern` compiled by RE2 for yes/no questions (no groups), or None without RE2."""
    if re2 is None:
        return None
    options = re2.Options()
    options.never_capture = True
    options.max_mem = PLAIN_MEMORY
    return re2.compile(pattern, options)


def joined_lines(texts: list[str]) -> str | None:
    """The texts joined by newlines, or None when they cannot be lined up (a line break inside)."""
    joined = "\n".join(texts)
    if "\r" in joined or joined.count("\n") != len(texts) - 1:
        return None
    return joined


def odd_lines(line: str | None, joined: str | None, never: str = "") -> list[int] | None:
    """Indices of the lines of a joined chunk that are neither `line` matches nor empty, or hold
    `never`, in order: [] for a plain chunk; None when there are more than ODD_LIMIT (or no RE2),
    and the chunk is better read the regular way. One RE2 pass over each run of plain lines."""
    if line is None or joined is None or re2 is None:
        return None
    # a run of plain (or empty) lines, each with its line break; one line, plain or empty
    run, whole = compiled(rf"(?:(?:{line})?\n)*"), compiled(rf"(?:{line})?")
    data = joined.encode()
    size = len(data)
    odd: set[int] = set()
    position = index = 0
    while position < size:
        end = run.match(data, position).end()  # the run of plain lines from here (maybe none)
        index += data.count(b"\n", position, end)
        if end == size:
            break
        line_end = data.find(b"\n", end)
        if line_end < 0:  # the last line: plain unless it is not a match
            if whole.fullmatch(data, end) is None:
                odd.add(index)
            break
        odd.add(index)
        if len(odd) > ODD_LIMIT:
            return None
        position, index = line_end + 1, index + 1
    if never and never in joined and not _add_holding(odd, joined, never):
        return None
    return sorted(odd)


def _add_holding(odd: set[int], joined: str, never: str) -> bool:
    """Adds the lines holding `never` (a text without line breaks); False past ODD_LIMIT."""
    start = joined.find(never)
    while start >= 0:
        odd.add(joined.count("\n", 0, start))
        if len(odd) > ODD_LIMIT:
            return False
        line_end = joined.find("\n", start)
        start = -1 if line_end < 0 else joined.find(never, line_end + 1)
    return True


def found_in(pattern: str, text: str) -> bool | None:
    """Whether RE2 finds `pattern` in text; None without RE2 (the caller asks Python's `re`)."""
    compiled_pattern = compiled(pattern)
    if compiled_pattern is None:
        return None
    return compiled_pattern.search(text.encode()) is not None
