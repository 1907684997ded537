"""Every benchmark in quick mode (bench/README.md), so none can rot: it runs against today's code,
prints its table, and its correctness checks hold. Times are not judged.

In-process, as `python -m bench.run --quick --only NAME` runs them; the PostgreSQL variants run
when TEST_DATABASE_URL is set. The ack benchmarks start real servers (gunicorn): they are
stopped after the two ack tests, and the test fails if any of their processes is left; so does
fault_load's (PostgreSQL only), which stops its own."""

import os

import pytest

from bench import ack, digest, run, servers
from bench.common import Report

POSTGRES = os.environ.get("TEST_DATABASE_URL") or None
DATABASES = ["SQLite", "PostgreSQL"] if POSTGRES else ["SQLite"]


def quick(name: str) -> tuple[Report, str]:
    report = run.run_benchmark(name, quick=True, postgres=POSTGRES)
    table = report.render()
    print(table)  # shown with -s, and with the failure report
    return report, table


def assert_ran(
    report: Report, table: str, checks: list[str], postgres_variant: bool = True
) -> None:
    """The table was printed with its rows, nothing raised, every expected correctness check
    is there and passed, and a PostgreSQL variant left out says so."""
    lines = table.splitlines()
    assert lines[0].startswith(f"== {report.name}: "), table
    assert lines[1].split()[:3] == ["what", "n", "p50"], table
    assert report.rows and not report.problems(), table
    passed = [r.what for r in report.rows if r.check and r.result.startswith("pass")]
    for expected in checks:
        assert any(expected in what for what in passed), f"no passed check {expected!r}:\n{table}"
    if postgres_variant and not POSTGRES:
        assert any("PostgreSQL: skipped" in note for note in report.notes), table


@pytest.fixture(scope="class")
def ack_servers_stopped():
    """Stops the ack servers after the class's tests, however they ended, and fails if a
    server process (gunicorn's master or a worker) is left."""
    try:
        yield
    finally:
        ack.close()
    assert not servers.left_running(), servers.left_running()


@pytest.mark.usefixtures("ack_servers_stopped")
class TestAck:
    """Both ack benchmarks share one set of servers, as in a run of bench.run."""

    def test_ack_sequential(self):
        report, table = quick("ack_sequential")
        assert_ran(
            report,
            table,
            [f"Pacer ({db}): /scorecard counts every ack" for db in DATABASES]
            + [f"Pacer ({db}): every /log answered 'Logged'" for db in DATABASES],
        )

    def test_ack_concurrent(self):
        report, table = quick("ack_concurrent")
        assert_ran(
            report,
            table,
            [f"Pacer ({db}): /scorecard counts every ack (50 reps)" for db in DATABASES],
        )
        assert "@ 50 clients" in table


def test_digest():
    report, table = quick("digest")
    checks = [
        f"{db}: {kind}_digest totals = the GROUP BY's"
        for db in DATABASES
        for kind in ("daily", "weekly", "monthly")
    ]
    assert_ran(report, table, checks + [f"{db}: old scorecards" for db in DATABASES])
    assert f"(d) one chart: attainment_chart, {digest.QUICK_REPS} reps" in table


def test_lag_check():
    report, table = quick("lag_check")
    assert_ran(
        report,
        table,
        [f"{db}: the same suggestions every repetition" for db in DATABASES]
        + [f"{db}: the ritual: a DM per suggestion" for db in DATABASES],
    )


def test_log_writes():
    report, table = quick("log_writes")
    assert_ran(report, table, ["every write stored once, none refused"], postgres_variant=False)


def test_ingest():
    report, table = quick("ingest")
    checks = [
        "every new item created",
        "every replayed item unchanged",
        "the replay changed nothing",
    ]
    assert_ran(report, table, [f"{db}: {c}" for db in DATABASES for c in checks])


def test_tv():
    report, table = quick("tv")
    checks = ["an unchanged poll: 304 and 1 query (its link)", "every poll answered 200 or 304"]
    checks += ["every TV had the log's board by its next poll after the ttl"]
    assert_ran(report, table, [f"{db}: {c}" for db in DATABASES for c in checks])


def test_scorecard_pg_10m():
    report, table = quick("scorecard_pg_10m")
    if POSTGRES:
        assert_ran(report, table, ["a scorecard's actuals = the SQL sums"])
        assert "10,000 logs" in table
    else:
        assert [r.result for r in report.rows] == ["skipped"], table


@pytest.mark.skipif(
    not POSTGRES, reason="fault_load runs on PostgreSQL only: set TEST_DATABASE_URL"
)
def test_fault_load():
    """20 s of mixed traffic at 50 clients, a worker SIGKILLed every 8 s and the app's
    PostgreSQL connections cut once: every acknowledged /log is stored once, and no server
    process is left behind."""
    try:
        report, table = quick("fault_load")
    finally:
        leftover = servers.left_running()
    assert_ran(
        report,
        table,
        [
            "every acknowledged /log stored exactly once",
            "no /log stored twice (duplicates)",
            "gunicorn replaced every killed worker",
        ],
    )
    acked = next(r for r in report.rows if r.what.startswith("/log acknowledged"))
    assert int(acked.n) > 100, table  # the traffic ran
    assert "fault: app's connections cut at 7 s" in table
    assert "kills at 3, 11, 19 s" in table
    assert not leftover, leftover


def test_the_command_prints_a_table_per_benchmark_and_says_what_it_skipped(capsys):
    """`python -m bench.run --quick --only NAME` without a PostgreSQL URL: exit status 0, the
    quick-mode header, the table, and a line saying PostgreSQL was skipped."""
    assert run.main(["--quick", "--only", "scorecard_pg_10m", "--postgres", ""]) == 0
    out = capsys.readouterr().out
    assert "quick mode: small sizes" in out
    assert "== scorecard_pg_10m: " in out
    assert "PostgreSQL: skipped" in out
