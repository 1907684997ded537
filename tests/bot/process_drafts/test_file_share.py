"""bot/process_drafts/file_share.py: a YAML file in a DM fills the draft, through the real app
(the event dispatched, the file fetched from the stand-in with the bot token)."""

import json

import pytest
from slack_bolt.request import BoltRequest

from bot.process_drafts import file_share
from rituals.process import DEFAULT_PROCESS_PATH
from simulator.signed_requests import event_body, json_headers
from tests.bot.form_support import TEAM, named_rig
from tests.bot.process_drafts.support import drafts
from tests.bot.support import MGR, SDR

DM = "D0DM00001"


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def share(rig, user: str, name: str, content: bytes, *, event_id=None, url=None) -> None:
    file_id = f"F{abs(hash((name, content))) % 10**8:08d}"
    rig.slack.uploads[file_id] = content
    file = {
        "id": file_id,
        "name": name,
        "size": len(content),
        "url_private_download": url or f"{rig.slack.base}/files/{file_id}",
    }
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": DM,
        "user": user,
        "ts": "1700000000.000300",
        "files": [file],
    }
    body = event_body(event, team_id=TEAM, event_id=event_id)  # None: a new event id
    response = rig.app.dispatch(BoltRequest(body=body, headers=json_headers("rig-secret", body)))
    assert response.status == 200


def replies(rig) -> list[str]:
    return [
        c.params["text"]
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["channel"] == DM
    ]


def test_a_good_file_opens_the_draft_once_and_says_what_changed(rig):
    text = DEFAULT_PROCESS_PATH.read_text().replace("{calls: 60/day", "{calls: 75/day")
    assert "75/day" in text
    share(rig, MGR, "process.yaml", text.encode(), event_id="Ev0SAME01")
    (reply,) = replies(rig)
    assert "opened the team's draft with it" in reply and "goal sdr calls 60/day → 75/day" in reply
    share(rig, MGR, "process.yaml", text.encode(), event_id="Ev0SAME01")  # delivered again
    share(rig, MGR, "process.yaml", text.encode())  # the same message under another event id
    assert len(replies(rig)) == 1
    (draft,) = drafts(rig)
    assert "calls: 75/day" in draft.source_text and draft.author_id == MGR


@pytest.mark.parametrize(
    ("user", "name", "content", "answer"),
    [
        (MGR, "notes.txt", b"hello", "Pacer reads process files in YAML"),
        (MGR, "process.yml", b"name: x\njourney: [\n", "line 3, column 1: YAML syntax error"),
        (MGR, "process.yml", b"\xff\xfe", "is not UTF-8 text"),
        (MGR, "big.yml", b"#" * (file_share.MAX_BYTES + 1), "of up to 256 KB"),
        (SDR, "process.yml", b"name: x\n", "only the team's managers and admins"),
    ],
)
def test_every_refused_file_is_answered_and_changes_nothing(rig, user, name, content, answer):
    share(rig, user, name, content)
    (reply,) = replies(rig)
    assert answer in reply
    assert drafts(rig) == []


def test_a_file_elsewhere_than_slack_is_not_fetched(rig):
    share(rig, MGR, "process.yml", b"name: x\n", url="https://example.com/process.yml")
    assert "of up to 256 KB shared in Slack" in replies(rig)[0]
    assert drafts(rig) == []


def test_only_a_file_shared_in_a_dm_outside_threads_is_ours():
    base = {"subtype": "file_share", "channel_type": "im", "files": [{"id": "F1"}]}
    assert file_share.is_dm_file(base)
    assert not file_share.is_dm_file(base | {"channel_type": "channel"})
    assert not file_share.is_dm_file(base | {"thread_ts": "1.2"})
    assert not file_share.is_dm_file(base | {"bot_id": "B1"})
    assert not file_share.is_dm_file(base | {"files": []})
    assert json.dumps(base)
