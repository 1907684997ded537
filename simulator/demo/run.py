"""`pacer demo`: a fresh database and stand-in Slack, the story played on them, and a summary
that counts what the product got wrong."""

import logging
import sys
import time as wallclock
from datetime import date, datetime
from pathlib import Path

from rituals import dates
from simulator.demo.activity import working_days
from simulator.demo.cast import DIRECTOR, MANAGER, TZ, add_cast
from simulator.demo.contest_story import LAG_CHECK_AT, ContestStory
from simulator.demo.player import SECRET, Demo, DemoClock
from simulator.demo.scenes import play, rituals
from simulator.offline_app import offline_app
from simulator.slack_standin import SlackStandin
from storage import coaching_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work


def run_demo(
    weeks: int = 6, out: str = "pacer-demo", today: date | None = None, stream=sys.stdout
) -> int:
    started = wallclock.perf_counter()
    if weeks < 1:
        print("pacer demo: --weeks must be 1 or more", file=sys.stderr)
        return 2
    today = today or datetime.now(TZ).date()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "pacer-demo.db"
    for stale in (db, folder / "pacer-demo.db-wal", folder / "pacer-demo.db-shm"):
        stale.unlink(missing_ok=True)  # a fresh team every run

    standin = SlackStandin().start()
    add_cast(standin)
    database_url = f"sqlite:///{db.resolve()}"  # absolute: any working directory
    engine = make_engine(database_url)
    errors, requests_log = ErrorLog(), logging.getLogger("pacer.requests")
    rituals_log = logging.getLogger("pacer.rituals")
    levels = requests_log.level, rituals_log.level
    requests_log.setLevel(logging.WARNING)  # one line per command would drown the demo
    rituals_log.setLevel(logging.WARNING)
    logging.getLogger("pacer").addHandler(errors)
    try:
        upgrade(engine)
        clock = DemoClock()
        services, app = offline_app(
            standin,
            engine,
            database_url,
            clock,
            token="xoxb-demo",
            secret=SECRET,
            admins=f"{MANAGER.user_id},{DIRECTOR.user_id}",  # the VP of Sales: an admin
        )
        demo = Demo(app, standin, engine, clock, stream)
        story = play(demo, services, weeks, today)
        # As of the last day played (a Saturday's `today` has no leaderboard or daily digest).
        rituals(demo, services, working_days(today, 1)[-1], folder)
        demo.problems += errors.seen
        seconds = wallclock.perf_counter() - started
        demo.heading("Summary")
        demo.print(
            f"{demo.played} commands played, {demo.logs()} logs stored, in {seconds:.1f} s "
            f"(wall time). The database is {db}; look inside with:",
            f"    DATABASE_URL=sqlite:///{db} pacer process show",
        )
        demo.say(*story_summary(demo, story))
        if demo.problems:
            demo.heading(f"Problems ({len(demo.problems)}): the product misbehaved")
            demo.print(*demo.problems)
            return 1
        return 0
    finally:
        logging.getLogger("pacer").removeHandler(errors)
        requests_log.setLevel(levels[0])
        rituals_log.setLevel(levels[1])
        standin.stop()
        engine.dispose()


def story_summary(demo: Demo, story: ContestStory | None) -> list[str]:
    """What the Summary says about the contest and the coaching session."""
    lines = []
    if story is not None and story.contest_id is not None:
        lines.append(
            f"A contest suggested by the lag check ({dates.short(story.tuesday)} {LAG_CHECK_AT}, "
            f"calls behind pace) ran to its result in {len(story.posts) + 1} posts in #sales: "
            f"{story.winners or 'no result'}."
        )
    with unit_of_work(demo.engine) as session:
        coached = coaching_queries.totals(session)
    if coached.sessions:
        lines.append(
            f"{coached.sessions} coaching session opened from the numbers, with {coached.notes} "
            f"notes saved from its thread ({coached.actions} action item)."
        )
    return lines


class ErrorLog(logging.Handler):
    """Errors Pacer logs during the demo (a failed command or after-ack job) count as problems."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.name}: {record.getMessage()}")
