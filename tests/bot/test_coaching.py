"""Coaching end to end through the app (signed commands and events, the local Slack stand-in):
the opening message's numbers against the hand-computed data set of
tests/storage/test_coaching.py, where the thread opens, replies saved as notes and action items
(retries counted once), history, permissions, the reminder ritual and the weekly digest."""

import json
from datetime import datetime

import pytest
from slack_bolt.request import BoltRequest
from sqlmodel import select

from simulator.signed_requests import command_body, event_body, json_headers, signed_headers
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.models import CoachingNote, CoachingSession, Member, SalesTeam, Workspace
from tests.bot.support import ADMIN, AE, MGR, SDR, TUESDAY_11, Rig, no_waiting
from tests.bot.test_ritual_posts import run
from tests.storage import test_coaching as hand
from tests.storage.support import Statements

SDR2, SDR3, SDR4, SDR5 = "U0SDR0002", "U0SDR0003", "U0SDR0004", "U0SDR0005"
MGR2 = "U0MGR0002"
COACHING = "C0COACH01"
SALES = "C0SALES01"
JOINED = datetime.fromisoformat("2026-10-01T10:00:00-04:00")  # everyone joined long ago
NAMES = {SDR: "Maria Lopez", SDR2: "Sam Okafor", SDR3: "Jenna Park", SDR4: "Dev Rao"}


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        for user_id, name in NAMES.items():
            slack.add_user(user_id, name)
        slack.add_user(AE, "Alex Chen")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.now = JOINED
        rig.team()
        for rep in (SDR2, SDR3, SDR4):
            rig.text("/pacer", f"team add <@{rep}> sdr", ADMIN)
        rig.now = TUESDAY_11
        yield rig
        rig.services.background.shutdown(wait=True)


def team_and_workspace(rig) -> tuple[SalesTeam, Workspace]:
    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        return team, session.get(Workspace, team.workspace_id)


def seed_hand_computed(rig) -> None:
    """The storage test's data set, with Slack user IDs: A is Maria (SDR), B Sam, C Jenna, D Dev."""
    team, ws = team_and_workspace(rig)
    ids = {hand.A: SDR, hand.B: SDR2, hand.C: SDR3, hand.D: SDR4, hand.AE: AE}
    with rig.services.unit_of_work() as session:
        session.add_all(hand.hand_computed_logs(ws, team, ids))
        session.commit()


def sessions(rig) -> list[CoachingSession]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(CoachingSession).order_by(CoachingSession.id)))


def notes(rig) -> list[CoachingNote]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(CoachingNote).order_by(CoachingNote.message_ts)))


def text_of(blocks: list[dict]) -> str:
    out = []
    for block in blocks:
        if block.get("text"):
            out.append(block["text"]["text"])
        texts = [e.get("text", "") for e in block.get("elements", []) if isinstance(e, dict)]
        out += [t["text"] if isinstance(t, dict) else t for t in texts]  # a button's text
    return "\n".join(out)


def openings(rig) -> list:
    """The opening messages Pacer posted (not DMs to a manager, not ritual reminders)."""
    return [
        c
        for c in rig.slack.calls_to("chat.postMessage")
        if "Coaching session" in c.params.get("text", "") and not c.failed_status
    ]


def thread_of(rig, index: int = -1) -> tuple[str, str]:
    row = sessions(rig)[index]
    assert row.channel_id and row.thread_ts, "the thread was not recorded"
    return row.channel_id, row.thread_ts


def message_event(rig, event: dict, *, retry: int | None = None, event_id: str | None = None):
    body = event_body(event, team_id="T0RIG0001", event_id=event_id)
    response = rig.app.dispatch(
        BoltRequest(body=body, headers=json_headers("rig-secret", body, retry))
    )
    assert response.status == 200
    return body


def reply(rig, channel, thread_ts, ts, text, user=SDR, **extra) -> dict:
    event = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "event_ts": ts,
    }
    return event | extra


# -- the opening message ------------------------------------------------------------------------


