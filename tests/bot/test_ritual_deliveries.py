"""Every ritual kind of the registry (rituals/kinds.py) works everywhere a kind is named: it has a
delivery of the right sort (bot/ritual_deliveries.py), the clock runs it, `pacer rituals run KIND`
runs it, `pacer rituals run --help` lists it, and `/pacer ritual` sets it. (Valid in a process
file, and the schedule's triggers: tests/rituals/test_kinds.py.)"""

from datetime import datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.delivery.clock import Clock
from bot.delivery.runner import ChannelPosts, PrivateMessages
from bot.ritual_deliveries import DELIVERIES
from cli import main as cli_main
from cli import rituals as rituals_cli
from rituals import runs
from rituals.kinds import KINDS, RITUAL_KINDS, STANDINGS
from tests.bot.delivery.support import channel_rig, run, team_id
from tests.bot.support import MGR, SDR

TUESDAY_1105 = datetime.fromisoformat("2026-11-24T11:05:00-05:00")


@pytest.fixture
def rig(tmp_path):
    with channel_rig(tmp_path) as rig:
        yield rig


def test_every_kind_has_a_delivery_for_its_audience():
    assert set(DELIVERIES) == set(RITUAL_KINDS)
    for kind in KINDS:
        expected = PrivateMessages if kind.private else ChannelPosts
        assert isinstance(DELIVERIES[kind.name], expected), kind.name


def test_a_kind_without_a_delivery_fails_before_anything_is_claimed(rig):
    rig.services.deliveries = {k: d for k, d in DELIVERIES.items() if k != "daily"}
    with pytest.raises(LookupError, match="no delivery for the 'daily' ritual"):
        run(rig, "daily")
    with rig.services.unit_of_work() as session:
        assert runs.get_run(session, team_id(rig), "daily", "2026-11-26") is None


def test_the_clock_runs_every_kind(rig):
    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    clock.sync()
    scheduled = {job.args[1] for job in clock.scheduler.get_jobs()}
    assert scheduled == {k.name for k in KINDS if k.scheduled_by_the_clock}
    rig.now = TUESDAY_1105
    for kind in sorted(scheduled):
        outcome = clock.fire(team_id(rig), kind)
        # 11:05: nobody is due a nudge yet (15:00); the sweep is not even claimed
        assert outcome.status == ("nobody-due" if kind == "nudge" else "posted"), (kind, outcome)
    # A contest's posts come from its row: the tick posts the standings that fell due.
    rig.now = datetime.fromisoformat("2026-11-24T11:00:00-05:00")
    assert "started" in rig.text("/contest", 'start race calls 3d "Call Blitz"', MGR).lower()
    rig.text("/log", "calls 12", SDR)
    rig.now = datetime.fromisoformat("2026-11-24T15:31:00-05:00")
    done = {(o.kind, o.period_key): outcome for _, o, outcome in clock.tick()}
    assert done[(STANDINGS.name, "c1:2026-11-24T15:30")].startswith("posted"), done


def test_pacer_rituals_run_runs_every_kind_by_its_name_or_field(rig, capsys):
    at = TUESDAY_1105.isoformat()
    for kind in KINDS:
        assert rituals_cli.run_now(rig.services.settings, kind.name, None, None, at) == 0
        assert rituals_cli.run_now(rig.services.settings, kind.field, None, None, at) == 0
        out = capsys.readouterr().out
        assert f"Sales: {kind.name}" in out, out


def test_pacer_rituals_run_help_lists_every_kind(capsys):
    with pytest.raises(SystemExit):
        cli_main.main(["rituals", "run", "--help"])
    text = capsys.readouterr().out
    for kind in KINDS:
        assert kind.name in text and kind.summary in text, kind.name


def test_pacer_ritual_sets_every_kind(rig):
    usage = rig.text("/pacer", "ritual", MGR)
    for kind in KINDS:
        assert f"/pacer ritual {kind.field} {kind.example}" in usage, kind.field
        assert "Rituals now" in rig.text("/pacer", f"ritual {kind.field} {kind.example}", MGR)
        assert "Rituals now" in rig.text("/pacer", f"ritual {kind.name} off", MGR), kind.name
        if kind.default_at is not None:
            again = rig.text("/pacer", f"ritual {kind.name} {kind.default_at:%H:%M}", MGR)
            assert "Rituals now" in again, kind.name
