"""Issue 5, people's own time, help and plain text: through the real app (signed requests) and
the ritual path against the local Slack stand-in.

- Time: each rep's own timezone from Slack decides the day their logs count on, what their
  scorecard calls today, and when they are nudged (at the nudge time of their own day, inside
  the working hours, once per local day, whatever the clocks do).
- Help: each command answers `help` with its own forms; every error reply shows a command
  that would work.
- First-run message: a rep added to a team hears, privately and once, how Pacer works for them.
- Message text: every message Pacer sends has a plain `text` fallback that reads well."""

import re
import threading
from datetime import datetime, timedelta

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot import messages
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from bot.replies import has_command, with_command_hint
from rituals import runs
from rituals.schedule import Occurrence, nudge_key, occurrence_at
from rituals.teams import team_process
from simulator.signed_requests import command_body, signed_headers
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.models import ActivityLog, RitualRun
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, assert_within_slack_limits, no_waiting

# A New York team with reps in Tokyo (SDR), Los Angeles (LA) and New York (NY), and an AE in
# New York. Slack tells Pacer each person's timezone.
LA, NY = "U0SDR0002", "U0SDR0003"
CHANNEL = "C0SALES01"
NEW_YORK_TZ = "America/New_York"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        slack.add_user(SDR, "Kenji Sato", tz="Asia/Tokyo")
        slack.add_user(LA, "Lena Ortiz", tz="America/Los_Angeles")
        slack.add_user(NY, "Maria Lopez", tz=NEW_YORK_TZ)
        slack.add_user(AE, "Alex Chen", tz=NEW_YORK_TZ)
        slack.add_user(MGR, "Morgan Lee", tz=NEW_YORK_TZ)
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"team add <@{LA}> sdr", ADMIN)
        rig.text("/pacer", f"team add <@{NY}> sdr", ADMIN)
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        yield rig
        rig.services.background.shutdown(wait=True)


def team_id(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0].id


def sweep(rig, when: datetime, occurrence: Occurrence | None = None):
    """The nudge sweep due at ``when``, run then (as the clock would)."""
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    return run_ritual(
        rig.services,
        team_id(rig),
        occurrence or occurrence_at(process, "nudge", when),
        when,
        pacer=ChannelPacer(0),
        owner="test",
    )


def nudges(slack) -> list[str]:
    """Who was sent a nudge, in order."""
    return [
        c.params["channel"]
        for c in slack.calls_to("chat.postMessage")
        if c.params.get("text", "").startswith("Nothing logged today")
    ]


def line_of(text: str, word: str) -> str:
    return next(line for line in text.splitlines() if word in line)


# --------------------------------------------------------------------------------------------
# Time: each person's own day


def test_logs_and_scorecards_count_on_each_reps_own_day_around_midnight(rig):
    rig.now = at("2026-11-25T23:30:00-05:00")  # Wed 23:30 in New York
    # Thu 13:30 in Tokyo, Wed 20:30 in Los Angeles.
    assert "today, Thu 26 Nov" in rig.text("/log", "calls 10", SDR)
    assert "today, Wed 25 Nov" in rig.text("/log", "calls 7", LA)
    assert "today, Wed 25 Nov" in rig.text("/log", "calls 3", NY)
    rig.now = at("2026-11-26T00:30:00-05:00")  # past midnight in New York, not in LA
    assert "today, Wed 25 Nov" in rig.text("/log", "calls 5", LA)
    assert "today, Thu 26 Nov" in rig.text("/log", "calls 4", NY)
    assert "Wed 25 Nov" in rig.text("/log", "calls 2 yesterday", SDR)  # Tokyo's yesterday
    with rig.services.unit_of_work() as session:
        days = {
            (row.rep_id, row.count): row.occurred_on.isoformat()
            for row in session.exec(select(ActivityLog))
        }
    assert days == {
        (SDR, 10): "2026-11-26",
        (LA, 7): "2026-11-25",
        (NY, 3): "2026-11-25",
        (LA, 5): "2026-11-25",
        (NY, 4): "2026-11-26",
        (SDR, 2): "2026-11-25",
    }
    # Each scorecard's "today" is the rep's own day, in their own timezone.
    tokyo = rig.text("/scorecard", "day", SDR)
    assert "Thu 26 Nov" in tokyo and "Asia/Tokyo" in tokyo
    assert "10 of 60" in line_of(tokyo, "of 60")
    la = rig.text("/scorecard", "day", LA)
    assert "Wed 25 Nov" in la and "America/Los_Angeles" in la and "12 of 60" in la
    ny = rig.text("/scorecard", "day", NY)
    assert "Thu 26 Nov" in ny and NEW_YORK_TZ in ny and "4 of 60" in ny
    # A manager looking at a rep sees the rep's day, not their own.
    assert "Wed 25 Nov" in rig.text("/scorecard", f"<@{LA}> day", MGR)


