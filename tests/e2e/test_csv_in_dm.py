"""A CSV shared with Pacer in a DM, over signed Slack HTTP to `pacer serve` (SQLite, and
PostgreSQL when TEST_DATABASE_URL is set): a manager gets the dry-run summary (nothing stored)
with an Apply button; Apply stores exactly that, and again changes nothing; a file with a
problem gets its lines and columns and no button; a rep is told who can import."""

import json
import time

from simulator.signed_requests import (
    block_action_payload,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
)
from tests.e2e.harness import SECRET, Workspace

SDR, MANAGER = "USDR00001", "UMGR00001"
CSV = (
    "source,external_id,occurred_at,owner,kpi,count\n"
    f"dialer,c-1,2026-11-24T09:30:00-05:00,{SDR},calls,12\n"
    f"dialer,c-2,2026-11-23T16:00:00-05:00,{SDR},conversations,3\n"
)


def share(server, ws: Workspace, user: str, name: str, content: str, dm: str) -> None:
    file = server.standin.share_file(name, content.encode(), user=user)
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel": dm,
        "channel_type": "im",
        "user": user,
        "text": "",
        "ts": f"{time.time():.6f}",
        "files": [{"id": file["id"], "name": name, "filetype": "csv"}],
    }
    body = event_body(event, team_id=ws.team_id)
    assert server.post(body, json_headers(SECRET, body)).status == 200


def posted_to(server, dm: str, count: int = 1) -> list[dict]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [
            c.params
            for c in server.standin.calls_to("chat.postMessage")
            if c.params.get("channel") == dm
        ]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"nothing posted to {dm}")


def responses(server, url: str, count: int = 1) -> list[dict]:
    token = url.rsplit("/", 1)[1]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = list(server.standin.responses.get(token, []))
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError("no answer at the response_url")


def press(server, ws, user, value) -> str:
    url = server.standin.new_response_url()
    payload = block_action_payload(user, "apply_csv", value, team_id=ws.team_id, response_url=url)
    body = interaction_body(payload)
    assert server.post(body, signed_headers(SECRET, body)).status == 200
    return url


def test_a_manager_gets_the_dry_run_then_applies_it(server, ws):
    ws.setup_team(sdrs=(SDR,), aes=(), managers=(MANAGER,))
    before = server.stored(ws.team_id)
    share(server, ws, MANAGER, "week.csv", CSV, "D0MGR0001")
    summary = posted_to(server, "D0MGR0001")[0]
    assert "week.csv · 2 rows: 2 created (dry run, nothing was stored)." in summary["text"]
    assert server.stored(ws.team_id) == before
    button = summary["blocks"][-1]["elements"][0]
    assert button["action_id"] == "apply_csv" and button["text"]["text"] == "Apply to Pacer"

    url = press(server, ws, MANAGER, button["value"])
    applied = responses(server, url)[0]
    assert "2 created (stored)" in applied["text"] and applied["replace_original"] is True
    assert server.stored(ws.team_id) == before + 2
    again = responses(server, press(server, ws, MANAGER, button["value"]))[0]
    assert "2 unchanged (stored)" in again["text"] and server.stored(ws.team_id) == before + 2
    basis = ws.scorecard(MANAGER, f"<@{SDR}> calls").text
    assert f"via CSV import by <@{MANAGER}>" in basis and "`c-1`" in basis


def test_problems_come_by_line_and_column_without_a_button_and_reps_cant_import(server, ws):
    ws.setup_team(sdrs=(SDR,), aes=(), managers=(MANAGER,))
    before = server.stored(ws.team_id)
    share(
        server,
        ws,
        MANAGER,
        "bad.csv",
        CSV + f"dialer,c-3,2026-11-24T09:30:00-05:00,{SDR},calz,1\n",
        "D0MGR0002",
    )
    summary = posted_to(server, "D0MGR0002")[0]
    assert "line 4, column kpi: kpi 'calz' is not a KPI" in summary["text"]
    assert "Fix these lines and share the file again" in summary["text"]
    assert all(b["type"] != "actions" for b in summary["blocks"])
    share(server, ws, SDR, "mine.csv", CSV, "D0SDR0001")
    assert "Only managers and Pacer admins" in posted_to(server, "D0SDR0001")[0]["text"]
    forged = press(server, ws, SDR, json.dumps({"file": "F1", "hash": "x"}))
    assert "Only managers" in responses(server, forged)[0]["text"]
    assert server.stored(ws.team_id) == before
