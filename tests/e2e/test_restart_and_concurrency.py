"""Nothing acknowledged is lost: across a restart, and under concurrent requests."""

from concurrent.futures import ThreadPoolExecutor

from bot.workers import usable_cpus
from tests.e2e.conftest import CLOCK
from tests.e2e.harness import PacerServer, Workspace

SDR = "USDR00001"


def test_a_restart_loses_nothing(own_standin, tmp_path):
    standin = own_standin
    server = PacerServer(
        standin, f"sqlite:///{tmp_path / 'restart.db'}", CLOCK, tmp_path / "serve.log"
    ).start()
    ws = Workspace(server)
    try:
        ws.setup_team()
        for count in (3, 4, 5):
            assert ws.log(SDR, f"call {count}").status == 200
        ws.log(SDR, "undo")
    finally:
        server.stop()
    server.start()  # same database, new process
    try:
        card = ws.scorecard(SDR).text
        assert "7 of 240" in card  # Thanksgiving week: 4 × 60
        assert "undone" in ws.scorecard(SDR, "calls").text
    finally:
        server.stop()


def test_concurrent_logs_are_all_counted_exactly_once(ws):
    ws.setup_team(sdrs=("USDR00001", "USDR00002", "USDR00003"))
    texts = [(f"USDR0000{1 + i % 3}", f"call {1 + i % 5}") for i in range(60)]
    with ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(lambda args: ws.log(*args), texts))
    assert all(r.status == 200 and "Logged" in r.text for r in replies)
    for rep in ("USDR00001", "USDR00002", "USDR00003"):
        expected = sum(int(t.split()[1]) for u, t in texts if u == rep)
        assert f"{expected} of 240" in ws.scorecard(rep).text


def test_fifty_concurrent_logs_are_never_told_busy_and_each_is_stored_once(ws, server):
    """50 signed /log at once, each its own Slack request (trigger_id): on SQLite the request
    threads take turns to write (storage/sqlite_writer.py) instead of failing "busy"."""
    sdrs = tuple(f"USDR{i:05d}" for i in range(1, 11))
    ws.setup_team(sdrs=sdrs)
    texts = [(sdrs[i % 10], "call 1", f"trigger-{i}") for i in range(100)]
    with ThreadPoolExecutor(50) as pool:
        replies = list(pool.map(lambda a: ws.log(a[0], a[1], trigger_id=a[2]), texts))
    busy = [r.text for r in replies if "busy" in r.text]
    assert busy == []
    assert all(r.status == 200 and "Logged" in r.text for r in replies), replies[0].text
    assert server.stored(ws.team_id) == 100
    for rep in sdrs:
        assert "10 of 240" in ws.scorecard(rep).text


def test_serve_logs_the_workers_and_threads_it_chose(server):
    """The harness passes --threads 8 and no --workers: one worker per usable CPU, on SQLite
    too (bot/workers.py)."""
    cpus = usable_cpus()
    workers = f"{cpus} worker{'s' if cpus > 1 else ''}"
    expected = f"{workers} × 8 threads (workers: one per usable CPU ({cpus})"
    assert expected in server.logs()


def test_serve_with_clock_runs_one_clock_beside_the_web_workers(own_standin, tmp_path):
    standin = own_standin
    server = PacerServer(
        standin,
        f"sqlite:///{tmp_path / 'clock.db'}",
        CLOCK,
        tmp_path / "serve.log",
        extra_args=("--with-clock",),
    ).start()
    ws = Workspace(server)
    try:
        ws.setup_team()  # the web side works as usual
        assert "Logged" in ws.log(SDR, "call 3").text
    finally:
        server.stop()
    logs = server.logs()
    assert logs.count("pacer clock:") == 1, logs[-2000:]  # in the master process, not per worker
