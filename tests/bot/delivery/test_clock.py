"""The clock (bot/delivery/clock.py): jobs in each team's timezone, rebuilt when the process
changes; the tick catches up (late within grace, skipped beyond), two clocks post once, and old
nudge sweeps are pruned."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from sqlmodel import select

from bot.delivery.clock import Clock
from rituals import runs
from rituals.schedule import Occurrence
from storage import people_queries
from storage.models import RitualRun
from tests.bot.delivery.support import THURSDAY_1745, channel_posts, team_id
from tests.bot.support import MGR


def test_the_clock_builds_jobs_in_the_team_timezone_and_catches_up(rig):
    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    assert clock.sync() == [team_id(rig)]
    jobs = {job.id.split(":")[1] for job in clock.scheduler.get_jobs()}
    assert {"daily", "weekly", "monthly", "leaderboard", "nudge"} <= jobs
    daily = next(j for j in clock.scheduler.get_jobs() if ":daily:" in j.id)
    fire = daily.trigger.get_next_fire_time(
        None, datetime.fromisoformat("2026-11-26T12:00:00-05:00")
    )
    assert fire.isoformat() == "2026-11-26T17:30:00-05:00"
    assert clock.sync() == []  # nothing changed: jobs are not rebuilt
    rig.text("/pacer", "timezone America/Chicago", MGR)
    assert clock.sync() == [team_id(rig)]  # a new process version rebuilds them
    # The clock was down all day. At 17:00 the 16:00 leaderboard is within its 90-minute grace:
    # posted late, once; the 12:00 one is past it: skipped, with a log line.
    rig.now = datetime.fromisoformat("2026-11-26T17:00:00-06:00")
    done = {(o.kind, o.period_key): outcome for _, o, outcome in clock.tick()}
    assert done[("leaderboard", "2026-11-26T16:00")].startswith("posted")
    assert done[("leaderboard", "2026-11-26T12:00")] == "skipped"
    assert ("daily", "2026-11-26") not in done  # not due until 17:30
    rig.now = datetime.fromisoformat("2026-11-26T18:00:00-06:00")
    done = {(o.kind, o.period_key): outcome for _, o, outcome in clock.tick()}
    # The nudge sweep of 18:00 (the 17:30 one is not owed) finds nobody due: it is 19:00 for
    # the reps, in New York (bot/delivery/nudges.py: quiet hours). Not claimed, not reported.
    assert ("nudge", "2026-11-27T00:00Z") not in done
    assert done == {("daily", "2026-11-26"): done[("daily", "2026-11-26")]}
    assert done[("daily", "2026-11-26")].startswith("posted")
    assert clock.tick() == []  # everything owed is settled


def test_two_clocks_ticking_at_once_post_each_ritual_once(rig):
    clocks = [Clock(rig.services, BackgroundScheduler(timezone="UTC")) for _ in range(2)]
    rig.now = datetime.fromisoformat("2026-11-26T17:40:00-05:00")
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda clock: clock.tick(), clocks))
    mains = [c for c in channel_posts(rig.slack) if "thread_ts" not in c.params]
    texts = [c.params["text"] for c in mains]
    assert len(texts) == len(set(texts)), texts  # nothing twice
    assert any(t.startswith("Daily digest") for t in texts)


def test_the_clock_prunes_old_nudge_sweeps_hourly_but_not_on_its_first_tick(rig):

    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        old = runs.claim(
            session,
            workspace_id=team.workspace_id,
            team_id=team.id,
            occurrence=Occurrence("nudge", THURSDAY_1745, "2026-11-26T22:30Z"),
            now=THURSDAY_1745,
            owner="test",
        )
        runs.finish(session, old, THURSDAY_1745)

    def sweeps():
        with rig.services.unit_of_work() as session:
            keys = session.exec(select(RitualRun.period_key).where(RitualRun.kind == "nudge"))
            return [k for k in keys if k.endswith("Z") and k.startswith("2026-11-26T22")]

    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    rig.now = datetime.fromisoformat("2026-12-10T10:00:00-05:00")  # two weeks on, at :00
    clock.tick()
    assert sweeps() == ["2026-11-26T22:30Z"]  # the first tick writes nothing of the kind
    clock.tick()
    assert sweeps() == []


def test_every_tick_stamps_the_clock_heartbeat_but_not_the_first_in_the_server(rig):
    """`pacer doctor` reads the heartbeat (storage/heartbeat_queries.py): one row per clock,
    stamped each minute; the clock inside `pacer serve --with-clock` skips its first tick."""
    from storage import heartbeat_queries

    def beats():
        with rig.services.unit_of_work() as session:
            return heartbeat_queries.beats(session)

    rig.now = datetime.fromisoformat("2026-11-26T17:40:00-05:00")
    in_server = Clock(rig.services, BackgroundScheduler(timezone="UTC"), in_server=True)
    in_server.tick()
    assert beats() == []
    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    clock.tick()
    assert [(b.owner, b.beat_at) for b in beats()] == [(clock.owner, rig.now)]
    rig.now = datetime.fromisoformat("2026-11-26T17:41:00-05:00")
    clock.tick()
    in_server.tick()
    assert [b.beat_at for b in beats()] == [rig.now]  # one row for both: same process here
    assert beats()[0].started_at == datetime.fromisoformat("2026-11-26T17:40:00-05:00")
