"""Finding prose candidates for a whole chunk of lines at once (prose.py's prefind).

Most lines of a log hold nothing personal, and running every detector's pattern on every line
is what made prose slow. A chunk of lines is searched together: the RE2 line screen (screen.py)
says which detectors may match each ASCII line and only those run their own pattern there;
without RE2, each pattern runs once over the chunk joined by line breaks. Either way the
candidates are exactly those the line-by-line search finds (tests/scan/test_screen.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from itertools import accumulate

from bot.scan.detectors.base import Candidate, Detector
from bot.scan.screen import LineScreen, ascii_twin, literal_finder

#: prefind() for a line whose candidates must be found on the line alone
PER_LINE = "per line"
#: pattern matches whose verdict is remembered (then the memo starts again)
JUDGED_CAP = 20_000


def _spans_of(pattern: re.Pattern[str]):
    return lambda line: [match.span() for match in pattern.finditer(line)]


class _ContextGate:
    """The types that always need a context word and have none in the chunk (found on demand)."""

    def __init__(self, detectors: list[Detector], finders: dict, text: str):
        self._detectors = {d.type: d for d in detectors if d.always_needs_context}
        self._finders = finders
        self._text = text
        self._lowered: str | None = None
        self._silent: dict[str, bool] = {}

    def __contains__(self, kind: str) -> bool:
        silent = self._silent.get(kind)
        if silent is None:
            detector = self._detectors.get(kind)
            if detector is None:
                silent = False
            else:
                if self._lowered is None:
                    self._lowered = self._text.lower()
                finder = self._finders.get(kind)
                silent = not (finder(self._lowered) if finder else detector.may_have_context(self._lowered))
            self._silent[kind] = silent
        return silent


@cache
def _shared_screen(detectors: tuple[Detector, ...], label: re.Pattern[str]) -> LineScreen:
    """One compiled screen per process (about 2 ms to build; it holds no state of a scan)."""
    return LineScreen(list(detectors), {"label": label})


class ChunkSearch:
    """The prose detectors' candidates, a chunk of lines at a time."""

    def __init__(self, detectors: list[Detector], *, label: re.Pattern[str], max_piece: int):
        self.detectors = detectors
        #: a "Name: ..." label: such a line is looked at even without a candidate
        self.label = label
        #: longer lines are scanned in pieces by prose.py, line by line
        self.max_piece = max_piece
        self.screen = _shared_screen(tuple(detectors), label)
        self._judged: dict[tuple[str, str], tuple | None] = {}
        self._ascii_patterns = {d.type: ascii_twin(d.text_pattern) for d in detectors}
        self._by_type = {d.type: d for d in detectors}
        self._context_finders = {d.type: literal_finder(d.context_literals) for d in detectors
                                 if d.always_needs_context}
        #: type -> spans of its narrow pattern in an ASCII line (the detector's own finder if it has one)
        self._ascii_narrow = {d.type: getattr(d, "narrow_spans", None) or _spans_of(ascii_twin(d.narrow_pattern))
                              for d in detectors if d.narrow_pattern}

    def prefind(self, lines: list[str], *, context: str = "") -> list:
        """The candidates of a chunk of lines, found without running every pattern on every
        line: most lines of a log hold nothing.

        Per line: None (nothing that scan() could report: skip it), a dict type -> candidates
        for scan(found=...), or PER_LINE (scan() finds them itself). `context` holds every text
        that may be context for the chunk (the line above it, headers): a type that always needs
        a context word is not searched when none occurs.
        """
        joined = "\n".join(lines)
        silent = _ContextGate(self.detectors, self._context_finders, f"{context}\n{joined}")
        if self.screen.active:
            return self._prefind_screened(lines, joined, silent)
        return self._prefind_joined(lines, silent)

    def _prefind_screened(self, lines: list[str], joined: str, silent: _ContextGate) -> list:
        """The line screen (screen.py) says which detectors may match a line; only those search it."""
        found: list = [None] * len(lines)
        by_type, judge = self._by_type, self._judge
        patterns, narrow = self._ascii_patterns, self._ascii_narrow
        for index, (line, names) in enumerate(zip(lines, self.screen.lines(lines, joined), strict=True)):
            if names is None or len(line) > self.max_piece:
                found[index] = PER_LINE
                continue
            if not names:
                continue
            slot = {}
            for kind in names:
                detector = by_type.get(kind)
                if detector is None or kind in silent:
                    continue
                if kind in narrow and f"{kind}+" not in names:
                    candidates = [Candidate(start + span[0], start + span[1], *span[2])
                                  for start, end in narrow[kind](line)
                                  if (span := judge(detector, line[start:end])) is not None]
                else:
                    candidates = [Candidate(m.start() + span[0], m.start() + span[1], *span[2])
                                  for m in patterns[kind].finditer(line)
                                  if (span := judge(detector, m.group(0))) is not None]
                if candidates:
                    slot[kind] = candidates
            if "label" in names:
                slot["label"] = []
            if slot:
                found[index] = slot
        return found

    def _judge(self, detector: Detector, raw: str) -> tuple | None:
        """detector.judge_span(raw), remembered: logs repeat their addresses and numbers."""
        memo = self._judged
        key = (detector.type, raw)
        if key in memo:
            return memo[key]
        if len(memo) >= JUDGED_CAP:
            memo.clear()
        judged = memo[key] = detector.judge_span(raw)
        return judged

    def _prefind_joined(self, lines: list[str], silent: _ContextGate) -> list:
        """Without the screen: each pattern runs once over the chunk joined by line breaks.

        The patterns never match a line break inside a value, and their edges treat a line break
        as the end of the text, so a match that stays in its line is exactly a match of that line
        alone; a match across a break sends its lines to PER_LINE.
        """
        found: list = [None] * len(lines)
        texts = lines
        if any(len(line) > self.max_piece for line in lines):
            texts = ["" if len(line) > self.max_piece else line for line in lines]
            found = [PER_LINE if len(line) > self.max_piece else None for line in lines]
        joined = "\n".join(texts)
        if joined.count("\n") != len(texts) - 1:  # a line holding a line break
            return [PER_LINE] * len(lines)
        starts = [0, *accumulate(len(text) + 1 for text in texts)]
        for detector in self.detectors:
            if detector.type in silent or (detector.required_char and detector.required_char not in joined):
                continue
            judged_by_raw: dict[str, tuple | None] = {}
            for match in detector.text_pattern.finditer(joined):
                start, end = match.span()
                index = bisect_right(starts, start) - 1
                line_start = starts[index]
                if end > line_start + len(texts[index]):  # across a line break
                    for crossed in range(index, bisect_right(starts, end - 1)):
                        found[crossed] = PER_LINE
                    continue
                slot = found[index]
                if slot is PER_LINE:
                    continue
                raw = match.group(0)
                if raw in judged_by_raw:
                    judged = judged_by_raw[raw]
                else:
                    judged = judged_by_raw[raw] = detector.judge_span(raw)
                if judged is None:
                    continue
                if slot is None:
                    slot = found[index] = {}
                at = start - line_start
                slot.setdefault(detector.type, []).append(Candidate(at + judged[0], at + judged[1], *judged[2]))
        for match in self.label.finditer(joined):  # "Name: ..." lines are looked at too
            first, last = bisect_right(starts, match.start()) - 1, bisect_right(starts, match.end() - 1) - 1
            for index in range(first, last + 1):
                if first != last:
                    found[index] = PER_LINE
                elif found[index] is None:
                    found[index] = {"label": []}
                elif found[index] is not PER_LINE:
                    found[index]["label"] = []
        return found
