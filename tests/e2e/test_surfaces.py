"""Every Slack surface of issue 5 through `pacer serve` over real HTTP: the App Home tab
(`app_home_opened`, its +1 and "Log a number…" buttons and form), the `/log` form, the team
settings form (`/pacer` alone), "Share to channel", a digest's "My scorecard" and a coaching
thread's "Add action item". Signed events and interaction payloads go to the server subprocess;
what it sent to Slack is read from the local stand-in, and what it stored from its database.

The stand-in is shared by the whole session, so every test uses its own people and channels
(unique IDs) and filters the stand-in's calls by them. The server's clock is Tuesday
24 Nov 2026, 11:00 in New York: an SDR's calls goal is 60 a day, 300 this week."""

import json
import time
import uuid

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.ids import Action
from bot.settings import load_settings
from cli import rituals as rituals_cli
from simulator.signed_requests import (
    block_action_payload,
    event_body,
    interaction_body,
    json_headers,
    new_trigger_id,
    signed_headers,
    view_submission_payload,
)
from tests.e2e.conftest import CLOCK
from tests.e2e.harness import ADMIN, SECRET, TOKEN

LOG_NUMBER, PLUS_ONE = Action.HOME_LOG_NUMBER, Action.HOME_PLUS_ONE

# -- helpers ------------------------------------------------------------------------------------


