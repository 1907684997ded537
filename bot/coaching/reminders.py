"""The "coaching" ritual: each manager hears privately which of the team's reps are due a
coaching session (none in ``process.rituals.coaching_every_days`` days, or, never coached, that
long since they joined), and how to start one. Also the cadence shown in the weekly digest."""

from datetime import datetime

from bot import messages
from bot.delivery.posting import send_privately
from rituals.coaching import CadenceLine, coaching_cadence
from rituals.process import Process
from rituals.tenure import on_team
from storage.models import Member, SalesTeam

DIGEST_WEEKS = 4  # the weekly digest counts sessions over the last four weeks


def remind(services, session, run, team, process, members, occurrence, now, pacer) -> int:
    """One private message to each manager of the team when any rep is overdue (none when
    nobody is). Progress is recorded on the run before each message, as ``bot.delivery.nudges`` does: a
    crash may lose one reminder, never send two. Returns the messages sent."""
    lines = coaching_cadence(session, team.workspace_id, process, members, now, DIGEST_WEEKS)
    overdue = [line for line in lines if line.overdue]
    managers = sorted({m.user_id for m in members if m.active and m.is_manager})

    def message_for(manager: str) -> dict | None:
        mine = [line for line in overdue if line.rep_id != manager]  # never "coach yourself"
        return reminder_message(team, process, mine) if mine else None

    return send_privately(services, session, run, pacer, [(m, m) for m in managers], message_for)


def reminder_message(team: SalesTeam, process: Process, lines: list[CadenceLine]) -> dict:
    body = messages.render(
        "coach_reminder.md.j2",
        team_name=team.name,
        every_days=process.rituals.coaching_every_days,
        lines=lines,
    )
    fallback = (
        f"Coaching check-in: {len(lines)} of your reps are due a session "
        f"(none in {process.rituals.coaching_every_days} days)"
    )
    return messages.message(fallback, messages.section(body))


def digest_cadence(
    session, team: SalesTeam, process: Process, members: list[Member], as_of: datetime
) -> list[CadenceLine] | None:
    """The coaching cadence per rep for the weekly digest's thread, or None to leave it out:
    when the team keeps scorecards to managers (the thread is in the team's channel), or when
    the team neither has coaching reminders on nor has ever had a session."""
    if process.visibility != "public":
        return None
    # Who is on the team now: a rep reported for last week who has left since is due no session.
    today = process.calendar.local_date(as_of)
    members = [m for m in members if on_team(m, today)]
    lines = coaching_cadence(session, team.workspace_id, process, members, as_of, DIGEST_WEEKS)
    if process.rituals.coaching is None and not any(line.last_at for line in lines):
        return None
    return lines