def test_the_opening_message_shows_the_hand_computed_numbers_in_the_coaching_channel(rig):
    seed_hand_computed(rig)
    assert "will open in <#C0COACH01>" in rig.text(
        "/pacer", f"coaching <#{COACHING}|coaching>", MGR
    )
    ack = rig.text("/coach", f"<@{SDR}|maria>", MGR)
    assert f"Opening a coaching thread with <@{SDR}> in <#{COACHING}>" in ack
    [post] = openings(rig)
    assert post.params["channel"] == COACHING
    assert not rig.slack.calls_to("conversations.open")
    text = text_of(post.params["blocks"])
    # Window totals (26 Oct – 24 Nov): Maria 1000 calls, 60 conversations, 12 meetings, 3 SAO;
    # medians over the SDRs with a rate: 14%, 20%, 20% (Dev has none and is left out).
    assert "Conversations per calls / emails: 6% (team median 14%) · 60 of 1,000" in text
    assert (
        "Discovery Meetings Scheduled per conversations: 20% (team median 20%) · 12 of 60" in text
    )
    assert (
        "Sales Accepted Opportunities per discovery meetings scheduled: 25% (team median 20%)"
        " · 3 of 12" in text
    )
    assert "Mon 26 Oct – Tue 24 Nov 2026" in text
    # the scorecard this week, as /scorecard shows it: calls 130 of 300
    assert "*Scorecard* · <@U0SDR0001>" in text and "130 of 300 (43%)" in text
    assert "• Conversations: 10% of this week's goal so far" in text
    assert "26 Oct 47% → 2 Nov 38% → 9 Nov 25% → 16 Nov 18%" in text
    assert "1. Conversations per calls / emails is 6% against a team median of 14%" in text
    assert "3. Overall attainment is falling, from 47% to 18%" in text
    assert "none, this is the first coaching session" in text
    assert "every reply is saved as a note; start one with `action:`" in text
    [row] = sessions(rig)
    assert (row.rep_id, row.manager_id, row.channel_id) == (SDR, MGR, COACHING)
    assert row.thread_ts == rig.slack.history[COACHING][0]["ts"]
    agenda = json.loads(row.agenda)
    assert agenda["conversions"][0] == {
        "from": "calls",
        "to": "conversations",
        "rep_rate": 0.06,
        "team_median": 0.14,
    }
    assert agenda["totals"]["calls"] == 1000 and agenda["previous"] is None
    assert [line["actual"] for line in agenda["scorecard"]["lines"]] == [130, 6, 1, 3]


def test_without_a_coaching_channel_the_thread_is_a_manager_and_rep_conversation(rig):
    rig.text("/coach", f"<@{SDR2}|sam>", MGR)
    [opened] = rig.slack.calls_to("conversations.open")
    assert opened.params["users"] == f"{MGR},{SDR2}"
    [post] = openings(rig)
    assert post.params["channel"].startswith("D")
    assert thread_of(rig)[0] == post.params["channel"]
    assert "Coaching session* · <@U0SDR0002> with <@U0MGR0001>" in text_of(post.params["blocks"])
    assert "private conversation" in rig.text("/pacer", "coaching", SDR)
    rig.text("/pacer", f"coaching <#{COACHING}|coaching>", MGR)
    assert "<#C0COACH01>" in rig.text("/pacer", "coaching", SDR)
    assert "private conversation" in rig.text("/pacer", "coaching off", MGR)
    rig.text("/coach", f"<@{SDR2}|sam>", MGR)
    assert thread_of(rig)[0].startswith("D")  # off again: back to the private conversation


def test_the_same_command_delivered_twice_opens_one_session(rig):
    body = command_body("/coach", f"<@{SDR}>", MGR, team_id="T0RIG0001", trigger_id="42.abc")
    for _ in range(2):
        response = rig.app.dispatch(
            BoltRequest(body=body, headers=signed_headers("rig-secret", body))
        )
        assert response.status == 200
    assert "already opened a coaching session" in json.loads(response.body)["text"]
    assert len(sessions(rig)) == 1 and len(openings(rig)) == 1


def test_a_thread_slack_refuses_is_recorded_and_the_manager_told(rig):
    rig.text("/pacer", f"coaching <#{COACHING}|coaching>", MGR)
    rig.slack.fail_next(
        "chat.postMessage", status=400, body={"ok": False, "error": "not_in_channel"}
    )
    rig.text("/coach", f"<@{SDR}>", MGR)
    [row] = sessions(rig)
    assert row.thread_ts is None
    assert json.loads(row.agenda)["error"] == "Slack answered not_in_channel"
    told = [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == MGR]
    assert len(told) == 1
    assert "could not open the coaching thread" in told[0].params["text"]
    assert "/invite @Pacer" in told[0].params["text"]
    history = rig.text("/coach", f"<@{SDR}> history", MGR)
    assert "The thread was not posted: Slack answered not_in_channel" in history


