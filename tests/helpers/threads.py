"""Work started in many threads at the same moment, for tests of concurrent writes and clicks.

`run_at_once(work, workers)` calls `work(worker)` for worker 0..workers-1, each in its own
thread; one barrier releases them together; it returns when every thread has ended. If any
`work` raised, the first exception is raised here (with how many failed), so a test cannot pass
because the work it counts on died in a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class WorkerFailed(AssertionError):
    """One or more workers raised; the first one's exception is the cause."""


def run_at_once(work: Callable[[int], None], workers: int) -> None:
    start = threading.Barrier(workers)
    failures: list[BaseException] = []

    def run(worker: int) -> None:
        start.wait()
        try:
            work(worker)
        except BaseException as err:  # noqa: BLE001 - raised in the caller's thread below
            failures.append(err)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise WorkerFailed(f"{len(failures)} of {workers} workers raised; the first: "
                           f"{type(failures[0]).__name__}") from failures[0]
