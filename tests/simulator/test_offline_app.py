"""simulator/offline_app.py: the real app against the stand-in Slack, with after-ack work done
before dispatch returns, so what a command causes is there when the next one is typed."""

import json
from datetime import UTC, datetime

from slack_bolt.request import BoltRequest

from simulator.offline_app import offline_app
from simulator.signed_requests import command_body, signed_headers
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work

SECRET = "offline-secret"
ADMIN, SDR = "U0ADMIN01", "U0SDR0001"
NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


def test_a_command_is_answered_and_its_after_ack_work_done_before_dispatch_returns(tmp_path):
    url = f"sqlite:///{tmp_path / 'offline.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with SlackStandin() as standin:
        standin.add_user(ADMIN, "Pat Lee")
        standin.add_user(SDR, "Maria Lopez")
        services, app = offline_app(
            standin, engine, url, lambda: NOW, token="xoxb-t", secret=SECRET, admins=ADMIN
        )
        assert services.clock() == NOW
        body = command_body("/pacer", f"team add <@{SDR}> sdr", ADMIN)
        response = app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
        assert response.status == 200
        assert json.loads(response.body)["text"].startswith(f"Added <@{SDR}> to Sales as Sales")
        # the welcome message to the new rep went out after the acknowledgement, already
        assert any(c.params.get("channel") == SDR for c in standin.calls_to("chat.postMessage"))
        forged = app.dispatch(BoltRequest(body=body, headers=signed_headers("wrong", body)))
        assert forged.status == 401
    with unit_of_work(engine) as session:
        [team] = people_queries.teams(session)
        assert [m.user_id for m in people_queries.active_members(session, team.id)] == [SDR]
    engine.dispose()
