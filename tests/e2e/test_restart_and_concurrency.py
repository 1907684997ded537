"""Nothing acknowledged is lost: across a restart, and under concurrent requests."""

from concurrent.futures import ThreadPoolExecutor

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
