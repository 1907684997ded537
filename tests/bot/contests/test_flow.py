"""Starting a contest stores it before it is announced, once: the same request twice starts one
contest and one announcement; without a channel the start waits and posts once a channel is set."""

import json

from slack_bolt.request import BoltRequest

from simulator.signed_requests import command_body, signed_headers
from storage import people_queries
from tests.bot.contests.support import (
    CHANNEL,
    TEAM,
    at,
    contest_posts,
    posts_of,
    stored,
    tick,
)
from tests.bot.contests.support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.support import ADMIN, MGR, SDR


def test_the_same_start_request_twice_starts_one_contest(rig):
    body = command_body("/contest", 'start race calls 3d "Once"', MGR, team_id=TEAM)
    replies = []
    for _ in range(2):
        response = rig.app.dispatch(
            BoltRequest(body=body, headers=signed_headers("rig-secret", body))
        )
        replies.append(json.dumps(json.loads(response.body)))
    assert len(stored(rig)) == 1
    assert len(posts_of(rig, ":start")) == 1
    assert "reached Pacer twice" in replies[1] and "reached Pacer twice" not in replies[0]


def test_without_a_channel_the_start_waits_and_posts_once_a_channel_is_set(rig):
    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        team.channel_id = None
        session.add(team)
        session.commit()
    assert "No contests in the last 30 days" in rig.text("/contest", "", SDR)
    rig.now = at("2026-11-24T11:05:00")  # the team has existed since 11:00
    reply = rig.text("/contest", 'start target calls 2d 1,000 "Thousand"', MGR)
    assert "target 1000" in reply and "`/pacer channel #sales`" in reply
    assert contest_posts(rig) == []
    tick(rig, "2026-11-25T09:10:00")  # still no channel: nothing posted, nothing lost
    assert contest_posts(rig) == []
    rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
    tick(rig, "2026-11-25T09:12:00")  # the start is never too late
    [start] = posts_of(rig, ":start")
    assert "New contest: Thousand" in start
    assert "everyone who reaches *1,000*" in start
    tick(rig, "2026-11-25T09:20:00")
    assert len(posts_of(rig, ":start")) == 1
