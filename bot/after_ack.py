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
- each job waits for a **pause in the traffic**: no request answered in this process for
  ``SETTLE`` seconds (``InFlight``, counted at the HTTP edge), or at most ``MAX_WAIT`` seconds
  after it was queued, so a reply is late by at most that under a sustained burst, never
  starved (and by ``SETTLE``, imperceptibly, when the floor is quiet);
- while a job runs, the interpreter hands the GIL on every ``QUIET_SWITCH`` seconds instead of
  every 5 ms, so a request thread woken by its socket or the database waits that long at most
  for the job to let it run;
- requests for the same thing while one is waiting join it (``Coalescer``): ten quick logs by
  one rep cost one standings computation, and each log's own response_url gets its answer.

What an acknowledgement promises (the log is stored) is committed before the acknowledgement;
nothing here writes a log, so a late, dropped or failed reply can never lose or double one.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from collections.abc import Callable, Hashable

log = logging.getLogger("pacer.background")

Job = Callable[[], None]

MAX_WAIT = 2.0  # seconds a quiet job waits at most for a pause in the traffic
SETTLE = 0.05  # seconds without a request that make a pause (not a gap between two requests)
QUIET_SWITCH = 0.0005  # seconds: the GIL switch interval while a quiet job runs (default 0.005)
MAX_JOBS = 1000  # queued quiet jobs per process; each is one rep's replies, or one Home tab


class Handoff:
    """A follow-up that only hands work on to a queue (a ``Coalescer``): run in the request's
    own thread right after the acknowledgement, with no pool thread to wake for it."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self) -> None:
        self.job()


class InFlight:
    """How many requests this process is answering (entered and left at the HTTP edge), and
    when that last changed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._count = 0
        self._changed = clock()
        self._calm = threading.Condition()

    def enter(self) -> None:
        with self._calm:
            self._count += 1
            self._changed = self.clock()

    def leave(self) -> None:
        with self._calm:
            self._count -= 1
            self._changed = self.clock()
            if self._count == 0:
                self._calm.notify_all()

    @property
    def count(self) -> int:
        return self._count

    def wait_quiet(self, settle: float, deadline: float) -> bool:
        """True once no request has been in flight for ``settle`` seconds (a pause in the
        traffic, not the gap between one request and the next); False at ``deadline``."""
        with self._calm:
            while True:
                now = self.clock()
                if now >= deadline:
                    return False
                if self._count:
                    self._calm.wait(deadline - now)
                    continue
                calm_at = self._changed + settle
                if now >= calm_at:
                    return True
                self._calm.wait(min(calm_at, deadline) - now)


class QuietLane:
    """An executor (``submit``) whose jobs run one at a time on a thread of their own, each in a
    pause of the traffic (``InFlight``) or ``max_wait`` seconds after it was queued, whichever
    comes first. ``submit`` returns False (and drops the job) when ``max_jobs`` are waiting."""

    def __init__(
        self,
        in_flight: InFlight,
        max_wait: float = MAX_WAIT,
        max_jobs: int = MAX_JOBS,
        settle: float = SETTLE,
    ) -> None:
        self.in_flight, self.max_wait, self.settle = in_flight, max_wait, settle
        self.clock = in_flight.clock
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
            self.in_flight.wait_quiet(self.settle, due)
            usual = sys.getswitchinterval()
            sys.setswitchinterval(min(usual, QUIET_SWITCH))
            try:
                run_logged(job)
            finally:
                sys.setswitchinterval(usual)

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
