"""End to end: how a goal is computed, over signed HTTP against `pacer serve` (clock pinned to
Tue 24 Nov 2026, 11:00 New York, the week of Thanksgiving): `/scorecard calls why` and the
scorecard's "How is this computed?" button."""

import json

from simulator.signed_requests import block_action_payload, interaction_body, signed_headers
from tests.e2e.harness import SECRET
from tests.e2e.test_surfaces import wait

SDR, MGR = "USDR00001", "UMGR00001"


def test_why_over_http_names_the_days_and_the_holiday(server, ws):
    ws.setup_team()
    assert ws.log(SDR, "calls 12").status == 200
    why = ws.scorecard(SDR, "calls why")
    assert why.status == 200 and why.body["response_type"] == "ephemeral"
    assert "*Calls / Emails* · week goal (Mon 23 – Sun 29 Nov 2026): *240*" in why.text
    assert "60 a day × 4 of your days (Mon 23, Tue 24, Wed 25, Fri 27 Nov) = 240" in why.text
    assert "not counted: Thu 26 Nov — Thanksgiving Day" in why.text
    bad = ws.scorecard(SDR, "calls whyy")
    assert "`/scorecard calls why`" in bad.text  # a typo gets the ways to ask

    card = ws.scorecard(SDR)
    [button] = [
        e
        for b in card.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "scorecard_why"
    ]
    assert json.loads(button["value"]) == {"rep": SDR, "period": "week:2026-11-23"}
    url = server.standin.new_response_url()
    payload = block_action_payload(
        MGR, "scorecard_why", button["value"], team_id=ws.team_id, response_url=url
    )
    body = interaction_body(payload)
    assert server.post(body, signed_headers(SECRET, body)).status == 200
    # The answer goes to the press's response_url after the ack.
    answers = wait(lambda: server.standin.responses.get(url.rsplit("/", 1)[1]))
    [answer] = answers
    assert f"How <@{SDR}>'s goals for Mon 23 – Sun 29 Nov 2026 are computed" in str(answer)