def test_pacer_joins_a_public_coaching_channel_and_says_so_when_it_cannot(rig, monkeypatch):
    """Slack sends a channel's messages only to members: posting alone (chat:write.public)
    would lose every reply, so Pacer joins first, or tells the manager and posts nothing."""
    rig.text("/pacer", f"coaching <#{COACHING}|coaching>", MGR)
    client = rig.services.client
    real_info = client.conversations_info

    def not_a_member(**kwargs):
        answer = real_info(**kwargs)
        answer.data["channel"]["is_member"] = False
        return answer

    monkeypatch.setattr(client, "conversations_info", not_a_member)
    rig.text("/coach", f"<@{SDR}>", MGR)
    assert [c.params["channel"] for c in rig.slack.calls_to("conversations.join")] == [COACHING]
    assert thread_of(rig)[0] == COACHING
    rig.slack.fail_next(
        "conversations.join",
        status=400,
        body={"ok": False, "error": "method_not_supported_for_channel_type"},
    )
    rig.text("/coach", f"<@{SDR2}>", MGR)
    assert len(openings(rig)) == 1  # the second was not posted
    row = sessions(rig)[-1]
    assert row.thread_ts is None and "isn't a member" in json.loads(row.agenda)["error"]
    [told] = [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == MGR]
    assert "would not see the replies" in told.params["text"]
    assert "/invite @Pacer" in told.params["text"]


# -- replies become notes -----------------------------------------------------------------------


def test_replies_are_saved_as_notes_and_action_items_once(rig):
    rig.text("/pacer", f"coaching <#{COACHING}|coaching>", MGR)
    rig.text("/coach", f"<@{SDR}>", MGR)
    channel, thread = thread_of(rig)
    message_event(
        rig, reply(rig, channel, thread, "1800000001.000100", "Thanks, will do <!channel>")
    )
    action = reply(
        rig, channel, thread, "1800000002.000100", "ACTION: listen to two calls together", MGR
    )
    body = message_event(rig, action)
    # Slack retries the same event (same event_id) when the answer was slow: one note
    again = json.loads(body)
    message_event(rig, again["event"], retry=1, event_id=again["event_id"])
    message_event(rig, again["event"], retry=2, event_id=again["event_id"])
    saved = notes(rig)
    assert [(n.author_id, n.text, n.is_action) for n in saved] == [
        (SDR, "Thanks, will do @channel", False),
        (MGR, "listen to two calls together", True),
    ]
    reactions = rig.slack.calls_to("reactions.add")
    assert [(r.params["timestamp"], r.params["name"]) for r in reactions] == [
        ("1800000002.000100", "pushpin")
    ]
    history = rig.text("/coach", f"<@{SDR}> history", MGR)
    assert "<!channel>" not in history and "2 notes" in history


def test_bots_other_threads_and_channel_messages_store_nothing(rig):
    rig.text("/pacer", f"coaching <#{COACHING}|coaching>", MGR)
    rig.text("/coach", f"<@{SDR}>", MGR)
    channel, thread = thread_of(rig)
    own = reply(rig, channel, thread, "1800000003.000100", "action: a bot's words", "UBOT")
    message_event(rig, own | {"bot_id": "BBOT"})
    other_bot = reply(rig, channel, thread, "1800000003.000200", "action: x", "U0OTHER01")
    message_event(rig, other_bot | {"bot_id": "B0OTHER"})  # another app's bot user
    legacy = reply(rig, channel, thread, "1800000003.000250", "action: y", "U0OTHER01")
    message_event(rig, legacy | {"bot_id": "B0OTHER", "subtype": "bot_message"})
    message_event(
        rig,
        reply(rig, channel, thread, "1800000003.000300", "joined", SDR2)
        | {"subtype": "channel_join"},
    )
    with Statements(rig.engine) as statements:
        message_event(rig, reply(rig, channel, "1700009999.000100", "1800000004.000100", "hi"))
    assert len(statements) == 1  # a reply in another thread: one indexed lookup, then nothing
    with Statements(rig.engine) as statements:
        top = reply(rig, channel, None, "1800000005.000100", "action: not in a thread")
        message_event(rig, {k: v for k, v in top.items() if k != "thread_ts"})
    assert len(statements) == 0  # not a thread reply: no query at all
    message_event(rig, reply(rig, "C0ELSE001", thread, "1800000006.000100", "action: elsewhere"))
    assert notes(rig) == [] and not rig.slack.calls_to("reactions.add")


