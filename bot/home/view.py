"""The App Home tab as a view: the person's scorecard for today, this week or this month with a
one-tap log per KPI, their last logs (edit, void), the running contests with their standing, and
for managers the team's pace per KPI this week and who is behind. A person on no team sees how
to start. Built from a handful of queries whatever the team's size (one for the team's numbers),
and always inside Slack's limits: at most 100 blocks, every text within its block's limit."""

import json
from dataclasses import replace
from datetime import datetime

from bot import messages
from bot.contests.messages import KIND_WORDS, kpi_name, local_label
from bot.examples import example_log, log_words
from bot.home.time_off import time_off_blocks
from bot.ids import Action
from bot.messages import Raw, escape, mention
from bot.process_reviews.home import review_blocks
from rituals import contests, dates
from rituals.contests import Standings
from rituals.digests import team_kpis, team_lines
from rituals.log_edits import recent_logs
from rituals.pacing import STATUS_BEHIND, elapsed_share
from rituals.ranking import team_results
from rituals.scorecard import build_scorecard, period_for, rep_calendar
from rituals.teams import Actor, team_members
from storage import people_queries
from storage.models import ActivityLog
from storage.unit_of_work import Session

MAX_BLOCKS = 100  # Slack's limit for a Home tab
PERIODS = {"day": "Today", "week": "This week", "month": "This month"}
DEFAULT_PERIOD = "week"
SHOWN_CONTESTS = 5
SHOWN_BEHIND = 5  # names per KPI before "and N more"
MAX_KPIS = 20  # a scorecard's KPIs with buttons (2 blocks each); the process has 4 per role

# action_ids (each unique within its block; the value says which KPI, log or period)

SOURCE_WORDS = {
    "slash": "typed `/log`",
    "modal": "from a form",
    "button": "one tap",
    "import": "imported",
    "demo": "demo data",
}


def period_of(view: dict | None) -> str:
    """The period a Home view (or a modal opened from it) was showing, from its metadata."""
    try:
        kind = json.loads((view or {}).get("private_metadata") or "{}").get("period")
    except (ValueError, AttributeError):
        kind = None
    return kind if kind in PERIODS else DEFAULT_PERIOD


def rep_tz(session: Session, actor: Actor) -> str | None:
    profile = people_queries.get_profile(session, actor.workspace_id, actor.user_id)
    return profile.tz if profile else None


def build_home(
    session: Session,
    actor: Actor,
    now: datetime,
    period: str = DEFAULT_PERIOD,
    notice: str | None = None,
) -> dict:
    """The Home view for this person (pure apart from reads)."""
    period = period if period in PERIODS else DEFAULT_PERIOD
    tz = rep_tz(session, actor)
    has_card = bool(actor.member and actor.member.role)
    title = (
        "Pacer · your numbers"
        if has_card
        else "Pacer · your team"
        if actor.is_manager
        else "Welcome to Pacer"
    )
    blocks: list[dict] = [messages.header(title)]
    if notice:
        blocks += messages.section(notice)
    if has_card and actor.process.has_role(actor.role):
        blocks += _scorecard_blocks(session, actor, now, period, tz)
    elif has_card:
        blocks += messages.section(
            f"Your role `{escape(actor.role)}` is no longer in the team's process, so there is no "
            "scorecard to show. A manager can give you a current role: "
            f"`/pacer team add @you ROLE` ({escape(_roles(actor))})."
        )
    if actor.member is None and not actor.is_manager:
        blocks += messages.section(
            messages.render(
                "home_start.md.j2",
                role=actor.process.roles[0].key if actor.process.roles else "sdr",
                roles=_roles(actor),
            )
        )
        return _view(blocks, period)
    logs = recent_logs(session, actor.workspace_id, actor.user_id)
    if has_card or logs:
        blocks += _recent_blocks(actor, logs, now, tz)
    blocks += time_off_blocks(session, actor, now)
    if actor.is_manager:  # the team first: what a manager opens Pacer for
        blocks += _team_blocks(session, actor, now)
        blocks += review_blocks(session, actor)  # a draft under review: "4 of 6 answered"
    blocks += _contest_blocks(session, actor, now)
    return _view(blocks, period)


def _roles(actor: Actor) -> str:
    return ", ".join(r.key for r in actor.process.roles)


def _view(blocks: list[dict], period: str) -> dict:
    if len(blocks) > 1 and blocks[1]["type"] == "divider":  # nothing above it to divide from
        del blocks[1]
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [
            messages.context("…more than fits on this page; the slash commands show the rest.")
        ]
    return {"type": "home", "private_metadata": json.dumps({"period": period}), "blocks": blocks}


# -- the person's scorecard ---------------------------------------------------------------------


