"""Running one ritual for one team: claim it (exactly once), build it from the numbers, post it,
record it. The clock, `pacer rituals run` and the demo all come through here."""

import logging
from dataclasses import dataclass
from datetime import datetime

from bot import digest_messages
from bot.app import Services
from bot.delivery import ChannelPacer, Part, Progress, deliver
from bot.people import display_names
from rituals import runs
from rituals.digests import daily_digest, leaderboard, monthly_digest, weekly_digest
from rituals.pacing import period_containing
from rituals.process import Process
from rituals.schedule import Occurrence
from rituals.teams import team_process
from storage import queries, team_queries
from storage.models import Member, SalesTeam

log = logging.getLogger("pacer.rituals")


@dataclass
class Outcome:
    status: str  # posted | done-already | skipped | failed | claim-lost
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
    with services.session() as session:
        team = queries.get_team(session, team_id)
        process, _ = team_process(session, team.id)
        claim = dict(
            workspace_id=team.workspace_id, team_id=team.id, occurrence=occurrence, now=now
        )
        if occurrence.kind != "nudge" and not team.channel_id:
            runs.skip(
                session,
                **claim,
                reason="the team has no channel: a manager sets it with /pacer channel #sales",
            )
            return _logged(team, occurrence, Outcome("skipped", "no channel"))
        run = runs.claim(session, **claim, owner=owner)
        if run is None:
            return _logged(team, occurrence, Outcome("done-already"))
        try:
            members = queries.active_members(session, team.id)
            if occurrence.kind == "nudge":
                sent = _nudge(services, session, run, team, process, members, now, pacer)
                runs.finish(session, run, now)
                return _logged(team, occurrence, Outcome("posted", f"{sent} reminders"))
            parts = build_parts(services, session, team, process, members, occurrence, now)

            def record(progress: Progress) -> None:
                runs.progress(
                    session,
                    run,
                    parts_done=progress.parts_done,
                    channel_id=team.channel_id,
                    message_ts=progress.message_ts,
                )

            deliver(
                services.ritual_client,
                pacer,
                team.channel_id,
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
        except Exception as error:  # recorded and retried on the next tick; never lost silently
            session.rollback()
            log.exception(
                "ritual %s %s for team %s failed", occurrence.kind, occurrence.period_key, team.id
            )
            runs.fail(session, run, f"{type(error).__name__}: {error}", now)
            return _logged(team, occurrence, Outcome("failed", f"{type(error).__name__}: {error}"))


def _logged(team: SalesTeam, occurrence: Occurrence, outcome: Outcome) -> Outcome:
    log.info(
        "ritual=%s period=%s team=%s outcome=%s",
        occurrence.kind,
        occurrence.period_key,
        team.id,
        outcome,
    )
    return outcome


def build_parts(
    services, session, team, process: Process, members: list[Member], occurrence, now
) -> list[Part]:
    kind, workspace_id = occurrence.kind, team.workspace_id
    rep_ids = [m.user_id for m in members if m.role]
    names = display_names(services, workspace_id, rep_ids, now)
    if kind == "daily":
        digest = daily_digest(session, workspace_id, team.id, process, members, now)
        return digest_messages.daily_parts(digest, process, names, team.name)
    if kind == "weekly":
        digest = weekly_digest(session, workspace_id, team.id, process, members, now)
        return digest_messages.weekly_parts(digest, process, names, team.name)
    if kind == "monthly":
        digest = monthly_digest(session, workspace_id, team.id, process, members, now)
        return digest_messages.monthly_parts(digest, process, names, team.name)
    if kind == "leaderboard":
        day = period_containing("day", process.calendar.local_date(now))
        parts: list[Part] = []
        for kpi in occurrence.kpis or (None,):
            if kpi is not None and not process.has_kpi(kpi):
                continue
            board = leaderboard(session, workspace_id, process, members, kpi, day, now)
            parts += digest_messages.leaderboard_parts(board, names, team.name)
        # One channel message per run: the first board's top; the rest go in its thread.
        return parts
    raise ValueError(f"unknown ritual {kind!r}")


def _nudge(services, session, run, team, process, members, now, pacer) -> int:
    """A private reminder to each rep (who wants them) with nothing logged today. Progress is
    recorded before each message: a crash can cost one reminder, never send one twice."""
    reps = sorted(
        (m for m in members if m.role and process.has_role(m.role)), key=lambda m: m.user_id
    )
    today = process.calendar.local_date(now)
    logged = team_queries.reps_with_logs_on(
        session, team.workspace_id, [m.user_id for m in reps], today
    )
    sent = 0
    for index in range(run.parts_done or 0, len(reps)):
        rep = reps[index]
        runs.progress(session, run, parts_done=index + 1)
        if not rep.nudges or rep.user_id in logged:
            continue
        pacer.wait(rep.user_id)
        services.ritual_client.chat_postMessage(
            channel=rep.user_id,
            text=(
                "Nothing logged today yet. Log what you've done with `/log call 12` (any of your KPIs); "
                "`/scorecard` shows where you stand. Turn these reminders off with `/pacer nudges off`."
            ),
        )
        sent += 1
    return sent
