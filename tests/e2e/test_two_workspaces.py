"""Tenancy over real HTTP: two workspaces install Pacer through "Add to Slack" (`pacer serve` in
OAuth mode, the stand-in's oauth.v2.access), the SAME user ids in both. Each workspace's /log,
/scorecard, digest and contest see only its own numbers, and every Web API call made for a
workspace carries that workspace's own token (the stand-in records each call's token). An
uninstall pauses that workspace's rituals only (`pacer rituals run` and the clock's own tick); a
reinstall resumes them with the new token."""

import time
from dataclasses import replace
from types import SimpleNamespace

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.delivery.clock import Clock
from bot.server import make_services
from bot.settings import load_settings
from cli import rituals as rituals_cli
from simulator.signed_requests import event_body, json_headers
from simulator.slack_standin import SlackStandin
from tests.e2e.conftest import CLOCK, DATABASES, database_url
from tests.e2e.harness import SECRET, Workspace
from tests.e2e.oauth_support import CLIENT_ID, CLIENT_SECRET, SECRET_KEY, OAuthServer, install

T1, T2 = "TSHOPONE1", "TSHOPTWO2"
CHANNELS = {T1: "CSHOP1SALES", T2: "CSHOP2SALES"}
# The same people, by id, in both workspaces: two different people each time.
BOSS, SDR, MGR = "UBOSS0001", "USHARED01", "UMGR00001"
COUNTS = {T1: 37, T2: 52}
LATER = "2026-11-25T17:45:00-05:00"  # Wednesday, after the working day  # calls logged by SDR in each workspace


@pytest.fixture(scope="module", params=DATABASES)
def shops(request, tmp_path_factory):
    """`pacer serve` in OAuth mode (one worker: an uninstall then lands in the process that
    answers the next request, see tests/e2e/test_oauth.py), T1 and T2 installed by BOSS, each
    with SDR on its team, MGR its manager and a ritual channel of its own."""
    folder = tmp_path_factory.mktemp(f"two-{request.param}")
    with database_url(request.param, folder) as url, SlackStandin() as standin:
        standin.oauth_client = (CLIENT_ID, CLIENT_SECRET)
        server = OAuthServer(
            standin, url, CLOCK, folder / "serve.log", extra_args=("--workers", "1")
        )
        server.start()
        try:
            tokens, spaces = {}, {}
            for team in (T1, T2):
                tokens[team] = install(server, team, f"code-{team}", installer=BOSS)
                ws = spaces[team] = Workspace(server, team)
                for command in (
                    f"team add <@{SDR}> sdr",
                    f"manager <@{MGR}>",
                    f"channel <#{CHANNELS[team]}|sales>",
                ):
                    reply = ws.pacer(BOSS, command)
                    assert reply.status == 200 and "Only" not in reply.text, reply.text
            settled(standin)
            settings = load_settings(
                {
                    "SLACK_CLIENT_ID": CLIENT_ID,
                    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
                    "PACER_SECRET_KEY": SECRET_KEY,
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_API_URL": standin.url,
                    "DATABASE_URL": url,
                }
            )
            yield SimpleNamespace(
                server=server, standin=standin, ws=spaces, tokens=tokens, settings=settings
            )
        finally:
            server.stop()


def settled(standin, quiet: float = 0.4, timeout: float = 10.0) -> int:
    """Wait until work after the acks has stopped calling Slack; the number of calls so far
    (what a test marks, so that the next window holds only its own workspace's calls)."""
    deadline = time.monotonic() + timeout
    count, since = len(standin.calls), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "calls kept coming"
        time.sleep(0.05)
        if len(standin.calls) != count:
            count, since = len(standin.calls), time.monotonic()
    return count


def tokens_since(standin, mark: int) -> dict[str, set]:
    """Method -> tokens of the calls made since ``mark`` (oauth.v2.access carries none)."""
    found: dict[str, set] = {}
    for call in standin.calls[mark:]:
        if call.method != "oauth.v2.access":
            found.setdefault(call.method, set()).add(call.token)
    return found