def period_buttons(current: str) -> dict:
    return messages.actions(
        *(
            messages.button(
                label,
                f"{Action.HOME_PERIOD}_{kind}",
                kind,
                style="primary" if kind == current else None,
            )
            for kind, label in PERIODS.items()
        ),
        block_id="home_periods",
    )


def _scorecard_blocks(
    session: Session, actor: Actor, now: datetime, period_kind: str, tz: str | None
) -> list[dict]:
    process = actor.process
    cal = rep_calendar(process, tz)
    period = period_for(process, period_kind, now, cal=cal)
    card = build_scorecard(session, actor.workspace_id, process, actor.member, period, now, cal)
    words = log_words(process)[actor.role]
    blocks = [period_buttons(period_kind)] + messages.section(messages.scorecard_top(card))
    blocks.append(messages.divider())
    for line in card.lines[:MAX_KPIS]:
        kpi = line.kpi
        blocks += messages.section(
            messages.render("scorecard.md.j2", card=replace(card, lines=[line]))
        )
        if kpi.recorded_by and kpi.recorded_by != actor.role and not actor.is_manager:
            recorder = (
                process.role(kpi.recorded_by).name
                if process.has_role(kpi.recorded_by)
                else kpi.recorded_by
            )
            blocks.append(
                messages.context(
                    f"Recorded for you by the {escape(recorder)} who accepts it, or your manager."
                )
            )
            continue
        plus = messages.button("+1", Action.HOME_PLUS_ONE, kpi.key, style="primary")
        plus["accessibility_label"] = messages.plain_text(f"Log 1 {kpi.name}", 75)["text"]
        number = messages.button("Log a number…", Action.HOME_LOG_NUMBER, kpi.key)
        number["accessibility_label"] = messages.plain_text(f"Log a number of {kpi.name}", 75)[
            "text"
        ]
        blocks.append(messages.actions(plus, number, block_id=f"home_kpi_{kpi.key}"[:255]))
    blocks.append(
        messages.context(
            "Pace = actual ÷ what the goal expects by now; projected = where the period ends at "
            f"this rate. Type `/log {example_log(process, actor.role)}` anywhere; "
            f"`/scorecard {words[card.lines[0].kpi.key]}` shows the logs behind a number."
        )
    )
    return blocks


# -- the last logs ------------------------------------------------------------------------------


def _recent_blocks(
    actor: Actor, logs: list[ActivityLog], now: datetime, tz: str | None
) -> list[dict]:
    cal = rep_calendar(actor.process, tz)
    today = cal.local_date(now)
    blocks = [messages.divider()] + messages.section("*Your last logs*")
    if not logs:
        blocks.append(
            messages.context(
                "Nothing logged yet: press *+1* above, or type "
                f"`/log {example_log(actor.process, actor.role)}`."
                if actor.role and actor.process.has_role(actor.role)
                else "Nothing logged yet."
            )
        )
        return blocks
    for row in logs:
        kpi_name = actor.process.kpi(row.kpi).name if actor.process.has_kpi(row.kpi) else row.kpi
        day = (
            f"today, {dates.short(row.occurred_on)}"
            if row.occurred_on == today
            else f"{dates.short(row.occurred_on)}"
        )
        text = messages.render(
            "home_log.md.j2",
            row=row,
            kpi_name=kpi_name,
            viewer=actor.user_id,
            day_label=day,
            source=Raw(SOURCE_WORDS.get(row.source, escape(row.source))),
            logged_at=_stamp(row.created_at.astimezone(cal.tz), today),
        )
        blocks += messages.section(text)
        edit = messages.button("Edit", Action.HOME_EDIT, str(row.id))
        edit["accessibility_label"] = f"Edit {row.count} {kpi_name}"[:75]
        void = messages.button("Void", Action.HOME_VOID, str(row.id), style="danger")
        void["accessibility_label"] = f"Void {row.count} {kpi_name}"[:75]
        void["confirm"] = {
            "title": messages.plain_text("Void this log?", 100),
            "text": messages.plain_text(
                f"{row.count} {kpi_name} on {dates.short(row.occurred_on)} will stop counting. "
                "It stays in the audit trail, marked voided.",
                300,
            ),
            "confirm": messages.plain_text("Void", 30),
            "deny": messages.plain_text("Keep it", 30),
            "style": "danger",
        }
        blocks.append(messages.actions(edit, void, block_id=f"home_log_{row.id}"))
    blocks.append(
        messages.context(
            "Edit stores a corrected log and voids the old one; void stops a log counting. "
            "Voided logs stay in the trail, marked: `/scorecard KPI` lists them."
        )
    )
    return blocks


def _stamp(local: datetime, today) -> str:
    return f"{local:%H:%M}" if local.date() == today else f"{dates.short_time(local)}"


