"""Whole chunks of plain values recognised in one RE2 pass (the batch kernels' fast path).

A batch kernel (base.batch_lines) runs a detector's MULTILINE pattern over a chunk of a column
joined by newlines: Python's `re` tries the value's shape on every line, then the `.*$` branch
for lines that are not one (about 300 ns a line). Most chunks of a classified column hold only
values in one plain shape ("avieira0@mailbox-provider.net", "418-80-0372", "Ana López"). A
detector declares that shape as a `plain_line`: an RE2 pattern over ASCII (or explicitly listed
letters) whose every match is a line the kernel's pattern takes whole, the group being the line
itself. `plain_chunk()` checks a chunk in one RE2 full match over its UTF-8 bytes (a few ns a
byte, linear time); when every line is plain or empty, the kernel's matches are the texts
themselves and the regular expression is not run. Any other chunk (an odd value, surrounding
blanks, a text holding a line break) goes the regular way, so results never change; the tests
in tests/scan/test_kernels_fast.py compare both ways on generated values.

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


@cache
def compiled(line: str):
    """The RE2 pattern of a chunk whose every line is `line` or empty; None without RE2."""
    if re2 is None:
        return None
    options = re2.Options()
    options.never_capture = True
    options.max_mem = PLAIN_MEMORY
    return re2.compile(rf"(?:{line})?(?:\n(?:{line})?)*", options)


@cache
def compiled_search(pattern: str):
    """An RE2 pattern for a yes/no search (what it finds does not matter, only whether it finds)."""
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


def plain_chunk(line: str | None, joined: str | None) -> bool:
    """True when every line of the joined chunk is a `line` match or empty (RE2, one pass)."""
    if line is None or joined is None:
        return False
    pattern = compiled(line)
    return pattern is not None and pattern.fullmatch(joined.encode()) is not None


def found_in(pattern: str, text: str) -> bool | None:
    """Whether RE2 finds `pattern` in text; None without RE2 (the caller asks Python's `re`)."""
    compiled_pattern = compiled_search(pattern)
    if compiled_pattern is None:
        return None
    return compiled_pattern.search(text.encode()) is not None
