"""`pacer process load FILE` and `pacer process show`."""

import sys
from datetime import UTC, datetime
from pathlib import Path

from rituals.process import (
    DEFAULT_PROCESS_PATH,
    ProcessError,
    dump_process,
    load_process_file,
    render_cascade,
)
from rituals.process.goal_history import keep_goal_history
from rituals.process_drafts.drafts import fill_draft
from rituals.process_drafts.lines import by_line
from rituals.teams import store_process, team_process
from storage import draft_queries, people_queries, process_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import SalesTeam
from storage.unit_of_work import Session, unit_of_work


class ScopeError(Exception):
    pass


def run(settings, args) -> int:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with unit_of_work(engine) as session:
        try:
            team = pick_team(session, args.team, args.workspace)
        except ScopeError as error:
            print(f"pacer process: {error}", file=sys.stderr)
            return 2
        if args.action == "load" and getattr(args, "draft", False):
            return load_draft(session, team, args.file, settings.now())
        if args.action == "load":
            return load(session, team, args.file, settings.now())
        return show(session, team, args.yaml)


def pick_team(session: Session, name: str | None, workspace: str | None) -> SalesTeam | None:
    """The team a process command is about. None means install-wide: the process every team
    without a version of its own runs with (the usual case before anyone has used Slack)."""
    teams = people_queries.teams(session)
    if workspace:
        ids = {w.id for w in people_queries.all_workspaces(session) if w.slack_team_id == workspace}
        if not ids:
            raise ScopeError(f"no workspace with Slack team ID {workspace} has used Pacer yet.")
        teams = [t for t in teams if t.workspace_id in ids]
    if name:
        teams = [t for t in teams if t.name.lower() == name.lower()]
        if not teams:
            raise ScopeError(f"no team is called {name!r}. Teams: {_names(session)}.")
    if len(teams) > 1:
        raise ScopeError(
            f"this install has several teams; choose one with --team (and --workspace). Teams: {_names(session)}."
        )
    return teams[0] if teams else None


def _names(session: Session) -> str:
    return ", ".join(t.name for t in people_queries.teams(session)) or "none yet"


def load(session: Session, team: SalesTeam | None, path: str, now: datetime | None = None) -> int:
    try:
        process = load_process_file(path)
    except ProcessError as error:
        print(f"pacer process load: {path} was not stored, because:\n{error}", file=sys.stderr)
        return 1
    for warning in process.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    orphaned = roles_in_use(session, team) - {r.key for r in process.roles}
    if orphaned:
        print(
            f"pacer process load: {path} was not stored, because it drops roles people still hold: "
            f"{', '.join(sorted(orphaned))}. Fix: keep those roles in the file, or first move the people "
            "to another role in Slack (`/pacer team add @user ROLE`) or off the team.",
            file=sys.stderr,
        )
        return 1
    previous, previous_id = team_process(session, team.id if team else None)
    now = now or datetime.now(UTC)
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    if previous_id is not None and not process.goal_history_stated:
        # No goal_changes: section: the team's goal history stays, and each goal of the file that
        # differs from the one in force today applies from today (rituals/process/goal_history).
        process = keep_goal_history(
            previous, process, previous.calendar.local_date(now), by=LOADED_BY, at=now
        )
        if process.goal_changes:
            source = source.rstrip("\n") + "\n\n" + _history_yaml(process)
    dropped = sorted({k.key for k in previous.kpis} - {k.key for k in process.kpis})
    if dropped:
        print(
            f"note: KPIs no longer in the process: {', '.join(dropped)}. Their logs are kept and come back "
            "if a later version has the same key.",
            file=sys.stderr,
        )
    version = store_process(
        session,
        process,
        team=team,
        loaded_by="cli",
        change=f"loaded {path}",
        now=now,
        source_text=source,
    )
    scope = f"team {team.name}" if team else "the install (every team without a process of its own)"
    print(f"Stored {process.name!r} as version {version.version} for {scope}.")
    waiting = draft_queries.scheduled_draft(session, team.id) if team else None
    if waiting is not None:
        print(
            f"note: a draft of the process is scheduled to be published on {waiting.publish_on}. "
            "From that day its journey, activities, KPIs, scorecards and goals replace this "
            "file's (the settings it left alone keep this file's); `/pacer process discard` in "
            "Slack cancels it.",
            file=sys.stderr,
        )
    return 0


LOADED_BY = "pacer process load"


def load_draft(session: Session, team: SalesTeam | None, path: str, now: datetime | None) -> int:
    """`pacer process load FILE --draft`: the file becomes the team's draft (opened if there is
    none); nothing anyone sees changes until it is published from Slack."""
    if team is None:
        print(
            "pacer process load --draft: a draft belongs to a team, and this install has none yet. "
            "Load the file without --draft, or add people in Slack first (`/pacer team add`).",
            file=sys.stderr,
        )
        return 2
    try:
        process = load_process_file(path)
    except ProcessError as error:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        lines = "\n".join(by_line(text, error.problems))
        print(
            f"pacer process load --draft: {path} was not used, because:\n{lines}", file=sys.stderr
        )
        return 1
    for warning in process.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    now = now or datetime.now(UTC)
    current, _ = team_process(session, team.id)
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    filled = fill_draft(
        session,
        team,
        process,
        source,
        name=path,
        by="cli",
        key=f"cli:{path}:{now.isoformat()}",
        now=now,
        today=current.calendar.local_date(now),
    )
    what = "Opened the draft" if filled.created else "Filled the open draft"
    print(f"{what} of team {team.name} from {path}: {len(filled.changes)} changes.")
    for change in filled.changes:
        print(f"  {change}")
    print(
        "Nobody sees it until it is published: `/pacer process draft show`, `/pacer process publish`."
    )
    return 0


def _history_yaml(process) -> str:
    """The goal_changes: section of the stored version, after the file's own text, so `pacer
    process show --yaml` shows the history the team keeps."""
    dumped = dump_process(process)
    return (
        "# Kept from the team's earlier versions (a file without goal_changes: keeps them):\n"
        + dumped[dumped.index("goal_changes:") :].split("\nrituals:")[0].rstrip("\n")
        + "\n"
    )


def roles_in_use(session: Session, team: SalesTeam | None) -> set[str]:
    """Roles held by active members of the teams this version would apply to: the team, or
    (install-wide) every team without a process of its own."""
    if team is not None:
        teams = [team]
    else:
        teams = [
            t
            for t in people_queries.teams(session)
            if not process_queries.process_versions(session, t.id)
        ]
    return {m.role for t in teams for m in people_queries.active_members(session, t.id) if m.role}


def show(session: Session, team: SalesTeam | None, as_yaml: bool) -> int:
    process, version_id = team_process(session, team.id if team else None)
    row = process_queries.latest_process_version(session, team.id if team else None)
    if as_yaml:
        print(row.source_text if row else DEFAULT_PROCESS_PATH.read_text(encoding="utf-8"))
        return 0
    origin = (
        f"version {row.version}, {row.change or 'loaded'} by {row.loaded_by}"
        if row
        else "the built-in default"
    )
    print(f"# {process.name} ({origin})")
    print(render_cascade(process))
    for warning in process.warnings:
        print(f"warning: {warning}")
    return 0
