"""`pacer rituals run KIND` and `pacer rituals status` for the contest and coaching rituals, as an
operator runs them: through the same path as the clock, against the local Slack stand-in."""

import os
import subprocess
import sys
from datetime import datetime

import pytest

from cli import rituals as rituals_cli
from tests.bot.contests.lag_check_support import CHANNEL, log_monday
from tests.bot.contests.lag_check_support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.delivery.support import channel_posts, channel_rig
from tests.bot.support import MGR, SDR

TUESDAY_11 = "2026-11-24T11:00:00-05:00"


def run(rig, capsys, kind, at):
    code = rituals_cli.run_now(rig.services.settings, kind, None, None, at)
    return code, capsys.readouterr()


def dms_to(rig, user):
    return [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == user]


def test_lag_check_from_the_command_line_suggests_once(rig, capsys):
    log_monday(rig)
    code, out = run(rig, capsys, "lag-check", TUESDAY_11)
    assert code == 0 and "Sales: lag-check 2026-11-24: posted" in out.out
    assert len(dms_to(rig, MGR)) == 1 and "Calls / Emails" in str(dms_to(rig, MGR)[0].params)
    code, out = run(rig, capsys, "lag_check", TUESDAY_11)  # again: the run is settled
    assert code == 0 and "settled: posted" in out.out and len(dms_to(rig, MGR)) == 1


def test_standings_from_the_command_line(rig, capsys):
    code, out = run(rig, capsys, "standings", TUESDAY_11)
    assert code == 0 and "no contest is running" in out.out
    rig.now = datetime.fromisoformat(TUESDAY_11)
    assert "started" in rig.text("/contest", 'start race calls 3d "Call Blitz"', MGR).lower()
    rig.text("/log", "calls 12", SDR)
    rig.slack.reset()
    code, out = run(rig, capsys, "standings", "2026-11-24T13:05:00-05:00")
    assert code == 0 and "standings c1:2026-11-24T13:05: posted" in out.out, out.out
    (post,) = [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL]
    assert "Call Blitz" in str(post.params["blocks"]) and "12" in str(post.params["blocks"])


def test_coaching_reminder_from_the_command_line(rig, capsys):
    # Three weeks after the team was set up, nobody has been coached: the manager hears so.
    code, out = run(rig, capsys, "coaching", "2026-12-14T09:30:00-05:00")
    assert code == 0 and "coaching 2026-12-14: posted" in out.out, out.out
    (dm,) = dms_to(rig, MGR)
    assert f"<@{SDR}>" in str(dm.params) and "/coach" in str(dm.params)


def test_an_unknown_kind_names_the_kinds(rig, capsys):
    code, out = run(rig, capsys, "contests-please", TUESDAY_11)
    assert code == 2 and "lag-check" in out.err and "coaching" in out.err


@pytest.mark.parametrize("kind", ["lag-check", "coaching", "standings"])
def test_status_lists_the_new_rituals(rig, capsys, kind):
    rituals_cli.status(rig.services.settings, now=datetime.fromisoformat(TUESDAY_11))
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith(kind))
    expected = {
        "lag-check": "next Wed 25 Nov 11:00",
        "coaching": "next Mon 30 Nov 09:30",
        "standings": "no contest running",
    }[kind]
    assert expected in line, line


def test_pacer_rituals_run_and_status_from_the_command_line(tmp_path):
    with channel_rig(tmp_path) as rig:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "PACER_", "DATABASE_URL"))
        }
        env |= {
            "SLACK_BOT_TOKEN": "xoxb-rig",
            "SLACK_API_URL": rig.slack.url,
            "DATABASE_URL": str(rig.engine.url),
            "PACER_CLOCK": "2026-11-26T18:00:00-05:00",
        }

        def pacer(*args):
            return subprocess.run(
                [sys.executable, "-m", "cli.main", *args],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
            )

        done = pacer("rituals", "run", "daily", "--at", "2026-11-26T17:30:00-05:00")
        assert done.returncode == 0, done.stderr
        assert "Sales: daily 2026-11-26: posted" in done.stdout
        again = pacer(
            "rituals", "run", "daily", "--team", "Sales", "--at", "2026-11-26T17:45:00-05:00"
        )
        assert "settled" in again.stdout
        assert len([c for c in channel_posts(rig.slack) if "thread_ts" not in c.params]) == 1
        assert (
            "isn't a ritual" in pacer("rituals", "run", "hourly").stderr
            or pacer("rituals", "run", "hourly").returncode == 2
        )
        status = pacer("rituals", "status")
        assert status.returncode == 0, status.stderr
        assert "daily 17:30" in status.stdout
        daily = next(
            line for line in status.stdout.splitlines() if line.strip().startswith("daily ")
        )
        assert "next Fri 27 Nov 17:30" in daily and "last 2026-11-26: posted" in daily
