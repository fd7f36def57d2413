"""Work started in many threads at the same moment, for tests of concurrent writes and clicks.

`run_at_once(work, workers)` calls `work(worker)` for worker 0..workers-1, each in its own
thread; one barrier releases them together; it returns when every thread has ended. An
exception in a thread is not raised here: `work` records failures where the test checks them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_at_once(work: Callable[[int], None], workers: int) -> None:
    start = threading.Barrier(workers)

    def run(worker: int) -> None:
        start.wait()
        work(worker)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
