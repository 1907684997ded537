"""A burst of Home refreshes for one person runs once (bot/debounce.py)."""

import threading
import time

from bot.debounce import Debouncer


class Pool:
    """Collects what the debouncer submits, runs it when told."""

    def __init__(self, expected: int = 0):
        self.jobs, self.done = [], threading.Event()
        self.expected = expected

    def submit(self, job):
        self.jobs.append(job)
        if len(self.jobs) >= self.expected:
            self.done.set()

    def run_all(self):
        jobs, self.jobs = self.jobs, []
        for job in jobs:
            job()


def test_requests_while_queued_join_the_queued_run():
    pool, ran = Pool(), []
    refresh = Debouncer(pool.submit)
    refresh.request("sam", lambda: ran.append("sam 1"))
    refresh.request("sam", lambda: ran.append("sam 2"))  # joins: the newest job wins
    refresh.request("ana", lambda: ran.append("ana"))
    assert len(pool.jobs) == 2
    pool.run_all()
    assert ran == ["sam 2", "ana"]
    refresh.request("sam", lambda: ran.append("sam 3"))  # after the run: a new one
    pool.run_all()
    assert ran == ["sam 2", "ana", "sam 3"]


def test_a_delay_gathers_a_burst_into_one_run_per_key():
    pool, ran = Pool(expected=2), []
    refresh = Debouncer(pool.submit, delay=0.05)
    started = time.monotonic()
    for n in range(10):
        refresh.request("sam", lambda n=n: ran.append(f"sam {n}"))
    refresh.request("ana", lambda: ran.append("ana"))
    submitted, waited = list(pool.jobs), time.monotonic() - started
    # nothing before the delay (a loaded machine may have paused this thread past it: then
    # the run may have been handed over already, and the rest of the test still holds)
    assert submitted == [] or waited >= 0.05
    assert pool.done.wait(5)
    pool.run_all()
    assert sorted(ran) == ["ana", "sam 9"]
