"""Two workspaces, T1 and T2, in one Pacer (issue 17, tenancy), through signed requests to the
real Bolt app and the local Slack stand-in, which records each call's token. The same user IDs
are in both (a user ID is only unique within its workspace): two different people.

Each workspace has its own bot token (xoxb-T1, xoxb-T2) from a test TokenSource. The
environment's token (SLACK_BOT_TOKEN) is one no workspace has: a call site still using the
process's default client would send it, and every test ends by checking that no call did."""

from collections.abc import Iterator
from datetime import datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.app import build_app
from bot.delivery.clock import Clock
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import NOT_INSTALLED, run_ritual
from bot.ritual_deliveries import DELIVERIES
from bot.services import Services, make_client
from bot.settings import load_settings
from rituals.schedule import occurrence_at
from rituals.teams import team_process
from simulator.signed_requests import command_body, event_body, json_headers, signed_headers
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import ActivityLog, CoachingSession, RitualRun
from tests.bot.support import ADMIN, MGR, SDR, Rig, no_waiting

T1, T2 = "T0TENANT1", "T0TENANT2"
TOKENS = {T1: "xoxb-T1", T2: "xoxb-T2"}
ENV_TOKEN = "xoxb-env-of-no-workspace"
CHANNEL = "C0SALES01"  # the same channel ID in both workspaces: two different channels
SDR2 = "U0SDR0002"
TUESDAY_11_NY = datetime.fromisoformat("2026-11-24T11:00:00-05:00")


class Tokens:
    """The test's TokenSource: a token per Slack workspace; None when not installed there."""

    def __init__(self) -> None:
        self.tokens: dict[str, str | None] = dict(TOKENS)
        self.asked: list[tuple] = []

    def bot_token(self, team_id, enterprise_id):
        self.asked.append((team_id, enterprise_id))
        return self.tokens.get(team_id)


class TwoWorkspaces(Rig):
    """The Rig's helpers, with two workspaces: ``on`` says which one the next request is from."""

    def __init__(self, tmp_path, slack: SlackStandin):
        self.slack, self.now, self.on = slack, TUESDAY_11_NY, T1
        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": ENV_TOKEN,
                "SLACK_SIGNING_SECRET": "rig-secret",
                "SLACK_API_URL": slack.url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'two.db'}",
                "PACER_ADMINS": ADMIN,
            }
        )
        self.engine = make_engine(settings.database_url)
        upgrade(self.engine)
        self.tokens = Tokens()
        self.services = Services(
            settings,
            self.engine,
            make_client(settings),
            clock=lambda: self.now,
            background=_Inline(),
            deliveries=DELIVERIES,
            tokens=self.tokens,
        )
        no_waiting(self.services.ritual_client)
        self.app = build_app(self.services)

    def run(self, command: str, text: str, user: str) -> dict:
        self.response_url = self.slack.new_response_url()
        body = command_body(command, text, user, team_id=self.on, response_url=self.response_url)
        self.last_body = body
        return self._dispatch(body)

    def event(self, event: dict) -> int:
        body = event_body(event, team_id=self.on)
        request = BoltRequest(body=body, headers=json_headers("rig-secret", body))
        return self.app.dispatch(request).status

    def in_(self, team: str, command: str, text: str, user: str) -> str:
        self.on = team
        return self.text(command, text, user)

    def team_of(self, slack_team: str):
        with self.services.unit_of_work() as session:
            workspace = people_queries.workspace_for(session, slack_team, None, self.now)
            return people_queries.teams(session, workspace.id)[0]

    def run_ritual(self, slack_team: str, kind: str, at: datetime):
        team = self.team_of(slack_team)
        with self.services.unit_of_work() as session:
            process, _ = team_process(session, team.id)
        occurrence = occurrence_at(process, kind, at)
        return run_ritual(
            self.services, team.id, occurrence, at, pacer=ChannelPacer(0), owner="test"
        )


class _Inline:
    def submit(self, job) -> None:
        job()

    def shutdown(self, wait: bool = True) -> None:
        pass


def channel_posts(slack: SlackStandin, token: str) -> list:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.params.get("channel") == CHANNEL and c.token == token
    ]


def texts(calls) -> str:
    return "\n".join(c.params.get("text", "") + str(c.params.get("blocks") or "") for c in calls)


