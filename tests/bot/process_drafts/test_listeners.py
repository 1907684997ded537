"""bot/process_drafts/listeners.py: the button, the form and the DM file are wired, and a file
reply in a coaching thread still reaches the coaching listener."""

import pytest
from slack_bolt.request import BoltRequest

from bot.ids import Action, View
from simulator.signed_requests import block_action_payload, interaction_body, signed_headers
from tests.bot.form_support import TEAM, named_rig
from tests.bot.support import MGR


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def test_the_edit_button_opens_the_form(rig):
    rig.text("/pacer", "process draft", MGR)
    payload = block_action_payload(
        MGR, Action.DRAFT_EDIT, "activities", team_id=TEAM, channel_id="D0X"
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    (call,) = rig.slack.calls_to("views.open")
    assert call.params["view"]["callback_id"] == View.DRAFT_EDIT
    assert call.params["view"]["title"]["text"] == "Draft: activities"


def test_an_old_button_value_is_answered(rig):
    rig.text("/pacer", "process draft", MGR)
    url = rig.slack.new_response_url()
    payload = block_action_payload(
        MGR, Action.DRAFT_EDIT, "stages", team_id=TEAM, channel_id="D0X", response_url=url
    )
    body = interaction_body(payload)
    rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    (answer,) = rig.slack.responses[url.rsplit("/", 1)[1]]
    assert "older Pacer" in answer["text"]
