"""/coach: coaching sessions grounded in a rep's numbers (issue 4, "Coaching").

`/coach @rep` stores the session (keyed on Slack's trigger_id: a request delivered twice opens
one), answers at once, and after the acknowledgement posts the opening message: in the team's
coaching channel, else in a private conversation of the manager and the rep. Replies in that
thread become notes (bot/coaching/thread_replies.py). `/coach @rep history` lists past
sessions; `/coach` alone shows the manager's reps and how long since each was coached."""

import json
import logging
import re
import uuid
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.buttons import action_done_button, action_item_button, with_actions
from bot.context import Command
from bot.examples import log_words
from bot.parsing import ParseError, parse_mention, quoted
from bot.people import known_profiles, resolve_user
from bot.replies import Problem
from bot.scorecard.message import scorecard_message
from bot.services import Services
from rituals import dates
from rituals.coaching import (
    GAP_THRESHOLD,
    CoachingAgenda,
    PreviousSession,
    agenda_to_dict,
    coaching_agenda,
    coaching_cadence,
    previous_session,
)
from rituals.process import Process
from rituals.scorecard import Scorecard, build_scorecard, period_for, rep_calendar
from rituals.teams import managers_of, members_today, team_process
from rituals.tenure import on_team
from storage import coaching_queries, people_queries
from storage.models import CoachingSession, Member, SalesTeam

log = logging.getLogger("pacer.coaching")

HISTORY_WORDS = ("history", "past", "sessions", "notes")
HISTORY_SHOWN = 15  # sessions in `/coach @rep history`; older ones are counted
CADENCE_WEEKS = 4
FURTHEST_SHOWN = 2  # KPIs named under "Furthest from goal this week"
ACTIONS_SHOWN = 10  # the previous session's open action items in the opening message
REPLY_HINT = (
    "Reply here: every reply is saved as a note; start one with `action:` to make it an "
    "action item."
)
TS = re.compile(r"^\d{6,12}\.\d{1,9}$")


def handle(cmd: Command) -> dict:
    words = cmd.text.split()
    if words and words[0].lower() in ("help", "?"):
        cmd.outcome = "help"
        return help_message(cmd)
    mentions = [m for m in map(parse_mention, words) if m is not None]
    others = [w for w in words if parse_mention(w) is None]
    if len(mentions) > 1:
        raise ParseError("One rep at a time, e.g. `/coach @maria`.")
    history = bool(others) and others[0].lower() in HISTORY_WORDS
    extra = others[1:] if history else others
    if extra:
        word = extra[0]
        if not mentions and not word.startswith("<") and word.lower() not in HISTORY_WORDS:
            wants_history = any(w.lower() in HISTORY_WORDS for w in others)
            example = f"/coach @{word.lstrip('@')}" + (" history" if wants_history else "")
            raise ParseError(
                "Name the rep with @ (pick them from Slack's list as you type @), e.g. "
                f"{quoted(example)}. `/coach help` shows every form."
            )
        raise ParseError(
            f"I don't understand {quoted(word)} here. `/coach @rep` opens a coaching session, "
            "`/coach @rep history` lists past ones, `/coach` shows your reps' cadence."
        )
    if history:
        cmd.outcome = "history"
        return history_message(cmd, resolve_user(cmd, mentions[0]) if mentions else None)
    if not mentions:
        cmd.outcome = "cadence"
        return cadence_message(cmd)
    cmd.outcome = "open"
    return open_session(cmd, resolve_user(cmd, mentions[0]))


# -- who may coach whom -----------------------------------------------------------------------


def _refuse_non_manager(cmd: Command) -> None:
    if not cmd.actor.is_manager:
        raise Problem(
            "Coaching sessions are opened by the team's managers and Pacer admins. Ask your "
            "manager to run `/coach @you`; `/coach history` shows your own past sessions."
        )


