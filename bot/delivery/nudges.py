"""Nudges: a private reminder to a rep who has logged nothing today, at the nudge time of the
rep's own day, never in their quiet hours, at most once per local day.

The rule (rituals/schedule.py has it in full, with the reasons):

- the nudge ritual is a sweep that runs every 30 minutes on every day (the clock's
  ``nudge`` job, a late sweep caught up by the clock's tick, or ``pacer rituals run nudge``);
- each sweep (:func:`nudge`) looks at every active rep of the team who wants nudges
  (``member.nudges``; ``/pacer nudges off`` opts out) in the rep's own timezone — Slack's, cached
  in ``user_profile.tz`` and refreshed when a day old; the team's when unknown — with the team's
  working days and hours (:func:`rituals.scorecard.rep_calendar`);
- a rep is due when, at the moment of the sweep, it is a working day of theirs, their local
  time has reached the nudge time (``rituals.nudges``, default 15:00) and is inside the working
  hours (:func:`rituals.schedule.nudge_due`), nothing is logged on their local day, and they
  are not away that day (``/away``: storage.time_off_queries.days_away);
- before the message is sent, the nudge is claimed as a ``ritual_run`` row (team, ``nudge``,
  ``2026-11-26:U0123ABCD``) that can be claimed once only: restarts, two clocks, a late or
  repeated sweep and manual runs never nudge a rep twice for one day, and a crash between the
  claim and the message costs that one reminder rather than sending two.
"""

import logging
from datetime import UTC, date, datetime, time

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.delivery.posting import ChannelPacer
from bot.examples import example_log
from bot.people import fresh_profiles
from bot.services import Services
from rituals import dates, rep_days, runs
from rituals.availability import EVERY_DAY, RepDays
from rituals.kinds import NUDGE
from rituals.pacing import WorkCalendar, period_containing
from rituals.process import Process
from rituals.rep_goals import period_goal
from rituals.schedule import Occurrence, nudge_due, nudge_key, nudge_time
from rituals.scorecard import rep_calendar
from storage import log_queries, time_off_queries
from storage.models import Member, RitualRun, SalesTeam
from storage.unit_of_work import Session

log = logging.getLogger("pacer.rituals")


def nudge(
    services: Services,
    session: Session,
    run: RitualRun,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
    now: datetime,
    pacer: ChannelPacer,
) -> int:
    """One sweep: nudge every rep due at ``now`` (see the module notes); the number sent.
    The ``nudge`` ritual's delivery (bot/ritual_deliveries.py), called by
    bot.delivery.runner.run_ritual with its claimed run; ``session`` reads, and each step that
    must hold before a message (the claim of a rep's nudge) is a unit of work of its own."""
    workspace_id, team_id = team.workspace_id, team.id
    owner = run.claimed_by or runs.process_identity()
    at = nudge_time(process)
    clients = services.sending_clients(session, workspace_id)  # the team's workspace's token
    due, claimed = _due(services, session, team, process, members, now)
    by_id = {m.user_id: m for m in members}
    keys = {user_id: nudge_key(day, user_id) for user_id, (_, _, day) in due.items()}
    sent = 0
    for index, (user_id, (role, cal, day)) in enumerate(sorted(due.items())):
        if keys[user_id] in claimed:
            continue
        due_at = datetime.combine(day, max(at, cal.day_start), cal.tz).astimezone(UTC)
        # The sweep's heartbeat and fence (a sweep another clock took over stops here), then
        # this rep's nudge claimed: both durable before the message is sent.
        with services.unit_of_work() as step:
            runs.progress(step, run, parts_done=index + 1, now=services.clock())
            claim = runs.claim(
                step,
                workspace_id=workspace_id,
                team_id=team_id,
                occurrence=Occurrence(NUDGE.name, due_at, keys[user_id]),
                now=now,
                owner=owner,
                max_attempts=1,  # never claimed again, even after a crash: one reminder at most
            )
        if claim is None:
            continue  # nudged already for this day
        days = rep_days.days_of(by_id[user_id], process.role(role))
        message = nudge_message(process, role, user_id, cal, day, at, days)
        try:
            pacer.wait(user_id)
            clients.ritual_client.chat_postMessage(
                channel=user_id, text=message["text"], blocks=message["blocks"]
            )
        except Exception as error:
            with services.unit_of_work() as step:
                runs.fail(step, claim, _reason(error), now)
            if not isinstance(error, SlackApiError):
                raise  # the sweep fails and is retried; this rep's nudge is not sent twice
            log.warning("nudge to %s failed: %s", user_id, _reason(error))
            continue
        with services.unit_of_work() as step:
            runs.finish(step, claim, now)
        sent += 1
    return sent


