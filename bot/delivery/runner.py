"""Running one ritual for one team: claim it (exactly once), build it from the numbers as of the
moment it was due, post it, record it. The clock, `pacer rituals run` and the demo all come
through here.

What each kind builds and how it reaches Slack is its delivery (ChannelPosts or
PrivateMessages), looked up by kind in ``services.deliveries``: the registry of
bot/ritual_deliveries.py, handed in by the composition root. So this module imports no feature
(contests, coaching…), and the features can run their posts through it."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.delivery.posting import ChannelPacer, NotInvited, Part, Progress, deliver
from bot.services import NotInstalled, Services, WorkspaceClients
from rituals import runs
from rituals.process import Process
from rituals.schedule import Occurrence
from rituals.teams import managers_of, members_today, team_process
from storage import people_queries
from storage.models import RitualRun, SalesTeam

log = logging.getLogger("pacer.rituals")

NOT_INSTALLED = "no bot token for the team's workspace: Pacer is not installed there"
ATTEMPTS = 10  # with the backoff below, about 2.5 hours of retries: inside the daily digest's grace
# Errors that trying again will not fix: the run is given up and the team's managers are told.
# (A channel Pacer is not in is none of them: it joins a public one, and a private one may invite
# it any minute; see _not_invited.)
PERMANENT = {
    "channel_not_found",
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
    # posted | waiting | nobody-due | paused | not-installed | settled | failed | gave-up |
    # claim-lost
    status: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}" if self.detail else self.status


@dataclass(frozen=True)
class ChannelPosts:
    """The delivery of a ritual posted in the team's channel: ``parts(services, session, team,
    process, members, occurrence)`` builds its posts (the channel message, then its thread) from
    the numbers as of the moment it was due."""

    parts: Callable[..., list[Part]]


@dataclass(frozen=True)
class PrivateMessages:
    """The delivery of a ritual sent as private messages: ``send(services, session, run, team,
    process, members, occurrence, now, pacer)`` sends them one by one, recording progress on
    the run before each in a unit of work of its own (posting.send_privately), and returns how
    many it sent. ``anyone_due(services, session, team, process, members, occurrence, now)``,
    when given, is asked first (reads only): False, and the run is not even claimed (no row)."""

    send: Callable[..., int]
    anyone_due: Callable[..., bool] | None = None


Delivery = ChannelPosts | PrivateMessages


def delivery_of(services: Services, kind: str) -> Delivery:
    """The kind's delivery, from the registry the composition root put in Services."""
    delivery = services.deliveries.get(kind)
    if delivery is None:
        raise LookupError(
            f"no delivery for the {kind!r} ritual: build Services with "
            "deliveries=bot.ritual_deliveries.DELIVERIES (as bot.server.make_services does)"
        )
    return delivery


def run_ritual(
    services: Services,
    team_id: int,
    occurrence: Occurrence,
    now: datetime,
    *,
    pacer: ChannelPacer,
    owner: str,
) -> Outcome:
    """Claim, build, post, record: each step a unit of work of its own, so the claim is durable
    before anything is posted and each post is recorded before the next one."""
    delivery = delivery_of(services, occurrence.kind)
    with services.unit_of_work() as session:  # the claim
        team = people_queries.get_team(session, team_id)
        if team.workspace_id in people_queries.paused_workspaces(session):
            # Uninstalled (bot/install): nothing is claimed, so a reinstall within the grace
            # window still posts it.
            return _logged(team, occurrence, Outcome("paused", "the app is uninstalled"))
        process, _ = team_process(session, team.id)
        if isinstance(delivery, ChannelPosts) and not team.channel_id:
            # Not claimed: if a manager sets the channel within the grace window it still posts;
            # after that the clock records it as skipped.
            return _logged(
                team, occurrence, Outcome("waiting", "no channel yet: /pacer channel #sales")
            )
        if isinstance(delivery, PrivateMessages) and delivery.anyone_due is not None:
            today = process.calendar.local_date(occurrence.due_at)
            members = members_today(session, team.id, today)
            if not delivery.anyone_due(services, session, team, process, members, occurrence, now):
                return Outcome(
                    "nobody-due"
                )  # not claimed, not logged: a quiet sweep leaves no trace
        slack = services.slack_ids(session, team.workspace_id)
        clients = services.clients_for(*slack) if slack else None
        if clients is None:
            # No bot token for the team's workspace (never installed, or its installation is
            # gone): recorded as skipped, never posted with another workspace's token.
            runs.skip(
                session,
                workspace_id=team.workspace_id,
                team_id=team.id,
                occurrence=occurrence,
                reason=NOT_INSTALLED,
                now=now,
            )
            return _logged(team, occurrence, Outcome("not-installed", NOT_INSTALLED))
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
    try:
        if isinstance(delivery, PrivateMessages):
            with services.unit_of_work() as session:  # what the messages say; each one is
                today = process.calendar.local_date(occurrence.due_at)
                members = members_today(session, team.id, today)  # recorded apart
                sent = delivery.send(
                    services, session, run, team, process, members, occurrence, now, pacer
                )
            outcome = Outcome("posted", f"{sent} private messages")
        else:
            posted = _post(
                services, clients, slack, delivery, run, team, process, occurrence, pacer
            )
            outcome = Outcome("posted", f"{posted} posts")
        with services.unit_of_work() as session:  # done, for good
            runs.finish(session, run, now)
        return _logged(team, occurrence, outcome)
    except runs.ClaimLost:
        return _logged(team, occurrence, Outcome("claim-lost", "another clock took this run over"))
    except NotInvited as error:
        return _logged(
            team, occurrence, _not_invited(services, clients, run, team, occurrence, now, error)
        )
    except Exception as error:  # recorded and retried on a later tick; never lost silently
        return _logged(
            team, occurrence, _failed(services, clients, run, team, occurrence, now, error)
        )