def coachable_rep(cmd: Command, rep_id: str, purpose: str) -> tuple[Member, SalesTeam, Process]:
    """The rep, their team and its process, if the person asking may coach them; otherwise a
    refusal that says what is wrong and what would work. ``purpose``: "coach" or "history"."""
    actor = cmd.actor
    if rep_id == cmd.user_id and purpose == "coach":
        raise Problem(
            "You can't open a coaching session with yourself. Name one of your reps, e.g. "
            "`/coach @rep`; `/coach` lists them."
        )
    member = people_queries.get_member(cmd.session, actor.workspace_id, rep_id)
    who = messages.mention(rep_id)
    if not on_team(member, actor.today()):
        raise Problem(
            f"{who} isn't on a Pacer team, so there are no numbers to coach from. A manager "
            f"adds them with `/pacer team add {who} sdr`; `/pacer team` shows who is on it."
        )
    if member.team_id == actor.team_id:
        team, process = actor.team, actor.process
    else:
        team = people_queries.get_team(cmd.session, member.team_id)
        process, _ = team_process(cmd.session, member.team_id)
    if not member.role:
        raise Problem(
            f"{who} is a manager on *{messages.escape(team.name)}*, not a rep: coaching "
            "sessions are with reps. `/coach` lists your reps."
        )
    if not process.has_role(member.role):
        raise Problem(
            f"{who}'s role `{messages.escape(member.role)}` is no longer in the team's process, so "
            f"there is no scorecard to coach from. A manager can give a current role: "
            f"`/pacer team add {who} {process.roles[0].key}`."
        )
    if rep_id == cmd.user_id:  # a rep reading their own history
        return member, team, process
    own_manager = actor.member is not None and actor.member.is_manager
    if actor.is_admin or (own_manager and actor.member.team_id == member.team_id):
        return member, team, process
    if own_manager:
        managers = ", ".join(str(messages.mention(m)) for m in managers_of(cmd.session, team.id))
        raise Problem(
            f"{who} is on *{messages.escape(team.name)}*, not your team: only its managers "
            f"({managers or 'none yet'}) or a Pacer admin can coach them. `/coach` lists your reps."
        )
    raise Problem(
        "Only the rep's managers and Pacer admins can see someone else's coaching sessions. "
        "`/coach history` shows your own."
    )


# -- /coach @rep ------------------------------------------------------------------------------


def open_session(cmd: Command, rep_id: str) -> dict:
    _refuse_non_manager(cmd)
    rep, team, process = coachable_rep(cmd, rep_id, "coach")
    workspace_id = cmd.actor.workspace_id
    profile = known_profiles(cmd, rep_id).get(rep_id)
    cal = rep_calendar(process, profile.tz if profile else None)
    card = build_scorecard(
        cmd.session,
        workspace_id,
        process,
        rep,
        period_for(process, "week", cmd.now, cal=cal),
        cmd.now,
        cal,
    )
    members = members_today(cmd.session, team.id, process.calendar.local_date(cmd.now))
    agenda = coaching_agenda(cmd.session, workspace_id, process, members, rep, cmd.now)
    previous = previous_session(cmd.session, workspace_id, rep_id, before=cmd.now)
    stored = agenda_to_dict(agenda) | {
        "scorecard": _scorecard_dict(card),
        "previous": _previous_dict(previous),
    }
    row, created = coaching_queries.open_session(
        cmd.session,
        CoachingSession(
            workspace_id=workspace_id,
            team_id=team.id,
            rep_id=rep_id,
            manager_id=cmd.user_id,
            opened_at=cmd.now,
            agenda=json.dumps(stored),
            open_key=cmd.trigger_id or f"coach-{uuid.uuid4()}",
        ),
    )
    where = (
        f"in {messages.channel(team.coaching_channel_id)}"
        if team.coaching_channel_id
        else f"in a private conversation with you and {messages.mention(rep_id)}"
    )
    if not created:  # the same request delivered again: the first one is posting it
        cmd.outcome = "open:repeat"
        return _reply(
            f"This request already opened a coaching session with {messages.mention(rep_id)}; "
            "it is being posted once."
        )
    message = opening_message(
        process,
        card,
        agenda,
        previous,
        rep_id,
        cmd.user_id,
        cmd.now,
        profile.display_name if profile else None,
    )
    message = with_actions(message, action_item_button(row.id), keep_last=True)
    services, manager_id, session_id = cmd.services, cmd.user_id, row.id
    channel_id = team.coaching_channel_id
    cmd.follow_ups.append(
        lambda: post_opening(services, session_id, message, manager_id, rep_id, channel_id)
    )
    return _reply(
        f"Opening a coaching thread with {messages.mention(rep_id)} {where}… It starts from their "
        "numbers; every reply in it is saved as a note, and `action:` makes an action item."
    )


