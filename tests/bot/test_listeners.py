"""bot/listeners.py: the frame every slash command, button and form goes through, exercised
with listeners of its own on a Bolt app over the Rig's services (signed requests, the local
Slack stand-in). A command's reply is its acknowledgement (people named, not mentioned, in its
plain text); a refusal changes nothing and is answered where it was asked: a command with a
hint, a button privately (through its response_url, or by direct message from the Home tab), a
form with a notice in its place; a handler's ``{"problem": …}`` keeps its follow-ups; every
request leaves one log line with its outcome. (The request context itself, bot/context.py, has
tests/bot/test_context.py.)"""

import json
import logging

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot import messages
from bot.context import Request
from bot.listeners import register_action, register_command, register_view
from bot.replies import Problem
from simulator.signed_requests import (
    block_action_payload,
    command_body,
    interaction_body,
    signed_headers,
    view_submission_payload,
)
from storage import people_queries
from storage.models import Member
from tests.bot.support import MGR, SDR

TEAM = "T0RIG0001"
REFUSED = "That isn't possible *here*."


@pytest.fixture
def app(rig) -> App:
    """A Bolt app configured as bot.app's, for the listeners each test registers."""
    return App(
        signing_secret="rig-secret",
        client=rig.services.client,
        process_before_response=True,
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )


@pytest.fixture
def lines(caplog):
    """The request log lines (logger ``pacer.requests``) written so far."""
    caplog.set_level(logging.INFO, logger="pacer.requests")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "pacer.requests"]


def dispatch(app: App, body: str) -> dict:
    response = app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def add_member(request: Request) -> None:
    """What a handler stores before it is refused: it must not land."""
    people_queries.save_member(
        request.session,
        Member(
            workspace_id=request.actor.workspace_id,
            team_id=request.actor.team_id,
            user_id="U0STORED1",
            role="sdr",
            added_by=request.user_id,
            added_at=request.now,
        ),
    )


def stored(rig) -> list[str]:
    with rig.services.unit_of_work() as session:
        return [m.user_id for m in session.exec(select(Member))]


def answered(rig) -> int:
    """How many answers went through response_urls so far."""
    return sum(len(answers) for answers in rig.slack.responses.values())


def refused(request: Request) -> dict:
    """A handler that stores something, plans a follow-up, and is then refused."""
    add_member(request)
    request.follow_ups.append(lambda: pytest.fail("a refused handler's follow-up ran"))
    raise Problem(REFUSED)


def press(app: App, rig, action_id: str = "probe_button", *, from_home: bool = False):
    """Press a button on a message (or on the Home tab, which gives no response_url); the
    response_url's key."""
    url = rig.slack.new_response_url()
    payload = block_action_payload(
        SDR, action_id, "v", team_id=TEAM, channel_id="C0SALES01", response_url=url
    )
    if from_home:
        payload.pop("response_url")
        payload.pop("channel")
        payload["container"] = {"type": "view", "view_id": "V0HOME001"}
    assert dispatch(app, interaction_body(payload)) == {}  # a button is acknowledged empty
    return url.rsplit("/", 1)[1]


def submit(app: App, callback_id: str = "probe_form") -> dict:
    payload = view_submission_payload(SDR, callback_id, {}, team_id=TEAM)
    return dispatch(app, interaction_body(payload))


# -- slash commands ---------------------------------------------------------------------------


def test_a_commands_reply_is_its_acknowledgement_naming_people_it_mentions(rig, app, lines):
    with rig.services.unit_of_work() as session:
        workspace = people_queries.workspace_for(session, TEAM, None, rig.now)
        people_queries.save_profile(session, workspace.id, SDR, "Maria Lopez", None, rig.now)
    after = []

    def reply(cmd) -> dict:
        cmd.outcome = "probed"
        cmd.follow_ups.append(lambda: after.append(stored(rig)))
        add_member(cmd)
        text = f"<@{SDR}> logged 12 for *{cmd.text}*"
        return messages.message(text, messages.section(text))

    register_command(app, rig.services, "/probe", reply)
    answer = dispatch(app, command_body("/probe", "calls", MGR, team_id=TEAM))
    assert answer["text"] == "@Maria Lopez logged 12 for calls"
    assert answer["blocks"][0]["text"]["text"] == f"<@{SDR}> logged 12 for *calls*"
    assert after == [["U0STORED1"]]  # after the ack, with the handler's work committed
    [line] = lines()
    assert line.startswith(f"command=/probe user={MGR} team={TEAM} outcome=probed duration_ms=")


def test_a_refused_command_answers_with_a_hint_and_changes_nothing(rig, app, lines):
    register_command(app, rig.services, "/probe", refused)
    answer = dispatch(app, command_body("/probe", "calls", MGR, team_id=TEAM))
    assert answer["blocks"][0]["text"]["text"] == (
        f":warning: {REFUSED} `/probe help` shows every form."
    )
    assert answer["text"] == "That isn't possible here. /probe help shows every form."
    assert stored(rig) == []
    [line] = lines()
    assert f"command=/probe user={MGR} team={TEAM} outcome=refused:Problem " in line


