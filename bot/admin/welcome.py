"""The first-run message: when someone joins a team as a rep, Pacer tells them privately what
their scorecard is (their role's 3 leading + 1 lagging KPIs with goals, in words), how to log
(an example from their own KPIs), where the team's rituals post, and where help is.

Sent once per person per team. The send is claimed first as a ``ritual_run`` row (team,
``welcome``, user ID) that can be claimed only once, so a retried request, two paths adding the
same person (`/pacer team add`, the settings modal), a role change or adding them back after a
removal never send a second welcome; a crash between the claim and the message costs the
welcome rather than sending it twice. People added without a role (managers) get none."""

import logging
from collections.abc import Callable
from datetime import date

from bot import messages
from bot.examples import article, example_log, log_words
from bot.services import Services
from rituals import runs
from rituals.process import Goal, Process
from rituals.schedule import Occurrence, nudge_time
from storage.models import Member, SalesTeam

log = logging.getLogger("pacer.welcome")

KIND = "welcome"  # the ritual_run kind that records a welcome sent
PER_WORDS = {"day": "a day", "week": "a week", "month": "a month"}


def welcome_job(
    services: Services, workspace_id: int, team: SalesTeam, member: Member, process: Process
) -> Callable[[], None]:
    """A job to run after the acknowledgement (``cmd.follow_ups.append(...)``): the welcome DM
    to ``member`` for joining ``team`` under ``process``, unless they were welcomed to this team
    before. Values are read now, so the job does not depend on the request's session."""
    team_id, team_name, channel_id = team.id, team.name, team.channel_id
    user_id, role = member.user_id, member.role

    def job() -> None:
        if not role or not process.has_role(role):
            return  # no scorecard, nothing to explain
        now = services.clock()
        with services.unit_of_work() as session:  # the claim, durable before the message
            clients = services.clients_of(session, workspace_id)  # the team's workspace's token
            if clients is None:
                return  # not installed there (any more): no welcome, and none claimed
            claim = runs.claim(
                session,
                workspace_id=workspace_id,
                team_id=team_id,
                occurrence=Occurrence(KIND, now, user_id[:32]),
                now=now,
                owner=runs.process_identity(),
                max_attempts=1,  # once, ever, per person and team
            )
        if claim is None:
            return
        today = process.calendar.local_date(now)
        message = welcome_message(process, team_name, channel_id, user_id, role, today)
        try:
            # The ritual client retries only 429s: a 5xx may have posted, and a welcome
            # must never arrive twice.
            clients.ritual_client.chat_postMessage(
                channel=user_id, text=message["text"], blocks=message["blocks"]
            )
        except Exception as error:
            with services.unit_of_work() as session:
                runs.fail(session, claim, f"{type(error).__name__}: {error}", now)
            log.warning("welcome to %s failed: %s", user_id, error)
            return
        with services.unit_of_work() as session:
            runs.finish(session, claim, now)

    return job


def goal_words(goal: Goal | None) -> str:
    """60/day → "60 a day"; None → ""."""
    if goal is None:
        return ""
    return f"{messages.number(goal.amount)} {PER_WORDS.get(goal.per, 'per ' + goal.per)}"


def _rituals_in_words(process: Process) -> str:
    r = process.rituals
    parts = []
    if r.daily is not None:
        parts.append(f"a daily digest at {r.daily:%H:%M}")
    if r.weekly is not None:
        day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        parts.append(f"a weekly digest on {day[r.weekly_day]}s at {r.weekly:%H:%M}")
    if r.monthly is not None:
        parts.append("a monthly one on the month's first working day")
    if r.leaderboards:
        times = [f"{slot.at:%H:%M}" for slot in r.leaderboards]
        joined = times[0] if len(times) == 1 else ", ".join(times[:-1]) + " and " + times[-1]
        parts.append(f"leaderboards at {joined}")
    parts.append("contest standings while a contest runs")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def welcome_message(
    process: Process,
    team_name: str,
    channel_id: str | None,
    user_id: str,
    role_key: str,
    today: date | None = None,
) -> dict:
    """The welcome DM; ``today``: the goals are the ones in force that day (None: the newest)."""
    role = process.role(role_key)
    words = log_words(process)[role_key]
    lines = []
    for key in role.scorecard:
        kpi = process.kpi(key)
        goal = process.goal_for(role_key, key, user_id, on=today)
        recorder = None
        if kpi.recorded_by and kpi.recorded_by != role_key and process.has_role(kpi.recorded_by):
            name = process.role(kpi.recorded_by).name
            recorder = f"{article(name)} {name} (or your manager)"
        lines.append(
            {
                "name": kpi.name,
                "kind": kpi.kind,
                "goal": goal_words(goal),
                "own": goal is not None and goal != process.goal_for(role_key, key, on=today),
                "recorded_by": recorder,
            }
        )
    own = [
        k for k in role.scorecard if process.kpi(k).recorded_by in (None, "", role_key)
    ]  # the KPIs they log themselves
    example = example_log(process, role_key)
    multi = " ".join(f"{words[k]} {n}" for k, n in zip(own[:2], (12, 3), strict=False))
    nudge_at = f"{nudge_time(process):%H:%M}" if process.rituals.nudges is not None else None
    body = messages.render(
        "welcome.md.j2",
        team_name=team_name,
        role_name=role.name,
        lines=lines,
        on_pace=messages.percent(process.thresholds.on_pace),
        at_risk=messages.percent(process.thresholds.at_risk),
        example=example,
        multi=multi or example,
        words=[words[k] for k in own],
        backdate_days=process.backdate_days,
        channel_id=channel_id,
        tz=process.timezone,
        rituals=_rituals_in_words(process),
        nudge_at=nudge_at,
    )
    goals = "; ".join(
        f"{line['name']} {line['goal']}" for line in lines if line["goal"]
    )  # "Calls / Emails 60 a day; …"
    fallback = (
        f"Welcome to {messages.escape(team_name)} in Pacer: you're on the team as "
        f"{messages.escape(role.name)}. Your goals: {messages.escape(goals) or 'none set yet'}. "
        f"Log with /log {example}; /scorecard shows where you stand; /pacer help lists everything."
    )
    return messages.message(fallback, messages.section(body))
