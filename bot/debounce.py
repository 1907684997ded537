"""Work that only needs doing once for a burst of requests: a Home tab re-published after each
of ten quick logs shows the same numbers as one re-published after the last, at a tenth of the
CPU (and the CPU is what the next rep's acknowledgement waits for)."""

import heapq
import threading
import time
from collections.abc import Callable, Hashable

Job = Callable[[], None]


class Debouncer:
    """Runs one job per key ``delay`` seconds after the first request for it; requests for a key
    already waiting join it (the newest job wins), so a burst costs one run. With ``delay`` 0
    the job is submitted at once and only requests that arrive while it is still queued join it.

    ``submit`` hands a job to the pool that runs work after the acknowledgement; one daemon
    thread (started on first use) keeps the waiting keys in time order."""

    def __init__(self, submit: Callable[[Job], None], delay: float = 0.0):
        self._submit, self.delay = submit, delay
        self._lock = threading.Condition()
        self._waiting: dict[Hashable, Job] = {}
        self._due: list[tuple[float, int, Hashable]] = []  # (when, order, key), a heap
        self._order = 0
        self._thread: threading.Thread | None = None

    def request(self, key: Hashable, job: Job) -> None:
        with self._lock:
            joined = key in self._waiting
            self._waiting[key] = job
            if joined:
                return
            if self.delay > 0:
                self._order += 1
                heapq.heappush(self._due, (time.monotonic() + self.delay, self._order, key))
                self._start()
                self._lock.notify()
                return
        self._submit(lambda: self._run(key))

    def _run(self, key: Hashable) -> None:
        with self._lock:
            job = self._waiting.pop(key, None)
        if job is not None:
            job()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="pacer-debounce", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._lock.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, key = heapq.heappop(self._due)
            self._submit(lambda key=key: self._run(key))