def unique(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def team(ws) -> tuple[str, str, str]:
    """A team of this test's own people: (SDR, AE, manager), IDs no other test uses."""
    sdr, ae, mgr = unique("US"), unique("UA"), unique("UM")
    ws.setup_team(sdrs=(sdr,), aes=(ae,), managers=(mgr,))
    return sdr, ae, mgr


def wait(find, timeout: float = 10.0):
    """Poll ``find()`` until it returns something truthy (work after an ack is async)."""
    deadline = time.monotonic() + timeout
    while True:
        found = find()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def rows(server, sql: str, *args) -> list[tuple]:
    return server.rows(sql, *args)


def logs(server, ws) -> list[tuple]:
    """(rep, kpi, count, source, day) of the workspace's logs that count, oldest first."""
    return rows(
        server,
        "SELECT a.rep_id, a.kpi, a.count, a.source, a.occurred_on FROM activity_log a "
        "JOIN workspace w ON w.id = a.workspace_id "
        "WHERE w.slack_team_id = ? AND a.voided_at IS NULL ORDER BY a.id",
        ws.team_id,
    )


def published(server, user: str) -> list[dict]:
    return [
        c.params["view"]
        for c in server.standin.calls_to("views.publish")
        if c.params.get("user_id") == user and not c.failed_status
    ]


def opened(server, trigger_id: str) -> list[dict]:
    return [
        c.params["view"]
        for c in server.standin.calls_to("views.open")
        if c.params.get("trigger_id") == trigger_id
    ]


def posts(server, predicate) -> list[dict]:
    return [c.params for c in server.standin.calls_to("chat.postMessage") if predicate(c.params)]


def assert_valid_view(view: dict) -> dict:
    """slack_sdk's own checks, Slack's 100-block limit, and every block parses and validates."""
    View(**view).validate_json()
    assert 1 <= len(view["blocks"]) <= 100
    for block in view["blocks"]:
        Block.parse(block).validate_json()
    return view


def text_of(view_or_message: dict) -> str:
    out = []
    for block in view_or_message.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            out.append(block["text"]["text"])
        for element in block.get("elements") or []:
            if isinstance(element.get("text"), str):
                out.append(element["text"])
            elif isinstance(element.get("text"), dict):
                out.append(element["text"]["text"])
    return "\n".join(out) or view_or_message.get("text", "")


def buttons(message: dict) -> dict[str, dict]:
    """action_id -> button, for every button of a message or view."""
    return {
        e["action_id"]: e
        for b in message.get("blocks") or []
        for e in b.get("elements") or []
        if e.get("type") == "button"
    }


def interact(server, payload: dict):
    body = interaction_body(payload)
    return server.post(body, signed_headers(SECRET, body))


def open_home(server, ws, user: str) -> dict:
    """The signed app_home_opened event; the Home view Pacer then published for this person."""
    event = {"type": "app_home_opened", "user": user, "channel": unique("D"), "tab": "home"}
    body = event_body(event, team_id=ws.team_id)
    before = len(published(server, user))
    assert server.post(body, json_headers(SECRET, body)).status == 200
    views = wait(lambda: published(server, user)[before:])
    assert views, f"no views.publish for {user} after app_home_opened"
    return assert_valid_view(views[-1])


def home_press(ws, user: str, home: dict, action_id: str, value: str) -> dict:
    """A block_actions payload from the Home tab (no response_url there, as in Slack)."""
    assert any(
        e.get("action_id") == action_id and e.get("value") == value
        for b in home["blocks"]
        for e in b.get("elements") or []
    ), f"no {action_id}={value} button on the Home tab"
    payload = block_action_payload(
        user, action_id, value, team_id=ws.team_id, view=home | {"id": unique("V")}
    )
    payload.pop("response_url")
    return payload


def message_press(server, ws, user: str, action_id: str, value: str, channel: str):
    """A press on a message in ``channel``; returns (payload, its response_url's key)."""
    url = server.standin.new_response_url()
    payload = block_action_payload(
        user,
        action_id,
        value,
        team_id=ws.team_id,
        channel_id=channel,
        message_ts="1700000000.000100",
        response_url=url,
    )
    return payload, url.rsplit("/", 1)[1]


def submit(server, ws, user: str, callback: str, values: dict, *, metadata="", view_id=None):
    payload = view_submission_payload(
        user,
        callback,
        values,
        team_id=ws.team_id,
        private_metadata=metadata,
        view_id=view_id or unique("V"),
    )
    reply = interact(server, payload)
    assert reply.status == 200 and isinstance(reply.body, dict), reply
    return reply.body


def log_form(**fields) -> dict:
    """The `/log` form's state as Slack sends it (an SDR's three KPI fields, day and note)."""
    values = {
        f"kpi:{key}": {"value": {"type": "number_input", "value": fields.get(key)}}
        for key in ("calls", "conversations", "meetings_scheduled")
    }
    values["date"] = {"value": {"type": "datepicker", "selected_date": fields.get("day")}}
    values["note"] = {"value": {"type": "plain_text_input", "value": fields.get("note")}}
    return values


def home_form(count=None, day=None) -> dict:
    """The Home tab's "Log a number…" form's state."""
    values = {"count": {"value": {"type": "number_input", "value": count}}}
    if day is not None:
        values["date"] = {"value": {"type": "datepicker", "selected_date": day}}
    return values


def state_of(view: dict) -> dict:
    """The state Slack would send for a form submitted as it opened."""
    values = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, state = element["type"], {"type": element["type"]}
        if kind == "multi_users_select":
            state["selected_users"] = list(element.get("initial_users", []))
        elif kind == "conversations_select":
            state["selected_conversation"] = element.get("initial_conversation")
        elif kind in ("static_select", "radio_buttons"):
            state["selected_option"] = element.get("initial_option")
        elif kind == "checkboxes":
            state["selected_options"] = list(element.get("initial_options", []))
        elif kind == "timepicker":
            state["selected_time"] = element.get("initial_time")
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date")
        else:
            state["value"] = element.get("initial_value")
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def outcomes(server, name: str, user: str) -> list[str]:
    """The outcomes the server logged for ``user``'s interactions named ``name``."""
    prefix = f"interaction={name} user={user} "
    return [
        line.split("outcome=", 1)[1].split()[0]
        for line in server.logs().splitlines()
        if prefix in line and "outcome=" in line
    ]


def with_channel(ws) -> str:
    channel = unique("C")
    assert ws.pacer(ADMIN, f"channel <#{channel}|sales>").status == 200
    return channel


# -- 1. the Home tab ----------------------------------------------------------------------------


def test_app_home_opened_publishes_the_reps_scorecard_and_the_managers_team_pace(server, ws):
    sdr, _, mgr = team(ws)
    assert ws.log(sdr, "calls 12").status == 200
    # The log itself re-publishes the rep's tab after the ack; wait for it so the event's
    # publish is the next one.
    assert wait(lambda: [v for v in published(server, sdr) if "12 of 240" in text_of(v)])
    home = open_home(server, ws, sdr)
    text = text_of(home)
    assert home["type"] == "home" and json.loads(home["private_metadata"]) == {"period": "week"}
    assert "*Week:* Mon 23 – Sun 29 Nov 2026" in text
    assert "12 of 240 (5%) · pace 16% · projected 38 — *behind*" in text  # as /scorecard says
    assert "12 of 240" in ws.scorecard(sdr).text
    assert buttons(home)[PLUS_ONE]["text"]["text"] == "+1" and LOG_NUMBER in buttons(home)
    assert "*12 Calls / Emails* · today" in text  # the last logs

    manager = open_home(server, ws, mgr)
    text = text_of(manager)
    assert manager["blocks"][0]["text"]["text"] == "Pacer · your team"
    assert "*Sales · this week* · Mon 23 – Sun 29 Nov 2026" in text
    # One SDR: 12 of the team's 300 calls, 75 expected by now → pace 16%, behind; the AE
    # logged nothing, so both reps are behind on something.
    assert ":red_circle: *Calls / Emails* 12 of 240 (5%) · pace 16% — behind · 1 rep" in text
    assert f"behind: <@{sdr}>" in text
    assert "2 reps · 2 behind on at least one KPI" in text
    assert "*Sales · this week*" not in text_of(home)  # the rep's tab has no team section


# -- 2. the Home tab's +1 -----------------------------------------------------------------------


def test_home_plus_one_over_http_logs_once_and_republishes_the_tab(server, ws):
    sdr, _, _ = team(ws)
    home = open_home(server, ws, sdr)
    payload = home_press(ws, sdr, home, PLUS_ONE, "calls")
    for _ in range(2):  # Slack delivered the press twice: the same trigger_id
        reply = interact(server, payload)
        assert reply.status == 200 and reply.body == {}
    assert logs(server, ws) == [(sdr, "calls", 1, "button", "2026-11-24")]
    again = wait(lambda: [v for v in published(server, sdr) if "reached Pacer twice" in text_of(v)])
    assert again and "1 of 240" in text_of(assert_valid_view(again[-1]))
    # The first delivery's refresh is work after its own ack: it may land after the second's.
    assert wait(
        lambda: [
            v for v in published(server, sdr) if "Logged *1 Calls / Emails* for today" in text_of(v)
        ]
    )
    assert "1 of 240" in ws.scorecard(sdr).text
    # A second real press (its own trigger_id) counts again.
    assert interact(server, home_press(ws, sdr, home, PLUS_ONE, "calls")).status == 200
    assert [r[2] for r in logs(server, ws)] == [1, 1]


# -- 3. the Home tab's "Log a number…" form ----------------------------------------------------


def test_home_log_a_number_opens_a_form_that_refuses_mistakes_and_stores_a_good_count(server, ws):
    sdr, _, _ = team(ws)
    home = open_home(server, ws, sdr)
    payload = home_press(ws, sdr, home, LOG_NUMBER, "calls")
    assert interact(server, payload).status == 200
    (modal,) = wait(lambda: opened(server, payload["trigger_id"]))
    View(**modal).validate_json()
    assert modal["callback_id"] == "home_log" and "Calls / Emails" in text_of(modal)
    meta = modal["private_metadata"]
    view_id = unique("V")

    bad = submit(server, ws, sdr, "home_log", home_form("abc"), metadata=meta, view_id=view_id)
    assert bad["response_action"] == "errors"
    assert "whole number from 1 to 500" in bad["errors"]["count"]
    future = submit(server, ws, sdr, "home_log", home_form("5", day="2026-11-25"), metadata=meta)
    assert "is in the future" in future["errors"]["date"]
    assert logs(server, ws) == []

    good = home_form("7", day="2026-11-23")
    assert submit(server, ws, sdr, "home_log", good, metadata=meta, view_id=view_id) == {}
    assert logs(server, ws) == [(sdr, "calls", 7, "modal", "2026-11-23")]
    tab = wait(lambda: [v for v in published(server, sdr) if "Logged *7 Calls" in text_of(v)])
    assert tab and "7 of 240" in text_of(assert_valid_view(tab[-1]))


# -- 4. the /log form ---------------------------------------------------------------------------


def test_log_alone_opens_the_form_and_slash_form_and_button_logs_add_up(server, ws):
    sdr, _, _ = team(ws)
    assert ws.log(sdr, "calls 5").status == 200
    trigger = new_trigger_id()
    reply = ws.log(sdr, "", trigger_id=trigger)
    assert reply.status == 200 and reply.body == {}  # an empty ack: no message left behind
    (form,) = wait(lambda: opened(server, trigger))
    assert_valid_view(form)
    assert form["callback_id"] == "log_activity"
    assert [b["block_id"] for b in form["blocks"] if b["type"] == "input"] == [
        "kpi:calls",
        "kpi:conversations",
        "kpi:meetings_scheduled",
        "date",
        "note",
    ]

    invalid = submit(server, ws, sdr, "log_activity", log_form(calls="twelve", day="2026-11-25"))
    assert invalid["response_action"] == "errors"
    assert set(invalid["errors"]) == {"kpi:calls", "date"}
    assert "twelve isn't a whole number" in invalid["errors"]["kpi:calls"]
    assert "Wed 25 Nov is in the future" in invalid["errors"]["date"]
    assert [r[3] for r in logs(server, ws)] == ["slash"]  # nothing more stored

    values = log_form(calls="12", conversations="3", day="2026-11-24", note="Acme <!channel>")
    done = submit(server, ws, sdr, "log_activity", values)
    assert done["response_action"] == "update"
    confirmation = text_of(assert_valid_view(done["view"]))
    assert "this week 17 of 240" in confirmation and "<!channel>" not in json.dumps(done)
    assert logs(server, ws)[1:] == [
        (sdr, "calls", 12, "modal", "2026-11-24"),
        (sdr, "conversations", 3, "modal", "2026-11-24"),
    ]

    home = open_home(server, ws, sdr)
    assert interact(server, home_press(ws, sdr, home, PLUS_ONE, "calls")).status == 200
    assert sorted({r[3] for r in logs(server, ws) if r[1] == "calls"}) == [
        "button",
        "modal",
        "slash",
    ]
    scorecard = ws.scorecard(sdr, "calls").text
    assert "*18* counted from 3 logs" in scorecard  # 5 typed + 12 from the form + 1 pressed
    assert "18 of 240" in ws.scorecard(sdr).text


# -- 5. the team settings form ------------------------------------------------------------------


def test_pacer_alone_opens_settings_for_a_manager_and_a_rep_changes_nothing(server, ws):
    sdr, _, mgr = team(ws)
    with_channel(ws)
    trigger = new_trigger_id()
    reply = ws.command("/pacer", "", mgr, trigger_id=trigger)
    assert reply.status == 200 and reply.body == {}
    (form,) = wait(lambda: opened(server, trigger))
    assert_valid_view(form)
    assert form["callback_id"] == "team_settings"
    values = state_of(form)
    assert values["goal:sdr:calls"]["value"]["value"] == "60"
    assert values["role:sdr"]["value"]["selected_users"] == [sdr]
    values["goal:sdr:calls"]["value"]["value"] = "50"
    before = server.stored(ws.team_id, "process_version")

    # A rep: `/pacer` alone is the help, no form; the form submitted by them is refused.
    rep_trigger = new_trigger_id()
    help_reply = ws.command("/pacer", "", sdr, trigger_id=rep_trigger)
    assert "/pacer team add" in help_reply.text and opened(server, rep_trigger) == []
    refused = submit(server, ws, sdr, "team_settings", values, metadata=form["private_metadata"])
    assert refused["response_action"] == "update"
    assert "Only the team's managers and Pacer admins" in json.dumps(refused["view"])
    assert server.stored(ws.team_id, "process_version") == before
    assert "of 240" in ws.scorecard(sdr).text

    saved = submit(server, ws, mgr, "team_settings", values, metadata=form["private_metadata"])
    assert saved["response_action"] == "update", saved
    assert "Saved as process version" in text_of(assert_valid_view(saved["view"]))
    assert server.stored(ws.team_id, "process_version") == before + 1
    ((change,),) = rows(
        server,
        "SELECT p.definition FROM process_version p JOIN workspace w ON w.id = p.workspace_id "
        "WHERE w.slack_team_id = ? ORDER BY p.version DESC LIMIT 1",
        ws.team_id,
    )
    assert "50/day" in change
    # 50 a day from today (Tuesday): Monday keeps 60, then 3 working days (Thanksgiving) × 50
    assert "0 of 210" in ws.scorecard(sdr).text


# -- 6. Share to channel ------------------------------------------------------------------------


def share_press(server, ws):
    """An SDR's `/scorecard` reply with 40 calls logged, and a press of its "Share to channel"
    (the payload and its response_url's key)."""
    sdr, _, _ = team(ws)
    assert ws.log(sdr, "calls 40").status == 200
    reply = ws.scorecard(sdr)
    assert reply.status == 200 and "40 of 240" in reply.text
    share = buttons(reply.body)["share_scorecard"]
    assert share["text"]["text"] == "Share to channel"
    payload, key = message_press(server, ws, sdr, "share_scorecard", share["value"], unique("C"))
    return sdr, payload, key


def test_share_to_channel_on_a_scorecard_posts_it_through_the_response_url(server, ws):
    sdr, payload, key = share_press(server, ws)
    reply = interact(server, payload)
    assert reply.status == 200 and reply.body == {}
    (shared,) = wait(lambda: server.standin.responses[key])
    assert shared["response_type"] == "in_channel" and shared["replace_original"] is False
    text = text_of(shared)
    assert f"*Scorecard* · <@{sdr}>" in text and "40 of 240" in text
    assert f"Shared by <@{sdr}>." in text and "share_scorecard" not in json.dumps(shared)
    assert not posts(server, lambda p: f"Shared by <@{sdr}>" in json.dumps(p))  # response_url only
    assert outcomes(server, "share_scorecard", sdr) == ["shared"]


def test_share_to_channel_pressed_twice_over_http_posts_once(server, ws):
    sdr, payload, key = share_press(server, ws)
    for _ in range(2):  # Slack delivered the press twice
        assert interact(server, payload).status == 200
    assert wait(lambda: server.standin.responses[key])
    # The duplicate was answered without scheduling a post (the outcome says so), whichever of
    # the server's worker processes it reached: the press is recorded in the database.
    assert sorted(outcomes(server, "share_scorecard", sdr)) == ["duplicate", "shared"]
    assert len(server.standin.responses[key]) == 1


# -- 7. a digest's "My scorecard" ---------------------------------------------------------------


def test_a_digests_my_scorecard_answers_privately(server, ws, capsys):
    sdr, _, _ = team(ws)
    channel = with_channel(ws)
    assert ws.log(sdr, "calls 40").status == 200
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.standin.url,
            "DATABASE_URL": server.database_url,
        }
    )
    assert rituals_cli.run_now(settings, "daily", None, ws.team_id, CLOCK) == 0, capsys.readouterr()
    (digest,) = posts(server, lambda p: p.get("channel") == channel and "thread_ts" not in p)
    found = buttons(digest)
    assert found["digest_scorecard"]["value"] == "day:2026-11-24"
    assert found["digest_log"]["text"]["text"] == "Log activity"
    payload, key = message_press(
        server, ws, sdr, "digest_scorecard", found["digest_scorecard"]["value"], channel
    )
    assert interact(server, payload).status == 200
    (answer,) = wait(lambda: server.standin.responses[key])
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    text = text_of(answer)
    assert f"*Scorecard* · <@{sdr}>" in text and "40 of 60" in text
    assert "share_scorecard" in buttons(answer)  # shown privately, so it can be shared
    assert posts(server, lambda p: p.get("channel") == channel and "thread_ts" not in p) == [
        digest
    ]  # nothing posted in the channel for the press