def test_a_command_that_fails_says_so_and_logs_an_error(rig, app, lines):
    def broken(cmd) -> dict:
        add_member(cmd)
        raise KeyError("a bug")

    register_command(app, rig.services, "/probe", broken)
    answer = dispatch(app, command_body("/probe", "", MGR, team_id=TEAM))
    assert "could not finish this command" in answer["blocks"][0]["text"]["text"]
    assert "`/probe help`" in answer["blocks"][0]["text"]["text"]
    assert stored(rig) == []
    assert [line.split(" duration_ms")[0] for line in lines()] == [
        f"command=/probe user={MGR} team={TEAM} outcome=error"
    ]


# -- buttons ----------------------------------------------------------------------------------


def test_a_buttons_refusal_is_answered_privately_where_it_was_pressed(rig, app, lines):
    register_action(app, rig.services, "probe_button", refused)
    key = press(app, rig)
    assert rig.slack.responses[key] == [
        {
            "text": REFUSED,
            "response_type": "ephemeral",
            "replace_original": False,
        }
    ]
    assert stored(rig) == [] and rig.slack.calls_to("chat.postMessage") == []
    [line] = lines()
    assert f"interaction=probe_button user={SDR} team={TEAM} outcome=refused:Problem " in line


def test_a_home_tab_buttons_refusal_is_a_direct_message(rig, app, lines):
    register_action(app, rig.services, "probe_button", refused)
    key = press(app, rig, from_home=True)
    [message] = rig.slack.calls_to("chat.postMessage")
    assert message.params["channel"] == SDR
    assert message.params["text"] == "That isn't possible here."  # plain, for the notification
    assert message.params["blocks"] == messages.section(REFUSED)
    assert rig.slack.responses[key] == [] and stored(rig) == []
    assert len(lines()) == 1


def test_a_handlers_problem_is_answered_privately_and_keeps_its_follow_ups(rig, app, lines):
    seen = []

    def stale(ix) -> dict:
        ix.outcome = "stale"
        add_member(ix)
        ix.follow_ups.append(lambda: seen.append(answered(rig)))
        return {"problem": "This message is out of date: its buttons are gone now."}

    register_action(app, rig.services, "probe_button", stale)
    key = press(app, rig)
    [answer] = rig.slack.responses[key]
    assert answer["text"] == "This message is out of date: its buttons are gone now."
    assert answer["response_type"] == "ephemeral"
    assert seen == [1]  # the follow-up ran, after the private answer
    assert stored(rig) == ["U0STORED1"]  # not a refusal: what it stored is committed
    [line] = lines()
    assert f"interaction=probe_button user={SDR} team={TEAM} outcome=stale " in line


def test_a_refusal_a_button_answers_its_own_way_is_not_answered_twice(rig, app):
    noticed = []

    def notice(ix, text: str) -> None:
        ix.follow_ups.append(lambda: noticed.append(text))

    register_action(app, rig.services, "probe_button", refused, on_refusal=notice)
    key = press(app, rig)
    assert noticed == [REFUSED] and rig.slack.responses[key] == []
    assert stored(rig) == []


def test_a_button_handler_that_returns_nothing_is_just_acknowledged(rig, app, lines):
    register_action(app, rig.services, "probe_button", lambda ix: None)
    key = press(app, rig)
    assert rig.slack.responses[key] == [] and rig.slack.calls_to("chat.postMessage") == []
    [line] = lines()
    assert f"interaction=probe_button user={SDR} team={TEAM} outcome=ok " in line


# -- forms ------------------------------------------------------------------------------------


def test_a_forms_answer_is_its_acknowledgement(rig, app, lines):
    errors = {"response_action": "errors", "errors": {"count": "A number, please."}}

    def check(ix) -> dict:
        ix.outcome = "invalid"
        return errors

    register_view(app, rig.services, "probe_form", check)
    register_view(app, rig.services, "probe_closes", lambda ix: None)
    assert submit(app) == errors
    assert submit(app, "probe_closes") == {}  # None: the form closes
    assert [line.split(" duration_ms")[0] for line in lines()] == [
        f"interaction=probe_form user={SDR} team={TEAM} outcome=invalid",
        f"interaction=probe_closes user={SDR} team={TEAM} outcome=ok",
    ]


def test_a_forms_refusal_becomes_a_notice_in_its_place(rig, app, lines):
    register_view(app, rig.services, "probe_form", refused)
    assert submit(app) == {"response_action": "update", "view": messages.notice_view(REFUSED)}
    assert stored(rig) == []
    [line] = lines()
    assert f"interaction=probe_form user={SDR} team={TEAM} outcome=refused:Problem " in line


def test_a_forms_problem_becomes_a_notice_and_keeps_its_follow_ups(rig, app):
    after = []

    def stale(ix) -> dict:
        ix.follow_ups.append(lambda: after.append("ran"))
        return {"problem": "This form is out of date."}

    register_view(app, rig.services, "probe_form", stale)
    assert submit(app)["view"] == messages.notice_view("This form is out of date.")
    assert after == ["ran"]
