"""`pacer import activities FILE [--dry-run]` and `pacer export activities|logs|scorecards`:
data in and out as CSV. The export writes to stdout (what it covers goes to stderr), so it can
be piped or redirected; what it writes, the import reads back. `export all` and `import all`,
a whole install moved to another database, are cli/moving.py's."""

import sys
from pathlib import Path

from cli.moving import run_export_all, run_import_all
from cli.process import ScopeError
from rituals.connectors import export
from rituals.connectors.csv_files import COLUMNS, write_rows
from rituals.connectors.csv_import import run_import
from rituals.teams import team_process
from storage import people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work

IMPORTED_BY = "import"  # who entered imported rows, as the drill-down shows it


def pick_workspace(session, slack_team_id: str | None):
    workspaces = people_queries.all_workspaces(session)
    if slack_team_id:
        found = [w for w in workspaces if w.slack_team_id == slack_team_id]
        if not found:
            raise ScopeError(f"no workspace with Slack team ID {slack_team_id} has used Pacer yet.")
        return found[0]
    if not workspaces:
        raise ScopeError(
            "no Slack workspace has used Pacer yet: activity belongs to a workspace's reps, so "
            "install the app and add the team first (`/pacer team add @user sdr`)."
        )
    if len(workspaces) > 1:
        ids = ", ".join(w.slack_team_id for w in workspaces)
        raise ScopeError(
            f"this install serves several workspaces; choose one with --workspace ({ids})."
        )
    return workspaces[0]


def run_import_command(settings, args) -> int:
    if args.what == "all":
        return run_import_all(settings, args)
    name = "stdin" if args.file == "-" else args.file
    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as error:
        print(
            f"pacer import: can't read {name}: {error.strerror or error}; nothing was stored.",
            file=sys.stderr,
        )
        return 1
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with unit_of_work(engine) as session:
        try:
            workspace = pick_workspace(session, args.workspace)
        except ScopeError as error:
            print(f"pacer import: {error} Nothing was stored.", file=sys.stderr)
            return 2
    report = run_import(
        engine,
        raw,
        workspace.id,
        settings.now(),
        by=IMPORTED_BY,
        dry_run=args.dry_run,
        partial=args.partial,
    )
    lines = report.lines()
    print(f"{name}: {lines[0]}")
    for line in lines[1:]:
        print(f"  {line}")
    return 1 if report.failed else 0


def run_export(settings, args) -> int:
    if args.what == "all":
        return run_export_all(settings, args)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    now = settings.now()
    with unit_of_work(engine) as session:
        try:
            workspace = pick_workspace(session, args.workspace)
            teams = people_queries.teams(session, workspace.id)
            if args.team:
                teams = [t for t in teams if t.name.lower() == args.team.lower()]
                if not teams:
                    names = ", ".join(t.name for t in people_queries.teams(session, workspace.id))
                    raise ScopeError(
                        f"no team is called {args.team!r}. Teams: {names or 'none yet'}."
                    )
        except ScopeError as error:
            print(f"pacer export: {error}", file=sys.stderr)
            return 2
        if args.start and args.end and args.end < args.start:
            print(f"pacer export: --to {args.end} is before --from {args.start}.", file=sys.stderr)
            return 2
        team_ids = [t.id for t in teams] if args.team else None
        if args.what == "scorecards":
            if not teams:
                print("pacer export: the workspace has no team yet.", file=sys.stderr)
                return 2
            process, _ = team_process(session, teams[0].id)
            today = process.calendar.local_date(now)
            start = args.start or today.replace(day=1)
            end = args.end or today
            try:
                periods = export.periods_between(args.period, start, end)
            except ValueError as error:
                print(f"pacer export: {error}", file=sys.stderr)
                return 2
            rows = export.scorecard_rows(session, workspace.id, teams, start, end, args.period, now)
            header = export.SCORECARD_COLUMNS
            covers = f"{args.period}s {periods[0].start} to {periods[-1].end}"
        elif args.what == "logs":
            rows = export.log_rows(session, workspace.id, teams, args.start, args.end, team_ids)
            header = export.LOG_COLUMNS
            covers = _range(args.start, args.end)
        else:
            rows = export.activity_rows(
                session, workspace.id, teams, args.start, args.end, team_ids
            )
            header = COLUMNS
            covers = _range(args.start, args.end)
        written = write_rows(header, rows, sys.stdout)
    scope = f"team {teams[0].name}" if args.team else "every team"
    print(f"pacer export {args.what}: {written} rows, {scope}, {covers}.", file=sys.stderr)
    return 0


def _range(start, end) -> str:
    if not start and not end:
        return "all dates"
    return f"{start or 'the first log'} to {end or 'the last'}"