def _scorecard_dict(card: Scorecard) -> dict:
    return {
        "period": [card.period.start.isoformat(), card.period.end.isoformat()],
        "elapsed": card.elapsed,
        "lines": [
            {
                "kpi": line.kpi.key,
                "actual": line.pacing.actual,
                "goal": line.pacing.goal,
                "attainment": line.pacing.attainment,
                "pace": line.pacing.pace,
                "status": line.pacing.status,
            }
            for line in card.lines
        ],
    }


def _previous_dict(previous: PreviousSession | None) -> dict | None:
    if previous is None:
        return None
    return {
        "session_id": previous.session_id,
        "opened_at": previous.opened_at.isoformat(),
        "manager_id": previous.manager_id,
        "actions": [a.text for a in previous.actions],
        "notes": previous.notes,
    }


def _day(process: Process, instant: datetime) -> str:
    return f"{dates.long(process.calendar.local_now(instant))}"


def thread_link(channel_id: str | None, thread_ts: str | None, label: str = "thread") -> str | None:
    """A link to a thread (Slack resolves https://slack.com/archives/… to the workspace)."""
    if not channel_id or not thread_ts or not channel_id.isalnum() or not TS.match(thread_ts):
        return None
    return f"<https://slack.com/archives/{channel_id}/p{thread_ts.replace('.', '')}|{label}>"


def opening_message(
    process: Process,
    card: Scorecard,
    agenda: CoachingAgenda,
    previous: PreviousSession | None,
    rep_id: str,
    manager_id: str,
    now: datetime,
    rep_name: str | None = None,
) -> dict:
    """The thread's first message: who and when, the rep's scorecard this week (as
    `/scorecard` shows it), then the coaching numbers and talking points, and how to reply."""
    kpi_names = {k.key: k.name for k in process.kpis}
    role = process.role(agenda.role)
    conversions = []
    for c in agenda.conversions:
        below = (
            c.rep_rate is not None
            and bool(c.team_median)
            and (c.team_median - c.rep_rate) / c.team_median >= GAP_THRESHOLD - 1e-9
        )
        conversions.append(
            {
                "from_kpi": c.from_kpi,
                "to_kpi": c.to_kpi,
                "rep_rate": c.rep_rate,
                "team_median": c.team_median,
                "from_count": agenda.totals.get(c.from_kpi, 0),
                "to_count": agenda.totals.get(c.to_kpi, 0),
                "below": below,
            }
        )
    furthest = [(k, v) for k, v in agenda.furthest_from_goal if v < 1][:FURTHEST_SHOWN]
    trend = [
        (dates.day_month(period.start), value)
        for period, value in agenda.weekly_attainment
        if value is not None
    ]
    prev = None
    if previous is not None:
        prev = {
            "when": _day(process, previous.opened_at),
            "manager_id": previous.manager_id,
            "link": thread_link(previous.channel_id, previous.thread_ts),
            "actions": [a.text for a in previous.actions[:ACTIONS_SHOWN]],
            "more": max(0, len(previous.actions) - ACTIONS_SHOWN),
            "notes": previous.notes,
        }
    window = f"{dates.short(agenda.window.start)} – {dates.long(agenda.window.end)}"
    body = messages.render(
        "coach_opening.md.j2",
        kpi_names=kpi_names,
        role_name=role.name,
        window=window,
        conversions=conversions,
        furthest=furthest,
        trend=trend,
        previous=prev,
        points=[p.text for p in agenda.talking_points],
    )
    top = (
        f":handshake: *Coaching session* · {messages.mention(rep_id)} with "
        f"{messages.mention(manager_id)} · {_day(process, now)}"
    )
    word = log_words(process)[role.key][card.lines[0].kpi.key]
    scorecard = scorecard_message(card, f"/scorecard {messages.mention(rep_id)} {word}")
    blocks = (
        messages.section(top)
        + scorecard["blocks"]
        + [messages.divider()]
        + messages.section(body)
        + [messages.context(REPLY_HINT)]
    )
    fallback = (
        f"Coaching session with {messages.escape(rep_name or 'your rep')}: the scorecard, "
        "conversion rates against the team and talking points"
    )
    return messages.message(fallback, blocks, response_type="in_channel")


