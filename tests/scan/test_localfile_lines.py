"""The survey's longest line and line facts: chunk by chunk, lines running over chunk edges, as the whole file says."""

import random

from bot.scan.localfile import LineFacts


def test_longest_line_over_chunks_equals_the_whole_file():
    rng = random.Random(6620)
    for _ in range(3_000):
        data = bytes(rng.choice(b"ab\n") for _ in range(rng.randint(0, 60)))
        cuts = sorted(rng.sample(range(len(data) + 1), k=min(len(data) + 1, rng.randint(0, 5))))
        facts = LineFacts()
        for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True):
            facts.feed(data[start:end])
        lines = data.split(b"\n")
        assert facts.longest == max(map(len, lines))
        assert facts.run == len(lines[-1])


def test_line_facts_over_chunks_equal_the_whole_file():
    rng = random.Random(9931)
    for _ in range(3_000):
        data = bytes(rng.choice(b'ab\n\n\r"\0') for _ in range(rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(len(data) + 1), k=min(len(data) + 1, rng.randint(0, 6))))
        facts = LineFacts()
        for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True):
            facts.feed(data[start:end])
        lines = data.split(b"\n")
        # a blank line: "" or a lone CR, ended by a line feed, after a line feed (not the first line)
        blanks = [number for number, line in enumerate(lines[:-1], start=1) if number > 1 and line in (b"", b"\r")]
        assert facts.last_blank == max(blanks, default=0)
        assert (facts.newlines, facts.returns, facts.crlf) == (data.count(b"\n"), data.count(b"\r"), data.count(b"\r\n"))
        assert (facts.nul, facts.quoted) == (b"\0" in data, b'"' in data)
        assert facts.ends_open == (data[-1:] not in (b"", b"\n"))
        pieces = [data[start:end] for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        pieces = [piece for piece in pieces if piece]  # an empty read is no chunk
        assert facts.before_chunk == [sum(p.count(b"\n") for p in pieces[:i]) for i in range(len(pieces))]