def test_an_edit_updates_the_note_and_a_deletion_removes_it(rig):
    rig.text("/coach", f"<@{SDR}>", MGR)
    channel, thread = thread_of(rig)
    first = reply(rig, channel, thread, "1800000001.000100", "call Acme")
    second = reply(rig, channel, thread, "1800000002.000100", "a note to delete", MGR)
    message_event(rig, first)
    message_event(rig, second)
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": channel,
        "hidden": True,
        "ts": "1800000009.000100",
        "message": first | {"text": "Action: call Acme *and* Globex", "edited": {"user": SDR}},
        "previous_message": first,
    }
    message_event(rig, edited)
    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": channel,
        "hidden": True,
        "ts": "1800000010.000100",
        "deleted_ts": second["ts"],
        "previous_message": second,
    }
    message_event(rig, deleted)
    assert [(n.text, n.is_action) for n in notes(rig)] == [("call Acme *and* Globex", True)]


# -- history and the next session -----------------------------------------------------------------


def test_history_lists_sessions_and_the_next_thread_opens_with_the_action_items(rig):
    rig.now = datetime.fromisoformat("2026-11-10T10:00:00-05:00")
    rig.text("/coach", f"<@{SDR}>", MGR)
    channel, thread = thread_of(rig)
    message_event(rig, reply(rig, channel, thread, "1800000001.000100", "action: Log every call"))
    message_event(rig, reply(rig, channel, thread, "1800000002.000100", "Good week overall"))
    message_event(
        rig,
        reply(
            rig, channel, thread, "1800000003.000100", "action: shadow Jenna &amp; &lt;b&gt;", MGR
        ),
    )
    rig.now = TUESDAY_11
    rig.text("/coach", f"<@{SDR}>", ADMIN)  # an admin may coach anyone
    latest = text_of(openings(rig)[-1].params["blocks"])
    assert "*Action items from the last session* (Tue 10 Nov 2026, with <@U0MGR0001>" in latest
    assert "• Log every call\n• shadow Jenna &amp; &lt;b&gt;" in latest
    history = rig.text("/coach", f"<@{SDR}> history", MGR)
    assert history.index("*Tue 24 Nov 2026* with <@U0ADMIN01>") < history.index(
        "*Tue 10 Nov 2026* with <@U0MGR0001>"
    )
    assert "2 sessions" in history and "3 notes" in history and "0 notes" in history
    assert (
        ":pushpin: Log every call" in history
        and ":pushpin: shadow Jenna &amp; &lt;b&gt;" in history
    )
    assert f"<https://slack.com/archives/{channel}/p{thread.replace('.', '')}|open the thread>" in (
        history
    )
    assert "Good week overall" not in history  # notes are counted; action items are listed
    mine = rig.text("/coach", "history", SDR)  # a rep reads their own
    assert "2 sessions" in mine and "Log every call" in mine
    assert "No coaching sessions yet" in rig.text("/coach", f"history <@{SDR2}>", MGR)


def test_coach_alone_lists_the_managers_reps_with_overdue_ones_flagged(rig):
    rig.now = datetime.fromisoformat("2026-11-20T10:00:00-05:00")
    rig.text("/coach", f"<@{SDR}>", MGR)
    rig.now = TUESDAY_11
    overview = rig.text("/coach", "", MGR)
    assert "a session every 14 days" in overview
    assert ":large_green_circle: <@U0SDR0001> — 4 days since the last session" in overview
    assert ":red_circle: <@U0SDR0002> — never coached (54 days on the team)" in overview
    assert overview.index("U0SDR0002") < overview.index("U0SDR0001")  # overdue first
    assert "*overdue*" in overview and "<@U0MGR0001>" not in overview
    assert "`/coach @rep history`" in rig.text("/coach", "help", MGR)
    assert "`/coach @rep`" in rig.text("/pacer", "help", SDR)


# -- refusals change nothing --------------------------------------------------------------------