# -- contests -----------------------------------------------------------------------------------


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def standing_text(contest, s: Standings, user_id: str, number_of) -> str:
    """Where this person stands in a contest (mrkdwn: names are mentions, group names escaped)."""
    place = s.place_of(user_id)
    n = len(s.places)
    if contest.kind == "teams":
        lead = (
            f"leading: {', '.join(f'*{escape(w)}*' for w in s.winners)}"
            if s.winners
            else "no logs yet"
        )
        if place is None:
            return _upper_first(lead) + "."
        group = next((g for g in s.groups if g.name == place.group), None)
        ours = f"*{escape(place.group)}*"
        if group is None:
            return f"You have {number_of(place.count)} for {ours} · {lead}."
        return (
            f"Your group {ours} is {ordinal(group.rank)} of {len(s.groups)} with "
            f"{number_of(group.score)} · you have {number_of(place.count)} · {lead}."
        )
    if contest.kind == "target":
        reached = len(s.reached())
        others = f"{reached} of {n} reached it"
        if place is None:
            return _upper_first(others) + "."
        if s.target is not None and place.count >= s.target:
            return f":white_check_mark: You reached it with {number_of(place.count)} · {others}."
        return f"You have {number_of(place.count)} of {number_of(s.target)} · {others}."
    top = s.places[0] if s.places and s.places[0].count > 0 else None
    lead = f"leading: {mention(top.user_id)} with {number_of(top.count)}" if top else "no logs yet"
    if place is None:
        return _upper_first(lead) + "."
    if place.count == 0:
        return f"You haven't logged any yet ({n} taking part) · {lead}."
    tied = sum(1 for p in s.places if p.rank == place.rank) > 1
    return (
        f"You're {'tied ' if tied else ''}{ordinal(place.rank)} of {n} with "
        f"{number_of(place.count)}" + ("" if place.rank == 1 and not tied else f" · {lead}") + "."
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _contest_blocks(session: Session, actor: Actor, now: datetime) -> list[dict]:
    running = contests.running_contests(session, actor.team_id, now)
    if not running:
        return []
    rows = []
    for contest in running[:SHOWN_CONTESTS]:
        s = contests.standings_at(session, contest, now)
        rows.append(
            {
                "c": contest,
                "kind": KIND_WORDS.get(contest.kind, contest.kind),
                "kpi_name": kpi_name(actor.process, contest.kpi),
                "ends": local_label(contest.ends_at, actor.process),
                "settling": contests.is_settling(contest, now),
                "settles": local_label(contests.closes_at(contest), actor.process),
                "standing": standing_text(contest, s, actor.user_id, messages.number),
            }
        )
    text = messages.render(
        "home_contests.md.j2", rows=rows, hidden=max(0, len(running) - SHOWN_CONTESTS)
    )
    return [messages.divider()] + messages.section(text)


# -- the team, for managers ---------------------------------------------------------------------


def _team_blocks(session: Session, actor: Actor, now: datetime) -> list[dict]:
    process = actor.process
    team = actor.team
    week = period_for(process, "week", now)
    members = team_members(session, team.id, week.start, week.end, actor.today())
    results = team_results(session, actor.workspace_id, process, members, week, now)  # one query
    blocks = [messages.divider()]
    if not results:
        return blocks + messages.section(
            f"*{escape(team.name)}* has no reps yet. Add them with "
            f"`/pacer team add @rep {process.roles[0].key if process.roles else 'sdr'}`; "
            "`/pacer help` lists what managers can do."
        )
    elapsed = elapsed_share(week, now, process.calendar)
    kpis = team_kpis(process, results)
    rows = []
    for line in team_lines(process, results, kpis):
        behind = sorted(
            (
                r
                for r in results
                if line.kpi in r.lines and r.lines[line.kpi].status == STATUS_BEHIND
            ),
            key=lambda r: (r.lines[line.kpi].pace or 0.0, r.rep_id),
        )
        rows.append(
            {
                "line": line,
                "behind": len(behind),
                "shown": [r.rep_id for r in behind[:SHOWN_BEHIND]],
                "more": max(0, len(behind) - SHOWN_BEHIND),
            }
        )
    text = messages.render(
        "home_team.md.j2",
        team_name=team.name,
        period=week,
        elapsed=elapsed,
        rows=rows,
        kpi_names={k.key: k.name for k in kpis},
    )
    blocks += messages.section(text)
    any_behind = sum(1 for r in results if any(p.status == STATUS_BEHIND for p in r.lines.values()))
    blocks.append(
        messages.context(
            f"{len(results)} rep{'s' if len(results) != 1 else ''} · {any_behind} behind on at "
            "least one KPI. `/scorecard @rep` shows one rep, `/leaderboard` ranks the team, "
            "`/coach @rep` opens a coaching thread."
        )
    )
    return blocks
