"""Uninstall over real HTTP: a signed `app_uninstalled` answers 200 (it was 404), the
workspace's rituals pause with its data kept (`pacer rituals run` posts nothing), and the next
command from the workspace — it was installed again — resumes them."""

from bot.settings import load_settings
from cli import rituals as rituals_cli
from simulator.signed_requests import event_body, json_headers
from tests.e2e.conftest import CLOCK
from tests.e2e.harness import SECRET, TOKEN
from tests.e2e.test_surfaces import posts, team, with_channel


def test_uninstall_pauses_rituals_and_the_next_command_resumes_them(server, ws, capsys):
    sdr, _, _ = team(ws)
    channel = with_channel(ws)
    assert ws.log(sdr, "calls 40").status == 200
    body = event_body({"type": "app_uninstalled"}, team_id=ws.team_id)
    assert server.post(body, json_headers(SECRET, body)).status == 200
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.standin.url,
            "DATABASE_URL": server.database_url,
        }
    )
    assert rituals_cli.run_now(settings, "daily", None, ws.team_id, CLOCK) == 1
    assert "paused: the app is uninstalled" in capsys.readouterr().out
    in_channel = lambda p: p.get("channel") == channel  # noqa: E731
    assert posts(server, in_channel) == []
    assert server.stored(ws.team_id) == 1  # the data stays
    # Installed again: the first command resumes the rituals.
    assert "40" in ws.scorecard(sdr).text
    assert rituals_cli.run_now(settings, "daily", None, ws.team_id, CLOCK) == 0
    assert len([p for p in posts(server, in_channel) if "thread_ts" not in p]) == 1