def test_each_rep_is_nudged_at_the_nudge_time_of_their_own_day(rig):
    """Sweeps every 30 minutes from Thursday 00:00 to Friday 03:00 in New York: each rep is
    nudged once per working day of their own, at 15:00 their time."""
    rig.slack.reset()
    when, sent = at("2026-11-26T00:00:00-05:00"), []
    while when <= at("2026-11-27T03:00:00-05:00"):
        before = len(nudges(rig.slack))
        assert sweep(rig, when).status == "posted"
        sent += [(who, f"{when:%a %H:%M}") for who in nudges(rig.slack)[before:]]
        when += timedelta(minutes=30)
    assert sorted(sent) == sorted(
        [
            (SDR, "Thu 01:00"),  # 15:00 Thursday in Tokyo
            (NY, "Thu 15:00"),
            (AE, "Thu 15:00"),
            (LA, "Thu 18:00"),  # 15:00 in Los Angeles: after the team's hours, not the rep's
            (SDR, "Fri 01:00"),  # 15:00 Friday in Tokyo
        ]
    )
    # Saturday in Tokyo is Friday in New York: Tokyo's day off, and Pacer is quiet.
    rig.slack.reset()
    for hhmm in ("01:00", "02:30"):  # Sat 15:00 and 16:30 in Tokyo
        sweep(rig, at(f"2026-11-28T{hhmm}:00-05:00"))
    assert SDR not in nudges(rig.slack)
    # Each nudge was claimed as its own run, keyed by the rep's local day.
    with rig.services.unit_of_work() as session:
        keys = {
            r.period_key
            for r in session.exec(select(RitualRun).where(RitualRun.kind == "nudge"))
            if ":U" in r.period_key
        }
    assert {nudge_key(at("2026-11-26T00:00:00").date(), SDR), f"2026-11-27:{SDR}"} <= keys
    assert f"2026-11-26:{LA}" in keys and len(keys) == 5


def test_a_rep_who_logged_on_their_own_day_is_not_nudged(rig):
    rig.now = at("2026-11-25T23:30:00-05:00")
    rig.text("/log", "calls 5", SDR)  # Thursday 13:30 in Tokyo
    rig.text("/log", "calls 5", LA)  # Wednesday 20:30 in Los Angeles
    rig.slack.reset()
    sweep(rig, at("2026-11-26T01:00:00-05:00"))  # Thursday 15:00 in Tokyo
    assert nudges(rig.slack) == []  # Kenji logged on his Thursday
    sweep(rig, at("2026-11-26T18:00:00-05:00"))  # Thursday 15:00 in Los Angeles
    assert nudges(rig.slack) == [LA]  # Lena's log was on her Wednesday


def test_opted_out_reps_and_quiet_hours(rig):
    rig.text("/pacer", "nudges off", NY)
    rig.slack.reset()
    sweep(rig, at("2026-11-26T15:00:00-05:00"))
    assert nudges(rig.slack) == [AE]  # not Maria: she turned them off
    # A clock that was down from 14:00 to 17:10 in New York: the New York reps are in their
    # quiet hours by then; nobody is nudged late in the evening.
    rig.text("/pacer", "nudges on", NY)
    rig.slack.reset()
    assert str(sweep(rig, at("2026-11-27T17:10:00-05:00"))) == "posted: 0 private messages"
    # A nudge time outside the working hours nudges nobody, all day long.
    rig.text("/pacer", "ritual nudges 18:00", MGR)
    when = at("2026-11-30T00:00:00-05:00")
    while when < at("2026-12-01T00:00:00-05:00"):
        sweep(rig, when)
        when += timedelta(hours=1)
    assert nudges(rig.slack) == []