def test_every_mistake_gets_a_specific_answer_and_changes_nothing(rig):
    with rig.services.unit_of_work() as session:
        other = SalesTeam(
            workspace_id=team_and_workspace(rig)[1].id, name="East", created_at=rig.now
        )
        session.add(other)
        session.commit()
        for user_id, role, manager in ((MGR2, None, True), (SDR5, "sdr", False)):
            session.add(
                Member(
                    workspace_id=other.workspace_id,
                    team_id=other.id,
                    user_id=user_id,
                    role=role,
                    is_manager=manager,
                    added_by=ADMIN,
                    added_at=rig.now,
                )
            )
        session.commit()
    rig.text("/pacer", f"team remove <@{SDR4}>", MGR)
    rig.slack.reset()  # the new reps' welcome messages
    cases = [
        (SDR, f"<@{SDR2}>", "Coaching sessions are opened by the team's managers"),
        (SDR, "", "Ask your manager to run `/coach @you`"),
        (SDR, f"<@{SDR2}> history", "Only the rep's managers and Pacer admins"),
        (MGR, f"<@{SDR5}>", "is on *East*, not your team: only its managers (<@U0MGR0002>)"),
        (MGR2, f"<@{SDR}>", "is on *Sales*, not your team"),
        (MGR, f"<@{MGR}>", "You can't open a coaching session with yourself"),
        (ADMIN, f"<@{MGR}>", "is a manager on *Sales*, not a rep"),
        (MGR, "<@U0STRANGE1>", "isn't on a Pacer team"),
        (MGR, f"<@{SDR4}>", "isn't on a Pacer team"),
        (MGR, "@nobody", "I don't know who @nobody is"),
        (MGR, "maria", "Name the rep with @"),
        (MGR, f"<@{SDR}> tomorrow", "I don't understand `tomorrow` here"),
        (MGR, f"<@{SDR}> <@{SDR2}>", "One rep at a time"),
        (MGR, "history", "Whose history? Name the rep: `/coach @rep history`"),
    ]
    for user, text, expected in cases:
        answer = rig.text("/coach", text, user)
        assert expected in answer, (user, text, answer)
        assert answer.startswith(":warning:"), answer
    assert sessions(rig) == []
    assert not rig.slack.calls_to("conversations.open")
    assert not rig.slack.calls_to("chat.postMessage")
    assert "Only the team's managers" in rig.text("/pacer", f"coaching <#{COACHING}>", SDR)
    assert "isn't a channel I can post in" in rig.text("/pacer", "coaching <#D0DM00001>", MGR)
    assert "isn't a channel I can post in" in rig.text("/pacer", "coaching sales", MGR)
    assert "no coaching channel; nothing changed" in rig.text("/pacer", "coaching off", MGR)
    with rig.services.unit_of_work() as session:
        assert people_queries.teams(session)[0].coaching_channel_id is None


# -- the reminder ritual and the weekly digest -----------------------------------------------------


def coach_at(rig, rep: str, when: str, manager: str = MGR) -> None:
    rig.now = datetime.fromisoformat(when)
    assert "Opening a coaching thread" in rig.text("/coach", f"<@{rep}>", manager)


def reminders_to(rig, manager: str) -> list[str]:
    return [
        c.params["text"] + text_of(c.params.get("blocks") or [])
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["channel"] == manager and not c.failed_status
    ]


MONDAY_0930 = datetime.fromisoformat("2026-11-30T09:30:00-05:00")


def test_the_reminder_ritual_names_overdue_reps_once(rig):
    coach_at(rig, SDR2, "2026-11-10T10:00:00-05:00")  # 20 days before Monday: overdue
    coach_at(rig, SDR, "2026-11-24T10:00:00-05:00")  # 6 days: on cadence
    coach_at(rig, AE, "2026-11-24T10:30:00-05:00")
    coach_at(rig, SDR4, "2026-11-17T10:00:00-05:00")  # 13 days: not yet
    rig.now = datetime.fromisoformat("2026-11-25T10:00:00-05:00")
    rig.text("/pacer", f"team add <@{SDR5}> sdr", MGR)  # joined 5 days before: not due yet
    outcome = run(rig, "coaching", MONDAY_0930)
    assert outcome.status == "posted" and outcome.detail == "1 private messages", outcome
    [dm] = reminders_to(rig, MGR)
    assert "2 reps have had no coaching session in 14 days" in dm
    assert "<@U0SDR0002> — last session 20 days ago" in dm
    assert "<@U0SDR0003> — no session since joining 60 days ago" in dm
    for on_cadence in (SDR, AE, SDR4, SDR5):
        assert f"<@{on_cadence}>" not in dm
    assert "`/coach @rep`" in dm
    assert run(rig, "coaching", MONDAY_0930).status == "settled"
    assert len(reminders_to(rig, MGR)) == 1