@pytest.fixture
def two(tmp_path) -> Iterator[TwoWorkspaces]:
    """T1 (New York) and T2 (London), each with the same two SDRs, manager and #sales ID; only
    the daily digest and the contests' posts among the rituals (the others are slow here)."""
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(SDR2, "Sam Ray")
        slack.add_user(MGR, "Morgan Boss")
        rig = TwoWorkspaces(tmp_path, slack)
        for team in (T1, T2):
            rig.in_(team, "/pacer", f"team add <@{SDR}> sdr", ADMIN)
            rig.in_(team, "/pacer", f"team add <@{SDR2}> sdr", ADMIN)
            rig.in_(team, "/pacer", f"manager <@{MGR}>", ADMIN)
            rig.in_(team, "/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
            for kind in ("weekly", "monthly", "leaderboards", "nudges", "lag_check", "coaching"):
                assert "Rituals now" in rig.in_(team, "/pacer", f"ritual {kind} off", ADMIN)
        assert "London" in rig.in_(T2, "/pacer", "timezone Europe/London", MGR)
        yield rig
        # No call site used the process's default client: every call carried a workspace's own
        # token, never the environment's (which no workspace has).
        strays = [(c.method, c.token) for c in slack.calls if c.token not in TOKENS.values()]
        assert strays == []


def test_a_log_in_one_workspace_is_never_seen_or_counted_in_the_other(two):
    assert "Logged *7 Calls / Emails*" in two.in_(T1, "/log", "calls 7", SDR)
    assert "Logged *3 Calls / Emails*" in two.in_(T2, "/log", "calls 3", SDR)
    mine_t1 = two.in_(T1, "/scorecard", "", SDR)
    mine_t2 = two.in_(T2, "/scorecard", "", SDR)
    assert "7 of 240" in mine_t1 and "10 of" not in mine_t1
    assert "3 of 240" in mine_t2 and "7 of" not in mine_t2 and "10 of" not in mine_t2
    board = two.in_(T2, "/leaderboard", "calls", SDR)
    assert "Maria Lopez — 1% (3 of 240)" in board and "(7 of" not in board
    assert "(10 of" not in board
    # A manager's credit in T1 tells T1's rep, with T1's token.
    two.in_(T1, "/log", f"<@{SDR2}> calls 4", MGR)
    credited = [
        c for c in two.slack.calls_to("chat.postMessage") if "credited you" in c.params["text"]
    ]
    assert [c.token for c in credited] == ["xoxb-T1"]
    assert "4 of 240" not in two.in_(T2, "/scorecard", "", SDR2)


def test_each_workspaces_digest_and_contest_posts_go_with_its_token_and_its_numbers(two):
    two.in_(T1, "/contest", 'start race calls 3d "Blitz"', MGR)
    two.in_(T2, "/contest", 'start race calls 3d "Blitz"', MGR)
    two.in_(T1, "/log", "calls 7", SDR)
    two.in_(T2, "/log", "calls 3", SDR)
    standings = two.in_(T2, "/contest", "standings", SDR)
    assert "Maria Lopez — 3 ← you" in standings and "— 7" not in standings
    assert "— 7 ← you" in two.in_(T1, "/contest", "standings", SDR)
    # The contests' announcements: one per workspace, each with its own token.
    starts = [c for c in two.slack.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL]
    assert sorted(c.token for c in starts) == ["xoxb-T1", "xoxb-T2"]
    # The daily digest of each, run as the clock would (17:30 in each team's timezone).
    ny = datetime.fromisoformat("2026-11-24T17:30:00-05:00")
    london = datetime.fromisoformat("2026-11-24T17:30:00+00:00")
    assert two.run_ritual(T2, "daily", london).status == "posted"
    assert two.run_ritual(T1, "daily", ny).status == "posted"
    t2 = [c for c in channel_posts(two.slack, "xoxb-T2") if c.params["text"].startswith("Daily")]
    t1 = [c for c in channel_posts(two.slack, "xoxb-T1") if c.params["text"].startswith("Daily")]
    t1, t2 = [[c for c in t if "thread_ts" not in c.params] for t in (t1, t2)]
    assert len(t1) == 1 and len(t2) == 1
    digest_t2 = texts(channel_posts(two.slack, "xoxb-T2"))
    assert "*Calls / Emails* 3 of 120" in digest_t2 and "Maria Lopez — 5% (3 of 60)" in digest_t2
    assert "at 17:30 Europe/London" in digest_t2  # its own timezone
    digest_t1 = texts(channel_posts(two.slack, "xoxb-T1"))
    assert "*Calls / Emails* 7 of 120" in digest_t1 and "(7 of 60)" in digest_t1
    assert "(3 of 60)" not in digest_t1 and "(7 of 60)" not in digest_t2
    assert "10 of 120" not in digest_t1 + digest_t2
    # Each workspace joined its own #sales (the same ID in both), with its own token.
    joins = [c.token for c in two.slack.calls_to("conversations.join")]
    assert sorted(set(joins)) == ["xoxb-T1", "xoxb-T2"]
    # The contests' standings posts (the clock's tick, at 11:30 in each timezone).
    two.now = datetime.fromisoformat("2026-11-25T11:31:00+00:00")  # London's 11:30 standings
    clock = Clock(two.services, BackgroundScheduler(timezone="UTC"))
    done = clock.tick()
    teams = {t for t, o, outcome in done if o.kind == "standings" and outcome.startswith("posted")}
    assert teams == {two.team_of(T2).id}
    standings_t2 = [
        c
        for c in channel_posts(two.slack, "xoxb-T2")
        if ":standings:" in str(c.params.get("metadata"))
    ]
    shown = texts(standings_t2)
    assert "Maria Lopez — 3" in shown and "— 7" not in shown and "— 10" not in shown


def test_the_clock_posts_each_workspace_in_its_own_timezone_with_its_own_token(two):
    clock = Clock(two.services, BackgroundScheduler(timezone="UTC"))
    assert sorted(clock.sync()) == sorted([two.team_of(T1).id, two.team_of(T2).id])
    # 18:00 in London, 13:00 in New York: T2's 17:30 digest is owed, T1's is not yet.
    two.now = datetime.fromisoformat("2026-11-24T18:00:00+00:00")
    done = {(team, o.kind): outcome for team, o, outcome in clock.tick()}
    assert done == {(two.team_of(T2).id, "daily"): done[(two.team_of(T2).id, "daily")]}
    assert done[(two.team_of(T2).id, "daily")].startswith("posted")
    assert channel_posts(two.slack, "xoxb-T1") == []
    assert any("Daily digest" in c.params["text"] for c in channel_posts(two.slack, "xoxb-T2"))
    # 17:40 in New York: T1's, with T1's token; T2's is settled.
    two.now = datetime.fromisoformat("2026-11-24T17:40:00-05:00")
    done = {(team, o.kind): outcome for team, o, outcome in clock.tick()}
    assert list(done) == [(two.team_of(T1).id, "daily")]
    assert any("Daily digest" in c.params["text"] for c in channel_posts(two.slack, "xoxb-T1"))


def test_a_workspace_without_a_token_gets_nothing_sent_its_data_stays_and_rituals_skip(two):
    two.in_(T2, "/log", "calls 3", SDR)
    two.tokens.tokens[T2] = None  # its installation is gone: no token for it
    before = len(two.slack.calls)
    # Requests are still answered (from the database); nothing is sent for them afterwards.
    assert "3 of 240" in two.in_(T2, "/scorecard", "", SDR)
    two.in_(T2, "/log", f"<@{SDR2}> calls 2", MGR)  # would tell the rep privately
    assert two.event({"type": "app_home_opened", "user": SDR, "tab": "home"}) == 200
    assert two.slack.calls[before:] == []
    # The clock: T2's digest is recorded as skipped (why, in the ledger); T1's posts later.
    clock = Clock(two.services, BackgroundScheduler(timezone="UTC"))
    two.now = datetime.fromisoformat("2026-11-24T18:00:00+00:00")  # London's digest is owed
    done = {(team, o.kind): outcome for team, o, outcome in clock.tick()}
    assert done == {(two.team_of(T2).id, "daily"): f"not-installed: {NOT_INSTALLED}"}
    two.now = datetime.fromisoformat("2026-11-24T17:45:00-05:00")
    done = {(team, o.kind): outcome for team, o, outcome in clock.tick()}
    assert list(done) == [(two.team_of(T1).id, "daily")]
    assert done[(two.team_of(T1).id, "daily")].startswith("posted")
    assert channel_posts(two.slack, "xoxb-T2") == []
    with two.services.unit_of_work() as session:
        run = session.exec(
            select(RitualRun).where(
                RitualRun.team_id == two.team_of(T2).id, RitualRun.kind == "daily"
            )
        ).one()
        assert (run.status, run.error) == ("skipped", NOT_INSTALLED)
        kept = session.exec(
            select(ActivityLog).where(ActivityLog.workspace_id == two.team_of(T2).workspace_id)
        ).all()
        assert sorted(r.count for r in kept) == [2, 3]  # its data stays
    assert clock.tick() == []  # settled: not tried every minute


def test_an_uninstalled_workspace_pauses_and_a_reinstall_resumes_with_its_own_token(two):
    two.on = T2
    assert two.event({"type": "app_uninstalled"}) == 200
    two.tokens.tokens[T2] = None
    clock = Clock(two.services, BackgroundScheduler(timezone="UTC"))
    two.now = datetime.fromisoformat("2026-11-24T18:00:00+00:00")  # T2's digest owed
    assert clock.tick() == []  # paused: nothing claimed, nothing sent
    # Reinstalled: a new token, and the first request resumes its rituals.
    two.tokens.tokens[T2] = "xoxb-T2"
    two.in_(T2, "/scorecard", "", SDR)
    two.now = datetime.fromisoformat("2026-11-24T18:05:00+00:00")
    done = {(team, o.kind): outcome for team, o, outcome in clock.tick()}
    assert done[(two.team_of(T2).id, "daily")].startswith("posted")
    assert {c.token for c in channel_posts(two.slack, "xoxb-T2")} == {"xoxb-T2"}


def test_requests_answer_with_their_own_workspaces_token_and_caches_are_per_workspace(two):
    """Home tabs, modals, welcome messages and a manager's posted leaderboard: each call with
    the token of the workspace the request came from."""
    for team in (T1, T2):
        two.on = team
        assert two.event({"type": "app_home_opened", "user": SDR, "tab": "home"}) == 200
    published = two.slack.calls_to("views.publish")
    assert [c.token for c in published] == ["xoxb-T1", "xoxb-T2"]
    # The second workspace's Home was not sent with the first one's hash: a cache keyed by
    # user alone would have (the same user ID, another person).
    assert "hash" not in published[1].params
    two.on = T2
    body = command_body("/log", "", SDR, team_id=T2)  # the log form: views.open before the ack
    two.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert [c.token for c in two.slack.calls_to("views.open")] == ["xoxb-T2"]
    two.in_(T1, "/leaderboard", "calls post", MGR)
    assert [c.token for c in channel_posts(two.slack, "xoxb-T1")] == ["xoxb-T1"]
    # A new member of T2's team is welcomed with T2's token.
    two.in_(T2, "/pacer", "team add <@U0SDR0009> sdr", ADMIN)
    welcomes = [
        c for c in two.slack.calls_to("chat.postMessage") if c.params["channel"] == "U0SDR0009"
    ]
    assert [c.token for c in welcomes] == ["xoxb-T2"]
    # One set of clients per token, reused.
    assert two.services.clients_for(T2, None) is two.services.clients_for(T2, None)
    assert two.services.clients_for(T2, None).client.token == "xoxb-T2"
    assert two.services.clients_for("T0NOTHERE", None) is None


def test_coaching_threads_and_notes_to_reps_go_with_the_workspaces_token(two):
    """/coach's thread (conversations.open, the opening post), an action item's pushpin in that
    thread and a manager's /away for a rep: all with T2's token, from T2."""
    two.in_(T2, "/coach", f"<@{SDR}>", MGR)
    with two.services.unit_of_work() as session:
        [row] = session.exec(select(CoachingSession)).all()
        channel, thread = row.channel_id, row.thread_ts
    assert channel and thread  # opened and recorded
    two.on = T2
    reply = {
        "type": "message",
        "channel": channel,
        "user": MGR,
        "text": "action: listen to two calls together",
        "ts": "1800000002.000100",
        "thread_ts": thread,
        "event_ts": "1800000002.000100",
    }
    assert two.event(reply) == 200
    assert [c.token for c in two.slack.calls_to("reactions.add")] == ["xoxb-T2"]
    two.on = T1  # the same thread's IDs, from the other workspace: not its session
    assert two.event(reply | {"ts": "1800000003.000100"}) == 200
    assert len(two.slack.calls_to("reactions.add")) == 1
    two.in_(T2, "/away", f"<@{SDR}> 2026-12-01", MGR)
    told = [c for c in two.slack.calls_to("chat.postMessage") if "away" in c.params["text"]]
    assert [c.token for c in told] == ["xoxb-T2"]
    opened = two.slack.calls_to("conversations.open")
    assert [c.token for c in opened] == ["xoxb-T2"]


def test_in_single_workspace_mode_every_workspace_gets_the_process_own_clients(rig):
    """SLACK_BOT_TOKEN alone (EnvTokenSource): the clients are the ones Services was built
    with, whatever workspace asks, so that nothing changes for a single-workspace install."""
    clients = rig.services.clients_for("T0RIG0001", None)
    assert clients.client is rig.services.client
    assert clients.ritual_client is rig.services.ritual_client
    assert clients.modal_client is rig.services.modal_client
    assert rig.services.clients_for("T0ANOTHER", "E0GRID").client is rig.services.client


def test_another_tokens_clients_are_configured_like_the_process_own(two):
    own, theirs = two.services, two.services.clients_for(T1, None)
    for mine, workspace in (
        (own.client, theirs.client),
        (own.ritual_client, theirs.ritual_client),
        (own.modal_client, theirs.modal_client),
    ):
        assert workspace.token == "xoxb-T1" and workspace.base_url == mine.base_url
        assert workspace.timeout == mine.timeout
        assert [type(h) for h in workspace.retry_handlers] == [type(h) for h in mine.retry_handlers]
        assert [getattr(h, "max_retry_count", None) for h in workspace.retry_handlers] == [
            getattr(h, "max_retry_count", None) for h in mine.retry_handlers
        ]


def test_nudges_go_to_each_workspaces_reps_with_its_token_by_its_own_logs(two):
    """The same rep ID logged in T1 only: T2's sweep nudges T2's rep (who logged nothing
    there), with T2's token; T1's sweep nudges only the rep who logged nothing in T1."""
    for team in (T1, T2):
        assert "Rituals now" in two.in_(team, "/pacer", "ritual nudges on", ADMIN)
    two.now = datetime.fromisoformat("2026-11-24T10:00:00-05:00")
    two.in_(T1, "/log", "calls 5", SDR)
    # Nudges come at each rep's own 15:00 (Slack says they are in New York, in both).
    t2 = two.run_ritual(T2, "nudge", datetime.fromisoformat("2026-11-24T15:00:00-05:00"))
    t1 = two.run_ritual(T1, "nudge", datetime.fromisoformat("2026-11-24T15:00:00-05:00"))
    assert (t1.status, t2.status) == ("posted", "posted")
    nudged = [
        (c.token, c.params["channel"])
        for c in two.slack.calls_to("chat.postMessage")
        if "Nothing logged today" in c.params.get("text", "")
    ]
    assert sorted(nudged) == [("xoxb-T1", SDR2), ("xoxb-T2", SDR), ("xoxb-T2", SDR2)]


def test_a_process_review_asks_and_publishes_in_its_own_workspace_with_its_token(two):
    """A draft reviewed in T2: the author's thread, the reviewers' requests and the published
    version's announcement in #sales all go with T2's token; T1 has no draft."""
    assert "draft" in two.in_(T2, "/pacer", "process draft", MGR).lower()
    said = two.in_(T2, "/pacer", f"process review <@{SDR}> <@{SDR2}> part journey", MGR)
    assert "Asked" in said
    asked = [c for c in two.slack.calls_to("chat.postMessage") if "Review:" in str(c.params)]
    assert {c.params["channel"] for c in asked} >= {SDR, SDR2}
    assert {c.token for c in asked} == {"xoxb-T2"}
    assert "Asked" not in two.in_(T1, "/pacer", f"process review <@{SDR}> part journey", MGR)
    published = two.in_(T2, "/pacer", "process publish", MGR)
    assert "announced in" in published, published
    announced = [
        c
        for c in two.slack.calls_to("chat.postMessage")
        if c.params["channel"] == CHANNEL and "process is updated" in c.params["text"]
    ]
    assert [c.token for c in announced] == ["xoxb-T2"]