def test_clocks_racing_a_crash_and_manual_runs_never_nudge_twice(rig, capsys):
    rig.slack.reset()
    three = at("2026-11-26T15:00:00-05:00")
    # Two clocks sweeping at once, each under its own key (a restart, a manual run …).
    barrier = threading.Barrier(2)

    def race(key: str):
        barrier.wait()
        return sweep(rig, three, Occurrence("nudge", three, key))

    outcomes = []
    threads = [
        threading.Thread(target=lambda k=k: outcomes.append(race(k)))
        for k in ("2026-11-26T20:00Z", "manual")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(nudges(rig.slack)) == sorted([AE, NY])  # once each
    assert sum(int(o.detail.split()[0]) for o in outcomes) == 2
    # A clock that died between claiming Lena's nudge and sending it: her claim stays; no
    # later sweep sends it (one reminder lost at worst, never two).
    six = at("2026-11-26T18:00:00-05:00")
    with rig.services.unit_of_work() as session:
        team = people_queries.get_team(session, team_id(rig))
        runs.claim(
            session,
            workspace_id=team.workspace_id,
            team_id=team.id,
            occurrence=Occurrence("nudge", six, nudge_key(six.date(), LA)),
            now=six,
            owner="a clock that died",
            max_attempts=1,
        )
    sweep(rig, six)
    sweep(rig, six + timedelta(minutes=30))  # the claim is stale by now: still not taken over
    assert LA not in nudges(rig.slack)
    # `pacer rituals run nudge` goes the same way: nobody is nudged twice.
    from cli import rituals as rituals_cli

    code = rituals_cli.run_now(rig.services.settings, "nudge", None, None, "2026-11-26T16:10-05:00")
    assert code == 0
    assert "Sales: nudge 2026-11-26T21:00Z: posted: 0 private messages" in capsys.readouterr().out
    assert sorted(nudges(rig.slack)) == sorted([AE, NY])


def test_a_nudge_slack_refuses_is_recorded_and_never_sent_twice(rig):
    rig.slack.reset()
    rig.slack.fail_next(
        "chat.postMessage", status=200, body={"ok": False, "error": "user_not_found"}
    )
    outcome = sweep(rig, at("2026-11-26T15:00:00-05:00"))  # AE first (sorted IDs), then Maria
    assert str(outcome) == "posted: 1 private messages"  # Maria's; Alex's was refused
    assert nudges(rig.slack) == [AE, NY]
    with rig.services.unit_of_work() as session:
        row = runs.get_run(session, team_id(rig), "nudge", f"2026-11-26:{AE}")
    assert row.status == "failed" and "user_not_found" in row.error
    sweep(rig, at("2026-11-26T15:30:00-05:00"))  # not tried again: one reminder lost at most
    assert nudges(rig.slack) == [AE, NY]


def test_the_nudge_reads_well(rig):
    rig.slack.reset()
    sweep(rig, at("2026-11-26T01:00:00-05:00"))  # 15:00 in Tokyo
    (call,) = [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == SDR]
    assert_within_slack_limits(call.params)
    body = call.params["blocks"][0]["text"]["text"]
    assert "Nothing logged today yet* (Thu 26 Nov)" in body
    assert "Calls / Emails 60 · Conversations 12 · Discovery Meetings Scheduled 1.6" in body
    assert "`/log calls 12`" in body and "15:00 your time (Asia/Tokyo)" in body
    assert "`/pacer nudges off`" in body
    assert call.params["text"] == (
        "Nothing logged today (Thu 26 Nov) yet. Log what you've done, e.g. /log calls 12; "
        "/scorecard shows where you stand."
    )


# --------------------------------------------------------------------------------------------
# Help


@pytest.mark.parametrize(
    ("command", "forms"),
    [
        (
            "/pacer",
            ["`/pacer team add @user sdr`", "`/log call 12`", "`/pacer nudges off`", "`/log help`"],
        ),
        (
            "/log",
            ["`/log calls 12`", "`/log 12 calls`", "`/log calls 12 yesterday`", "`/log undo`"],
        ),
        ("/scorecard", ["`/scorecard @rep`", "`/scorecard @rep month`", "`/scorecard calls`"]),
        ("/leaderboard", ["`/leaderboard calls`", "`/leaderboard calls count`", "post"]),
        (
            "/contest",
            ['`/contest start race calls 3d "Call Blitz"`', "`/contest standings [name]`"],
        ),
        ("/coach", ["`/coach @rep`", "`/coach @rep history`", "action:"]),
    ],
)
def test_each_command_answers_help_with_its_own_forms(rig, command, forms):
    for word in ("help", "?"):
        reply = rig.run(command, word, MGR if command == "/coach" else NY)
        assert_within_slack_limits(reply)
        text = "\n".join(b["text"]["text"] for b in reply["blocks"] if b.get("text"))
        assert not text.startswith(":warning:")
        for form in forms:
            assert form in text, (command, form, text)
        assert reply["text"] and "`" not in reply["text"] and "*" not in reply["text"]


def test_log_help_speaks_the_askers_own_kpi_words(rig):
    ae = rig.text("/log", "help", AE)
    assert "`/log meeting 12`" in ae and "`/log meeting 12 roi 3`" in ae
    assert "Account Executive" in ae and "`deals` Deals Closed" in ae
    assert "your own timezone (America/New_York)" in ae
    sdr = rig.text("/log", "help", SDR)
    assert "`/log calls 12 conversations 3`" in sdr and "your own timezone (Asia/Tokyo)" in sdr
    assert "`/log @rep sao 1`" in sdr and "an Account Executive crediting" in sdr
    assert "/coach" not in sdr  # /log's forms, not every command


STRANGER = "U0STRANGE1"
MISTAKES = {
    "/log": [
        (NY, "cals 12"),
        (NY, "calls"),
        (NY, "12"),
        (NY, "calls 0"),
        (NY, "calls -3"),
        (NY, "calls 1.5"),
        (NY, "calls twelve"),
        (NY, "calls 12 2026-13-45"),
        (NY, "calls 12 11/18"),
        (NY, "calls 12 yesterday monday"),
        (NY, "calls 3 calls 4"),
        (NY, "deals 1"),
        (NY, "sao 1"),
        (NY, "undo now"),
        (NY, "calls 12 2020-01-01"),
        (NY, "calls 12 tomorrow"),
        (NY, "calls 100000"),
        (NY, f"<@{AE}> held 1"),
        (STRANGER, "calls 12"),
        (MGR, "calls 12"),
        (MGR, "<@U0NOBODY1> calls 3"),
        (MGR, "@nobody calls 3"),
        (STRANGER, "undo"),
    ],
    "/scorecard": [
        (NY, "montly"),
        (NY, "@nobody"),
        (NY, "<@U0NOBODY1>"),
        (STRANGER, ""),
        (NY, "cals"),
        (NY, f"<@{NY}> <@{AE}>"),
        (NY, "last-year"),
    ],
    "/leaderboard": [
        (NY, "cals"),
        (NY, "count"),
        (NY, "calls post"),
        (NY, "montly"),
    ],
    "/pacer": [
        (NY, "foo"),
        (NY, "team add <@U0NEW00001> sdr"),
        (MGR, "team add"),
        (MGR, "team add <@U0NEW00001>"),
        (MGR, "team add <@U0NEW00001> vp"),
        (MGR, "team add maria sdr"),
        (MGR, "team remove <@U0NOBODY1>"),
        (MGR, "team frob"),
        (MGR, "team remove <@U0NOBODY1> now"),
        (NY, "manager <@U0NEW00001>"),
        (MGR, "manager <@U0NEW00001> maybe"),
        (MGR, "manager <@U0NOBODY1> off"),
        (NY, "admin <@U0NEW00001>"),
        (ADMIN, "admin <@U0NEW00001> now"),
        (NY, "channel #sales"),
        (MGR, "channel #a #b"),
        (MGR, "channel sales"),
        (MGR, "coaching #a #b"),
        (MGR, "coaching nowhere"),
        (NY, "goal sdr calls 5/day"),
        (MGR, "goal sdr calls"),
        (MGR, "goal vp calls 5/day"),
        (MGR, "goal sdr cals 5/day"),
        (MGR, "goal sdr calls lots"),
        (MGR, "goal sdr calls reset"),
        (MGR, f"goal <@{NY}> calls reset"),
        (MGR, "goal <@U0NOBODY1> calls 5/day"),
        (NY, "timezone Europe/London"),
        (MGR, "timezone Mars/Base"),
        (MGR, "timezone a b"),
        (MGR, "visibility everyone"),
        (NY, "ritual daily 17:00"),
        (MGR, "ritual daily"),
        (MGR, "ritual daily 25:00"),
        (MGR, "ritual concert 17:00"),
        (MGR, "nudges off"),
        (STRANGER, "nudges off"),
    ],
    "/contest": [
        (NY, "frob"),
        (NY, 'start race calls 3d "X"'),
        (MGR, "start race"),
        (MGR, "start race cals 3d"),
        (MGR, "start race calls"),
        (MGR, "start race calls 3x"),
        (MGR, "start target calls 3d"),
        (MGR, 'start target calls 3d 0 "T"'),
        (MGR, "end"),
        (MGR, 'end "Nope"'),
        (MGR, 'standings "Nope"'),
        (NY, "end"),
        (MGR, "list now"),
        (MGR, 'start race calls 3d "A" prize'),
        (MGR, 'start teams calls 1w "T" <@U0AAAAAA1> vs'),
    ],
    "/coach": [
        (NY, f"<@{NY}>"),
        (NY, ""),
        (MGR, "maria"),
        (MGR, f"<@{NY}> tomorrow"),
        (MGR, f"<@{NY}> <@{AE}>"),
        (MGR, "history"),
        (MGR, "<@U0NOBODY1>"),
        (MGR, f"<@{MGR}>"),
        (STRANGER, ""),
    ],
}


@pytest.mark.parametrize("command", sorted(MISTAKES))
def test_every_error_reply_shows_a_command_that_would_work(rig, command):
    """Typos, missing arguments, the wrong people and permission refusals: each answer is a
    warning that says what was wrong and shows a backticked command to type instead."""
    rig.slack.reset()
    without = []
    for user, text in MISTAKES[command]:
        reply = rig.run(command, text, user)
        assert_within_slack_limits(reply)
        shown = "\n".join(b["text"]["text"] for b in reply["blocks"] if b.get("text"))
        assert shown.startswith(":warning:"), (command, text, shown)
        if not re.search(r"`/[a-z]", shown):
            without.append((command, text, shown))
        assert reply["text"] and "`" not in reply["text"]  # and the notification is plain
    assert without == []
    # A failed command changes nothing: no log, no message sent.
    with rig.services.unit_of_work() as session:
        assert session.exec(select(ActivityLog)).all() == []
    assert not rig.slack.calls_to("chat.postMessage")


def test_the_net_under_every_error_reply():
    assert has_command("Try `/log call 12`.") and not has_command("Use `sdr` or `ae`.")
    assert with_command_hint("Try `/log call 12`.", "/log") == "Try `/log call 12`."
    assert with_command_hint("No such person.", "/scorecard") == (
        "No such person. `/scorecard help` shows every form."
    )


# --------------------------------------------------------------------------------------------
# First-run message


def welcomes(slack, user: str) -> list:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.params["channel"] == user and c.params.get("text", "").startswith("Welcome to")
    ]