def _post(
    services: Services,
    clients: WorkspaceClients,
    slack: tuple[str, str | None],
    delivery: ChannelPosts,
    run: RitualRun,
    team: SalesTeam,
    process: Process,
    occurrence: Occurrence,
    pacer: ChannelPacer,
) -> int:
    """Build the posts (committed first: a contest's result is frozen before it is posted),
    then post what is not posted yet, recording each post in a unit of work of its own."""
    with services.unit_of_work() as session:
        today = process.calendar.local_date(occurrence.due_at)
        members = members_today(session, team.id, today)  # past periods: ritual_data._past
        parts = delivery.parts(services, session, team, process, members, occurrence)
        channel = run.channel_id if run.message_ts else team.channel_id  # a resumed run stays
        # put; and what it may have posted there is newer than the ledger's last post before it
        after = runs.posted_before(session, run, channel) if not run.message_ts else None

    def record(progress: Progress) -> None:
        with services.unit_of_work() as session:
            runs.progress(
                session,
                run,
                parts_done=progress.parts_done,
                channel_id=channel,
                message_ts=progress.message_ts,
                now=services.clock(),  # the heartbeat of a slow but living run
            )

    deliver(
        clients.ritual_client,
        pacer,
        channel,
        parts,
        f"{team.id}:{occurrence.kind}:{occurrence.period_key}",
        Progress(run.parts_done or 0, run.message_ts),
        record,
        may_have_posted=(run.attempts or 1) > 1,
        joined=services.joined_in(*slack),
        posted_after=after,
    )
    return len(parts)


def _not_invited(
    services: Services,
    clients: WorkspaceClients,
    run: RitualRun,
    team: SalesTeam,
    occurrence: Occurrence,
    now: datetime,
    error: NotInvited,
) -> Outcome:
    """A private channel nobody invited Pacer to: the run is retried with backoff like any failure
    (an invitation within its attempts and it lands), and the team's managers are told how to
    invite Pacer once for that channel (the ledger remembers it), not at every ritual."""
    where = f"<#{error.channel}>"
    reason = (
        f"Pacer isn't in {where} and can't join it ({error.error}): "
        f"someone in it must type /invite @Pacer"
    )
    last = (run.attempts or 1) >= ATTEMPTS
    with services.unit_of_work() as session:
        runs.fail(session, run, reason, now)
        if last:
            runs.skip(
                session,
                workspace_id=team.workspace_id,
                team_id=team.id,
                occurrence=occurrence,
                reason=f"gave up: {reason}",
                now=now,
            )
        first_time = runs.note_once(
            session,
            workspace_id=team.workspace_id,
            team_id=team.id,
            kind=runs.INVITE_NOTE,
            key=error.channel,
            now=now,
        )
        managers = managers_of(session, team.id) if first_time else []
    log.warning(
        "ritual %s %s for team %s: %s", occurrence.kind, occurrence.period_key, team.id, reason
    )
    text = (
        f"Pacer can't post the team's rituals in {where}: it's a private channel (or one Pacer "
        f"can't see) and Pacer isn't in it. Type `/invite @Pacer` in {where} and the "
        f"{occurrence.kind} ritual lands there on its next try, as will the ones after it; "
        "or choose another channel with `/pacer channel #channel`."
    )
    _send_notes(clients, managers, text)
    told = "; the team's managers were told how" if first_time else ""
    return Outcome("gave-up" if last else "failed", reason + told)


def _failed(
    services: Services,
    clients: WorkspaceClients,
    run: RitualRun,
    team: SalesTeam,
    occurrence: Occurrence,
    now: datetime,
    error: Exception,
) -> Outcome:
    """Record the failure (retried on a later tick), or give up on a permanent error or the last
    attempt: recorded as skipped, and the team's managers are told."""
    reason = _reason(error)
    log.exception(
        "ritual %s %s for team %s failed: %s",
        occurrence.kind,
        occurrence.period_key,
        team.id,
        reason,
    )
    gave_up = _permanent(error) or (run.attempts or 1) >= ATTEMPTS
    with services.unit_of_work() as session:
        runs.fail(session, run, reason, now)
        if not gave_up:
            return Outcome("failed", reason)
        runs.skip(
            session,
            workspace_id=team.workspace_id,
            team_id=team.id,
            occurrence=occurrence,
            reason=f"gave up: {reason}",
            now=now,
        )
        managers = managers_of(session, team.id)
    _tell_managers(clients, managers, team, occurrence, reason)
    return Outcome("gave-up", reason)


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
    if isinstance(error, NotInstalled):  # its token went away during the run
        return True
    return isinstance(error, SlackApiError) and error.response.get("error") in PERMANENT


def _tell_managers(
    clients: WorkspaceClients,
    managers: list[str],
    team: SalesTeam,
    occurrence: Occurrence,
    reason: str,
) -> None:
    """A ritual Pacer gave up on is never lost silently: the team's managers hear why."""
    where = f"<#{team.channel_id}>" if team.channel_id else "the team's channel"
    text = (
        f"Pacer could not post the {occurrence.kind} ritual ({occurrence.period_key}) in {where}: {reason}. "
        "If Pacer isn't in that channel, invite it (`/invite @Pacer`) or choose another with `/pacer channel`; "
        f"then `pacer rituals run {occurrence.kind}` posts it."
    )
    _send_notes(clients, managers, text)


def _send_notes(clients: WorkspaceClients, managers: list[str], text: str) -> None:
    """A private message to each manager; one that fails is logged, never raised."""
    note = messages.message(text, messages.section(text))
    for manager in managers:
        try:
            clients.ritual_client.chat_postMessage(
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
