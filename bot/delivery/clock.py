"""`pacer clock`: APScheduler runs every team's rituals on time, in the team's timezone.

Each ritual of each team is a cron job built from the team's process (rebuilt when a new process
version appears). A tick every minute also catches up: a ritual missed while the clock was down
runs late once (within its grace window) or is recorded as skipped, and failed posts are tried
again. Exactly-once is the database's job (rituals.runs.claim), so a restart, a manual run or two
clocks by mistake still post each ritual once.

Every kind of rituals/kinds.py is run from here: the scheduled ones by their triggers (and the
tick's catch-up), the contests' posts (``standings``) by the tick from the contest rows. Each
database step is a unit of work of its own; the runs themselves open theirs (runner.py)."""

import logging
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import ATTEMPTS, Outcome, run_ritual
from bot.process_drafts import scheduled as scheduled_publish
from bot.process_reviews import reminders as review_reminders
from bot.services import Services
from rituals import contests, runs
from rituals.kinds import GRACE, STANDINGS
from rituals.schedule import Occurrence, missed, occurrence_at, triggers
from rituals.teams import team_process
from storage import heartbeat_queries, people_queries

log = logging.getLogger("pacer.clock")
LOOKBACK = max(GRACE.values())  # how far back a tick looks for rituals it may still owe
# A contest's start and result are posted however late, within this (a contest left without a
# channel for a month is given up on; its result still shows in /contest standings).
CONTEST_LOOKBACK = timedelta(days=31)
# Nudge sweep rows are kept this long (beyond any look-back of the tick), then pruned.
SWEEP_RETENTION = LOOKBACK + timedelta(days=2)