def only_token(standin, mark: int, token: str) -> None:
    made = tokens_since(standin, mark)
    assert made, "Web API calls were made"
    assert {t for tokens in made.values() for t in tokens} == {token}, made


def channel_posts(standin, team: str, mark: int = 0) -> list:
    return [
        c
        for c in standin.calls[mark:]
        if c.method == "chat.postMessage" and c.params.get("channel") == CHANNELS[team]
    ]


def test_log_and_scorecard_count_only_the_workspaces_own(shops):
    standin = shops.standin
    for team in (T1, T2):
        ws, mark = shops.ws[team], settled(standin)
        reply = ws.log(SDR, f"calls {COUNTS[team]}")
        assert reply.status == 200, reply.text
        assert str(COUNTS[team]) in ws.followed(reply).text
        card = ws.scorecard(SDR)
        assert card.status == 200
        text = card.text
        assert f"{COUNTS[team]} of 240" in text, text
        other = COUNTS[T2 if team == T1 else T1]
        assert f"{other} of" not in text and f"{COUNTS[T1] + COUNTS[T2]} of" not in text
        settled(standin)
        only_token(standin, mark, shops.tokens[team])
    assert shops.server.stored(T1) == shops.server.stored(T2) == 1
    # Two people, one per workspace, under the same Slack user id.
    rows = shops.server.rows(
        "SELECT w.slack_team_id, count(*) FROM member m JOIN workspace w ON w.id = m.workspace_id "
        "WHERE m.user_id = ? AND m.role IS NOT NULL GROUP BY w.slack_team_id ORDER BY w.slack_team_id",
        SDR,
    )
    assert rows == [(T1, 1), (T2, 1)]


def test_each_digest_posts_its_own_numbers_with_its_own_token(shops):
    standin = shops.standin
    for team in (T1, T2):
        mark = settled(standin)
        assert rituals_cli.run_now(shops.settings, "daily", None, team, CLOCK) == 0
        posts = channel_posts(standin, team, mark)
        assert posts, "the digest was posted in the team's channel"
        text = str([p.params.get("blocks") for p in posts]) + str(
            [p.params.get("text") for p in posts]
        )
        assert str(COUNTS[team]) in text, text
        assert str(COUNTS[T2 if team == T1 else T1]) not in text
        only_token(standin, mark, shops.tokens[team])
        other = T2 if team == T1 else T1
        assert channel_posts(standin, other, mark) == []


def test_a_contest_in_one_workspace_never_counts_the_others_logs(shops):
    standin, ws1, ws2 = shops.standin, shops.ws[T1], shops.ws[T2]
    mark = settled(standin)
    started = ws1.command("/contest", 'start race calls 3d "Shop One Race"', MGR)
    assert started.status == 200 and "Shop One Race" in started.text, started.text
    assert ws1.log(SDR, "calls 5").status == 200
    standings = ws1.command("/contest", "standings", SDR).text
    settled(standin)
    only_token(standin, mark, shops.tokens[T1])
    # The contest counts every log of T1's SDR since it started (today's included): T1's.
    total = shops.server.rows(
        "SELECT sum(l.count) FROM activity_log l JOIN workspace w ON w.id = l.workspace_id "
        "WHERE w.slack_team_id = ? AND l.voided_at IS NULL",
        T1,
    )[0][0]
    assert total == COUNTS[T1] + 5
    assert str(total) in standings, standings
    # T2's logs, before and during the contest, never reach it.
    mark = settled(standin)
    assert shops.ws[T2].log(SDR, "calls 11").status == 200
    assert "Shop One Race" not in ws2.command("/contest", "standings", SDR).text
    settled(standin)
    only_token(standin, mark, shops.tokens[T2])
    again = ws1.command("/contest", "standings", SDR).text
    assert str(total) in again and str(total + COUNTS[T2] + 11) not in again, again
    # The clock's standings post: in T1's channel, with T1's token, T1's numbers only.
    mark = settled(standin)
    assert rituals_cli.run_now(shops.settings, "standings", None, T1, CLOCK) == 0
    posts = channel_posts(standin, T1, mark)
    assert posts and "Shop One Race" in str(posts[-1].params)
    assert str(total) in str(posts[-1].params)
    only_token(standin, mark, shops.tokens[T1])
    assert channel_posts(standin, T2, mark) == []