def post_opening(
    services: Services,
    session_id: int,
    message: dict,
    manager_id: str,
    rep_id: str,
    channel_id: str | None,
) -> None:
    """After the acknowledgement: post the opening message and record where it is. If Slack
    refuses, the session records why and the manager is told privately; nothing half-done is
    left silent."""
    where = f"<#{channel_id}>" if channel_id else "a private conversation with the rep"
    with services.unit_of_work() as session:  # the session's workspace's token
        row = coaching_queries.get_session(session, session_id)
        clients = services.clients_of(session, row.workspace_id) if row else None
    if clients is None:
        return
    try:
        if not channel_id:
            opened = clients.client.conversations_open(users=f"{manager_id},{rep_id}")
            channel_id = opened["channel"]["id"]
        else:
            _join(clients.client, channel_id)
        # Retries only 429s: a 5xx may have posted, and a second opening would be a thread
        # that no session knows.
        posted = clients.ritual_client.chat_postMessage(
            channel=channel_id,
            text=message["text"],
            blocks=message["blocks"],
            unfurl_links=False,
            unfurl_media=False,
        )
    except Exception as error:  # Slack said no, or could not be reached: say so, never silently
        reason = _reason(error)
        log.warning("coaching session %s not posted: %s", session_id, reason)
        _record(services, session_id, error=reason)
        _tell_manager(
            clients.client,
            manager_id,
            f"Pacer could not open the coaching thread with <@{rep_id}> in {where}: {reason}. "
            + _fix_hint(error, reason)
            + " Then open it again with `/coach @rep`.",
        )
        return
    try:
        _record(services, session_id, channel_id=posted["channel"], thread_ts=posted["ts"])
    except Exception as error:
        log.exception("coaching session %s posted but not recorded", session_id)
        _tell_manager(
            clients.client,
            manager_id,
            f"The coaching thread with <@{rep_id}> is posted, but Pacer could not record it "
            f"({_reason(error)}), so replies in it won't be saved as notes. Open another with "
            "`/coach @rep`.",
        )


class NotAMember(Exception):
    """Pacer could post in the coaching channel (chat:write.public) but would not receive its
    replies: Slack sends message events only for conversations the app is in."""


def _join(client: WebClient, channel_id: str) -> None:
    """Make sure Pacer is in the coaching channel, so the thread's replies reach it as events:
    a public channel is joined (conversations.join); a private one needs an invitation."""
    info = client.conversations_info(channel=channel_id)["channel"]
    if info.get("is_member", True):  # members, and conversations that don't say
        return
    try:
        client.conversations_join(channel=channel_id)
    except SlackApiError as error:
        raise NotAMember(
            f"Pacer isn't a member of <#{channel_id}> and can't join it "
            f"({error.response.get('error')}), so it would not see the replies"
        ) from None


def _reason(error: Exception) -> str:
    if isinstance(error, NotAMember):
        return str(error)
    if isinstance(error, SlackApiError):
        return f"Slack answered {error.response.get('error', error.response.status_code)}"
    return f"{type(error).__name__}: {error}"[:300]


def _fix_hint(error: Exception, reason: str) -> str:
    if isinstance(error, NotAMember) or "not_in_channel" in reason or "channel_not_found" in reason:
        return (
            "Invite Pacer to the coaching channel (`/invite @Pacer`), or choose another with "
            "`/pacer coaching #channel` (`/pacer coaching off` opens threads privately)."
        )
    if isinstance(error, SlackApiError) and error.response.status_code < 500:
        return "Nothing was posted."  # Slack refused it
    return "If a thread appeared anyway, replies in it won't be saved."  # it may have posted