def anyone_due(
    services: Services,
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
    now: datetime,
) -> bool:
    """Whether this sweep would nudge anyone: checked (reads only) before the sweep is claimed,
    so the 48 sweeps a day of a team with nobody due write no ``ritual_run`` row at all."""
    due, claimed = _due(services, session, team, process, members, now)
    return any(nudge_key(day, user_id) not in claimed for user_id, (_, _, day) in due.items())


def _due(
    services: Services,
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    now: datetime,
) -> tuple[dict[str, tuple[str, WorkCalendar, date]], set[str]]:
    """The reps due a nudge at ``now`` (user id -> (role, calendar, their day)): past the nudge
    time of a working day of theirs, nothing logged that day, not away; and which of their
    nudge keys are claimed already. A handful of reads, no writes."""
    workspace_id = team.workspace_id
    at = nudge_time(process)
    reps = sorted(
        (m.user_id, m.role)
        for m in members
        if m.active and m.nudges and m.role and process.has_role(m.role)
    )
    if not reps:
        return {}, set()
    zones = rep_timezones(services, workspace_id, [user_id for user_id, _ in reps], now)
    due: dict[str, tuple[str, WorkCalendar, date]] = {}
    for user_id, role in reps:
        cal = rep_calendar(process, zones.get(user_id))
        day = nudge_due(cal, at, now)
        if day is not None:
            due[user_id] = (role, cal, day)
    for day in sorted({day for _, _, day in due.values()}):
        ids = [user_id for user_id, (_, _, d) in due.items() if d == day]
        done = set(log_queries.reps_with_logs_on(session, workspace_id, ids, day))
        # A rep away that day (/away) has nothing to log: no reminder either.
        done |= set(time_off_queries.days_away(session, workspace_id, ids, day, day))
        for user_id in done:
            due.pop(user_id, None)
    if not due:
        return {}, set()
    keys = [nudge_key(day, user_id) for user_id, (_, _, day) in due.items()]
    # Nudged already (or being): one query, so a sweep through a big team's afternoon costs
    # nothing per rep already nudged.
    return due, runs.claimed_keys(session, team.id, NUDGE.name, keys)


def rep_timezones(
    services: Services, workspace_id: int, user_ids: list[str], now: datetime
) -> dict[str, str | None]:
    """Each person's IANA timezone from Slack (cached; fetched when missing or a day old), or
    None when Slack can't tell (their team's timezone applies)."""
    cached = fresh_profiles(services, workspace_id, user_ids, now)
    return {u: cached[u].tz if u in cached else None for u in user_ids}


def nudge_message(
    process: Process,
    role: str,
    user_id: str,
    cal: WorkCalendar,
    day: date,
    at: time,
    days: RepDays = EVERY_DAY,
) -> dict:
    """The reminder: nothing logged today, today's goals for the leading KPIs (a new hire's at
    their ramp), how to log (an example from the rep's own scorecard), and how to turn reminders
    off."""
    period = period_containing("day", day)
    goals, longer = [], []
    for key in process.role(role).scorecard:
        kpi, timeline = process.kpi(key), process.goal_timeline(role, key, user_id)
        goal = timeline.on(day)
        if kpi.kind != "leading" or goal is None:
            continue
        if goal.per == "day":
            today = period_goal(timeline, period, cal, days) or 0
            goals.append((kpi.name, messages.figure(today, goal.decimals)))
        else:  # a weekly or monthly goal has no share of a day to show (rituals/scales.py)
            longer.append((kpi.name, messages.figure(goal.amount, goal.decimals), goal.per))
    example = example_log(process, role)
    day_label = f"{dates.short(day)}"
    body = messages.render(
        "nudge.md.j2",
        day=day_label,
        goals=goals,
        longer=longer,
        example=example,
        at=f"{max(at, cal.day_start):%H:%M}",
        tz=cal.tz.key,
    )
    fallback = (
        f"Nothing logged today ({day_label}) yet. Log what you've done, e.g. /log {example}; "
        "/scorecard shows where you stand."
    )
    return messages.message(fallback, messages.section(body))


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"Slack answered {error.response.get('error', error.response.status_code)}"
    return f"{type(error).__name__}: {error}"
