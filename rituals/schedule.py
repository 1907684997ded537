"""Which ritual runs are due when: the team's `rituals:` schedule as APScheduler 3.x triggers.

Every fire time comes from APScheduler's own ``CronTrigger`` in the team's timezone (through its
``get_next_fire_time``): nothing here sleeps, reads the wall clock or re-implements cron. The
clock (`pacer clock`) adds the very triggers that :func:`triggers` returns to its scheduler, and
:func:`next_occurrences`, :func:`missed` and the tests walk the same triggers, so what is tested
is what runs.

Each fire time becomes an :class:`Occurrence` whose ``period_key`` names the run once per team
(daily ``2026-11-26``, weekly ``2026-W47`` = the ISO week reported on, monthly ``2026-10`` = the
month reported on, leaderboard ``2026-11-26T12:00``, nudge sweep ``2026-11-26T20:00Z``);
rituals/runs.py records it under (team, kind, period_key) before anything is posted, which is
what makes a run happen exactly once whatever the clocks do.

Decisions, pinned by tests/rituals/test_schedule.py:

- **Working days.** Daily digests, leaderboards and the lag check fire on the process's
  working days only (any set: Mon–Fri, Sun–Thu…), never on a day off (a public holiday the team
  doesn't work, or a company day off: the calendar's ``holidays``). The weekly digest and the
  coaching reminders fire on their configured weekday; when that day is a day off, on the next
  working day of the same week (Tuesday after a Monday holiday), else on the last working day
  before it in that week, else (a week with no working day at all) on the day itself — the
  reported week, and so the period key, stay the same (:func:`weekly_run_day`).
- **Nudges are per person, in each rep's own timezone.** The private reminder to a rep who has
  logged nothing today follows the rep's day, not the team's:

  - the nudge ritual is a *sweep* that fires every 30 minutes, on every day, in UTC (an
    APScheduler ``IntervalTrigger``; its minutes line up with the team's nudge time, so a rep
    whose timezone is a whole or half hour off the team's is swept exactly at their nudge time);
    its period key is the UTC slot, ``2026-11-26T20:00Z``;
  - each sweep nudges the reps for whom, at that moment, in *their own* timezone (from Slack,
    cached in ``user_profile.tz``; the team's when unknown): it is one of the team's working
    days, the local time has reached the nudge time (``rituals.nudges``, default 15:00), and it
    is inside the team's working hours (quiet hours: never before ``day_start`` or from
    ``day_end`` on, never on a day off) — see :func:`nudge_due`;
  - and who want nudges (``member.nudges``), have a role, and have logged nothing on that local
    day;
  - each rep is nudged at most once per local day: the nudge is claimed as its own
    ``ritual_run`` row, kind ``nudge``, period key ``2026-11-26:U0123ABCD`` (:func:`nudge_key`)
    before it is sent, claimable once only (a crash between the claim and the message costs
    that reminder, never sends two). Restarts, two clocks, a late sweep and
    ``pacer rituals run nudge`` therefore never nudge anyone twice for the same day;
  - a sweep missed while the clock was down runs late within :data:`GRACE` (30 minutes), the
    latest one only; older ones are not owed (nothing is recorded for them): the next sweep
    nudges whoever is still due, at the time it runs, inside their working hours.

  So a Tokyo rep on a New York team is nudged at 15:00 Tokyo time on Tokyo's working days; a
  nudge time before the working hours (08:00 with hours 09:00–17:00) nudges at 09:00, and one
  after them (18:00) nudges nobody.
- **First working day of the month.** One ``CronTrigger`` cannot say "the 1st if it is a working
  day, else the first working day after it": its ``day`` and ``day_of_week`` fields are ANDed
  (Unix cron ORs them). The monthly trigger is therefore the cron ``day=1-N,
  day_of_week=<working days>`` with N = 1 + the longest run of non-working days (Mon–Fri: N = 3,
  so a month starting on Saturday fires on Monday the 3rd, one starting on Sunday on Monday the
  2nd), and :class:`RitualTrigger` keeps, of those candidates, the one that is the month's first
  working day. (It equals an ``OrTrigger`` of one CronTrigger per working weekday; the tests check
  that.) With days off (1 Jan 2027 is a Friday holiday: the digest waits for Monday the 4th) the
  cron is every working weekday of the month, and the trigger keeps the first working one.
- **Daylight saving time.** A ritual fires exactly once on every scheduled local day, at its
  local time:
  - in the hour that is *skipped* when clocks go forward (02:30 on 2026-03-08 in New York,
    2026-03-29 in Berlin), APScheduler 3.x resolves the non-existent wall time with the offset
    in force before the change, so 02:30 fires at 03:30 by the new wall clock (07:30 UTC in New
    York): once, one hour later than written. That is APScheduler's behaviour, kept (and a
    clock started at 03:10 that day still fires it at 03:30);
  - in the hour that is *repeated* when clocks go back (01:30 on 2026-11-01 in New York), a bare
    CronTrigger fires twice, once per pass; :class:`RitualTrigger` fires at the first pass only
    (daylight time, 05:30 UTC in New York);
  - walking from one fire time to the next, APScheduler 3.x adds a day as 24 hours of UTC, so
    after a 23-hour day it lands at 01:00 and skips a 00:xx time on the next day (a weekly
    00:30 job loses a whole week). :class:`RitualTrigger` asks CronTrigger day by day, each time
    from the local day's midnight, where it resolves the day's time exactly.
  Fire times are returned normalised (03:30-04:00, not APScheduler's 02:30-05:00) and compared in
  UTC (aware datetimes sharing a tzinfo compare by wall time, ignoring the fold).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from rituals import kinds
from rituals.kinds import GRACE, RITUAL_KINDS, Kind, ritual_kind
from rituals.pacing import WEEKDAY_NAMES, WorkCalendar, period_containing
from rituals.process import RITUAL_DEFAULT_TIMES, Process

__all__ = [
    "GRACE",
    "NUDGE_EVERY",
    "RITUAL_KINDS",
    "Occurrence",
    "RitualTrigger",
    "first_working_day",
    "missed",
    "next_occurrences",
    "nudge_due",
    "nudge_key",
    "nudge_sweep_key",
    "nudge_sweep_trigger",
    "nudge_time",
    "occurrence_at",
    "period_key",
    "ritual_kind",
    "triggers",
    "weekly_run_day",
]
# GRACE, RITUAL_KINDS and ritual_kind are the registry's (rituals/kinds.py), named here too for
# the modules that read them with the schedule.

_MAX_DAYS = 400  # the longest a ritual waits is a month; a guard, never reached
_TICK = timedelta(microseconds=1)
NUDGE_EVERY = timedelta(minutes=30)  # how often the nudge sweep runs, on every day
_PERIOD_KEY_LEN = 32  # ritual_run.period_key


@dataclass(frozen=True)
class Occurrence:
    """One run of one ritual for one team: ``period_key`` identifies it exactly once per team."""

    kind: str  # one of RITUAL_KINDS, or a one-time run (rituals/kinds.py: ONE_TIME_RUNS)
    due_at: datetime  # aware, UTC
    period_key: str
    kpis: tuple[str, ...] = ()  # a leaderboard's KPIs
    contest_id: int | None = None  # the contest a "standings" run posts about


# --------------------------------------------------------------------------------------------
# The triggers


class RitualTrigger(CronTrigger):
    """APScheduler's CronTrigger, firing once per scheduled local day across DST changes, and
    (for the monthly digest) only on the first working day of the month. See the module notes.

    ``at`` is the team-local time as written in the process (a leaderboard's slot, for its
    period key); ``working_days`` are date.weekday() numbers, Monday = 0. With a ``calendar``
    (the team's: its working days and days off), it never fires on a day off; with a
    ``weekday`` too, it fires once a week, on that weekday or the day weekly_run_day moves it to.
    """

    __slots__ = ("at", "calendar", "first_working_day", "weekday", "working_days")

    def __init__(
        self,
        at: time,
        tz: ZoneInfo,
        *,
        day_of_week: str | None = None,
        working_days: frozenset[int] = frozenset(range(7)),
        first_working_day: bool = False,
        calendar: WorkCalendar | None = None,
        weekday: int | None = None,
    ) -> None:
        self.at = time(at.hour, at.minute)
        self.calendar = calendar
        self.weekday = weekday
        if calendar is not None:
            working_days = calendar.working_days
        self.working_days = frozenset(working_days)
        self.first_working_day = first_working_day
        day = None
        if first_working_day:
            if not self.working_days:
                raise ValueError("the first working day needs at least one working day")
            if not self._days_off:  # else every working weekday is a candidate (module notes)
                day = f"1-{1 + _longest_break(self.working_days)}"
            day_of_week = _cron_days(self.working_days)
        elif weekday is not None and self._days_off:
            day_of_week = None  # any day of the week may be the one a day off moves it to
        super().__init__(
            day=day,
            day_of_week=day_of_week,
            hour=self.at.hour,
            minute=self.at.minute,
            second=0,
            timezone=tz,
        )

    @property
    def _days_off(self) -> bool:
        return self.calendar is not None and not self.calendar.holidays.empty

    def get_next_fire_time(self, previous_fire_time, now):
        """The first fire time after ``previous_fire_time`` (APScheduler's contract: from
        ``now`` on when there is none).

        CronTrigger is asked day by day, each time from the local day's midnight: walking from
        one fire time to the next, APScheduler 3.x adds a day as 24 hours of UTC and so skips
        00:xx on the day after a spring-forward change (and any day it would reach through
        that day). Asked from the day's own midnight it resolves the day's time exactly,
        including a time in the skipped hour (once, by the offset before the change) and a
        repeated one (the first pass: the second is never returned)."""
        # In UTC throughout: aware datetimes sharing a tzinfo compare by wall time, fold ignored.
        if previous_fire_time is None:
            start = now.astimezone(UTC)
        else:
            start = previous_fire_time.astimezone(UTC) + _TICK
        tz = self.timezone
        day = start.astimezone(tz).date()
        for _ in range(_MAX_DAYS):
            midnight = datetime.combine(day, time(0), tzinfo=tz)
            fire = super().get_next_fire_time(None, midnight)
            if fire is None:
                return None
            fire = _normalize(fire)
            if fire.date() == day and fire.astimezone(UTC) >= start and self._wanted(fire):
                return fire
            day += timedelta(days=1)
        return None  # pragma: no cover - every schedule fires within a year

    def _wanted(self, fire: datetime) -> bool:
        if fire.fold and _is_repeated(fire):
            return False  # the same wall time already fired on the first pass
        day = fire.date()
        if self.first_working_day:
            days = self.calendar if self.calendar is not None else self.working_days
            return day == first_working_day(fire.year, fire.month, days)
        if self.calendar is None:
            return True
        if self.weekday is not None:
            return day == weekly_run_day(day, self.weekday, self.calendar)
        return self.calendar.is_working_day(day)

    def __getstate__(self):
        state = super().__getstate__()
        state.update(
            at=self.at,
            working_days=self.working_days,
            first_working_day=self.first_working_day,
            calendar=self.calendar,
            weekday=self.weekday,
        )
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        self.at = state["at"]
        self.working_days = state["working_days"]
        self.first_working_day = state["first_working_day"]
        self.calendar = state.get("calendar")
        self.weekday = state.get("weekday")

    def __str__(self) -> str:
        text = super().__str__()
        return text[:-1] + ", first working day]" if self.first_working_day else text

    def __repr__(self) -> str:
        text = super().__repr__()
        return text[:-1] + ", first_working_day=True>" if self.first_working_day else text


def _normalize(fire: datetime) -> datetime:
    """The real wall time of an instant (02:30-05:00 on a spring-forward day is 03:30-04:00)."""
    return datetime.fromtimestamp(fire.timestamp(), fire.tzinfo)


def _is_repeated(local: datetime) -> bool:
    """Whether a local wall time happens twice (the hour repeated when clocks go back)."""
    first, second = local.replace(fold=0), local.replace(fold=1)
    return first.utcoffset() != second.utcoffset()


def _cron_days(days: frozenset[int]) -> str:
    return ",".join(WEEKDAY_NAMES[d] for d in sorted(days))


def _longest_break(working_days: frozenset[int]) -> int:
    """The longest run of consecutive non-working weekdays (wrapping round the week)."""
    longest = 0
    for start in range(7):
        run = 0
        while run < 7 and (start + run) % 7 not in working_days:
            run += 1
        longest = max(longest, run)
    return longest


def first_working_day(year: int, month: int, days: frozenset[int] | WorkCalendar) -> date:
    """The month's first working day (the 1st, or the first working day after it), by
    weekdays alone or by a calendar with its days off (1 Jan 2027, a Friday holiday: Mon 4)."""
    day = date(year, month, 1)
    for _ in range(_MAX_DAYS):
        working = (
            days.is_working_day(day) if isinstance(days, WorkCalendar) else day.weekday() in days
        )
        if working:
            return day
        day += timedelta(days=1)
    return date(year, month, 1)  # a guard: a calendar without a working day cannot be loaded


def weekly_run_day(day: date, weekday: int, cal: WorkCalendar) -> date:
    """The day, in ``day``'s week (Monday–Sunday), on which a ritual due weekly on ``weekday``
    runs: that day; if it is a day off (a holiday), the next working day of the week (a Monday holiday's
    digest posts on Tuesday); if none is left, the last working day before it that week; in a
    week without any working day, the day itself (the week is still reported)."""
    week = period_containing("week", day)
    due = week.start + timedelta(days=weekday)
    if cal.holidays.day_off(due) is None:  # a weekend day chosen on purpose stays
        return due
    after = [d for d in week.days() if d > due and cal.is_working_day(d)]
    if after:
        return after[0]
    before = [d for d in week.days() if d < due and cal.is_working_day(d)]
    return before[-1] if before else due


# --------------------------------------------------------------------------------------------
# Nudges: a sweep every 30 minutes; each rep is due at the nudge time of their own day


_SWEEP_ANCHOR = date(2026, 1, 1)  # the day whose UTC offset lines the sweep up with the team


def nudge_time(process: Process) -> time:
    """The local time reps are nudged at: the schedule's, or the default 15:00 when nudges are
    off (`pacer rituals run nudge` still works then)."""
    return process.rituals.nudges or RITUAL_DEFAULT_TIMES[kinds.NUDGE.field]


def _sweep_minute(process: Process) -> int:
    """The minute past the UTC hour (0–29) of the first sweep of each half hour: the team's
    nudge time as a UTC minute, so reps whose offset is a whole or half hour from the team's are
    swept exactly at their nudge time (the offset's minutes do not change with DST)."""
    local = datetime.combine(_SWEEP_ANCHOR, nudge_time(process), process.calendar.tz)
    return local.astimezone(UTC).minute % 30


def nudge_sweep_trigger(process: Process) -> IntervalTrigger:
    """Every 30 minutes on every day, in UTC (no DST, no working days: each rep's own day is
    checked by :func:`nudge_due` when the sweep runs)."""
    anchor = datetime(2020, 1, 1, 0, _sweep_minute(process), tzinfo=UTC)
    return IntervalTrigger(minutes=30, start_date=anchor, timezone=UTC)


def nudge_sweep_key(slot: datetime) -> str:
    """A sweep's period key: its UTC slot, e.g. ``2026-11-26T20:00Z``."""
    return f"{slot.astimezone(UTC):%Y-%m-%dT%H:%M}Z"


def _sweep_slot(process: Process, at: datetime) -> datetime:
    """The latest sweep slot at or before ``at`` (UTC, whole minutes)."""
    utc = at.astimezone(UTC).replace(second=0, microsecond=0)
    back = (utc.minute - _sweep_minute(process)) % 30
    return utc - timedelta(minutes=back)


def nudge_due(cal: WorkCalendar, at: time, now: datetime) -> date | None:
    """The rep's local day if a rep living by ``cal`` (the team's working days and hours in the
    rep's own timezone: rituals.scorecard.rep_calendar) is due a nudge at ``now``: a working day
    of theirs, their local time at or past ``at``, and inside their working hours. None in their
    quiet hours (before the day starts, from its end on, on a day off) or before ``at``."""
    local = cal.local_now(now)
    day, wall = local.date(), local.time().replace(tzinfo=None)
    if not cal.is_working_day(day):
        return None
    if wall < at or wall < cal.day_start or wall >= cal.day_end:
        return None
    return day


def nudge_key(local_day: date, user_id: str) -> str:
    """The period key under which one rep's nudge for one local day is claimed (at most 32
    characters: a longer user ID is replaced by a digest of it)."""
    key = f"{local_day.isoformat()}:{user_id}"
    if len(key) <= _PERIOD_KEY_LEN:
        return key
    digest = hashlib.sha256(user_id.encode()).hexdigest()
    return f"{local_day.isoformat()}:#{digest[: _PERIOD_KEY_LEN - 12]}"


@dataclass(frozen=True)
class _Scheduled:
    kind: str
    trigger: RitualTrigger | IntervalTrigger
    kpis: tuple[str, ...] = ()


def _scheduled(process: Process) -> list[_Scheduled]:
    """Each kind's triggers, in the registry's order, from its ``due`` rule and its field of
    the process's RitualSchedule (None or empty: off)."""
    out: list[_Scheduled] = []
    for kind in kinds.KINDS:
        out += _triggers_of(kind, process)
    return out


def _triggers_of(kind: Kind, process: Process) -> list[_Scheduled]:
    r, cal = process.rituals, process.calendar
    tz, working_days = cal.tz, cal.working_days
    value = getattr(r, kind.field)
    if not value:  # off; contest posts come from contest rows (rituals.contests), not triggers
        return []
    if kind.due == kinds.ON_WORKING_DAYS:
        trigger = RitualTrigger(value, tz, day_of_week=_cron_days(working_days), calendar=cal)
        return [_Scheduled(kind.name, trigger)]
    if kind.due == kinds.ON_ITS_WEEKDAY:
        weekday = getattr(r, f"{kind.field}_day")
        day = WEEKDAY_NAMES[weekday]
        trigger = RitualTrigger(value, tz, day_of_week=day, calendar=cal, weekday=weekday)
        return [_Scheduled(kind.name, trigger)]
    if kind.due == kinds.ON_FIRST_WORKING_DAY:
        trigger = RitualTrigger(value, tz, first_working_day=True, calendar=cal)
        return [_Scheduled(kind.name, trigger)]
    if kind.due == kinds.AT_EACH_SLOT:
        return [
            _Scheduled(
                kind.name,
                RitualTrigger(slot.at, tz, day_of_week=_cron_days(working_days), calendar=cal),
                slot.kpis,
            )
            for slot in value
        ]
    if kind.due == kinds.EVERY_HALF_HOUR:
        return [_Scheduled(kind.name, nudge_sweep_trigger(process))]
    return []  # WHILE_A_CONTEST_RUNS


def triggers(
    process: Process,
) -> list[tuple[str, RitualTrigger | IntervalTrigger, tuple[str, ...]]]:
    """(kind, trigger, KPIs) for every ritual the process schedules, in the registry's order:
    daily, weekly, monthly, leaderboards by time, nudge, lag-check, coaching. A ritual that is
    off has none. Each trigger is a CronTrigger in the team's timezone (see RitualTrigger),
    except the nudge sweep's, an IntervalTrigger in UTC; all are for APScheduler's add_job()."""
    return [(s.kind, s.trigger, s.kpis) for s in _scheduled(process)]


# --------------------------------------------------------------------------------------------
# Occurrences


def _aware(instant: datetime, name: str) -> None:
    if not isinstance(instant, datetime) or instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {instant!r}")


def period_key(kind: str, local_day: date, at: time | None = None) -> str:
    """The key of the run of ``kind`` (a kind's name) made on ``local_day`` (a leaderboard: at
    ``at``), by the kind's ``period`` rule (rituals/kinds.py)."""
    found = kinds.kind_for(kind)
    if found is None or found.name != kind:
        raise ValueError(f"unknown ritual {kind!r}: use one of {', '.join(RITUAL_KINDS)}")
    if found.period == kinds.THE_DAY:
        return local_day.isoformat()
    if found.period == kinds.THE_WEEK_BEFORE:
        year, week, _ = (local_day - timedelta(days=7)).isocalendar()
        return f"{year}-W{week:02d}"
    if found.period == kinds.THE_MONTH_BEFORE:
        last = local_day.replace(day=1) - timedelta(days=1)
        return f"{last.year}-{last.month:02d}"
    if found.period == kinds.THE_SLOT:
        if at is None:
            raise ValueError("a leaderboard's period key needs its time")
        return f"{local_day.isoformat()}T{at:%H:%M}"
    if found.period == kinds.THE_SWEEP:
        raise ValueError("a nudge sweep is keyed by its UTC slot: nudge_sweep_key()")
    raise ValueError(f"a {kind} run is keyed by its contest: rituals.contests")


def _occurrence(s: _Scheduled, fire: datetime) -> Occurrence:
    if s.kind == kinds.NUDGE.name:
        return Occurrence(s.kind, fire.astimezone(UTC), nudge_sweep_key(fire))
    local_day = fire.astimezone(s.trigger.timezone).date()
    return Occurrence(
        s.kind, fire.astimezone(UTC), period_key(s.kind, local_day, s.trigger.at), s.kpis
    )


def _sort_key(o: Occurrence) -> tuple:
    return (o.due_at, RITUAL_KINDS.index(o.kind), o.period_key, o.kpis)


def next_occurrences(process: Process, after: datetime, until: datetime) -> list[Occurrence]:
    """Every scheduled run due in (after, until], sorted by due time (then by kind)."""
    _aware(after, "after")
    _aware(until, "until")
    after, until = after.astimezone(UTC), until.astimezone(UTC)
    out: list[Occurrence] = []
    for s in _scheduled(process):
        fire = s.trigger.get_next_fire_time(None, after + _TICK)
        while fire is not None and fire.astimezone(UTC) <= until:
            out.append(_occurrence(s, fire))
            fire = s.trigger.get_next_fire_time(fire, fire)
    return sorted(out, key=_sort_key)


def occurrence_at(process: Process, kind: str, at: datetime) -> Occurrence:
    """The run of ``kind`` for the instant ``at`` (`pacer rituals run KIND --at ISO`, and what the
    clock calls when a trigger fires), due at ``at`` itself; the ritual need not be scheduled.

    daily: ``at``'s local day. weekly: the ISO week before ``at``'s week. monthly: the
    month before ``at``'s month. leaderboard: the team's latest leaderboard slot due by ``at``
    that local day (so a manual run at 12:05 is the 12:00 leaderboard, posted once), else one
    keyed by ``at``'s own local time ranking every scheduled leaderboard KPI. nudge: the latest
    sweep slot at or before ``at`` (a manual run at 15:07 is the 15:00 sweep; each rep is nudged
    once per local day whatever runs)."""
    kind = ritual_kind(kind)
    _aware(at, "at")
    tz = process.calendar.tz
    local = at.astimezone(tz)
    day = local.date()
    due = at.astimezone(UTC)  # compared in UTC: a shared tzinfo would compare wall times
    if kind == kinds.NUDGE.name:
        return Occurrence(kind, due, nudge_sweep_key(_sweep_slot(process, due)))
    if kind != kinds.LEADERBOARD.name:
        return Occurrence(kind, due, period_key(kind, day))
    slots = process.rituals.leaderboards
    best = None
    for slot in slots:
        # When the slot fires that day, as an instant (the same normalisation as the trigger).
        slot_instant = datetime.combine(day, slot.at, tzinfo=tz).astimezone(UTC)
        if slot_instant <= due and (best is None or slot_instant >= best[0]):
            best = (slot_instant, slot)
    if best is not None:
        return Occurrence(kind, due, period_key(kind, day, best[1].at), best[1].kpis)
    kpis = tuple(dict.fromkeys(k for slot in slots for k in slot.kpis))
    return Occurrence(kind, due, period_key(kind, day, time(local.hour, local.minute)), kpis)


def missed(
    process: Process, last_check: datetime, now: datetime
) -> tuple[list[Occurrence], list[Occurrence]]:
    """The runs due in (last_check, now], split in two: those to run now (due at most
    GRACE[kind] ago: run late, once) and those to skip with a log line (too late, or a
    leaderboard superseded by a later one also being run that ranks the same KPIs).

    Nudge sweeps are the exception: of those within their grace only the latest runs, and a
    missed sweep is neither run nor skipped — it is simply not owed, because the next sweep
    nudges whoever is still due (so a clock down for a day does not record 48 skipped sweeps)."""
    due = next_occurrences(process, last_check, now)
    now = now.astimezone(UTC)
    late = [o for o in due if now - o.due_at <= GRACE[o.kind]]
    nudge, leaderboard = kinds.NUDGE.name, kinds.LEADERBOARD.name
    too_late = [o for o in due if now - o.due_at > GRACE[o.kind] and o.kind != nudge]
    run: list[Occurrence] = []
    for i, o in enumerate(late):
        if o.kind == nudge:
            if not any(later.kind == nudge for later in late[i + 1 :]):
                run.append(o)
            continue
        superseded = o.kind == leaderboard and any(
            later.kind == leaderboard and later.due_at > o.due_at and set(o.kpis) <= set(later.kpis)
            for later in late[i + 1 :]
        )
        (too_late if superseded else run).append(o)
    return run, sorted(too_late, key=_sort_key)