class Clock:
    def __init__(
        self,
        services: Services,
        scheduler: BaseScheduler | None = None,
        in_server: bool = False,
        fork_guard: AbstractContextManager | None = None,
    ):
        self.services = services
        # Held while a job runs. In `pacer serve --with-clock` gunicorn's master forks workers
        # only while it is free (bot/server.py): a worker forked while this thread is inside
        # SQLite would inherit its mutexes locked and hang on its first query.
        self.fork_guard = fork_guard or nullcontext()
        # In `pacer serve --with-clock` the first tick comes as gunicorn forks its workers: no
        # heartbeat write then (see the prune below), from the second tick on.
        self.in_server = in_server
        self.started_at = services.clock()
        # The scheduler's own timezone is UTC, explicitly; every trigger carries its team's.
        self.scheduler = scheduler or BlockingScheduler(timezone=UTC)
        self.pacer = ChannelPacer()
        self.owner = runs.process_identity()
        self.ticks = 0
        self.versions: dict[
            int, object
        ] = {}  # team id -> the process version its jobs were built from

    # -- jobs ------------------------------------------------------------------------------

    def sync(self) -> list[int]:
        """(Re)build the jobs of every team whose process changed; returns those teams."""
        changed = []
        with self.services.unit_of_work() as session:
            for team in people_queries.teams(session):
                process, version = team_process(session, team.id)
                key = (version, process.timezone)
                if self.versions.get(team.id) == key:
                    continue
                for job in self.scheduler.get_jobs():
                    if job.id.startswith(f"team{team.id}:"):
                        job.remove()
                for index, (kind, trigger, _kpis) in enumerate(triggers(process)):
                    self.scheduler.add_job(
                        self.fire,
                        trigger,
                        args=[team.id, kind],
                        id=f"team{team.id}:{kind}:{index}",
                        name=f"{team.name}: {kind}",
                        replace_existing=True,
                        coalesce=True,
                        misfire_grace_time=int(GRACE[kind].total_seconds()),
                    )
                self.versions[team.id] = key
                changed.append(team.id)
        return changed

    def fire(self, team_id: int, kind: str) -> Outcome:
        """A trigger fired: run that ritual for the occurrence due now."""
        with self.fork_guard:
            return self._fire(team_id, kind)

    def _fire(self, team_id: int, kind: str) -> Outcome:
        now = self.services.clock()
        with self.services.unit_of_work() as session:
            process, _ = team_process(session, team_id)
        return run_ritual(
            self.services,
            team_id,
            occurrence_at(process, kind, now),
            now,
            pacer=self.pacer,
            owner=self.owner,
        )

    # -- the minute tick -------------------------------------------------------------------

    def tick(self) -> list[tuple[int, Occurrence, str]]:
        """Sync jobs, run what is owed (late, once), skip what is too late, retry failures."""
        with self.fork_guard:
            return self._tick()

    def _tick(self) -> list[tuple[int, Occurrence, str]]:
        now = self.services.clock()
        if self.ticks > 0 or not self.in_server:
            self.heartbeat(now)
        self.sync()
        done: list[tuple[int, Occurrence, str]] = []
        with self.services.unit_of_work() as session:
            paused = people_queries.paused_workspaces(session)  # uninstalled: bot/install
            teams = [t for t in people_queries.teams(session) if t.workspace_id not in paused]
        for team in teams:
            try:
                done += self._catch_up(team, now)
            except Exception:  # one team's trouble must not hold up the others
                log.exception("catch-up for team %s failed; trying again next minute", team.id)
        # Hourly, the nudge sweeps' rows out of every look-back's reach are deleted. Not on the
        # first tick: `serve --with-clock` forks its workers just then, and a write from this
        # process at that moment can leave SQLite locked for them.
        try:  # a process review's reminder, due on its round's date (not a ritual_run row)
            review_reminders.sweep(self.services, now)
        except Exception:
            log.exception("review reminders failed; trying again next minute")
        try:  # a draft scheduled for a day that has begun (claimed on the draft's status)
            scheduled_publish.sweep(self.services, now)
        except Exception:
            log.exception("scheduled process publishes failed; trying again next minute")
        self.ticks += 1
        if self.ticks > 1 and now.minute == 0:
            with self.services.unit_of_work() as session:
                runs.prune_sweeps(session, now - SWEEP_RETENTION)
        return done

    def heartbeat(self, now: datetime) -> None:
        """Stamp this clock's row: `pacer doctor` reads it (a clock silent for minutes is down)."""
        try:
            with self.services.unit_of_work() as session:
                heartbeat_queries.beat(session, self.owner, self.started_at, now)
        except Exception:  # the rituals matter more than the stamp
            log.exception("heartbeat failed; trying again next minute")

    def _catch_up(self, team, now: datetime) -> list[tuple[int, Occurrence, str]]:
        done: list[tuple[int, Occurrence, str]] = []
        with self.services.unit_of_work() as session:
            process, _ = team_process(session, team.id)
            settled = runs.settled_keys(
                session, team.id, now - LOOKBACK - timedelta(days=1), max_attempts=ATTEMPTS
            )
        # Nothing is owed from before the team existed.
        run_late, too_late = missed(process, max(now - LOOKBACK, team.created_at), now)
        contests_now, contests_late = self._contest_posts(team, process, now)
        run_late += contests_now
        too_late += contests_late
        for occurrence in run_late:
            if (occurrence.kind, occurrence.period_key) not in settled:
                outcome = run_ritual(
                    self.services, team.id, occurrence, now, pacer=self.pacer, owner=self.owner
                )
                if outcome.status != "nobody-due":  # a quiet nudge sweep: nothing was done
                    done.append((team.id, occurrence, str(outcome)))
        for occurrence in too_late:
            if (occurrence.kind, occurrence.period_key) in settled:
                continue
            with self.services.unit_of_work() as session:
                if runs.skip(
                    session,
                    workspace_id=team.workspace_id,
                    team_id=team.id,
                    occurrence=occurrence,
                    reason=f"missed by more than its grace window ({GRACE[occurrence.kind]})",
                    now=now,
                ):
                    log.warning(
                        "ritual=%s period=%s team=%s outcome=skipped: missed beyond its grace window",
                        occurrence.kind,
                        occurrence.period_key,
                        team.id,
                    )
                    done.append((team.id, occurrence, "skipped"))
        return done

    def _contest_posts(self, team, process, now: datetime):
        """Contests are rows, not cron jobs: each tick posts the starts, standings and results
        that fell due (a start or a result however late; standings within their grace)."""
        with self.services.unit_of_work() as session:
            run_now, too_late = contests.due_occurrences(
                session, team.id, process, max(now - CONTEST_LOOKBACK, team.created_at), now
            )
            settled = runs.settled_keys(
                session, team.id, now - CONTEST_LOOKBACK - timedelta(days=1), max_attempts=ATTEMPTS
            )
        run_now = [o for o in run_now if (STANDINGS.name, o.period_key) not in settled]
        too_late = [o for o in too_late if (STANDINGS.name, o.period_key) not in settled]
        return run_now, too_late

    def start(self) -> None:
        self.sync()
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(minutes=1, timezone=UTC),
            id="tick",
            next_run_time=datetime.now(UTC),
            coalesce=True,
            max_instances=1,
        )
        log.info(
            "pacer clock: %d jobs for %d teams",
            len(self.scheduler.get_jobs()) - 1,
            len(self.versions),
        )
        self.scheduler.start()