def test_a_new_rep_is_welcomed_privately_once(rig):
    (welcome,) = welcomes(rig.slack, LA)
    assert_within_slack_limits(welcome.params)
    body = welcome.params["blocks"][0]["text"]["text"]
    for words in (
        "Welcome to Sales in Pacer",
        "as Sales Development Rep",
        "*Calls / Emails* (leading): your goal is 60 a day",
        "*Discovery Meetings Scheduled* (leading): your goal is 8 a week",
        "*Sales Accepted Opportunities* (lagging): your goal is 6 a month; an Account Executive",
        "`/log calls 12`",
        "`/log calls 12 conversations 3`",
        "`/scorecard`",
        # Lena joined before the channel was set: she hears it is coming.
        "In the team's channel, once a manager sets it (`/pacer channel #sales`)",
        "15:00 your time",
        "`/pacer help`",
    ):
        assert words in body, (words, body)
    assert welcome.params["text"].startswith(
        "Welcome to Sales in Pacer: you're on the team as Sales Development Rep. Your goals: "
        "Calls / Emails 60 a day;"
    )
    # The AE's welcome uses the AE's own KPIs.
    (ae,) = welcomes(rig.slack, AE)
    assert "`/log meeting 12`" in ae.params["blocks"][0]["text"]["text"]
    # Managers without a scorecard get none; adding someone again, a retried request, a role
    # change or a removal and re-adding send no second welcome.
    assert welcomes(rig.slack, MGR) == []
    trigger = "1234567890.retried"
    for _ in range(2):
        body = command_body(
            "/pacer", f"team add <@{LA}> sdr", ADMIN, "T0RIG0001", trigger_id=trigger
        )
        rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    rig.text("/pacer", f"team add <@{LA}> ae", MGR)
    rig.text("/pacer", f"team remove <@{LA}>", MGR)
    rig.text("/pacer", f"team add <@{LA}> sdr", MGR)
    assert len(welcomes(rig.slack, LA)) == 1


