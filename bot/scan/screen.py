"""Which detectors could find anything in a line, for all of them in one pass (prose speed).

Running every detector's pattern over every line of a log costs about 40 ns a character per
pattern; most lines hold nothing. A line screen asks RE2 (a multi-pattern automaton, one pass
whatever the number of patterns) which detectors' patterns can match in the line, and only those
detectors then search it with their own Python pattern, so results are exactly the same.

Each screen pattern is a *necessary* condition: the detector's text pattern with its edge
lookarounds turned into consumed edge characters (RE2 has no lookarounds; consuming one more
character changes nothing when the question is only "is there a match"), and whitespace spelled
out as Python's. A detector may declare a tighter `screen_pattern` (a phone needs 10 digits).
The screen is used on ASCII lines only (without the separators \x1c-\x1f, whitespace to Python
only), where RE2's and Python's classes agree and the detectors' patterns can run with ASCII
classes (faster, same matches); other lines are searched by every detector, as without a screen.
"""

from __future__ import annotations

import re

try:
    import re2
except ImportError:  # the screen is an optimisation: without RE2 every detector reads every line
    re2 = None

from bot.scan.detectors.base import Detector

#: RE2's budget for the compiled set and its automaton cache (a set never gives up for slowness,
#: only when a few states do not fit, which this leaves no room for)
SCREEN_MEMORY = 64 << 20
#: Python's ASCII whitespace (RE2's \s leaves out \v and \x1c-\x1f)
_SPACE_CHARS = r"\t\n\x0b\x0c\r\x1c-\x1f "
#: whitespace to Python's Unicode classes, not to its ASCII ones (such lines are not screened)
_ODD_SPACE = re.compile(r"[\x1c-\x1f]")
#: a negative lookbehind of one character class opening the pattern, a lookahead closing it
_LEADING = re.compile(r"\A\(\?<!\[((?:\\.|[^\]\\^])(?:\\.|[^\]\\])*)\]\)")
_TRAILING = re.compile(r"\(\?!\[((?:\\.|[^\]\\^])(?:\\.|[^\]\\])*)\]\)\Z")


def core_pattern(pattern: re.Pattern[str]) -> str | None:
    """The pattern in RE2 syntax, its edge lookarounds as consumed edge characters; None when it
    cannot be translated (another lookaround: that detector then reads every line)."""
    text = _LEADING.sub(lambda m: f"(?:^|[^{m.group(1)}])", pattern.pattern)
    text = _TRAILING.sub(lambda m: f"(?:$|[^{m.group(1)}])", text)
    if "(?=" in text or "(?!" in text or "(?<" in text or "(?P" in text:
        return None
    text = _spell_out_spaces(text)
    return f"(?i){text}" if pattern.flags & re.IGNORECASE else text


def _spell_out_spaces(text: str) -> str:
    r"""\s as Python's ASCII whitespace, inside and outside character classes."""
    out = []
    in_class = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            pair = text[index:index + 2]
            if pair == r"\s":
                out.append(_SPACE_CHARS if in_class else f"[{_SPACE_CHARS}]")
            else:
                out.append(pair)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and text[index - 1] not in "[^":
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


_NOTHING: frozenset[str] = frozenset()


def literal_finder(words: tuple[str, ...]):
    """A search for any of these literal words in a text (RE2: one pass for all of them), or None."""
    if re2 is None or not words:
        return None
    return re2.compile("|".join(re2.escape(word) for word in sorted(words, key=len, reverse=True))).search


def ascii_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern with ASCII classes: the same matches on a screened line, found faster."""
    return re.compile(pattern.pattern, (pattern.flags & ~re.UNICODE) | re.ASCII)


class LineScreen:
    """One RE2 set over the detectors' screen patterns (and extra named patterns)."""

    def __init__(self, detectors: list[Detector], extra: dict[str, re.Pattern[str]] | None = None):
        self.always: tuple[str, ...] = ()
        self._names: list[str] = []
        #: RE2's list of pattern indexes -> names, remembered (few combinations occur)
        self._named: dict[tuple[int, ...], frozenset[str]] = {}
        self._set = None
        if re2 is None:
            return
        options = re2.Options()
        options.max_mem = SCREEN_MEMORY
        screen = re2.Set.SearchSet(options)
        always = []
        patterns = [(d.type, d.screen_pattern or core_pattern(d.text_pattern)) for d in detectors]
        patterns += [(f"{d.type}+", d.full_screen) for d in detectors if d.narrow_pattern is not None]
        patterns += [(name, core_pattern(pattern)) for name, pattern in (extra or {}).items()]
        names: dict[int, str] = {}
        for name, pattern in patterns:
            try:
                if pattern is None:
                    raise ValueError("not translatable")
                names[screen.Add(pattern)] = name
            except Exception:  # noqa: BLE001 - a pattern RE2 refuses: that detector reads every line
                always.append(name)
        if not names:
            return
        try:
            screen.Compile()
        except re2.error:
            return
        self._names = [names.get(index, "") for index in range(max(names) + 1)]
        self._set = screen
        self.always = tuple(always)

    @property
    def active(self) -> bool:
        return self._set is not None

    def lines(self, lines: list[str], joined: str) -> list[frozenset[str] | None]:
        """__call__ for each line of a chunk (`joined`: the lines joined by line breaks)."""
        if self._set is None:
            return [None] * len(lines)
        if not joined.isascii() or _ODD_SPACE.search(joined):
            return [self(line) for line in lines]
        match, named = self._set.Match, self._named
        found = []
        for line in lines:
            hits = match(line)
            if hits is None and not self.always:
                found.append(_NOTHING)
                continue
            key = tuple(hits or ())
            names = named.get(key)
            if names is None:
                names = named[key] = frozenset([self._names[i] for i in key] + list(self.always))
            found.append(names)
        return found

    def __call__(self, line: str) -> frozenset[str] | None:
        """The names whose patterns may match in this ASCII line; None: no screen for it.

        "TYPE+" among them: the detector's narrow pattern is not enough for this line.
        """
        if self._set is None or not line.isascii() or _ODD_SPACE.search(line):
            return None
        hits = self._set.Match(line)
        if not hits and not self.always:
            return _NOTHING
        names = self._names
        return frozenset([names[i] for i in hits or ()] + list(self.always))
