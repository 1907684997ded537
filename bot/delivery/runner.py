"""Running one ritual for one team: claim it (exactly once), build it from the numbers as of the
moment it was due, post it, record it. The clock, `pacer rituals run` and the demo all come
through here."""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.delivery import digests as digest_messages
from bot.delivery.posting import ChannelPacer, Part, Progress, deliver
from bot.people import display_names
from bot.services import Services
from rituals import runs
from rituals.digests import daily_digest, leaderboard, monthly_digest, weekly_digest
from rituals.pacing import period_containing, previous_period
from rituals.process import Process
from rituals.schedule import Occurrence
from rituals.teams import managers_of, process_in_effect, team_process
from storage import log_queries, people_queries
from storage.models import Member, SalesTeam

log = logging.getLogger("pacer.rituals")

ATTEMPTS = 10  # with the backoff below, about 2.5 hours of retries: inside the daily digest's grace
# Errors that trying again will not fix: the run is given up and the team's managers are told.
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "account_inactive",
    "missing_scope",
    "token_revoked",
}


def backoff(attempts: int) -> timedelta:
    """How long a failed run rests before its next try: 1, 2, 4 … minutes, at most 30."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 30))


@dataclass
class Outcome:
    status: str  # posted | waiting | settled | failed | gave-up | claim-lost
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}" if self.detail else self.status


def run_ritual(
    services: Services,
    team_id: int,
    occurrence: Occurrence,
    now: datetime,
    *,
    pacer: ChannelPacer,
    owner: str,
) -> Outcome:
    with services.unit_of_work() as session:
        team = people_queries.get_team(session, team_id)
        process, _ = team_process(session, team.id)
        if occurrence.kind not in PRIVATE and not team.channel_id:
            # Not claimed: if a manager sets the channel within the grace window it still posts;
            # after that the clock records it as skipped.
            return _logged(
                team, occurrence, Outcome("waiting", "no channel yet: /pacer channel #sales")
            )
        run = runs.claim(
            session,
            workspace_id=team.workspace_id,
            team_id=team.id,
            occurrence=occurrence,
            now=now,
            owner=owner,
            max_attempts=ATTEMPTS,
            backoff=backoff,
        )
        if run is None:
            return _logged(team, occurrence, settled(session, team, occurrence))
        channel = run.channel_id if run.message_ts else team.channel_id  # a resumed run stays put
        try:
            members = people_queries.active_members(session, team.id)
            if occurrence.kind in PRIVATE:
                send = _private_ritual(occurrence.kind)
                sent = send(services, session, run, team, process, members, occurrence, now, pacer)
                runs.finish(session, run, now)
                return _logged(team, occurrence, Outcome("posted", f"{sent} private messages"))
            parts = build_parts(services, session, team, process, members, occurrence)

            def record(progress: Progress) -> None:
                runs.progress(
                    session,
                    run,
                    parts_done=progress.parts_done,
                    channel_id=channel,
                    message_ts=progress.message_ts,
                    now=services.clock(),  # the heartbeat of a slow but living run
                )

            deliver(
                services.ritual_client,
                pacer,
                channel,
                parts,
                f"{team.id}:{occurrence.kind}:{occurrence.period_key}",
                Progress(run.parts_done or 0, run.message_ts),
                record,
                may_have_posted=(run.attempts or 1) > 1,
            )
            runs.finish(session, run, now)
            return _logged(team, occurrence, Outcome("posted", f"{len(parts)} posts"))
        except runs.ClaimLost:
            return _logged(
                team, occurrence, Outcome("claim-lost", "another clock took this run over")
            )
        except Exception as error:  # recorded and retried on a later tick; never lost silently
            session.rollback()
            reason = _reason(error)
            log.exception(
                "ritual %s %s for team %s failed: %s",
                occurrence.kind,
                occurrence.period_key,
                team.id,
                reason,
            )
            runs.fail(session, run, reason, now)
            if _permanent(error) or (run.attempts or 1) >= ATTEMPTS:
                runs.skip(
                    session,
                    workspace_id=team.workspace_id,
                    team_id=team.id,
                    occurrence=occurrence,
                    reason=f"gave up: {reason}",
                    now=now,
                )
                _tell_managers(services, session, team, occurrence, reason)
                return _logged(team, occurrence, Outcome("gave-up", reason))
            return _logged(team, occurrence, Outcome("failed", reason))


# Rituals that send private messages (no channel post): each sends its messages one by one,
# recording progress on the run before each, and returns how many it sent.
PRIVATE = ("nudge", "lag-check", "coaching")


def _private_ritual(kind: str):
    if kind == "lag-check":
        from bot.contests.lag_suggestions import run_lag_check

        return run_lag_check
    if kind == "coaching":
        from bot.coaching.reminders import remind

        return remind
    from bot.delivery.nudges import (
        nudge,  # per person, in each rep's own timezone: see bot/delivery/nudges.py
    )

    return nudge


def settled(session, team: SalesTeam, occurrence: Occurrence) -> Outcome:
    """Why a run was not claimed: done, skipped, resting after a failure, or running elsewhere."""
    row = runs.get_run(session, team.id, occurrence.kind, occurrence.period_key)
    if row is None:
        return Outcome("settled", "not found")
    detail = row.status + (f" ({row.error})" if row.error and row.status != runs.POSTED else "")
    return Outcome("settled", detail)


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"Slack answered {error.response.get('error', error.response.status_code)}"
    return f"{type(error).__name__}: {error}"


def _permanent(error: Exception) -> bool:
    return isinstance(error, SlackApiError) and error.response.get("error") in PERMANENT


def _tell_managers(
    services: Services, session, team: SalesTeam, occurrence: Occurrence, reason: str
) -> None:
    """A ritual Pacer gave up on is never lost silently: the team's managers hear why."""
    where = f"<#{team.channel_id}>" if team.channel_id else "the team's channel"
    text = (
        f"Pacer could not post the {occurrence.kind} ritual ({occurrence.period_key}) in {where}: {reason}. "
        "If Pacer isn't in that channel, invite it (`/invite @Pacer`) or choose another with `/pacer channel`; "
        f"then `pacer rituals run {occurrence.kind}` posts it."
    )
    note = messages.message(text, messages.section(text))
    for manager in managers_of(session, team.id):
        try:
            services.ritual_client.chat_postMessage(
                channel=manager, text=note["text"], blocks=note["blocks"]
            )
        except SlackApiError:
            log.warning("could not tell manager %s about a failed ritual", manager)


