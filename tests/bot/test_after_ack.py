"""bot/after_ack.py: the quiet lane waits for a pause in the traffic (bounded), refuses work
beyond its bound, and the coalescer answers every request of a key exactly once. The clock is
injected: nothing here sleeps."""

import threading

from bot.after_ack import Coalescer, InFlight, QuietLane


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_pause_is_no_request_for_the_settle_time():
    clock = Clock()
    traffic = InFlight(clock)
    traffic.enter()
    assert traffic.wait_quiet(settle=0.05, deadline=clock.now) is False  # busy at the deadline
    traffic.leave()
    assert traffic.wait_quiet(settle=0.05, deadline=clock.now) is False  # just left: no pause yet
    clock.now += 0.05
    assert traffic.wait_quiet(settle=0.05, deadline=clock.now + 10) is True
    traffic.enter()  # a new request ends the pause
    assert traffic.count == 1
    assert traffic.wait_quiet(settle=0.05, deadline=clock.now) is False


def test_a_job_waits_while_requests_are_answered_and_runs_in_the_pause():
    traffic = InFlight()  # the real clock: the job runs on the lane's own thread
    lane = QuietLane(traffic, max_wait=3600, settle=0)
    ran = threading.Event()
    traffic.enter()
    lane.submit(ran.set)
    assert not ran.wait(0.05)  # still answering a request: the job waits (up to an hour)
    traffic.leave()
    assert ran.wait(10)


def test_a_job_runs_at_its_deadline_under_a_sustained_burst():
    traffic = InFlight()
    lane = QuietLane(traffic, max_wait=0, settle=3600)  # never a pause; due at once
    traffic.enter()
    ran = threading.Event()
    lane.submit(ran.set)
    assert ran.wait(10)


def test_beyond_its_bound_the_lane_refuses_work_and_says_so(caplog):
    traffic = InFlight()
    lane = QuietLane(traffic, max_wait=3600, max_jobs=1, settle=0)
    traffic.enter()  # the lane's thread holds the first job, waiting for a pause
    first, second = threading.Event(), threading.Event()
    assert lane.submit(first.set) is True
    while lane.pending():  # the thread has taken it (the queue is empty again)
        threading.Event().wait(0.001)
    assert lane.submit(second.set) is True  # the one place left
    assert lane.submit(lambda: None) is False
    assert lane.dropped == 1 and "queue full" in caplog.text
    traffic.leave()
    assert first.wait(10) and second.wait(10)


def test_a_failing_job_does_not_stop_the_lane(caplog):
    lane = QuietLane(InFlight(), max_wait=0, settle=0)
    ran = threading.Event()
    lane.submit(lambda: 1 / 0)
    lane.submit(ran.set)
    assert ran.wait(10)
    assert "background job failed" in caplog.text


class Manual:
    def __init__(self, refuse: bool = False) -> None:
        self.jobs, self.refuse = [], refuse

    def submit(self, job):
        if self.refuse:
            return False
        self.jobs.append(job)
        return True


def test_requests_waiting_together_run_once_with_every_item_once():
    pool, runs = Manual(), []
    coalescer = Coalescer(pool.submit)
    for item in ("a1", "a2", "a3"):
        coalescer.request("A", item, runs.append)
    coalescer.request("B", "b1", runs.append)
    assert len(pool.jobs) == 2
    for job in pool.jobs:
        job()
    assert runs == [["a1", "a2", "a3"], ["b1"]]
    for job in pool.jobs:  # a job run twice answers nothing twice
        job()
    assert runs == [["a1", "a2", "a3"], ["b1"]]
    coalescer.request("A", "a4", runs.append)  # after the run: a run of its own
    pool.jobs[-1]()
    assert runs[-1] == ["a4"]


def test_a_refused_run_drops_its_items_and_the_next_request_starts_afresh(caplog):
    pool, runs = Manual(refuse=True), []
    coalescer = Coalescer(pool.submit)
    coalescer.request("A", "a1", runs.append)
    assert "dropped" in caplog.text
    pool.refuse = False
    coalescer.request("A", "a2", runs.append)
    pool.jobs[0]()
    assert runs == [["a2"]]