# -- 8. a coaching thread's "Add action item" ---------------------------------------------------


def test_add_action_item_over_http_stores_the_item_and_posts_it_in_the_thread(server, ws):
    sdr, _, mgr = team(ws)
    coaching = unique("C")
    assert ws.pacer(ADMIN, f"coaching <#{coaching}|coaching>").status == 200
    assert ws.command("/coach", f"<@{sdr}>", mgr).status == 200
    sql = (
        "SELECT c.id, c.thread_ts FROM coaching_session c JOIN workspace w "
        "ON w.id = c.workspace_id WHERE w.slack_team_id = ? AND c.thread_ts IS NOT NULL"
    )
    found = wait(lambda: rows(server, sql, ws.team_id))  # recorded once the post lands
    ((session_id, thread_ts),) = found
    (opening,) = posts(server, lambda p: p.get("channel") == coaching and "thread_ts" not in p)
    button = buttons(opening)["coaching_add_action"]
    assert button["value"] == str(session_id)

    payload, key = message_press(server, ws, sdr, "coaching_add_action", button["value"], coaching)
    assert interact(server, payload).status == 200
    (form,) = wait(lambda: opened(server, payload["trigger_id"]))
    assert_valid_view(form)
    assert form["callback_id"] == "coaching_action_item"
    assert form["private_metadata"] == str(session_id)
    assert server.standin.responses[key] == []  # a form, nothing said in the conversation

    def item(text: str) -> dict:
        return {"item": {"value": {"type": "plain_text_input", "value": text}}}

    notes_sql = (
        "SELECT n.author_id, n.text, n.is_action FROM coaching_note n "
        "WHERE n.session_id = ? ORDER BY n.id"
    )
    blank = submit(
        server, ws, sdr, "coaching_action_item", item("   "), metadata=form["private_metadata"]
    )
    assert (
        blank["response_action"] == "errors" and "Write the action item" in blank["errors"]["item"]
    )
    assert rows(server, notes_sql, session_id) == []

    view_id = unique("V")
    good = item("Call Acme <!channel> back by Friday")
    for _ in range(2):  # the same submission delivered twice: stored and posted once
        assert (
            submit(
                server,
                ws,
                sdr,
                "coaching_action_item",
                good,
                metadata=form["private_metadata"],
                view_id=view_id,
            )
            == {}
        )
    assert rows(server, notes_sql, session_id) == [(sdr, "Call Acme <!channel> back by Friday", 1)]
    in_thread = wait(
        lambda: posts(
            server, lambda p: p.get("channel") == coaching and p.get("thread_ts") == thread_ts
        )
    )
    # The duplicate scheduled no post (its outcome says so): one reply in the thread.
    assert outcomes(server, "coaching_action_item", sdr)[-2:] == ["action", "duplicate"]
    (posted,) = posts(
        server, lambda p: p.get("channel") == coaching and p.get("thread_ts") == thread_ts
    )
    assert posted == in_thread[0]
    shown = posted["blocks"][0]["text"]["text"]
    assert f"*Action item* from <@{sdr}>" in shown and "&lt;!channel&gt;" in shown
    assert "<!channel>" not in json.dumps(posted)
    assert "Call Acme" in ws.command("/coach", f"<@{sdr}> history", mgr).text