def _record(services: Services, session_id: int, **values) -> None:
    with services.unit_of_work() as session:
        row = coaching_queries.get_session(session, session_id)
        if "error" in values:
            agenda = json.loads(row.agenda or "{}")
            agenda["error"] = values["error"]
            row.agenda = json.dumps(agenda)
        else:
            row.channel_id, row.thread_ts = values["channel_id"], values["thread_ts"]
        coaching_queries.save_session(session, row)


def _tell_manager(client: WebClient, manager_id: str, text: str) -> None:
    try:
        note = messages.message(text, messages.section(text))  # a plain text, and the blocks
        client.chat_postMessage(channel=manager_id, text=note["text"], blocks=note["blocks"])
    except SlackApiError as error:
        log.warning("could not tell %s: %s", manager_id, error.response.get("error"))


# -- /coach @rep history ----------------------------------------------------------------------


def history_message(cmd: Command, rep_id: str | None) -> dict:
    if rep_id is None:
        if not cmd.actor.role:
            raise ParseError(
                "Whose history? Name the rep: `/coach @rep history`. `/coach` lists your reps."
            )
        rep_id = cmd.user_id
    _, _, process = coachable_rep(cmd, rep_id, "history")
    workspace_id = cmd.actor.workspace_id
    rows = coaching_queries.sessions_for_rep(cmd.session, workspace_id, rep_id, HISTORY_SHOWN)
    total = len(rows)
    if total == HISTORY_SHOWN:
        total = coaching_queries.count_sessions_for_rep(cmd.session, workspace_id, rep_id)
    notes = coaching_queries.notes_for_sessions(cmd.session, [r.id for r in rows])
    sessions = []
    for row in rows:
        error = json.loads(row.agenda or "{}").get("error") if not row.thread_ts else None
        sessions.append(
            {
                "when": _day(process, row.opened_at),
                "manager_id": row.manager_id,
                "link": thread_link(row.channel_id, row.thread_ts, "open the thread"),
                "notes": len(notes[row.id]),
                "actions": [
                    {"text": n.text, "done": n.done_at is not None}
                    for n in notes[row.id]
                    if n.is_action
                ],
                "error": error or (None if row.thread_ts else "not yet, or it was interrupted"),
            }
        )
    message = messages.text_message(
        "coach_history.md.j2",
        fallback=f"Coaching history: {total} sessions",
        rep_id=rep_id,
        total=total,
        sessions=sessions,
        hidden=total - len(rows),
    )
    # "Done" for the open items, newest sessions first (the rep and their manager may press it)
    still_open = [n for row in rows for n in notes[row.id] if n.is_action and n.done_at is None]
    if not still_open:
        return message
    buttons = [action_done_button(n.id, n.text) for n in still_open[:ACTIONS_SHOWN]]
    return with_actions(message, *buttons)


# -- /coach -----------------------------------------------------------------------------------


def cadence_message(cmd: Command) -> dict:
    _refuse_non_manager(cmd)
    team, process = cmd.actor.team, cmd.actor.process
    members = members_today(cmd.session, team.id, cmd.actor.today())
    lines = coaching_cadence(
        cmd.session, cmd.actor.workspace_id, process, members, cmd.now, CADENCE_WEEKS
    )
    lines = [line for line in lines if line.rep_id != cmd.user_id]
    return messages.text_message(
        "coach_overview.md.j2",
        fallback=f"Coaching cadence: {sum(line.overdue for line in lines)} reps overdue",
        team_name=team.name,
        every_days=process.rituals.coaching_every_days,
        lines=lines,
        weeks=CADENCE_WEEKS,
    )


def help_message(cmd: Command) -> dict:
    team = cmd.actor.team
    where = (
        f"{messages.channel(team.coaching_channel_id)}"
        if team.coaching_channel_id
        else "a private conversation of you and the rep (no coaching channel is set)"
    )
    return messages.text_message(
        "coach_help.md.j2",
        where=messages.Raw(where),
        every_days=cmd.actor.process.rituals.coaching_every_days,
    )


def _reply(text: str) -> dict:
    return messages.message(text.replace("*", ""), messages.section(text))
