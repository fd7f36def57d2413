"""The survey's longest line and line facts: chunk by chunk, lines running over chunk edges, as the whole file says."""

import random

from bot.scan.localfile import LineFacts


def _fed(rng: random.Random, alphabet: bytes, longest: int, most_cuts: int) -> tuple[bytes, list[bytes], LineFacts]:
    """Random bytes, the pieces they were cut into (some empty), and the facts fed piece by piece."""
    data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))
    cuts = sorted(rng.sample(range(len(data) + 1), k=min(len(data) + 1, rng.randint(0, most_cuts))))
    pieces = [data[start:end] for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True)]
    facts = LineFacts()
    for piece in pieces:
        facts.feed(piece)
    return data, pieces, facts


def test_longest_line_over_chunks_equals_the_whole_file():
    rng = random.Random(6620)
    for _ in range(3_000):
        data, _, facts = _fed(rng, b"ab\n", 60, 5)
        lines = data.split(b"\n")
        assert facts.longest == max(map(len, lines))
        assert facts.run == len(lines[-1])


def test_line_facts_over_chunks_equal_the_whole_file():
    rng = random.Random(9931)
    for _ in range(3_000):
        data, pieces, facts = _fed(rng, b'ab\n\n\r"\0', 40, 6)
        lines = data.split(b"\n")
        # a blank line: "" or a lone CR, ended by a line feed, after a line feed (not the first line)
        blanks = [number for number, line in enumerate(lines[:-1], start=1) if number > 1 and line in (b"", b"\r")]
        assert facts.last_blank == max(blanks, default=0)
        assert (facts.newlines, facts.returns, facts.crlf) == (data.count(b"\n"), data.count(b"\r"), data.count(b"\r\n"))
        assert (facts.nul, facts.quoted) == (b"\0" in data, b'"' in data)
        assert facts.ends_open == (data[-1:] not in (b"", b"\n"))
        pieces = [piece for piece in pieces if piece]  # an empty read is no chunk
        assert facts.before_chunk == [sum(p.count(b"\n") for p in pieces[:i]) for i in range(len(pieces))]
