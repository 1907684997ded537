"""The lag check as a ritual, through `run_ritual` against the local Slack stand-in: each manager
hears privately, once, with three buttons; nothing on pace, early in the week or without a
manager; a failed run resumes without sending twice; the automatic launch, and what the managers
hear when it cannot start (see lag_check_support.py for the team and its numbers)."""

import logging
from datetime import datetime

from bot.contests.flow import launch
from rituals.contests import ContestSpec
from rituals.teams import team_process
from storage import people_queries
from tests.bot.contests.lag_check_support import (
    CHANNEL,
    MGR2,
    MONDAY_10,
    WEDNESDAY_11,
    auto_launch,
    buttons,
    channel_posts,
    contests,
    dms,
    log_monday,
    run,
    suggestions,
    team_id,
    text_of,
)
from tests.bot.contests.lag_check_support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.support import ADMIN, MGR, SDR, assert_within_slack_limits


def test_a_lagging_kpi_is_suggested_to_each_manager_once_with_three_buttons(rig):
    log_monday(rig)
    outcome = run(rig)
    assert outcome.status == "posted" and outcome.detail == "2 private messages", outcome
    sent = dms(rig)
    assert sorted(c.params["channel"] for c in sent) == sorted([MGR, MGR2])
    (row,) = suggestions(rig)
    assert (row.kpi, row.week_key, row.status) == ("calls", "2026-W48", "open")
    for call in sent:
        assert_within_slack_limits(call.params)
        text = text_of(call)
        assert "Behind pace this week: Calls / Emails" in text
        assert "*13%* of pace for the week — *10* of *75* expected by now" in text
        assert "Tue 24 Nov 2026, 11:00" in text
        assert "*230* to go to the weekly goal of 240" in text
        assert f"*Furthest behind:* <@{SDR}> 10 of 75 (13%)" in text
        assert "Ready-made contest: Calls / Emails catch-up" in text
        assert "Kind: target" in text and "Window: Tue 24 – Fri 27 Nov 2026" in text
        assert "Target: *230* Calls / Emails per rep" in text
        assert f"Entrants (1): <@{SDR}>" in text
        assert [(b["action_id"], b["text"]["text"], b["value"]) for b in buttons(call)] == [
            ("lag_launch", "Launch contest", str(row.id)),
            ("lag_edit", "Edit first", str(row.id)),
            ("lag_dismiss", "Dismiss", str(row.id)),
        ]
    assert run(rig).status == "settled"  # the same check again: nothing more
    assert len(dms(rig)) == 2
    wednesday = run(rig, at=WEDNESDAY_11)  # still behind, but suggested already this week
    assert wednesday.status == "posted" and wednesday.detail == "0 private messages"
    assert len(dms(rig)) == 2 and len(suggestions(rig)) == 1


def test_a_team_on_pace_hears_nothing(rig):
    log_monday(rig, calls=80)  # 80 of 75 expected
    assert run(rig).detail == "0 private messages"
    assert dms(rig) == [] and suggestions(rig) == []


def test_nothing_before_a_quarter_of_the_week(rig):
    log_monday(rig)
    # Monday 16:00: 7 of the week's 32 working hours (Thursday is Thanksgiving); Tuesday 10:00
    # would be 9 of 32, past a quarter.
    early = datetime.fromisoformat("2026-11-23T16:00:00-05:00")
    assert run(rig, at=early).detail == "0 private messages"
    assert dms(rig) == [] and suggestions(rig) == []


def test_a_team_without_managers_is_logged_and_nothing_is_sent(rig, caplog):
    rig.text("/pacer", f"manager <@{MGR}> off", ADMIN)
    rig.text("/pacer", f"manager <@{MGR2}> off", ADMIN)
    log_monday(rig)
    with caplog.at_level(logging.WARNING, logger="pacer.rituals"):
        assert run(rig).detail == "0 private messages"
    assert "no manager to tell" in caplog.text and "calls" in caplog.text
    assert dms(rig) == [] and suggestions(rig) == []  # not used up: a manager added later hears


def test_a_run_that_fails_midway_resumes_without_sending_twice(rig):
    log_monday(rig)
    rig.slack.fail_next("chat.postMessage", status=500)  # the first DM fails after its progress
    first = run(rig)
    assert first.status == "failed"
    later = datetime.fromisoformat("2026-11-24T11:05:00-05:00")
    second = run(rig, now=later)
    assert second.status == "posted" and second.detail == "1 private messages", second
    # one message was lost with the failure, none was sent twice, the suggestion stayed one
    delivered = [c.params["channel"] for c in dms(rig)]
    assert delivered == [sorted([MGR, MGR2])[1]]
    assert len(suggestions(rig)) == 1
    assert buttons(dms(rig)[0])[0]["value"] == str(suggestions(rig)[0].id)


def test_auto_launch_starts_the_contest_without_asking(rig):
    auto_launch(rig)
    log_monday(rig)
    outcome = run(rig)
    assert outcome.status == "posted" and outcome.detail == "2 private messages", outcome
    (contest,) = contests(rig)
    assert (contest.source, contest.target, contest.created_by) == ("auto", 230, "pacer")
    (row,) = suggestions(rig)
    assert (row.status, row.contest_id) == ("launched", contest.id)
    assert len(channel_posts(rig)) == 1  # announced in the team channel
    for call in dms(rig):
        text = text_of(call)
        assert "Pacer launched a contest" in text and f"<#{CHANNEL}>" in text
        assert "*13%* of pace for the week" in text and "Target: *230*" in text
        assert not [b for b in call.params["blocks"] if b["type"] == "actions"]
    assert run(rig).status == "settled"
    assert len(contests(rig)) == 1 and len(channel_posts(rig)) == 1 and len(dms(rig)) == 2


def test_auto_launch_that_cannot_start_asks_the_managers_instead(rig):
    auto_launch(rig)
    log_monday(rig)
    with rig.services.unit_of_work() as session:  # a contest of the same name is running
        team = people_queries.get_team(session, team_id(rig))
        process, _ = team_process(session, team.id)
        launch(
            rig.services,
            session,
            team=team,
            process=process,
            spec=ContestSpec(
                "Calls / Emails catch-up",
                "race",
                "conversations",  # same name, another KPI: the name clash stops it
                MONDAY_10.date(),
                datetime(2026, 11, 27).date(),
            ),
            by=MGR,
            now=MONDAY_10,
            source="command",
            start_key="test",
        )
    assert run(rig).detail == "2 private messages"
    assert len(contests(rig)) == 1 and suggestions(rig)[0].status == "open"
    for call in dms(rig):
        assert "Pacer could not launch it by itself" in text_of(call)
        assert "already running" in text_of(call)
        assert [b["action_id"] for b in buttons(call)] == ["lag_launch", "lag_edit", "lag_dismiss"]


def test_a_kpi_with_a_contest_running_is_not_suggested_again(rig):
    log_monday(rig)
    rig.now = datetime.fromisoformat("2026-11-24T10:00:00-05:00")
    assert "Started" in rig.text("/contest", 'start race calls week "Manager\'s own blitz"', MGR)
    rig.slack.reset()
    outcome = run(rig)
    assert outcome.detail == "0 private messages" and suggestions(rig) == [] and dms(rig) == []
