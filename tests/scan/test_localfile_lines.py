"""The survey's longest line: chunk by chunk, lines running over chunk edges, as the whole file says."""

import random

from bot.scan.localfile import _longest_line


def test_longest_line_over_chunks_equals_the_whole_file():
    rng = random.Random(6620)
    for _ in range(3_000):
        data = bytes(rng.choice(b"ab\n") for _ in range(rng.randint(0, 60)))
        cuts = sorted(rng.sample(range(len(data) + 1), k=min(len(data) + 1, rng.randint(0, 5))))
        run = longest = 0
        for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True):
            run, longest = _longest_line(data[start:end], run, longest)
        lines = data.split(b"\n")
        assert max(longest, run) == max(map(len, lines))
        assert run == len(lines[-1])
