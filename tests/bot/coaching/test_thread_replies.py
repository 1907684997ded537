"""Replies in a coaching thread through the app (signed events): saved as notes and action items
once however often Slack delivers them, edits and deletions followed, and everything that is
not a person's reply in a coaching thread ignored, most of it without a query."""

import json
import logging

from tests.bot.coaching.support import (
    COACHING,
    MGR2,
    SDR2,
    message_event,
    notes,
    reply,
    thread_of,
)
from tests.bot.support import ADMIN, MGR, SDR
from tests.storage.support import Statements


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


def test_an_event_from_another_workspace_stores_and_removes_nothing(rig, caplog):
    caplog.set_level(logging.INFO, logger="pacer")
    rig.text("/coach", f"<@{SDR}>", MGR)
    channel, thread = thread_of(rig)
    # the same channel and thread ts, sent for another workspace (IDs are only unique in one)
    forged = reply(rig, channel, thread, "1800000001.000100", "action: from elsewhere", MGR)
    message_event(rig, forged, team_id="T0OTHER01")
    assert notes(rig) == [] and not rig.slack.calls_to("reactions.add")
    assert "outcome=other-workspace" in caplog.text
    message_event(rig, reply(rig, channel, thread, "1800000002.000100", "kept", SDR))
    deletion = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": channel,
        "deleted_ts": "1800000002.000100",
        "previous_message": {"ts": "1800000002.000100", "thread_ts": thread, "user": SDR},
    }
    message_event(rig, deletion, team_id="T0OTHER01")
    assert [n.text for n in notes(rig)] == ["kept"]
    message_event(rig, deletion)
    assert notes(rig) == []


def test_only_the_rep_their_managers_and_admins_add_notes(rig, caplog):
    caplog.set_level(logging.INFO, logger="pacer")
    rig.text("/coach", f"<@{SDR}>", MGR)
    channel, thread = thread_of(rig)
    # a teammate (another SDR) and a stranger reply in the thread: neither is stored
    message_event(rig, reply(rig, channel, thread, "1800000001.000100", "action: me too", SDR2))
    message_event(rig, reply(rig, channel, thread, "1800000002.000100", "hi", "U0STRANGE1"))
    edit = reply(rig, channel, thread, "1800000002.000100", "action: edited", "U0STRANGE1")
    message_event(
        rig, {"type": "message", "subtype": "message_changed", "channel": channel, "message": edit}
    )
    assert notes(rig) == [] and not rig.slack.calls_to("reactions.add")
    assert caplog.text.count("outcome=not-a-participant") == 3
    assert f"user={SDR2} outcome=not-a-participant" in caplog.text
    # the rep, the manager who opened it, an admin and the team's other manager are
    rig.text("/pacer", f"manager <@{MGR2}>", ADMIN)
    for ts, author in enumerate((SDR, MGR, ADMIN, MGR2), start=3):
        message_event(rig, reply(rig, channel, thread, f"180000000{ts}.000100", "ok", author))
    assert [n.author_id for n in notes(rig)] == [SDR, MGR, ADMIN, MGR2]
