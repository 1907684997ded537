"""The fault-and-load benchmark's table judges what it should: an acknowledged log missing or
stored twice fails its check, errors inside a fault window are told apart from the others, and
the schedule holds the faults the issue asks for."""

from collections import Counter

from bench import fault_load
from bench.common import Report
from bench.fault_report import Delivery, Sample, Window, tabulate
from bench.faults import Kill


def table(deliveries, stored, samples=None, windows=()) -> Report:
    report = Report("fault_load", "test")
    samples = samples or [Sample("/log", 1.0, 0.1, "")]
    kills = [Kill(3.0, 1234, 0.1)]
    tabulate(report, ["/log"], samples, deliveries, Counter(stored), (8, kills, list(windows)), "")
    return report


def row(report: Report, what: str):
    return next(r for r in report.rows if r.what.startswith(what))


def acked(trace: str, *answers: str) -> Delivery:
    return Delivery(trace, "T1", list(answers or ["ok"]), acked=True)


def test_every_acknowledged_log_stored_once_passes():
    report = table(
        [acked("fl-00-00000"), acked("fl-00-00001")], {"fl-00-00000": 1, "fl-00-00001": 1}
    )
    assert not report.problems(), report.render()
    assert row(report, "every acknowledged /log stored exactly once").result == "pass"


def test_an_acknowledged_log_missing_fails():
    report = table([acked("fl-00-00000"), acked("fl-00-00001")], {"fl-00-00000": 1})
    check = row(report, "every acknowledged /log stored exactly once")
    assert check.result.startswith("FAIL") and "fl-00-00001" in check.result


def test_a_log_stored_twice_fails():
    report = table([acked("fl-00-00000")], {"fl-00-00000": 2})
    assert row(report, "no /log stored twice").result.startswith("FAIL")
    assert row(report, "every acknowledged /log stored exactly once").result.startswith("FAIL")


def test_stored_after_an_error_is_allowed_and_counted():
    failed = Delivery("fl-00-00001", "T2", ["connection reset", "connection reset"])
    report = table([acked("fl-00-00000"), failed], {"fl-00-00000": 1, "fl-00-00001": 1})
    assert not report.problems(), report.render()
    assert row(report, "stored but not acknowledged").n == 1


def test_nothing_stored_answer_contradicted_by_the_retry_is_counted():
    retried = acked("fl-00-00000", "answer: database busy", "duplicate")
    report = table([retried], {"fl-00-00000": 1})
    assert row(report, "answered 'nothing was stored', yet stored").n == 1
    assert row(report, "/log sent again").ratio == "1 acknowledged, 1 'counted once'"


def test_errors_in_a_fault_window_are_told_apart():
    samples = [Sample("/log", t, 0.1, "") for t in range(100)]
    samples[10] = Sample("/log", 10.0, 0.1, "connection reset")  # inside the window
    samples[50] = Sample("/log", 50.0, 0.1, "HTTP 500")  # outside
    samples[11] = Sample("/log", 11.0, 3.5, "")  # answered, but after Slack gave up
    report = table([acked("fl-00-00000")], {"fl-00-00000": 1}, samples, [Window("kill", 9, 12)])
    outside = row(report, "error rate outside the fault windows")
    assert outside.n == "1/97" and outside.result == "FAIL"  # 1.03% ≥ 1%
    assert row(report, "  error: connection reset").ratio == "1 in fault windows"
    assert row(report, "  error: HTTP 500").ratio == "0 in fault windows"
    late = row(report, "answers later than 3 s")
    assert (late.n, late.ratio) == (1, "1 in fault windows")


def test_the_full_plan_kills_every_minute_and_restarts_postgres_once_halfway():
    plan = fault_load.plan_for(quick=False)
    events = plan.events()
    assert plan.seconds == 600 and plan.restart
    assert [t for t, what in events if what == "kill"] == [30 + 60 * i for i in range(10)]
    assert [(t, what) for t, what in events if what != "kill"] == [(300, "database")]


def test_quick_plan_cuts_connections_unless_asked_to_restart():
    assert not fault_load.plan_for(quick=True).restart
    assert fault_load.plan_for(quick=True, restart=True).restart
    assert [t for t, _ in fault_load.plan_for(quick=True).events()] == [3, 7, 11, 19]
