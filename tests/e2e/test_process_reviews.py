"""Reviews of a process draft end to end (issue 14, parts 2-3): `pacer serve` in a subprocess,
signed slash commands, button presses and form submissions over real HTTP, the Slack stand-in,
and the rows the server stored, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

The draft is opened with `/pacer process draft` (the drafts feature's own tests cover it)."""

import json
import time
import uuid
from datetime import datetime

import pytest

from bot.settings import load_settings
from cli import rituals as rituals_cli
from simulator.signed_requests import (
    block_action_payload,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
    view_submission_payload,
)
from tests.e2e.conftest import CLOCK
from tests.e2e.harness import SECRET, TOKEN

S1, S2, S3, AE, MGR = "USDR00001", "USDR00002", "USDR00003", "UAE000001", "UMGR00001"
NOW = datetime.fromisoformat(CLOCK)


def wait(find, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        found = find()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def posts_to(server, channel: str, needle: str = "", count: int = 1) -> list[dict]:
    def find():
        found = [
            c.params
            for c in server.standin.calls_to("chat.postMessage")
            if c.params.get("channel") == channel and needle in json.dumps(c.params)
        ]
        return found if len(found) >= count else None

    return wait(find) or [
        c.params
        for c in server.standin.calls_to("chat.postMessage")
        if c.params.get("channel") == channel and needle in json.dumps(c.params)
    ]


def in_thread(server, needle: str, count: int = 1, review_id: int | None = None) -> list[dict]:
    """Posts in an author's thread (the direct message's channel, as Slack names it): the
    round's own when ``review_id`` is given (other tests share the stand-in)."""
    ts = None
    if review_id is not None:
        ts = wait(
            lambda: rows(server, "SELECT thread_ts FROM process_review WHERE id = ?", review_id)[0][
                0
            ]
        )

    def find():
        found = [
            c.params
            for c in server.standin.calls_to("chat.postMessage")
            if c.params.get("thread_ts")
            and (ts is None or c.params["thread_ts"] == ts)
            and needle in json.dumps(c.params)
        ]
        return found if len(found) >= count else None

    return wait(find) or []


def responses(server, key: str, count: int = 1) -> list[dict]:
    return (
        wait(
            lambda: (
                (server.standin.responses.get(key) or [])[count - 1 :]
                and server.standin.responses[key]
            )
        )
        or []
    )


def button(message: dict, action_id: str) -> dict:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button in {message}")


def post_signed(server, body: str):
    reply = server.post(body, signed_headers(SECRET, body))
    assert reply.status == 200, reply
    return reply


def press(server, ws, user: str, action_id: str, value: str, *, payload=None):
    """A press on a direct message; (reply, response_url key, the payload to send again)."""
    url = server.standin.new_response_url()
    payload = payload or block_action_payload(
        user,
        action_id,
        value,
        team_id=ws.team_id,
        channel_id="D" + uuid.uuid4().hex[:9].upper(),
        message_ts="1700000000.000100",
        response_url=url,
    )
    reply = post_signed(server, interaction_body(payload))
    return reply, payload["response_url"].rsplit("/", 1)[1], payload


def submit(server, ws, user, callback, values, metadata, view_id=None):
    payload = view_submission_payload(
        user,
        callback,
        values,
        team_id=ws.team_id,
        private_metadata=metadata,
        view_id=view_id or "V" + uuid.uuid4().hex[:9].upper(),
    )
    reply = post_signed(server, interaction_body(payload))
    return reply.body if isinstance(reply.body, dict) else {}


def opened_form(server, action) -> dict:
    """The form Slack was asked to open by ``action`` (other tests share the stand-in)."""
    before = len(server.standin.calls_to("views.open"))
    action()
    (call,) = wait(lambda: server.standin.calls_to("views.open")[before:])
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def suggestion(item: str | None, instead: str | None, why: str | None = None) -> dict:
    return {
        "item": {"value": {"type": "static_select", "selected_option": {"value": item}}}
        if item
        else {"value": {"type": "static_select", "selected_option": None}},
        "instead": {"value": {"type": "plain_text_input", "value": instead}},
        "why": {"value": {"type": "plain_text_input", "value": why}},
    }


def rows(server, sql, *args):
    return server.rows(sql, *args)


def team_and_draft(server, ws) -> int:
    """Two SDRs, an AE, a third SDR who is never asked, a manager; the manager's open draft."""
    ws.setup_team(sdrs=(S1, S2, S3), aes=(AE,), managers=(MGR,))
    assert ws.pacer(MGR, "process draft").status == 200
    ((draft_id,),) = rows(
        server,
        "SELECT d.id FROM process_draft d JOIN workspace w ON w.id = d.workspace_id "
        "WHERE w.slack_team_id = ? AND d.status = 'open'",
        ws.team_id,
    )
    return draft_id


def ask(server, ws, text: str, trigger: str | None = None):
    body = ws.body("/pacer", f"process review {text}", MGR, trigger_id=trigger)
    return body, post_signed(server, body)


def review_id_of(server, ws) -> list[int]:
    return [
        r[0]
        for r in rows(
            server,
            "SELECT r.id FROM process_review r JOIN workspace w ON w.id = r.workspace_id "
            "WHERE w.slack_team_id = ? ORDER BY r.id",
            ws.team_id,
        )
    ]


def test_a_review_of_three_with_approvals_asked_once(server, ws):
    team_and_draft(server, ws)
    body, reply = ask(server, ws, f"<@{S1}> <@{S2}> <@{AE}> part journey due 2026-11-27")
    assert "Asked" in reply.text and "the buyer's journey" in reply.text, reply.text
    assert "due Fri 27 Nov" in reply.text
    # The same request delivered twice (a retry): one round, each reviewer asked once.
    again = post_signed(server, body)
    assert "Asked" in again.text
    (review_id,) = review_id_of(server, ws)
    assert rows(server, "SELECT count(*) FROM review_reviewer WHERE review_id = ?", review_id) == [
        (3,)
    ]
    for user in (S1, S2, AE):
        (request,) = posts_to(server, user, f'"block_id": "review:{review_id}"')
        assert "1. Receives Call/Email" in json.dumps(request)
        assert button(request, "review_approve")["value"] == str(review_id)
    time.sleep(0.3)  # a second delivery would have posted by now
    assert len(posts_to(server, S1, f'"block_id": "review:{review_id}"')) == 1
    assert posts_to(server, MGR, "Their answers arrive in this thread")
    # Two approvals; the same press delivered twice counts once.
    _, key, payload = press(server, ws, S1, "review_approve", str(review_id))
    press(server, ws, S1, "review_approve", str(review_id), payload=payload)
    assert "looks right to you" in str(responses(server, key))
    press(server, ws, S2, "review_approve", str(review_id))
    answers = rows(
        server,
        "SELECT reviewer_id, verdict, status FROM review_answer WHERE review_id = ? ORDER BY id",
        review_id,
    )
    assert answers == [(S1, "approve", "open"), (S2, "approve", "open")]
    thread = in_thread(server, "looks right.", count=2, review_id=review_id)
    assert len(thread) == 2
    assert all(p.get("thread_ts") for p in thread)
    # Where it stands, for the author, and on a manager's Home.
    feedback = ws.pacer(MGR, "process feedback").text
    assert "2 of 3 answered" in feedback and f"<@{AE}>" in feedback, feedback
    home = open_home(server, ws, MGR)
    assert "2 of 3 answered" in json.dumps(home)


def open_home(server, ws, user: str) -> dict:
    before = len(server.standin.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home"}
    body = event_body(event, team_id=ws.team_id)
    assert server.post(body, json_headers(SECRET, body)).status == 200
    calls = wait(
        lambda: [
            c
            for c in server.standin.calls_to("views.publish")[before:]
            if c.params.get("user_id") == user
        ]
    )
    assert calls, "no Home published"
    view = calls[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_someone_not_asked_is_refused_and_nothing_is_stored(server, ws):
    team_and_draft(server, ws)
    ask(server, ws, f"<@{S1}> due 2026-11-27")
    (review_id,) = review_id_of(server, ws)
    for action in ("review_approve", "review_suggest"):
        _, key, _ = press(server, ws, S3, action, str(review_id))
        assert "You weren't asked to review this draft" in str(responses(server, key))
    _, key, _ = press(server, ws, S3, "review_approve", "999999")
    assert "can't find this review" in str(responses(server, key))
    assert rows(server, "SELECT count(*) FROM review_answer WHERE review_id = ?", review_id) == [
        (0,)
    ]
    # ...and a form submitted by someone not asked is refused in the form.
    body = submit(
        server, ws, S3, "review_suggest_form", suggestion("stage:purchase", "Signs"), str(review_id)
    )
    assert "You weren't asked" in json.dumps(body)
    assert rows(server, "SELECT count(*) FROM review_answer WHERE review_id = ?", review_id) == [
        (0,)
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Name who should review the draft with @"),
        ("<@USDR00001> part goals", "isn't a part of the process"),
        ("<@USDR00001> due someday", "isn't a date"),
        ("<@USDR00001> due 2026-11-01", "is in the past"),
        ("<@USDR00001> please", "isn't a reviewer, `part` or `due`"),
        ("<@USDR00001> part", "Say which after `part`"),
        ("<@UMGR00001>", "wrote the draft"),
    ],
)
def test_every_mistake_in_the_review_command_is_answered_and_changes_nothing(
    server, ws, text, says
):
    team_and_draft(server, ws)
    _, reply = ask(server, ws, text)
    assert says in reply.text, reply.text
    assert review_id_of(server, ws) == []


def test_a_rep_cannot_ask_and_no_draft_is_said(server, ws):
    ws.setup_team(sdrs=(S1,), aes=(), managers=(MGR,))
    assert "There's no open draft" in ws.pacer(MGR, f"process review <@{S1}>").text
    assert "managers" in ws.pacer(S1, f"process review <@{MGR}>").text
    assert "There's no open draft" in ws.pacer(MGR, "process feedback").text


def test_suggestions_accepted_and_dismissed_with_every_form_submission(server, ws):
    draft_id = team_and_draft(server, ws)
    ask(server, ws, f"<@{S1}> <@{S2}> part journey")
    (review_id,) = review_id_of(server, ws)
    meta = str(review_id)
    posts_to(server, MGR, "Their answers arrive in this thread")
    # Suggest a change opens the form, with the journey's items to choose from.
    view = opened_form(server, lambda: press(server, ws, S1, "review_suggest", meta))
    assert view["callback_id"] == "review_suggest_form"
    assert "stage:evaluates_roi" in json.dumps(view)
    # Every mistake is answered in the form, on its field; nothing is stored.
    cases = [
        (suggestion(None, "X"), "item", "Choose the item"),
        (suggestion("stage:nowhere", "X"), "item", "isn't in the draft"),
        (suggestion("stage:evaluates_roi", " "), "instead", "Write what the draft should say"),
        (suggestion("stage:evaluates_roi", "x" * 301), "instead", "under 300"),
        (suggestion("stage:evaluates_roi", "Purchase"), "instead", ""),  # a duplicate name
        (suggestion("stage:evaluates_roi", "Y", "w" * 1001), "why", "under 1000"),
    ]
    for values, field, says in cases:
        body = submit(server, ws, S1, "review_suggest_form", values, meta)
        assert body.get("response_action") == "errors", (values, body)
        assert field in body["errors"] and says in body["errors"][field], body
    assert rows(server, "SELECT count(*) FROM review_answer") == [(0,)] or rows(
        server, "SELECT count(*) FROM review_answer WHERE review_id = ?", review_id
    ) == [(0,)]
    # A good one; the same submission delivered twice is stored once.
    good = suggestion("stage:evaluates_roi", "Builds Business Case", "reps say it this way")
    body = submit(server, ws, S1, "review_suggest_form", good, meta, view_id="V0SAME0001")
    assert body.get("response_action") == "update" and "Thanks" in json.dumps(body)
    submit(server, ws, S1, "review_suggest_form", good, meta, view_id="V0SAME0001")
    submit(server, ws, S2, "review_suggest_form", suggestion("stage:purchase", "Signs"), meta)
    answers = rows(
        server,
        "SELECT id, reviewer_id, item, status FROM review_answer WHERE review_id = ? ORDER BY id",
        review_id,
    )
    assert [(a[1], a[2], a[3]) for a in answers] == [
        (S1, "stage:evaluates_roi", "open"),
        (S2, "stage:purchase", "open"),
    ]
    first, second = answers[0][0], answers[1][0]
    (posted,) = in_thread(server, "Builds Business Case", review_id=review_id)
    assert button(posted, "review_accept")["value"] == str(first)
    # A rep can't accept; the author accepts once: an edit credited to the reviewer.
    _, key, _ = press(server, ws, S3, "review_accept", str(first))
    assert "Only the draft's author" in str(responses(server, key))
    _, key, payload = press(server, ws, MGR, "review_accept", str(first))
    assert "Accepted by" in str(responses(server, key))
    assert rows(server, "SELECT status FROM review_answer WHERE id = ?", first) == [("accepted",)]
    ((definition,),) = rows(server, "SELECT definition FROM process_draft WHERE id = ?", draft_id)
    assert "Builds Business Case" in definition
    assert rows(
        server, "SELECT credited_to, answer_id FROM draft_edit WHERE draft_id = ?", draft_id
    ) == [(S1, first)]
    (told,) = posts_to(server, S1, "Builds Business Case")
    assert "accepted your suggestion" in json.dumps(told)
    _, key, _ = press(server, ws, MGR, "review_accept", str(first))
    assert "already accepted" in str(responses(server, key))
    # Dismiss asks for the reason; an empty one is refused on its field.
    view = opened_form(server, lambda: press(server, ws, MGR, "review_dismiss", str(second)))
    assert view["callback_id"] == "review_dismiss_form"
    blank = {"reason": {"value": {"type": "plain_text_input", "value": "  "}}}
    body = submit(server, ws, MGR, "review_dismiss_form", blank, view["private_metadata"])
    assert body["errors"]["reason"].startswith("Say why")
    long = {"reason": {"value": {"type": "plain_text_input", "value": "r" * 301}}}
    body = submit(server, ws, MGR, "review_dismiss_form", long, view["private_metadata"])
    assert "under 300" in body["errors"]["reason"]
    reason = {"reason": {"value": {"type": "plain_text_input", "value": "Purchase is the word"}}}
    body = submit(server, ws, S3, "review_dismiss_form", reason, view["private_metadata"])
    assert "Only the draft's author" in json.dumps(body)
    submit(server, ws, MGR, "review_dismiss_form", reason, view["private_metadata"])
    assert rows(server, "SELECT status, reason FROM review_answer WHERE id = ?", second) == [
        ("dismissed", "Purchase is the word")
    ]
    assert posts_to(server, S2, "Purchase is the word")
    feedback = ws.pacer(MGR, "process feedback").text
    assert "2 of 2 answered" in feedback and "0 open suggestions" in feedback, feedback


def test_the_reminder_waits_for_a_working_hour_and_goes_once(server, ws, capsys):
    team_and_draft(server, ws)
    # Due on Thanksgiving (a US holiday in the default process): reminded on Friday instead.
    ask(server, ws, f"<@{S1}> <@{S2}> <@{AE}> due 2026-11-26")
    (review_id,) = review_id_of(server, ws)
    posts_to(server, AE, "Review: the buyer")
    press(server, ws, S2, "review_approve", str(review_id))
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.standin.url,
            "DATABASE_URL": server.database_url,
        }
    )

    def sweep(at: str) -> str:
        assert rituals_cli.run_now(settings, "review-reminder", None, ws.team_id, at) == 0
        return capsys.readouterr().out

    assert "0 reminders sent" in sweep("2026-11-25T16:00:00-05:00")  # the day before
    assert "0 reminders sent" in sweep("2026-11-26T10:00:00-05:00")  # the holiday
    assert "0 reminders sent" in sweep("2026-11-27T08:30:00-05:00")  # before working hours
    assert "2 reminders sent" in sweep("2026-11-27T09:00:00-05:00")
    assert "0 reminders sent" in sweep("2026-11-27T09:30:00-05:00")  # once only
    mine = f"'value': '{review_id}'"
    reminders = [
        c.params["channel"]
        for c in server.standin.calls_to("chat.postMessage")
        if "Reminder" in c.params.get("text", "") and mine in str(c.params)
    ]
    assert sorted(reminders) == [AE, S1]
    reminded = rows(
        server,
        "SELECT user_id FROM review_reviewer WHERE review_id = ? AND reminded_at IS NOT NULL "
        "ORDER BY user_id",
        review_id,
    )
    assert reminded == [(AE,), (S1,)]
