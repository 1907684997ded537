"""`pacer console`: opens a session on a database (the demo's, built first with --demo) and feeds
it the lines typed at a terminal or piped in."""

import contextlib
import io
import logging
import os
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path

from simulator.console.session import Console
from simulator.demo.activity import working_days
from simulator.demo.cast import TZ
from simulator.demo.run import run_demo

DEMO_DATABASE = Path("pacer-demo") / "pacer-demo.db"
DEMO_CLOCK = time(16, 0)  # --demo opens at 16:00 on the demo's last day, after its last command
HISTORY = Path.home() / ".pacer_console_history"
QUIET = {"pacer.requests": logging.WARNING, "pacer.rituals": logging.WARNING}
QUIET |= {"slack_bolt": logging.ERROR}  # "unhandled request" for a command Pacer doesn't have


def default_database() -> str:
    if DEMO_DATABASE.exists():
        return f"sqlite:///{DEMO_DATABASE.resolve()}"
    return "sqlite:///pacer.db"


def demo_moment(today: date | None) -> datetime:
    """--demo opens at 16:00 on the demo's last working day, after everything it played."""
    today = today or datetime.now(TZ).date()
    return datetime.combine(working_days(today, 1)[-1], DEMO_CLOCK, TZ).astimezone(UTC)


def lines_of(stream, console: Console, echo: bool) -> Iterable[str]:
    for line in stream:
        if echo:
            console.print(console.prompt() + line.rstrip("\n"))
        yield line


def interactive_lines(console: Console) -> Iterable[str]:
    """Lines from a terminal, with readline's editing and a history kept between sessions."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input()
        readline = None
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(HISTORY)
        readline.set_history_length(1000)
    try:
        while True:
            try:
                yield input(console.prompt())
            except EOFError:
                console.print("")
                return
            except KeyboardInterrupt:
                console.print("", "(`:quit` ends the session)")
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(HISTORY)


def run_console(
    database: str | None = None,
    demo: bool = False,
    *,
    stdin=None,
    stdout=None,
    now: datetime | None = None,
    demo_out: str = "pacer-demo",
    demo_today: date | None = None,
    demo_weeks: int = 6,
) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if demo and database:
        print(
            "pacer console: --demo opens on the demo's own database; drop --database.",
            file=sys.stderr,
        )
        return 2
    levels = {name: logging.getLogger(name).level for name in QUIET}
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
    try:
        if demo:
            print("Building the demo's sample team (as `pacer demo` does)…", file=stdout)
            code = run_demo(weeks=demo_weeks, out=demo_out, today=demo_today, stream=io.StringIO())
            if code != 0:
                print(
                    f"pacer console: the demo failed (exit {code}); `pacer demo` shows why.",
                    file=sys.stderr,
                )
                return code
            database = f"sqlite:///{(Path(demo_out) / 'pacer-demo.db').resolve()}"
            now = now or demo_moment(demo_today)
        admins = [a.strip() for a in os.environ.get("PACER_ADMINS", "").split(",") if a.strip()]
        console = Console(database or default_database(), stdout, now=now, admins=admins)
        try:
            console.intro()
            tty = hasattr(stdin, "isatty") and stdin.isatty() and stdin is sys.stdin
            lines = interactive_lines(console) if tty else lines_of(stdin, console, echo=True)
            for line in lines:
                if not console.handle(line):
                    break
        except KeyboardInterrupt:
            print("", file=stdout)
            return 130
        finally:
            console.close()
        return 0
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