def test_no_reminder_when_nobody_is_overdue_and_a_crash_never_sends_two(rig):
    for rep in (SDR, SDR2, SDR3, SDR4, AE):
        coach_at(rig, rep, "2026-11-24T10:00:00-05:00")
    outcome = run(rig, "coaching", MONDAY_0930)
    assert outcome.detail == "0 private messages" and not reminders_to(rig, MGR)
    # two weeks on everyone is overdue; two managers; the first DM fails after Pacer recorded
    # it was about to be sent: the retry sends the second manager's and never the first twice
    rig.text("/pacer", f"manager <@{MGR2}>", ADMIN)
    due = datetime.fromisoformat("2026-12-14T09:30:00-05:00")
    rig.slack.fail_next("chat.postMessage", status=500)
    assert run(rig, "coaching", due).status == "failed"
    later = datetime.fromisoformat("2026-12-14T09:40:00-05:00")
    assert run(rig, "coaching", due, now=later).status == "posted"
    assert (len(reminders_to(rig, MGR)), len(reminders_to(rig, MGR2))) == (0, 1)
    assert "5 reps have had no coaching session" in reminders_to(rig, MGR2)[0]


def weekly_thread(rig, at: datetime) -> str:
    before = len(rig.slack.calls_to("chat.postMessage"))
    assert run(rig, "weekly", at).status == "posted"
    posts = rig.slack.calls_to("chat.postMessage")[before:]
    return "\n".join(text_of(c.params["blocks"]) for c in posts if "thread_ts" in c.params)


def test_the_weekly_digest_thread_shows_the_coaching_cadence_unless_private(rig):
    rig.text("/pacer", f"channel <#{SALES}|sales>", ADMIN)
    coach_at(rig, SDR, "2026-11-10T10:00:00-05:00")
    coach_at(rig, SDR, "2026-11-24T10:00:00-05:00")
    coach_at(rig, SDR2, "2026-11-13T10:00:00-05:00")
    thread = weekly_thread(rig, datetime.fromisoformat("2026-11-30T09:00:00-05:00"))
    assert "*Coaching cadence* (for managers: a session every 14 days" in thread
    assert "Maria Lopez: 2 sessions · 6 days since the last" in thread.splitlines()
    assert "Sam Okafor: 1 session · 17 days since the last · :red_circle: *overdue*" in thread
    assert "Jenna Park: 0 sessions · never coached · :red_circle: *overdue*" in thread
    assert "<@" not in thread  # names, not mentions: nobody is pinged
    rig.text("/pacer", "visibility managers", MGR)
    private = weekly_thread(rig, datetime.fromisoformat("2026-12-07T09:00:00-05:00"))
    assert "Every rep against goal" in private and "Coaching cadence" not in private


def test_many_long_action_items_stay_inside_slack_limits(rig):
    from tests.bot.support import assert_within_slack_limits

    coach_at(rig, SDR, "2026-11-17T10:00:00-05:00")
    channel, thread = thread_of(rig)
    for i in range(30):
        text = f"action: {i} " + "call &lt;!channel&gt; back " * 150  # ~3,800 characters each
        message_event(rig, reply(rig, channel, thread, f"1800000{i:03d}.000100", text))
    assert len(notes(rig)) == 30
    coach_at(rig, SDR, "2026-11-24T10:00:00-05:00")
    post = openings(rig)[-1].params
    assert_within_slack_limits({"text": post["text"], "blocks": post["blocks"]})
    text = text_of(post["blocks"])
    assert "…and 20 more: `/coach @rep history` lists them all" in text
    assert "<!channel>" not in text
    assert post["blocks"][-1]["type"] == "context"  # how to reply is never cut
    assert "start one with `action:`" in text_of(post["blocks"][-1:])
    history = rig.text("/coach", f"<@{SDR}> history", MGR)  # rig.text checks the limits
    assert "2 sessions" in history and "30 notes" in history


def test_a_reply_with_a_file_attached_is_a_note_too(rig):
    rig.text("/coach", f"<@{SDR}>", MGR)
    channel, thread = thread_of(rig)
    files = [{"id": "F0DECK001", "name": "deck.pdf"}]
    message_event(
        rig,
        reply(
            rig,
            channel,
            thread,
            "1800000009.000100",
            "action: send the deck to Acme",
            MGR,
            subtype="file_share",
            files=files,
        ),
    )
    message_event(
        rig,
        reply(
            rig, channel, thread, "1800000009.000200", "", SDR, subtype="file_share", files=files
        ),
    )
    assert [(n.text, n.is_action) for n in notes(rig)] == [
        ("send the deck to Acme", True),
        ("(shared a file: see the thread)", False),
    ]
