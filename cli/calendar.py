"""`pacer calendar show [--team T] [--from DATE] [--to DATE]`: every day off that falls on one of
the team's working weekdays, one per line as `YYYY-MM-DD  name`, so it can be read or piped.
What the lines cover (the team, where its public holidays come from, the range) goes to stderr."""

import calendar as month_calendar
import sys
from datetime import date

from cli.process import ScopeError, pick_team
from rituals import team_holidays
from rituals.teams import team_process
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work

MAX_DAYS = 20 * 366  # a range longer than this is a typo in a year


def default_range(today: date) -> tuple[date, date]:
    """This month and the next two: 1 Nov to 31 Jan for any day in November."""
    year, month = divmod(today.month - 1 + 2, 12)
    last = date(today.year + year, month + 1, 1)
    return today.replace(day=1), last.replace(
        day=month_calendar.monthrange(last.year, last.month)[1]
    )


def show(settings, args) -> int:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with unit_of_work(engine) as session:
        try:
            team = pick_team(session, args.team, args.workspace)
        except ScopeError as error:
            print(f"pacer calendar: {error}", file=sys.stderr)
            return 2
        process, _ = team_process(session, team.id if team else None)
    cal = process.calendar
    start, end = default_range(cal.local_date(settings.now()))
    if args.start:  # --from alone: that month and the next two
        start, end = args.start, default_range(args.start)[1]
    end = args.end or end
    if end < start:
        print(
            f"pacer calendar: --from {start} is after --to {end}; give the earlier date first.",
            file=sys.stderr,
        )
        return 2
    if (end - start).days > MAX_DAYS:
        print(
            f"pacer calendar: {start} to {end} is more than 20 years; check the years.",
            file=sys.stderr,
        )
        return 2
    found = team_holidays.calendar_between(cal, start, end)
    for off in found.days_off:
        print(f"{off.day.isoformat()}  {off.name}")
    where = found.rules.where() or "no country (no public holidays)"
    days = " ".join(
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d] for d in sorted(cal.working_days)
    )
    who = team.name if team else "every team (the install-wide process)"
    print(
        f"{who}: {len(found.days_off)} days off from {start} to {end} on working days "
        f"({days}); public holidays of {where}"
        + (
            "; worked: " + ", ".join(f"{w.day} {w.name}" for w in found.worked)
            if found.worked
            else ""
        )
        + ".",
        file=sys.stderr,
    )
    return 0
