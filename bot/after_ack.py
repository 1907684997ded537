"""Work after the acknowledgement that can wait a little, kept out of the acknowledgements' way.

A burst of `/log`s on a sales floor is 50 people typing at once; each log's standings reply (a
scorecard read, pacing maths, a template) costs several times its acknowledgement's CPU, and a
Python process runs one thread at a time. Run at once on a pool, the replies of the first logs
would take the cores and the interpreter from the acknowledgements of the next ones, which Slack
drops after 3 s (and the rep retypes: a log counted twice). So this work goes to a quiet lane:

- a **bounded queue** per process with **one thread**: the replies never run side by side to
  crowd the acknowledgements, and a flood can't pile up memory (beyond ``MAX_JOBS`` a job is
  dropped with a warning: what it would have said is only a view of logs already stored and
  already confirmed in the acknowledgement);
- each job waits until **no request is being answered** in this process (``InFlight``, counted
  at the HTTP edge), or at most ``MAX_WAIT`` seconds after it was queued, so a reply is late by
  at most that under a sustained burst, never starved;
- requests for the same thing while one is waiting join it (``Coalescer``): ten quick logs by
  one rep cost one standings computation, and each log's own response_url gets its answer.

What an acknowledgement promises (the log is stored) is committed before the acknowledgement;
nothing here writes a log, so a late, dropped or failed reply can never lose or double one.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Hashable

log = logging.getLogger("pacer.background")

Job = Callable[[], None]

MAX_WAIT = 2.0  # seconds a quiet job waits for a moment with no request in flight
MAX_JOBS = 1000  # queued quiet jobs per process; each is one rep's replies, or one Home tab


class Handoff:
    """A follow-up that only hands work on to a queue (a ``Coalescer``): run in the request's
    own thread right after the acknowledgement, with no pool thread to wake for it."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self) -> None:
        self.job()


class InFlight:
    """How many requests this process is answering (entered and left at the HTTP edge)."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = threading.Condition()

    def enter(self) -> None:
        with self._idle:
            self._count += 1

    def leave(self) -> None:
        with self._idle:
            self._count -= 1
            if self._count == 0:
                self._idle.notify_all()

    @property
    def count(self) -> int:
        return self._count

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is in flight; False when ``timeout`` seconds passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, max(timeout, 0.0))


class QuietLane:
    """An executor (``submit``) whose jobs run one at a time on a thread of their own, each in a
    quiet moment (``InFlight`` idle) or ``max_wait`` seconds after it was queued, whichever
    comes first. ``submit`` returns False (and drops the job) when ``max_jobs`` are waiting."""

    def __init__(
        self,
        in_flight: InFlight,
        max_wait: float = MAX_WAIT,
        max_jobs: int = MAX_JOBS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.in_flight, self.max_wait, self.clock = in_flight, max_wait, clock
        self._jobs: queue.Queue[tuple[float, Job]] = queue.Queue(max_jobs)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.dropped = 0

    def submit(self, job: Job) -> bool:
        try:
            self._jobs.put_nowait((self.clock() + self.max_wait, job))
        except queue.Full:
            self.dropped += 1
            log.warning("after-ack queue full (%s jobs): a reply was dropped", self._jobs.maxsize)
            return False
        if self._thread is None:
            self._start()
        return True

    def pending(self) -> int:
        return self._jobs.qsize()

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="pacer-quiet", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            due, job = self._jobs.get()
            self.in_flight.wait_idle(due - self.clock())
            run_logged(job)

    def shutdown(self, wait: bool = True) -> None:  # the executor protocol; a daemon thread
        pass


def run_logged(job: Job) -> None:
    try:
        job()
    except Exception:  # a failed follow-up must not vanish silently
        log.exception("background job failed")


class Coalescer:
    """One run for every request of a key that arrives while a run for it is waiting: ``run``
    gets all their items, in arrival order, each exactly once. ``submit`` queues the run (an
    executor's submit; False from it means the run was refused, and its items are dropped with
    it, said in the log)."""

    def __init__(self, submit: Callable[[Job], object]) -> None:
        self._submit = submit
        self._lock = threading.Lock()
        self._pending: dict[Hashable, list] = {}

    def request(self, key: Hashable, item: object, run: Callable[[list], None]) -> None:
        with self._lock:
            waiting = self._pending.get(key)
            if waiting is not None:
                waiting.append(item)
                return
            self._pending[key] = [item]
        if self._submit(lambda: self._run(key, run)) is False:
            with self._lock:
                dropped = self._pending.pop(key, [])
            log.warning("after-ack work for %s dropped (%s requests)", key, len(dropped))

    def _run(self, key: Hashable, run: Callable[[list], None]) -> None:
        with self._lock:
            items = self._pending.pop(key, [])
        if items:
            run(items)
