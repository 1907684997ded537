"""bot/process_reviews/home.py: a manager's Home shows each open review, "N of M answered";
nothing when none is open, and nothing for a rep."""

import json

from slack_bolt.request import BoltRequest

from simulator.signed_requests import event_body, json_headers
from tests.bot.process_reviews.support import MGR, SDR, TEAM, asked, command, press


def _home(rig, user: str) -> str:
    before = len(rig.slack.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home"}
    body = event_body(event, team_id=TEAM)
    response = rig.app.dispatch(BoltRequest(body=body, headers=json_headers("rig-secret", body)))
    assert response.status == 200
    published = rig.slack.calls_to("views.publish")[before:]
    return json.dumps(published[-1].params) if published else ""


def test_a_managers_home_shows_the_open_review(rig):
    assert "Draft process under review" not in _home(rig, MGR)
    review_id = asked(rig)
    assert "0 of 2 answered" in _home(rig, MGR)
    press(rig, SDR, "review_approve", str(review_id))
    assert "1 of 2 answered" in _home(rig, MGR)
    assert "Draft process under review" not in _home(rig, SDR)
    command(rig, "process discard")
    assert "Draft process under review" not in _home(rig, MGR)
