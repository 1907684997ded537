"""The `pacer` command."""

import argparse
import logging
import os
import sys
from datetime import date

from bot.settings import load_settings, serving_on
from cli import api as api_cli
from cli import data_args
from cli import manifest as manifest_cli
from rituals import kinds as ritual_kinds  # no dependencies: cheap for `pacer --help`


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pacer", description="Run a sales team on its numbers, inside Slack."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve",
        help="HTTP mode: POST /slack/events, GET /healthz",
        description="HTTP mode: POST /slack/events and GET /healthz, served by gunicorn with "
        "threads (gthread). Workers: --workers, else $WEB_CONCURRENCY, else one per usable CPU "
        "(its CPU affinity, capped by a container's CPU quota). On SQLite the writers of all "
        "workers take turns, so none is told 'busy' (README: Serving). The numbers chosen are "
        "logged at start.",
    )
    serve.add_argument("--port", type=int, default=None, help="default: $PORT, else 3000")
    serve.add_argument(
        "--workers",
        type=_at_least_one,
        default=None,
        help="processes (default: $WEB_CONCURRENCY, else one per usable CPU)",
    )
    serve.add_argument(
        "--threads",
        type=_at_least_one,
        default=16,
        help="threads per process (default 16): requests served at once while others wait",
    )
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument(
        "--with-clock", action="store_true", help="also run the ritual clock (small installs)"
    )
    sub.add_parser(
        "socket", help="Socket Mode, for a workspace without a public URL (SLACK_APP_TOKEN)"
    )
    demo = sub.add_parser(
        "demo", help="the whole product offline: a sample team, a few weeks of activity"
    )
    demo.add_argument("--weeks", type=int, default=6)
    demo.add_argument(
        "--out", default="pacer-demo", help="folder for the demo's database and files"
    )
    demo.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="last day played, YYYY-MM-DD (default: today in New York)",
    )

    sub.add_parser("clock", help="the ritual scheduler, as its own process (Procfile clock:)")
    sub.add_parser(
        "migrate",
        help="create or upgrade the database schema, then exit (safe to run from several at once)",
        description="Bring DATABASE_URL's schema to this Pacer's newest revision and exit. "
        "`pacer serve` and `pacer clock` do the same on start; several processes starting "
        "together take turns (a PostgreSQL advisory lock, a lock file beside SQLite).",
    )
    sub.add_parser(
        "doctor",
        help="check the configuration: token and scopes, signing secret, database, clock, channels",
        description="Checks what an operator gets wrong, one line each (ok or FAIL, with what "
        "to fix): the bot token (auth.test) and its scopes against the manifest, the signing "
        "secret, the database reachable and migrated, the clock's heartbeat, each team's ritual "
        "channel, and OAuth's settings when SLACK_CLIENT_ID is set. Changes nothing; exits 1 "
        "when something is wrong.",
    )
    rituals = sub.add_parser("rituals", help="run a ritual now, or see every team's schedule")
    rituals_sub = rituals.add_subparsers(dest="action", required=True)
    run = rituals_sub.add_parser(
        "run",
        help="run one ritual now, as the scheduler would",
        epilog="kinds:\n"
        + ritual_kinds.help_text()
        + f"\n  {ritual_kinds.REVIEW_REMINDER}  the reminders of process reviews due now (a sweep)"
        + f"\n  {ritual_kinds.PROCESS_PUBLISH}  process drafts scheduled for a day that has begun",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("kind", help=ritual_kinds.names_in_words())
    run.add_argument("--team", help="team name (when the install has several)")
    run.add_argument("--workspace", help="Slack team ID of the workspace (when it has several)")
    run.add_argument("--at", help="as of this instant, ISO 8601 with offset (default: now)")
    rituals_sub.add_parser("status", help="every team's next runs and the last run of each ritual")

    process = sub.add_parser("process", help="load or show the sales process")
    process_sub = process.add_subparsers(dest="action", required=True)
    load = process_sub.add_parser(
        "load", help="validate a process YAML file and store it as a new version"
    )
    load.add_argument("file")
    load.add_argument(
        "--draft",
        action="store_true",
        help="fill the team's draft instead (published from Slack: /pacer process publish)",
    )
    show = process_sub.add_parser("show", help="the cascade: stage → activity → KPI, per role")
    for p in (load, show):
        p.add_argument("--team", help="team name (when the install has several)")
        p.add_argument("--workspace", help="Slack team ID of the workspace (when it has several)")
    show.add_argument("--yaml", action="store_true", help="print the stored YAML instead")

    calendar = sub.add_parser("calendar", help="a team's days off: holidays and company days off")
    calendar_sub = calendar.add_subparsers(dest="action", required=True)
    calendar_show = calendar_sub.add_parser(
        "show",
        help="every day off on a working weekday, one per line: YYYY-MM-DD  name",
        description="Every day off (a public holiday the team doesn't work, or a company day "
        "off) that falls on one of the team's working weekdays, one per line as "
        "'YYYY-MM-DD  name'. Without --from and --to: this month and the next two, from the 1st "
        "of this month in the team's timezone; --from alone shows that month and the next two.",
    )
    calendar_show.add_argument("--team", help="team name (when the install has several)")
    calendar_show.add_argument(
        "--workspace", help="Slack team ID of the workspace (when it has several)"
    )
    calendar_show.add_argument(
        "--from",
        dest="start",
        type=_date,
        help="first day, YYYY-MM-DD (default: the 1st of this month)",
    )
    calendar_show.add_argument(
        "--to",
        dest="end",
        type=_date,
        help="last day, YYYY-MM-DD (default: the end of the month after next)",
    )

    api_cli.add_parser(sub)

    console = sub.add_parser(
        "console",
        help="try Pacer in the terminal: the real app against a local stand-in for Slack, offline",
    )
    console.add_argument(
        "--database",
        default=None,
        help="database URL (default: the demo's pacer-demo/pacer-demo.db if it exists, "
        "else sqlite:///pacer.db)",
    )
    console.add_argument(
        "--demo",
        action="store_true",
        help="build the demo's sample team first (as `pacer demo` does), then open on it",
    )
    console.add_argument(
        "--weeks", type=int, default=6, help="with --demo: weeks of activity (default 6)"
    )
    manifest = sub.add_parser("manifest", help="the Slack app manifest for your host, to paste")
    where = manifest.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="your app's public address, e.g. https://pacer.example.org")
    where.add_argument(
        "--socket", action="store_true", help="Socket Mode: no public URL (pacer socket)"
    )

    data_args.add_parsers(sub, _date)

    args = parser.parse_args(argv)
    if args.command == "manifest":
        return manifest_cli.run(args.url, args.socket)
    logging.basicConfig(
        level=os.environ.get("PACER_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations are routine on every start
    settings = load_settings()

    # Each command imports its module only when chosen, on purpose: together they pull in Slack
    # Bolt, SQLAlchemy, alembic and matplotlib (about a second) that `pacer --help` and
    # `pacer manifest` don't need.
    if args.command == "serve":
        from bot.workers import web_concurrency

        web_concurrency(os.environ)  # checked before gunicorn reads it (even with --workers)
        from bot.server import serve as run_server

        port = args.port or int(os.environ.get("PORT") or 3000)
        run_server(
            serving_on(settings, port),
            port,
            args.threads,
            args.host,
            args.workers,
            with_clock=args.with_clock,
        )
    elif args.command == "socket":
        from bot.socket import run_socket_mode

        run_socket_mode(settings)
    elif args.command == "clock":
        from cli.rituals import run_clock

        return run_clock(settings)
    elif args.command == "migrate":
        from cli.migrate import migrate

        return migrate(settings)
    elif args.command == "doctor":
        from cli import doctor

        return doctor.run(settings, dict(os.environ))
    elif args.command == "rituals":
        from cli import rituals as rituals_cli

        if args.action == "run":
            return rituals_cli.run_now(settings, args.kind, args.team, args.workspace, args.at)
        return rituals_cli.status(settings)
    elif args.command == "demo":
        from simulator.demo.run import run_demo

        return run_demo(weeks=args.weeks, out=args.out, today=args.today)
    elif args.command == "process":
        from cli import process as process_cli

        return process_cli.run(settings, args)
    elif args.command == "calendar":
        from cli import calendar as calendar_cli

        return calendar_cli.show(settings, args)
    elif args.command == "api":
        return api_cli.run(settings, args)
    elif args.command in ("import", "export"):
        from cli import data as data_cli

        if args.command == "import":
            return data_cli.run_import_command(settings, args)
        return data_cli.run_export(settings, args)
    elif args.command == "console":
        from simulator.console.run import run_console

        return run_console(database=args.database, demo=args.demo, demo_weeks=args.weeks)
    return 0


def _at_least_one(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


def _date(text: str) -> date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-24"
        ) from None


if __name__ == "__main__":
    sys.exit(main())