def _logged(team: SalesTeam, occurrence: Occurrence, outcome: Outcome) -> Outcome:
    log.info(
        "ritual=%s period=%s team=%s outcome=%s",
        occurrence.kind,
        occurrence.period_key,
        team.id,
        outcome,
    )
    return outcome


def _past(
    process: Process, session, team: SalesTeam, members: list[Member], period
) -> tuple[Process, list[Member]]:
    """A finished period is reported with the goals it had and the people who were on the team
    (or who logged in it): a goal changed or a rep added this morning does not rewrite last week."""
    end = datetime.combine(period.end + timedelta(days=1), time(0), process.calendar.tz)
    then = process_in_effect(session, team.id, end)
    active = log_queries.team_totals(
        session, team.workspace_id, [m.user_id for m in members], period.start, period.end
    )
    return then, [m for m in members if m.added_at <= end or m.user_id in active]


def build_parts(
    services, session, team, process: Process, members: list[Member], occurrence: Occurrence
) -> list[Part]:
    """The posts of a ritual, built from the numbers as of the moment it was due (a digest run
    late, or retried after midnight, still reports its own day)."""
    kind, workspace_id, as_of = occurrence.kind, team.workspace_id, occurrence.due_at
    local_day = process.calendar.local_date(as_of)
    current = process
    if kind == "weekly":
        process, members = _past(
            process, session, team, members, previous_period(period_containing("week", local_day))
        )
    if kind == "monthly":
        process, members = _past(
            process, session, team, members, previous_period(period_containing("month", local_day))
        )
    rep_ids = [m.user_id for m in members if m.role]
    names = display_names(services, workspace_id, rep_ids, as_of)
    if kind == "daily":
        digest = daily_digest(session, workspace_id, team.id, process, members, as_of)
        return digest_messages.daily_parts(digest, process, names, team.name)
    if kind == "weekly":
        digest = weekly_digest(
            session, workspace_id, team.id, process, members, as_of, current=current
        )
        from bot.coaching.reminders import digest_cadence

        cadence = digest_cadence(session, team, current, members, as_of)
        return digest_messages.weekly_parts(
            digest,
            process,
            names,
            team.name,
            cadence=cadence,
            coaching_every_days=current.rituals.coaching_every_days,
        )
    if kind == "monthly":
        digest = monthly_digest(session, workspace_id, team.id, process, members, as_of)
        return digest_messages.monthly_parts(digest, process, names, team.name)
    if kind == "leaderboard":
        day = period_containing("day", local_day)
        kpis = [k for k in occurrence.kpis if process.has_kpi(k)] or [None]
        boards = [
            leaderboard(session, workspace_id, process, members, kpi, day, as_of) for kpi in kpis
        ]
        return digest_messages.leaderboards_parts(boards, names, team.name)
    if kind == "standings":
        from bot.contests.messages import contest_parts

        return contest_parts(services, session, team, process, occurrence)
    raise ValueError(f"unknown ritual {kind!r}")
