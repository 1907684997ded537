"""bot/scorecard/logs.py through signed requests: ingested logs say where they came from in the
drill-down, a manager (never the rep) gets "Void a log…", and voiding through it keeps the log
in the trail, struck through, whatever the source sends later."""

import json
from datetime import UTC, datetime

from slack_bolt.request import BoltRequest

from rituals.ingest import IngestItem, ingest
from simulator.signed_requests import block_action_payload, interaction_body, signed_headers
from storage import people_queries
from storage.unit_of_work import unit_of_work
from tests.bot.support import MGR, SDR, assert_within_slack_limits

CALL = IngestItem("hubspot", "call:11", datetime(2026, 11, 24, 14, 2, tzinfo=UTC), SDR, "calls", 2)


def send(rig, items, via="hubspot", by="hubspot"):
    with unit_of_work(rig.engine) as session:
        ws = people_queries.all_workspaces(session)[0]
        return ingest(session, ws.id, items, rig.now, via=via, entered_by=by)


def drill_down(rig, user):
    message = rig.run("/scorecard", f"<@{SDR}> calls", user)
    assert_within_slack_limits(message)
    return message


def test_the_drill_down_says_where_ingested_logs_came_from(rig):
    rig.team()
    rig.text("/log", "call 3", SDR)
    send(rig, [CALL])
    send(
        rig,
        [IngestItem("dialer", "d-1", CALL.occurred_at, SDR, "calls", 1)],
        via="api",
        by="api:dialer",
    )
    text = rig.text("/scorecard", "calls", SDR)
    assert "*6* counted from 3 logs" in text
    assert f"entered by <@{SDR}> via slash" in text
    assert "via HubSpot · 11:00 · `call:11`" in text
    assert "via the API (token dialer) · 11:00 · `d-1`" in text
    assert not any(b["type"] == "actions" for b in drill_down(rig, SDR)["blocks"])  # a rep: no menu


def test_a_manager_voids_an_ingested_log_and_the_source_cant_bring_it_back(rig):
    rig.team()
    send(rig, [CALL])
    menu = drill_down(rig, MGR)["blocks"][-1]["elements"][0]
    assert menu["action_id"] == "scorecard_void" and "confirm" in menu
    [option] = menu["options"]
    assert option["text"]["text"].endswith("· HubSpot 11:00 · call:11")
    url = rig.slack.new_response_url()
    payload = block_action_payload(MGR, "scorecard_void", team_id="T0RIG0001", response_url=url)
    payload["actions"][0] = {
        "type": "static_select",
        "action_id": "scorecard_void",
        "block_id": "b",
        "selected_option": option,
    }
    body = interaction_body(payload)
    assert (
        rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body))).status
        == 200
    )
    [answer] = rig.slack.responses[url.rsplit("/", 1)[1]]
    assert (
        "Voided 2 Calls / Emails of <@U0SDR0001>" in answer["text"]
        and "won't count again" in answer["text"]
    )
    assert send(rig, [CALL])[0].status == "unchanged"
    text = rig.text("/scorecard", f"<@{SDR}> calls", MGR)
    assert "*0* counted from 0 logs (1 undone" in text and f"undone by <@{MGR}>" in text
    assert json.dumps(drill_down(rig, MGR)).count("scorecard_void") == 0  # nothing left to void


def test_deleted_at_the_source_reads_so(rig):
    rig.team()
    send(rig, [CALL])
    send(rig, [IngestItem("hubspot", "call:11", CALL.occurred_at, "", "", 0, True)])
    assert "(deleted in HubSpot)" in rig.text("/scorecard", "calls", SDR)
