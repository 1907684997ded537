"""End to end over HTTP: `/pacer tv` gives a manager a link to the team's TV under
PACER_PUBLIC_URL; its data endpoint answers with an ETag and 304 while nothing changed, shows the
team's numbers as `/scorecard team` does, and once `/pacer tv revoke` has answered, the old link
answers 403 from every worker of every replica, with no wait (the browser tests are in
test_tv_browser.py)."""

import json
import re
import time
import urllib.error
import urllib.request

from tests.e2e.conftest import CLOCK
from tests.e2e.harness import ADMIN, PacerServer, Workspace

SDR, SDR2, AE, MGR = "USDR00001", "USDR00002", "UAE000001", "UMGR00001"


def tv_link(ws, user=MGR) -> str:
    reply = ws.pacer(user, "tv")
    assert reply.status == 200 and reply.body["response_type"] == "ephemeral", reply.text
    found = re.search(r"(http://\S+/tv/[A-Za-z0-9_-]+)", reply.text)
    assert found, reply.text
    assert found.group(1).startswith(ws.server.url + "/tv/")
    return found.group(1)


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def board_when(url: str, check, seconds: float = 5.0) -> dict:
    """The board once ``check`` holds, polling as the page does; fails after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        status, _, body = get(url + "/data")
        assert status == 200
        board = json.loads(body)
        if check(board) or time.monotonic() > deadline:
            return board
        time.sleep(0.2)


def test_the_link_the_data_the_etag_and_revoking(ws):
    ws.setup_team(sdrs=(SDR, SDR2))
    assert ws.log(SDR, "call 40").status == 200
    url = tv_link(ws)
    status, headers, page = get(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    # Self-contained: nothing fetched from elsewhere (the SVG namespace is a name, not a fetch).
    assert not re.search(rb"src=|href=|@import|url\(|https://", page)
    assert set(re.findall(rb"http://[^\s\"']+", page)) == {b"http://www.w3.org/2000/svg"}

    status, headers, body = get(url + "/data")
    assert status == 200
    board = json.loads(body)
    calls = next(b for b in board["bars"] if b["kpi"] == "Calls / Emails")
    assert (calls["actual"], calls["goal"]) == (40, 480)  # as /scorecard team: 40 of 480
    week = ws.scorecard(MGR, "team")
    assert "*Calls / Emails* 40 of 480 (8%)" in week.text
    assert not any(re.fullmatch(r"[UW][A-Z0-9]{8,}", r["name"]) for r in board["week"])

    status, again, _ = get(url + "/data", {"If-None-Match": headers["ETag"]})
    assert status == 304 and again["ETag"] == headers["ETag"]

    assert ws.log(SDR2, "call 7").status == 200
    board = board_when(url, lambda b: b["bars"][0]["actual"] == 47)
    assert board["bars"][0]["actual"] == 47

    reply = ws.pacer(MGR, "tv revoke")
    assert "revoked" in reply.text
    # At once, no wait: every request after the answer (each on a new connection, so on
    # whichever worker takes it) is refused.
    assert [get(url + "/data")[0] for _ in range(10)] == [403] * 10
    assert get(url)[0] == 403
    assert url not in ws.pacer(MGR, "tv").text  # a new link, the old one stays dead
    assert get(url + "/data")[0] == 403


def test_a_revoked_link_is_refused_at_once_by_every_worker_and_replica(ws, tmp_path):
    """Production runs several web replicas on one database: a second `pacer serve` (two
    workers) on the test server's database. Both serve the link, each worker having answered
    it; once the revoke has answered, both refuse it on the very next request."""
    ws.setup_team(sdrs=(SDR,))
    assert ws.log(SDR, "call 12").status == 200
    url = tv_link(ws)
    path = url[len(ws.server.url) :]
    replica = PacerServer(
        ws.server.standin, ws.server.database_url, CLOCK, tmp_path / "replica.log",
        extra_args=("--workers", "2"),
    ).start()  # fmt: skip
    try:
        bases = [ws.server.url, replica.url]
        for base in bases:  # 20 new connections each: every worker has answered the link
            assert {get(base + path + "/data")[0] for _ in range(20)} == {200}
            assert get(base + path)[0] == 200
        assert "revoked" in ws.pacer(MGR, "tv revoke").text
        for base in bases:
            assert [get(base + path + "/data")[0] for _ in range(20)] == [403] * 20, base
            assert get(base + path)[0] == 403
        fresh = tv_link(ws)[len(ws.server.url) :]  # a new link opens on every replica at once
        assert [get(base + fresh + "/data")[0] for base in bases] == [200, 200]
    finally:
        replica.stop()


def test_a_rep_gets_no_link_and_mistakes_change_nothing(ws):
    ws.setup_team()
    refused = ws.pacer(SDR, "tv")
    assert "/tv/" not in refused.text and "manager" in refused.text
    assert "has no TV link to revoke" in ws.pacer(MGR, "tv revoke").text
    assert "I don't understand `on please`" in ws.pacer(MGR, "tv on please").text
    assert ws.server.stored(ws.team_id, "tv_link") == 0
    assert "/tv/" in ws.pacer(ADMIN, "tv").text


def test_serve_port_is_the_links_base_without_a_public_url(own_standin, tmp_path):
    """`pacer serve --port N` with no PACER_PUBLIC_URL: the link is http://localhost:N/tv/…"""

    class Unconfigured(PacerServer):
        def env(self) -> dict:
            return {k: v for k, v in super().env().items() if k not in ("PACER_PUBLIC_URL", "PORT")}

    server = Unconfigured(
        own_standin, f"sqlite:///{tmp_path / 'p.db'}", CLOCK, tmp_path / "s.log"
    ).start()
    try:
        ws = Workspace(server)
        ws.setup_team()
        found = re.search(r"(http://\S+)/tv/[A-Za-z0-9_-]+", ws.pacer(MGR, "tv").text)
        assert found and found.group(1) == f"http://localhost:{server.port}", found
    finally:
        server.stop()
