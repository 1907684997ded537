"""Enterprise Grid over real HTTP: the workspace is taken from Bolt's context, so a button whose
enterprise ID is only in ``team.enterprise_id`` (as Grid sends interactivity) is the same
workspace as the slash commands, and a person on a team of one workspace of the org is known
when they ask from a sibling workspace (Grid user IDs start with W and are the org's)."""

import json
import uuid
from urllib.parse import urlencode

from simulator.signed_requests import block_action_payload, command_body, signed_headers
from tests.e2e.harness import ADMIN, SECRET


def _ids() -> tuple[str, str, str, str]:
    tag = uuid.uuid4().hex[:8].upper()
    return f"E{tag}", f"T{tag}A", f"T{tag}B", f"W{tag}"


def grid_command(server, command, text, user, team_id, enterprise_id):
    body = command_body(
        command,
        text,
        user,
        team_id=team_id,
        enterprise_id=enterprise_id,
        response_url=server.standin.new_response_url(),
    )
    return server.post(body, signed_headers(SECRET, body))


def stored_in_org(server, enterprise_id: str) -> list[tuple]:
    return server.rows(
        "SELECT w.slack_team_id, a.rep_id, a.kpi, a.count FROM activity_log a "
        "JOIN workspace w ON w.id = a.workspace_id WHERE w.enterprise_id = ? ORDER BY a.id",
        enterprise_id,
    )


def test_a_rep_of_one_workspace_logs_from_a_sibling_workspace_of_the_org(server):
    org, home, sibling, rep = _ids()
    added = grid_command(server, "/pacer", f"team add <@{rep}> sdr", ADMIN, home, org)
    assert added.status == 200 and "Added" in added.text
    reply = grid_command(server, "/log", "call 7", rep, sibling, org)
    assert reply.status == 200 and "Logged *7 Calls / Emails*" in reply.text
    assert stored_in_org(server, org) == [(home, rep, "calls", 7)]  # on their team, in T…A
    assert "7 of 240" in grid_command(server, "/scorecard", "", rep, sibling, org).text
    # the admin, in the home workspace, mentions them by ID and sees the same numbers
    assert "7 of 240" in grid_command(server, "/scorecard", f"<@{rep}>", ADMIN, home, org).text
    # another org's workspace with the same team ID knows nobody: the log is refused
    other = grid_command(server, "/log", "call 7", rep, sibling, org + "X")
    assert "Logged" not in other.text
    assert len(stored_in_org(server, org)) == 1 and stored_in_org(server, org + "X") == []


def test_a_button_whose_enterprise_is_only_in_team_is_the_same_workspace(server):
    org, home, _, rep = _ids()
    assert grid_command(server, "/pacer", f"team add <@{rep}> sdr", ADMIN, home, org).status == 200
    payload = block_action_payload(
        rep,
        "home_plus_one",
        "calls",
        team_id=home,
        view={
            "id": "V0HOME",
            "type": "home",
            "blocks": [],
            "private_metadata": "",
        },
    )
    # as Grid sends a button: no top-level enterprise, the org on the team only
    payload["team"] = {
        "id": home,
        "domain": "acme",
        "enterprise_id": org,
        "enterprise_name": "Acme",
    }
    payload["enterprise"] = None
    payload["is_enterprise_install"] = False
    body = urlencode({"payload": json.dumps(payload)})
    assert server.post(body, signed_headers(SECRET, body)).status == 200
    assert stored_in_org(server, org) == [(home, rep, "calls", 1)]
    assert server.rows(
        "SELECT count(*) FROM workspace WHERE slack_team_id = ? AND enterprise_id = ''", home
    ) == [(0,)]  # not a stranger in an off-Grid workspace of the same team ID
