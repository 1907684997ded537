"""bot/admin/welcome.py: a rep added to a team hears, privately and once, how Pacer works for them
(their KPIs and goals, the commands, where and when the rituals post)."""

import threading

import pytest
from slack_bolt.request import BoltRequest

from bot.admin.welcome import welcome_job
from rituals.teams import team_process
from simulator.signed_requests import command_body, signed_headers
from storage import people_queries
from tests.bot.support import ADMIN, AE, MGR, assert_within_slack_limits
from tests.bot.timezone_support import CHANNEL, LA, NY, timezone_rig, welcomes


@pytest.fixture
def rig(tmp_path):
    yield from timezone_rig(tmp_path)


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
