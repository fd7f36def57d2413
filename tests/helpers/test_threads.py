"""run_at_once: every worker runs, together, and a worker's exception reaches the test."""

from __future__ import annotations

import threading

import pytest

from tests.helpers.threads import WorkerFailed, run_at_once


def test_every_worker_runs_once():
    seen: list[int] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        with lock:
            seen.append(worker)

    run_at_once(work, 8)
    assert sorted(seen) == list(range(8))


def test_a_worker_that_raises_fails_the_caller():
    def work(worker: int) -> None:
        if worker % 3 == 0:
            raise KeyError("boom")

    with pytest.raises(WorkerFailed, match="3 of 7 workers raised; the first: KeyError") as caught:
        run_at_once(work, 7)
    assert isinstance(caught.value.__cause__, KeyError)
