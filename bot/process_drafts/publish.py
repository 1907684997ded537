"""`/pacer process publish [from DATE] [confirm]`, `history` and `discard`.

From a later day, publishing schedules the draft instead (bot/process_drafts/scheduled.py: the
clock publishes it at the start of that day); the same refusals and `confirm` apply first.
`discard` cancels a scheduled publish. Publishing stores the draft as the team's next version, dated goals and all
(rituals/process_drafts/publish.py), closes the draft and its review rounds in the same
transaction, and after the acknowledgement announces it in the team channel: the cascade, what
changed, who reviewed it. Refused (nothing changes) while something stops it; what only asks
for `confirm` says so."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.context import Command
from bot.parsing import ParseError
from bot.process_drafts.view import cascade_text, changes_text
from bot.replies import Problem
from bot.services import Services
from rituals import dates
from rituals.process import Process
from rituals.process_drafts import diff
from rituals.process_drafts.drafts import as_published, base_of, copied_from, draft_process
from rituals.process_drafts.publish import blockers, published, review_state, reviewed_by
from rituals.teams import admins_of, managers_of, require_manager, store_process
from storage import draft_queries, people_queries
from storage.draft_queries import DISCARDED, PUBLISHED, SCHEDULED

log = logging.getLogger("pacer")
EFFECTIVE_WORDS = "published draft from {day}: "  # a version's change, read back by EFFECTIVE
EFFECTIVE = re.compile(r"^published draft from (\d{4}-\d{2}-\d{2}):")
USAGE = "`/pacer process publish [from YYYY-MM-DD] [confirm]`"


def _parse(args: list[str], today: date) -> tuple[date, bool]:
    words = [w.lower() for w in args]
    confirm = "confirm" in words
    words = [w for w in words if w != "confirm"]
    effective = today
    if words[:1] == ["from"]:
        if len(words) < 2:
            raise ParseError(f"Say from which day, e.g. `from {today.isoformat()}`. {USAGE}.")
        word = words[1]
        if word == "today":
            effective = today
        elif word == "tomorrow":
            effective = date.fromordinal(today.toordinal() + 1)
        else:
            try:
                effective = date.fromisoformat(word) if len(word) == 10 else None
            except ValueError:
                effective = None
            if effective is None:
                raise ParseError(
                    f"`{messages.escape(word[:20])}` isn't a date; write it as YYYY-MM-DD. {USAGE}."
                )
        words = words[2:]
    if words:
        raise ParseError(f"`{messages.escape(words[0][:20])}` isn't part of {USAGE}.")
    return effective, confirm


def publish(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "publish the team's process")
    session, team, today = cmd.session, cmd.actor.team, cmd.actor.today()
    effective, confirm = _parse(args, today)
    row = draft_queries.open_draft(session, team.id, for_update=True)
    if row is None:
        waiting = draft_queries.scheduled_draft(session, team.id)
        if waiting is not None:
            raise Problem(
                f"The draft is already scheduled to be published on "
                f"{dates.long(waiting.publish_on)}, and is announced then. "
                "`/pacer process discard` cancels the scheduled publish."
            )
        last = draft_queries.last_closed_draft(session, team.id)
        if last is not None and last.status == PUBLISHED:
            raise Problem(
                f"The draft was already published as version {last.published_version} on "
                f"{dates.long(_local_day(cmd, last.closed_at))}; there is no open draft. "
                "`/pacer process draft` opens the next one."
            )
        raise Problem("There is no open draft to publish. `/pacer process draft` opens one.")
    draft = draft_process(row)
    current, current_version = base_of(session, team)
    answers = draft_queries.current_answers(session, row.id)
    reviewers = draft_queries.reviewers_of(session, [row.id])[row.id]
    state = review_state(answers, reviewers)
    moved_on = None
    if current_version != row.base_version:
        moved_on = (
            f"version {current_version} was stored after the draft was copied from "
            f"{'version ' + str(row.base_version) if row.base_version else 'the default'}; "
            "publishing replaces the journey, KPIs, scorecards and goals it changed (settings "
            "changed since, like the timezone or holidays, are kept)"
        )
    in_use, held = in_use_and_held(session, team.id, current)
    stop = blockers(
        current,
        draft,
        effective=effective,
        today=today,
        state=state,
        kpis_in_use=in_use,
        roles_held=held,
        moved_on=moved_on,
    )
    if stop.refused:
        raise Problem("The draft was not published: " + "; ".join(stop.refused) + ".")
    if stop.ask and not confirm:
        raise Problem(
            "The draft was not published: "
            + "; ".join(stop.ask)
            + f". To publish anyway: `/pacer process publish{_from(effective, today)} confirm`."
        )
    if effective > today:
        return _schedule(cmd, row, current, draft, effective)
    base = copied_from(session, row)
    version = published(current, draft, effective, by=cmd.user_id, at=cmd.now, base=base)
    changes = diff(current, version)
    summary = EFFECTIVE_WORDS.format(day=effective.isoformat()) + (
        "; ".join(changes) or "no change"
    )
    stored = store_process(
        session,
        version,
        team=team,
        loaded_by=cmd.user_id,
        change=summary,
        now=cmd.now,
        draft_id=row.id,
    )
    if stored is None:  # another version took the same number at this very moment
        raise Problem(
            "Another change to the process was stored at the same moment, so the draft was not "
            "published. Publish it again (`/pacer process publish`)."
        )
    if not draft_queries.close_draft(
        session, row, PUBLISHED, by=cmd.user_id, at=cmd.now, published_version=stored.version
    ):
        raise Problem("The draft was published a moment ago by another request; nothing changed.")
    draft_queries.close_reviews(session, row.id, cmd.now)
    managers = set(managers_of(session, team.id)) | set(
        admins_of(session, cmd.actor.workspace_id, cmd.services.settings.admins)
    )
    who = reviewed_by(state.answered, managers)
    text = announcement(version, stored.version, effective, today, changes, who)
    channel = team.channel_id
    if channel:
        slack = (cmd.slack_team_id, cmd.enterprise_id)
        cmd.follow_ups.append(announce(cmd.services, slack, channel, text))
    where = (
        f"announced in <#{channel}>"
        if channel
        else "not announced: the team has no channel (`/pacer channel #sales` sets it)"
    )
    return messages.message(
        "Published",
        messages.section(
            f"*Published* as version {stored.version}, in force from "
            f"{dates.long(effective)}; {where}.\n\n{changes_text(changes, 'the previous version')}"
        ),
    )


def in_use_and_held(session, team_id: int, current: Process) -> tuple[set[str], set[str]]:
    """The KPIs logs refer to and the roles people hold: what a draft may not remove or drop."""
    in_use = draft_queries.kpis_in_use(session, team_id, [k.key for k in current.kpis])
    held = {m.role for m in people_queries.active_members(session, team_id) if m.role}
    return in_use, held


def _schedule(cmd: Command, row, current: Process, draft: Process, effective: date) -> dict:
    """Lock the draft until the clock publishes it at the start of ``effective``."""
    if not draft_queries.schedule_draft(cmd.session, row, effective, by=cmd.user_id, at=cmd.now):
        raise Problem("The draft was closed a moment ago by another request; nothing changed.")
    closed = draft_queries.close_reviews(cmd.session, row.id, cmd.now)
    rounds = (
        f" Its {closed} open review round{'s are' if closed != 1 else ' is'} closed."
        if closed
        else ""
    )
    channel = cmd.actor.team.channel_id
    where = (
        f"announced in <#{channel}> then"
        if channel
        else "not announced: the team has no channel (`/pacer channel #sales` sets it)"
    )
    return messages.message(
        "Scheduled",
        messages.section(
            f"*Scheduled*: the draft becomes the version in force at the start of "
            f"{dates.long(effective)} ({current.timezone}), {where}. Until then it is locked: no "
            f"edits and no new review rounds; `/pacer process discard` cancels it.{rounds}\n\n"
            + changes_text(
                diff(current, as_published(cmd.session, row, current)), "the version in force"
            )
        ),
    )


def _from(effective: date, today: date) -> str:
    return "" if effective == today else f" from {effective.isoformat()}"


def announcement(
    process: Process, number: int, effective: date, today: date, changes: list[str], who: str
) -> str:
    when = "from today" if effective == today else f"from {dates.long(effective)}"
    head = f"*The team's process is updated* (version {number}, {when})"
    if who:
        head += f", {who}"
    return "\n\n".join(
        (head + ".", cascade_text(process), changes_text(changes, "the previous version"))
    )


def announce(services: Services, slack: tuple[str, str | None], channel: str, text: str):
    """A job posting the announcement in ``channel`` of the Slack workspace ``slack`` (team and
    enterprise IDs), with that workspace's token."""

    def post() -> None:
        clients = services.clients_for(*slack)
        if clients is None:
            return
        try:
            clients.client.chat_postMessage(
                channel=channel,
                text=messages.plain(text.split("\n\n")[0]),
                blocks=messages.message("", messages.section(text))["blocks"],
            )
        except SlackApiError as error:
            log.warning("process announcement not posted: %s", error.response.get("error"))

    return post


