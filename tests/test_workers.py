"""The bounded worker pool: a burst queues, past the queue callers are told to retry."""

from __future__ import annotations

import threading

import pytest

from bot.workers import PoolBusy, WorkerPool


def test_burst_queues_then_refuses_without_growing_threads():
    pool = WorkerPool(workers=2, max_queued=3, name="t")
    release = threading.Event()
    started = []

    def job(n):
        started.append(n)
        release.wait(5)
        return n

    before = threading.active_count()
    futures = [pool.submit(job, n) for n in range(5)]  # 2 running + 3 waiting
    with pytest.raises(PoolBusy) as caught:
        pool.submit(job, 99)
    assert "try again" in str(caught.value)
    assert threading.active_count() - before <= 2
    assert pool.pending == 5
    release.set()
    assert sorted(f.result(5) for f in futures) == [0, 1, 2, 3, 4]
    pool.submit(job, 6).result(5)  # room again once the burst drained
    assert pool.pending == 0
    pool.shutdown(wait=True)


def test_a_failing_job_frees_its_slot():
    pool = WorkerPool(workers=1, max_queued=0, name="t")

    def boom():
        raise ValueError("content that must not be logged")

    with pytest.raises(ValueError):
        pool.submit(boom).result(5)
    assert pool.submit(lambda: 1).result(5) == 1
    pool.shutdown(wait=True)