def test_an_uninstall_pauses_that_workspace_only_and_a_reinstall_resumes(shops, capsys):
    standin, server = shops.standin, shops.server
    body = event_body({"type": "app_uninstalled"}, team_id=T2)
    assert server.post(body, json_headers(SECRET, body)).status == 200
    mark = settled(standin)
    assert rituals_cli.run_now(shops.settings, "leaderboard", None, T2, CLOCK) == 1
    assert "paused: the app is uninstalled" in capsys.readouterr().out
    assert standin.calls[mark:] == []  # nothing sent for T2, with any token
    assert rituals_cli.run_now(shops.settings, "leaderboard", None, T1, CLOCK) == 0, (
        capsys.readouterr()
    )
    assert channel_posts(standin, T1, mark)
    only_token(standin, mark, shops.tokens[T1])
    assert server.stored(T2) == 2  # the data stays
    # Installed again: a new token, and T2's rituals run again with it.
    new = install(server, T2, f"code-{T2}-again", installer=BOSS)
    assert new != shops.tokens[T2]
    mark = settled(standin)
    assert rituals_cli.run_now(shops.settings, "leaderboard", None, T2, CLOCK) == 0, (
        capsys.readouterr()
    )
    assert channel_posts(standin, T2, mark)
    only_token(standin, mark, new)
    shops.tokens[T2 + "-again"] = new


def test_the_clock_skips_an_uninstalled_workspace_and_resumes_it_after_a_reinstall(shops):
    """The clock's own minute tick, a day later: what both teams are owed runs for T1 only
    while T2 is uninstalled, then for T2 (with its new token) once it is installed again."""
    standin, server = shops.standin, shops.server
    body = event_body({"type": "app_uninstalled"}, team_id=T2)
    assert server.post(body, json_headers(SECRET, body)).status == 200
    ids = dict(
        server.rows(
            "SELECT w.slack_team_id, t.id FROM sales_team t JOIN workspace w "
            "ON w.id = t.workspace_id"
        )
    )
    services = make_services(replace(shops.settings, clock=LATER))
    mark = settled(standin)
    done = Clock(services, BackgroundScheduler(timezone="UTC")).tick()
    assert {team for team, _, _ in done} == {ids[T1]}, done  # T2's team is not even looked at
    assert [o.kind for _, o, status in done if status.startswith("posted")] == ["daily"], done
    settled(standin)
    assert channel_posts(standin, T1, mark) and channel_posts(standin, T2, mark) == []
    only_token(standin, mark, shops.tokens[T1])
    newer = install(server, T2, f"code-{T2}-third", installer=BOSS)
    mark = settled(standin)
    done = Clock(services, BackgroundScheduler(timezone="UTC")).tick()
    services.engine.dispose()
    assert {team for team, _, _ in done} == {ids[T2]}, done  # T1 owes nothing more
    assert [o.kind for _, o, status in done if status.startswith("posted")] == ["daily"], done
    settled(standin)
    assert channel_posts(standin, T2, mark) and channel_posts(standin, T1, mark) == []
    only_token(standin, mark, newer)
    shops.tokens[T2 + "-third"] = newer


def test_no_call_ever_carried_another_token(shops):
    """Over the whole module: every authenticated call carried one of the installs' tokens."""
    used = {t for tokens in tokens_since(shops.standin, 0).values() for t in tokens}
    assert used <= set(shops.tokens.values()), used
    assert None not in used