def history(cmd: Command, args: list[str]) -> dict:
    if args:
        raise ParseError("`/pacer process history` takes nothing after it.")
    session, team = cmd.session, cmd.actor.team
    versions = draft_queries.published_versions(session, team.id)[:20]
    waiting = draft_queries.scheduled_draft(session, team.id)
    if not versions and waiting is None:
        return messages.message(
            "No versions",
            messages.section(
                f"*{messages.escape(team.name)}* has no process version of its own yet: it runs "
                "on the default. `/pacer process draft` starts one."
            ),
        )
    drafts = draft_queries.drafts_of(session, [v.draft_id for v in versions if v.draft_id])
    reviewers = draft_queries.reviewers_of(session, drafts)
    lines = []
    if waiting is not None:
        lines.append(
            f"*next* · scheduled for {dates.long(waiting.publish_on)} · by "
            f"{_who(waiting.closed_by or waiting.author_id)} · drafted by "
            f"{_who(waiting.author_id)}\n      {messages.escape(waiting.name[:200])}"
        )
    for v in versions:
        line = (
            f"*v{v.version}* · {dates.long(_local_day(cmd, v.loaded_at))} · by {_who(v.loaded_by)}"
        )
        effective = EFFECTIVE.match(v.change or "")
        if effective:
            line += f" · in force from {dates.long(date.fromisoformat(effective.group(1)))}"
        row = drafts.get(v.draft_id) if v.draft_id else None
        if row is not None:
            answers = draft_queries.current_answers(session, row.id)
            state = review_state(answers, reviewers.get(row.id, ()))
            line += f" · drafted by {_who(row.author_id)}"
            if state.reviewers:
                line += " · reviewed by " + ", ".join(f"<@{u}>" for u in sorted(state.reviewers))
                line += f" ({len(state.approvers)} approved)"
        change = v.change or "loaded"
        line += f"\n      {messages.escape(change[:200])}"
        lines.append(line)
    return messages.message(
        "Process history",
        messages.section(
            f"*{messages.escape(team.name)}: process versions, newest first*\n" + "\n".join(lines)
        ),
    )


