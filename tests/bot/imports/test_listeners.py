"""bot/imports/listeners.py through signed requests: which messages are a CSV shared in a DM
(every other message goes on to coaching's listener), the summary's wording and button, and a
file changed between the summary and Apply is not applied."""

import json

from slack_bolt.request import BoltRequest

from bot.imports.listeners import csv_in_dm, summary_message
from rituals.connectors.csv_import import ImportReport
from simulator.signed_requests import (
    block_action_payload,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
)
from storage import log_queries
from storage.db import session as db_session
from tests.bot.support import MGR, SDR

TEAM = "T0RIG0001"
CSV = f"source,external_id,occurred_at,owner,kpi,count\ndialer,c-1,2026-11-24T09:30:00-05:00,{SDR},calls,12\n"


def message(**kw) -> dict:
    base = {
        "type": "message",
        "channel_type": "im",
        "subtype": "file_share",
        "user": MGR,
        "ts": "1.0",
    }
    return base | {"files": [{"id": "F1", "name": "week.csv", "filetype": "csv"}]} | kw


def test_only_a_csv_in_a_dm_outside_a_thread_is_taken():
    assert csv_in_dm(message())
    assert csv_in_dm(message(files=[{"id": "F1", "name": "Week.CSV"}]))
    assert not csv_in_dm(message(channel_type="channel"))
    assert not csv_in_dm(message(thread_ts="0.5"))  # a reply in a thread: coaching's
    assert not csv_in_dm(message(bot_id="B1"))
    assert not csv_in_dm(message(files=[{"id": "F1", "name": "deck.pdf", "filetype": "pdf"}]))


def test_the_summary_offers_apply_only_for_a_clean_file_that_changes_something():
    clean = ImportReport(rows=1, dry_run=True)
    clean.statuses["created"] = 1
    assert summary_message("w.csv", clean, "F1", b"x")["blocks"][-1]["type"] == "actions"
    same = ImportReport(rows=1, dry_run=True)
    same.statuses["unchanged"] = 1
    text = summary_message("w.csv", same, "F1", b"x")["text"]
    assert "Nothing to apply" in text
    assert "<b>" not in summary_message("<b>.csv", same, "F1", b"x")["blocks"][0]["text"]["text"]


def dispatch(rig, body: str, headers: dict) -> None:
    assert rig.app.dispatch(BoltRequest(body=body, headers=headers)).status == 200


def test_shared_summarised_applied_and_a_changed_file_refused(rig):
    rig.team()
    file = rig.slack.share_file("week.csv", CSV.encode(), user=MGR)
    event = message(
        channel="D0MGR", files=[{"id": file["id"], "name": "week.csv", "filetype": "csv"}]
    )
    body = event_body(event, team_id=TEAM)
    dispatch(rig, body, json_headers("rig-secret", body))
    [summary] = [
        c.params for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == "D0MGR"
    ]
    assert "1 created (dry run, nothing was stored)" in summary["text"]
    value = summary["blocks"][-1]["elements"][0]["value"]
    assert json.loads(value)["file"] == file["id"]

    rig.slack.shared[file["id"]] = (file, CSV.replace("12", "13").encode())  # edited meanwhile
    url = rig.slack.new_response_url()
    press = interaction_body(
        block_action_payload(MGR, "apply_csv", value, team_id=TEAM, response_url=url)
    )
    dispatch(rig, press, signed_headers("rig-secret", press))
    [answer] = rig.slack.responses[url.rsplit("/", 1)[1]]
    assert "changed since this summary, so nothing was stored" in answer["text"]
    with db_session(rig.engine) as session:
        assert log_queries.count_logs(session) == 0
