"""`pacer clock`, `pacer rituals run KIND [--team T] [--at ISO]` and `pacer rituals status`: every
kind of rituals/kinds.py, through the same path as the clock."""

import sys
from datetime import UTC, datetime, timedelta

from bot.delivery.clock import CONTEST_LOOKBACK, Clock
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import ATTEMPTS, run_ritual
from bot.process_drafts import scheduled as scheduled_publish
from bot.process_reviews import reminders as review_reminders
from bot.server import make_services
from bot.settings import Settings, parse_instant
from cli.process import ScopeError, pick_team
from rituals import contests, runs
from rituals.kinds import KINDS, PROCESS_PUBLISH, REVIEW_REMINDER, STANDINGS, ritual_kind
from rituals.schedule import next_occurrences, occurrence_at
from rituals.teams import team_process
from storage import people_queries


def run_clock(settings: Settings) -> int:
    settings.require("pacer clock", "SLACK_BOT_TOKEN")
    Clock(make_services(settings)).start()
    return 0


def run_now(
    settings: Settings, kind: str, team_name: str | None, workspace: str | None, at: str | None
) -> int:
    """One ritual now, as of ``at`` (default: now), through the same path as the scheduler."""
    if kind in (REVIEW_REMINDER, REVIEW_REMINDER + "s"):
        return _review_reminders(settings, team_name, workspace, at)
    if kind == PROCESS_PUBLISH:
        return _review_reminders(settings, team_name, workspace, at, publish=True)
    try:
        kind = ritual_kind(kind)
    except ValueError as error:
        print(f"pacer rituals run: {error}", file=sys.stderr)
        return 2
    settings.require("pacer rituals run", "SLACK_BOT_TOKEN")
    services = make_services(settings)
    try:
        instant = parse_instant(at) if at else services.clock()
    except ValueError as error:
        print(f"pacer rituals run: --at {error}", file=sys.stderr)
        return 2
    with services.unit_of_work() as session:
        try:
            team = pick_team(session, team_name, workspace)
        except ScopeError as error:
            print(f"pacer rituals run: {error}", file=sys.stderr)
            return 2
        if team is None:
            print(
                "pacer rituals run: no team yet: teams appear when someone uses Pacer in Slack.",
                file=sys.stderr,
            )
            return 2
        process, _ = team_process(session, team.id)
    if kind == STANDINGS.name:  # contest posts come from contest rows, not the schedule
        return _contest_posts(services, team, process, instant)
    occurrence = occurrence_at(process, kind, instant)
    outcome = run_ritual(
        services, team.id, occurrence, instant, pacer=ChannelPacer(), owner=runs.process_identity()
    )
    print(f"{team.name}: {kind} {occurrence.period_key}: {outcome}")
    return 0 if outcome.status in ("posted", "settled", "nobody-due") else 1


def _review_reminders(
    settings: Settings,
    team_name: str | None,
    workspace: str | None,
    at: str | None,
    *,
    publish: bool = False,
) -> int:
    """`pacer rituals run review-reminder [--team T] [--at ISO]`: the clock's sweep, as of
    ``at``: every reviewer owed a reminder then is reminded, once (each team's calendar
    decides); with a team or workspace named, that team's reviewers only. ``publish``:
    `pacer rituals run process-publish`, the sweep of scheduled drafts instead (each once)."""
    services = make_services(settings)
    try:
        instant = parse_instant(at) if at else services.clock()
    except ValueError as error:
        print(f"pacer rituals run: --at {error}", file=sys.stderr)
        return 2
    team_id = None
    if team_name or workspace:
        with services.unit_of_work() as session:
            try:
                team = pick_team(session, team_name, workspace)
            except ScopeError as error:
                print(f"pacer rituals run: {error}", file=sys.stderr)
                return 2
            team_id = team.id if team else None
    if publish:
        done = scheduled_publish.sweep(services, instant, team_id)
        print(f"{PROCESS_PUBLISH}: {done} draft{'s' if done != 1 else ''} published")
        return 0
    sent = review_reminders.sweep(services, instant, team_id)
    print(f"{REVIEW_REMINDER}: {sent} reminder{'s' if sent != 1 else ''} sent")
    return 0


def _contest_posts(services, team, process, instant: datetime) -> int:
    """`pacer rituals run standings`: every contest post owed at ``instant`` (a start or a result
    however late), as the clock would; with none owed, each running contest's standings now."""
    with services.unit_of_work() as session:
        owed, _ = contests.due_occurrences(
            session, team.id, process, instant - CONTEST_LOOKBACK, instant
        )
        since = instant - CONTEST_LOOKBACK - timedelta(days=1)
        done = runs.settled_keys(session, team.id, since, max_attempts=ATTEMPTS)
        owed = [o for o in owed if (o.kind, o.period_key) not in done]
        if not owed:
            owed = [
                contests.standings_occurrence(contest, process, instant)
                for contest in contests.running(session, team.id, instant)
            ]
    if not owed:
        print(f"{team.name}: standings: no contest is running (start one with /contest start)")
        return 0
    worst = 0
    for occurrence in owed:
        outcome = run_ritual(
            services,
            team.id,
            occurrence,
            instant,
            pacer=ChannelPacer(),
            owner=runs.process_identity(),
        )
        print(f"{team.name}: standings {occurrence.period_key}: {outcome}")
        worst = max(worst, 0 if outcome.status in ("posted", "settled") else 1)
    return worst


def status(settings: Settings, now: datetime | None = None) -> int:
    services = make_services(settings)
    now = now or (parse_instant(settings.clock) if settings.clock else datetime.now(UTC))
    with services.unit_of_work() as session:
        teams = people_queries.teams(session)
        if not teams:
            print("No teams yet: teams appear when someone uses Pacer in Slack.")
        for team in teams:
            process, _ = team_process(session, team.id)
            print(
                f"{team.name} (channel {team.channel_id or 'not set: /pacer channel #sales'}, {process.timezone})"
            )
            print(f"  schedule: {process.rituals.describe()}")
            upcoming = next_occurrences(process, now, now + timedelta(days=400))
            upcoming += [
                o
                for contest in contests.running(session, team.id, now)
                for o in contests.contest_occurrences(contest, process)
                if o.due_at > now
            ]
            upcoming.sort(key=lambda o: o.due_at)
            newest = runs.last_runs(session, team.id)
            for kind in (k.name for k in KINDS):
                nxt = next((o for o in upcoming if o.kind == kind), None)
                last = next((r for r in newest if r.kind == kind), None)
                next_text = (
                    f"next {nxt.due_at.astimezone(process.calendar.tz):%a %d %b %H:%M}"
                    if nxt
                    else ("no contest running" if kind == STANDINGS.name else "off")
                )
                last_text = (
                    f"last {last.period_key}: {last.status}"
                    + (f" ({last.error})" if last.error else "")
                    if last
                    else "never run"
                )
                print(f"  {kind:<12} {next_text:<24} {last_text}")
    return 0