def _local_day(cmd: Command, at: datetime) -> date:
    """The team's own date of a stored instant (a version scheduled for Tokyo's midnight is
    loaded the day before in UTC)."""
    return cmd.actor.process.calendar.local_date(dates.aware(at))


def _who(user: str) -> str:
    return f"<@{user}>" if user and user[0] in "UW" and user.isalnum() else messages.escape(user)


def discard(cmd: Command, args: list[str]) -> dict:
    if args:
        raise ParseError("`/pacer process discard` takes nothing after it.")
    require_manager(cmd.actor, "discard the draft of the process")
    row = draft_queries.open_draft(cmd.session, cmd.actor.team_id, for_update=True)
    if row is None:
        waiting = draft_queries.scheduled_draft(cmd.session, cmd.actor.team_id, for_update=True)
        if waiting is None:
            raise Problem("There is no open or scheduled draft to discard.")
        if not draft_queries.close_draft(
            cmd.session, waiting, DISCARDED, by=cmd.user_id, at=cmd.now, was=SCHEDULED
        ):
            raise Problem("The scheduled draft was published a moment ago; nothing changed.")
        return messages.message(
            "Scheduled publish cancelled",
            messages.section(
                f"The publish scheduled for {dates.long(waiting.publish_on)} is cancelled and "
                "the draft discarded; the version in force stays as it is. "
                "`/pacer process draft` starts a new one."
            ),
        )
    draft_queries.close_draft(cmd.session, row, DISCARDED, by=cmd.user_id, at=cmd.now)
    closed = draft_queries.close_reviews(cmd.session, row.id, cmd.now)
    rounds = f" and its {closed} open review round{'s' if closed != 1 else ''}" if closed else ""
    return messages.message(
        "Draft discarded",
        messages.section(
            f"The draft{rounds} is discarded; the version in force stays as it is. "
            "`/pacer process draft` starts a new one."
        ),
    )