def test_a_rep_added_once_the_channel_is_set_hears_where_rituals_post(rig):
    rig.slack.add_user("U0SDR0009", "Sam Ray")
    rig.text("/pacer", "team add <@U0SDR0009> sdr", MGR)
    (welcome,) = welcomes(rig.slack, "U0SDR0009")
    body = welcome.params["blocks"][0]["text"]["text"]
    assert f"In <#{CHANNEL}> (America/New_York time): a daily digest at 17:30" in body
    assert "leaderboards at 12:00 and 16:00" in body


def test_welcome_job_from_elsewhere_sends_once_even_at_once(rig):
    """The settings modal adds people too: its welcome_job, run twice at the same moment (and
    again later), sends one welcome."""
    from bot.admin.welcome import welcome_job

    rig.slack.add_user("U0SDR0008", "Ana Silva")
    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        process, _ = team_process(session, team.id)
        member = people_queries.get_member(session, team.workspace_id, NY)
        member.user_id = "U0SDR0008"  # a stand-in row, never saved: the job reads its values
        session.expunge(member)
        job = welcome_job(rig.services, team.workspace_id, team, member, process)
    barrier = threading.Barrier(2)

    def twice():
        barrier.wait()
        job()

    threads = [threading.Thread(target=twice) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    job()
    assert len(welcomes(rig.slack, "U0SDR0008")) == 1


# --------------------------------------------------------------------------------------------
# Plain text fallbacks


MARKUP = re.compile(r"[*`]|(?<![\w])_\S.*?_(?!\w)|<@[UW][A-Z0-9]+\|")


def assert_plain(text: str, gist: str, names: dict[str, str]) -> None:
    assert text and text != "None" and "None" not in text.split(), text
    assert len(text) <= 3000, len(text)
    assert not MARKUP.search(text), text
    for user_id in names:
        assert f"<@{user_id}>" not in text, text  # a known name is written out
    assert text.startswith(gist), (gist, text)


def test_every_kind_of_message_has_a_plain_text_that_starts_with_its_gist(rig):
    names = {SDR: "Kenji Sato", LA: "Lena Ortiz", NY: "Maria Lopez", AE: "Alex Chen"}
    rig.now = at("2026-11-23T10:00:00-05:00")  # Monday
    replies = {
        "log": rig.run("/log", "calls 10 conversations 40 meetings 5", NY),
        "credit": rig.run("/log", f"<@{NY}> sao 1", AE),
        "problem": rig.run("/log", "cals 3", NY),
        "refusal": rig.run("/scorecard", "", "U0STRANGE1"),
    }
    rig.now = at("2026-11-24T11:00:00-05:00")
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    lag = occurrence_at(process, "lag-check", rig.now)  # before a contest rallies the team
    lagging = run_ritual(
        rig.services, team_id(rig), lag, rig.now, pacer=ChannelPacer(0), owner="test"
    )
    assert lagging.status == "posted" and lagging.detail != "0 private messages", lagging
    replies["scorecard"] = rig.run("/scorecard", f"<@{NY}>", MGR)
    replies["leaderboard"] = rig.run("/leaderboard", "calls", NY)
    replies["contest"] = rig.run("/contest", 'start race calls 3d "Call Blitz"', MGR)
    replies["standings"] = rig.run("/contest", "standings", NY)
    replies["coach"] = rig.run("/coach", f"<@{NY}>", MGR)
    gists = {
        "log": ":white_check_mark: Logged 10 Calls / Emails, 40 Conversations",
        "credit": ":white_check_mark: Logged 1 Sales Accepted Opportunities for @Maria Lopez",
        "problem": "I don't know the KPI cals.",
        "refusal": "You don't have a scorecard yet",
        "scorecard": "Scorecard (Mon 23 – Sun 29 Nov 2026): Calls / Emails 10/300",
        "leaderboard": "Leaderboard · Calls / Emails",
        "contest": ":checkered_flag: Started Call Blitz",
        "standings": "Call Blitz: standings",
        "coach": "Opening a coaching thread with @Maria Lopez",
    }
    for kind, reply in replies.items():
        assert_plain(reply["text"], gists[kind], names)
    sweep(rig, at("2026-11-24T15:00:00-05:00"))  # nudges
    for kind, when in (
        ("leaderboard", "2026-11-24T12:00:00-05:00"),
        ("daily", "2026-11-24T17:30:00-05:00"),
    ):
        outcome = run_ritual(
            rig.services,
            team_id(rig),
            occurrence_at(process, kind, at(when)),
            at(when),
            pacer=ChannelPacer(0),
            owner="test",
        )
        assert outcome.status == "posted", (kind, outcome)
    rig.now = at("2026-11-25T11:00:00-05:00")
    assert_plain(rig.run("/contest", "end", MGR)["text"], "Result: Call Blitz", names)
    sent = [c.params for c in rig.slack.calls_to("chat.postMessage")]
    expected = {
        "welcome": "Welcome to Sales in Pacer: you're on the team as",
        "credited": "@Alex Chen credited you with 1 Sales Accepted Opportunities",
        "lag suggestion": "Calls / Emails: 4% of pace this week; a catch-up contest is ready",
        "contest start": "New contest: Call Blitz",
        "coaching opening": "Coaching session with Maria Lopez",
        "nudge": "Nothing logged today (Tue 24 Nov) yet.",
        "leaderboard post": "Leaderboards · Sales · Tue 24 Nov 2026",
        "daily digest": "Daily digest · Sales · Tue 24 Nov 2026",
        "contest result": "Result: Call Blitz",
    }
    for kind, gist in expected.items():
        found = [p for p in sent if p.get("text", "").startswith(gist)]
        assert found, (kind, [p.get("text") for p in sent])
    for params in sent:
        assert_plain(params["text"], "", names)


def test_weekly_and_monthly_digests_have_plain_texts(rig):
    rig.now = at("2026-11-23T10:00:00-05:00")
    rig.text("/log", "calls 10", NY)
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    rig.slack.reset()
    for kind, when in (
        ("weekly", "2026-11-30T09:00:00-05:00"),
        ("monthly", "2026-12-01T09:00:00-05:00"),
    ):
        run_ritual(
            rig.services,
            team_id(rig),
            occurrence_at(process, kind, at(when)),
            at(when),
            pacer=ChannelPacer(0),
            owner="test",
        )
    texts = [c.params["text"] for c in rig.slack.calls_to("chat.postMessage")]
    assert any(t.startswith("Weekly digest · Sales · Mon 23 – Sun 29 Nov 2026") for t in texts)
    assert any(t.startswith("Monthly digest · Sales · November 2026") for t in texts)
    for text in texts:
        assert_plain(text, "", {NY: "Maria Lopez"})


def test_plain_turns_markup_into_words():
    assert messages.plain("*Logged* `/log calls 12` _Acme_ ~old~ for <@U1|maria>") == (
        "Logged /log calls 12 Acme old for @maria"
    )
    assert messages.plain("meetings_held <#C1|sales> <https://x.test|the docs>") == (
        "meetings_held #sales the docs"
    )
    assert messages.plain("<@U1> and <@U2>", {"U1": "Sam"}) == "@Sam and <@U2>"
    assert messages.message("*Bold* `code`", [])["text"] == "Bold code"
    assert messages.message("", [])["text"] == "Pacer"  # never empty
